package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/leakvet/leakvet/internal/driver"
	"github.com/leakvet/leakvet/internal/report"
	"github.com/leakvet/leakvet/internal/report/sariftest"
)

func TestGitHubFormat(t *testing.T) {
	t.Parallel()
	dir := exampleModule(t)
	r := runLeakvetEnv(t, dir, []string{"GITHUB_WORKSPACE=" + filepath.Dir(dir)}, "-format=github", "./...")
	checkCode(t, r, driver.ExitFindings)
	// One annotation per finding, named relative to the workspace, and
	// the related lines escaped into its message.
	line := regexp.MustCompile(`^::error file=example/\w+\.go,line=\d+,col=\d+(,endLine=\d+(,endColumn=\d+)?)?,title=leakvet \w+/[a-z-]+::[^\n:][^\n]*$`)
	n := 0
	for l := range strings.Lines(r.stdout) {
		n++
		if !line.MatchString(strings.TrimSuffix(l, "\n")) {
			t.Errorf("not a workflow command of the expected shape: %q", l)
		}
	}
	text := runLeakvetEnv(t, dir, nil, "./...")
	if want := len(regexp.MustCompile(`(?m)^\./\S+: [^\t]`).FindAllString(text.stdout, -1)); n != want {
		t.Errorf("%d annotations, want %d findings", n, want)
	}
	if !strings.Contains(r.stdout, "%0Aexample/leaky.go:24:3: this path returns without calling cancel") {
		t.Errorf("related information missing from the annotation:\n%s", r.stdout)
	}
}

func TestOutputFlagErrors(t *testing.T) {
	t.Parallel()
	dir := module(t, map[string]string{"m.go": discardedSrc})
	readOnly := filepath.Join(t.TempDir(), "ro")
	if err := os.Mkdir(readOnly, 0o555); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-format=xml"}, `invalid value "xml" for flag -format: want text, json, sarif or github`},
		{[]string{"-json", "-format=sarif"}, "-json is -format=json: it cannot be combined with -format=sarif"},
		{[]string{"-format=sarif", "-diff"}, "-format=sarif cannot be combined with -fix or -diff"},
		{[]string{"-o", filepath.Join(dir, "no", "such", "dir", "out.sarif")}, "cannot write the findings: open "},
		{[]string{"-o", dir}, "cannot write the findings: open "},
	} {
		checkFailure(t, runLeakvet(t, dir, append(tc.args, "./...")...), tc.args, tc.want)
	}
}

// TestExitStatusEveryFormat checks 0 for no findings and 1 for findings in
// every format, with and without -o, and 2 when a package fails to load.
func TestExitStatusEveryFormat(t *testing.T) {
	t.Parallel()
	clean := module(t, map[string]string{"m.go": cleanSrc})
	dirty := module(t, map[string]string{"m.go": discardedSrc})
	broken := module(t, map[string]string{"m.go": "package m\n\nfunc F() int { return \"x\" }\n"})
	for _, format := range report.Formats() {
		for _, tc := range []struct {
			dir  string
			code int
		}{{clean, driver.ExitClean}, {dirty, driver.ExitFindings}, {broken, driver.ExitFailure}} {
			out := filepath.Join(t.TempDir(), "out")
			r := runLeakvet(t, tc.dir, "-format="+format, "-o", out, "./...")
			checkCode(t, r, tc.code)
			if _, err := os.Stat(out); err != nil {
				t.Errorf("-format=%s -o: file not written: %v", format, err)
			}
			if format == "sarif" {
				data, _ := os.ReadFile(out)
				sariftest.Validate(t, data)
			}
		}
	}
}
