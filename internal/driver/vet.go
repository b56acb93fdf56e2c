package driver

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/multichecker"

	"github.com/leakvet/leakvet/internal/model"
)

// RunVet hands the invocation over to multichecker, which implements go
// vet's side of the unitchecker protocol (-V=full, -flags, and one *.cfg
// file per package, including -fix and -diff under go vet) and exits.
//
// For a dependency that go vet analyzes only for its facts (VetxOnly in
// the config), every analyzer that neither produces facts nor is
// required by one that does is made a no-op first. unitchecker keeps any
// analyzer that transitively requires a fact producer, so without this
// the passes, the package model and the interleaving explorer ran on
// every dependency, and their findings were thrown away.
func (c *Command) RunVet() {
	if len(os.Args) > 1 && vetxOnly(os.Args[len(os.Args)-1]) {
		factsOnly(c.Analyzers)
	}
	// One package per process: the explorer may hold the heap while it
	// runs (see model.HoldHeap).
	model.HoldHeap = true
	guardPanics(c.Analyzers, c.stackPrinter())
	multichecker.Main(c.Analyzers...)
}

// vetxOnly reports whether cfg is a vet config file that asks for facts
// only. A file it cannot read or parse is left to unitchecker to report.
func vetxOnly(cfg string) bool {
	if !strings.HasSuffix(cfg, ".cfg") {
		return false
	}
	data, err := os.ReadFile(cfg)
	if err != nil {
		return false
	}
	var c struct{ VetxOnly bool }
	return json.Unmarshal(data, &c) == nil && c.VetxOnly
}

// factsOnly replaces, in place, the Run of each analyzer in the Requires
// closure of analyzers that neither has FactTypes nor is required,
// directly or not, by one that has, with one that returns its
// ResultType's zero value. The analyzers and their flags stay as they
// are, so the tool's flags and fact encoding do not change.
func factsOnly(analyzers []*analysis.Analyzer) {
	all := requiresClosure(analyzers)
	keep := map[*analysis.Analyzer]bool{}
	for _, a := range all {
		if len(a.FactTypes) > 0 {
			for _, r := range requiresClosure([]*analysis.Analyzer{a}) {
				keep[r] = true
			}
		}
	}
	for _, a := range all {
		if keep[a] {
			continue
		}
		rt := a.ResultType
		a.Run = func(*analysis.Pass) (any, error) {
			if rt == nil {
				return nil, nil
			}
			return reflect.Zero(rt).Interface(), nil
		}
	}
}

// IsVetProtocol reports whether args are go vet talking to its vet tool:
// the -V=full and -flags handshakes, or flags followed by the *.cfg file go
// vet writes for each package. Flag values may stand as separate args, so
// only the last arg is examined for the config file, and it must exist: a
// pattern that merely ends in ".cfg" stays a pattern. args must not be
// empty.
func IsVetProtocol(args []string) bool {
	for _, arg := range args {
		if !strings.HasPrefix(arg, "-") || arg == "--" {
			break
		}
		switch strings.TrimLeft(arg, "-") {
		case "V=full", "flags", "flags=true":
			return true
		}
	}
	last := args[len(args)-1]
	if !strings.HasSuffix(last, ".cfg") {
		return false
	}
	info, err := os.Stat(last)
	return err == nil && info.Mode().IsRegular()
}
