package leakvet_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/leakvet/leakvet"
)

// closure returns the analyzers of leakvet.Analyzers() and everything
// they Require.
func closure() []*analysis.Analyzer {
	var out []*analysis.Analyzer
	seen := map[*analysis.Analyzer]bool{}
	var visit func(a *analysis.Analyzer)
	visit = func(a *analysis.Analyzer) {
		if seen[a] {
			return
		}
		seen[a] = true
		out = append(out, a)
		for _, r := range a.Requires {
			visit(r)
		}
	}
	for _, a := range leakvet.Analyzers() {
		visit(a)
	}
	return out
}

// TestFactTypes pins down which of leakvet's analyzers export facts: only
// the package model's summary analyzer, and only its Summary, which internal/model tests
// for gob round trips, determinism and size (TestSummariesGob). A new fact
// type must fail here: it then needs those tests too, and the drivers'
// docs updated. (Facts of x/tools' analyzers leakvet Requires, such as
// ctrlflow's, are x/tools' own.)
func TestFactTypes(t *testing.T) {
	t.Parallel()
	want := map[string]string{"leakvetsummary": "*model.Summary"}
	for _, a := range closure() {
		fn := runtime.FuncForPC(reflect.ValueOf(a.Run).Pointer()).Name()
		own := strings.HasPrefix(fn, "github.com/leakvet/leakvet/")
		if !own && !strings.HasPrefix(fn, "golang.org/x/tools/") {
			t.Errorf("analyzer %s (Run %s) is neither leakvet's nor x/tools'", a.Name, fn)
		}
		if !own {
			continue
		}
		var got []string
		for _, f := range a.FactTypes {
			got = append(got, fmt.Sprintf("%T", f))
		}
		if strings.Join(got, ",") != want[a.Name] {
			t.Errorf("analyzer %s declares fact types %v, want %q: a new fact needs its round-trip, determinism and size tests", a.Name, got, want[a.Name])
		}
	}
}

// TestPlainDriver runs leakvet.Analyzers() as plain values through
// x/tools' checker, as rules_go's nogo and any other analysis driver do
// (no leakvet flags, no leakvet driver code), over a module of two
// packages, one importing the other, and expects the findings of both.
func TestPlainDriver(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	dir := t.TempDir()
	files := map[string]string{
		"go.mod": "module example.com/mono\n\ngo 1.26\n",
		"a/a.go": `package a

import "context"

func New(parent context.Context) context.Context {
	ctx, _ := context.WithCancel(parent)
	return ctx
}
`,
		"b/b.go": `package b

import (
	"context"

	"example.com/mono/a"
)

func Use() error {
	ctx, cancel := context.WithCancel(a.New(context.Background()))
	if ctx.Err() != nil {
		return ctx.Err()
	}
	cancel()
	return nil
}
`,
	}
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg := &packages.Config{
		Mode: packages.LoadAllSyntax,
		Dir:  dir,
		Env:  append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod", "GOPROXY=off"),
	}
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		t.Fatal(err)
	}
	if packages.PrintErrors(pkgs) > 0 || len(pkgs) != 2 {
		t.Fatalf("loading the module: %d packages", len(pkgs))
	}
	graph, err := checker.Analyze(leakvet.Analyzers(), pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	found := map[string][]string{}
	for act := range graph.All() {
		if act.Err != nil {
			t.Errorf("%s on %s: %v", act.Analyzer.Name, act.Package.PkgPath, act.Err)
		}
		if !act.IsRoot {
			continue
		}
		for _, d := range act.Diagnostics {
			found[act.Package.PkgPath] = append(found[act.Package.PkgPath], act.Analyzer.Name+"/"+d.Category)
		}
	}
	for pkg, want := range map[string]string{
		"example.com/mono/a": "ctxcancel/discarded",
		"example.com/mono/b": "ctxcancel/unreleased",
	} {
		if got := found[pkg]; len(got) != 1 || got[0] != want {
			t.Errorf("%s: findings %v, want [%s]", pkg, got, want)
		}
	}
}
