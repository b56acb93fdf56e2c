package report

import "testing"

func TestRelativizer(t *testing.T) {
	t.Parallel()
	r := NewPaths("/work/m", "./")
	got := string(r.LineStarts([]byte("/work/m/a.go:1:2: msg about /work/m/b.go\n3\t/work/m/x\n/other/c.go:1:1: x\n")))
	want := "./a.go:1:2: msg about /work/m/b.go\n3\t/work/m/x\n/other/c.go:1:1: x\n"
	if got != want {
		t.Errorf("lineStarts: got %q, want %q", got, want)
	}
	if got, want := r.Anywhere("no Go files in /work/m/sub"), "no Go files in ./sub"; got != want {
		t.Errorf("anywhere: got %q, want %q", got, want)
	}
}
