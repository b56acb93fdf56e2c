package selectnil_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/leakvet/leakvet/internal/passtest"
	"github.com/leakvet/leakvet/passes/selectnil"
)

func TestAnalyzer(t *testing.T) {
	t.Parallel()
	for _, pkg := range []string{"a", "loops", "escape", "mainpkg", "deadselect", "deadexit", "explore"} {
		t.Run(pkg, func(t *testing.T) {
			t.Parallel()
			analysistest.Run(t, passtest.Testdata(t), selectnil.Analyzer, "selectnil/"+pkg)
		})
	}
}
