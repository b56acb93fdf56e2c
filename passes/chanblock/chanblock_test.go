package chanblock_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/leakvet/leakvet/internal/passtest"
	"github.com/leakvet/leakvet/passes/chanblock"
)

func TestAnalyzer(t *testing.T) {
	t.Parallel()
	for _, pkg := range []string{"a", "fanout", "recv", "nilchan", "escape", "interproc", "typeparams", "noreturn", "regress", "gone", "overfill", "facts", "mainmodel", "counterpart", "explore"} {
		t.Run(pkg, func(t *testing.T) {
			t.Parallel()
			analysistest.Run(t, passtest.Testdata(t), chanblock.Analyzer, "chanblock/"+pkg)
		})
	}
}

func TestSuggestedFixes(t *testing.T) {
	t.Parallel()
	analysistest.RunWithSuggestedFixes(t, passtest.Testdata(t), chanblock.Analyzer, "chanblock/fix")
}
