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
