package shapetest_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/leakvet/leakvet/internal/shapetest"
)

// TestRuntimeTruth runs every shape registered by the chanblock, lockblock, selectnil
// and wgbalance testdata and checks that those flagged as leaks leak a
// goroutine and the look-alikes leave none behind. All packages are built
// and tested by one `go test` in a temporary module.
func TestRuntimeTruth(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds and runs the testdata packages")
	}
	src, err := filepath.Abs(filepath.Join("..", "..", "testdata", "src"))
	if err != nil {
		t.Fatal(err)
	}
	mod := t.TempDir()
	pkgs, err := shapetest.Copy(src, mod)
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) == 0 {
		t.Fatal("no testdata package registers shapes")
	}

	// The shapes mostly sleep while they wait for goroutines to settle:
	// run more packages at once than there are CPUs.
	cmd := exec.Command("go", "test", "-count=1", "-v", "-p=8", "-run=.", "./...")
	cmd.Dir = mod
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go test in %s: %v\n%s", mod, err, out)
	}

	got := shapetest.ParseSummaries(out)
	total := 0
	for _, p := range pkgs {
		want := [2]int{p.Leaking, p.Correct}
		if p.Leaking+p.Correct == 0 {
			t.Errorf("%s: shapes.go but no registered shape", p.Path())
		}
		if got[p.Path()] != want {
			t.Errorf("%s: ran %d leaking and %d correct shapes, want %d and %d (every registration in the source)",
				p.Path(), got[p.Path()][0], got[p.Path()][1], p.Leaking, p.Correct)
		}
		total += p.Leaking + p.Correct
		t.Log(shapetest.Summary(p.Path(), got[p.Path()][0], got[p.Path()][1]))
	}
	if len(got) != len(pkgs) {
		t.Errorf("go test reported shapes for %d packages, want %d: %v", len(got), len(pkgs), got)
	}
	t.Logf("%d shapes in %d packages", total, len(pkgs))
}

func TestParseSummaries(t *testing.T) {
	t.Parallel()
	out := []byte("=== RUN   TestZZShapes\n" + shapetest.Summary("chanblock/a", 6, 9) + "\n--- PASS: TestZZShapes (1.00s)\n")
	got := shapetest.ParseSummaries(out)
	if len(got) != 1 || got["chanblock/a"] != [2]int{6, 9} {
		t.Errorf("ParseSummaries = %v, want map[chanblock/a:[6 9]]", got)
	}
}
