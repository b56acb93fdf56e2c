package wgbalance_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/leakvet/leakvet/internal/passtest"
	"github.com/leakvet/leakvet/passes/wgbalance"
)

func TestAnalyzer(t *testing.T) {
	t.Parallel()
	for _, pkg := range []string{"a", "escape", "typeparams", "noreturn", "interproc", "go125", "go124", "nodone", "drain", "explore", "subtests"} {
		t.Run(pkg, func(t *testing.T) {
			t.Parallel()
			analysistest.Run(t, passtest.Testdata(t), wgbalance.Analyzer, "wgbalance/"+pkg)
		})
	}
}

func TestSuggestedFixes(t *testing.T) {
	t.Parallel()
	analysistest.RunWithSuggestedFixes(t, passtest.Testdata(t), wgbalance.Analyzer, "wgbalance/fix")
}
