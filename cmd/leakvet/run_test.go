package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/leakvet/leakvet/internal/driver"
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
	c := &driver.Command{Analyzers: analyzers, Stdout: &stdout, Stderr: &stderr, Dir: dir, Debug: debug}
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
	checkCode(t, r, driver.ExitFailure)
	checkErrors(t, r)
	// One line, though the package and its test variant both failed.
	want := "leakvet: internal error: pass boom panicked on package example.com/m: kaboom second line\n" +
		"leakvet: run with -debug (or " + driver.DebugEnv + "=1) for the stack, and please report it\n"
	if r.stderr != want {
		t.Errorf("want %q, got %v", want, r)
	}

	r = inProcess(dir, true, []*analysis.Analyzer{boom()}, "./...")
	checkCode(t, r, driver.ExitFailure)
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
	checkCode(t, r, driver.ExitFailure)
	checkErrors(t, r)
	if !strings.HasPrefix(r.stderr, "leakvet: internal error: ") {
		t.Errorf("got %v", r)
	}
}
