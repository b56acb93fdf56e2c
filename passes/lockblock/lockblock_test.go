package lockblock_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/leakvet/leakvet/internal/passtest"
	"github.com/leakvet/leakvet/passes/lockblock"
)

func TestAnalyzer(t *testing.T) {
	t.Parallel()
	for _, pkg := range []string{"a", "interproc", "escape", "typeparams", "noreturn", "explore"} {
		t.Run(pkg, func(t *testing.T) {
			t.Parallel()
			analysistest.Run(t, passtest.Testdata(t), lockblock.Analyzer, "lockblock/"+pkg)
		})
	}
}
