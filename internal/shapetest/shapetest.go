// Package shapetest checks the runtime truth of the chanblock, selectnil,
// wgbalance and lockblock testdata: every function there that is flagged as a
// goroutine leak must leak a goroutine when run, and every look-alike must
// not.
//
// A testdata package takes part by holding a shapes.go file that declares
//
//	type shape struct { name string; leaks bool; run func() }
//	var shapes []shape
//	func leaks(name string, run func()) bool
//	func noLeak(name string, run func()) bool
//
// and registering each function after its declaration:
//
//	var _ = leaks("abandonedOnTimeout", func() { abandonedOnTimeout(cancelled()) })
//
// A shape package may import another testdata package by its GOPATH-style
// path ("chanblock/factslib"): Copy copies that package too and rewrites
// the import to the module's path.
//
// Copy copies those packages into one temporary module and writes into each
// a test (zz_shapes_test.go) that runs the registered shapes in order and
// compares, for each, whether a goroutine born while it ran is still alive
// once it has returned and had time to settle.
package shapetest

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"text/template"
)

// Passes are the passes whose testdata carries shapes.
var Passes = []string{"chanblock", "lockblock", "selectnil", "wgbalance"}

// ModulePath is the module path of the temporary module.
const ModulePath = "shapes"

// Package is one testdata package copied into the temporary module.
type Package struct {
	Pass, Name string // testdata/src/<Pass>/<Name>
	Leaking    int    // registrations with leaks(...)
	Correct    int    // registrations with noLeak(...)
}

// Path is the package's path relative to the module root, as the
// generated test prints it.
func (p Package) Path() string { return p.Pass + "/" + p.Name }

// Copy copies every package directory srcRoot/<pass>/<pkg> that holds a
// shapes.go into the module rooted at dst (which it creates, with a go.mod),
// writes the generated test into each, and returns the packages with the
// number of shapes each registers, counted from its syntax.
func Copy(srcRoot, dst string) ([]Package, error) {
	var pkgs []Package
	deps := map[string]bool{}
	for _, pass := range Passes {
		entries, err := os.ReadDir(filepath.Join(srcRoot, pass))
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if !e.IsDir() {
				continue
			}
			src := filepath.Join(srcRoot, pass, e.Name())
			if _, err := os.Stat(filepath.Join(src, "shapes.go")); err != nil {
				continue // no shapes: fix, mainpkg, lib and wgbalance's older packages
			}
			p, err := copyPackage(srcRoot, src, filepath.Join(dst, pass, e.Name()), pass, e.Name(), deps)
			if err != nil {
				return nil, err
			}
			pkgs = append(pkgs, p)
		}
	}
	// The testdata packages the shapes import, and theirs in turn.
	for done := map[string]bool{}; len(deps) > len(done); {
		for _, dep := range slices.Sorted(maps.Keys(deps)) {
			if done[dep] {
				continue
			}
			done[dep] = true
			if _, err := copyFiles(srcRoot, filepath.Join(srcRoot, dep), filepath.Join(dst, dep), deps); err != nil {
				return nil, err
			}
		}
	}
	gomod := fmt.Sprintf("module %s\n\ngo 1.26\n", ModulePath)
	if err := os.WriteFile(filepath.Join(dst, "go.mod"), []byte(gomod), 0o644); err != nil {
		return nil, err
	}
	return pkgs, nil
}

func copyPackage(srcRoot, src, dst, pass, name string, deps map[string]bool) (Package, error) {
	p := Package{Pass: pass, Name: name}
	files, err := copyFiles(srcRoot, src, dst, deps)
	if err != nil {
		return p, err
	}
	for _, f := range files {
		if f.Name.Name != name {
			return p, fmt.Errorf("%s/%s: package %s, want %s", pass, name, f.Name.Name, name)
		}
		l, c := countShapes(f)
		p.Leaking += l
		p.Correct += c
	}
	var buf bytes.Buffer
	if err := testTemplate.Execute(&buf, struct{ Name, Path string }{name, p.Path()}); err != nil {
		return p, err
	}
	return p, os.WriteFile(filepath.Join(dst, "zz_shapes_test.go"), buf.Bytes(), 0o644)
}

// copyFiles copies the .go files of src to dst, rewriting imports of
// other testdata packages (directories of srcRoot) to the module's path
// and adding them to deps. It returns the parsed files.
func copyFiles(srcRoot, src, dst string, deps map[string]bool) ([]*ast.File, error) {
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, e := range entries {
		if e.IsDir() || filepath.Ext(e.Name()) != ".go" {
			continue // .golden and other files stay behind
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			return nil, err
		}
		f, err := parser.ParseFile(fset, e.Name(), b, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if fi, err := os.Stat(filepath.Join(srcRoot, filepath.FromSlash(path))); err == nil && fi.IsDir() {
				deps[path] = true
				b = bytes.ReplaceAll(b, []byte(imp.Path.Value), []byte(strconv.Quote(ModulePath+"/"+path)))
			}
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
			return nil, err
		}
	}
	return files, nil
}

// countShapes counts the package-level registrations `var _ = leaks(...)`
// and `var _ = noLeak(...)` in f.
func countShapes(f *ast.File) (leaking, correct int) {
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.VAR {
			continue
		}
		for _, s := range gd.Specs {
			for _, v := range s.(*ast.ValueSpec).Values {
				call, ok := v.(*ast.CallExpr)
				if !ok {
					continue
				}
				if id, ok := call.Fun.(*ast.Ident); ok {
					switch id.Name {
					case "leaks":
						leaking++
					case "noLeak":
						correct++
					}
				}
			}
		}
	}
	return leaking, correct
}

// Summary is the line the generated test prints for a package.
func Summary(path string, leaking, correct int) string {
	return fmt.Sprintf("shapes: %s: %d leaking, %d correct", path, leaking, correct)
}

// ParseSummaries returns the counts of the Summary lines in out, by path.
func ParseSummaries(out []byte) map[string][2]int {
	m := make(map[string][2]int)
	for line := range bytes.Lines(out) {
		var path string
		var l, c int
		if _, err := fmt.Sscanf(string(bytes.TrimSpace(line)), "shapes: %s %d leaking, %d correct", &path, &l, &c); err == nil {
			m[path[:len(path)-1]] = [2]int{l, c} // drop the colon
		}
	}
	return m
}

var testTemplate = template.Must(template.New("").Funcs(template.FuncMap{"quote": strconv.Quote}).Parse(generated))

// generated is the test written into every package. Its identifiers start
// with zz so that they do not collide with the package's own.
const generated = `// Code generated by internal/shapetest. DO NOT EDIT.

package {{.Name}}

import (
	"bytes"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

const (
	zzRunLimit = 5 * time.Second // a shape must return within this
	zzSettle   = 2 * time.Second // and its goroutines finish within this
)

// TestZZShapes runs every shape of the package in order. A shape leaks when
// a goroutine born while it ran is still alive zzSettle after it returned.
// Goroutines leaked by earlier shapes stay alive; they were born before the
// snapshot, so they are not counted again.
func TestZZShapes(t *testing.T) {
	if len(shapes) == 0 {
		t.Fatal("no shapes registered")
	}
	leaking, correct := 0, 0
	for _, s := range shapes {
		before := zzGoroutines()
		done := make(chan struct{})
		go func() {
			defer close(done)
			s.run()
		}()
		select {
		case <-done:
		case <-time.After(zzRunLimit):
			t.Errorf("%s: did not return within %v; it must not block its caller", s.name, zzRunLimit)
			continue
		}
		left := zzSurvivors(before)
		if got := len(left) > 0; got != s.leaks {
			if s.leaks {
				t.Errorf("%s: registered as leaking, but every goroutine it started has ended", s.name)
			} else {
				t.Errorf("%s: registered as correct, but it leaves %d goroutine(s) behind:\n\n%s", s.name, len(left), strings.Join(left, "\n\n"))
			}
		} else if testing.Verbose() {
			t.Logf("%s: leaks=%v (%d goroutine(s) left)", s.name, got, len(left))
		}
		if s.leaks {
			leaking++
		} else {
			correct++
		}
	}
	fmt.Printf("shapes: %s: %d leaking, %d correct\n", {{quote .Path}}, leaking, correct)
}

// zzSurvivors polls with backoff until no goroutine outside before is left,
// or zzSettle has passed, and returns the stacks of those left. A goroutine
// blocked on a nil channel or in an empty select is stuck for good: it ends
// the wait early.
func zzSurvivors(before map[int64]string) []string {
	deadline := time.Now().Add(zzSettle)
	for wait := time.Millisecond; ; wait *= 2 {
		if wait > 100*time.Millisecond {
			wait = 100 * time.Millisecond
		}
		var left []string
		stuck := true
		for id, stack := range zzGoroutines() {
			if _, ok := before[id]; ok {
				continue
			}
			left = append(left, stack)
			header, _, _ := strings.Cut(stack, "\n")
			stuck = stuck && (strings.Contains(header, "(nil chan)") || strings.Contains(header, "[select (no cases)"))
		}
		if len(left) == 0 || stuck || time.Now().After(deadline) {
			return left
		}
		time.Sleep(wait)
	}
}

// zzGoroutines returns the stacks of the live goroutines by ID, leaving out
// the caller and the goroutines the runtime and os/signal start for good.
func zzGoroutines() map[int64]string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	self := true // the first record is the calling goroutine
	m := make(map[int64]string)
	for _, g := range bytes.Split(buf, []byte("\n\n")) {
		if self {
			self = false
			continue
		}
		s := string(g)
		if strings.Contains(s, "os/signal.loop") || strings.Contains(s, "os/signal.signal_recv") {
			continue // signal.Notify's watcher, started once per process
		}
		rest, ok := strings.CutPrefix(s, "goroutine ")
		if !ok {
			continue
		}
		idText, _, _ := strings.Cut(rest, " ")
		id, err := strconv.ParseInt(idText, 10, 64)
		if err != nil {
			continue
		}
		m[id] = s
	}
	return m
}
`
