package driver

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"golang.org/x/tools/go/analysis"
)

type factsOnlyFact struct{}

func (*factsOnlyFact) AFact() {}

type factsOnlyResult struct{ ran bool }

func TestFactsOnly(t *testing.T) {
	ran := map[string]bool{}
	runner := func(name string, result any) func(*analysis.Pass) (any, error) {
		return func(*analysis.Pass) (any, error) {
			ran[name] = true
			return result, nil
		}
	}
	// dep is required by the fact producer; model and pass are not.
	dep := &analysis.Analyzer{Name: "dep", Doc: "dep", ResultType: reflect.TypeFor[*factsOnlyResult]()}
	facts := &analysis.Analyzer{Name: "facts", Doc: "facts", Requires: []*analysis.Analyzer{dep}, FactTypes: []analysis.Fact{new(factsOnlyFact)}}
	model := &analysis.Analyzer{Name: "model", Doc: "model", Requires: []*analysis.Analyzer{facts, dep}, ResultType: reflect.TypeFor[*factsOnlyResult]()}
	pass := &analysis.Analyzer{Name: "pass", Doc: "pass", Requires: []*analysis.Analyzer{model}}
	for _, a := range []*analysis.Analyzer{dep, facts, model, pass} {
		var res any
		if a.ResultType != nil {
			res = &factsOnlyResult{ran: true}
		}
		a.Run = runner(a.Name, res)
	}

	factsOnly([]*analysis.Analyzer{pass})

	for _, a := range []*analysis.Analyzer{dep, facts, model, pass} {
		res, err := a.Run(nil)
		if err != nil {
			t.Fatalf("%s: %v", a.Name, err)
		}
		if a.ResultType != nil && reflect.TypeOf(res) != a.ResultType {
			t.Errorf("%s returned a %T, want its ResultType %v", a.Name, res, a.ResultType)
		}
	}
	for name, want := range map[string]bool{"dep": true, "facts": true, "model": false, "pass": false} {
		if ran[name] != want {
			t.Errorf("%s ran: %v, want %v", name, ran[name], want)
		}
	}
}

func TestVetxOnly(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o666); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, c := range []struct {
		path string
		want bool
	}{
		{write("dep.cfg", `{"ID":"x","VetxOnly":true}`), true},
		{write("pkg.cfg", `{"ID":"x","VetxOnly":false}`), false},
		{write("bad.cfg", `{`), false},
		{write("dep.json", `{"VetxOnly":true}`), false},
		{filepath.Join(dir, "missing.cfg"), false},
	} {
		if got := vetxOnly(c.path); got != c.want {
			t.Errorf("vetxOnly(%s) = %v, want %v", filepath.Base(c.path), got, c.want)
		}
	}
}
