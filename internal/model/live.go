package model

import (
	"go/types"
	"maps"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/leakvet/leakvet/internal/flow"
)

// roots are the package's entry points: main and init in a main package,
// exported functions and methods otherwise, and everywhere the functions
// whose value is taken (their callers are not all seen) and the exported
// methods of types converted to an interface.
func (m *Model) findRoots() map[*ssa.Function]bool {
	byObj := map[types.Object]*ssa.Function{}
	for _, fn := range m.funcs {
		if obj := fn.Object(); obj != nil {
			byObj[obj] = fn
		}
	}
	// own maps a function value (possibly a synthetic wrapper: a bound
	// method, a thunk) to the package function it runs.
	own := func(fn *ssa.Function) *ssa.Function {
		if m.inPkg[fn] {
			return fn
		}
		if obj := fn.Object(); obj != nil {
			return byObj[obj]
		}
		return nil
	}
	roots := map[*ssa.Function]bool{}
	add := func(fn *ssa.Function) {
		if fn != nil && m.inPkg[fn] {
			roots[fn] = true
		}
	}
	// A function whose value is taken is an entry point (its callers are
	// not all seen), but only once the code taking it runs: a closure of
	// dead code is never made. takenAt records where; live seeds them.
	m.takenAt = map[ssa.Instruction][]*ssa.Function{}
	taken := map[*ssa.Function]bool{}
	var instr ssa.Instruction
	take := func(fn *ssa.Function) {
		if fn != nil && m.inPkg[fn] {
			taken[fn] = true
			m.takenAt[instr] = append(m.takenAt[instr], fn)
		}
	}
	var ops []*ssa.Value
	for _, fn := range m.funcs {
		if fn.Parent() == nil {
			name := fn.Name()
			switch {
			case fn.Signature.Recv() == nil && (name == "init" || strings.HasPrefix(name, "init#")):
				add(fn)
			case m.isMain && name == "main" && fn.Signature.Recv() == nil:
				add(fn)
			case !m.isMain && fn.Object() != nil && fn.Object().Exported():
				add(fn)
			}
		}
		for _, b := range fn.Blocks {
			for _, instr = range b.Instrs {
				var callee ssa.Value
				if c, ok := instr.(ssa.CallInstruction); ok && !c.Common().IsInvoke() {
					callee = c.Common().Value
				}
				if mi, ok := instr.(*ssa.MakeInterface); ok {
					m.addMethodRoots(mi.X.Type(), own, add)
				}
				ops = instr.Operands(ops[:0])
				for _, p := range ops {
					if p == nil || *p == callee {
						continue
					}
					if mc, ok := instr.(*ssa.MakeClosure); ok && *p == mc.Fn {
						continue // a closure's own code: taken only if the closure is (below)
					}
					switch v := (*p).(type) {
					case *ssa.Function:
						take(own(v))
					case *ssa.MakeClosure:
						if !calledOnly(v) {
							take(own(v.Fn.(*ssa.Function)))
						}
					}
				}
				if mc, ok := instr.(*ssa.MakeClosure); ok && !calledOnly(mc) {
					take(own(mc.Fn.(*ssa.Function)))
				}
			}
		}
	}
	m.seeds = maps.Clone(roots)
	for fn := range taken {
		roots[fn] = true
	}
	return roots
}

// calledOnly reports whether every use of a closure (a MakeClosure, or a
// function literal that captures nothing) calls it.
func calledOnly(v ssa.Value) bool {
	refs := v.Referrers()
	if refs == nil {
		return false
	}
	for _, r := range *refs {
		c, ok := r.(ssa.CallInstruction)
		if !ok || c.Common().Value != v {
			return false
		}
		for _, a := range c.Common().Args {
			if a == v {
				return false
			}
		}
	}
	return true
}

func (m *Model) addMethodRoots(t types.Type, own func(*ssa.Function) *ssa.Function, add func(*ssa.Function)) {
	if types.IsInterface(t) {
		return
	}
	prog := m.funcs[0].Prog
	ms := prog.MethodSets.MethodSet(t)
	if _, isPtr := t.(*types.Pointer); !isPtr {
		ms = prog.MethodSets.MethodSet(types.NewPointer(t))
	}
	for i := range ms.Len() {
		if obj := ms.At(i).Obj(); obj.Pkg() == m.pkg {
			if fn, ok := obj.(*types.Func); ok {
				for _, f := range m.funcs {
					if f.Object() == fn {
						add(own(f))
						break
					}
				}
			}
		}
	}
}

// solve computes liveness and blocking to their greatest fixpoint.
func (m *Model) solve() {
	m.NoReturn = map[*ssa.Function]bool{}
	// whether a deferred call may recover does not change between rounds
	m.recovers = map[*ssa.Function]bool{}
	for _, fn := range m.funcs {
		if fn.Recover != nil && m.mayRecover(fn) {
			m.recovers[fn] = true
		}
	}
	for m.Stats.Rounds = 1; ; m.Stats.Rounds++ {
		m.live()
		changed := false
		for fn := range m.Live {
			if !m.NoReturn[fn] && !m.mayReturn(fn) {
				m.NoReturn[fn] = true
				changed = true
			}
		}
		for _, o := range m.Objects {
			if m.evaluate(o) {
				changed = true
			}
		}
		if m.evaluateSelects() {
			changed = true
		}
		if !changed {
			return
		}
		if m.Stats.Rounds >= m.budget.rounds {
			// Not at the fixpoint: what is marked blocked so far is still
			// proven, but liveness is not final; say nothing.
			m.Stats.BudgetOut = true
			for _, o := range m.Objects {
				for _, op := range o.Ops {
					op.Blocked = false
				}
			}
			return
		}
	}
}

// blocker reports whether instr is an operation that can never proceed or
// a call that never returns.
func (m *Model) blocker(instr ssa.Instruction) bool {
	if ops := m.OpsAt[instr]; len(ops) > 0 {
		if _, ok := instr.(*ssa.Select); ok {
			for _, op := range ops {
				if !op.Blocked {
					return false
				}
			}
			return true
		}
		for _, op := range ops {
			if op.Blocked && !op.Async {
				return true
			}
		}
	}
	call, ok := instr.(*ssa.Call)
	if !ok || call.Common().StaticCallee() == nil {
		// a dynamic call: its resolved callees may miss some (a bound
		// method VTA does not see), so it is never taken to not return
		return false
	}
	callees := m.callees[call]
	if len(callees) == 0 {
		return false
	}
	for _, g := range callees {
		if !m.inPkg[g] || !m.NoReturn[g] {
			return false
		}
	}
	return true
}

// live recomputes the live functions and instructions from the seeds
// and the function values live code takes.
func (m *Model) live() {
	m.Live = map[*ssa.Function]bool{}
	m.liveInst = map[*ssa.BasicBlock]int{}
	m.BlockedBy = map[ssa.Instruction]ssa.Instruction{}
	var work []*ssa.Function
	reach := func(fn *ssa.Function) {
		if m.inPkg[fn] && !m.Live[fn] {
			m.Live[fn] = true
			work = append(work, fn)
		}
	}
	for _, fn := range m.funcs { // in source order: deterministic
		if m.seeds[fn] {
			reach(fn)
		}
	}
	for len(work) > 0 {
		fn := work[len(work)-1]
		work = work[:len(work)-1]
		var blocks []*ssa.BasicBlock
		seen := map[*ssa.BasicBlock]bool{}
		push := func(b *ssa.BasicBlock) {
			if b != nil && !seen[b] {
				seen[b] = true
				blocks = append(blocks, b)
			}
		}
		push(fn.Blocks[0])
		if m.recovers[fn] {
			push(fn.Recover) // a deferred call may recover a panic and return
		}
		for len(blocks) > 0 {
			b := blocks[len(blocks)-1]
			blocks = blocks[:len(blocks)-1]
			last := len(b.Instrs) - 1
			for i, instr := range b.Instrs {
				for _, g := range m.takenAt[instr] {
					reach(g)
				}
				if c, ok := instr.(ssa.CallInstruction); ok {
					for _, g := range m.callees[c] {
						reach(g)
					}
				}
				if m.blocker(instr) {
					last = i
					break
				}
			}
			m.liveInst[b] = last
			if last == len(b.Instrs)-1 {
				for _, s := range b.Succs {
					push(s)
				}
			} else {
				for _, instr := range b.Instrs[last+1:] {
					m.BlockedBy[instr] = b.Instrs[last]
				}
			}
		}
	}
	for _, o := range m.Objects {
		for _, op := range o.Ops {
			op.Live = m.isLive(op.Instr)
			if _, deferred := op.Instr.(*ssa.Defer); deferred && m.NoReturn[op.Fn] {
				op.Live = false // runs when fn returns, and fn never does
			}
		}
	}
}

func (m *Model) isLive(instr ssa.Instruction) bool {
	b := instr.Block()
	last, ok := m.liveInst[b]
	if !ok || !m.Live[b.Parent()] {
		return false
	}
	for i, in := range b.Instrs {
		if in == instr {
			return i <= last
		}
	}
	return false
}

// IsLive reports whether live code executes instr.
func (m *Model) IsLive(instr ssa.Instruction) bool { return m.isLive(instr) }

func (m *Model) mayReturn(fn *ssa.Function) bool {
	if m.recovers[fn] {
		return true
	}
	for _, b := range fn.Blocks {
		n := len(b.Instrs)
		if n == 0 {
			continue
		}
		if _, ok := b.Instrs[n-1].(*ssa.Return); !ok {
			continue
		}
		if last, ok := m.liveInst[b]; ok && last == n-1 {
			return true
		}
	}
	return false
}

// evaluate marks the object's sends, receives and waits that can never
// proceed; it reports whether it marked a new one.
func (m *Model) evaluate(o *Object) bool {
	changed := false
	mark := func(op *Op) {
		if !op.Blocked && !op.Summary {
			op.Blocked = true
			changed = true
		}
	}
	switch o.Kind {
	case Chan:
		for _, op := range o.Ops {
			switch {
			case op.Kind == Recv && m.recvBlocked(o, op), op.Kind == Send && m.sendBlocked(o, op):
				mark(op)
			}
		}
	case WaitGroup:
		for _, op := range o.Ops {
			if op.Kind == Wait && m.waitBlocked(o, op) {
				mark(op)
			}
		}
	}
	return changed
}

// evaluateSelects marks the selects (without default) whose every case
// can never proceed.
func (m *Model) evaluateSelects() bool {
	changed := false
	for instr, ops := range m.OpsAt {
		sel, ok := instr.(*ssa.Select)
		if !ok || !sel.Blocking || ops[0].Blocked {
			continue
		}
		all := true
		for _, op := range ops {
			o := m.ObjectOf(op)
			if op.Kind == SelectRecv && !m.recvBlocked(o, nil) || op.Kind == SelectSend && !m.sendBlocked(o, nil) {
				all = false
				break
			}
		}
		if all {
			for _, op := range ops {
				op.Blocked = true
			}
			changed = true
		}
	}
	return changed
}

// recvBlocked reports whether the receive op from o (nil: any receive)
// can never proceed: o is made in the package (or is the Done channel of
// a context nothing cancels), does not escape to code that may send on or
// close it, and no live code sends on or closes it, but for counterparts
// that run only after op, in op's own thread, which cannot be the ones
// that let it proceed.
func (m *Model) recvBlocked(o *Object, op *Op) bool {
	if o == nil || o.Unknown || o.ExtSend || !made(o) {
		return false
	}
	if m.hasLiveFor(o, op, Send, SelectSend, Close) {
		return false
	}
	for _, d := range o.n.derived {
		if !m.neverDone(d.parent, op) {
			return false
		}
	}
	return true
}

// hasLiveFor reports whether a live operation of one of kinds is on o
// that can let op proceed: not one that runs only after op in op's own
// thread (op nil: any live one).
func (m *Model) hasLiveFor(o *Object, op *Op, kinds ...OpKind) bool {
	for _, c := range o.Ops {
		if !c.Live || !slices.Contains(kinds, c.Kind) {
			continue
		}
		if op == nil || !m.followsOnly(op, c) {
			return true
		}
	}
	return false
}

// followsOnly reports whether c runs only after op has completed, in
// op's own thread of control: both are brought up their single plain
// call chains (a deferred closure by its defer statement) to a function
// they share, where c comes after op and not in a loop with it, or is
// deferred (it runs when that function returns).
func (m *Model) followsOnly(op, c *Op) bool {
	if op.Async || c.Async || c.Summary {
		return false // another goroutine's: no order with op's thread
	}
	chain := func(x ssa.Instruction, defers bool) []ssa.Instruction {
		out := []ssa.Instruction{x}
		for range 4 {
			up := m.soleCall(x.Parent())
			if up == nil && defers {
				up = m.soleDefer(x.Parent())
			}
			if up == nil {
				break
			}
			x = up
			out = append(out, x)
		}
		return out
	}
	ops := chain(op.Instr, false)
	for _, y := range chain(c.Instr, true) {
		for _, x := range ops {
			if x.Parent() != y.Parent() {
				continue
			}
			if _, deferred := y.(*ssa.Defer); deferred {
				return true // runs when the shared function returns: after op
			}
			return y != x && flow.Dominates(x, y) && !inLoopWith(x, y)
		}
	}
	return false
}

// soleDefer is the one defer statement that runs fn (a deferred
// closure), when nothing else calls it.
func (m *Model) soleDefer(fn *ssa.Function) ssa.Instruction {
	if m.roots[fn] {
		return nil
	}
	sites := m.callers()[fn]
	if len(sites) != 1 {
		return nil
	}
	if d, ok := sites[0].(*ssa.Defer); ok {
		return d
	}
	return nil
}

// inLoopWith reports whether b's block can reach a's again (a loop holds
// both): a later iteration's b may then precede a.
func inLoopWith(a, b ssa.Instruction) bool {
	return flow.Reaches(b.Block(), a.Block())
}

// made reports whether some origin of o makes a channel: a channel only
// ever nil is the nil-channel rules' (and its ops are often guarded by a
// nil check this model does not see).
func made(o *Object) bool {
	for _, v := range o.Origins {
		if _, isConst := v.(*ssa.Const); !isConst {
			return true
		}
	}
	return false
}

// sendBlocked reports whether the send op on o (nil: any send) can never
// proceed: o is unbuffered and nothing can ever receive from it.
func (m *Model) sendBlocked(o *Object, op *Op) bool {
	return o != nil && o.Cap == 0 && m.noReceiver(o, op)
}

// NoReceiver reports whether no receive from o can ever happen, whatever
// its buffer: o is made in the package, does not escape to code that may
// receive from it, and no live code receives from it.
func (m *Model) NoReceiver(o *Object) bool { return m.noReceiver(o, nil) }

// noReceiver is NoReceiver for the operation op (nil: any), not counting
// receives that run only after it in its own thread.
func (m *Model) noReceiver(o *Object, op *Op) bool {
	if o == nil || o.Unknown || o.ExtRecv || !made(o) || len(o.n.derived) > 0 {
		return false
	}
	return !m.hasLiveFor(o, op, Recv, SelectRecv)
}

// waitBlocked reports whether the Wait op on o (nil: any Wait) can never
// return: a live Add of a positive constant and no live Done, Add of
// another delta or Go that can run before it.
func (m *Model) waitBlocked(o *Object, op *Op) bool {
	if o == nil || o.Unknown || o.Escaped != "" || len(o.Origins) == 0 && len(o.Fields) == 0 {
		return false
	}
	return m.hasLiveFor(o, nil, Add) && !m.hasLiveFor(o, op, Done, AddAny, WGGo)
}

// neverDone reports whether the context of class n can never be done for
// a wait on it by op (nil: any): it derives only from Background, TODO or
// WithoutCancel through WithCancel and WithValue whose cancel funcs
// nothing unseen can reach and no live code calls before op can proceed.
func (m *Model) neverDone(n *node, op *Op) bool {
	return m.derivesFrom(n, map[*node]bool{}, false, func(c *node) bool {
		return !c.unknown && c.escaped == "" && (c.obj == nil || !m.hasLiveFor(c.obj, op, CancelCall))
	})
}

// derivesFrom walks the ways the context of class n is made: it reports
// false when one is unseen or fires on its own (a timer), or when cancelOK
// (nil: any) rejects the cancel func of one. revisit is the answer for a
// class met again (a cycle the unification made).
func (m *Model) derivesFrom(n *node, seen map[*node]bool, revisit bool, cancelOK func(c *node) bool) bool {
	if n == nil {
		return false
	}
	n = n.find()
	if n.unknown || len(n.derived) == 0 {
		return false
	}
	if seen[n] {
		return revisit
	}
	seen[n] = true
	for _, d := range n.derived {
		if d.fires {
			return false
		}
		if d.never {
			continue
		}
		if d.cancel != nil && cancelOK != nil && !cancelOK(d.cancel.find()) {
			return false
		}
		if !m.derivesFrom(d.parent, seen, revisit, cancelOK) {
			return false
		}
	}
	return true
}

// DoneOf is, for a channel from ctx.Done(), the contexts it is the Done
// channel of.
func (m *Model) DoneOf(o *Object) []*Object {
	var out []*Object
	for _, d := range o.n.derived {
		if p := d.parent; p != nil && p.find().obj != nil {
			out = append(out, p.find().obj)
		}
	}
	return out
}

// Cancels are the cancel funcs of the WithCancel calls a context object
// is made by, directly or through its parents.
func (m *Model) Cancels(ctx *Object) []*Object {
	var out []*Object
	seen := map[*node]bool{}
	var walk func(n *node)
	walk = func(n *node) {
		if n == nil || seen[n.find()] {
			return
		}
		n = n.find()
		seen[n] = true
		for _, d := range n.derived {
			if d.cancel != nil && d.cancel.find().obj != nil {
				out = append(out, d.cancel.find().obj)
			}
			walk(d.parent)
		}
	}
	walk(ctx.n)
	return out
}

// mayRecover reports whether a deferred call of fn may call recover and
// so return from fn after a panic: any deferred call but close, the
// sync and context APIs, and package functions that do not call recover
// themselves.
func (m *Model) mayRecover(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			d, ok := instr.(*ssa.Defer)
			if !ok {
				continue
			}
			c := d.Common()
			if _, ok := c.Value.(*ssa.Builtin); ok {
				continue
			}
			if !c.IsInvoke() && m.trackedKind(c.Value.Type()) == Cancel {
				continue
			}
			g := c.StaticCallee()
			if g == nil {
				return true
			}
			if m.inPkg[g] {
				if callsRecover(g) {
					return true
				}
				continue
			}
			if obj, _ := g.Object().(*types.Func); obj != nil && obj.Pkg() != nil {
				switch obj.Pkg().Path() {
				case "sync", "context":
					continue
				}
			}
			return true
		}
	}
	return false
}

// callsRecover reports whether fn calls the recover builtin.
func callsRecover(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if c, ok := instr.(ssa.CallInstruction); ok {
				if bi, ok := c.Common().Value.(*ssa.Builtin); ok && bi.Name() == "recover" {
					return true
				}
			}
		}
	}
	return false
}

// OnlyAfter lists o's live operations of the given kinds that run only
// after op in op's own thread: counterparts that cannot let it proceed.
func (m *Model) OnlyAfter(o *Object, op *Op, kinds ...OpKind) []*Op {
	var out []*Op
	for _, c := range o.Ops {
		if c.Live && slices.Contains(kinds, c.Kind) && m.followsOnly(op, c) {
			out = append(out, c)
		}
	}
	return out
}
