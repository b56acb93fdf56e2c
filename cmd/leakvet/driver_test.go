package main

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
)

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// inProcess runs a command with the given analyzers in dir and returns
// its result.
func inProcess(dir string, debug bool, analyzers []*analysis.Analyzer, args ...string) result {
	var stdout, stderr bytes.Buffer
	c := &Command{Analyzers: analyzers, Stdout: &stdout, Stderr: &stderr, Dir: dir, Debug: debug}
	code := run(c, args)
	return result{stdout: stdout.String(), stderr: stderr.String(), code: code}
}

// TestAnalyzerPanic checks a pass that panics is one error line and exit
// 2, with the stack only when debugging.
func TestAnalyzerPanic(t *testing.T) {
	t.Parallel()
	dir := module(t, map[string]string{"m.go": "package m\n", "m_test.go": "package m\n"})
	boom := func() *analysis.Analyzer {
		return &analysis.Analyzer{
			Name: "boom",
			Doc:  "boom: panic on every package",
			Run:  func(*analysis.Pass) (any, error) { panic("kaboom\nsecond line") },
		}
	}

	r := inProcess(dir, false, []*analysis.Analyzer{boom()}, "./...")
	checkCode(t, r, ExitFailure)
	checkErrors(t, r)
	// One line, though the package and its test variant both failed.
	want := "leakvet: internal error: pass boom panicked on package example.com/m: kaboom second line\n" +
		"leakvet: run with -debug (or " + DebugEnv + "=1) for the stack, and please report it\n"
	if r.stderr != want {
		t.Errorf("want %q, got %v", want, r)
	}

	r = inProcess(dir, true, []*analysis.Analyzer{boom()}, "./...")
	checkCode(t, r, ExitFailure)
	if !stackTrace.MatchString(r.stderr) {
		t.Errorf("with debugging, want the stack, got %v", r)
	}
}

// TestInternalError checks a panic in the driver itself is one line too.
func TestInternalError(t *testing.T) {
	t.Parallel()
	// A pass named like a core flag makes flag registration panic.
	json := &analysis.Analyzer{Name: "json", Doc: "json: clash", Run: func(*analysis.Pass) (any, error) { return nil, nil }}
	r := inProcess(t.TempDir(), false, []*analysis.Analyzer{json}, "./...")
	checkCode(t, r, ExitFailure)
	checkErrors(t, r)
	if !strings.HasPrefix(r.stderr, "leakvet: internal error: ") {
		t.Errorf("got %v", r)
	}
}

func TestErrorLines(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		msg  string
		want []string
	}{
		{"x.go:1:2: bad", []string{"x.go:1:2: bad"}},
		{"no required module provides package a/b; to add it:\n\tgo get a/b", []string{"no required module provides package a/b; to add it: go get a/b"}},
		{"# a/b\nb/x.go:1:1: one\nb/x.go:2:1: two\n", []string{"b/x.go:1:1: one", "b/x.go:2:1: two"}},
		{"go: errors parsing go.mod:\n/m/go.mod:3: unknown directive: foo\n", []string{"go: errors parsing go.mod: /m/go.mod:3: unknown directive: foo"}},
	} {
		if got := ErrorLines(tc.msg); !slices.Equal(got, tc.want) {
			t.Errorf("ErrorLines(%q) = %q, want %q", tc.msg, got, tc.want)
		}
	}
}

func TestMulticheckerArgs(t *testing.T) {
	t.Parallel()
	knob := new(string)
	a := &analysis.Analyzer{Name: "p", Doc: "p: pass", Run: func(*analysis.Pass) (any, error) { return nil, nil }}
	a.Flags.StringVar(knob, "knob", "", "a knob")
	c := &Command{Analyzers: []*analysis.Analyzer{a}}
	opts, err := c.ParseFlags([]string{"-diff", "-test=false", "-p=false", "-p.knob=on", "-c=3", "./..."})
	if err != nil {
		t.Fatal(err)
	}
	got := multicheckerArgs(opts, opts.flags.Args())
	want := []string{"-fix", "-diff", "-test=false", "-p=false", "-p.knob=on", "--", "./..."}
	if !slices.Equal(got, want) {
		t.Errorf("multicheckerArgs = %q, want %q", got, want)
	}
	if *knob != "on" {
		t.Errorf("-p.knob did not set the pass's flag")
	}
}

func TestSelected(t *testing.T) {
	t.Parallel()
	var all []*analysis.Analyzer
	for _, name := range []string{"p1", "p2", "p3"} {
		all = append(all, &analysis.Analyzer{Name: name, Doc: name + ": x"})
	}
	c := &Command{Analyzers: all}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "p1 p2 p3"},
		{[]string{"-p2"}, "p2"},
		{[]string{"-p1", "-p3=true"}, "p1 p3"},
		{[]string{"-p2=false"}, "p1 p3"},
		{[]string{"-p1", "-p2=false"}, "p1"},
	} {
		opts, err := c.ParseFlags(tc.args)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, a := range opts.selected(all) {
			names = append(names, a.Name)
		}
		if got := strings.Join(names, " "); got != tc.want {
			t.Errorf("%q selects %q, want %q", tc.args, got, tc.want)
		}
	}
}
