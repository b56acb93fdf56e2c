package leakvet_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/leakvet/leakvet"
	"github.com/leakvet/leakvet/internal/docutil"
)

func TestAnalyzers(t *testing.T) {
	t.Parallel()
	as := leakvet.Analyzers()
	if err := analysis.Validate(as); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, a := range as {
		if seen[a.Name] {
			t.Errorf("duplicate analyzer %s", a.Name)
		}
		seen[a.Name] = true
		summary, _, _ := strings.Cut(a.Doc, "\n")
		if summary == "" || strings.HasSuffix(summary, ".") || strings.ToLower(summary[:1]) != summary[:1] {
			t.Errorf("%s: summary %q must be lowercase with no trailing period", a.Name, summary)
		}
		if !strings.Contains(a.Doc, "Limitations") {
			t.Errorf("%s: Doc has no Limitations section", a.Name)
		}
	}
	if as[0].Name != "ctxcancel" {
		t.Errorf("first analyzer = %s, want ctxcancel (order is stable)", as[0].Name)
	}
	// Each call returns a fresh slice: callers may not corrupt the list.
	as[0] = nil
	if leakvet.Analyzers()[0] == nil {
		t.Error("Analyzers returns a shared slice")
	}
}

// TestCategoriesDocumented checks that every category a pass reports
// with (its cat... constants) is listed in its doc.go, which is where
// the SARIF rules and `leakvet help` take them from.
func TestCategoriesDocumented(t *testing.T) {
	t.Parallel()
	for _, a := range leakvet.Analyzers() {
		documented := map[string]bool{}
		for _, c := range docutil.Categories(a.Doc) {
			documented[c.Name] = true
		}
		fset := token.NewFileSet()
		files, err := filepath.Glob(filepath.Join("passes", a.Name, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: no sources (%v)", a.Name, err)
		}
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range f.Decls {
				gd, ok := d.(*ast.GenDecl)
				if !ok || gd.Tok != token.CONST {
					continue
				}
				for _, s := range gd.Specs {
					vs := s.(*ast.ValueSpec)
					for i, id := range vs.Names {
						if !strings.HasPrefix(id.Name, "cat") || i >= len(vs.Values) {
							continue
						}
						lit, ok := vs.Values[i].(*ast.BasicLit)
						if !ok || lit.Kind != token.STRING {
							continue
						}
						cat, _ := strconv.Unquote(lit.Value)
						if !documented[cat] {
							t.Errorf("%s: category %q (%s, %s) is not listed in doc.go", a.Name, cat, id.Name, fset.Position(id.Pos()))
						}
					}
				}
			}
		}
	}
}
