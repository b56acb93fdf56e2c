package model

import (
	"reflect"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/leakvet/leakvet/internal/flow"
	"github.com/leakvet/leakvet/internal/passtest"
)

// TestBudget runs the model with tiny budgets over a package it otherwise
// has objects for: past the budget the model must mark nothing blocked
// (the passes then say nothing) and say so in Stats, without failing the
// pass.
func TestBudget(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		lim  budget
	}{
		{"nodes", budget{nodes: 10, rounds: defaultBudget.rounds}},
		{"rounds", budget{nodes: defaultBudget.nodes, rounds: 1}},
		{"none", defaultBudget},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := &analysis.Analyzer{
				Name:       "modelbudget",
				Doc:        "the model under a budget (test)",
				Requires:   []*analysis.Analyzer{flow.Analyzer, SummaryAnalyzer},
				Run:        func(p *analysis.Pass) (any, error) { return runWith(p, tc.lim) },
				ResultType: reflect.TypeFor[*Model](),
			}
			res := analysistest.Run(t, passtest.Testdata(t), a, "model/budget")
			m := res[0].Result.(*Model)
			blocked := len(m.Blocked())
			if tc.lim == defaultBudget {
				if m.Stats.BudgetOut || blocked == 0 {
					t.Fatalf("within budget: BudgetOut %v, %d blocked operations, want some", m.Stats.BudgetOut, blocked)
				}
				return
			}
			if !m.Stats.BudgetOut {
				t.Errorf("budget %+v: BudgetOut not set (%+v)", tc.lim, m.Stats)
			}
			if blocked != 0 {
				t.Errorf("budget %+v: %d operations still marked blocked", tc.lim, blocked)
			}
		})
	}
}
