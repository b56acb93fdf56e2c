package driver

import (
	"fmt"
	"runtime/debug"

	"golang.org/x/tools/go/analysis"
)

// A panicError is a panic recovered from an analyzer's Run.
type panicError struct {
	analyzer string
	pkg      string
	value    any
	stack    []byte
}

func (p *panicError) Error() string {
	return fmt.Sprintf("internal error: pass %s panicked on package %s: %s", p.analyzer, p.pkg, oneLine(fmt.Sprint(p.value)))
}

// guardPanics makes a panic in the Run of any analyzer in the Requires
// closure of analyzers return a *panicError instead, so that one failing
// pass is reported as that pass's error on that package (one line, exit 2)
// rather than crashing the process with a goroutine dump. It must wrap Run
// itself: every driver (checker, unitchecker) calls Run on goroutines of its
// own, where no recover of ours can reach.
//
// This changes the shared Analyzer values in place, which is sound only in
// a process that exists to run them, as this command does (each driver
// path calls it once). onPanic, if not nil, is told of each panic as it is
// caught.
func guardPanics(analyzers []*analysis.Analyzer, onPanic func(*panicError)) {
	for _, a := range requiresClosure(analyzers) {
		run := a.Run
		a.Run = func(pass *analysis.Pass) (result any, err error) {
			defer func() {
				if r := recover(); r != nil {
					pkg := "?"
					if pass.Pkg != nil {
						pkg = pass.Pkg.Path()
					}
					p := &panicError{analyzer: pass.Analyzer.Name, pkg: pkg, value: r, stack: debug.Stack()}
					if onPanic != nil {
						onPanic(p)
					}
					result, err = nil, p
				}
			}()
			return run(pass)
		}
	}
}

// requiresClosure is analyzers and everything they require, directly or
// not, each once, every analyzer after the ones it requires.
func requiresClosure(analyzers []*analysis.Analyzer) []*analysis.Analyzer {
	seen := make(map[*analysis.Analyzer]bool)
	var out []*analysis.Analyzer
	var visit func(a *analysis.Analyzer)
	visit = func(a *analysis.Analyzer) {
		if seen[a] {
			return
		}
		seen[a] = true
		for _, r := range a.Requires {
			visit(r)
		}
		out = append(out, a)
	}
	for _, a := range analyzers {
		visit(a)
	}
	return out
}
