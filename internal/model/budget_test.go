package model

import (
	"reflect"
	"strings"
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
		{"nodes", budget{nodes: 10, rounds: defaultBudget.rounds, lockStates: defaultBudget.lockStates}},
		{"rounds", budget{nodes: defaultBudget.nodes, rounds: 1, lockStates: defaultBudget.lockStates}},
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

// TestLockSearchBudget runs the lock searches with a budget of two states
// over a package with a double lock behind a branch: past the budget a
// search finds nothing and is counted in Stats; within it, it finds the
// lock taken again.
func TestLockSearchBudget(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		lim   budget
		found bool
	}{
		{"states", budget{nodes: defaultBudget.nodes, rounds: defaultBudget.rounds, lockStates: 2}, false},
		{"none", defaultBudget, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := &analysis.Analyzer{
				Name:       "modellockbudget",
				Doc:        "the lock searches under a budget (test)",
				Requires:   []*analysis.Analyzer{flow.Analyzer, SummaryAnalyzer},
				Run:        func(p *analysis.Pass) (any, error) { return runWith(p, tc.lim) },
				ResultType: reflect.TypeFor[*Model](),
			}
			res := analysistest.Run(t, passtest.Testdata(t), a, "model/budget")
			m := res[0].Result.(*Model)
			retaken := 0
			for _, fn := range m.LockFuncs() {
				for _, s := range m.LockSites(fn) {
					for _, r := range m.Reaches(s) {
						if r.Kind == Retaken {
							retaken++
						}
					}
				}
			}
			if tc.found {
				if retaken == 0 || m.Stats.LockSearchesOut != 0 {
					t.Fatalf("within budget: %d locks taken again, %d searches out, want some and none", retaken, m.Stats.LockSearchesOut)
				}
				return
			}
			if retaken != 0 || m.Stats.LockSearchesOut == 0 {
				t.Errorf("budget %+v: %d locks taken again, %d searches out, want none and some", tc.lim, retaken, m.Stats.LockSearchesOut)
			}
		})
	}
}

// TestExploreBudget runs the explorer over a lock-order deadlock that
// only an interleaving reaches: within its budget it finds the stuck
// goroutines with a schedule, the same on every run; with a budget of a
// few states or steps it finds nothing and counts the root in Stats.
func TestExploreBudget(t *testing.T) {
	t.Parallel()
	run := func(t *testing.T, x xbudget) *Model {
		lim := defaultBudget
		lim.explore = x
		a := &analysis.Analyzer{
			Name:       "explorebudget",
			Doc:        "the explorer under a budget (test)",
			Requires:   []*analysis.Analyzer{flow.Analyzer, SummaryAnalyzer},
			Run:        func(p *analysis.Pass) (any, error) { return runWith(p, lim) },
			ResultType: reflect.TypeFor[*Model](),
		}
		return analysistest.Run(t, passtest.Testdata(t), a, "model/explore")[0].Result.(*Model)
	}
	render := func(m *Model) string {
		var b strings.Builder
		m.dumpExplored(&b)
		return b.String()
	}
	m := run(t, defaultXBudget)
	if m.Stats.ExploreRoots == 0 || len(m.Explored()) < 2 {
		t.Fatalf("within budget: %d roots, %d stuck goroutines, want the two of the deadlock:\n%s", m.Stats.ExploreRoots, len(m.Explored()), render(m))
	}
	locks := 0
	for _, st := range m.Explored() {
		if st.Kind == StuckLock {
			locks++
		}
		if len(st.Steps) < 3 || !strings.HasSuffix(st.Steps[len(st.Steps)-1].What, "blocks forever") {
			t.Errorf("stuck goroutine %s: schedule %+v; want one ending in it blocking", st.Goroutine, st.Steps)
		}
	}
	if locks != 2 {
		t.Errorf("%d goroutines stuck in Lock, want 2:\n%s", locks, render(m))
	}
	if again := render(run(t, defaultXBudget)); again != render(m) {
		t.Errorf("two runs differ:\n%s\n---\n%s", render(m), again)
	}
	for name, x := range map[string]xbudget{
		"states": {states: 2, steps: defaultXBudget.steps, forks: defaultXBudget.forks, pkgSteps: defaultXBudget.pkgSteps, maxThreads: defaultXBudget.maxThreads, maxFrames: defaultXBudget.maxFrames},
		"steps":  {states: defaultXBudget.states, steps: 5, forks: defaultXBudget.forks, pkgSteps: defaultXBudget.pkgSteps, maxThreads: defaultXBudget.maxThreads, maxFrames: defaultXBudget.maxFrames},
	} {
		m := run(t, x)
		if m.Stats.ExploreOut == 0 || len(m.Explored()) != 0 {
			t.Errorf("budget %s: ExploreOut %d, %d stuck, want the root counted and nothing found:\n%s", name, m.Stats.ExploreOut, len(m.Explored()), render(m))
		}
	}
}
