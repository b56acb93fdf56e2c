package main

// These tests need the passes to report: they run on discardedSrc, whose
// context.WithCancel result is assigned to _, and expect ctxcancel's
// "is discarded" finding at m.go:6:7.

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/leakvet/leakvet/internal/driver"
)

func TestFindingsStandalone(t *testing.T) {
	t.Parallel()
	dir := module(t, map[string]string{"m.go": discardedSrc})
	r := runLeakvet(t, dir, "./...")
	checkCode(t, r, driver.ExitFindings)
	if !discardedFinding.MatchString(r.stdout) || r.stderr != "" {
		t.Errorf("want the finding %s on stdout and nothing on stderr, got %v", discardedFinding, r)
	}

	// Selecting the pass explicitly changes nothing; -test=false neither,
	// since the finding is not in a test file.
	args := []string{"-ctxcancel", "-test=false", "."}
	r = runLeakvet(t, dir, args...)
	checkCode(t, r, driver.ExitFindings)
	if !discardedFinding.MatchString(r.stdout) {
		t.Errorf("leakvet %s: %v", strings.Join(args, " "), r)
	}
}

func TestFindingsInTests(t *testing.T) {
	t.Parallel()
	dir := module(t, map[string]string{
		"m.go":      cleanSrc,
		"m_test.go": strings.Replace(discardedSrc, "func F()", "func helper()", 1),
	})
	r := runLeakvet(t, dir, "./...")
	checkCode(t, r, driver.ExitFindings)
	if !regexp.MustCompile(`(?m)^\./m_test\.go:6:7: .*is discarded`).MatchString(r.stdout) {
		t.Errorf("finding in the test file not reported: %v", r)
	}
	r = runLeakvet(t, dir, "-test=false", "./...")
	checkCode(t, r, driver.ExitClean)
}

func TestFindingsVet(t *testing.T) {
	t.Parallel()
	dir := module(t, map[string]string{"m.go": discardedSrc})
	r := goVet(t, dir, "./...")
	checkCode(t, r, 1)
	if !regexp.MustCompile(`(?m)m\.go:6:7: .*is discarded`).MatchString(r.stderr) {
		t.Errorf("go vet: want the finding at m.go:6:7, got %v", r)
	}
}

func TestFindingsJSON(t *testing.T) {
	t.Parallel()
	dir := module(t, map[string]string{"m.go": discardedSrc})
	r := runLeakvet(t, dir, "-json", "./...")
	checkCode(t, r, driver.ExitFindings) // unlike go vet -json, which exits 0
	var tree map[string]map[string][]struct {
		Posn    string `json:"posn"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &tree); err != nil {
		t.Fatalf("-json output does not parse: %v\n%v", err, r)
	}
	found := false
	for _, byPass := range tree {
		for _, diags := range byPass {
			for _, d := range diags {
				if strings.HasSuffix(d.Posn, "m.go:6:7") && strings.Contains(d.Message, "is discarded") {
					found = true
				}
			}
		}
	}
	if !found {
		t.Errorf("-json: the finding at m.go:6:7 is missing: %v", r)
	}
}

func TestContextLines(t *testing.T) {
	t.Parallel()
	dir := module(t, map[string]string{"m.go": discardedSrc})
	r := runLeakvet(t, dir, "-c=1", "./...")
	checkCode(t, r, driver.ExitFindings)
	for _, want := range []string{"5\tfunc F() {\n", "6\t" + discardedLine + "\n", "7\t\t_ = ctx\n"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("-c=1: output lacks %q: %v", want, r)
		}
	}
}

func TestFix(t *testing.T) {
	t.Parallel()
	dir := module(t, map[string]string{"m.go": discardedSrc})
	file := filepath.Join(dir, "m.go")

	r := runLeakvet(t, dir, "-diff", "./...")
	checkCode(t, r, driver.ExitClean)
	if !strings.Contains(r.stdout, "-"+discardedLine) || !strings.Contains(r.stdout, "+++ ") {
		t.Errorf("-diff: want a unified diff removing %q, got %v", discardedLine, r)
	}
	if data, _ := os.ReadFile(file); string(data) != discardedSrc {
		t.Errorf("-diff changed the file:\n%s", data)
	}

	r = runLeakvet(t, dir, "-fix", "./...")
	checkCode(t, r, driver.ExitClean)
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), discardedLine) {
		t.Fatalf("-fix left the file unchanged: %v", r)
	}
	// The fixed module builds and has nothing left to report.
	checkCode(t, runIn(t, dir, testEnv(), "go", "build", "./..."), 0)
	r = runLeakvet(t, dir, "./...")
	checkCode(t, r, driver.ExitClean)
}

func TestFixRefusesBrokenPackages(t *testing.T) {
	t.Parallel()
	dir := module(t, map[string]string{
		"m.go":       discardedSrc,
		"bad/bad.go": "package bad\n\nfunc F() int { return \"x\" }\n",
	})
	r := runLeakvet(t, dir, "-fix", "./...")
	checkCode(t, r, driver.ExitFailure)
	checkErrors(t, r)
	if data, _ := os.ReadFile(filepath.Join(dir, "m.go")); string(data) != discardedSrc {
		t.Errorf("-fix edited a module that does not type-check:\n%s", data)
	}
}

func TestExampleFindings(t *testing.T) {
	t.Parallel()
	r := runLeakvet(t, t.TempDir())
	checkCode(t, r, driver.ExitClean)
	if !regexp.MustCompile(`(?m)^example/leaky\.go:\d+:\d+: .*is discarded`).MatchString(r.stdout) {
		t.Errorf("the example's findings are missing: %v", r)
	}
}

// TestFactsVet runs go vet on a package whose finding rests on a fact of
// its dependency: go vet analyzes lib for its facts only (VetxOnly), where
// leakvet runs nothing but the fact producers. app vetted reports its call
// that blocks for good on lib's receive, through the fact, and nothing in
// lib; lib vetted on its own reports its leak. cmd/go keys a vet result
// without VetxOnly (for any vet tool, cmd/vet too: a facts-only run's
// result later stands for the package's own vet run, and the other way
// round), so each run gets a module whose lib is its own.
func TestFactsVet(t *testing.T) {
	t.Parallel()
	mod := func(variant string) string {
		return module(t, map[string]string{
			"lib/lib.go": `package lib

// Await blocks until ready is closed.
func Await(ready chan struct{}) { <-ready }

func Leak() {
	ch := make(chan int)
	go func() { ch <- 1 }()
}

// ` + variant + "\n",
			"app/app.go": `package app

import "example.com/m/lib"

func Start() {
	ready := make(chan struct{})
	lib.Await(ready)
}
`,
		})
	}
	r := goVet(t, mod(t.Name()+" app"), "./app")
	checkCode(t, r, 1)
	if !regexp.MustCompile(`(?m)app\.go:7:11: lib\.Await, which receives from the channel passed to it, blocks forever`).MatchString(r.stderr) {
		t.Errorf("go vet ./app: want the finding at app.go:7:11 from lib's fact, got %v", r)
	}
	if strings.Contains(r.stderr, "lib.go") {
		t.Errorf("go vet ./app reported in lib, a dependency: %v", r)
	}
	r = goVet(t, mod(t.Name()+" lib"), "./lib")
	checkCode(t, r, 1)
	if !regexp.MustCompile(`(?m)lib\.go:8:17: this goroutine blocks forever sending on ch`).MatchString(r.stderr) {
		t.Errorf("go vet ./lib: want lib's own leak at lib.go:8:17, got %v", r)
	}
}
