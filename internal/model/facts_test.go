package model_test

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"slices"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/leakvet/leakvet/internal/model"
	"github.com/leakvet/leakvet/internal/passtest"
)

// summaries runs the model over pkg and returns its exported facts as
// "Func summary(...)" lines, sorted.
func summaries(t *testing.T, pkg string) ([]string, []*model.Summary) {
	t.Helper()
	res := analysistest.Run(t, passtest.Testdata(t), model.SummaryAnalyzer, pkg)
	var lines []string
	var facts []*model.Summary
	for _, r := range res {
		if r.Pass.Pkg.Path() != pkg {
			continue
		}
		for obj, fs := range r.Facts {
			for _, f := range fs {
				s, ok := f.(*model.Summary)
				if !ok {
					continue
				}
				lines = append(lines, fmt.Sprintf("%s %s", obj.Name(), s))
				facts = append(facts, s)
			}
		}
	}
	slices.Sort(lines)
	return lines, facts
}

// TestSummaries pins down what the model says about another package's
// functions: the operations on each channel or WaitGroup parameter that
// stays in the package (! on every path; go: in a goroutine it starts),
// none for a parameter it keeps.
func TestSummaries(t *testing.T) {
	t.Parallel()
	got, _ := summaries(t, "chanblock/factslib")
	want := []string{
		"Acquire summary(1:{recv!})",
		"Await summary(0:{recv!})",
		"Drain summary(0:{recv!})",
		"Finish summary(0:{done})",
		"Notify summary(0:{send})",
		"Watch summary(0:{go recv!})",
	}
	if !slices.Equal(got, want) {
		t.Errorf("summaries:\n got  %q\n want %q", got, want)
	}
}

// TestSummariesGob checks that every fact survives the gob round trip
// the drivers put it through, comes out the same on every run, and stays
// small.
func TestSummariesGob(t *testing.T) {
	t.Parallel()
	first, facts := summaries(t, "chanblock/factslib")
	again, _ := summaries(t, "chanblock/factslib")
	if !slices.Equal(first, again) {
		t.Errorf("facts differ between runs:\n%q\n%q", first, again)
	}
	// Facts travel in one gob stream per package: the type is described
	// once, then each value costs a few bytes per parameter.
	const maxBytes = 16
	for _, s := range facts {
		var buf bytes.Buffer
		enc := gob.NewEncoder(&buf)
		if err := enc.Encode(s); err != nil {
			t.Fatalf("encode %v: %v", s, err)
		}
		n := buf.Len()
		if err := enc.Encode(s); err != nil {
			t.Fatalf("encode %v: %v", s, err)
		}
		if size := buf.Len() - n; size > maxBytes {
			t.Errorf("%v: %d bytes gob-encoded, want at most %d", s, size, maxBytes)
		}
		dec := gob.NewDecoder(&buf)
		for range 2 {
			var back model.Summary
			if err := dec.Decode(&back); err != nil {
				t.Fatalf("decode %v: %v", s, err)
			}
			if back.String() != s.String() {
				t.Errorf("round trip: %v became %v", s, &back)
			}
		}
	}
}
