package ctxcancel

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/ssa"

	"github.com/leakvet/leakvet/internal/apis"
	"github.com/leakvet/leakvet/internal/docutil"
	"github.com/leakvet/leakvet/internal/fixes"
	"github.com/leakvet/leakvet/internal/flow"
	"github.com/leakvet/leakvet/internal/suppress"
)

//go:embed doc.go
var doc string

// Analyzer reports cancel and stop functions that are not called on
// every path.
var Analyzer = &analysis.Analyzer{
	Name:     "ctxcancel",
	Doc:      docutil.MustExtract(doc, "ctxcancel"),
	URL:      "https://pkg.go.dev/github.com/leakvet/leakvet/passes/ctxcancel",
	Requires: []*analysis.Analyzer{flow.Analyzer, inspect.Analyzer},
	Run:      run,
}

// Diagnostic categories, stable: they name SARIF rules and suppressions.
const (
	catDiscarded   = "discarded"
	catUnreleased  = "unreleased"
	catOverwritten = "overwritten"
	catDeferInLoop = "defer-in-loop"
	catUnusedField = "unused-field"
)

func init() { suppress.AddFlag(&Analyzer.Flags) }

func run(pass *analysis.Pass) (any, error) {
	defer suppress.Filter(pass, suppress.ReportUnused(pass))()
	res := pass.ResultOf[flow.Analyzer].(*flow.Result)
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	r := &reporter{pass: pass, in: in}
	for _, s := range res.Sites {
		if s.Acq.Kind != apis.Cancel && s.Acq.Kind != apis.Stop {
			continue
		}
		switch {
		case s.Discarded:
			if !s.Acq.DiscardOK {
				r.discarded(s)
			}
		case s.Leak != nil:
			r.leak(s)
		}
		if s.DeferInLoop != nil {
			r.deferInLoop(s)
		}
	}
	for _, u := range res.Unused {
		if k := u.Site.Acq.Kind; k == apis.Cancel || k == apis.Stop {
			r.unusedField(u)
		}
	}
	return nil, nil
}

type reporter struct {
	pass *analysis.Pass
	in   *inspector.Inspector
}

func (r *reporter) discarded(s *flow.Site) {
	pos, end := s.Range()
	a := s.Acq
	d := analysis.Diagnostic{
		Pos:      pos,
		End:      end,
		Category: catDiscarded,
		Message: fmt.Sprintf("the %s function returned by %s is discarded; keep it and call it on every path (defer %s(%s)) %s",
			a.Role, a.Name, a.Role, a.Args, a.Why),
	}
	if fix, ok := r.keepAndDeferFix(s); ok {
		d.SuggestedFixes = []analysis.SuggestedFix{fix}
	}
	r.pass.Report(d)
}

func (r *reporter) leak(s *flow.Site) {
	pos, end := s.Range()
	a := s.Acq
	name := s.VarName()
	subject := fmt.Sprintf("the %s function %s returned by %s", a.Role, name, a.Name)
	callName := name
	if name == "" {
		subject = fmt.Sprintf("the %s function returned by %s", a.Role, a.Name)
		callName = a.Role
	}
	line := r.pass.Fset.Position(s.Leak.Pos).Line
	d := analysis.Diagnostic{Pos: pos, End: end}
	switch s.Leak.Kind {
	case flow.LeakReturn:
		d.Category = catUnreleased
		d.Message = fmt.Sprintf("%s is not called on the path that returns at line %d; call it on every path (defer %s(%s) after the call) %s",
			subject, line, callName, a.Args, a.Why)
		d.Related = []analysis.RelatedInformation{{Pos: s.Leak.Pos, Message: fmt.Sprintf("this path returns without calling %s", callName)}}
		if fix, ok := r.deferFix(s); ok {
			d.SuggestedFixes = []analysis.SuggestedFix{fix}
		}
	case flow.LeakLoop:
		d.Category = catUnreleased
		d.Message = fmt.Sprintf("%s is not called before the next iteration of the loop at line %d; call it at the end of every iteration %s",
			subject, line, a.Why)
		d.Related = []analysis.RelatedInformation{{Pos: s.Leak.Pos, Message: "the next iteration starts without the call"}}
	case flow.LeakOverwrite:
		d.Category = catOverwritten
		d.Message = fmt.Sprintf("%s is overwritten at line %d before it is called; call %s(%s) before reassigning it %s",
			subject, line, callName, a.Args, a.Why)
		d.Related = []analysis.RelatedInformation{{Pos: s.Leak.Pos, Message: fmt.Sprintf("%s is reassigned here", callName)}}
	}
	r.pass.Report(d)
}

func (r *reporter) deferInLoop(s *flow.Site) {
	a := s.Acq
	name := s.VarName()
	if name == "" {
		name = a.Role
	}
	fn := "the function literal"
	owner := s.Fn
	for owner.Synthetic == "range-over-func yield" && owner.Parent() != nil {
		owner = owner.Parent() // its defers run when the enclosing function returns
	}
	if _, ok := owner.Syntax().(*ast.FuncDecl); ok {
		fn = owner.Name()
	}
	call := fmt.Sprintf("%s(%s)", name, a.Args)
	deferred := call
	if _, ok := s.DeferInLoop.Call.Value.(*ssa.MakeClosure); ok {
		deferred = "func() { " + call + " }()" // a deferred closure calling it
	}
	r.pass.Report(analysis.Diagnostic{
		Pos:      s.DeferInLoop.Pos(),
		Category: catDeferInLoop,
		Message: fmt.Sprintf("defer %s in a loop: the %s functions returned by %s all wait until %s returns; call %s at the end of each iteration instead",
			deferred, a.Role, a.Name, fn, call),
		Related: []analysis.RelatedInformation{{Pos: s.Call.Pos(), Message: fmt.Sprintf("each iteration calls %s here", a.Name)}},
	})
}

func (r *reporter) unusedField(u *flow.UnusedField) {
	a := u.Site.Acq
	r.pass.Report(analysis.Diagnostic{
		Pos:      u.Pos,
		Category: catUnusedField,
		Message: fmt.Sprintf("the %s function stored in field %s.%s is never called: nothing in package %s reads %s; call it from a Close or Stop method %s",
			a.Role, u.Type.Name(), u.Field.Name(), r.pass.Pkg.Name(), u.Field.Name(), a.Why),
		Related: []analysis.RelatedInformation{{Pos: u.Site.Call.Pos(), Message: fmt.Sprintf("%s is called here", a.Name)}},
	})
}

// deferFix inserts `defer cancel()` after the acquire statement. It is
// offered only where that is right on every path: a `:=` statement in a
// block, not in a loop, whose context is only passed to calls (so ending
// it when the function returns cannot cut short a goroutine or a caller
// that received it), and whose cancel func is never given away.
func (r *reporter) deferFix(s *flow.Site) (analysis.SuggestedFix, bool) {
	as, ok := s.Stmt.(*ast.AssignStmt)
	if !ok || as.Tok != token.DEFINE || s.Var == nil || s.InLoop || !s.ContextOnlyPassed || s.Transfers || !fixes.InBlock(r.in, s.Stmt) {
		return analysis.SuggestedFix{}, false
	}
	name := s.Var.Name()
	return analysis.SuggestedFix{
		Message:   fmt.Sprintf("Add defer %s(%s) after the call", name, s.Acq.Args),
		TextEdits: []analysis.TextEdit{fixes.InsertAfter(r.pass, as, "defer "+name+"("+s.Acq.Args+")")},
	}, true
}

// keepAndDeferFix names a discarded cancel func and defers it, under the
// conditions of deferFix and when the name is free where it is declared.
func (r *reporter) keepAndDeferFix(s *flow.Site) (analysis.SuggestedFix, bool) {
	as, ok := s.Stmt.(*ast.AssignStmt)
	if !ok || as.Tok != token.DEFINE || s.Lhs == nil || s.InLoop || !s.ContextOnlyPassed || !fixes.InBlock(r.in, s.Stmt) {
		return analysis.SuggestedFix{}, false
	}
	name := s.Acq.Role
	if scope := r.pass.Pkg.Scope().Innermost(as.Pos()); scope == nil {
		return analysis.SuggestedFix{}, false
	} else if _, obj := scope.LookupParent(name, as.Pos()); obj != nil {
		return analysis.SuggestedFix{}, false // the name is taken: let the user choose one
	}
	if !r.nameFreeInStmtScope(as, name) {
		return analysis.SuggestedFix{}, false
	}
	return analysis.SuggestedFix{
		Message: fmt.Sprintf("Keep the %s function and defer %s(%s)", name, name, s.Acq.Args),
		TextEdits: []analysis.TextEdit{
			{Pos: s.Lhs.Pos(), End: s.Lhs.End(), NewText: []byte(name)},
			fixes.InsertAfter(r.pass, as, "defer "+name+"("+s.Acq.Args+")"),
		},
	}, true
}

// nameFreeInStmtScope reports whether name is not declared later in the
// block of as, where a new declaration would clash.
func (r *reporter) nameFreeInStmtScope(as *ast.AssignStmt, name string) bool {
	scope := r.pass.Pkg.Scope().Innermost(as.Pos())
	return scope == nil || scope.Lookup(name) == nil
}
