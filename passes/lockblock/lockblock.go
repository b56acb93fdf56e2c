package lockblock

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/leakvet/leakvet/internal/apis"
	"github.com/leakvet/leakvet/internal/docutil"
	"github.com/leakvet/leakvet/internal/flow"
	"github.com/leakvet/leakvet/internal/model"
	"github.com/leakvet/leakvet/internal/suppress"
	"github.com/leakvet/leakvet/internal/witness"
)

//go:embed doc.go
var doc string

// Analyzer reports goroutines that block forever on a sync.Mutex,
// RWMutex or Cond.
var Analyzer = &analysis.Analyzer{
	Name:     "lockblock",
	Doc:      docutil.MustExtract(doc, "lockblock"),
	URL:      "https://pkg.go.dev/github.com/leakvet/leakvet/passes/lockblock",
	Requires: []*analysis.Analyzer{flow.Analyzer, model.Analyzer},
	Run:      run,
}

// Diagnostic categories, stable: they name SARIF rules and suppressions.
const (
	catDoubleLock     = "double-lock"
	catRecursiveRLock = "recursive-rlock"
	catUnreleased     = "unreleased-lock"
	catCondNoSignal   = "cond-no-signal"
	catLockCycle      = "lock-chan-cycle"
	catLockOrder      = "lock-order"
)

// catStuck: a goroutine the bounded interleaving explorer found blocked
// for good on some schedule of a root's goroutines.
const catStuck = "blocked-on-schedule"

func init() { suppress.AddFlag(&Analyzer.Flags) }

type checker struct {
	pass     *analysis.Pass
	m        *model.Model
	reported map[token.Position]bool // lines already reported
}

func run(pass *analysis.Pass) (any, error) {
	defer suppress.Filter(pass, suppress.ReportUnused(pass))()
	// The explorer's stuck goroutines, where the pass's own rules found
	// nothing on that line (explore.go in internal/model).
	lines := model.NoteLines(pass)
	defer func() {
		model.ReportStuck(pass, pass.ResultOf[model.Analyzer].(*model.Model), catStuck, lines, model.StuckLock, model.StuckCond)
	}()
	m := pass.ResultOf[model.Analyzer].(*model.Model)
	fns := m.LockFuncs()
	if len(fns) == 0 {
		return nil, nil
	}
	c := &checker{pass: pass, m: m, reported: map[token.Position]bool{}}
	for _, fn := range fns {
		for _, s := range m.LockSites(fn) {
			if !m.IsLive(s.Instr) {
				continue
			}
			switch s.Op {
			case apis.Lock, apis.RLock:
				c.checkLock(s)
			case apis.CondWait:
				c.checkWait(s)
			}
		}
	}
	c.checkChanCycles()
	c.checkOrder()
	return nil, nil
}

func (c *checker) report(d analysis.Diagnostic) {
	line := flow.LineOf(c.pass.Fset, d.Pos)
	if c.reported[line] {
		return
	}
	c.reported[line] = true
	c.pass.Report(d)
}

func (c *checker) line(instr ssa.Instruction) int { return c.pass.Fset.Position(instr.Pos()).Line }

// name is the source text of the mutex or Cond a lock method is called
// on ("s.mu"), from the call's syntax.
func (c *checker) name(instr ssa.Instruction) string {
	if call := c.m.CallAt(instr.Pos()); call != nil {
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
			return types.ExprString(sel.X)
		}
	}
	return "the mutex"
}

// calleeName is the name a call's syntax gives its function ("s.flush").
func (c *checker) calleeName(instr ssa.Instruction) string {
	if call := c.m.CallAt(instr.Pos()); call != nil {
		return types.ExprString(ast.Unparen(call.Fun))
	}
	if site, ok := instr.(ssa.CallInstruction); ok {
		if g := site.Common().StaticCallee(); g != nil {
			return g.Name()
		}
	}
	return "the function"
}

// mutexType names the type of the mutex a site locks.
func mutexType(s *model.LockSite) string {
	if f := flow.CalleeObject(s.Instr.Common()); f != nil {
		if recv := f.Signature().Recv(); recv != nil {
			if p, ok := recv.Type().(*types.Pointer); ok {
				if n, ok := p.Elem().(*types.Named); ok {
					return "sync." + n.Obj().Name()
				}
			}
		}
	}
	return "the mutex"
}

// checkLock reports what the search from a Lock or RLock finds: the same
// mutex locked again by this goroutine before any release, or a return
// that keeps it locked while other paths release it.
func (c *checker) checkLock(s *model.LockSite) {
	if c.m.UnlockedElsewhere(s.Fn(), s.Key) || c.m.Escapes(s.Fn(), s.Key) {
		// A Go mutex belongs to no goroutine: another function unlocks
		// it without locking, or gets its address or its Unlock (a
		// method value): some other code may release it, stay silent.
		return
	}
	name := c.name(s.Instr)
	for _, r := range c.m.Reaches(s) {
		if !r.Dominated {
			continue // the path rests on the first Lock being conditional
		}
		switch r.Kind {
		case model.Retaken:
			c.reportRetaken(s, r, name)
		case model.ReturnHolding:
			c.reportReturnHolding(s, r, name)
		}
	}
}

func (c *checker) reportRetaken(s *model.LockSite, r model.Reach, name string) {
	g := "goroutine 1"
	kind := mutexType(s)
	cat := catDoubleLock
	var why string
	switch {
	case s.Read() && r.Read:
		if !c.m.Writable(s.Fn(), s.Key) {
			return // no writer can come between the two read locks
		}
		cat = catRecursiveRLock
		why = fmt.Sprintf("the goroutine still holds the read lock it took at line %d, and a writer's Lock in between makes both wait forever (%s forbids recursive read locking)", c.line(s.Instr), kind)
	case s.Read():
		why = fmt.Sprintf("the goroutine still holds the read lock it took at line %d, and Lock waits for every reader, itself included: it blocks forever", c.line(s.Instr))
	case r.Read:
		why = fmt.Sprintf("the goroutine still holds the write lock it took at line %d: it blocks forever", c.line(s.Instr))
	default:
		why = fmt.Sprintf("the goroutine still holds it since line %d and %s is not reentrant: it blocks forever", c.line(s.Instr), kind)
	}
	verb := "locked"
	if r.Read {
		verb = "read-locked"
	}
	var msg string
	switch {
	case r.At == s.Instr:
		msg = fmt.Sprintf("%s is %s here again by the next turn of the loop: a path from this Lock back to it has no Unlock, and %s; unlock it on every path that goes round the loop", name, verb, why)
	case len(r.Chain) > 1:
		msg = fmt.Sprintf("%s is %s again here, by %s called at line %d of %s, while %s; call %s after unlocking, or give it a variant that expects the lock held",
			c.name(r.Chain[len(r.Chain)-1]), verb, c.calleeName(r.At), c.line(r.At), s.Fn().Name(), why, c.calleeName(r.At))
	default:
		msg = fmt.Sprintf("%s is %s again here while %s; unlock it first", name, verb, why)
	}
	if r.DeferredRelease && r.At != s.Instr {
		msg += " (a deferred Unlock runs only when the function returns)"
	}
	steps := []analysis.RelatedInformation{{Pos: s.Instr.Pos(), Message: witness.Step(1, g, fmt.Sprintf("%s %s", verb0(s), name))}}
	n := 2
	if len(r.Chain) > 1 {
		for _, call := range r.Chain[:len(r.Chain)-1] {
			steps = append(steps, analysis.RelatedInformation{Pos: call.Pos(), Message: witness.Step(n, g, "calls "+c.calleeName(call))})
			n++
		}
		steps = append(steps, analysis.RelatedInformation{Pos: r.Chain[len(r.Chain)-1].Pos(), Message: witness.Step(n, g, fmt.Sprintf("%s %s again: blocks forever", verbOf(r.Read), name))})
	} else {
		steps = append(steps, analysis.RelatedInformation{Pos: r.At.Pos(), Message: witness.Step(n, g, fmt.Sprintf("%s %s again: blocks forever", verbOf(r.Read), name))})
	}
	// Reported where the goroutine blocks, as a goroutine dump shows it:
	// for a lock taken again through calls, the callee's Lock.
	at := r.At
	if len(r.Chain) > 1 {
		at = r.Chain[len(r.Chain)-1]
	}
	c.report(analysis.Diagnostic{Pos: at.Pos(), Category: cat, Message: msg, Related: steps})
}

func verb0(s *model.LockSite) string { return verbOf(s.Read()) }

func verbOf(read bool) string {
	if read {
		return "read-locks"
	}
	return "locks"
}

// reportReturnHolding reports a Lock whose function returns with it held
// on some path while another path releases it: not a helper that returns
// holding the lock by design. A function whose last result is an error
// or a bool and that returns nil or true holding it is taken to report
// "you hold the lock now" and is left alone.
func (c *checker) reportReturnHolding(s *model.LockSite, r model.Reach, name string) {
	fn := s.Fn()
	release := r.Released
	if _, deferred := c.m.ReleasedIn(fn, s.Key); release == nil || deferred {
		return // a helper that returns holding the lock, or one a defer releases
	}
	ret := r.At.(*ssa.Return)
	if n := len(ret.Results); n > 0 {
		if k, ok := ret.Results[n-1].(*ssa.Const); ok {
			if k.IsNil() || k.Value != nil && k.Value.String() == "true" {
				return // "you hold the lock": the function's protocol
			}
		}
	}
	g := "goroutine 1"
	verb := "locked"
	if s.Read() {
		verb = "read-locked"
	}
	retPos, where := ret.Pos(), ""
	if !retPos.IsValid() { // the implicit return at the end of the body
		if body := funcBody(fn); body != nil {
			retPos, where = body.Rbrace, " at its end"
		}
	}
	if !retPos.IsValid() {
		return
	}
	c.report(analysis.Diagnostic{
		Pos:      s.Instr.Pos(),
		Category: catUnreleased,
		Message: fmt.Sprintf("%s is %s here and still held when the function returns%s (line %d): that path has no Unlock (another path releases it at line %d), so the next Lock of %s blocks forever; unlock before that return, or defer the Unlock",
			name, verb, where, c.pass.Fset.Position(retPos).Line, c.line(release), name),
		Related: []analysis.RelatedInformation{
			{Pos: s.Instr.Pos(), Message: witness.Step(1, g, verb0(s)+" "+name)},
			{Pos: retPos, Message: witness.Step(2, g, "returns still holding "+name)},
			{Pos: release.Pos(), Message: "another path releases it here"},
		},
	})
}

// funcBody is the body of fn's syntax.
func funcBody(fn *ssa.Function) *ast.BlockStmt {
	switch f := fn.Syntax().(type) {
	case *ast.FuncDecl:
		return f.Body
	case *ast.FuncLit:
		return f.Body
	}
	return nil
}

// checkWait reports a Cond.Wait on a Cond that no live code signals,
// when every use of the Cond is seen.
func (c *checker) checkWait(s *model.LockSite) {
	seen, signalled := c.m.CondSignalled(s)
	if !seen || signalled {
		return
	}
	name := c.name(s.Instr)
	c.report(analysis.Diagnostic{
		Pos:      s.Instr.Pos(),
		Category: catCondNoSignal,
		Message:  fmt.Sprintf("%s.Wait blocks forever: no live code calls Signal or Broadcast on %s, so nothing wakes the goroutine; signal %s after changing the condition it waits for", name, name, name),
		Related:  []analysis.RelatedInformation{{Pos: s.Instr.Pos(), Message: witness.Step(1, "goroutine 1", "waits on "+name+": never signalled")}},
	})
}

// checkChanCycles reports a goroutine that holds a mutex while it sends
// on or receives from an unbuffered channel whose every counterpart needs
// that mutex first: it runs holding it, or after a Lock of it on every
// path. The mutex and the channel must be reached from one value in both
// functions (s.mu and s.ch of the same s), so they are the same instances.
func (c *checker) checkChanCycles() {
	m := c.m
	for _, o := range m.Objects {
		if o.Kind != model.Chan || o.Cap != 0 || o.Unknown {
			continue
		}
		for _, op := range o.Ops {
			if !op.Live || op.Summary || op.Blocked || op.Kind != model.Send && op.Kind != model.Recv {
				continue
			}
			recv := op.Kind == model.Recv
			if recv && o.ExtSend || !recv && o.ExtRecv {
				continue // code outside the package may be the counterpart
			}
			held := m.HeldAt(op.Instr)
			if len(held) == 0 {
				continue
			}
			chKey, ok := model.ChanKey(op)
			if !ok {
				continue
			}
			for _, h := range held {
				if h.Key.Root != chKey.Root {
					continue
				}
				if cs, ok := c.allNeed(o, op, chKey, h); ok {
					c.reportCycle(op, h, cs)
					break
				}
			}
		}
	}
}

// need is a counterpart and the Lock it needs first.
type need struct {
	op   *model.Op
	lock ssa.Instruction
	held bool // it runs holding the mutex (else it took and released it)
}

// allNeed reports whether every live counterpart of op needs the mutex h
// (as h's path names it relative to the channel's root) before it runs.
func (c *checker) allNeed(o *model.Object, op *model.Op, chKey model.LockKey, h model.Held) ([]need, bool) {
	m := c.m
	var out []need
	for _, x := range o.Ops {
		if !x.Live || x == op {
			continue
		}
		switch op.Kind {
		case model.Send:
			if x.Kind != model.Recv && x.Kind != model.SelectRecv {
				continue
			}
		case model.Recv:
			if x.Kind != model.Send && x.Kind != model.SelectSend && x.Kind != model.Close {
				continue
			}
		}
		if x.Summary || x.Fn == op.Fn {
			return nil, false // another package's function, or this goroutine's own
		}
		xKey, ok := model.ChanKey(x)
		if !ok || xKey.Path != chKey.Path || !types.Identical(xKey.Root.Type(), chKey.Root.Type()) {
			return nil, false
		}
		want := model.LockKey{Root: xKey.Root, Path: h.Key.Path}
		found := false
		for _, g := range m.HeldAt(x.Instr) {
			if g.Key == want && !(g.Read && h.Read) {
				out = append(out, need{x, g.At, true})
				found = true
				break
			}
		}
		if !found && !h.Read {
			if l := m.LockBefore(x.Instr, want); l != nil {
				out = append(out, need{x, l, false})
				found = true
			}
		}
		if !found {
			return nil, false
		}
	}
	return out, len(out) > 0
}

func (c *checker) reportCycle(op *model.Op, h model.Held, cs []need) {
	ch := c.chanName(op)
	mu := c.name(h.At)
	what, other := "sends on", "receive from"
	if op.Kind == model.Recv {
		what, other = "receives from", "send on or close of"
	}
	first := cs[0]
	how := "runs holding"
	if !first.held {
		how = "first locks"
	}
	var msg string
	if op.Kind == model.Recv {
		msg = fmt.Sprintf("this goroutine %s %s while it holds %s (locked at line %d), and every %s %s needs %s first (line %d %s it, in %s): whichever takes %s first, the other waits forever; receive after unlocking %s",
			what, ch, mu, c.line(h.At), other, ch, mu, c.line(first.op.Instr), how, first.op.Fn.Name(), mu, mu)
	} else {
		msg = fmt.Sprintf("this goroutine %s %s while it holds %s (locked at line %d), and every %s %s needs %s first (line %d %s it, in %s): whichever takes %s first, the other waits forever; send after unlocking %s",
			what, ch, mu, c.line(h.At), other, ch, mu, c.line(first.op.Instr), how, first.op.Fn.Name(), mu, mu)
	}
	opVerb := "sends on " + ch + ": blocks, nobody can receive"
	if op.Kind == model.Recv {
		opVerb = "receives from " + ch + ": blocks, nobody can send"
	}
	c.report(analysis.Diagnostic{
		Pos:      op.Pos(),
		Category: catLockCycle,
		Message:  msg,
		Related: []analysis.RelatedInformation{
			{Pos: h.At.Pos(), Message: witness.Step(1, "goroutine 1", "locks "+mu)},
			{Pos: op.Pos(), Message: witness.Step(2, "goroutine 1", opVerb)},
			{Pos: first.lock.Pos(), Message: witness.Step(3, "goroutine 2", "locks "+mu+": blocks forever")},
			{Pos: first.op.Pos(), Message: "the counterpart goroutine 2 never reaches"},
		},
	})
}

// chanName names the channel of op as the source does.
func (c *checker) chanName(op *model.Op) string {
	if core := c.pass.ResultOf[flow.Analyzer].(*flow.Result).Core(); core != nil {
		return core.ChanName(op.Pos())
	}
	return "the channel"
}

// checkOrder reports two mutexes taken in both orders: one function
// locks B while it holds A, another (or the same, on another path) locks
// A while it holds B. Mutexes are compared by class (every instance of
// T.mu is one), as lock-order checkers do; two goroutines that run the
// two orders on the same instances each take one and wait forever for the
// other.
func (c *checker) checkOrder() {
	edges := c.m.LockOrder()
	type pair [2]model.LockClass
	done := map[pair]bool{}
	for _, e1 := range edges {
		if done[pair{e1.From, e1.To}] {
			continue
		}
		for _, e2 := range edges {
			if e2.From != e1.To || e2.To != e1.From {
				continue
			}
			if e1.ToRead && e2.FromRead || e2.ToRead && e1.FromRead {
				continue // a read lock waits only for a writer
			}
			done[pair{e1.From, e1.To}], done[pair{e2.From, e2.To}] = true, true
			c.reportOrder(e1, e2)
			break
		}
	}
}

// lockAt is the Lock an edge's acquisition runs: the call's last link.
func lockAt(e model.OrderEdge) ssa.Instruction {
	if len(e.Chain) > 0 {
		return e.Chain[len(e.Chain)-1]
	}
	return e.At
}

func (c *checker) reportOrder(e1, e2 model.OrderEdge) {
	a, b := c.name(e1.Held), c.name(lockAt(e1))
	a2, b2 := c.name(lockAt(e2)), c.name(e2.Held)
	via := ""
	if len(e1.Chain) > 0 {
		via = fmt.Sprintf(" (through %s, line %d)", c.calleeName(e1.At), c.line(e1.At))
	}
	other := e2.Fn.Name()
	if e2.Fn == e1.Fn {
		other = "another path of " + other
	}
	c.report(analysis.Diagnostic{
		Pos:      lockAt(e1).Pos(),
		Category: catLockOrder,
		Message: fmt.Sprintf("lock order inversion: %s is locked here%s while %s is held (line %d), and %s locks %s (line %d) while it holds %s (line %d): two goroutines running both each hold one and wait forever for the other; take the two mutexes in one order everywhere",
			b, via, a, c.line(e1.Held), other, a2, c.line(lockAt(e2)), b2, c.line(e2.Held)),
		Related: []analysis.RelatedInformation{
			{Pos: e1.Held.Pos(), Message: witness.Step(1, "goroutine 1", "locks "+a)},
			{Pos: e2.Held.Pos(), Message: witness.Step(2, "goroutine 2", "locks "+b2)},
			{Pos: lockAt(e1).Pos(), Message: witness.Step(3, "goroutine 1", "locks "+b+": blocks, goroutine 2 holds it")},
			{Pos: lockAt(e2).Pos(), Message: witness.Step(4, "goroutine 2", "locks "+a2+": blocks forever, goroutine 1 holds it")},
		},
	})
}
