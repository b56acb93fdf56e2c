package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/leakvet/leakvet/internal/driver"
)

// TestExample runs plain 'leakvet' and checks it analyzes its example, ends
// with the hint, exits 0 and leaves no temporary directory behind.
func TestExample(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	for _, args := range [][]string{nil, {"example"}} {
		r := runIn(t, t.TempDir(), testEnv("TMPDIR="+tmp), leakvetBin, args...)
		checkCode(t, r, driver.ExitClean)
		checkNoCrash(t, r)
		if r.stderr != "" {
			t.Errorf("leakvet %s: stderr: %v", strings.Join(args, " "), r)
		}
		if !strings.HasSuffix(r.stdout, driver.ExampleHint+"\n") {
			t.Errorf("leakvet %s does not end with the hint: %v", strings.Join(args, " "), r)
		}
		for line := range strings.Lines(r.stdout) {
			if line != driver.ExampleHint+"\n" && !strings.HasPrefix(line, "example/") {
				t.Errorf("leakvet %s: line %q is not relative to the example", strings.Join(args, " "), line)
			}
		}
	}
	entries, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "leakvet-example-") {
			t.Errorf("the example's directory %s was left in TMPDIR", e.Name())
		}
	}
}

func TestExampleJSON(t *testing.T) {
	t.Parallel()
	r := runLeakvet(t, t.TempDir(), "-json", "example")
	checkCode(t, r, driver.ExitClean)
	var tree map[string]map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &tree); err != nil {
		t.Fatalf("-json example: stdout does not parse: %v\n%v", err, r)
	}
	if !strings.Contains(r.stderr, driver.ExampleHint) {
		t.Errorf("-json example: the hint is not on stderr: %v", r)
	}
}

// TestExampleModule checks the embedded example is a module of its own
// that builds, as extracted.
func TestExampleModule(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := driver.WriteExample(example(), dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir + "/go.mod"); err != nil {
		t.Fatalf("go.mod.txt was not written as go.mod: %v", err)
	}
	r := runIn(t, dir, testEnv(), "go", "build", "./...")
	checkCode(t, r, 0)
}
