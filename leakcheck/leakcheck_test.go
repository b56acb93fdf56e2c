package leakcheck

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// buildLeaky builds the test binary of testdata/leaky, with or without the
// goroutineleakprofile experiment.
func buildLeaky(t *testing.T, experiment bool) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "leaky.test")
	cmd := exec.Command("go", "test", "-c", "-o", bin, "./testdata/leaky")
	cmd.Env = os.Environ()
	if experiment {
		cmd.Env = append(cmd.Env, "GOEXPERIMENT=goroutineleakprofile")
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building testdata/leaky: %v\n%s", err, out)
	}
	return bin
}

func runLeaky(t *testing.T, bin string, env []string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	code := 0
	if exit, ok := err.(*exec.ExitError); ok {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return string(out), code
}

const mainTests = "-test.run=^(TestBlockedSend|TestSleeper|TestFinishing|TestIgnored)$"

func TestMainReports(t *testing.T) {
	t.Parallel()
	for _, experiment := range []bool{true, false} {
		bin := buildLeaky(t, experiment)
		out, code := runLeaky(t, bin, nil, mainTests)
		if code != 1 {
			t.Fatalf("experiment=%v: want exit 1, got %d:\n%s", experiment, code, out)
		}
		sendState := "chan send] suspected: still alive"
		if experiment {
			sendState = "chan send] proven: the GC found it can never wake"
		}
		for _, want := range []string{
			"leakcheck: 2 leaked goroutines after the tests ran:",
			sendState,
			"blocked at github.com/leakvet/leakvet/leakcheck/testdata/leaky.TestBlockedSend.func1 (/",
			"/leaky/leaky_test.go:22)",
			"created by github.com/leakvet/leakvet/leakcheck/testdata/leaky.TestBlockedSend (/",
			"/leaky/leaky_test.go:21)",
			"sleep] suspected: still alive",
			"/leaky/leaky_test.go:28)",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("experiment=%v: output lacks %q:\n%s", experiment, want, out)
			}
		}
		if strings.Contains(out, "TestFinishing") || strings.Contains(out, "leaky.ignored") {
			t.Errorf("experiment=%v: reports a finishing or ignored goroutine:\n%s", experiment, out)
		}
	}
}

func TestMainJSON(t *testing.T) {
	t.Parallel()
	bin := buildLeaky(t, true)
	sink := filepath.Join(t.TempDir(), "leaks.jsonl")
	out, code := runLeaky(t, bin, []string{JSONEnv + "=" + sink, archEnv + "=arm64"}, mainTests)
	if code != 0 {
		t.Fatalf("with %s set the binary must not fail on leaks: exit %d\n%s", JSONEnv, code, out)
	}
	data, err := os.ReadFile(sink)
	if err != nil {
		t.Fatal(err)
	}
	var leaks []Leak
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		var l Leak
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("bad JSON line %q: %v", sc.Text(), err)
		}
		leaks = append(leaks, l)
	}
	if len(leaks) != 2 {
		t.Fatalf("want 2 records, got %d:\n%s", len(leaks), data)
	}
	// The records come in the dump's order, which depends on the
	// scheduler: find them by what they wait for.
	send, sleep := leaks[0], leaks[1]
	if send.State != "chan send" {
		send, sleep = sleep, send
	}
	if send.State != "chan send" || !send.Proven || send.Blocking.Line != 22 || send.CreatedBy.Line != 21 ||
		send.Package != "github.com/leakvet/leakvet/leakcheck/testdata/leaky" || send.GOARCH != "arm64" ||
		!strings.HasSuffix(send.Blocking.File, "/leaky/leaky_test.go") || len(send.Stack) == 0 {
		t.Errorf("blocked send record: %+v", send)
	}
	if sleep.State != "sleep" || sleep.Proven || sleep.Blocking.Line != 28 {
		t.Errorf("sleeper record: %+v", sleep)
	}
}

func TestCheckReports(t *testing.T) {
	t.Parallel()
	bin := buildLeaky(t, true)
	out, code := runLeaky(t, bin, []string{"LEAKY_CHECK=1"}, "-test.run=^TestCheck$")
	if code != 1 {
		t.Fatalf("want exit 1, got %d:\n%s", code, out)
	}
	if !strings.Contains(out, "--- FAIL: TestCheck/sub") || !strings.Contains(out, "leakcheck: 1 leaked goroutine:") ||
		!regexp.MustCompile(`chan send\] proven.*\n\s+blocked at \S+TestCheck.func2.1 \(\S+leaky_test.go:54\)`).MatchString(out) {
		t.Errorf("Check's failure does not list the leak:\n%s", out)
	}
	if strings.Contains(out, "leaky_test.go:48") {
		t.Errorf("Check reports a goroutine present before IgnoreCurrent:\n%s", out)
	}
}
