package chanblock_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/leakvet/leakvet/passes/chanblock"
)

func testdata(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("../../testdata")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestAnalyzer(t *testing.T) {
	t.Parallel()
	for _, pkg := range []string{"a", "fanout", "recv", "nilchan", "escape", "interproc", "typeparams", "noreturn", "regress"} {
		t.Run(pkg, func(t *testing.T) {
			t.Parallel()
			analysistest.Run(t, testdata(t), chanblock.Analyzer, "chanblock/"+pkg)
		})
	}
}

func TestSuggestedFixes(t *testing.T) {
	t.Parallel()
	analysistest.RunWithSuggestedFixes(t, testdata(t), chanblock.Analyzer, "chanblock/fix")
}
