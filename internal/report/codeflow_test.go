package report_test

import (
	"bytes"
	"go/token"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/leakvet/leakvet/internal/report"
	"github.com/leakvet/leakvet/internal/report/sariftest"
	"github.com/leakvet/leakvet/internal/witness"
)

// TestSARIFCodeFlows checks that a finding's witness schedule becomes one
// code flow with a thread flow per goroutine, in schedule order, valid
// against the SARIF schema, and that a finding without one has none.
func TestSARIFCodeFlows(t *testing.T) {
	t.Parallel()
	pass := &analysis.Analyzer{Name: "lockblock", Doc: "lockblock: report goroutines that block forever on a mutex or Cond"}
	at := func(line int) token.Position { return token.Position{Filename: "/m/a.go", Line: line, Column: 2} }
	findings := []*report.Finding{{
		Pass: pass, Category: "lock-chan-cycle", Pos: at(12), Message: "this goroutine sends on s.ch while it holds s.mu",
		Related: []report.Related{
			{Pos: at(11), Message: witness.Step(1, "goroutine 1", "locks s.mu")},
			{Pos: at(12), Message: witness.Step(2, "goroutine 1", "sends on s.ch: blocks")},
			{Pos: at(30), Message: witness.Step(3, "goroutine 2", "locks s.mu: blocks forever")},
			{Pos: at(31), Message: "the counterpart goroutine 2 never reaches"},
		},
	}, {
		Pass: pass, Category: "cond-no-signal", Pos: at(40), Message: "c.Wait blocks forever",
		Related: []report.Related{{Pos: at(2), Message: "the Cond is made here"}},
	}}
	var buf bytes.Buffer
	if err := report.NewSARIF([]*analysis.Analyzer{pass}, findings, "/m").Encode(&buf); err != nil {
		t.Fatal(err)
	}
	log := sariftest.Validate(t, buf.Bytes())
	flows := sariftest.JPath(t, log, "runs", 0, "results", 0, "codeFlows", 0, "threadFlows").([]any)
	if len(flows) != 2 {
		t.Fatalf("got %d thread flows, want one per goroutine (2)", len(flows))
	}
	want := []struct {
		id    string
		steps []float64
		lines []float64
	}{{"goroutine 1", []float64{1, 2}, []float64{11, 12}}, {"goroutine 2", []float64{3}, []float64{30}}}
	for i, w := range want {
		if id := sariftest.JPath(t, log, "runs", 0, "results", 0, "codeFlows", 0, "threadFlows", i, "id"); id != w.id {
			t.Errorf("thread flow %d is %v, want %s", i, id, w.id)
		}
		locs := sariftest.JPath(t, log, "runs", 0, "results", 0, "codeFlows", 0, "threadFlows", i, "locations").([]any)
		if len(locs) != len(w.steps) {
			t.Fatalf("thread flow %s has %d steps, want %d", w.id, len(locs), len(w.steps))
		}
		for j := range locs {
			if n := sariftest.JPath(t, log, "runs", 0, "results", 0, "codeFlows", 0, "threadFlows", i, "locations", j, "executionOrder"); n != w.steps[j] {
				t.Errorf("%s step %d: executionOrder %v, want %v", w.id, j, n, w.steps[j])
			}
			if l := sariftest.JPath(t, log, "runs", 0, "results", 0, "codeFlows", 0, "threadFlows", i, "locations", j, "location", "physicalLocation", "region", "startLine"); l != w.lines[j] {
				t.Errorf("%s step %d: line %v, want %v", w.id, j, l, w.lines[j])
			}
		}
	}
	if got := sariftest.JPath(t, log, "runs", 0, "results", 0, "codeFlows", 0, "threadFlows", 0, "locations", 0, "location", "message", "text"); got != "locks s.mu" {
		t.Errorf("step message %q, want the step without its number and goroutine", got)
	}
	res := sariftest.JPath(t, log, "runs", 0, "results", 1).(map[string]any)
	if _, ok := res["codeFlows"]; ok {
		t.Error("a finding without a schedule has codeFlows")
	}
}
