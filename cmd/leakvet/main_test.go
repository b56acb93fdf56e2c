package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/leakvet/leakvet/internal/driver"
)

// leakvetBin is the leakvet binary built once for all tests, which run it as
// a user would: standalone and as go vet's -vettool, in temporary modules.
var leakvetBin string

func TestMain(m *testing.M) {
	os.Exit(testMain(m))
}

func testMain(m *testing.M) int {
	dir, err := os.MkdirTemp("", "leakvet-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	leakvetBin = filepath.Join(dir, "leakvet")
	// leakvet-dump beside leakvet, as go install puts them: 'leakvet
	// dump' runs it
	for out, pkg := range map[string]string{leakvetBin: ".", filepath.Join(dir, "leakvet-dump"): "../leakvet-dump"} {
		build := exec.Command("go", "build", "-o", out, pkg)
		build.Stdout, build.Stderr = os.Stderr, os.Stderr
		if err := build.Run(); err != nil {
			fmt.Fprintf(os.Stderr, "building %s: %v\n", pkg, err)
			return 1
		}
	}
	return m.Run()
}

// Sources for the temporary modules.
const (
	cleanSrc = `package m

import "context"

func F(ctx context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	_ = ctx
}
`
	// discardedSrc has one finding, at 6:7 (the _).
	discardedSrc = `package m

import "context"

func F() {
	ctx, _ := context.WithCancel(context.Background())
	_ = ctx
}
`
	discardedLine = "\tctx, _ := context.WithCancel(context.Background())"
)

// discardedFinding matches the finding in discardedSrc as leakvet prints it
// standalone, relative to the module.
var discardedFinding = regexp.MustCompile(`(?m)^\./m\.go:6:7: .*is discarded`)

// module writes the module example.com/m with files (name: content) to a
// new temporary directory and returns it.
func module(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	files["go.mod"] = "module example.com/m\n\ngo 1.26\n"
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

type result struct {
	stdout, stderr string
	code           int
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\n--- stdout:\n%s--- stderr:\n%s", r.code, r.stdout, r.stderr)
}

// testEnv is the environment of every command the tests run: the temporary
// modules import only std, so no network and no workspace are needed, and
// no stack is printed unless a test asks.
func testEnv(extra ...string) []string {
	env := append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "GOPROXY=off", driver.DebugEnv+"=")
	return append(env, extra...)
}

// runIn runs the program name with args in dir and returns its output and
// exit code.
func runIn(t *testing.T, dir string, env []string, name string, args ...string) result {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	if exit, ok := errors.AsType[*exec.ExitError](err); ok {
		r.code = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	return r
}

// runLeakvet runs the leakvet binary in dir.
func runLeakvet(t *testing.T, dir string, args ...string) result {
	t.Helper()
	return runIn(t, dir, testEnv(), leakvetBin, args...)
}

// goVet runs go vet with leakvet as its vet tool in dir.
func goVet(t *testing.T, dir string, args ...string) result {
	t.Helper()
	return runIn(t, dir, testEnv(), "go", append([]string{"vet", "-vettool=" + leakvetBin}, args...)...)
}

// checkCode fails the test unless r exited with code.
func checkCode(t *testing.T, r result, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("want exit %d, got %v", code, r)
	}
}

// checkErrors checks leakvet's error contract: something on stderr, every
// line of it a "leakvet: " line (or the usage hint), and no panic or
// goroutine dump anywhere.
// checkFailure checks a run that leakvet could not do: exit 2, errors only
// as "leakvet: " lines, one of them naming want.
func checkFailure(t *testing.T, r result, args []string, want string) {
	t.Helper()
	checkCode(t, r, driver.ExitFailure)
	checkErrors(t, r)
	if !strings.Contains(r.stderr, want) {
		t.Errorf("leakvet %s: want %q, got %v", strings.Join(args, " "), want, r)
	}
}

func checkErrors(t *testing.T, r result) {
	t.Helper()
	if r.stderr == "" {
		t.Errorf("no error message on stderr: %v", r)
	}
	for line := range strings.Lines(r.stderr) {
		if !strings.HasPrefix(line, "leakvet: ") && line != "run 'leakvet -h' for usage\n" && line != "run 'leakvet verify -h' for usage\n" {
			t.Errorf("stderr line %q is not a 'leakvet: ...' line", line)
		}
	}
	checkNoCrash(t, r)
}

// stackTrace matches the header of a goroutine in a Go stack trace
// ("goroutine 1 [running]:"); findings may well say "goroutine".
var stackTrace = regexp.MustCompile(`(?m)^goroutine \d+ \[|^panic: `)

func checkNoCrash(t *testing.T, r result) {
	t.Helper()
	if m := stackTrace.FindString(r.stdout + r.stderr); m != "" {
		t.Errorf("output contains a stack trace (%q): %v", m, r)
	}
}
