package verify

import (
	"bytes"
	"fmt"
	"go/token"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/leakvet/leakvet"
	"github.com/leakvet/leakvet/internal/report"
	"github.com/leakvet/leakvet/internal/report/sariftest"
	"github.com/leakvet/leakvet/leakcheck"
)

// sampleReport joins three findings with leaks seen on amd64 and arm64:
// one finding confirmed on both, one leak only on arm64 that confirms a
// second finding there, a finding not observed, and one missed leak only on
// amd64.
func sampleReport() *Report {
	pass := make(map[string]*analysis.Analyzer)
	for _, a := range leakvet.Analyzers() {
		pass[a.Name] = a
	}
	at := func(file string, line, col int) token.Position {
		return token.Position{Filename: file, Line: line, Column: col}
	}
	f1 := &report.Finding{Pass: pass["wgbalance"], Category: "done-some-paths", Pos: at("/m/a.go", 10, 3), Message: "no Done",
		Related: []report.Related{{Pos: at("/m/a.go", 20, 9), Message: "Wait blocks here"}}, Function: "example.com/m.F"}
	f2 := &report.Finding{Pass: pass["timerstop"], Pos: at("/m/b.go", 5, 2), Message: "ticks forever", Function: "example.com/m.G"}
	f3 := &report.Finding{Pass: pass["ctxcancel"], Category: "unreleased", Pos: at("/m/c.go", 7, 7), Message: "lost cancel", Function: "example.com/m.C"}
	wait := leakcheck.Leak{State: "sync.WaitGroup.Wait", Proven: true,
		Blocking: leakcheck.Frame{Function: "example.com/m.F.func2", File: "/m/a.go", Line: 20}, CreatedBy: leakcheck.Frame{File: "/m/a.go", Line: 19}}
	tick := leakcheck.Leak{State: "chan receive", Blocking: leakcheck.Frame{Function: "example.com/m.G.func1", File: "/m/b.go", Line: 6},
		CreatedBy: leakcheck.Frame{File: "/m/b.go", Line: 5}}
	send := leakcheck.Leak{State: "chan send", Proven: true, Blocking: leakcheck.Frame{Function: "example.com/m.H.func1", File: "/m/d.go", Line: 3},
		CreatedBy: leakcheck.Frame{Function: "example.com/m.H", File: "/m/d.go", Line: 2}}
	wait.ID, tick.ID = 5, 6
	send2 := send
	send.ID, send2.ID = 7, 8
	r := &Report{Archs: []string{"amd64", "arm64"}, Ran: []string{"amd64", "arm64"}}
	r.join([]*verifiedFinding{newVerifiedFinding(f1), newVerifiedFinding(f2), newVerifiedFinding(f3)}, map[string][]leakcheck.Leak{
		"amd64": {wait, send, send2, send2}, // send2 twice: by Check, then by Main
		"arm64": {wait, tick},
	})
	r.relativize(report.NewPaths("/m", "./"))
	return r
}

func TestVerifyJoinAndText(t *testing.T) {
	t.Parallel()
	r := sampleReport()
	var buf bytes.Buffer
	r.printText(&buf)
	want := `confirmed     ./a.go:10:3: wgbalance: no Done
              goroutine [sync.WaitGroup.Wait, proven] blocked at ./a.go:20 in m.F.func2, started at ./a.go:19 (amd64, arm64)
confirmed     ./b.go:5:2: timerstop: ticks forever (confirmed on arm64 only; not observed on amd64)
              goroutine [chan receive, suspected] blocked at ./b.go:6 in m.G.func1, started at ./b.go:5 (arm64 only)
not observed  ./c.go:7:7: ctxcancel: lost cancel
missed        2 goroutines [chan send, proven] blocked at ./d.go:3 in m.H.func1, started at ./d.go:2 (amd64 only): no static finding predicted it
verify on amd64, arm64: 2 confirmed, 1 missed, 1 not observed
`
	if got := buf.String(); got != want {
		t.Errorf("text report:\n%s\nwant:\n%s", got, want)
	}
	if got := r.Findings[0].Related; !slices.Equal(got, []string{"./a.go:20:9: Wait blocks here"}) {
		t.Errorf("related = %q, want the position and message of the related information", got)
	}
	if !r.leaky() {
		t.Error("leaky() = false with confirmed findings")
	}
	clean := &Report{Ran: []string{"amd64"}}
	clean.join([]*verifiedFinding{{Pass: "ctxcancel", Posn: "/m/c.go:7:7", lines: []fileLine{{"/m/c.go", 7}}}}, nil)
	if clean.leaky() {
		t.Error("leaky() = true with only a finding not observed")
	}
}

// TestVerifySARIF checks that verify's SARIF is valid SARIF 2.1.0, that
// its static findings are the results of the normal run's SARIF with the
// verification added, and that a missed leak is a runtime-leak result.
func TestVerifySARIF(t *testing.T) {
	t.Parallel()
	analyzers := leakvet.Analyzers()
	r := sampleReport()
	var buf bytes.Buffer
	if err := writeSARIF(&buf, analyzers, r, "/m"); err != nil {
		t.Fatal(err)
	}
	log := sariftest.Validate(t, buf.Bytes())
	run := sariftest.JPath(t, log, "runs", 0)
	results := sariftest.JPath(t, run, "results").([]any)
	var got []string
	for _, res := range results {
		loc := sariftest.JPath(t, res, "locations", 0, "physicalLocation")
		got = append(got, fmt.Sprint(sariftest.JPath(t, res, "ruleId"), " ", sariftest.JPath(t, res, "level"), " ",
			sariftest.JPath(t, loc, "artifactLocation", "uriBaseId"), " ", sariftest.JPath(t, loc, "artifactLocation", "uri"), " ",
			sariftest.JPath(t, loc, "region", "startLine"), " ", sariftest.JPath(t, loc, "region", "startColumn"), " ",
			sariftest.JPath(t, res, "properties", "leakvet/verify")))
	}
	want := []string{
		"wgbalance/done-some-paths error %SRCROOT% a.go 10 3 confirmed",
		"timerstop error %SRCROOT% b.go 5 2 confirmed",
		"ctxcancel/unreleased error %SRCROOT% c.go 7 7 not observed",
		"runtime-leak error %SRCROOT% d.go 3 <nil> missed",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("SARIF results:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// The verification of the finding confirmed on arm64 only.
	props := sariftest.JPath(t, results[1], "properties").(map[string]any)
	wantProps := map[string]any{
		"function":              "example.com/m.G",
		"leakvet/verify":        "confirmed",
		"leakvet/verifyByArch":  map[string]any{"amd64": "not observed", "arm64": "confirmed"},
		"leakvet/runtimeLeaks":  1.0,
		"leakvet/architectures": []any{"amd64", "arm64"},
	}
	if !reflect.DeepEqual(props, wantProps) {
		t.Errorf("properties of a confirmed finding:\n%v\nwant:\n%v", props, wantProps)
	}

	// The static findings are what the normal run writes, but for their
	// properties: same rules, locations and fingerprints.
	static := make([]*report.Finding, len(r.Findings))
	for i, f := range r.Findings {
		static[i] = f.static
	}
	var normalBuf bytes.Buffer
	if err := report.NewSARIF(analyzers, static, "/m").Encode(&normalBuf); err != nil {
		t.Fatal(err)
	}
	normal := sariftest.Validate(t, normalBuf.Bytes())
	rules := sariftest.JPath(t, run, "tool", "driver", "rules").([]any)
	normalRules := sariftest.JPath(t, normal, "runs", 0, "tool", "driver", "rules").([]any)
	if len(rules) != len(normalRules)+1 || !reflect.DeepEqual(rules[:len(normalRules)], normalRules) {
		t.Errorf("rules: want those of the normal run and runtime-leak")
	}
	for i, res := range sariftest.JPath(t, normal, "runs", 0, "results").([]any) {
		for _, key := range []string{"ruleId", "ruleIndex", "message", "locations", "relatedLocations", "partialFingerprints"} {
			if g, w := sariftest.JPath(t, results[i], key), sariftest.JPath(t, res, key); !reflect.DeepEqual(g, w) {
				t.Errorf("result %d: %s is %v, want %v as in the normal run", i, key, g, w)
			}
		}
	}

	// The missed leak: a result of the last rule, runtime-leak, at its
	// blocking frame, related to its go statement.
	leak := results[3]
	rule := rules[len(rules)-1]
	if sariftest.JPath(t, rule, "id") != runtimeLeakRule || sariftest.JPath(t, rule, "help", "text") != runtimeLeakHelp ||
		sariftest.JPath(t, leak, "ruleIndex") != float64(len(rules)-1) {
		t.Errorf("runtime-leak rule %v, index %v", rule, sariftest.JPath(t, leak, "ruleIndex"))
	}
	created := sariftest.JPath(t, leak, "relatedLocations", 0)
	if fmt.Sprint(sariftest.JPath(t, created, "physicalLocation", "artifactLocation", "uri"), ":",
		sariftest.JPath(t, created, "physicalLocation", "region", "startLine"), " ", sariftest.JPath(t, created, "message", "text")) != "d.go:2 the goroutine is started here" {
		t.Errorf("related location of a missed leak: %v", created)
	}
	props = sariftest.JPath(t, leak, "properties").(map[string]any)
	wantProps = map[string]any{
		"function":              "example.com/m.H.func1",
		"leakvet/verify":        "missed",
		"leakvet/proven":        true,
		"leakvet/state":         "chan send",
		"leakvet/architectures": []any{"amd64"},
	}
	if !reflect.DeepEqual(props, wantProps) {
		t.Errorf("properties of a missed leak:\n%v\nwant:\n%v", props, wantProps)
	}
	if p, _ := sariftest.JPath(t, leak, "partialFingerprints", report.FingerprintKey).(string); len(p) != 32 {
		t.Errorf("fingerprint of a missed leak: %q", p)
	}
}

func TestClassifyOwnTestMain(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := "package a\n\nimport (\n\t\"testing\"\n\n\t\"github.com/leakvet/leakvet/leakcheck\"\n)\n\nfunc TestMain(m *testing.M) { leakcheck.Main(m) }\n"
	if err := os.WriteFile(dir+"/a_test.go", []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	p := &testPackage{Dir: dir, TestGoFiles: []string{"a_test.go"}, Module: &struct{ Path, Dir string }{"example.com/a", dir}}
	classify(p)
	if p.unverified != "" || p.injectMain {
		t.Errorf("a TestMain calling leakcheck: unverified %q, inject %v; want neither", p.unverified, p.injectMain)
	}
}
