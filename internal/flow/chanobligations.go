package flow

import (
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"
)

// The obligations between a channel's owner and its goroutines, and the
// walks that look for a path of the owner that abandons one.

// goroutineChan is one goroutine the owner starts with the channel.
type goroutineChan struct {
	op   chanOp // the opGo in the owner
	body *flat
}

// findChanBlocks runs the channel obligations for every make(chan).
func (c *Core) findChanBlocks() {
	for _, mk := range c.makes {
		if !IsMainLike(mk.Parent()) { // the process ends with main: nothing outlives it
			c.chanObligations(mk.Parent(), mk)
		}
	}
	for _, call := range c.chanCalls {
		if fn := call.Parent(); !IsMainLike(fn) {
			callee := c.LocalCallee(&call.Call)
			if ctor := c.chanCtorOf(callee); ctor != nil {
				c.callerObligation(fn, call, callee, ctor)
			}
		}
	}
	slices.SortStableFunc(c.res.ChanBlocks, func(a, b *ChanBlock) int { return int(a.Op - b.Op) })
}

// chanCtor is a function that makes a channel, starts goroutines that send
// on it, and returns it: its caller owes the receives, as if it had made
// the channel and started the goroutines itself.
type chanCtor struct {
	result  int // the index of the channel among the results
	mk      *ssa.MakeChan
	first   goroutineChan // the goroutine whose send is reported
	many    bool          // an unbounded number of values
	bounded bool
}

// chanCtorOf returns what fn does as a channel constructor, or nil.
func (c *Core) chanCtorOf(fn *ssa.Function) *chanCtor {
	if ctor, ok := c.ctors[fn]; ok {
		return ctor
	}
	c.ctors[fn] = nil
	results := fn.Signature.Results()
	k := -1
	for i := range results.Len() {
		if _, ok := results.At(i).Type().Underlying().(*types.Chan); ok {
			if k >= 0 {
				return nil // two channels: not modelled
			}
			k = i
		}
	}
	if k < 0 || len(fn.Blocks) == 0 {
		return nil
	}
	var mk *ssa.MakeChan
	for _, b := range fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok {
			continue
		}
		m := madeChan(ret.Results[k], 0)
		if m == nil || mk != nil && m != mk {
			return nil // returns another channel (or nil) on some path
		}
		mk = m
	}
	if mk == nil {
		return nil
	}
	ops := c.chanOpsOf(fn, mk, false, 0)
	if ops.escapes || ops.other || len(ops.returned) == 0 {
		return nil
	}
	var senders []goroutineChan
	for _, op := range ops.ops {
		if op.kind != opGo || op.instr.Parent() != fn {
			return nil // the constructor uses the channel itself: not modelled
		}
		body := flatten(op.body)
		if body.escapes || len(body.gos) > 0 || body.receives() {
			return nil
		}
		senders = append(senders, goroutineChan{op, body})
	}
	i := slices.IndexFunc(senders, func(s goroutineChan) bool { return len(s.body.sends) > 0 })
	if i < 0 {
		return nil // no plain send: nothing blocks
	}
	first := &senders[i]
	_, bounded, ok := canBlock(senders, *first, mk)
	if !ok {
		return nil
	}
	ctor := &chanCtor{result: k, mk: mk, first: *first, many: !bounded, bounded: bounded}
	c.ctors[fn] = ctor
	return ctor
}

// madeChan returns the make(chan) v is (through phis and conversions).
func madeChan(v ssa.Value, depth int) *ssa.MakeChan {
	switch v := v.(type) {
	case *ssa.MakeChan:
		return v
	case *ssa.ChangeType:
		return madeChan(v.X, depth+1)
	case *ssa.UnOp:
		// a load of the variable holding it: the one make stored there
		if a, ok := v.X.(*ssa.Alloc); ok && v.Op == token.MUL && depth < 4 {
			if st := storedOnce(a); st != nil {
				return madeChan(st, depth+1)
			}
		}
	case *ssa.Phi:
		if depth >= 4 {
			return nil
		}
		var mk *ssa.MakeChan
		for _, e := range v.Edges {
			m := madeChan(e, depth+1)
			if m == nil || mk != nil && m != mk {
				return nil
			}
			mk = m
		}
		return mk
	}
	return nil
}

// callerObligation: call returns the channel of a constructor whose
// goroutines send on it; the caller must receive on every path.
func (c *Core) callerObligation(fn *ssa.Function, call *ssa.Call, ctor *ssa.Function, cc *chanCtor) {
	var v ssa.Value = call
	if call.Call.Signature().Results().Len() > 1 {
		v = nil
		for _, r := range *call.Referrers() {
			if ext, ok := r.(*ssa.Extract); ok && ext.Index == cc.result {
				v = ext
			}
		}
	}
	if v == nil {
		return // discarded: not reported (the call may be for its other results)
	}
	ops := c.chanOpsOf(fn, v, false, 0)
	if ops.escaped() {
		return // handed on: whoever gets it owes the receives
	}
	of := flatten(ops)
	if of.escapes || len(of.gos) > 0 || of.sendsAny() || len(of.closes) > 0 {
		return
	}
	g := chanGraph(v)
	c.collectorExits(g, of, append(append(slices.Clone(of.recvs), of.ranges...), of.selRecvs...))
	if !cc.many {
		c.recvDischarges(g, fn, of, nil)
	}
	r := c.walk(&walkSpec{
		fn: fn, g: g, block: call.Block(), start: index(call) + 1,
		facts:   seedFacts(call.Block(), c.testedValues(fn)),
		restart: call,
	})
	if r.budgetOut || len(r.leaks) == 0 {
		return
	}
	send := cc.first.body.sends[0].pos
	c.res.ChanBlocks = append(c.res.ChanBlocks, &ChanBlock{
		Kind: BlockedSend, Op: call.Pos(), Name: c.chanName(send), Go: cc.first.op.instr.(*ssa.Go),
		Owner: fn, Make: cc.mk, Leak: *pickLeak(r.leaks), Many: cc.many,
		GoInLoop: repeats(cc.first.op.instr, cc.mk),
		Ctor:     ctor, Send: send,
	})
}

func (c *Core) chanObligations(fn *ssa.Function, mk *ssa.MakeChan) {
	ops := c.chanOpsOf(fn, mk, false, 0)
	if ops.escapes || ops.other || len(ops.returned) > 0 {
		return
	}
	if len(ops.fieldStores) > 0 {
		var ok bool
		if alloc, local := ops.fieldStores[0].X.(*ssa.Alloc); local && len(ops.fieldStores) == 1 {
			// r := &request{reply: make(chan T)}: a struct of fn's own
			ops, ok = c.objectChanOps(fn, ops, alloc, ops.fieldStores[0].Field)
		} else {
			ops, ok = c.fieldChanOps(fn, ops)
		}
		if !ok {
			return
		}
	}
	var owner []chanOp // the owner's own operations (helpers flattened below)
	var gos []goroutineChan
	for _, op := range ops.ops {
		if op.kind == opGo {
			if op.instr.Parent() != fn {
				return // started by a closure or helper: not modelled
			}
			body := flatten(op.body)
			if body.escapes || len(body.gos) > 0 {
				return // the goroutine hands the channel on: stay silent
			}
			gos = append(gos, goroutineChan{op, body})
			continue
		}
		owner = append(owner, op)
	}
	if len(gos) == 0 {
		return
	}
	of := flatten(&chanOps{fn: fn, ops: owner})
	if of.escapes || len(of.gos) > 0 {
		return
	}
	var senders, receivers []goroutineChan
	for _, g := range gos {
		send := g.body.sendsAny() || len(g.body.closes) > 0
		recv := g.body.receives()
		switch {
		case send && recv:
			return // a goroutine on both ends: a protocol the index does not model
		case send:
			senders = append(senders, g)
		case recv:
			receivers = append(receivers, g)
		}
	}
	switch {
	case len(senders) > 0 && len(receivers) > 0:
		return // goroutines talk to each other: the owner is not the other end
	case len(senders) > 0:
		if of.sendsAny() || len(of.closes) > 0 {
			return // the owner sends too (or closes): not modelled
		}
		c.senderObligation(fn, mk, of, senders)
	case len(receivers) > 0:
		if of.receives() {
			return // the owner receives too: not modelled
		}
		c.receiverObligation(fn, mk, of, receivers)
	}
}

// structField names field index of struct type t.
type structField struct {
	t     *types.Named
	field int
}

// ownField returns the field a FieldAddr selects when it is a field of a
// struct type declared in the package (through a pointer), or nil.
func (c *Core) ownField(fa *ssa.FieldAddr) *structField {
	ptr, ok := fa.X.Type().Underlying().(*types.Pointer)
	if !ok {
		return nil
	}
	n, ok := types.Unalias(ptr.Elem()).(*types.Named)
	if !ok || n.Obj().Pkg() != c.pass.Pkg {
		return nil
	}
	return &structField{n.Origin(), fa.Field}
}

// fieldChanOps extends what fn does with a channel it stores in a field
// (s.results = make(chan T)) with what fn and the goroutines it starts do
// with that field, when no other code of the package touches the field:
// then fn owns the channel as if it were a local variable. Which object
// the field belongs to is not checked: with every access in fn and its
// goroutines, it is the one fn set up.
func (c *Core) fieldChanOps(fn *ssa.Function, ops *chanOps) (*chanOps, bool) {
	f := c.ownField(ops.fieldStores[0])
	for _, fa := range ops.fieldStores[1:] {
		if g := c.ownField(fa); *g != *f {
			return nil, false // stored in two fields
		}
	}
	// The goroutines fn starts, by the function they run; each must be
	// started by fn alone, once.
	started := map[*ssa.Function]*ssa.Go{}
	for _, g := range c.gos {
		if callee := c.LocalCallee(&g.Call); callee != nil && g.Parent() == fn {
			if started[callee] != nil {
				return nil, false // two go statements run it: not modelled
			}
			started[callee] = g
		}
	}
	for _, g := range c.gos {
		if callee := c.LocalCallee(&g.Call); callee != nil && g.Parent() != fn && started[callee] != nil {
			return nil, false // also started elsewhere
		}
	}
	out := &chanOps{fn: fn, ops: slices.Clone(ops.ops)}
	accessed := false
	for _, instr := range c.fieldAccesses(*f) {
		other := instr.Parent()
		fa, ok := instr.(*ssa.FieldAddr)
		if !ok {
			return nil, false // s.ch on a copy of the struct (a value receiver): not followed
		}
		g, isGoroutine := started[other]
		if other != fn && !isGoroutine {
			return nil, false // another function uses the field
		}
		for _, r := range *fa.Referrers() {
			switch r := r.(type) {
			case *ssa.DebugRef:
			case *ssa.Store:
				if !slices.Contains(ops.fieldStores, fa) {
					return nil, false // the field is assigned something else
				}
			case *ssa.UnOp:
				if r.Op != token.MUL {
					return nil, false
				}
				loaded := c.chanOpsOf(other, r, false, 0)
				if loaded.escaped() {
					return nil, false
				}
				if other == fn {
					out.ops = append(out.ops, loaded.ops...)
				} else {
					accessed = true
					out.ops = append(out.ops, chanOp{kind: opGo, instr: g, pos: g.Pos(), body: loaded, fn: other})
				}
			default:
				return nil, false // &s.ch passed along
			}
		}
	}
	if !accessed {
		return nil, false
	}
	// one goroutine may load the field several times: one op per go
	merged := map[*ssa.Go]*chanOps{}
	var res []chanOp
	for _, op := range out.ops {
		if op.kind != opGo {
			res = append(res, op)
			continue
		}
		g := op.instr.(*ssa.Go)
		if m := merged[g]; m != nil {
			m.ops = append(m.ops, op.body.ops...)
			continue
		}
		m := &chanOps{fn: op.fn, ops: slices.Clone(op.body.ops)}
		merged[g] = m
		op.body = m
		res = append(res, op)
	}
	out.ops = res
	slices.SortStableFunc(out.ops, func(a, b chanOp) int { return int(a.pos - b.pos) })
	return out, true
}

// fieldAccesses returns the FieldAddr and Field instructions of the
// package on field f, from an index built on first use.
func (c *Core) fieldAccesses(f structField) []ssa.Instruction {
	if c.fieldUses == nil {
		c.fieldUses = map[structField][]ssa.Instruction{}
		for _, fn := range c.funcs {
			for _, b := range fn.Blocks {
				for _, instr := range b.Instrs {
					switch instr := instr.(type) {
					case *ssa.FieldAddr:
						if g := c.ownField(instr); g != nil {
							c.fieldUses[*g] = append(c.fieldUses[*g], instr)
						}
					case *ssa.Field:
						if n, ok := types.Unalias(instr.X.Type()).(*types.Named); ok && n.Obj().Pkg() == c.pass.Pkg {
							g := structField{n.Origin(), instr.Field}
							c.fieldUses[g] = append(c.fieldUses[g], instr)
						}
					}
				}
			}
		}
	}
	return c.fieldUses[f]
}

// objectChanOps extends what fn does with a channel it stores in field
// of a struct it allocates with what fn, the helpers it calls and the
// goroutines it starts with that struct do with the field: a request
// carrying its reply channel. The struct must not go anywhere else.
func (c *Core) objectChanOps(fn *ssa.Function, ops *chanOps, alloc *ssa.Alloc, field int) (*chanOps, bool) {
	out := &chanOps{fn: fn, ops: slices.Clone(ops.ops)}
	objOps, ok := c.objectFieldOps(fn, alloc, field, 0)
	if !ok {
		return nil, false
	}
	out.ops = append(out.ops, objOps...)
	slices.SortStableFunc(out.ops, func(a, b chanOp) int { return int(a.pos - b.pos) })
	return out, true
}

// objectFieldOps returns the operations on field of the struct obj
// points to within fn (loads of the field, and the helpers and goroutines
// obj is passed to), false when obj goes anywhere the index does not
// follow.
func (c *Core) objectFieldOps(fn *ssa.Function, obj ssa.Value, field int, depth int) ([]chanOp, bool) {
	if depth > maxChanDepth {
		return nil, false
	}
	var out []chanOp
	for _, r := range *obj.Referrers() {
		switch r := r.(type) {
		case *ssa.DebugRef:
		case *ssa.FieldAddr:
			if r.Field != field {
				continue // another field: not the channel
			}
			for _, u := range *r.Referrers() {
				switch u := u.(type) {
				case *ssa.DebugRef:
				case *ssa.Store:
					if u.Addr != r || depth > 0 {
						return nil, false // assigned in a helper, or &r.ch stored
					}
				case *ssa.UnOp:
					if u.Op != token.MUL {
						return nil, false
					}
					loaded := c.chanOpsOf(fn, u, false, depth)
					if loaded.escaped() {
						return nil, false
					}
					out = append(out, loaded.ops...)
				default:
					return nil, false
				}
			}
		case ssa.CallInstruction:
			common := r.Common()
			callee := c.LocalCallee(common)
			if callee == nil || common.IsInvoke() || common.Value == obj {
				return nil, false // unknown code gets the struct
			}
			for i, a := range common.Args {
				if a != obj {
					continue
				}
				if i >= len(callee.Params) {
					return nil, false
				}
				inner, ok := c.objectFieldOps(callee, callee.Params[i], field, depth+1)
				if !ok {
					return nil, false
				}
				out = append(out, chanOp{kind: callOpKind(r), instr: r, pos: r.Pos(), body: &chanOps{fn: callee, ops: inner}, fn: callee})
			}
		default:
			return nil, false // stored, returned, captured, converted: it escapes
		}
	}
	return out, true
}

// runsBefore reports whether instr can run before g on the same channel:
// earlier in g's block, or on a path to g that does not make the channel
// anew (around a loop that makes one per iteration, instr acts on the
// previous one).
func runsBefore(instr, g ssa.Instruction, mk *ssa.MakeChan) bool {
	if instr.Block() == g.Block() && index(instr) < index(g) {
		return true
	}
	if mk.Block() == g.Block() && index(mk) < index(g) {
		return false // entering g's block makes a new channel first
	}
	seen := map[*ssa.BasicBlock]bool{}
	stack := slices.Clone(instr.Block().Succs)
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if b == g.Block() {
			return true
		}
		if seen[b] || b == mk.Block() {
			continue
		}
		seen[b] = true
		stack = append(stack, b.Succs...)
	}
	return false
}

// senderObligation: goroutines send on mk; the owner must receive each
// value (or the buffer hold it) on every path from the go statement.
func (c *Core) senderObligation(fn *ssa.Function, mk *ssa.MakeChan, of *flat, senders []goroutineChan) {
	// Only plain sends block forever; a sender that selects on another
	// channel (ctx.Done()) has a way out.
	i := slices.IndexFunc(senders, func(s goroutineChan) bool { return len(s.body.sends) > 0 })
	if i < 0 {
		return
	}
	first := senders[i]
	count, bounded, ok := canBlock(senders, first, mk)
	if !ok {
		return
	}
	capacity, _ := chanCap(mk)
	if c.dischargedBefore(of, first.op.instr, true) {
		return // a deferred closure registered before the go statement receives
	}
	// many: the number of values is not bounded (goroutines started in a
	// loop, sends in a loop); the owner must drain a collector loop. A
	// bounded number is counted along the path (walkSpec.count).
	many := !bounded
	g := chanGraph(mk)
	perIter := false
	if many && len(senders) == 1 {
		// go in a loop whose own iteration receives the value: each
		// goroutine is waited for before the next starts
		if n, ok := sendsPerRun(first.body); ok && n == 1 {
			for _, r := range append(slices.Clone(of.recvs), of.selRecvs...) {
				if _, loop := NaturalLoop(first.op.instr.Block()); loop != nil && loop[r.at.Block()] {
					perIter = true
				}
			}
		}
	}
	if perIter && capacity >= 1 {
		return // one goroutine at a time, and the buffer holds its value
	}
	// Leaving a loop that receives by its normal exit means every value
	// was taken (a counted loop may also run zero times: that is when
	// there was nothing to take); with a bounded number of values, or one
	// goroutine per iteration, each receive takes one.
	c.collectorExits(g, of, append(append(slices.Clone(of.recvs), of.ranges...), of.selRecvs...))
	if !many || perIter {
		c.recvDischarges(g, fn, of, &first)
	}
	spec := &walkSpec{
		fn: fn, g: g, block: first.op.instr.Block(), start: index(first.op.instr) + 1,
		facts:   seedFacts(first.op.instr.Block(), c.testedValues(fn)),
		restart: mk,
	}
	if bounded {
		// count the values: the first goroutine's are pending at the
		// start, each go statement on the path adds its own, each receive
		// takes one, and the buffer may keep capacity of them
		gos := map[ssa.Instruction]int{}
		for _, s := range senders {
			n, _ := sendsPerRun(s.body)
			gos[s.op.instr] += n
		}
		n, _ := sendsPerRun(first.body)
		spec.count = &counting{start: n, total: count, gos: gos, capacity: capacity}
	}
	r := c.walk(spec)
	if r.budgetOut || len(r.leaks) == 0 {
		return
	}
	leak := pickLeak(r.leaks)
	cb := &ChanBlock{
		Kind: BlockedSend, Op: first.body.sends[0].pos, Name: c.chanName(first.body.sends[0].pos), Go: first.op.instr.(*ssa.Go), Owner: fn, Make: mk,
		Leak: *leak, Many: many && !perIter, GoInLoop: repeats(first.op.instr, mk),
	}
	if capacity == 0 && mkHasNoSize(mk) {
		switch {
		case count == 1 && bounded || perIter:
			cb.FixCap = "1"
		case len(senders) == 1:
			if xs := perElement(first, mk); xs != nil {
				cb.FixCap = c.lenText(xs, mk)
			}
		}
	}
	c.res.ChanBlocks = append(c.res.ChanBlocks, cb)
}

// receiverObligation: goroutines receive from mk; the owner must send (a
// single receive) or close (a range, or several receivers) on every path.
func (c *Core) receiverObligation(fn *ssa.Function, mk *ssa.MakeChan, of *flat, receivers []goroutineChan) {
	var blocking []goroutineChan
	for _, r := range receivers {
		if len(r.body.recvs)+len(r.body.ranges) > 0 {
			blocking = append(blocking, r)
		}
	}
	if len(blocking) == 0 {
		return
	}
	first := blocking[0]
	// A range ends only when the channel is closed; plain receives are
	// satisfied by sends too (how many is not counted: a send is taken to
	// be enough, which keeps semaphores and handshakes silent).
	ranges := false
	for _, r := range receivers {
		ranges = ranges || len(r.body.ranges) > 0
	}
	for _, op := range of.closes {
		if op.kind == opClose && runsBefore(op.at, first.op.instr, mk) {
			return // closed before the goroutine starts (filled, then closed)
		}
	}
	for _, op := range append(slices.Clone(of.sends), of.selSends...) {
		if !ranges && runsBefore(op.at, first.op.instr, mk) {
			return // sent before the goroutine starts: a buffer (a semaphore) feeds it
		}
	}
	g := chanGraph(mk)
	if c.dischargedBefore(of, first.op.instr, false) {
		return // defer close(ch) before the go statement: closed on every exit
	}
	for _, op := range of.closes {
		dischargeAt(g, op)
	}
	if !ranges {
		for _, op := range of.sends {
			dischargeAt(g, op)
		}
		for _, op := range of.selSends {
			c.selectDischarge(g, fn, op)
		}
		// a loop that sends, left by its normal exit, fed every receiver
		c.collectorExits(g, of, append(slices.Clone(of.sends), of.selSends...))
	}
	single := !ranges && len(receivers) == 1 && !repeats(first.op.instr, mk)
	r := c.walk(&walkSpec{
		fn: fn, g: g, block: first.op.instr.Block(), start: index(first.op.instr) + 1,
		facts:   seedFacts(first.op.instr.Block(), c.testedValues(fn)),
		restart: mk,
	})
	if r.budgetOut || len(r.leaks) == 0 {
		return
	}
	op := append(slices.Clone(first.body.ranges), first.body.recvs...)
	slices.SortFunc(op, func(a, b chanOp) int { return int(a.pos - b.pos) })
	c.res.ChanBlocks = append(c.res.ChanBlocks, &ChanBlock{
		Kind: BlockedRecv, Op: op[0].pos, Name: c.chanName(op[0].pos), Range: op[0].kind == opRange, Go: first.op.instr.(*ssa.Go),
		Owner: fn, Make: mk, Leak: *pickLeak(r.leaks), Many: !single,
	})
}

// dischargedBefore reports whether a deferred call registered before the
// go statement (dominating it) receives (recv) or closes the channel:
// it runs on every exit of the owner.
func (c *Core) dischargedBefore(of *flat, g ssa.Instruction, recv bool) bool {
	ops := of.closes
	if recv {
		ops = append(append(slices.Clone(of.recvs), of.ranges...), of.selRecvs...)
	}
	for _, op := range ops {
		if _, isDefer := op.at.(*ssa.Defer); isDefer && op.at.Parent() == g.Parent() && dominates(op.at, g) {
			return true
		}
	}
	return false
}

// chanGraph is the graph of a channel obligation: one pseudo-holder, the
// channel, always live; the effects (discharges, select cases, collector
// exits) are added by the obligation.
func chanGraph(ch ssa.Value) *graph {
	return &graph{
		holders: []*holder{{v: ch}},
		index:   map[ssa.Value]int{}, effects: map[ssa.Instruction][]effect{}, phis: map[*ssa.BasicBlock][]int{}, field: -1,
	}
}

// dischargeAt marks the owner's instruction that runs op (the op itself,
// or the call of the helper or closure it happens in) as a discharge.
func dischargeAt(g *graph, op chanOp) {
	g.effects[op.at] = append(g.effects[op.at], effect{kind: effDischarge, from: 0})
}

// sendsOn reports whether goroutine g, started by fn, sends on ch, a
// channel fn makes, always instead of what it sends as own (never both).
func (c *Core) sendsOn(fn *ssa.Function, ch ssa.Value, g *ssa.Go, own *flat) bool {
	mk := madeChan(ch, 0)
	if mk == nil || mk.Parent() != fn {
		return false
	}
	for _, op := range c.chanOpsOf(fn, mk, false, 0).ops {
		if op.kind == opGo && op.instr == g {
			other := flatten(op.body)
			return other.sendsAny() && exclusiveSends(own, other)
		}
	}
	return false
}

// exclusiveSends reports whether no run of a goroutine can send both on
// a and on b: every send on one is on a path apart from every send on
// the other (an error path and a result path).
func exclusiveSends(a, b *flat) bool {
	for _, x := range append(slices.Clone(a.sends), a.selSends...) {
		for _, y := range append(slices.Clone(b.sends), b.selSends...) {
			bx, by := x.instr.Block(), y.instr.Block()
			if x.instr.Parent() != y.instr.Parent() || bx == by || reaches(bx, by) || reaches(by, bx) {
				return false
			}
		}
	}
	return true
}

// selectDischarge marks taking select case op as a discharge (a select
// of a helper: calling the helper, which may take it; stay silent).
func (c *Core) selectDischarge(g *graph, fn *ssa.Function, op chanOp) {
	if op.instr.Parent() != fn {
		dischargeAt(g, op)
		return
	}
	if g.selectRecvs == nil {
		g.selectRecvs = map[*ssa.Select]map[int]int{}
	}
	sel := op.instr.(*ssa.Select)
	if g.selectRecvs[sel] == nil {
		g.selectRecvs[sel] = map[int]int{}
	}
	g.selectRecvs[sel][op.state] = 0
	// A case on a channel of fn that nothing else ever touches can never
	// be taken: the path through it does not exist.
	for k, st := range sel.States {
		if k != op.state && c.unserved(fn, st.Chan, sel) {
			g.selectRecvs[sel][k] = 0
		}
	}
}

// unserved reports whether ch is a channel fn makes whose only use is
// the select sel: no goroutine, helper or other operation sends,
// receives or closes it, and it does not escape.
func (c *Core) unserved(fn *ssa.Function, ch ssa.Value, sel *ssa.Select) bool {
	mk := madeChan(ch, 0)
	if mk == nil || mk.Parent() != fn {
		return false
	}
	ops := c.chanOpsOf(fn, mk, false, 0)
	if ops.escaped() {
		return false
	}
	for _, op := range ops.ops {
		if op.instr != ssa.Instruction(sel) {
			return false
		}
	}
	return true
}

// recvDischarges: each receive by the owner (or a helper it calls)
// discharges a single pending value.
func (c *Core) recvDischarges(g *graph, fn *ssa.Function, of *flat, sender *goroutineChan) {
	for _, op := range append(slices.Clone(of.recvs), of.ranges...) {
		dischargeAt(g, op)
	}
	for _, op := range of.selRecvs {
		c.selectDischarge(g, fn, op)
		if sel, ok := op.instr.(*ssa.Select); ok && sender != nil && op.instr.Parent() == fn {
			// Another case of the same select receiving what the same
			// goroutine sends instead (a result or an error): taking it
			// means the goroutine took that path and will not send here.
			for k, st := range sel.States {
				if k != op.state && st.Dir == types.RecvOnly && c.sendsOn(fn, st.Chan, sender.op.instr.(*ssa.Go), sender.body) {
					g.selectRecvs[sel][k] = 0
				}
			}
		}
	}
}

// collectorExits: many values are pending. The owner is done with them
// when it leaves a loop that receives them by its normal exit (the loop
// condition, a counter, the channel closed); leaving it on a select case
// that did not receive, or on a test of a received value (the first
// error wins), abandons the rest.
func (c *Core) collectorExits(g *graph, of *flat, recvs []chanOp) {
	normal := map[*ssa.BasicBlock][]bool{}
	done := map[*ssa.BasicBlock]bool{} // loop headers already classified
	for _, op := range recvs {
		header, loop := NaturalLoop(op.at.Block())
		if header == nil || done[header] {
			continue // outside any loop a receive takes one value only
		}
		done[header] = true
		targets := map[*ssa.BasicBlock]bool{} // where the normal exits go
		for b := range loop {
			for k, s := range b.Succs {
				if loop[s] {
					continue
				}
				if normal[b] == nil {
					normal[b] = make([]bool, len(b.Succs))
				}
				if !c.abandons(b, k, of) {
					normal[b][k] = true
					targets[s] = true
				}
			}
		}
		// The test before a loop that may run zero times (`for range n`
		// checks 0 < n first): skipping the loop goes where its normal
		// exit goes, and is as normal.
		for _, p := range header.Preds {
			if loop[p] || len(p.Succs) != 2 || normal[p] != nil {
				continue
			}
			if _, isIf := p.Instrs[len(p.Instrs)-1].(*ssa.If); !isIf {
				continue
			}
			for k, s := range p.Succs {
				if targets[s] {
					guard := make([]bool, 2)
					guard[k] = true
					normal[p] = guard
				}
			}
		}
	}
	g.dischargeEdge = func(b *ssa.BasicBlock, k int) bool {
		n := normal[b]
		return n != nil && n[k]
	}
}

// abandons reports whether leaving a collector loop along b.Succs[k]
// gives up on values still to come: the branch tests which select case
// ran or a value received from the channel. The closed-channel test of a
// comma-ok receive (the range's end) is a normal exit.
func (c *Core) abandons(b *ssa.BasicBlock, k int, of *flat) bool {
	ifInstr, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
	if !ok {
		return false // a jump out of the loop: a break after a count
	}
	cond := ifInstr.Cond
	if u, ok := cond.(*ssa.UnOp); ok && u.Op == token.NOT {
		cond = u.X
	}
	if ext, ok := cond.(*ssa.Extract); ok && ext.Index == 1 {
		if u, ok := ext.Tuple.(*ssa.UnOp); ok && u.Op == token.ARROW && u.CommaOk {
			return false // the channel is closed: every value was received
		}
	}
	recvd := map[ssa.Value]bool{}
	for _, op := range append(append(slices.Clone(of.recvs), of.ranges...), of.selRecvs...) {
		if v, ok := op.instr.(ssa.Value); ok {
			recvd[v] = true
		}
	}
	return derivesFrom(ifInstr.Cond, func(v ssa.Value) bool {
		if recvd[v] {
			return true
		}
		_, isSel := v.(*ssa.Select)
		return isSel
	}, map[ssa.Value]bool{}, 0)
}

// derivesFrom reports whether v is computed from a value src accepts.
func derivesFrom(v ssa.Value, src func(ssa.Value) bool, seen map[ssa.Value]bool, depth int) bool {
	if v == nil || depth > 8 || seen[v] {
		return false
	}
	seen[v] = true
	if src(v) {
		return true
	}
	instr, ok := v.(ssa.Instruction)
	if !ok {
		return false
	}
	if _, isCall := instr.(*ssa.Call); isCall {
		for _, a := range instr.(*ssa.Call).Call.Args {
			if derivesFrom(a, src, seen, depth+1) {
				return true
			}
		}
		return false
	}
	if alloc, isAlloc := instr.(*ssa.Alloc); isAlloc {
		// a local variable: what is stored into it
		for _, r := range *alloc.Referrers() {
			if st, ok := r.(*ssa.Store); ok && st.Addr == alloc && derivesFrom(st.Val, src, seen, depth+1) {
				return true
			}
		}
		return false
	}
	var rands []*ssa.Value
	for _, r := range instr.Operands(rands) {
		if r != nil && derivesFrom(*r, src, seen, depth+1) {
			return true
		}
	}
	return false
}
