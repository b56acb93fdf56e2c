package chanblock

import (
	"github.com/leakvet/leakvet/internal/flow"
	"golang.org/x/tools/go/analysis"

	"go/token"
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
	// reported are the lines of the findings made so far
	reported map[token.Position]bool
	pass     *analysis.Pass // chanblock's pass, to report on
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
		Kind: blockedSend, Op: first.body.Sends[0].Pos, Name: c.ChanName(first.body.Sends[0].Pos), Go: first.op.Instr, Owner: fn, Make: mk,
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
		Kind: blockedRecv, Op: op[0].Pos, Name: c.ChanName(op[0].Pos), Range: op[0].Kind == flow.OpRange, Go: first.op.Instr,
		Owner: fn, Make: mk, Leak: *flow.PickLeak(r.Leaks), Many: !single,
	})
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
	Range bool            // the receive is a for range over the channel
	Name  string          // the channel's expression at Op
	Go    ssa.Instruction // the go statement, or the call of wg.Go, that starts it
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
