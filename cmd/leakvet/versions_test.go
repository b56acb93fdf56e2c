package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tickerSrc leaks a ticker on its early return: a leak only under the
// pre-go1.23 timers, which the module's go line selects.
const tickerSrc = `package m

import "time"

func Poll(check func() bool) {
	t := time.NewTicker(time.Second)
	for range t.C {
		if check() {
			return
		}
	}
}
`

// TestTimerVersions checks, under both drivers, that the module's go line
// reaches timerstop: the same code is a finding at go 1.22 and clean at go
// 1.23, and asynctimerchan=1 in go.mod brings the old timers back.
func TestTimerVersions(t *testing.T) {
	t.Parallel()
	const finding = "the ticker t from time.NewTicker is not stopped on the path that returns at line 9"
	for _, tc := range []struct {
		gomod string
		want  bool
	}{
		{"module example.com/m\n\ngo 1.22\n", true},
		{"module example.com/m\n\ngo 1.23\n", false},
		{"module example.com/m\n\ngo 1.23\n\ngodebug asynctimerchan=1\n", true},
	} {
		dir := module(t, map[string]string{"m.go": tickerSrc})
		if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(tc.gomod), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, r := range []result{runLeakvet(t, dir, "./..."), goVet(t, dir, "./...")} {
			got := strings.Contains(r.stdout+r.stderr, finding)
			if got != tc.want {
				t.Errorf("go.mod %q: finding reported = %v, want %v: %v", tc.gomod, got, tc.want, r)
			}
			checkNoCrash(t, r)
		}
	}
}
