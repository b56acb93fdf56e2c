package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/leakvet/leakvet/internal/dump"
	"github.com/leakvet/leakvet/internal/verify"
)

// The end-to-end tests of 'leakvet dump' run a real leaking program,
// testdata/dump (the module example.com/leaky), take its goroutine dumps
// and profiles in every form, over HTTP and by SIGQUIT, and run the
// leakvet binary on them as a user would.

// leakyModule copies testdata/dump to a new temporary module and returns
// its directory and the lines of its markers: "LEAK name" at each
// blocking operation, "GO name" at each go statement.
func leakyModule(t *testing.T) (dir string, leak, gostmt map[string]int) {
	t.Helper()
	dir = t.TempDir()
	for _, name := range []string{"main.go", "go.mod.txt", "leaks/leaks.go"} {
		data, err := os.ReadFile(filepath.Join("testdata", "dump", filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		if name == "go.mod.txt" {
			name = "go.mod"
		}
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	src := filepath.Join(dir, "leaks", "leaks.go")
	leak = leakMarkers(t, src)
	gostmt = make(map[string]int)
	data, _ := os.ReadFile(src)
	for i, line := range strings.Split(string(data), "\n") {
		if _, name, ok := strings.Cut(line, "// GO "); ok {
			gostmt[strings.TrimSpace(name)] = i + 1
		}
	}
	if leak["blocked-send"] == 0 || leak["blocked-receive"] == 0 || gostmt["blocked-send"] == 0 {
		t.Fatalf("markers missing: %v %v", leak, gostmt)
	}
	return dir, leak, gostmt
}

// buildLeaky builds the program of dir for goarch with the goroutineleak
// profile on, as verify builds tests. The other architecture's binary is
// built with -trimpath, as a release built elsewhere is: its dumps name
// files example.com/leaky/..., not by their path here.
func buildLeaky(t *testing.T, dir, goarch string) string {
	t.Helper()
	bin := filepath.Join(dir, "leaky-"+goarch)
	args := []string{"build", "-o", bin}
	if goarch != runtime.GOARCH {
		args = append(args, "-trimpath")
	}
	cmd := exec.Command("go", append(args, ".")...)
	cmd.Dir = dir
	cmd.Env = testEnv("GOEXPERIMENT=goroutineleakprofile", "GOARCH="+goarch, "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the leaking program: %v\n%s", err, out)
	}
	return bin
}

// startLeaky starts the program and returns its base URL; it is killed
// when the test ends.
func startLeaky(t *testing.T, bin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the program's address: %v", err)
	}
	return "http://" + strings.TrimSpace(addr)
}

func fetch(t *testing.T, url string) []byte {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET %s: %v %s", url, err, resp.Status)
	}
	return data
}

func writeTestFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// dumpJSON runs leakvet dump -format=json with args in dir and decodes
// the report; the exit code must be want.
func dumpJSON(t *testing.T, dir string, want int, stdin io.Reader, args ...string) *dump.Report {
	t.Helper()
	r := runDump(t, dir, stdin, append([]string{"dump", "-format=json"}, args...)...)
	if r.code != want {
		t.Fatalf("leakvet dump %s: want exit %d\n%s", strings.Join(args, " "), want, r)
	}
	var rep dump.Report
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("decoding the JSON report: %v\n%s", err, r)
	}
	return &rep
}

func runDump(t *testing.T, dir string, stdin io.Reader, args ...string) result {
	t.Helper()
	cmd := exec.Command(leakvetBin, args...)
	cmd.Dir = dir
	cmd.Env = testEnv()
	cmd.Stdin = stdin
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	if exit, ok := err.(*exec.ExitError); ok {
		r.code = exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return r
}

// groupAt returns the group blocked at leaks/leaks.go:line, or nil.
func groupAt(rep *dump.Report, line int) *dump.Group {
	for _, g := range rep.Groups {
		if strings.HasSuffix(g.Blocking.File, "/leaks/leaks.go") && g.Blocking.Line == line && g.Count > 0 {
			return g
		}
	}
	return nil
}

// leakyForm is what a form of dump shows of the leaking program.
type leakyForm struct {
	name      string
	file      string
	form      string
	state     bool // records wait reasons (profiles: inferred from runtime frames)
	createdBy bool // records the go statements
	proven    bool // the goroutineleak profile: the leaks are proven
	age       bool
}

// checkLeakyGroups checks the groups of the program started with -fixed
// 3 -per 4 (and no /tick): 4 senders blocked at blocked-send, 3 receivers
// at blocked-receive.
func checkLeakyGroups(t *testing.T, rep *dump.Report, f leakyForm, leak, gostmt map[string]int, sends int) {
	t.Helper()
	if len(rep.Sources) != 1 || rep.Sources[0].Form != f.form {
		t.Errorf("sources: %+v, want one of form %q", rep.Sources, f.form)
	}
	for _, c := range []struct {
		name  string
		count int
		state string
	}{{"blocked-send", sends, "chan send"}, {"blocked-receive", 3, "chan receive"}} {
		g := groupAt(rep, leak[c.name])
		if g == nil {
			t.Errorf("no group blocked at leaks.go:%d (%s); groups: %s", leak[c.name], c.name, describeGroups(rep))
			continue
		}
		if g.Count != c.count {
			t.Errorf("%s: count %d, want %d", c.name, g.Count, c.count)
		}
		if f.state && g.State != c.state {
			t.Errorf("%s: state %q, want %q", c.name, g.State, c.state)
		}
		if g.Proven != f.proven {
			t.Errorf("%s: proven %v, want %v", c.name, g.Proven, f.proven)
		}
		if f.createdBy && (g.CreatedBy == nil || g.CreatedBy.Line != gostmt[c.name] || !strings.HasSuffix(g.CreatedBy.File, "/leaks/leaks.go")) {
			t.Errorf("%s: created by %+v, want leaks.go:%d", c.name, g.CreatedBy, gostmt[c.name])
		}
		if (g.Age != nil) != f.age {
			t.Errorf("%s: age %+v, want one: %v", c.name, g.Age, f.age)
		}
		if !strings.HasPrefix(g.Blocking.Function, "example.com/leaky/leaks.") || len(g.Stack) == 0 {
			t.Errorf("%s: blocking %+v, stack %d frames", c.name, g.Blocking, len(g.Stack))
		}
	}
	if rep.Groups[0].Count < rep.Groups[len(rep.Groups)-1].Count {
		t.Errorf("groups not sorted by count: %s", describeGroups(rep))
	}
}

func describeGroups(rep *dump.Report) string {
	var b strings.Builder
	for _, g := range rep.Groups {
		fmt.Fprintf(&b, "\n\t%d [%s] %s %s:%d", g.Count, g.State, g.Blocking.Function, g.Blocking.File, g.Blocking.Line)
	}
	return b.String()
}

var buildOnce struct {
	sync.Mutex
	bins map[string]string
}

// leakyBinary builds the leaking program once per architecture for all
// tests.
func leakyBinary(t *testing.T, goarch string) (bin, dir string, leak, gostmt map[string]int) {
	t.Helper()
	dir, leak, gostmt = leakyModule(t)
	buildOnce.Lock()
	defer buildOnce.Unlock()
	if buildOnce.bins == nil {
		buildOnce.bins = make(map[string]string)
	}
	if bin = buildOnce.bins[goarch]; bin == "" {
		// Next to the leakvet binary, removed with it by TestMain.
		keep := filepath.Join(filepath.Dir(leakvetBin), "leaky-"+goarch)
		if err := os.MkdirAll(keep, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.CopyFS(keep, os.DirFS(dir)); err != nil {
			t.Fatal(err)
		}
		bin = buildLeaky(t, keep, goarch)
		buildOnce.bins[goarch] = bin
	}
	return bin, dir, leak, gostmt
}

// TestDumpForms takes the program's dumps in every form leakvet dump
// reads and checks the groups of each: counts, blocking lines, go
// statements, wait reasons and proofs.
func TestDumpForms(t *testing.T) {
	t.Parallel()
	bin, dir, leak, gostmt := leakyBinary(t, runtime.GOARCH)
	base := startLeaky(t, bin, "-fixed", "3", "-per", "4")
	tmp := t.TempDir()

	debug2 := fetch(t, base+"/debug/pprof/goroutine?debug=2")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(debug2)
	zw.Close()
	forms := []leakyForm{
		{name: "debug2", file: writeTestFile(t, tmp, "debug2.txt", debug2), form: dump.FormText, state: true, createdBy: true, age: true},
		{name: "debug2-gzip", file: writeTestFile(t, tmp, "debug2.txt.gz", gz.Bytes()), form: dump.FormText, state: true, createdBy: true, age: true},
		{name: "debug1", file: writeTestFile(t, tmp, "debug1.txt", fetch(t, base+"/debug/pprof/goroutine?debug=1")), form: dump.FormDebug1},
		{name: "protobuf", file: writeTestFile(t, tmp, "goroutine.pb.gz", fetch(t, base+"/debug/pprof/goroutine")), form: dump.FormProfile, state: true},
		{name: "goroutineleak", file: writeTestFile(t, tmp, "goroutineleak.pb.gz", fetch(t, base+"/debug/pprof/goroutineleak")), form: dump.FormLeak, state: true, proven: true},
		{name: "goroutineleak-debug1", file: writeTestFile(t, tmp, "goroutineleak1.txt", fetch(t, base+"/debug/pprof/goroutineleak?debug=1")), form: dump.FormLeakText, proven: true},
		{name: "goroutineleak-debug2", file: writeTestFile(t, tmp, "goroutineleak2.txt", fetch(t, base+"/debug/pprof/goroutineleak?debug=2")), form: dump.FormText, state: true, createdBy: true, proven: true, age: true},
		{name: "sigquit", file: writeTestFile(t, tmp, "sigquit.txt", sigquitDump(t, bin)), form: dump.FormText, state: true, createdBy: true, age: true},
	}
	for _, f := range forms {
		t.Run(f.name, func(t *testing.T) {
			rep := dumpJSON(t, dir, exitFor(f), nil, f.file)
			checkLeakyGroups(t, rep, f, leak, gostmt, 4)
		})
	}
	t.Run("stdin", func(t *testing.T) {
		rep := dumpJSON(t, dir, 0, bytes.NewReader(debug2), "-")
		checkLeakyGroups(t, rep, forms[0], leak, gostmt, 4)
	})
	t.Run("url", func(t *testing.T) {
		// Since the goroutineleak profile was taken, the runtime keeps the
		// goroutines it proved leaked marked "(leaked)" in every dump.
		rep := dumpJSON(t, dir, 1, nil, base+"/debug/pprof/goroutine?debug=2")
		proven := forms[0]
		proven.proven = true
		checkLeakyGroups(t, rep, proven, leak, gostmt, 4)
		rep = dumpJSON(t, dir, 1, nil, base+"/debug/pprof/goroutineleak")
		checkLeakyGroups(t, rep, forms[4], leak, gostmt, 4)
	})
	t.Run("text", func(t *testing.T) {
		r := runDump(t, dir, nil, "dump", forms[0].file)
		if r.code != 0 || r.stderr != "" {
			t.Fatalf("want exit 0, no stderr\n%s", r)
		}
		row := regexp.MustCompile(fmt.Sprintf(`(?m)^4 +<1m +chan send +leaks\.First\.func1 leaks/leaks\.go:%d +leaks/leaks\.go:%d *$`, leak["blocked-send"], gostmt["blocked-send"]))
		if !row.MatchString(r.stdout) || !strings.Contains(r.stdout, "dump: ") {
			t.Errorf("no row %s in\n%s", row, r.stdout)
		}
	})
}

// exitFor is the exit status of leakvet dump on one source without -src:
// 1 when it proves goroutines leaked.
func exitFor(f leakyForm) int {
	if f.proven {
		return 1
	}
	return 0
}

// sigquitDump runs the program with GOTRACEBACK=all, sends it SIGQUIT
// and returns the traceback it prints.
func sigquitDump(t *testing.T, bin string) []byte {
	t.Helper()
	cmd := exec.Command(bin, "-fixed", "3", "-per", "4")
	cmd.Env = append(os.Environ(), "GOTRACEBACK=all")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if _, err := bufio.NewReader(out).ReadString('\n'); err != nil { // serving: the leaks are in place
		t.Fatal(err)
	}
	cmd.Process.Signal(syscall.SIGQUIT)
	cmd.Wait()
	if !strings.HasPrefix(stderr.String(), "SIGQUIT: quit") {
		t.Fatalf("no SIGQUIT traceback:\n%s", stderr.String())
	}
	return stderr.Bytes()
}

// TestDumpGrowthJoined takes two snapshots of the program, 4 leaks apart,
// and checks that the growth is found and joined to chanblock's finding at
// the leaking line, in every output format; then polls the URL with
// -every while the program leaks on its own.
func TestDumpGrowthJoined(t *testing.T) {
	t.Parallel()
	bin, dir, leak, gostmt := leakyBinary(t, runtime.GOARCH)
	base := startLeaky(t, bin, "-fixed", "3", "-per", "4")
	tmp := t.TempDir()
	before := writeTestFile(t, tmp, "before.txt", fetch(t, base+"/debug/pprof/goroutine?debug=2"))
	fetch(t, base+"/tick")
	after := writeTestFile(t, tmp, "after.pb.gz", fetch(t, base+"/debug/pprof/goroutine"))
	afterText := writeTestFile(t, tmp, "after.txt", fetch(t, base+"/debug/pprof/goroutine?debug=2"))

	rep := dumpJSON(t, dir, 1, nil, "-src", "./leaks", before, afterText)
	if !rep.Diff || !rep.Joined || len(rep.Sources) != 2 {
		t.Fatalf("not a joined diff: %+v", rep)
	}
	g := rep.Groups[0] // growing groups come first
	if g.Blocking.Line != leak["blocked-send"] || g.Diff == nil || g.Diff.Before != 4 || g.Count != 8 || g.Diff.Growth != 4 || g.Diff.New {
		t.Fatalf("first group: %+v %+v, want blocked-send growing 4 -> 8%s", g, g.Diff, describeGroups(rep))
	}
	if g.Label != dump.LabelPredicted || g.Match != "line" || len(g.Findings) != 1 {
		t.Fatalf("blocked-send group: label %q match %q findings %v", g.Label, g.Match, g.Findings)
	}
	f := rep.Findings[g.Findings[0]]
	wantPosn := fmt.Sprintf("./leaks/leaks.go:%d:", leak["blocked-send"])
	if f.Pass != "chanblock" || !strings.HasPrefix(f.Posn, wantPosn) || f.Status != dump.StatusObserved || f.Goroutines != 8 {
		t.Errorf("finding: %+v, want chanblock at %s observed with 8 goroutines", f, wantPosn)
	}
	if recv := groupAt(rep, leak["blocked-receive"]); recv == nil || recv.Diff.Growth != 0 || recv.Label != dump.LabelPredicted {
		t.Errorf("blocked-receive: %+v", recv)
	}
	if rep.Summary.Growing < 1 || rep.Summary.Predicted != 2 || rep.Summary.Observed != 2 {
		t.Errorf("summary: %+v", rep.Summary)
	}

	// Mixed forms diff too, with a warning; the wait reasons are inferred
	// from the profile's runtime frames, but it has no go statements, so
	// the join holds by the blocking line.
	r := runDump(t, dir, nil, "dump", "-format=json", "-src", "./leaks", before, after)
	if r.code != 1 || !strings.Contains(r.stderr, "warning: diffing a debug=2 text with a goroutine profile") {
		t.Errorf("mixed forms: %s", r)
	}

	t.Run("text", func(t *testing.T) {
		r := runDump(t, dir, nil, "dump", "-src", "./leaks", before, afterText)
		row := regexp.MustCompile(fmt.Sprintf(`(?m)^8 +\+4 +<1m +chan send +leaks\.First\.func1 leaks/leaks\.go:%d +leaks/leaks\.go:%d +predicted *$`, leak["blocked-send"], gostmt["blocked-send"]))
		if r.code != 1 || !row.MatchString(r.stdout) {
			t.Errorf("want exit 1 and row %s\n%s", row, r)
		}
		if !regexp.MustCompile(`(?m)^observed +\./leaks/leaks\.go:\d+:\d+: chanblock: `).MatchString(r.stdout) {
			t.Errorf("no observed finding line:\n%s", r.stdout)
		}
	})
	t.Run("sarif", func(t *testing.T) {
		r := runDump(t, dir, nil, "dump", "-format=sarif", "-src", "./leaks", before, afterText)
		var log struct {
			Runs []struct {
				Results []struct {
					RuleID    string
					Locations []struct {
						PhysicalLocation struct {
							ArtifactLocation struct{ URI string }
							Region           struct{ StartLine int }
						}
					}
					RelatedLocations []struct{ Message struct{ Text string } }
					Properties       map[string]any
				}
			}
		}
		if err := json.Unmarshal([]byte(r.stdout), &log); err != nil || r.code != 1 {
			t.Fatalf("%v\n%s", err, r)
		}
		found := false
		for _, res := range log.Runs[0].Results {
			loc := res.Locations[0].PhysicalLocation
			if res.RuleID == "dump-goroutines" && loc.ArtifactLocation.URI == "leaks/leaks.go" && loc.Region.StartLine == leak["blocked-send"] {
				found = true
				if res.Properties["leakvet/growth"] != float64(4) || len(res.RelatedLocations) != 2 ||
					!strings.HasPrefix(res.RelatedLocations[1].Message.Text, "predicted by chanblock: ") {
					t.Errorf("result: %+v", res)
				}
			}
		}
		if !found {
			t.Errorf("no dump-goroutines result at leaks/leaks.go:%d:\n%s", leak["blocked-send"], r.stdout)
		}
	})
	t.Run("html", func(t *testing.T) {
		out := filepath.Join(tmp, "report.html")
		r := runDump(t, dir, nil, "dump", "-format=html", "-o", out, "-src", "./leaks", before, afterText)
		if r.code != 1 || r.stdout != "" {
			t.Fatalf("want exit 1 and the report in -o only\n%s", r)
		}
		checkHTML(t, out, leak["blocked-send"])
	})
	t.Run("every", func(t *testing.T) {
		// A program that leaks 2 goroutines every 50ms grows between two
		// polls 500ms apart.
		base := startLeaky(t, bin, "-fixed", "0", "-per", "2", "-auto", "50ms")
		rep := dumpJSON(t, dir, 1, nil, "-every", "500ms", "-n", "3", "-src", "./leaks", base+"/debug/pprof/goroutine?debug=1")
		if len(rep.Sources) != 3 {
			t.Fatalf("want 3 snapshots, got %+v", rep.Sources)
		}
		g := rep.Groups[0]
		if g.Blocking.Line != leak["blocked-send"] || g.Diff == nil || g.Diff.Growth <= 0 || g.Label != dump.LabelPredicted {
			t.Errorf("first group: %+v %+v, want blocked-send growing and predicted", g, g.Diff)
		}
		if len(g.Series) != 3 || g.Series[0] >= g.Series[2] {
			t.Errorf("series %v, want 3 growing counts", g.Series)
		}
	})
}

// checkHTML checks the self-contained report: no external resource, its
// embedded data is the JSON report, one bar per charted group, and, in a
// real headless browser when one is installed, the rendered groups.
func checkHTML(t *testing.T, file string, sendLine int) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	page := string(data)
	for _, bad := range []string{" src=", "href=", "@import", "url("} {
		if strings.Contains(page, bad) {
			t.Errorf("the page refers to something outside it: %q", bad)
		}
	}
	m := regexp.MustCompile(`(?s)<script type="application/json" id="leakvet-data">(.*?)</script>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no leakvet-data block")
	}
	var rep dump.Report
	if err := json.Unmarshal([]byte(m[1]), &rep); err != nil {
		t.Fatalf("the embedded data is not the JSON report: %v", err)
	}
	charted := 0
	for _, g := range rep.Groups {
		if g.Count > 0 && charted < 20 {
			charted++
		}
	}
	if n := strings.Count(page, `<rect class="bar"`); n != charted || n == 0 {
		t.Errorf("%d bars, want one per charted group (%d)", n, charted)
	}
	if !strings.Contains(page, `<rect class="growth"`) || !strings.Contains(page, "<details>") {
		t.Error("no growth bar or no expandable stack")
	}
	if strings.Count(page, `<tr class="group"`) != len(rep.Groups) {
		t.Errorf("want a table row per group (%d)", len(rep.Groups))
	}

	chromium, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("LEAKVET_REQUIRE_CHROMIUM") != "" {
			t.Fatal("LEAKVET_REQUIRE_CHROMIUM is set but chromium is not installed")
		}
		t.Log("chromium is not installed (Debian: apt-get install chromium): the page is checked without a browser")
		return
	}
	cmd := exec.Command(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir="+t.TempDir(),
		"--dump-dom", "file://"+file)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	dom, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium: %v\n%s", err, stderr.String())
	}
	rendered := string(dom)
	rows := regexp.MustCompile(`<tr class="group" data-rank="\d+">`).FindAllString(rendered, -1)
	if len(rows) != len(rep.Groups) || strings.Count(rendered, `<rect class="bar"`) != charted {
		t.Errorf("the browser's DOM has %d group rows and %d bars, want %d and %d", len(rows), strings.Count(rendered, `<rect class="bar"`), len(rep.Groups), charted)
	}
	if !strings.Contains(rendered, fmt.Sprintf("leaks/leaks.go:%d", sendLine)) || !strings.Contains(rendered, "predicted") {
		t.Errorf("the rendered page does not show the predicted group at leaks/leaks.go:%d", sendLine)
	}
}

// TestDumpArm64 runs the program built for the other architecture under
// qemu-user, has it write its debug=2 dump, and reads it.
func TestDumpArm64(t *testing.T) {
	t.Parallel()
	other, haveQemu := otherArch()
	if !haveQemu {
		if os.Getenv("LEAKVET_REQUIRE_QEMU") != "" {
			t.Fatalf("LEAKVET_REQUIRE_QEMU is set but qemu-user for %s is not installed", other)
		}
		t.Skipf("qemu-user for %s is not installed (Debian: apt-get install qemu-user-static; .ci/run installs it)", other)
	}
	qemu, _ := verify.Emulator(other)
	bin, dir, leak, gostmt := leakyBinary(t, other)
	out := filepath.Join(t.TempDir(), "dump-"+other+".txt")
	cmd := exec.Command(qemu, bin, "-fixed", "3", "-per", "4", "-write", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s under qemu: %v\n%s", other, err, b)
	}
	rep := dumpJSON(t, dir, 0, nil, out)
	checkLeakyGroups(t, rep, leakyForm{form: dump.FormText, state: true, createdBy: true, age: true}, leak, gostmt, 4)
	// Joined by the module-relative path, although the dump's paths are
	// not this machine's.
	rep = dumpJSON(t, dir, 1, nil, "-src", "./leaks", out)
	g := groupAt(rep, leak["blocked-send"])
	if g == nil || g.Label != dump.LabelPredicted || g.Match != "line" || g.Blocking.File != "example.com/leaky/leaks/leaks.go" {
		t.Errorf("%s: blocked-send not predicted by line from a -trimpath dump: %s", other, describeGroups(rep))
	}
}

// TestDumpBadInput checks that every input dump cannot read ends with one
// line on stderr naming the source, nothing on stdout, and exit 2.
func TestDumpBadInput(t *testing.T) {
	t.Parallel()
	bin, dir, _, _ := leakyBinary(t, runtime.GOARCH)
	base := startLeaky(t, bin)
	tmp := t.TempDir()
	profile := fetch(t, base+"/debug/pprof/goroutine")
	debug2 := fetch(t, base+"/debug/pprof/goroutine?debug=2")
	cases := []struct {
		name, source string
		want         string // in the error line
	}{
		{"html-url", base + "/debug/pprof/", "an HTML page, not a goroutine dump"},
		{"html-file", writeTestFile(t, tmp, "page.html", []byte("<!DOCTYPE html>\n<html><body>hi</body></html>\n")), "an HTML page"},
		{"404", base + "/debug/pprof/nosuchprofile-at-all/x", "HTTP 404"},
		{"truncated-protobuf", writeTestFile(t, tmp, "cut.pb.gz", profile[:len(profile)/2]), "truncated gzip data"},
		// Cut in the middle of a record, as a dump stopped at 64 MiB is.
		{"truncated-text", writeTestFile(t, tmp, "cut.txt", debug2[:bytes.LastIndex(debug2, []byte("leaks.First.func1("))+10]), "truncated goroutine record"},
		{"unknown-text", writeTestFile(t, tmp, "notes.txt", []byte("just some notes\nabout nothing\n")), "no goroutine records"},
		{"binary", writeTestFile(t, tmp, "random.bin", []byte{0x0a, 0xff, 0x01, 0x02, 0x00, 0x13}), "not a pprof profile"},
		{"empty", writeTestFile(t, tmp, "empty.txt", nil), "empty"},
		{"mixed", writeTestFile(t, tmp, "mixed.txt", slices.Concat(debug2, []byte("\nsome log line\n\n"), debug2)), "not a mix"},
		{"missing-file", filepath.Join(tmp, "no-such-file.txt"), "no such file or directory"},
		{"refused", "http://127.0.0.1:1/debug/pprof/goroutine", "connection refused"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runDump(t, dir, nil, "dump", c.source)
			lines := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n")
			if r.code != 2 || r.stdout != "" || len(lines) != 1 ||
				!strings.HasPrefix(lines[0], "leakvet: dump: "+c.source+": ") || !strings.Contains(lines[0], c.want) {
				t.Errorf("want exit 2 and one line %q naming the source\n%s", c.want, r)
			}
		})
	}
}

// TestDumpUsage checks -h, help dump and the usage errors.
func TestDumpUsage(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, args := range [][]string{{"dump", "-h"}, {"help", "dump"}} {
		r := runDump(t, dir, nil, args...)
		if r.code != 0 || !strings.Contains(r.stdout, "Usage: leakvet dump [flags] SOURCE [SOURCE2]") ||
			!strings.Contains(r.stdout, "Exit status: 0") || !strings.Contains(r.stdout, "-every duration") {
			t.Errorf("%v: %s", args, r)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"dump"}, "no source"},
		{[]string{"dump", "-format=xml", "x"}, `invalid value "xml" for flag -format`},
		{[]string{"dump", "-bogus", "x"}, "flag provided but not defined: -bogus"},
		{[]string{"dump", "a", "-top", "3"}, "flags must come before them"},
		{[]string{"dump", "-every", "1s", "file.txt"}, "-every polls one URL"},
		{[]string{"-json", "dump", "x"}, "flags for dump come after it"},
	} {
		r := runDump(t, dir, nil, c.args...)
		if r.code != 2 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: want exit 2 and %q\n%s", c.args, c.want, r)
		}
	}
}
