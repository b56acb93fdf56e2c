package leakcheck

import (
	"os"
	"strings"
	"testing"
)

// The dumps in testdata were captured from testdata/gendump (see its doc
// comment): amd64 natively and arm64 under qemu, both built with
// GOEXPERIMENT=goroutineleakprofile, and amd64 without it.
func TestParseRealDumps(t *testing.T) {
	t.Parallel()
	// By line of the go statement in gendump/main.go.
	type want struct {
		state    string
		leaked   bool
		function string // of the blocking frame
		line     int    // of the blocking frame
	}
	wants := map[int]want{
		31: {"chan send", true, "main.(*server).serve", 23},
		32: {"chan receive", true, "main.wait[...]", 25},
		33: {"chan receive (nil chan)", true, "main.main.func1", 35},
		37: {"select (no cases)", true, "main.main.func2", 38},
		42: {"sync.WaitGroup.Wait", true, "main.main.func3", 42},
		43: {"chan receive", false, "main.main.func4", 45},
		48: {"chan receive", false, "main.main.func5", 48},
		49: {"sleep", false, "main.main.func6", 49},
		50: {"chan receive", false, "main.main.func7", 52},
	}
	for _, tc := range []struct {
		file       string
		experiment bool
	}{
		{"dump_amd64.txt", true},
		{"dump_arm64.txt", true},
		{"dump_amd64_noexp.txt", false},
	} {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile("testdata/" + tc.file)
			if err != nil {
				t.Fatal(err)
			}
			gs := parseDump(data)
			if len(gs) != 1+len(wants) {
				t.Fatalf("parsed %d goroutines, want %d", len(gs), 1+len(wants))
			}
			if gs[0].id != 1 || gs[0].state != "running" || gs[0].createdBy != (Frame{}) {
				t.Errorf("main goroutine: %+v", gs[0])
			}
			seen := make(map[int]bool)
			for _, g := range gs[1:] {
				cb := g.createdBy
				if cb.Function != "main.main" || !strings.HasSuffix(cb.File, "/gendump/main.go") {
					t.Errorf("goroutine %d: created by %v", g.id, cb)
					continue
				}
				w, ok := wants[cb.Line]
				if !ok || seen[cb.Line] {
					t.Errorf("goroutine %d: unexpected created-by line %d", g.id, cb.Line)
					continue
				}
				seen[cb.Line] = true
				w.leaked = w.leaked && tc.experiment
				b := g.blocking()
				if g.state != w.state || g.leaked != w.leaked || b.Function != w.function || b.Line != w.line ||
					!strings.HasSuffix(b.File, "/gendump/main.go") {
					t.Errorf("goroutine created at line %d: got state %q leaked %v blocking %v, want %+v",
						cb.Line, g.state, g.leaked, b, w)
				}
			}
		})
	}
}

func TestParseHeader(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		line   string
		id     int64
		state  string
		leaked bool
	}{
		{"goroutine 7 [chan send (leaked), 2 minutes]:", 7, "chan send", true},
		{"goroutine 12 gp=0xc000003c00 m=nil [select (no cases)]:", 12, "select (no cases)", false},
		{"goroutine 3 [chan receive (nil chan) (leaked), locked to thread]:", 3, "chan receive (nil chan)", true},
		{"goroutine 9 [sync.WaitGroup.Wait (durable)]:", 9, "sync.WaitGroup.Wait", false},
	} {
		g, ok := parseHeader(tc.line)
		if !ok || g.id != tc.id || g.state != tc.state || g.leaked != tc.leaked {
			t.Errorf("parseHeader(%q) = %+v, %v", tc.line, g, ok)
		}
	}
	for _, bad := range []string{"goroutine x [running]:", "goroutine 1 running", "goroutine "} {
		if _, ok := parseHeader(bad); ok {
			t.Errorf("parseHeader(%q) accepted", bad)
		}
	}
}

func TestFileLine(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		file string
		line int
	}{
		{"\t/a/b.go:12 +0x1d", "/a/b.go", 12},
		{"\t/a/b.go:7", "/a/b.go", 7},
		{"\tC:/x/y.go:3 +0x5", "C:/x/y.go", 3},
	} {
		if f, l := parseFileLine(tc.in); f != tc.file || l != tc.line {
			t.Errorf("parseFileLine(%q) = %s, %d", tc.in, f, l)
		}
	}
}

func TestStd(t *testing.T) {
	t.Parallel()
	for fn, want := range map[string]bool{
		"sync.(*WaitGroup).Wait":          true,
		"internal/sync.(*Mutex).lockSlow": true,
		"main.main.func1":                 false,
		"example.com/m/p.(*T).run.func2":  false,
		"p_test.TestX":                    false,
		"gopkg.in/yaml.v3.Unmarshal":      false,
	} {
		if got := (Frame{Function: fn}).Std(); got != want {
			t.Errorf("Frame{Function: %q}.Std() = %v", fn, got)
		}
	}
}

func TestPackage(t *testing.T) {
	t.Parallel()
	for fn, want := range map[string]string{
		"sync.(*WaitGroup).Wait":         "sync",
		"main.main.func1":                "main",
		"example.com/m/p.(*T).run.func2": "example.com/m/p",
		"gopkg.in/yaml%2ev3.Unmarshal":   "gopkg.in/yaml%2ev3", // the runtime escapes the dots of the last element
		"nodot":                          "nodot",
	} {
		if got := (Frame{Function: fn}).Package(); got != want {
			t.Errorf("Frame{Function: %q}.Package() = %q, want %q", fn, got, want)
		}
	}
}
