package main

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/leakvet/leakvet/leakcheck"
)

// sampleReport joins two findings with leaks seen on amd64 and arm64: one
// finding confirmed on both, one leak only on arm64 that confirms a second
// finding there, and one missed leak only on amd64.
func sampleReport() *verifyReport {
	f1 := &finding{Pass: "wgbalance", Category: "done-some-paths", Posn: "/m/a.go:10:3", Message: "no Done",
		Related: []string{"/m/a.go:20:9: Wait blocks here"}, lines: []fileLine{{"/m/a.go", 10}, {"/m/a.go", 20}}}
	f2 := &finding{Pass: "timerstop", Posn: "/m/b.go:5:2", Message: "ticks forever", lines: []fileLine{{"/m/b.go", 5}}}
	f3 := &finding{Pass: "ctxcancel", Posn: "/m/c.go:7:7", Message: "lost cancel", lines: []fileLine{{"/m/c.go", 7}}}
	wait := leakcheck.Leak{State: "sync.WaitGroup.Wait", Proven: true,
		Blocking: leakcheck.Frame{Function: "example.com/m.F.func2", File: "/m/a.go", Line: 20}, CreatedBy: leakcheck.Frame{File: "/m/a.go", Line: 19}}
	tick := leakcheck.Leak{State: "chan receive", Blocking: leakcheck.Frame{Function: "example.com/m.G.func1", File: "/m/b.go", Line: 6},
		CreatedBy: leakcheck.Frame{File: "/m/b.go", Line: 5}}
	send := leakcheck.Leak{State: "chan send", Proven: true, Blocking: leakcheck.Frame{Function: "example.com/m.H.func1", File: "/m/d.go", Line: 3},
		CreatedBy: leakcheck.Frame{File: "/m/d.go", Line: 2}}
	wait.ID, tick.ID = 5, 6
	send2 := send
	send.ID, send2.ID = 7, 8
	r := &verifyReport{Archs: []string{"amd64", "arm64"}, Ran: []string{"amd64", "arm64"}}
	r.join([]*finding{f1, f2, f3}, map[string][]leakcheck.Leak{
		"amd64": {wait, send, send2, send2}, // send2 twice: by Check, then by Main
		"arm64": {wait, tick},
	})
	r.relativize(newRelativizer("/m", "./"))
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
	if !r.leaky() {
		t.Error("leaky() = false with confirmed findings")
	}
	clean := &verifyReport{Ran: []string{"amd64"}}
	clean.join([]*finding{{Pass: "ctxcancel", Posn: "/m/c.go:7:7", lines: []fileLine{{"/m/c.go", 7}}}}, nil)
	if clean.leaky() {
		t.Error("leaky() = true with only a finding not observed")
	}
}

func TestVerifySARIF(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := writeVerifySARIF(&buf, sampleReport()); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Version string
		Runs    []struct {
			Tool    struct{ Driver struct{ Name string } }
			Results []struct {
				RuleID    string
				Level     string
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine, StartColumn int }
					}
				}
				Properties map[string]any
			}
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatalf("bad SARIF: %v\n%s", err, buf.String())
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 || log.Runs[0].Tool.Driver.Name != "leakvet" {
		t.Fatalf("SARIF header: %s", buf.String())
	}
	var got []string
	for _, res := range log.Runs[0].Results {
		loc := res.Locations[0].PhysicalLocation
		got = append(got, strings.Join([]string{res.RuleID, res.Level, loc.ArtifactLocation.URI,
			strconv.Itoa(loc.Region.StartLine), strconv.Itoa(loc.Region.StartColumn), res.Properties["leakvet/verify"].(string)}, " "))
	}
	want := []string{
		"wgbalance/done-some-paths error a.go 10 3 confirmed",
		"timerstop error b.go 5 2 confirmed",
		"ctxcancel warning c.go 7 7 not observed",
		"runtime-leak error d.go 3 0 missed",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("SARIF results:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestClassifyOwnTestMain(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, dir+"/a_test.go", "package a\n\nimport (\n\t\"testing\"\n\n\t\"github.com/leakvet/leakvet/leakcheck\"\n)\n\nfunc TestMain(m *testing.M) { leakcheck.Main(m) }\n")
	p := &testPackage{Dir: dir, TestGoFiles: []string{"a_test.go"}, Module: &struct{ Path, Dir string }{"example.com/a", dir}}
	classify(p)
	if p.unverified != "" || p.injectMain {
		t.Errorf("a TestMain calling leakcheck: unverified %q, inject %v; want neither", p.unverified, p.injectMain)
	}
}
