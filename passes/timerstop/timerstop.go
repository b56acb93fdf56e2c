package timerstop

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"go/version"
	"strings"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/types/typeutil"

	"github.com/leakvet/leakvet/internal/apis"
	"github.com/leakvet/leakvet/internal/docutil"
	"github.com/leakvet/leakvet/internal/fixes"
	"github.com/leakvet/leakvet/internal/flow"
	"github.com/leakvet/leakvet/internal/goversion"
	"github.com/leakvet/leakvet/internal/suppress"
)

//go:embed doc.go
var doc string

// Analyzer reports timers and tickers left running where that leaks.
var Analyzer = &analysis.Analyzer{
	Name:     "timerstop",
	Doc:      docutil.MustExtract(doc, "timerstop"),
	URL:      "https://pkg.go.dev/github.com/leakvet/leakvet/passes/timerstop",
	Requires: []*analysis.Analyzer{flow.Analyzer, inspect.Analyzer},
	Run:      run,
}

// Diagnostic categories, stable: they name SARIF rules and suppressions.
const (
	catUnstopped   = "unstopped"
	catTick        = "tick"
	catAfterInLoop = "after-in-loop"
	catForever     = "forever"
	catDrain       = "drain"
	catAfterFunc   = "afterfunc"
)

// syncTimers is the first version whose timers are collected when
// unreferenced and whose channels are synchronous.
const syncTimers = "go1.23"

type checker struct {
	*flow.Core // nil when the core skipped the package
	pass       *analysis.Pass
	in         *inspector.Inspector
	async      bool // asynctimerchan=1: pre-1.23 timers whatever the version
}

func init() { suppress.AddFlag(&Analyzer.Flags) }

func run(pass *analysis.Pass) (any, error) {
	defer suppress.Filter(pass, suppress.ReportUnused(pass))()
	res := pass.ResultOf[flow.Analyzer].(*flow.Result)
	c := &checker{
		Core: res.Core(),
		pass: pass,
		in:   pass.ResultOf[inspect.Analyzer].(*inspector.Inspector),
	}
	var drains []*drain
	if c.Core != nil {
		drains = c.findDrains()
	}
	forever := markForever(res)
	if len(res.Sites) > 0 || len(drains) > 0 {
		c.async = goversion.AsyncTimerChan(pass)
	}
	for _, l := range res.TimerLoops {
		c.forever(l)
	}
	for _, s := range res.Sites {
		if c.exempt(s.Fn, s.Call.Pos()) {
			continue
		}
		switch s.Acq.Kind {
		case apis.Ticker, apis.Timer:
			if s.Leak != nil && s.FnReturns && c.oldTimers(s.Call.Pos()) && !c.shortTimer(s) && !forever[s] {
				c.unstopped(s)
			}
		case apis.Tick:
			if c.oldTimers(s.Call.Pos()) && !forever[s] && s.FnReturns {
				c.report(s.Call.Pos(), catTick, "time.Tick leaks its ticker before go1.23: it can never be stopped or collected; use time.NewTicker and stop it")
			}
		case apis.After:
			if s.InLoop && c.afterRepeats(s) && c.oldTimers(s.Call.Pos()) {
				c.report(s.Call.Pos(), catAfterInLoop, "time.After in a loop starts a timer per iteration that lives until it fires before go1.23; create one timer outside the loop and Reset it")
			}
		}
	}
	for _, s := range res.Sites {
		if s.Acq.Kind == apis.FuncTimer && s.Discarded {
			c.afterFunc(s)
		}
	}
	for _, d := range drains {
		c.reportDrain(d)
	}
	return nil, nil
}

func (c *checker) report(pos token.Pos, cat, msg string) {
	c.pass.Report(analysis.Diagnostic{Pos: pos, Category: cat, Message: msg})
}

// oldTimers reports whether the code at pos runs with pre-Go 1.23 timers.
func (c *checker) oldTimers(pos token.Pos) bool {
	v := goversion.Timers(c.pass, pos)
	return c.async || (v != "" && version.Compare(v, syncTimers) < 0)
}

// exempt reports whether a timer made at pos in fn lives as long as it
// should: in main, init, or a test file.
func (c *checker) exempt(fn *ssa.Function, pos token.Pos) bool {
	if flow.IsMainLike(fn) {
		return true
	}
	return strings.HasSuffix(c.pass.Fset.Position(pos).Filename, "_test.go")
}

// shortTimer reports whether a NewTimer's duration is a constant under a
// second: such a timer is gone soon enough that a missed Stop costs little.
func (c *checker) shortTimer(s *flow.Site) bool {
	if s.Acq.Kind != apis.Timer || len(s.Call.Call.Args) == 0 {
		return false
	}
	k, ok := s.Call.Call.Args[0].(*ssa.Const)
	if !ok || k.Value == nil || k.Value.Kind() != constant.Int {
		return false
	}
	d, exact := constant.Int64Val(k.Value)
	return exact && time.Duration(d) < time.Second
}

func (c *checker) unstopped(s *flow.Site) {
	name := s.VarName()
	subject := fmt.Sprintf("the %s %s from %s", s.Acq.Role, name, s.Acq.Name)
	stop := name + ".Stop()"
	if name == "" {
		// an unnamed timer (a field, an element): say whose Stop it is
		subject = fmt.Sprintf("the %s from %s", s.Acq.Role, s.Acq.Name)
		stop = "its Stop()"
	}
	why := "before go1.23 an unstopped ticker is never freed"
	if s.Acq.Kind == apis.Timer {
		why = "before go1.23 it stays in the timer heap until it fires"
	}
	pos, end := s.Range()
	line := c.pass.Fset.Position(s.Leak.Pos).Line
	d := analysis.Diagnostic{Pos: pos, End: end, Category: catUnstopped}
	switch s.Leak.Kind {
	case flow.LeakReturn:
		d.Message = fmt.Sprintf("%s is not stopped on the path that returns at line %d; %s: call %s on every path (defer %s after the call)",
			subject, line, why, stop, stop)
		d.Related = []analysis.RelatedInformation{{Pos: s.Leak.Pos, Message: "this path returns without " + stop}}
		if fix, ok := c.deferStop(s); ok {
			d.SuggestedFixes = []analysis.SuggestedFix{fix}
		}
	case flow.LeakLoop:
		d.Message = fmt.Sprintf("%s is not stopped before the next iteration of the loop at line %d; %s: call %s at the end of every iteration",
			subject, line, why, stop)
		d.Related = []analysis.RelatedInformation{{Pos: s.Leak.Pos, Message: "the next iteration starts without " + stop}}
	case flow.LeakOverwrite:
		d.Message = fmt.Sprintf("%s is overwritten at line %d before it is stopped; %s: call %s before reassigning it",
			subject, line, why, stop)
		d.Related = []analysis.RelatedInformation{{Pos: s.Leak.Pos, Message: "reassigned here"}}
	}
	c.pass.Report(d)
}

// deferStop inserts `defer t.Stop()` after `t := time.NewTicker(d)` where
// that is right on every path: a := statement in a block, outside loops,
// and the timer never handed over.
func (c *checker) deferStop(s *flow.Site) (analysis.SuggestedFix, bool) {
	as, ok := s.Stmt.(*ast.AssignStmt)
	if !ok || as.Tok != token.DEFINE || s.Var == nil || s.InLoop || s.Transfers || !fixes.InBlock(c.in, s.Stmt) || (s.Value != nil && chanEscapes(s.Value)) {
		return analysis.SuggestedFix{}, false
	}
	text := "defer " + s.Var.Name() + ".Stop()"
	return analysis.SuggestedFix{
		Message:   fmt.Sprintf("Add %s after the call", text),
		TextEdits: []analysis.TextEdit{fixes.InsertAfter(c.pass, as, text)},
	}, true
}

func (c *checker) forever(l *flow.TimerLoop) {
	if l.Break {
		return // selectnil reports the break that was meant to leave the loop
	}
	if strings.HasSuffix(c.pass.Fset.Position(l.Go.Pos()).Filename, "_test.go") {
		return // a test's goroutines end with the test binary
	}
	ch := c.chanText(l.Recv)
	c.pass.Report(analysis.Diagnostic{
		Pos:      l.Recv,
		Category: catForever,
		Message: fmt.Sprintf("this goroutine receives from %s forever: no path leaves the loop, so the goroutine and its ticker are never released; add a case that returns (case <-ctx.Done(): return)",
			ch),
		Related: []analysis.RelatedInformation{{Pos: l.Go.Pos(), Message: "the goroutine is started here"}},
	})
}

// chanText renders the channel received from at pos as written: "t.C",
// "s.ticker.C", or "time.Tick" for a Tick channel.
func (c *checker) chanText(pos token.Pos) string {
	var found ast.Expr
	for cur := range c.in.Root().Preorder((*ast.UnaryExpr)(nil), (*ast.RangeStmt)(nil)) {
		switch n := cur.Node().(type) {
		case *ast.UnaryExpr:
			if n.Op == token.ARROW && n.OpPos == pos {
				found = n.X
			}
		case *ast.RangeStmt:
			if n.For == pos || n.Range == pos || n.X.Pos() == pos || n.TokPos == pos {
				found = n.X
			}
		}
		if found != nil {
			break
		}
	}
	if found == nil {
		return "its timer channel"
	}
	if call, ok := ast.Unparen(found).(*ast.CallExpr); ok {
		if fn, ok := typeutil.Callee(c.pass.TypesInfo, call).(*types.Func); ok && fn.Pkg() != nil {
			return fn.Pkg().Name() + "." + fn.Name()
		}
	}
	return types.ExprString(found)
}

func (c *checker) reportDrain(d *drain) {
	pos := d.Recv.Pos()
	stmt := c.stmtAt(pos)
	timer := "the timer"
	if len(d.Stop.Call.Args) > 0 {
		if sel := c.selectorAt(pos); sel != nil {
			timer = types.ExprString(sel.X)
		}
	}
	diag := analysis.Diagnostic{Pos: pos, Category: catDrain}
	diag.Related = []analysis.RelatedInformation{{Pos: d.Prior, Message: "the value is received here first"}}
	if !c.oldTimers(pos) {
		diag.Message = "this receive blocks forever: since go1.23 Stop returns false only when the value was already received or the timer stopped; delete the drain"
		if ifStmt := c.enclosingIf(pos); ifStmt != nil && fixes.InBlock(c.in, ifStmt) && len(ifStmt.Body.List) == 1 && ifStmt.Else == nil && ifStmt.Init == nil {
			if not, ok := ast.Unparen(ifStmt.Cond).(*ast.UnaryExpr); ok && not.Op == token.NOT {
				// keep the Stop (or Reset) call, drop the drain around it
				diag.SuggestedFixes = []analysis.SuggestedFix{{
					Message: "Delete the drain, keep the call",
					TextEdits: []analysis.TextEdit{{
						Pos: ifStmt.Pos(), End: ifStmt.End(),
						NewText: []byte(types.ExprString(not.X)),
					}},
				}}
			}
		}
		c.pass.Report(diag)
		return
	}
	diag.Message = fmt.Sprintf("this receive blocks forever if the value from %s.C was already received at line %d; drain without blocking: select { case <-%s.C: default: }",
		timer, c.pass.Fset.Position(d.Prior).Line, timer)
	if stmt != nil {
		indent := fixes.Indent(c.pass, stmt.Pos())
		diag.SuggestedFixes = []analysis.SuggestedFix{{
			Message: "Drain without blocking",
			TextEdits: []analysis.TextEdit{{
				Pos: stmt.Pos(), End: stmt.End(),
				NewText: []byte("select {\n" + indent + "case <-" + timer + ".C:\n" + indent + "default:\n" + indent + "}"),
			}},
		}}
	}
	c.pass.Report(diag)
}

// stmtAt returns the expression statement `<-t.C` whose arrow is at pos.
func (c *checker) stmtAt(pos token.Pos) *ast.ExprStmt {
	for cur := range c.in.Root().Preorder((*ast.ExprStmt)(nil)) {
		st := cur.Node().(*ast.ExprStmt)
		if u, ok := ast.Unparen(st.X).(*ast.UnaryExpr); ok && u.OpPos == pos {
			return st
		}
	}
	return nil
}

// selectorAt returns t.C in the receive at pos.
func (c *checker) selectorAt(pos token.Pos) *ast.SelectorExpr {
	for cur := range c.in.Root().Preorder((*ast.UnaryExpr)(nil)) {
		u := cur.Node().(*ast.UnaryExpr)
		if u.Op == token.ARROW && u.OpPos == pos {
			sel, _ := ast.Unparen(u.X).(*ast.SelectorExpr)
			return sel
		}
	}
	return nil
}

// enclosingIf returns the if statement whose body holds the receive at pos.
func (c *checker) enclosingIf(pos token.Pos) *ast.IfStmt {
	var found *ast.IfStmt
	for cur := range c.in.Root().Preorder((*ast.IfStmt)(nil)) {
		n := cur.Node().(*ast.IfStmt)
		if n.Body.Pos() <= pos && pos < n.Body.End() {
			found = n // keep the innermost
		}
	}
	return found
}

func (c *checker) afterFunc(s *flow.Site) {
	owner := s.Fn
	if owner.Parent() != nil {
		// a callback inside the method (an OnFinish hook, a per-call
		// closure) may belong to a shorter-lived object than the receiver
		return
	}
	recv := owner.Signature.Recv()
	if recv == nil {
		return
	}
	t := recv.Type()
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	named, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return
	}
	switch owner.Name() {
	case "Close", "Stop", "Shutdown":
		return // the timer belongs to the shutdown itself
	}
	ms := types.NewMethodSet(types.NewPointer(named))
	for _, name := range []string{"Close", "Stop", "Shutdown"} {
		if sel := ms.Lookup(named.Obj().Pkg(), name); sel != nil {
			typ := named.Obj().Name()
			c.report(s.Call.Pos(), catAfterFunc, fmt.Sprintf(
				"the timer from time.AfterFunc is discarded, so %s.%s cannot stop it: the callback still runs after %s is closed; keep it in a field and stop it in %s",
				typ, name, typ, name))
			return
		}
	}
}
