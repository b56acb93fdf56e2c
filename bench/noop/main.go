// Command noop is the floor for bench/run.sh: a vet tool with a single
// analyzer that does nothing. Timing `go vet -vettool=noop` measures what
// every vet tool pays regardless of its analyses: cmd/go's per-package vet
// actions and process start-ups, plus unitchecker's parsing, type checking
// and writing of each package's .vetx file (types and facts).
package main

import (
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/unitchecker"
)

var analyzer = &analysis.Analyzer{
	Name: "noop",
	Doc:  "noop does nothing; it is the baseline for bench/run.sh",
	Run:  func(*analysis.Pass) (any, error) { return nil, nil },
}

func main() { unitchecker.Main(analyzer) }
