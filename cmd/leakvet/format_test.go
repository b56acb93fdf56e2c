package main

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/leakvet/leakvet"
	"github.com/leakvet/leakvet/internal/docutil"
	"github.com/leakvet/leakvet/internal/driver"
	"github.com/leakvet/leakvet/internal/report"
	"github.com/leakvet/leakvet/internal/report/sariftest"
)

// exampleModule writes the built-in example module (leaks of every pass,
// with related information) to a new temporary directory.
func exampleModule(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "example")
	if err := driver.WriteExample(example(), dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

// runLeakvetEnv runs leakvet in dir with extra environment, outside any
// GitHub workspace unless extra says otherwise.
func runLeakvetEnv(t *testing.T, dir string, extra []string, args ...string) result {
	t.Helper()
	return runIn(t, dir, testEnv(append([]string{"GITHUB_WORKSPACE="}, extra...)...), leakvetBin, args...)
}

func TestSARIF(t *testing.T) {
	t.Parallel()
	dir := exampleModule(t)
	out := filepath.Join(t.TempDir(), "leakvet.sarif")
	r := runLeakvetEnv(t, dir, nil, "-format=sarif", "-o", out, "./...")
	checkCode(t, r, driver.ExitFindings)
	if r.stdout != "" || r.stderr != "" {
		t.Errorf("with -o, want no output: %v", r)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	log := sariftest.Validate(t, data)

	// What GitHub code scanning requires.
	if v := sariftest.JPath(t, log, "version"); v != "2.1.0" {
		t.Errorf("version = %v", v)
	}
	if n := sariftest.JPath(t, log, "runs", 0, "tool", "driver", "name"); n != "leakvet" {
		t.Errorf("driver name = %v", n)
	}
	rules := sariftest.JPath(t, log, "runs", 0, "tool", "driver", "rules").([]any)
	ruleIDs := map[string]int{}
	for i, rule := range rules {
		ruleIDs[sariftest.JPath(t, rule, "id").(string)] = i
	}
	// A rule per pass and category, its help the text of 'leakvet help PASS'.
	for _, a := range leakvet.Analyzers() {
		help := runLeakvet(t, t.TempDir(), "help", a.Name)
		checkCode(t, help, driver.ExitClean)
		cats := docutil.Categories(a.Doc)
		if len(cats) == 0 {
			t.Errorf("%s: doc.go lists no categories", a.Name)
		}
		for _, cat := range cats {
			id := a.Name + "/" + cat.Name
			i, ok := ruleIDs[id]
			if !ok {
				t.Errorf("no rule %s", id)
				continue
			}
			if got := sariftest.JPath(t, rules[i], "help", "text"); got != help.stdout {
				t.Errorf("rule %s: help text is not 'leakvet help %s':\n%v", id, a.Name, got)
			}
			if got := sariftest.JPath(t, rules[i], "shortDescription", "text"); got != cat.Text {
				t.Errorf("rule %s: shortDescription %q, want %q", id, got, cat.Text)
			}
		}
	}

	results := sariftest.JPath(t, log, "runs", 0, "results").([]any)
	text := runLeakvetEnv(t, dir, nil, "./...")
	if want := len(regexp.MustCompile(`(?m)^\./\S+: [^\t]`).FindAllString(text.stdout, -1)); len(results) != want || want == 0 {
		t.Fatalf("%d results, want the %d findings of the text output:\n%s", len(results), want, text.stdout)
	}
	related := 0
	prints := map[string]bool{}
	for _, res := range results {
		id := sariftest.JPath(t, res, "ruleId").(string)
		if i, ok := ruleIDs[id]; !ok || sariftest.JPath(t, res, "ruleIndex") != float64(i) {
			t.Errorf("result's rule %s (index %v) is not rule %d", id, sariftest.JPath(t, res, "ruleIndex"), i)
		}
		loc := sariftest.JPath(t, res, "locations", 0, "physicalLocation")
		uri := sariftest.JPath(t, loc, "artifactLocation", "uri").(string)
		if sariftest.JPath(t, loc, "artifactLocation", "uriBaseId") != "%SRCROOT%" || strings.Contains(uri, "/") || !strings.HasSuffix(uri, ".go") {
			t.Errorf("location %v: want a name relative to %%SRCROOT%% (the module, which has no .git above it)", loc)
		}
		if line, _ := sariftest.JPath(t, loc, "region", "startLine").(float64); line < 1 {
			t.Errorf("location %v has no startLine", loc)
		}
		fp, _ := sariftest.JPath(t, res, "partialFingerprints", report.FingerprintKey).(string)
		if fp == "" || prints[fp] {
			t.Errorf("result %s: fingerprint %q missing or not unique", id, fp)
		}
		prints[fp] = true
		if rel, ok := sariftest.JPath(t, res, "relatedLocations").([]any); ok {
			related += len(rel)
			for _, rl := range rel {
				if sariftest.JPath(t, rl, "message", "text") == "" || sariftest.JPath(t, rl, "physicalLocation", "region", "startLine") == nil {
					t.Errorf("related location %v lacks a message or a line", rl)
				}
			}
		}
	}
	// every related line of the text is a related location, but for the
	// "schedule:" header text puts above a witness schedule's steps
	if want := strings.Count(text.stdout, ": \t") - strings.Count(text.stdout, ": \tschedule:\n"); related != want || want == 0 {
		t.Errorf("%d related locations, want the %d related lines of the text output", related, want)
	}

	// Stdout and -o give the same bytes; the exit status does not depend on -o.
	r = runLeakvetEnv(t, dir, nil, "-format=sarif", "./...")
	checkCode(t, r, driver.ExitFindings)
	if r.stdout != string(data) {
		t.Errorf("-o and stdout differ")
	}

	// Under a git repository, names are relative to its root.
	if err := os.Mkdir(filepath.Join(filepath.Dir(dir), ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	r = runLeakvetEnv(t, dir, nil, "-format=sarif", "./...")
	log = sariftest.Validate(t, []byte(r.stdout))
	if uri := sariftest.JPath(t, log, "runs", 0, "results", 0, "locations", 0, "physicalLocation", "artifactLocation", "uri"); !strings.HasPrefix(uri.(string), "example/") {
		t.Errorf("in a repository, uri = %v, want example/...", uri)
	}
}

func TestSARIFClean(t *testing.T) {
	t.Parallel()
	dir := module(t, map[string]string{"m.go": cleanSrc})
	r := runLeakvetEnv(t, dir, nil, "-format=sarif", "./...")
	checkCode(t, r, driver.ExitClean)
	log := sariftest.Validate(t, []byte(r.stdout))
	if res := sariftest.JPath(t, log, "runs", 0, "results").([]any); len(res) != 0 {
		t.Errorf("results on a clean package: %v", res)
	}
}

// fingerprintsOf runs leakvet -format=sarif in dir and returns each
// result's start line and fingerprint.
func fingerprintsOf(t *testing.T, dir string) (lines []int, prints []string) {
	t.Helper()
	r := runLeakvetEnv(t, dir, nil, "-format=sarif", "./...")
	checkCode(t, r, driver.ExitFindings)
	log := sariftest.Validate(t, []byte(r.stdout))
	for _, res := range sariftest.JPath(t, log, "runs", 0, "results").([]any) {
		lines = append(lines, int(sariftest.JPath(t, res, "locations", 0, "physicalLocation", "region", "startLine").(float64)))
		prints = append(prints, sariftest.JPath(t, res, "partialFingerprints", report.FingerprintKey).(string))
	}
	return lines, prints
}

// twiceSrc has two identical findings in one function, and one whose
// message quotes a line number.
const twiceSrc = `package m

import "context"

func F() {
	ctx, _ := context.WithCancel(context.Background())
	ctx, _ = context.WithCancel(ctx)
	_ = ctx
}

func G(ctx context.Context, fail bool) error {
	ctx, cancel := context.WithCancel(ctx)
	if fail {
		return nil
	}
	cancel()
	return ctx.Err()
}
`

func TestFingerprintsSurviveEdits(t *testing.T) {
	t.Parallel()
	dir := module(t, map[string]string{"m.go": twiceSrc})
	lines, prints := fingerprintsOf(t, dir)
	if len(prints) != 3 || prints[0] == prints[1] {
		t.Fatalf("want 3 results with distinct fingerprints, got %v", prints)
	}
	// Unrelated lines above move every finding.
	moved := strings.Replace(twiceSrc, "func F() {", "// Unrelated.\n\nfunc Unrelated() {}\n\nfunc F() {", 1)
	writeFile(t, filepath.Join(dir, "m.go"), moved)
	lines2, prints2 := fingerprintsOf(t, dir)
	if slices.Equal(lines, lines2) {
		t.Fatalf("the edit moved nothing: lines %v", lines)
	}
	if !slices.Equal(prints, prints2) {
		t.Errorf("fingerprints changed when unrelated lines moved:\n%v\n%v", prints, prints2)
	}
}
