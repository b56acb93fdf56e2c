package main

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/leakvet/leakvet"
	"github.com/leakvet/leakvet/internal/driver"
	"github.com/leakvet/leakvet/internal/report"
)

func TestCleanPackage(t *testing.T) {
	t.Parallel()
	dir := module(t, map[string]string{
		"m.go":      cleanSrc,
		"m_test.go": "package m\n\nimport \"testing\"\n\nfunc TestF(t *testing.T) { F(t.Context()) }\n",
	})
	// (Each run analyzes std from source for the facts: keep them few.)
	for _, args := range [][]string{{"./..."}, {"-test=false", "example.com/m"}} {
		r := runLeakvet(t, dir, args...)
		checkCode(t, r, driver.ExitClean)
		if r.stdout != "" || r.stderr != "" {
			t.Errorf("leakvet %s on a clean package printed something: %v", strings.Join(args, " "), r)
		}
	}
}

func TestJSONClean(t *testing.T) {
	t.Parallel()
	dir := module(t, map[string]string{"m.go": cleanSrc})
	r := runLeakvet(t, dir, "-json", "./...")
	checkCode(t, r, driver.ExitClean)
	var tree map[string]map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &tree); err != nil {
		t.Fatalf("-json output does not parse: %v\n%v", err, r)
	}
	if len(tree) != 0 {
		t.Errorf("-json on a clean package: want {}, got %v", r)
	}
}

func TestTypeErrors(t *testing.T) {
	t.Parallel()
	dir := module(t, map[string]string{
		"m.go":       cleanSrc,
		"bad/bad.go": "package bad\n\nfunc F() int { return \"x\" }\n",
		"foo/bar.go": "package bar\n\nxx\n",
	})
	for _, tc := range []struct {
		pattern string
		want    string // a regexp for one line of stderr
	}{
		{"./bad", `(?m)^leakvet: \./bad/bad\.go:3:23: cannot use "x"`},
		{"./foo", `(?m)^leakvet: \./foo/bar\.go:3:1: expected declaration`},
		{"./...", `(?m)^leakvet: \./foo/bar\.go:3:1: expected declaration`},
	} {
		r := runLeakvet(t, dir, tc.pattern)
		checkCode(t, r, driver.ExitFailure)
		checkErrors(t, r)
		if strings.Contains(r.stdout+r.stderr, "panic") {
			t.Errorf("leakvet %s: output mentions a panic: %v", tc.pattern, r)
		}
		if !regexp.MustCompile(tc.want).MatchString(r.stderr) {
			t.Errorf("leakvet %s: stderr does not match %s: %v", tc.pattern, tc.want, r)
		}
	}
}

func TestPatternMatchesNothing(t *testing.T) {
	t.Parallel()
	dir := module(t, map[string]string{"m.go": cleanSrc, "empty/README": "no Go here\n"})
	for _, patterns := range [][]string{
		{"./nope"},
		{"./nope/..."},
		{"./empty/..."},
		{"example.com/m/nope/..."},
		{"./...", "./nope/..."},
	} {
		r := runLeakvet(t, dir, patterns...)
		checkCode(t, r, driver.ExitFailure)
		checkErrors(t, r)
		want := "leakvet: pattern " + patterns[len(patterns)-1] + " matched no packages"
		if !strings.Contains(r.stderr, want) {
			t.Errorf("leakvet %s: want %q, got %v", strings.Join(patterns, " "), want, r)
		}
	}
}

func TestMissingModule(t *testing.T) {
	t.Parallel()
	dir := module(t, map[string]string{
		"m.go": "package m\n\nimport _ \"example.com/missing/pkg\"\n",
	})
	r := runLeakvet(t, dir, "./...")
	checkCode(t, r, driver.ExitFailure)
	checkErrors(t, r)
	if !strings.Contains(r.stderr, "example.com/missing") {
		t.Errorf("error does not name the missing module: %v", r)
	}
}

func TestNotInAModule(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	r := runLeakvet(t, dir, "./...")
	checkCode(t, r, driver.ExitFailure)
	checkErrors(t, r)
}

func TestBadFlags(t *testing.T) {
	t.Parallel()
	dir := module(t, map[string]string{"m.go": cleanSrc})
	pass := leakvet.Analyzers()[0].Name
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-nosuch", "./..."}, "flag provided but not defined: -nosuch"},
		{[]string{"-c=x", "./..."}, "invalid value"},
		{[]string{"-" + pass + "=maybe", "./..."}, "-" + pass + ": want true or false"},
		{[]string{"./...", "-json"}, "flag -json after the package patterns"},
		{[]string{"-json"}, "no packages named"},
		{[]string{"-json", "-fix", "./..."}, "-json cannot be combined with -fix"},
		{[]string{"version", "extra"}, "version takes no arguments"},
	} {
		r := runLeakvet(t, dir, tc.args...)
		checkFailure(t, r, tc.args, tc.want)
		if !strings.Contains(r.stderr, "leakvet -h") {
			t.Errorf("leakvet %s: want a usage hint, got %v", strings.Join(tc.args, " "), r)
		}
	}
}

func TestPassSelection(t *testing.T) {
	t.Parallel()
	dir := module(t, map[string]string{"m.go": discardedSrc})
	// Every pass disabled: nothing runs, nothing is found.
	var args []string
	for _, a := range leakvet.Analyzers() {
		args = append(args, "-"+a.Name+"=false")
	}
	r := runLeakvet(t, dir, append(args, "./...")...)
	checkCode(t, r, driver.ExitClean)
	if r.stdout != "" || r.stderr != "" {
		t.Errorf("with every pass disabled: %v", r)
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"-h"}, {"-help"}, {"--help"}, {"help"}} {
		r := runLeakvet(t, t.TempDir(), args...)
		checkCode(t, r, driver.ExitClean)
		for _, want := range []string{
			"leakvet [flags] packages...",
			"go vet -vettool=$(command -v leakvet)",
			"-json", "-c N", "-test", "-fix", "-diff", "-debug",
			"-format FORMAT", "text", "json", "sarif", "github", "-o FILE",
			"-baseline FILE", "-write-baseline FILE",
			"Exit status:", "go vet -json exits 0 with findings",
		} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("leakvet %s: output lacks %q", args[0], want)
			}
		}
		for _, a := range leakvet.Analyzers() {
			if want := a.Name + " "; !strings.Contains(r.stdout, want) || !strings.Contains(r.stdout, report.Summary(a)) {
				t.Errorf("leakvet %s: pass %s or its summary %q is not listed", args[0], a.Name, report.Summary(a))
			}
		}
	}
}

func TestHelpPass(t *testing.T) {
	t.Parallel()
	for _, a := range leakvet.Analyzers() {
		r := runLeakvet(t, t.TempDir(), "help", a.Name)
		checkCode(t, r, driver.ExitClean)
		if want := a.Name + ": " + strings.TrimSpace(a.Doc); !strings.Contains(r.stdout, want) {
			t.Errorf("leakvet help %s lacks the pass's Doc:\n%s", a.Name, r.stdout)
		}
		if !strings.Contains(r.stdout, "-"+a.Name+"=false") {
			t.Errorf("leakvet help %s does not say how to disable it:\n%s", a.Name, r.stdout)
		}
	}

	r := runLeakvet(t, t.TempDir(), "help", "nosuch")
	checkCode(t, r, driver.ExitFailure)
	checkErrors(t, r)
	if !strings.Contains(r.stderr, `no pass named "nosuch"`) {
		t.Errorf("leakvet help nosuch: %v", r)
	}
}

func TestVersion(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"version"}, {"-V"}} {
		r := runLeakvet(t, t.TempDir(), args...)
		checkCode(t, r, driver.ExitClean)
		if !strings.HasPrefix(r.stdout, "leakvet version ") || strings.Count(r.stdout, "\n") != 1 {
			t.Errorf("leakvet %s: %v", args[0], r)
		}
	}
}
