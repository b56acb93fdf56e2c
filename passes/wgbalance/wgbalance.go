package wgbalance

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/leakvet/leakvet/internal/docutil"
	"github.com/leakvet/leakvet/internal/fixes"
	"github.com/leakvet/leakvet/internal/flow"
	"github.com/leakvet/leakvet/internal/goversion"
	"github.com/leakvet/leakvet/internal/model"
	"github.com/leakvet/leakvet/internal/suppress"
)

//go:embed doc.go
var doc string

// Analyzer reports WaitGroup Add, Done and Wait that cannot balance.
var Analyzer = &analysis.Analyzer{
	Name:     "wgbalance",
	Doc:      docutil.MustExtract(doc, "wgbalance"),
	URL:      "https://pkg.go.dev/github.com/leakvet/leakvet/passes/wgbalance",
	Requires: []*analysis.Analyzer{flow.Analyzer, model.Analyzer, inspect.Analyzer},
	Run:      run,
}

// Diagnostic categories, stable: they name SARIF rules and suppressions.
const (
	catAddInGoroutine = "add-in-goroutine"
	catDoneSomePaths  = "done-some-paths"
	catAddMismatch    = "add-mismatch"
	catAddLenSkip     = "add-len-skip"
	catWaitInLoop     = "wait-in-loop"
	catNegative       = "negative"
)

type reporter struct {
	pass *analysis.Pass
	in   *inspector.Inspector
	m    *model.Model // its CallAt: call syntax by Lparen, as SSA positions calls
	core *flow.Core   // nil when the prefilter skipped the package
}

// catStuck: a goroutine the bounded interleaving explorer found blocked
// for good on some schedule of a root's goroutines.
const catStuck = "blocked-on-schedule"

func init() { suppress.AddFlag(&Analyzer.Flags) }

func run(pass *analysis.Pass) (any, error) {
	defer suppress.Filter(pass, suppress.ReportUnused(pass))()
	// The explorer's stuck goroutines, where the pass's own rules found
	// nothing on that line (explore.go in internal/model).
	lines := model.NoteLines(pass)
	defer func() {
		model.ReportStuck(pass, pass.ResultOf[model.Analyzer].(*model.Model), catStuck, lines, model.StuckWait)
	}()
	var issues []*issue
	core := pass.ResultOf[flow.Analyzer].(*flow.Result).Core()
	if core != nil {
		c := &checker{Core: core}
		c.findWaitGroups()
		issues = c.issues
	}
	m := pass.ResultOf[model.Analyzer].(*model.Model)
	r := &reporter{pass: pass, in: pass.ResultOf[inspect.Analyzer].(*inspector.Inspector), m: m, core: core}
	reported := map[token.Pos]bool{}
	if len(issues) > 0 {
		for _, is := range issues {
			r.report(is)
			reported[is.Pos] = true
		}
	}
	r.firstStatementAdds(reported)
	r.reportModel(m, reported)
	return nil, nil
}

// firstStatementAdds reports, like vet's waitgroup pass, a go statement
// whose function literal starts with wg.Add, wherever the Wait is (another
// method, the caller) or even without one: the Add belongs before the go
// statement. It keeps vet's reports a subset of wgbalance's, but for one:
// when the spawner holds a count of the same WaitGroup (it Adds before the
// go statement, or is itself a goroutine that calls Done), the Add cannot
// let a Wait return early, and nothing is reported.
func (r *reporter) firstStatementAdds(reported map[token.Pos]bool) {
	for cur := range r.in.Root().Preorder((*ast.GoStmt)(nil)) {
		g := cur.Node().(*ast.GoStmt)
		lit, ok := ast.Unparen(g.Call.Fun).(*ast.FuncLit)
		if !ok || len(lit.Body.List) == 0 {
			continue
		}
		es, ok := lit.Body.List[0].(*ast.ExprStmt)
		if !ok {
			continue
		}
		add, ok := ast.Unparen(es.X).(*ast.CallExpr)
		if !ok || !r.isWGMethod(add, "Add") || reported[add.Lparen] {
			continue
		}
		wg := types.ExprString(add.Fun.(*ast.SelectorExpr).X)
		spawner := enclosingFunc(cur)
		if spawner == nil || r.holdsCount(spawner, wg, g.Pos()) {
			continue
		}
		d := analysis.Diagnostic{Pos: add.Lparen, Category: catAddInGoroutine}
		if wait := r.waitAfter(spawner, wg, g.End()); wait != nil {
			d.Message = fmt.Sprintf("%s.Add is called inside the goroutine started at line %d, which may run after %s.Wait at line %d returns; call %s.Add before the go statement",
				wg, r.line(g.Pos()), wg, r.line(wait.Lparen), wg)
		} else {
			d.Message = fmt.Sprintf("%s.Add is called inside the goroutine started at line %d, so a %s.Wait that runs first may return before it; call %s.Add before the go statement",
				wg, r.line(g.Pos()), wg, wg)
		}
		d.Related = []analysis.RelatedInformation{{Pos: g.Pos(), Message: "the goroutine is started here"}}
		r.pass.Report(d)
	}
}

// enclosingFunc returns the body of the function literal or declaration
// around cur.
func enclosingFunc(cur inspector.Cursor) *ast.BlockStmt {
	for c := range cur.Enclosing((*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
		switch n := c.Node().(type) {
		case *ast.FuncLit:
			return n.Body
		case *ast.FuncDecl:
			return n.Body
		}
	}
	return nil
}

// holdsCount reports whether body Adds to wg before pos or calls wg.Done
// (a goroutine holding its own count), not counting nested literals.
func (r *reporter) holdsCount(body *ast.BlockStmt, wg string, pos token.Pos) bool {
	held := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok && types.ExprString(sel.X) == wg {
				if (r.isWGMethod(n, "Add") && n.Pos() < pos) || r.isWGMethod(n, "Done") {
					held = true
				}
			}
		}
		return !held
	})
	return held
}

// waitAfter returns a wg.Wait call in body after pos, or nil.
func (r *reporter) waitAfter(body *ast.BlockStmt, wg string, pos token.Pos) *ast.CallExpr {
	var wait *ast.CallExpr
	ast.Inspect(body, func(n ast.Node) bool {
		if call, ok := n.(*ast.CallExpr); ok && wait == nil && call.Pos() > pos && r.isWGMethod(call, "Wait") {
			if sel := call.Fun.(*ast.SelectorExpr); types.ExprString(sel.X) == wg {
				wait = call
			}
		}
		return wait == nil
	})
	return wait
}

// recv renders the WaitGroup of the method call at pos as written.
func (r *reporter) recv(pos token.Pos) string {
	if call := r.m.CallAt(pos); call != nil {
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
			return types.ExprString(sel.X)
		}
	}
	return "the WaitGroup"
}

func (r *reporter) line(pos token.Pos) int { return r.pass.Fset.Position(pos).Line }

func (r *reporter) report(is *issue) {
	d := analysis.Diagnostic{Pos: is.Pos}
	switch is.Kind {
	case addInGoroutine:
		wg := r.recv(is.Pos)
		d.Category = catAddInGoroutine
		d.Message = fmt.Sprintf("%s.Add is called inside the goroutine started at line %d, which may run after %s.Wait at line %d returns; call %s.Add before the go statement",
			wg, r.line(is.Go.Pos()), r.recv(is.Wait), r.line(is.Wait), wg)
		d.Related = []analysis.RelatedInformation{{Pos: is.Go.Pos(), Message: "the goroutine is started here"}, {Pos: is.Wait, Message: "Wait may return before the Add"}}
	case doneSomePaths:
		wg := r.recv(is.Wait)
		d.Category = catDoneSomePaths
		d.Message = fmt.Sprintf("this goroutine does not call %s.Done on the path that returns at line %d, so %s.Wait at line %d blocks forever; call defer %s.Done() first in the goroutine",
			wg, r.line(is.At), wg, r.line(is.Wait), wg)
		if !goversion.Before(r.pass, is.Pos, "go1.25") {
			d.Message += fmt.Sprintf(", or use %s.Go", wg)
		}
		d.Related = []analysis.RelatedInformation{{Pos: is.At, Message: "this path returns without Done"}, {Pos: is.Wait, Message: "Wait blocks here"}}
		if fix, ok := r.deferDone(is); ok {
			d.SuggestedFixes = []analysis.SuggestedFix{fix}
		}
	case addMismatch:
		wg := r.recv(is.Add)
		d.Category = catAddMismatch
		through := r.line(is.At) // too many: the go statement past the count
		if is.K < is.N {
			through = r.line(r.branchOf(is.At, is.Passed))
		}
		if is.K < is.N {
			d.Message = fmt.Sprintf("%s.Add(%d) counts %d %s but the path through line %d starts %d before %s.Wait at line %d, which then blocks forever",
				wg, is.N, is.N, plural(is.N), through, is.K, wg, r.line(is.Wait))
		} else {
			d.Message = fmt.Sprintf("%s.Add(%d) counts %d %s but the path through line %d starts %d before %s.Wait at line %d: the counter goes negative and panics",
				wg, is.N, is.N, plural(is.N), through, is.K, wg, r.line(is.Wait))
		}
		d.Related = []analysis.RelatedInformation{{Pos: is.At, Message: "the goroutine count differs here"}, {Pos: is.Wait, Message: "Wait"}}
	case addLenSkip:
		wg := r.recv(is.Add)
		xs := "xs"
		if call := r.m.CallAt(is.Add); call != nil && len(call.Args) == 1 {
			if l, ok := ast.Unparen(call.Args[0]).(*ast.CallExpr); ok && len(l.Args) == 1 {
				xs = types.ExprString(l.Args[0])
			}
		}
		d.Category = catAddLenSkip
		d.Message = fmt.Sprintf("%s.Add(len(%s)) counts one goroutine per element but the loop skips the go statement at line %d, so %s.Wait at line %d blocks forever; call %s.Add(1) before each go statement instead",
			wg, xs, r.line(is.At), wg, r.line(is.Wait), wg)
		d.Related = []analysis.RelatedInformation{{Pos: is.At, Message: "some iterations do not reach this go statement"}, {Pos: is.Wait, Message: "Wait"}}
	case waitInLoop:
		wg := r.recv(is.Wait)
		d.Category = catWaitInLoop
		d.Message = fmt.Sprintf("%s.Wait inside the loop that starts the goroutines counted by %s.Add at line %d: the first iteration waits for all of them and blocks forever; move %s.Wait after the loop",
			wg, wg, r.line(is.Add), wg)
		d.Related = []analysis.RelatedInformation{{Pos: is.Add, Message: "the goroutines are counted here, before the loop"}}
	case negative:
		wg := r.recv(is.Pos)
		d.Category = catNegative
		d.Message = fmt.Sprintf("%s.Done without a matching %s.Add: the counter goes negative and panics", wg, wg)
	case doubleDone:
		wg := r.recv(is.Pos)
		d.Category = catNegative
		d.Message = fmt.Sprintf("%s.Done is called twice on the path through line %d: the counter goes negative and panics", wg, r.line(is.At))
		d.Related = []analysis.RelatedInformation{{Pos: is.At, Message: "the first Done"}}
	}
	r.pass.Report(d)
}

// branchOf returns the line a path that skips the go statement at skipped
// goes through: the if statement that guards it, or, when it sits in a
// case of a switch or select, the case the path took instead (the one
// holding the last go statement it passed, else the default).
func (r *reporter) branchOf(skipped, passed token.Pos) token.Pos {
	var innermost ast.Node
	for cur := range r.in.Root().Preorder((*ast.IfStmt)(nil), (*ast.CaseClause)(nil), (*ast.CommClause)(nil)) {
		n := cur.Node()
		if n.Pos() <= skipped && skipped < n.End() {
			innermost = n // Preorder: the innermost comes last
		}
	}
	switch n := innermost.(type) {
	case *ast.IfStmt:
		return n.Pos()
	case *ast.CaseClause, *ast.CommClause:
		cur, _ := r.in.Root().FindNode(n)
		body := cur.Parent() // the switch's or select's body
		var dflt token.Pos
		for sib := range body.Children() {
			c := sib.Node()
			if passed.IsValid() && c.Pos() <= passed && passed < c.End() {
				return c.Pos()
			}
			if cc, ok := c.(*ast.CaseClause); ok && cc.List == nil {
				dflt = cc.Pos()
			}
		}
		if dflt.IsValid() {
			return dflt
		}
	}
	return skipped
}

// deferDone rewrites a goroutine literal that calls wg.Done on some paths
// into one that defers it first: offered when every Done on that
// WaitGroup in the literal is a plain statement outside loops and nested
// functions, so that each path calls Done exactly once afterwards.
func (r *reporter) deferDone(is *issue) (analysis.SuggestedFix, bool) {
	goStmt := r.goStmtAt(is.Go.Pos())
	if goStmt == nil {
		return analysis.SuggestedFix{}, false
	}
	lit, ok := ast.Unparen(goStmt.Call.Fun).(*ast.FuncLit)
	if !ok || len(lit.Body.List) == 0 {
		return analysis.SuggestedFix{}, false
	}
	// Every Done must be deferred, or end its path (the last statement of
	// the literal, or followed by a return): then deferring one Done at
	// the start changes no path's count. A Done followed by more work is
	// a signal ("ready"), not the goroutine's end: no fix.
	var dones []ast.Stmt
	var name string
	safe := true
	var visit func(list []ast.Stmt, top bool)
	visit = func(list []ast.Stmt, top bool) {
		for i, st := range list {
			switch st := st.(type) {
			case *ast.DeferStmt:
				if r.isDone(st.Call) {
					dones = append(dones, st)
					name = types.ExprString(st.Call.Fun.(*ast.SelectorExpr).X)
					continue
				}
			case *ast.ExprStmt:
				if call, ok := ast.Unparen(st.X).(*ast.CallExpr); ok && r.isDone(call) {
					last := top && i == len(list)-1
					_, beforeReturn := nextStmt(list, i).(*ast.ReturnStmt)
					if !last && !beforeReturn {
						safe = false
					}
					dones = append(dones, st)
					name = types.ExprString(call.Fun.(*ast.SelectorExpr).X)
					continue
				}
			case *ast.BlockStmt:
				visit(st.List, false)
				continue
			case *ast.IfStmt:
				visit(st.Body.List, false)
				if st.Else != nil {
					visit([]ast.Stmt{st.Else}, false)
				}
				continue
			case *ast.SwitchStmt:
				for _, cc := range st.Body.List {
					visit(cc.(*ast.CaseClause).Body, false)
				}
				continue
			}
			if r.containsDone(st) {
				safe = false // a Done in a loop, a nested function, a select...
			}
		}
	}
	visit(lit.Body.List, true)
	if !safe || len(dones) == 0 {
		return analysis.SuggestedFix{}, false
	}
	first := lit.Body.List[0]
	edits := []analysis.TextEdit{{
		Pos: first.Pos(), End: first.Pos(),
		NewText: []byte("defer " + name + ".Done()\n" + fixes.Indent(r.pass, first.Pos())),
	}}
	for _, d := range dones {
		if d == first {
			edits = edits[:0] // already first: only the others go
			continue
		}
		edits = append(edits, fixes.DeleteStmt(r.pass, d))
	}
	if len(edits) == 0 {
		return analysis.SuggestedFix{}, false
	}
	return analysis.SuggestedFix{Message: fmt.Sprintf("Defer %s.Done() at the start of the goroutine", name), TextEdits: edits}, true
}

// isDone reports whether call is (*sync.WaitGroup).Done.
func (r *reporter) isDone(call *ast.CallExpr) bool { return r.isWGMethod(call, "Done") }

// isWGMethod reports whether call is the sync.WaitGroup method name.
func (r *reporter) isWGMethod(call *ast.CallExpr, name string) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != name {
		return false
	}
	fn, ok := r.pass.TypesInfo.Uses[sel.Sel].(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != "sync" {
		return false
	}
	recv := fn.Signature().Recv()
	return recv != nil && types.TypeString(recv.Type(), nil) == "*sync.WaitGroup"
}

func (r *reporter) containsDone(n ast.Node) bool {
	found := false
	ast.Inspect(n, func(m ast.Node) bool {
		if call, ok := m.(*ast.CallExpr); ok && r.isDone(call) {
			found = true
		}
		return !found
	})
	return found
}

func nextStmt(list []ast.Stmt, i int) ast.Stmt {
	if i+1 < len(list) {
		return list[i+1]
	}
	return nil
}

func (r *reporter) goStmtAt(pos token.Pos) *ast.GoStmt {
	for cur := range r.in.Root().Preorder((*ast.GoStmt)(nil)) {
		if g := cur.Node().(*ast.GoStmt); g.Go == pos {
			return g
		}
	}
	return nil
}

func plural(n int) string {
	if n == 1 {
		return "goroutine"
	}
	return "goroutines"
}
