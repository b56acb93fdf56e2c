package timerstop_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/leakvet/leakvet/internal/passtest"
	"github.com/leakvet/leakvet/passes/timerstop"
)

// TestAnalyzer runs the GOPATH-mode packages, whose files set their Go
// version with a //go:build line (see testdata/src/timerstop/README.txt).
func TestAnalyzer(t *testing.T) {
	t.Parallel()
	for _, pkg := range []string{"a", "go123", "escape", "typeparams", "noreturn", "interproc", "mainpkg", "godebug"} {
		t.Run(pkg, func(t *testing.T) {
			t.Parallel()
			analysistest.Run(t, passtest.Testdata(t), timerstop.Analyzer, "timerstop/"+pkg)
		})
	}
}

// TestModules runs the module-mode packages, whose Go version is their
// go.mod's go line, as under go vet.
func TestModules(t *testing.T) {
	t.Parallel()
	for _, mod := range []string{"gomod122", "gomod123"} {
		t.Run(mod, func(t *testing.T) {
			t.Parallel()
			analysistest.Run(t, filepath.Join(passtest.Testdata(t), "src", "timerstop", mod), timerstop.Analyzer, "./...")
		})
	}
}

func TestSuggestedFixes(t *testing.T) {
	t.Parallel()
	analysistest.RunWithSuggestedFixes(t, passtest.Testdata(t), timerstop.Analyzer, "timerstop/fix")
}
