package goversion

import "testing"

func TestGodebugAsync(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		gomod string
		want  bool
	}{
		{"module m\n\ngo 1.23\n", false},
		{"module m\n\ngo 1.23\n\ngodebug asynctimerchan=1\n", true},
		{"module m\ngodebug (\n\tpanicnil=1\n\tasynctimerchan=1 // old timers\n)\n", true},
		{"module m\ngodebug (\n\tasynctimerchan=0\n)\n", false},
		{"module m\n// godebug asynctimerchan=1\n", false},
		{"module m\ngodebug default=go1.21,asynctimerchan=1\n", true},
	} {
		if got := godebugAsync([]byte(tc.gomod)); got != tc.want {
			t.Errorf("godebugAsync(%q) = %v, want %v", tc.gomod, got, tc.want)
		}
	}
}
