package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/leakvet/leakvet"
	"github.com/leakvet/leakvet/internal/driver"
	"github.com/leakvet/leakvet/internal/verify"
)

// verifyExpectations is THE expected join of the end-to-end test: one row
// per "// LEAK <name>" marker in testdata/verify/leaks.go, the same on
// every architecture.
//
// A row whose pass is not registered in leakvet.Analyzers must say
// "missed": the test checks that too.
var verifyExpectations = []struct {
	leak    string // the marker's name
	pass    string // the pass that reports (or will report) it
	runtime string // how leakcheck sees it: "proven", "suspected", or "" for no leaked goroutine
	join    string // confirmed, missed or not observed
	n       int    // how many of the pass's findings name the leak's line (0: one)
}{
	{"blocked-send", "chanblock", "proven", verify.StatusConfirmed, 0},
	{"never-closed-range", "chanblock", "proven", verify.StatusConfirmed, 0},
	// Two findings: the rule's at the path that skips Done (naming the
	// Wait), and the explorer's at the Wait, where the goroutine blocks
	// on TestRunAll's schedule.
	{"waitgroup", "wgbalance", "proven", verify.StatusConfirmed, 2},
	{"select-nil", "selectnil", "proven", verify.StatusConfirmed, 0},
	// The ticker's runtime timer still holds t.C, so the GC cannot prove
	// the goroutine stuck: leakcheck only sees it still alive.
	{"ticker-loop", "timerstop", "suspected", verify.StatusConfirmed, 0},
	// A goroutine blocked in sync.Mutex.Lock: the GC proves it as it
	// proves one blocked on a channel.
	{"double-lock", "lockblock", "proven", verify.StatusConfirmed, 0},
	// No runtime witness: a lost cancel leaks a context and its timer
	// (until the timeout), never a goroutine.
	{"lost-cancel", "ctxcancel", "", verify.StatusNotObserved, 0},
	// No runtime witness: no test calls Pulse.
	{"untested-ticker", "timerstop", "", verify.StatusNotObserved, 0},
}

// verifyModule copies testdata/verify to a new temporary module.
func verifyModule(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join("testdata", "verify")
	err := filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if rel == "go.mod.txt" {
			rel = "go.mod"
		}
		dst := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// leakMarkers returns the line of each "// LEAK name" in the file.
func leakMarkers(t *testing.T, file string) map[string]int {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := make(map[string]int)
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		if _, name, ok := strings.Cut(sc.Text(), "// LEAK "); ok {
			out[strings.TrimSpace(name)] = n
		}
	}
	return out
}

// otherArch returns the architecture the e2e test runs under qemu, and
// whether qemu-user for it is installed.
func otherArch() (string, bool) {
	other := "arm64"
	if runtime.GOARCH == "arm64" {
		other = "amd64"
	}
	_, err := verify.Emulator(other)
	return other, err == nil
}

// TestVerifyEndToEnd runs 'leakvet verify -json -arch HOST,OTHER ./...' on
// the example module, as a user would, and checks the exact join on each
// architecture against verifyExpectations.
func TestVerifyEndToEnd(t *testing.T) {
	t.Parallel()
	dir := verifyModule(t)
	markers := leakMarkers(t, filepath.Join(dir, "leaks.go"))
	registered := make(map[string]bool)
	for _, a := range leakvet.Analyzers() {
		registered[a.Name] = true
	}
	for _, row := range verifyExpectations {
		if _, ok := markers[row.leak]; !ok {
			t.Fatalf("no // LEAK %s marker in testdata/verify/leaks.go", row.leak)
		}
		if row.join == verify.StatusMissed && registered[row.pass] {
			t.Errorf("pass %s is registered now: set the join of row %q of verifyExpectations to %q", row.pass, row.leak, verify.StatusConfirmed)
		}
	}
	if len(markers) != len(verifyExpectations) {
		t.Errorf("leaks.go has %d LEAK markers, verifyExpectations %d rows", len(markers), len(verifyExpectations))
	}

	archs := []string{runtime.GOARCH}
	other, haveQemu := otherArch()
	if haveQemu {
		archs = append(archs, other)
	}
	r := runLeakvet(t, dir, "verify", "-json", "-arch", strings.Join(archs, ","), "./...")
	checkCode(t, r, driver.ExitFindings)
	checkNoCrash(t, r)
	if r.stderr != "" {
		t.Errorf("stderr: %v", r)
	}
	var rep verify.Report
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("bad JSON: %v\n%v", err, r)
	}
	if !slices.Equal(rep.Ran, archs) {
		t.Fatalf("ran on %v, want %v", rep.Ran, archs)
	}

	for _, arch := range archs {
		t.Run(arch, func(t *testing.T) { checkJoin(t, &rep, arch, markers) })
	}
	if !haveQemu && os.Getenv("LEAKVET_REQUIRE_QEMU") != "" {
		t.Errorf("LEAKVET_REQUIRE_QEMU is set but qemu-user for %s is not installed", other)
	}
	if !haveQemu {
		t.Run(other, func(t *testing.T) {
			t.Skipf("qemu-user for %s is not installed (Debian: apt-get install qemu-user-static; .ci/run installs it)", other)
		})
	}

	// The package with its own TestMain is not verified, with the fix.
	if len(rep.Unverified) != 1 || rep.Unverified[0].Package != "example.com/verifydemo/custommain" ||
		!strings.Contains(rep.Unverified[0].Reason, "its TestMain (./custommain/custommain_test.go:8)") ||
		!strings.Contains(rep.Unverified[0].Reason, "leakcheck.Main(m) in place of os.Exit(m.Run())") {
		t.Errorf("unverified: %+v", rep.Unverified)
	}
}

// checkJoin checks the report for one architecture against the table.
func checkJoin(t *testing.T, rep *verify.Report, arch string, markers map[string]int) {
	wantFindings, wantMissed := 0, 0
	for _, row := range verifyExpectations {
		line := markers[row.leak]
		at := fmt.Sprintf("./leaks.go:%d", line)

		var found *verify.Finding
		var all []*verify.Finding
		for _, f := range rep.Findings {
			if f.Pass != row.pass {
				continue
			}
			for _, p := range append([]string{f.Posn}, f.Related...) {
				if strings.HasPrefix(p, at+":") {
					found = f
					all = append(all, f)
					break
				}
			}
		}
		if n := max(row.n, 1); found != nil && len(all) != n {
			t.Errorf("%s: %d %s findings name %s, want %d", row.leak, len(all), row.pass, at, n)
		}
		var leak *verify.Leak
		for _, g := range rep.Missed {
			if g.Blocking.File == "./leaks.go" && g.Blocking.Line == line && slices.Contains(g.Archs, arch) {
				leak = g
			}
		}
		if found != nil {
			for _, g := range found.Leaks {
				if g.Blocking.File == "./leaks.go" && g.Blocking.Line == line && slices.Contains(g.Archs, arch) {
					leak = g
				}
			}
		}

		switch row.join {
		case verify.StatusMissed:
			wantMissed++
			if found != nil {
				t.Errorf("%s: want no %s finding, got %s: %s", row.leak, row.pass, found.Posn, found.Message)
			}
			if leak == nil || !slices.Contains(rep.Missed, leak) {
				t.Errorf("%s: want a missed runtime leak blocked at %s on %s", row.leak, at, arch)
			}
		default:
			wantFindings += max(row.n, 1)
			for _, f := range all {
				if f.ByArch[arch] != row.join {
					t.Errorf("%s: the %s finding at %s is %q on %s, want %q", row.leak, row.pass, f.Posn, f.ByArch[arch], arch, row.join)
				}
			}
			if found == nil {
				t.Errorf("%s: no %s finding at %s", row.leak, row.pass, at)
				continue
			}
			if found.ByArch[arch] != row.join {
				t.Errorf("%s: the %s finding at %s is %q on %s, want %q", row.leak, row.pass, found.Posn, found.ByArch[arch], arch, row.join)
			}
			if row.join == verify.StatusConfirmed && leak == nil {
				t.Errorf("%s: the confirmed finding lists no leak blocked at %s on %s", row.leak, at, arch)
			}
		}
		switch {
		case row.runtime == "" && leak != nil:
			t.Errorf("%s: want no runtime leak, got %+v", row.leak, leak)
		case row.runtime != "" && leak != nil && leak.Proven != (row.runtime == "proven"):
			t.Errorf("%s: leak proven=%v, want %s", row.leak, leak.Proven, row.runtime)
		}
	}
	missed := 0
	for _, g := range rep.Missed {
		if slices.Contains(g.Archs, arch) {
			missed++
		}
	}
	inLeaks := 0
	for _, f := range rep.Findings {
		switch {
		case strings.HasPrefix(f.Posn, "./leaks.go:"):
			inLeaks++
		case strings.HasPrefix(f.Posn, "./custommain/custommain.go:7:"):
			// selectnil's empty-select in the package whose own TestMain
			// keeps verify out: never observed
			if f.ByArch[arch] != verify.StatusNotObserved {
				t.Errorf("the finding in custommain is %q on %s, want %q", f.ByArch[arch], arch, verify.StatusNotObserved)
			}
		default:
			t.Errorf("unexpected finding %s: %s", f.Posn, f.Message)
		}
	}
	if inLeaks != wantFindings || missed != wantMissed {
		t.Errorf("on %s: %d findings and %d missed leaks, want %d and %d (a leak or finding not in the table?)",
			arch, inLeaks, missed, wantFindings, wantMissed)
	}
}

// TestVerifyInjection checks how verify collects leaks from packages of a
// module on an old language version (the injected leakcheck must compile
// there): a package with internal tests, one with only external tests (its
// TestMain goes in the _test package), one without tests, and one with a
// TestMain of its own, which is not run and gets the fix.
func TestVerifyInjection(t *testing.T) {
	t.Parallel()
	dir := module(t, map[string]string{
		"in/in.go":            "package in\n\nfunc Spawn() { go func() { select {} }() }\n",
		"in/in_test.go":       "package in\n\nimport \"testing\"\n\nfunc TestSpawn(t *testing.T) { Spawn() }\n",
		"ex/ex.go":            "package ex\n\nfunc Spawn() {\n\tch := make(chan int)\n\tgo func() { ch <- 1 }()\n}\n",
		"ex/ex_test.go":       "package ex_test\n\nimport (\n\t\"testing\"\n\n\t\"example.com/m/ex\"\n)\n\nfunc TestSpawn(t *testing.T) { ex.Spawn() }\n",
		"none/none.go":        "package none\n",
		"fails/fails.go":      "package fails\n\nfunc Spawn() { go func() { select {} }() }\n",
		"fails/fails_test.go": "package fails\n\nimport \"testing\"\n\nfunc TestSpawn(t *testing.T) {\n\tSpawn()\n\tt.Error(\"fails\")\n}\n",
		"own/own.go":          "package own\n\nfunc Spawn() { go func() { select {} }() }\n",
		"own/own_test.go":     "package own\n\nimport (\n\t\"os\"\n\t\"testing\"\n)\n\nfunc TestMain(m *testing.M) { os.Exit(m.Run()) }\n\nfunc TestSpawn(t *testing.T) { Spawn() }\n",
	})
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/m\n\ngo 1.18\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runLeakvet(t, dir, "verify", "./...")
	checkCode(t, r, driver.ExitFindings)
	checkNoCrash(t, r)
	for _, want := range []string{
		"confirmed     ./in/in.go:3:28: selectnil: empty select blocks this goroutine forever",
		"              goroutine [select (no cases), proven] blocked at ./in/in.go:3 in in.Spawn.func1, started at ./in/in.go:3 (" + runtime.GOARCH + ")\n",
		"confirmed     ./ex/ex.go:5:17: chanblock: this goroutine blocks forever sending on ch when Spawn returns at line 6 without receiving from it",
		"              goroutine [chan send, proven] blocked at ./ex/ex.go:5 in ex.Spawn.func1, started at ./ex/ex.go:5 (" + runtime.GOARCH + ")\n",
		"not verified  example.com/m/own: its TestMain (./own/own_test.go:8) runs the tests itself; to verify it, go get github.com/leakvet/leakvet/leakcheck and end TestMain with leakcheck.Main(m) in place of os.Exit(m.Run())\n",
		"not observed  ./own/own.go:3:28: selectnil: empty select blocks this goroutine forever",
		"              goroutine [select (no cases), proven] blocked at ./fails/fails.go:3 in fails.Spawn.func1, started at ./fails/fails.go:3 (" + runtime.GOARCH + ")\n",
		"verify on " + runtime.GOARCH + ": 3 confirmed, 0 missed, 1 not observed, 1 not verified\n",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("output lacks %q: %v", want, r)
		}
	}
	// A failing test is said in one line; its leaks are still reported.
	if want := "leakvet: verify: " + runtime.GOARCH + ": tests of example.com/m/fails failed; the leaks they left are still reported\n"; r.stderr != want {
		t.Errorf("stderr: want %q, got %v", want, r)
	}
	if strings.Contains(r.stdout, "blocked at ./own/own.go") {
		t.Errorf("the package with its own TestMain was run: %v", r)
	}
	// Nothing of the injection is left in the module.
	if _, err := os.Stat(filepath.Join(dir, verify.InjectedPackageDir)); err == nil {
		t.Errorf("%s was written into the module", verify.InjectedPackageDir)
	}
}

func TestVerifyBadInput(t *testing.T) {
	t.Parallel()
	dir := module(t, map[string]string{"m.go": cleanSrc})
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"verify", "-arch=mips", "./..."}, `invalid value "mips" for flag -arch`},
		{[]string{"verify", "-format=xml"}, `invalid value "xml" for flag -format`},
		{[]string{"verify", "-json", "-format=sarif"}, "-json cannot be combined with -format=sarif"},
		{[]string{"verify", "-nosuch"}, "flag provided but not defined: -nosuch"},
		{[]string{"verify", "./...", "-json"}, "flag -json after the package patterns"},
		{[]string{"-json", "verify"}, "flags for verify come after it"},
		{[]string{"verify", "./nope"}, "nope"},
		{[]string{"verify", "example.com/missing/pkg"}, "example.com/missing/pkg"},
	} {
		checkFailure(t, runLeakvet(t, dir, tc.args...), tc.args, tc.want)
	}
}

// TestVerifyBuildFailure: tests that do not compile are verify's failure
// (exit 2, "leakvet: " lines), not a clean run.
func TestVerifyBuildFailure(t *testing.T) {
	t.Parallel()
	dir := module(t, map[string]string{
		"m.go":      cleanSrc,
		"m_test.go": "package m\n\nimport \"testing\"\n\nfunc TestF(t *testing.T) { F(1) }\n",
	})
	r := runLeakvet(t, dir, "verify", "./...")
	checkCode(t, r, driver.ExitFailure)
	checkErrors(t, r)
	if r.stdout != "" {
		t.Errorf("a report for tests that did not run: %v", r)
	}
	if !strings.Contains(r.stderr, "m_test.go:5:") {
		t.Errorf("the compile error is not reported: %v", r)
	}
}

func TestVerifyHelp(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"verify", "-h"}, {"help", "verify"}} {
		r := runLeakvet(t, t.TempDir(), args...)
		checkCode(t, r, driver.ExitClean)
		for _, want := range []string{"leakvet verify [flags] [packages]", "confirmed", "missed", "not observed",
			"-arch architectures", "-format format", "-json", "qemu", "Exit status"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("leakvet %s lacks %q:\n%s", strings.Join(args, " "), want, r.stdout)
			}
		}
	}
	r := runLeakvet(t, t.TempDir(), "-h")
	if !strings.Contains(r.stdout, "leakvet verify [flags] [pkgs]") {
		t.Errorf("leakvet -h does not list verify:\n%s", r.stdout)
	}
}

// TestQemuMissing runs verify for another architecture with a PATH that
// has the go command but no qemu: one line says so, and the host's
// architecture still runs.
func TestQemuMissing(t *testing.T) {
	t.Parallel()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	if err := os.Symlink(goBin, filepath.Join(bin, "go")); err != nil {
		t.Fatal(err)
	}
	dir := module(t, map[string]string{
		"m.go":      cleanSrc,
		"m_test.go": "package m\n\nimport \"testing\"\n\nfunc TestF(t *testing.T) { F(t.Context()) }\n",
	})
	other, _ := otherArch()
	env := testEnv("PATH=" + bin)
	r := runIn(t, dir, env, leakvetBin, "verify", "-arch", runtime.GOARCH+","+other, "./...")
	checkCode(t, r, driver.ExitClean)
	want := fmt.Sprintf("leakvet: verify: %s: qemu-%s-static not found on PATH", other, verify.QemuArch(other))
	if strings.Count(r.stderr, "\n") != 1 || !strings.HasPrefix(r.stderr, want) {
		t.Errorf("want one line %q..., got %v", want, r)
	}
}
