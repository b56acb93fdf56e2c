package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakvet/leakvet/internal/driver"
	"github.com/leakvet/leakvet/internal/report"
	"github.com/leakvet/leakvet/internal/report/sariftest"
)

func TestBaseline(t *testing.T) {
	t.Parallel()
	dir := module(t, map[string]string{"m.go": twiceSrc})
	base := filepath.Join(t.TempDir(), "leakvet-baseline.json")

	r := runLeakvet(t, dir, "-write-baseline="+base, "./...")
	checkCode(t, r, driver.ExitClean)
	if r.stdout != "" || r.stderr != "leakvet: recorded 3 findings in "+base+"\n" {
		t.Errorf("-write-baseline: %v", r)
	}
	data, err := os.ReadFile(base)
	if err != nil {
		t.Fatal(err)
	}
	var b report.BaselineFile
	if err := json.Unmarshal(data, &b); err != nil {
		t.Fatal(err)
	}
	// Two entries: F's two identical discards counted as 2, G's leak with
	// its line number normalised.
	if b.Version != report.BaselineVersion || len(b.Findings) != 2 || b.Findings[0].Count != 2 ||
		b.Findings[0].Function != "example.com/m.F" || !strings.Contains(b.Findings[1].Message, "returns at line N") {
		t.Errorf("baseline file:\n%s", data)
	}
	// Writing it again gives the same bytes: stable for review.
	runLeakvet(t, dir, "-write-baseline="+base, "./...")
	if again, _ := os.ReadFile(base); string(again) != string(data) {
		t.Errorf("baseline not stable:\n%s\n%s", data, again)
	}

	for _, format := range report.Formats() {
		r = runLeakvet(t, dir, "-baseline="+base, "-format="+format, "./...")
		checkCode(t, r, driver.ExitClean)
		if reported(t, format, r.stdout, "context.WithCancel") != 0 {
			t.Errorf("-format=%s: a recorded finding is reported: %v", format, r)
		}
	}

	// Lines move, the findings stay recorded.
	moved := strings.Replace(twiceSrc, "func F() {", "func Unrelated() {}\n\nfunc F() {", 1)
	writeFile(t, filepath.Join(dir, "m.go"), moved)
	r = runLeakvet(t, dir, "-baseline="+base, "./...")
	checkCode(t, r, driver.ExitClean)

	// A third identical discard in F is new, and is the one reported.
	third := strings.Replace(moved, "\t_ = ctx\n}", "\tctx, _ = context.WithCancel(ctx)\n\t_ = ctx\n}", 1)
	writeFile(t, filepath.Join(dir, "m.go"), third)
	for _, format := range report.Formats() {
		r = runLeakvet(t, dir, "-baseline="+base, "-format="+format, "./...")
		checkCode(t, r, driver.ExitFindings)
		if n := reported(t, format, r.stdout, "is discarded"); n != 1 {
			t.Errorf("-format=%s: want the one new finding, got %d: %v", format, n, r)
		}
	}
	r = runLeakvet(t, dir, "-baseline="+base, "./...")
	if !strings.HasPrefix(r.stdout, "./m.go:10:") {
		t.Errorf("want the third discard (line 10) reported: %v", r)
	}
}

func TestBaselineErrors(t *testing.T) {
	t.Parallel()
	dir := module(t, map[string]string{"m.go": discardedSrc})
	tmp := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(tmp, name)
		writeFile(t, p, content)
		return p
	}
	unreadable := filepath.Join(tmp, "dir.json")
	if err := os.Mkdir(unreadable, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-baseline=" + filepath.Join(tmp, "nope.json")}, "does not exist (create it with -write-baseline="},
		{[]string{"-baseline=" + unreadable}, "cannot read baseline"},
		{[]string{"-baseline=" + write("corrupt.json", `{"version": 1, "findings": [`)}, "is not a leakvet baseline"},
		{[]string{"-baseline=" + write("other.json", `{"version": 2, "tool": "leakvet", "findings": []}`)}, "version 2"},
		{[]string{"-baseline=" + write("extra.json", `{"version": 1, "tool": "leakvet", "findings": [], "x": 1}`)}, "unknown field"},
		{[]string{"-baseline=" + write("zero.json", `{"version": 1, "tool": "leakvet", "findings": [{"pass": "p", "message": "m", "count": 0}]}`)}, "count below 1"},
		{[]string{"-write-baseline=" + filepath.Join(tmp, "no", "such", "dir.json")}, "cannot write baseline"},
		{[]string{"-write-baseline=x.json", "-o", "y"}, "cannot be combined with -o"},
		{[]string{"-baseline=x.json", "-fix"}, "-baseline cannot be combined with -fix"},
	} {
		r := runLeakvet(t, dir, append(tc.args, "./...")...)
		checkFailure(t, r, tc.args, tc.want)
		if strings.Count(r.stderr, "leakvet: ") != 1 {
			t.Errorf("leakvet %s: want one error line, got %v", strings.Join(tc.args, " "), r)
		}
	}
}

// reported counts the findings in output of format whose message contains
// substr.
func reported(t *testing.T, format, output, substr string) int {
	t.Helper()
	if format != "sarif" {
		return strings.Count(output, substr)
	}
	n := 0
	for _, res := range sariftest.JPath(t, sariftest.Validate(t, []byte(output)), "runs", 0, "results").([]any) {
		if strings.Contains(sariftest.JPath(t, res, "message", "text").(string), substr) {
			n++
		}
	}
	return n
}
