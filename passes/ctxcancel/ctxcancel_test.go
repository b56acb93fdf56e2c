package ctxcancel_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/leakvet/leakvet/internal/passtest"
	"github.com/leakvet/leakvet/internal/suppress"
	"github.com/leakvet/leakvet/passes/ctxcancel"
)

// testdata is GOPATH-style: testdata/src/ctxcancel/<pkg>. Each package mixes
// findings (`// want`) with look-alike correct code (`// ok: <reason>`).

func TestAnalyzer(t *testing.T) {
	t.Parallel()
	for _, pkg := range []string{
		"a",          // discarded, early return, switch/select, closures, overwritten, issue_* regressions
		"escape",     // every ownership transfer: silent
		"loops",      // continue, loop end, break then return, defer in a loop
		"interproc",  // constructors, helpers, methods, closures, another package
		"fields",     // cancel funcs stored in fields nothing reads
		"typeparams", // generic functions and types
		"noreturn",   // paths ending in os.Exit, log.Fatal, panic, t.Fatal
		"mainpkg",    // main.main is exempt
		"lib",        // the dependency itself: returns and retains, silent
	} {
		t.Run(pkg, func(t *testing.T) {
			t.Parallel()
			analysistest.Run(t, passtest.Testdata(t), ctxcancel.Analyzer, "ctxcancel/"+pkg)
		})
	}
}

func TestSuggestedFixes(t *testing.T) {
	t.Parallel()
	analysistest.RunWithSuggestedFixes(t, passtest.Testdata(t), ctxcancel.Analyzer, "ctxcancel/fix")
}

// TestSuppress checks //leakvet:ignore directives. It sets a flag of the
// shared Analyzer, so it does not run in parallel with the other tests.
func TestSuppress(t *testing.T) {
	dir, err := filepath.Abs("../../testdata")
	if err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, dir, ctxcancel.Analyzer, "ctxcancel/suppress")

	if err := ctxcancel.Analyzer.Flags.Set(suppress.FlagUnused, "true"); err != nil {
		t.Fatal(err)
	}
	defer ctxcancel.Analyzer.Flags.Set(suppress.FlagUnused, "false")
	analysistest.Run(t, dir, ctxcancel.Analyzer, "ctxcancel/suppressunused")
}
