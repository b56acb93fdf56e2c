package model

import (
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/leakvet/leakvet/internal/flow"
)

// A Stopper is how a goroutine that serves a channel in a loop stops
// serving it for good: a select in the loop has a case on the channel
// (Serve) and another case (Case) from which a path leaves the
// goroutine's function (at Exit) without touching the channel again.
type Stopper struct {
	Serve *Op // the select case on the served channel
	Case  *Op // the case that ends the loop
	Exit  ssa.Instruction
	// Fires are the live operations that make Case proceed: the close of
	// (or send on) its channel, the cancel of its context. External: code
	// the package does not see may fire it too (a context parameter, a
	// timer, an escaped channel); Fires is then incomplete.
	Fires    []*Op
	External bool
}

// Stoppers reports how every counterpart of a send on o (recv false:
// the receives) or of a receive from o (recv true: the sends) can stop
// for good, one Stopper per counterpart. It reports nil when some live
// counterpart cannot stop that way (a plain operation, a range, a close,
// an operation outside a goroutine's own loop) or o is not a channel the
// package alone can serve: then the question does not arise, or the
// model cannot answer it.
func (m *Model) Stoppers(o *Object, recv bool) []Stopper {
	if o == nil || o.Kind != Chan || o.Unknown || !made(o) || len(o.n.derived) > 0 {
		return nil
	}
	if recv && o.ExtSend || !recv && o.ExtRecv {
		return nil // unseen code may serve it
	}
	var out []Stopper
	for _, op := range o.Ops {
		if !op.Live {
			continue
		}
		switch op.Kind {
		case Close:
			if recv {
				return nil // a close ends every receive
			}
			continue
		case Send, Recv:
			if (op.Kind == Send) == recv {
				return nil // a plain counterpart: no way out but the channel
			}
			continue
		case SelectSend, SelectRecv:
			if (op.Kind == SelectSend) != recv {
				continue // same side as the blocked operation
			}
		default:
			continue
		}
		st, ok := m.stopperOf(op, o)
		if !ok {
			return nil
		}
		out = append(out, st)
	}
	return out
}

// stopperOf finds how the select case serve (on o) stops being served:
// its function is a goroutine body (only go statements start it), the
// select is in a loop, and another case leads to a return without
// another operation on o.
func (m *Model) stopperOf(serve *Op, o *Object) (Stopper, bool) {
	sel := serve.Instr.(*ssa.Select)
	fn := serve.Fn
	if !m.goOnly(fn, o) || !flow.InCycle(sel.Block()) {
		return Stopper{}, false
	}
	onO := map[*ssa.BasicBlock]bool{}
	for _, op := range o.Ops {
		if op.Fn == fn && op.Instr != sel {
			onO[op.Instr.Block()] = true
		}
	}
	for _, c := range m.OpsAt[sel] {
		if c == serve || c.Kind != SelectRecv {
			continue
		}
		x := m.ObjectOf(c)
		if x == o {
			continue
		}
		start := flow.SelectCaseBlock(sel, c.Case)
		if start == nil {
			continue
		}
		exit := m.exitFrom(start, sel.Block(), onO)
		if exit == nil {
			continue
		}
		fires, external, ok := m.firesOf(x)
		if !ok {
			continue // nothing can make this case proceed
		}
		return Stopper{Serve: serve, Case: c, Exit: exit, Fires: fires, External: external}, true
	}
	return Stopper{}, false
}

// goOnly reports whether fn, once it returns, ends its goroutine's
// service of o: every call of fn in the package is a go statement, or a
// call outside loops in such a goroutine body that has no operation on
// o of its own (depth-bounded).
func (m *Model) goOnly(fn *ssa.Function, o *Object) bool {
	return m.goBody(fn, o, 3)
}

func (m *Model) goBody(fn *ssa.Function, o *Object, depth int) bool {
	sites := m.callers()[fn]
	if len(sites) == 0 || depth == 0 {
		return false
	}
	for _, s := range sites {
		switch s := s.(type) {
		case *ssa.Go:
		case *ssa.Call:
			caller := s.Parent()
			if flow.InCycle(s.Block()) || m.opsIn(o, caller) || !m.goBody(caller, o, depth-1) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// opsIn reports whether fn performs an operation on o.
func (m *Model) opsIn(o *Object, fn *ssa.Function) bool {
	if o == nil {
		return false
	}
	for _, op := range o.Ops {
		if op.Fn == fn {
			return true
		}
	}
	return false
}

// callers maps each package function to its call sites (go and defer
// included).
func (m *Model) callers() map[*ssa.Function][]ssa.CallInstruction { return m.callersOf }

// buildCallers builds callersOf from callees, in instruction order.
func (m *Model) buildCallers() {
	m.callersOf = map[*ssa.Function][]ssa.CallInstruction{}
	for _, fn := range m.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if site, ok := instr.(ssa.CallInstruction); ok {
					for _, g := range m.callees[site] {
						m.callersOf[g] = append(m.callersOf[g], site)
					}
				}
			}
		}
	}
}

// exitFrom finds a live return reachable from start without coming back
// to the select's block (the loop goes on) or entering a block with an
// operation on the served channel (its function may serve it again).
func (m *Model) exitFrom(start, loop *ssa.BasicBlock, onO map[*ssa.BasicBlock]bool) ssa.Instruction {
	seen := map[*ssa.BasicBlock]bool{}
	work := []*ssa.BasicBlock{start}
	for len(work) > 0 {
		b := work[0]
		work = work[1:]
		if b == loop || seen[b] || onO[b] {
			continue
		}
		seen[b] = true
		last, ok := m.liveInst[b]
		if !ok || last < len(b.Instrs)-1 {
			continue // dead, or blocked on the way
		}
		if ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
			return ret
		}
		work = append(work, b.Succs...)
	}
	return nil
}

// firesOf is what makes a receive from x proceed: the live sends on and
// closes of x, or, for a context's Done channel, the live calls of its
// cancel funcs. external says unseen code (or time) may fire it too. ok
// is false when nothing can: then the case never proceeds.
func (m *Model) firesOf(x *Object) (fires []*Op, external, ok bool) {
	if x == nil || x.Unknown || x.ExtSend {
		return nil, true, true
	}
	if ctxs := m.DoneOf(x); len(x.n.derived) > 0 {
		if len(ctxs) == 0 {
			return nil, true, true
		}
		for _, ctx := range ctxs {
			if !m.selfContained(ctx.n) {
				return nil, true, true
			}
			for _, cf := range m.Cancels(ctx) {
				if cf.Unknown || cf.Escaped != "" {
					return nil, true, true
				}
				for _, op := range cf.Ops {
					if op.Live && op.Kind == CancelCall {
						fires = append(fires, op)
					}
				}
			}
		}
		return fires, false, len(fires) > 0
	}
	if !made(x) {
		return nil, false, false // a nil channel's case never proceeds
	}
	for _, op := range x.Ops {
		if op.Live && (op.Kind == Send || op.Kind == SelectSend || op.Kind == Close) {
			fires = append(fires, op)
		}
	}
	return fires, false, len(fires) > 0
}

// selfContained reports whether only the package's own cancel calls can
// make the context of class n done: it derives, through WithCancel and
// WithValue, from Background or TODO, and no timer or unseen code
// cancels it.
func (m *Model) selfContained(n *node) bool {
	return m.derivesFrom(n, map[*node]bool{}, true, nil)
}

// MayFollow reports whether then may run after first has run. It is
// false only when the two are ordered by one thread of control: in the
// same function, or brought to one through functions with a single
// plain call site each, with no path from first to then. Different
// goroutines, or entry points unseen code calls in any order, may
// interleave any way.
func (m *Model) MayFollow(first, then ssa.Instruction) bool {
	a, b := first, then
	for range 4 {
		if a.Parent() == b.Parent() {
			return mayFollowIn(a, b)
		}
		// lift the one further from the roots: try b, then a
		if up := m.soleCall(b.Parent()); up != nil {
			b = up
			continue
		}
		if up := m.soleCall(a.Parent()); up != nil {
			a = up
			continue
		}
		return true
	}
	return true
}

// soleCall is the one plain call of fn, when fn is not an entry point
// and nothing else calls it (nor runs it as a goroutine).
func (m *Model) soleCall(fn *ssa.Function) ssa.Instruction {
	if m.roots[fn] {
		return nil
	}
	sites := m.callers()[fn]
	if len(sites) != 1 {
		return nil
	}
	if c, ok := sites[0].(*ssa.Call); ok && !flow.InCycle(c.Block()) {
		return c
	}
	return nil
}

// MayFollowIn reports whether, within one function, b can execute after
// a.
func MayFollowIn(a, b ssa.Instruction) bool { return mayFollowIn(a, b) }

// mayFollowIn reports whether, within one function, b can execute after
// a: b follows a in its block, or a path leads from a's block back to b's.
func mayFollowIn(a, b ssa.Instruction) bool {
	ab, bb := a.Block(), b.Block()
	if ab == bb {
		for _, in := range ab.Instrs {
			if in == a {
				return true // b comes later in the block (or is a)
			}
			if in == b {
				break
			}
		}
		return flow.Reaches(ab, bb)
	}
	return flow.Reaches(ab, bb)
}

// Locks reports whether fn calls Lock or RLock of a sync.Mutex or
// sync.RWMutex: a state check under the lock may order what the model
// sees as unordered.
func (m *Model) Locks(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			c, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			if callee := c.Common().StaticCallee(); callee != nil {
				if obj, _ := callee.Object().(*types.Func); m.api.Locks(obj) {
					return true
				}
			}
		}
	}
	return false
}

// GoSites are the go statements that start fn, nil if something calls it
// another way.
func (m *Model) GoSites(fn *ssa.Function) []*ssa.Go {
	var out []*ssa.Go
	for _, s := range m.callers()[fn] {
		g, ok := s.(*ssa.Go)
		if !ok {
			return nil
		}
		out = append(out, g)
	}
	return out
}

// OpsIn are the live and dead operations of a kind in fn, in
// instruction order.
func (m *Model) OpsIn(fn *ssa.Function, kind OpKind) []*Op {
	var out []*Op
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			for _, op := range m.OpsAt[instr] {
				if op.Kind == kind {
					out = append(out, op)
				}
			}
		}
	}
	return out
}

// Independent reports whether fn runs when its own thread of control
// decides, not when an unseen caller of a func value does: fn (or the
// function its single plain call chain leads up to) is the body of a go
// statement, or an exported function or method that code the package
// does not see calls in any order. A closure taken as a value, or a
// function reached only through dynamic calls, is not: who calls it and
// when is not in the model.
func (m *Model) Independent(fn *ssa.Function) bool {
	for range 4 {
		if len(m.GoSites(fn)) > 0 {
			return true
		}
		up := m.soleCall(fn)
		if up == nil {
			break
		}
		fn = up.Parent()
	}
	if !m.roots[fn] || fn.Parent() != nil {
		return false
	}
	obj := fn.Object()
	return obj != nil && obj.Exported() && !m.isMain
}

// Runs is how many times op may run on one instance of its object, as
// far as the package shows: unbounded when it is in a loop, or its
// function is called or started from a loop, up a bounded chain of
// callers; otherwise the number of call paths that reach it. The chain
// stops at the functions making the object (above them, each run makes a
// new one), and at entry points and func values: they may be called any
// number of times, but nothing seen says they are (they count once).
func (m *Model) Runs(op *Op) (n int, unbounded bool) {
	if flow.InCycle(op.Instr.Block()) {
		return 0, true
	}
	makers := map[*ssa.Function]bool{}
	for _, v := range m.ObjectOf(op).Origins {
		if in, ok := v.(ssa.Instruction); ok {
			makers[in.Parent()] = true
		}
	}
	return m.runs(op.Fn, makers, 4)
}

func (m *Model) runs(fn *ssa.Function, makers map[*ssa.Function]bool, depth int) (int, bool) {
	sites := m.callers()[fn]
	if makers[fn] || depth == 0 || len(sites) == 0 {
		return 1, false
	}
	total := 0
	for _, s := range sites {
		if flow.InCycle(s.Block()) {
			return 0, true
		}
		n, unbounded := m.runs(s.Parent(), makers, depth-1)
		if unbounded {
			return 0, true
		}
		total += n
	}
	if m.roots[fn] && total == 0 {
		total = 1
	}
	return total, false
}

// An ExitCase is a case of a select in a goroutine's loop from which a
// path leaves the goroutine (at Exit) without coming back to the select.
type ExitCase struct {
	Case *Op
	Exit ssa.Instruction
	// Fires are the live operations that make the case proceed; External:
	// unseen code or time may too. Neither: the case never proceeds.
	Fires    []*Op
	External bool
}

// LoopExits reports, for a blocking select in a loop of a goroutine body,
// every case that leads out of the goroutine. ok is false when the select
// is not such, or when a way out does not go through a case (the model
// does not answer then).
func (m *Model) LoopExits(sel *ssa.Select) (exits []ExitCase, ok bool) {
	ops := m.OpsAt[sel]
	if !sel.Blocking || len(ops) == 0 || !flow.InCycle(sel.Block()) || !m.goOnly(sel.Parent(), nil) {
		return nil, false
	}
	for _, c := range ops {
		start := flow.SelectCaseBlock(sel, c.Case)
		if start == nil {
			return nil, false
		}
		exit := m.exitFrom(start, sel.Block(), nil)
		if exit == nil {
			continue
		}
		ec := ExitCase{Case: c, Exit: exit}
		if c.Kind == SelectSend {
			ec.External = true // a send's counterpart: not modelled as a signal
		} else {
			fires, external, _ := m.firesOf(m.ObjectOf(c))
			ec.Fires, ec.External = fires, external
		}
		exits = append(exits, ec)
	}
	return exits, true
}

// MainOnly reports whether fn runs only for main or init: it is one of
// them (or a closure in one), or every call and go statement that runs it
// is in such a function, up a bounded chain. What main starts lives as
// long as the process: not a leak.
func (m *Model) MainOnly(fn *ssa.Function) bool {
	return m.mainOnly(fn, 6)
}

func (m *Model) mainOnly(fn *ssa.Function, depth int) bool {
	if isMainLike(fn) {
		return true
	}
	// an entry point or a func value (a closure in init included) runs
	// whenever its unseen caller decides
	if depth == 0 || m.roots[fn] {
		return false
	}
	sites := m.callers()[fn]
	if len(sites) == 0 {
		return false
	}
	for _, s := range sites {
		if !m.mainOnly(s.Parent(), depth-1) {
			return false
		}
	}
	return true
}

// isMainLike reports whether fn is main.main, an init function or the
// package initialiser (closures within them are judged by their callers).
func isMainLike(fn *ssa.Function) bool {
	return fn.Parent() == nil && flow.IsMainLike(fn)
}
