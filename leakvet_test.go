package leakvet_test

import (
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/leakvet/leakvet"
)

func TestAnalyzers(t *testing.T) {
	t.Parallel()
	as := leakvet.Analyzers()
	if err := analysis.Validate(as); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, a := range as {
		if seen[a.Name] {
			t.Errorf("duplicate analyzer %s", a.Name)
		}
		seen[a.Name] = true
		summary, _, _ := strings.Cut(a.Doc, "\n")
		if summary == "" || strings.HasSuffix(summary, ".") || strings.ToLower(summary[:1]) != summary[:1] {
			t.Errorf("%s: summary %q must be lowercase with no trailing period", a.Name, summary)
		}
		if !strings.Contains(a.Doc, "Limitations") {
			t.Errorf("%s: Doc has no Limitations section", a.Name)
		}
	}
	if as[0].Name != "ctxcancel" {
		t.Errorf("first analyzer = %s, want ctxcancel (order is stable)", as[0].Name)
	}
	// Each call returns a fresh slice: callers may not corrupt the list.
	as[0] = nil
	if leakvet.Analyzers()[0] == nil {
		t.Error("Analyzers returns a shared slice")
	}
}
