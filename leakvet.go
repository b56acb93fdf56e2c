// Package leakvet lists the leakvet analyzers for every driver: the leakvet
// command (under go vet and standalone), the golangci-lint plugin, nogo and
// the tests. The order is stable: it is the order of `leakvet help`, of
// SARIF rules and of settings.
package leakvet

import (
	"golang.org/x/tools/go/analysis"

	"github.com/leakvet/leakvet/passes/chanblock"
	"github.com/leakvet/leakvet/passes/ctxcancel"
	"github.com/leakvet/leakvet/passes/lockblock"
	"github.com/leakvet/leakvet/passes/selectnil"
	"github.com/leakvet/leakvet/passes/timerstop"
	"github.com/leakvet/leakvet/passes/wgbalance"
)

// Analyzers returns the leakvet passes in their stable order. Each call
// returns a new slice; the analyzers themselves are shared.
func Analyzers() []*analysis.Analyzer {
	return []*analysis.Analyzer{
		ctxcancel.Analyzer,
		timerstop.Analyzer,
		chanblock.Analyzer,
		wgbalance.Analyzer,
		selectnil.Analyzer,
		lockblock.Analyzer,
	}
}
