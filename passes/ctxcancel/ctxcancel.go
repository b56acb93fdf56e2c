package ctxcancel

import (
	_ "embed"

	"golang.org/x/tools/go/analysis"

	"github.com/leakvet/leakvet/internal/docutil"
)

//go:embed doc.go
var doc string

// Analyzer reports cancel functions that are not called on every path.
var Analyzer = &analysis.Analyzer{
	Name: "ctxcancel",
	Doc:  docutil.MustExtract(doc, "ctxcancel"),
	URL:  "https://pkg.go.dev/github.com/leakvet/leakvet/passes/ctxcancel",
	Run:  run,
}

func run(pass *analysis.Pass) (any, error) { return nil, nil }
