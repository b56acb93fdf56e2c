package chanblock

import (
	"github.com/leakvet/leakvet/internal/flow"

	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"
)

// The obligations between a channel's owner and its goroutines, and the
// walks that look for a path of the owner that abandons one.

// goroutineChan is one goroutine the owner starts with the channel.
type goroutineChan struct {
	op   flow.ChanOp // the opGo in the owner
	body *flow.Flat
}

// checker runs the channel rules over the core's queries.
type checker struct {
	*flow.Core
	blocks []*block
	ctors  map[*ssa.Function]*chanCtor // memo of chanCtorOf
}

// nilChanOps finds the plain sends and receives (ranges included) on
// channels nil on every path.
func (c *checker) nilChanOps() []*nilChanOp {
	var out []*nilChanOp
	for _, instr := range c.ChanInstrs() {
		switch instr := instr.(type) {
		case *ssa.Send:
			if flow.IsNilChan(instr.Chan) {
				out = append(out, &nilChanOp{Fn: instr.Parent(), Pos: instr.Pos(), Send: true, Name: c.ChanName(instr.Pos())})
			}
		case *ssa.UnOp:
			if flow.IsNilChan(instr.X) {
				out = append(out, &nilChanOp{Fn: instr.Parent(), Pos: instr.Pos(), Name: c.ChanName(instr.Pos())})
			}
		}
	}
	return out
}

// findChanBlocks runs the channel obligations for every make(chan).
func (c *checker) findChanBlocks() {
	for _, mk := range c.Makes() {
		if !flow.IsMainLike(mk.Parent()) { // the process ends with main: nothing outlives it
			c.chanObligations(mk.Parent(), mk)
		}
	}
	for _, call := range c.ChanCalls() {
		if fn := call.Parent(); !flow.IsMainLike(fn) {
			callee := c.LocalCallee(&call.Call)
			if ctor := c.chanCtorOf(callee); ctor != nil {
				c.callerObligation(fn, call, callee, ctor)
			}
		}
	}
	slices.SortStableFunc(c.blocks, func(a, b *block) int { return int(a.Op - b.Op) })
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
func (c *checker) chanCtorOf(fn *ssa.Function) *chanCtor {
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
	ops := c.ChanOpsOf(fn, mk, false, 0)
	if ops.Escapes || ops.Other || len(ops.Returned) == 0 {
		return nil
	}
	var senders []goroutineChan
	for _, op := range ops.Ops {
		if op.Kind != flow.OpGo || op.Instr.Parent() != fn {
			return nil // the constructor uses the channel itself: not modelled
		}
		body := flow.Flatten(op.Body)
		if body.Escapes || len(body.Gos) > 0 || body.Receives() {
			return nil
		}
		senders = append(senders, goroutineChan{op, body})
	}
	i := slices.IndexFunc(senders, func(s goroutineChan) bool { return len(s.body.Sends) > 0 })
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
			if st := flow.StoredOnce(a); st != nil {
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
func (c *checker) callerObligation(fn *ssa.Function, call *ssa.Call, ctor *ssa.Function, cc *chanCtor) {
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
	ops := c.ChanOpsOf(fn, v, false, 0)
	if ops.Escaped() {
		return // handed on: whoever gets it owes the receives
	}
	of := flow.Flatten(ops)
	if of.Escapes || len(of.Gos) > 0 || of.SendsAny() || len(of.Closes) > 0 {
		return
	}
	g := chanGraph(v)
	c.collectorExits(g, of, append(append(slices.Clone(of.Recvs), of.Ranges...), of.SelRecvs...))
	if !cc.many {
		c.recvDischarges(g, fn, of, nil)
	}
	r := c.Walk(&flow.WalkSpec{
		Fn: fn, G: g, Block: call.Block(), Start: flow.Index(call) + 1,
		Facts:   flow.SeedFacts(call.Block(), c.TestedValues(fn)),
		Restart: call,
	})
	if r.BudgetOut || len(r.Leaks) == 0 {
		return
	}
	send := cc.first.body.Sends[0].Pos
	c.blocks = append(c.blocks, &block{
		Kind: blockedSend, Op: call.Pos(), Name: c.ChanName(send), Go: cc.first.op.Instr.(*ssa.Go),
		Owner: fn, Make: cc.mk, Leak: *flow.PickLeak(r.Leaks), Many: cc.many,
		GoInLoop: repeats(cc.first.op.Instr, cc.mk),
		Ctor:     ctor, Send: send,
	})
}

func (c *checker) chanObligations(fn *ssa.Function, mk *ssa.MakeChan) {
	ops := c.ChanOpsOf(fn, mk, false, 0)
	if ops.Escapes || ops.Other || len(ops.Returned) > 0 {
		return
	}
	if len(ops.FieldStores) > 0 {
		var ok bool
		if alloc, local := ops.FieldStores[0].X.(*ssa.Alloc); local && len(ops.FieldStores) == 1 {
			// r := &request{reply: make(chan T)}: a struct of fn's own
			ops, ok = c.objectChanOps(fn, ops, alloc, ops.FieldStores[0].Field)
		} else {
			ops, ok = c.fieldChanOps(fn, ops)
		}
		if !ok {
			return
		}
	}
	var owner []flow.ChanOp // the owner's own operations (helpers flattened below)
	var gos []goroutineChan
	for _, op := range ops.Ops {
		if op.Kind == flow.OpGo {
			if op.Instr.Parent() != fn {
				return // started by a closure or helper: not modelled
			}
			body := flow.Flatten(op.Body)
			if body.Escapes || len(body.Gos) > 0 {
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
	of := flow.Flatten(&flow.ChanOps{Fn: fn, Ops: owner})
	if of.Escapes || len(of.Gos) > 0 {
		return
	}
	var senders, receivers []goroutineChan
	for _, g := range gos {
		send := g.body.SendsAny() || len(g.body.Closes) > 0
		recv := g.body.Receives()
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
		if of.SendsAny() || len(of.Closes) > 0 {
			return // the owner sends too (or closes): not modelled
		}
		c.senderObligation(fn, mk, of, senders)
	case len(receivers) > 0:
		if of.Receives() {
			return // the owner receives too: not modelled
		}
		c.receiverObligation(fn, mk, of, receivers)
	}
}

// fieldChanOps extends what fn does with a channel it stores in a field
// (s.results = make(chan T)) with what fn and the goroutines it starts do
// with that field, when no other code of the package touches the field:
// then fn owns the channel as if it were a local variable. Which object
// the field belongs to is not checked: with every access in fn and its
// goroutines, it is the one fn set up.
func (c *checker) fieldChanOps(fn *ssa.Function, ops *flow.ChanOps) (*flow.ChanOps, bool) {
	f := c.OwnField(ops.FieldStores[0])
	for _, fa := range ops.FieldStores[1:] {
		if g := c.OwnField(fa); *g != *f {
			return nil, false // stored in two fields
		}
	}
	// The goroutines fn starts, by the function they run; each must be
	// started by fn alone, once.
	started := map[*ssa.Function]*ssa.Go{}
	for _, g := range c.Gos() {
		if callee := c.LocalCallee(&g.Call); callee != nil && g.Parent() == fn {
			if started[callee] != nil {
				return nil, false // two go statements run it: not modelled
			}
			started[callee] = g
		}
	}
	for _, g := range c.Gos() {
		if callee := c.LocalCallee(&g.Call); callee != nil && g.Parent() != fn && started[callee] != nil {
			return nil, false // also started elsewhere
		}
	}
	out := &flow.ChanOps{Fn: fn, Ops: slices.Clone(ops.Ops)}
	accessed := false
	for _, instr := range c.FieldAccesses(*f) {
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
				if !slices.Contains(ops.FieldStores, fa) {
					return nil, false // the field is assigned something else
				}
			case *ssa.UnOp:
				if r.Op != token.MUL {
					return nil, false
				}
				loaded := c.ChanOpsOf(other, r, false, 0)
				if loaded.Escaped() {
					return nil, false
				}
				if other == fn {
					out.Ops = append(out.Ops, loaded.Ops...)
				} else {
					accessed = true
					out.Ops = append(out.Ops, flow.ChanOp{Kind: flow.OpGo, Instr: g, Pos: g.Pos(), Body: loaded, Fn: other})
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
	merged := map[*ssa.Go]*flow.ChanOps{}
	var res []flow.ChanOp
	for _, op := range out.Ops {
		if op.Kind != flow.OpGo {
			res = append(res, op)
			continue
		}
		g := op.Instr.(*ssa.Go)
		if m := merged[g]; m != nil {
			m.Ops = append(m.Ops, op.Body.Ops...)
			continue
		}
		m := &flow.ChanOps{Fn: op.Fn, Ops: slices.Clone(op.Body.Ops)}
		merged[g] = m
		op.Body = m
		res = append(res, op)
	}
	out.Ops = res
	slices.SortStableFunc(out.Ops, func(a, b flow.ChanOp) int { return int(a.Pos - b.Pos) })
	return out, true
}

// objectChanOps extends what fn does with a channel it stores in field
// of a struct it allocates with what fn, the helpers it calls and the
// goroutines it starts with that struct do with the field: a request
// carrying its reply channel. The struct must not go anywhere else.
func (c *checker) objectChanOps(fn *ssa.Function, ops *flow.ChanOps, alloc *ssa.Alloc, field int) (*flow.ChanOps, bool) {
	out := &flow.ChanOps{Fn: fn, Ops: slices.Clone(ops.Ops)}
	objOps, ok := c.objectFieldOps(fn, alloc, field, 0)
	if !ok {
		return nil, false
	}
	out.Ops = append(out.Ops, objOps...)
	slices.SortStableFunc(out.Ops, func(a, b flow.ChanOp) int { return int(a.Pos - b.Pos) })
	return out, true
}

// objectFieldOps returns the operations on field of the struct obj
// points to within fn (loads of the field, and the helpers and goroutines
// obj is passed to), false when obj goes anywhere the index does not
// follow.
func (c *checker) objectFieldOps(fn *ssa.Function, obj ssa.Value, field int, depth int) ([]flow.ChanOp, bool) {
	if depth > flow.MaxChanDepth {
		return nil, false
	}
	var out []flow.ChanOp
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
					loaded := c.ChanOpsOf(fn, u, false, depth)
					if loaded.Escaped() {
						return nil, false
					}
					out = append(out, loaded.Ops...)
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
				out = append(out, flow.ChanOp{Kind: flow.CallOpKind(r), Instr: r, Pos: r.Pos(), Body: &flow.ChanOps{Fn: callee, Ops: inner}, Fn: callee})
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
	if instr.Block() == g.Block() && flow.Index(instr) < flow.Index(g) {
		return true
	}
	if mk.Block() == g.Block() && flow.Index(mk) < flow.Index(g) {
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
func (c *checker) senderObligation(fn *ssa.Function, mk *ssa.MakeChan, of *flow.Flat, senders []goroutineChan) {
	// Only plain sends block forever; a sender that selects on another
	// channel (ctx.Done()) has a way out.
	i := slices.IndexFunc(senders, func(s goroutineChan) bool { return len(s.body.Sends) > 0 })
	if i < 0 {
		return
	}
	first := senders[i]
	count, bounded, ok := canBlock(senders, first, mk)
	if !ok {
		return
	}
	capacity, _ := chanCap(mk)
	if c.dischargedBefore(of, first.op.Instr, true) {
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
			for _, r := range append(slices.Clone(of.Recvs), of.SelRecvs...) {
				if _, loop := flow.NaturalLoop(first.op.Instr.Block()); loop != nil && loop[r.At.Block()] {
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
	c.collectorExits(g, of, append(append(slices.Clone(of.Recvs), of.Ranges...), of.SelRecvs...))
	if !many || perIter {
		c.recvDischarges(g, fn, of, &first)
	}
	spec := &flow.WalkSpec{
		Fn: fn, G: g, Block: first.op.Instr.Block(), Start: flow.Index(first.op.Instr) + 1,
		Facts:   flow.SeedFacts(first.op.Instr.Block(), c.TestedValues(fn)),
		Restart: mk,
	}
	if bounded {
		// count the values: the first goroutine's are pending at the
		// start, each go statement on the path adds its own, each receive
		// takes one, and the buffer may keep capacity of them
		gos := map[ssa.Instruction]int{}
		for _, s := range senders {
			n, _ := sendsPerRun(s.body)
			gos[s.op.Instr] += n
		}
		n, _ := sendsPerRun(first.body)
		spec.Count = &flow.Counting{Start: n, Total: count, Gos: gos, Capacity: capacity}
	}
	r := c.Walk(spec)
	if r.BudgetOut || len(r.Leaks) == 0 {
		return
	}
	leak := flow.PickLeak(r.Leaks)
	cb := &block{
		Kind: blockedSend, Op: first.body.Sends[0].Pos, Name: c.ChanName(first.body.Sends[0].Pos), Go: first.op.Instr.(*ssa.Go), Owner: fn, Make: mk,
		Leak: *leak, Many: many && !perIter, GoInLoop: repeats(first.op.Instr, mk),
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
	c.blocks = append(c.blocks, cb)
}

// receiverObligation: goroutines receive from mk; the owner must send (a
// single receive) or close (a range, or several receivers) on every path.
func (c *checker) receiverObligation(fn *ssa.Function, mk *ssa.MakeChan, of *flow.Flat, receivers []goroutineChan) {
	var blocking []goroutineChan
	for _, r := range receivers {
		if len(r.body.Recvs)+len(r.body.Ranges) > 0 {
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
		ranges = ranges || len(r.body.Ranges) > 0
	}
	for _, op := range of.Closes {
		if op.Kind == flow.OpClose && runsBefore(op.At, first.op.Instr, mk) {
			return // closed before the goroutine starts (filled, then closed)
		}
	}
	for _, op := range append(slices.Clone(of.Sends), of.SelSends...) {
		if !ranges && runsBefore(op.At, first.op.Instr, mk) {
			return // sent before the goroutine starts: a buffer (a semaphore) feeds it
		}
	}
	g := chanGraph(mk)
	if c.dischargedBefore(of, first.op.Instr, false) {
		return // defer close(ch) before the go statement: closed on every exit
	}
	for _, op := range of.Closes {
		dischargeAt(g, op)
	}
	if !ranges {
		for _, op := range of.Sends {
			dischargeAt(g, op)
		}
		for _, op := range of.SelSends {
			c.selectDischarge(g, fn, op)
		}
		// a loop that sends, left by its normal exit, fed every receiver
		c.collectorExits(g, of, append(slices.Clone(of.Sends), of.SelSends...))
	}
	single := !ranges && len(receivers) == 1 && !repeats(first.op.Instr, mk)
	r := c.Walk(&flow.WalkSpec{
		Fn: fn, G: g, Block: first.op.Instr.Block(), Start: flow.Index(first.op.Instr) + 1,
		Facts:   flow.SeedFacts(first.op.Instr.Block(), c.TestedValues(fn)),
		Restart: mk,
	})
	if r.BudgetOut || len(r.Leaks) == 0 {
		return
	}
	op := append(slices.Clone(first.body.Ranges), first.body.Recvs...)
	slices.SortFunc(op, func(a, b flow.ChanOp) int { return int(a.Pos - b.Pos) })
	c.blocks = append(c.blocks, &block{
		Kind: blockedRecv, Op: op[0].Pos, Name: c.ChanName(op[0].Pos), Range: op[0].Kind == flow.OpRange, Go: first.op.Instr.(*ssa.Go),
		Owner: fn, Make: mk, Leak: *flow.PickLeak(r.Leaks), Many: !single,
	})
}

// dischargedBefore reports whether a deferred call registered before the
// go statement (dominating it) receives (recv) or closes the channel:
// it runs on every exit of the owner.
func (c *checker) dischargedBefore(of *flow.Flat, g ssa.Instruction, recv bool) bool {
	ops := of.Closes
	if recv {
		ops = append(append(slices.Clone(of.Recvs), of.Ranges...), of.SelRecvs...)
	}
	for _, op := range ops {
		if _, isDefer := op.At.(*ssa.Defer); isDefer && op.At.Parent() == g.Parent() && flow.Dominates(op.At, g) {
			return true
		}
	}
	return false
}

// chanGraph is the graph of a channel obligation: one pseudo-holder, the
// channel, always live; the effects (discharges, select cases, collector
// exits) are added by the obligation.
func chanGraph(ch ssa.Value) *flow.Graph {
	return &flow.Graph{
		Holders: []*flow.Holder{{V: ch}},
		Index:   map[ssa.Value]int{}, Effects: map[ssa.Instruction][]flow.HolderEffect{}, Phis: map[*ssa.BasicBlock][]int{}, Field: -1,
	}
}

// dischargeAt marks the owner's instruction that runs op (the op itself,
// or the call of the helper or closure it happens in) as a discharge.
func dischargeAt(g *flow.Graph, op flow.ChanOp) {
	g.Effects[op.At] = append(g.Effects[op.At], flow.HolderEffect{Kind: flow.EffDischarge, From: 0})
}

// sendsOn reports whether goroutine g, started by fn, sends on ch, a
// channel fn makes, always instead of what it sends as own (never both).
func (c *checker) sendsOn(fn *ssa.Function, ch ssa.Value, g *ssa.Go, own *flow.Flat) bool {
	mk := madeChan(ch, 0)
	if mk == nil || mk.Parent() != fn {
		return false
	}
	for _, op := range c.ChanOpsOf(fn, mk, false, 0).Ops {
		if op.Kind == flow.OpGo && op.Instr == g {
			other := flow.Flatten(op.Body)
			return other.SendsAny() && exclusiveSends(own, other)
		}
	}
	return false
}

// exclusiveSends reports whether no run of a goroutine can send both on
// a and on b: every send on one is on a path apart from every send on
// the other (an error path and a result path).
func exclusiveSends(a, b *flow.Flat) bool {
	for _, x := range append(slices.Clone(a.Sends), a.SelSends...) {
		for _, y := range append(slices.Clone(b.Sends), b.SelSends...) {
			bx, by := x.Instr.Block(), y.Instr.Block()
			if x.Instr.Parent() != y.Instr.Parent() || bx == by || flow.Reaches(bx, by) || flow.Reaches(by, bx) {
				return false
			}
		}
	}
	return true
}

// selectDischarge marks taking select case op as a discharge (a select
// of a helper: calling the helper, which may take it; stay silent).
func (c *checker) selectDischarge(g *flow.Graph, fn *ssa.Function, op flow.ChanOp) {
	if op.Instr.Parent() != fn {
		dischargeAt(g, op)
		return
	}
	if g.SelectRecvs == nil {
		g.SelectRecvs = map[*ssa.Select]map[int]int{}
	}
	sel := op.Instr.(*ssa.Select)
	if g.SelectRecvs[sel] == nil {
		g.SelectRecvs[sel] = map[int]int{}
	}
	g.SelectRecvs[sel][op.State] = 0
	// A case on a channel of fn that nothing else ever touches can never
	// be taken: the path through it does not exist.
	for k, st := range sel.States {
		if k != op.State && c.unserved(fn, st.Chan, sel) {
			g.SelectRecvs[sel][k] = 0
		}
	}
}

// unserved reports whether ch is a channel fn makes whose only use is
// the select sel: no goroutine, helper or other operation sends,
// receives or closes it, and it does not escape.
func (c *checker) unserved(fn *ssa.Function, ch ssa.Value, sel *ssa.Select) bool {
	mk := madeChan(ch, 0)
	if mk == nil || mk.Parent() != fn {
		return false
	}
	ops := c.ChanOpsOf(fn, mk, false, 0)
	if ops.Escaped() {
		return false
	}
	for _, op := range ops.Ops {
		if op.Instr != ssa.Instruction(sel) {
			return false
		}
	}
	return true
}

// recvDischarges: each receive by the owner (or a helper it calls)
// discharges a single pending value.
func (c *checker) recvDischarges(g *flow.Graph, fn *ssa.Function, of *flow.Flat, sender *goroutineChan) {
	for _, op := range append(slices.Clone(of.Recvs), of.Ranges...) {
		dischargeAt(g, op)
	}
	for _, op := range of.SelRecvs {
		c.selectDischarge(g, fn, op)
		if sel, ok := op.Instr.(*ssa.Select); ok && sender != nil && op.Instr.Parent() == fn {
			// Another case of the same select receiving what the same
			// goroutine sends instead (a result or an error): taking it
			// means the goroutine took that path and will not send here.
			for k, st := range sel.States {
				if k != op.State && st.Dir == types.RecvOnly && c.sendsOn(fn, st.Chan, sender.op.Instr.(*ssa.Go), sender.body) {
					g.SelectRecvs[sel][k] = 0
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
func (c *checker) collectorExits(g *flow.Graph, of *flow.Flat, recvs []flow.ChanOp) {
	normal := map[*ssa.BasicBlock][]bool{}
	done := map[*ssa.BasicBlock]bool{} // loop headers already classified
	for _, op := range recvs {
		header, loop := flow.NaturalLoop(op.At.Block())
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
	g.DischargeEdge = func(b *ssa.BasicBlock, k int) bool {
		n := normal[b]
		return n != nil && n[k]
	}
}

// abandons reports whether leaving a collector loop along b.Succs[k]
// gives up on values still to come: the branch tests which select case
// ran or a value received from the channel. The closed-channel test of a
// comma-ok receive (the range's end) is a normal exit.
func (c *checker) abandons(b *ssa.BasicBlock, k int, of *flow.Flat) bool {
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
	for _, op := range append(append(slices.Clone(of.Recvs), of.Ranges...), of.SelRecvs...) {
		if v, ok := op.Instr.(ssa.Value); ok {
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

// blockKind says which side of a channel blocks.
type blockKind uint8

const (
	// blockedSend: the goroutine sends and the owner may return without
	// receiving every value.
	blockedSend blockKind = iota + 1
	// blockedRecv: the goroutine receives (or ranges) and the owner may
	// return without sending (or closing).
	blockedRecv
)

// block is a goroutine that blocks forever on a channel operation: the
// function that made the channel and started it can return without doing
// its part.
type block struct {
	Kind blockKind
	// Op is the blocking operation in the goroutine: a send's arrow, a
	// receive's <-, a range's for.
	Op    token.Pos
	Range bool   // the receive is a for range over the channel
	Name  string // the channel's expression at Op
	Go    *ssa.Go
	Owner *ssa.Function
	Make  *ssa.MakeChan
	// Leak is the owner's path end that abandons the goroutine.
	Leak flow.Leak
	// Many: several values are sent (goroutines started in a loop or by
	// several go statements, or a goroutine sending in a loop).
	Many bool
	// GoInLoop: the goroutine is started in a loop, once per iteration.
	GoInLoop bool
	// Ctor, when set, is the function that made the channel and started
	// the goroutine, and returned the channel to Owner, which called it
	// at Op (the report is at the call: that is where the channel is
	// dropped). Send is then the goroutine's blocking send.
	Ctor *ssa.Function
	Send token.Pos
	// FixCap, when not empty, is a buffer capacity that makes every send
	// succeed on every path: "1", or "len(xs)" for one goroutine per
	// element of xs. The make has no capacity argument today.
	FixCap string
}

// nilChanOp is a plain send or receive (or a range) on a channel that is
// nil on every path: it blocks forever.
type nilChanOp struct {
	Fn   *ssa.Function
	Pos  token.Pos
	Send bool
	Name string
}
