package flow

import (
	"go/constant"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"
)

// The channel index. For every channel a function makes (a make(chan)
// the function owns), chanOpsOf collects what the owner does with it, and
// what each goroutine it starts and each helper it calls does with it: the
// plain (blocking) sends and receives, the select cases, the ranges, the
// closes, and every way the channel escapes. The obligation between the
// owner and its goroutines is then a walk of the owner's CFG (walk.go):
//
//   - a goroutine that sends obliges the owner to receive on every path
//     from the go statement to a return, unless the buffer has room for
//     every send;
//   - a goroutine that receives (or ranges) obliges the owner to send (or
//     close) on every such path.
//
// A channel whose topology the index cannot model — it escapes to unknown
// code, several goroutines both send and receive on it, the owner sends
// and receives on it itself — is left alone: no finding.

// ChanBlockKind says which side of a channel blocks.
type ChanBlockKind uint8

const (
	// BlockedSend: the goroutine sends and the owner may return without
	// receiving every value.
	BlockedSend ChanBlockKind = iota + 1
	// BlockedRecv: the goroutine receives (or ranges) and the owner may
	// return without sending (or closing).
	BlockedRecv
)

// ChanBlock is a goroutine that blocks forever on a channel operation: the
// function that made the channel and started it can return without doing
// its part.
type ChanBlock struct {
	Kind ChanBlockKind
	// Op is the blocking operation in the goroutine: a send's arrow, a
	// receive's <-, a range's for.
	Op    token.Pos
	Range bool   // the receive is a for range over the channel
	Name  string // the channel's expression at Op
	Go    *ssa.Go
	Owner *ssa.Function
	Make  *ssa.MakeChan
	// Leak is the owner's path end that abandons the goroutine.
	Leak Leak
	// Many: several values are sent (goroutines started in a loop or by
	// several go statements, or a goroutine sending in a loop).
	Many bool
	// GoInLoop: the goroutine is started in a loop, once per iteration.
	GoInLoop bool
	// Receives: the abandoning path received from the channel, only not
	// every value (a collector loop that returns early).
	Receives bool
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

// NilChanOp is a plain send or receive (or a range) on a channel that is
// nil on every path: it blocks forever.
type NilChanOp struct {
	Fn    *ssa.Function
	Pos   token.Pos
	Send  bool
	Range bool
	Name  string
}

// NilSelect is a select with cases on channels that are nil on every
// path: All when every case is (and the select has no default: it blocks
// forever).
type NilSelect struct {
	Select *ssa.Select
	Fn     *ssa.Function
	All    bool
	Cases  []int    // indexes into Select.States
	Names  []string // the channel expression of each such case
}

// EmptySelect is `select {}` in a goroutine: it blocks forever.
type EmptySelect struct {
	Select *ssa.Select
	Go     *ssa.Go
}

// EndlessLoop is a loop of a goroutine that blocks on channels and has no
// way out, while a context or a done channel it could watch is in scope.
type EndlessLoop struct {
	Go  *ssa.Go
	Fn  *ssa.Function
	For token.Pos // the loop keyword
	// Break is an unlabeled break in a select case of the loop: meant to
	// leave the loop, it leaves only the select. NoPos if none.
	Break token.Pos
	// Ctx is the context or done channel in scope, "" if none (only with
	// Break). CtxIsChan: it is a channel, not a context.Context.
	Ctx       string
	CtxIsChan bool
	// CtxUsed: the loop receives from it, but the case does not leave.
	CtxUsed bool
}

type chanOpKind uint8

const (
	opSend       chanOpKind = iota + 1 // a plain (blocking) send
	opRecv                             // a plain receive
	opRange                            // the receive of a for range
	opSelSend                          // a send case of a select
	opSelRecv                          // a receive case of a select
	opClose                            // close(ch)
	opDeferClose                       // defer close(ch)
	opCall                             // passed to a helper (or a closure) called here
	opDeferCall                        // the same, deferred
	opGo                               // handed to a goroutine started here
)

// chanOp is one thing a function does with the channel.
type chanOp struct {
	kind  chanOpKind
	instr ssa.Instruction
	pos   token.Pos
	state int      // select state index
	body  *chanOps // opCall, opDeferCall, opGo: what the callee does
	fn    *ssa.Function
	// at is the instruction of the owner that runs the op: the op itself,
	// or the call of the helper or closure it happens in (set by flatten).
	at ssa.Instruction
}

// chanOps is what one function does with a channel it is given (a
// parameter, a free variable, or the channel it makes).
type chanOps struct {
	fn  *ssa.Function
	ops []chanOp
	// escapes: the channel reaches code or storage the index does not
	// follow (returned, stored, converted, passed to unknown code).
	escapes bool
	// other: a value other than the channel is stored into a variable
	// that holds it (reassigned): later operations may be on another one.
	other bool
	// returned are the returns of the channel.
	returned []*ssa.Return
}

// escaped reports whether the channel leaves what the index follows.
func (ops *chanOps) escaped() bool { return ops.escapes || ops.other || len(ops.returned) > 0 }

type chanKey struct {
	fn   *ssa.Function
	root ssa.Value
}

// maxChanDepth bounds how deep helpers and closures are followed.
const maxChanDepth = 4

// chanOpsOf returns what fn does with the channel root (a value, or the
// cell of a variable holding it when cell is set).
func (c *core) chanOpsOf(fn *ssa.Function, root ssa.Value, cell bool, depth int) *chanOps {
	key := chanKey{fn, root}
	if ops, ok := c.chanMemo[key]; ok {
		return ops
	}
	ops := &chanOps{fn: fn}
	if depth > maxChanDepth {
		ops.escapes = true // too deep to follow: stay silent
		return ops
	}
	c.chanMemo[key] = &chanOps{fn: fn, escapes: true} // recursion: unknown
	seen := map[ssa.Value]bool{}
	type item struct {
		v    ssa.Value
		cell bool
	}
	queue := []item{{root, cell}}
	add := func(v ssa.Value, cell bool) {
		if !seen[v] {
			seen[v] = true
			queue = append(queue, item{v, cell})
		}
	}
	seen[root] = true
	for len(queue) > 0 && !ops.escapes {
		it := queue[0]
		queue = queue[1:]
		refs := it.v.Referrers()
		if refs == nil {
			continue
		}
		for _, instr := range *refs {
			if it.cell {
				c.chanCellUse(ops, it.v, instr, depth, func(v ssa.Value) { add(v, false) }, func(v ssa.Value) { add(v, true) })
			} else {
				c.chanValueUse(ops, it.v, instr, depth, func(v ssa.Value) { add(v, false) }, func(v ssa.Value) { add(v, true) })
			}
		}
	}
	slices.SortStableFunc(ops.ops, func(a, b chanOp) int { return int(a.pos - b.pos) })
	c.chanMemo[key] = ops
	return ops
}

func (c *core) chanValueUse(ops *chanOps, v ssa.Value, instr ssa.Instruction, depth int, value, cell func(ssa.Value)) {
	op := func(k chanOpKind, pos token.Pos) { ops.ops = append(ops.ops, chanOp{kind: k, instr: instr, pos: pos}) }
	switch instr := instr.(type) {
	case *ssa.DebugRef, *ssa.BinOp:
		// a comparison (ch != nil): a use
	case *ssa.Phi, *ssa.ChangeType:
		value(instr.(ssa.Value))
	case *ssa.Send:
		if instr.X == v {
			ops.escapes = true // sent on another channel: someone else has it now
			return
		}
		op(opSend, instr.Pos())
	case *ssa.UnOp:
		if instr.Op != token.ARROW {
			ops.escapes = true
			return
		}
		if c.isRangeRecv(instr) {
			op(opRange, instr.Pos())
		} else {
			op(opRecv, instr.Pos())
		}
	case *ssa.Select:
		for k, st := range instr.States {
			if st.Send == v {
				ops.escapes = true
				return
			}
			if st.Chan != v {
				continue
			}
			kind := opSelRecv
			if st.Dir == types.SendOnly {
				kind = opSelSend
			}
			ops.ops = append(ops.ops, chanOp{kind: kind, instr: instr, pos: st.Pos, state: k})
		}
	case *ssa.Store:
		if instr.Val != v {
			ops.escapes = true
			return
		}
		if alloc, ok := instr.Addr.(*ssa.Alloc); ok {
			cell(alloc) // a local variable (perhaps captured by closures)
			return
		}
		ops.escapes = true // stored to a field, element or global: it escapes
	case *ssa.MakeClosure:
		fn := instr.Fn.(*ssa.Function)
		for k, b := range instr.Bindings {
			if b == v {
				c.closureUse(ops, instr, fn, fn.FreeVars[k], false, depth)
			}
		}
	case ssa.CallInstruction:
		c.chanCallUse(ops, v, instr, depth)
	case *ssa.Return:
		// returned: the caller owns it now (a constructor, see chanCtorOf);
		// for every other question this is an escape
		ops.returned = append(ops.returned, instr)
	default:
		// converted to an interface, stored in a map or slice, ...:
		// ownership leaves what the index follows, stay silent
		ops.escapes = true
	}
}

func (c *core) chanCellUse(ops *chanOps, a ssa.Value, instr ssa.Instruction, depth int, value, cell func(ssa.Value)) {
	switch instr := instr.(type) {
	case *ssa.DebugRef:
	case *ssa.UnOp:
		if instr.Op != token.MUL {
			ops.escapes = true
			return
		}
		value(instr)
	case *ssa.Store:
		if instr.Addr != a {
			ops.escapes = true // the variable's address is stored
			return
		}
		if !isNilConst(instr.Val) && !c.holdsSame(instr.Val, a) {
			ops.other = true // reassigned to another channel
		}
	case *ssa.MakeClosure:
		fn := instr.Fn.(*ssa.Function)
		for k, b := range instr.Bindings {
			if b == a {
				c.closureUse(ops, instr, fn, fn.FreeVars[k], true, depth)
			}
		}
	default:
		ops.escapes = true // &ch passed along
	}
}

// holdsSame reports whether v is the value the cell's first store put
// there (the make stored into the variable).
func (c *core) holdsSame(v ssa.Value, a ssa.Value) bool {
	for _, r := range *a.Referrers() {
		if st, ok := r.(*ssa.Store); ok && st.Addr == a {
			return st.Val == v
		}
	}
	return false
}

// closureUse follows a closure capturing the channel (or its variable):
// what it does counts where it is called, deferred or started.
func (c *core) closureUse(ops *chanOps, mc *ssa.MakeClosure, fn *ssa.Function, fv ssa.Value, cell bool, depth int) {
	body := c.chanOpsOf(fn, fv, cell, depth+1)
	for _, r := range *mc.Referrers() {
		switch r := r.(type) {
		case *ssa.DebugRef:
		case *ssa.Call:
			if r.Call.Value != mc {
				ops.escapes = true // the closure is passed along
				return
			}
			ops.ops = append(ops.ops, chanOp{kind: opCall, instr: r, pos: r.Pos(), body: body, fn: fn})
		case *ssa.Defer:
			if r.Call.Value != mc {
				ops.escapes = true
				return
			}
			ops.ops = append(ops.ops, chanOp{kind: opDeferCall, instr: r, pos: r.Pos(), body: body, fn: fn})
		case *ssa.Go:
			if r.Call.Value != mc {
				ops.escapes = true
				return
			}
			ops.ops = append(ops.ops, chanOp{kind: opGo, instr: r, pos: r.Pos(), body: body, fn: fn})
		default:
			// stored, passed to errgroup.Go or another function: it runs
			// where the index cannot see, stay silent
			ops.escapes = true
			return
		}
	}
}

func (c *core) chanCallUse(ops *chanOps, v ssa.Value, call ssa.CallInstruction, depth int) {
	common := call.Common()
	if common.Value == v {
		ops.escapes = true // not a function: cannot happen
		return
	}
	if b, ok := common.Value.(*ssa.Builtin); ok {
		switch b.Name() {
		case "len", "cap":
		case "close":
			switch call.(type) {
			case *ssa.Call:
				ops.ops = append(ops.ops, chanOp{kind: opClose, instr: call, pos: call.Pos()})
			case *ssa.Defer:
				ops.ops = append(ops.ops, chanOp{kind: opDeferClose, instr: call, pos: call.Pos()})
			default:
				ops.escapes = true
			}
		default:
			ops.escapes = true
		}
		return
	}
	callee := c.localCallee(common)
	if callee == nil || common.IsInvoke() {
		ops.escapes = true // unknown code: it may keep the channel
		return
	}
	for i, a := range common.Args {
		if a != v {
			continue
		}
		if i >= len(callee.Params) {
			ops.escapes = true
			return
		}
		body := c.chanOpsOf(callee, callee.Params[i], false, depth+1)
		kind := opCall
		switch call.(type) {
		case *ssa.Go:
			kind = opGo
		case *ssa.Defer:
			kind = opDeferCall
		}
		ops.ops = append(ops.ops, chanOp{kind: kind, instr: call, pos: call.Pos(), body: body, fn: callee})
	}
}

// isRangeRecv reports whether a receive is the one a for range over a
// channel compiles to.
func (c *core) isRangeRecv(u *ssa.UnOp) bool {
	if !u.CommaOk {
		return false
	}
	c.indexChanSyntax()
	return c.rangeFor[u.Pos()]
}

// flat is what a function does with a channel, helpers called
// synchronously included, goroutines excluded.
type flat struct {
	sends, recvs, ranges, closes []chanOp // plain operations (sends, recvs: in source order)
	selSends, selRecvs           []chanOp
	gos                          []chanOp
	escapes                      bool
	sendInLoop                   bool // a send can repeat
}

func (f *flat) receives() bool { return len(f.recvs)+len(f.ranges)+len(f.selRecvs) > 0 }
func (f *flat) sendsAny() bool { return len(f.sends)+len(f.selSends) > 0 }

func flatten(ops *chanOps) *flat {
	f := &flat{}
	var visit func(ops *chanOps, at ssa.Instruction, inLoop bool, depth int)
	visit = func(ops *chanOps, at ssa.Instruction, inLoop bool, depth int) {
		if ops.escaped() || depth > maxChanDepth {
			f.escapes = true
			return
		}
		for _, op := range ops.ops {
			op.at = at
			if at == nil {
				op.at = op.instr
			}
			loop := inLoop || inCycle(op.instr.Block())
			switch op.kind {
			case opSend:
				f.sends = append(f.sends, op)
				f.sendInLoop = f.sendInLoop || loop
			case opRecv:
				f.recvs = append(f.recvs, op)
			case opRange:
				f.ranges = append(f.ranges, op)
			case opSelSend:
				f.selSends = append(f.selSends, op)
			case opSelRecv:
				f.selRecvs = append(f.selRecvs, op)
			case opClose, opDeferClose:
				f.closes = append(f.closes, op)
			case opCall, opDeferCall:
				visit(op.body, op.at, loop, depth+1)
			case opGo:
				f.gos = append(f.gos, op)
			}
		}
	}
	visit(ops, nil, false, 0)
	return f
}

// goroutineChan is one goroutine the owner starts with the channel.
type goroutineChan struct {
	op   chanOp // the opGo in the owner
	body *flat
}

// findChanBlocks runs the channel obligations for every make(chan).
func (c *core) findChanBlocks() {
	for _, fn := range c.funcs {
		if IsMainLike(fn) {
			continue // the process ends with main: nothing outlives it
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if mk, ok := instr.(*ssa.MakeChan); ok {
					c.chanObligations(fn, mk)
				}
			}
		}
	}
	for _, fn := range c.funcs {
		if IsMainLike(fn) {
			continue
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if call, ok := instr.(*ssa.Call); ok {
					if callee := c.localCallee(&call.Call); callee != nil {
						if ctor := c.chanCtorOf(callee); ctor != nil {
							c.callerObligation(fn, call, callee, ctor)
						}
					}
				}
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
func (c *core) chanCtorOf(fn *ssa.Function) *chanCtor {
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
	var first *goroutineChan
	count, bounded := 0, true
	for i, s := range senders {
		times, _ := goRepeats(s.op.instr, mk)
		n, ok := sendsPerRun(s.body)
		if times < 0 || !ok {
			bounded = false
		}
		count += max(times, 1) * n
		if first == nil && len(s.body.sends) > 0 {
			first = &senders[i]
		}
	}
	capacity, constCap := chanCap(mk)
	if first == nil || !constCap || bounded && capacity >= int64(count) {
		return nil // nothing blocks, or a capacity the analysis cannot compare
	}
	if !bounded && (!mustSend(first.body) || slices.ContainsFunc(senders, func(s goroutineChan) bool { return sourceDriven(s.body) })) {
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
func (c *core) callerObligation(fn *ssa.Function, call *ssa.Call, ctor *ssa.Function, cc *chanCtor) {
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
	g := &graph{index: map[ssa.Value]int{}, effects: map[ssa.Instruction][]effect{}, phis: map[*ssa.BasicBlock][]int{}, field: -1}
	g.holders = []*holder{{v: v}}
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
		GoInLoop: repeats(cc.first.op.instr, cc.mk), Receives: of.receives(),
		Ctor: ctor, Send: send,
	})
}

func (c *core) chanObligations(fn *ssa.Function, mk *ssa.MakeChan) {
	ops := c.chanOpsOf(fn, mk, false, 0)
	if ops.escaped() {
		return
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

// senderObligation: goroutines send on mk; the owner must receive each
// value (or the buffer hold it) on every path from the go statement.
func (c *core) senderObligation(fn *ssa.Function, mk *ssa.MakeChan, of *flat, senders []goroutineChan) {
	// Only plain sends block forever; a sender that selects on another
	// channel (ctx.Done()) has a way out.
	var blocking []goroutineChan
	for _, s := range senders {
		if len(s.body.sends) > 0 {
			blocking = append(blocking, s)
		}
	}
	if len(blocking) == 0 {
		return
	}
	capacity, constCap := chanCap(mk)
	// How many values can be sent: count is exact when every send and
	// every go statement runs at most once.
	count, bounded := 0, true
	perElem := ssa.Value(nil) // one send per goroutine, one goroutine per element of it
	for _, s := range senders {
		times, goLoop := goRepeats(s.op.instr, mk)
		n, ok := sendsPerRun(s.body)
		if times < 0 || !ok {
			bounded = false
		}
		count += max(times, 1) * n
		if goLoop && len(senders) == 1 && ok && n == 1 {
			if header, loop := naturalLoop(s.op.instr.Block()); header != nil {
				if xs := rangedOver(loop); xs != nil {
					perElem = xs
				}
			}
		}
	}
	if constCap && bounded && capacity >= int64(count) {
		return // room for every value: no send blocks
	}
	if !constCap {
		if l := lenOf(mk.Size); l != nil && perElem != nil && sameValue(l, perElem) {
			return // make(chan T, len(xs)) and one send per element of xs
		}
		return // a capacity the analysis cannot compare: stay silent
	}
	first := blocking[0]
	if c.dischargedBefore(of, first.op.instr, true) {
		return // a deferred closure registered before the go statement receives
	}
	// many: the number of values is not bounded (goroutines started in a
	// loop, sends in a loop); the owner must drain a collector loop. A
	// bounded number only needs a receive on the path: a path with none
	// leaves at least one sender blocked (more are not counted).
	many := !bounded
	for _, s := range senders {
		if many && sourceDriven(s.body) {
			return // as many values as its source delivers: cannot be counted
		}
	}
	if many && !mustSend(first.body) {
		// goroutines started in a loop that send only on some paths: a
		// protocol (the last one to finish reports) may make exactly one
		// of them send; the analysis cannot count that, stay silent
		return
	}
	g := &graph{index: map[ssa.Value]int{}, effects: map[ssa.Instruction][]effect{}, phis: map[*ssa.BasicBlock][]int{}, field: -1}
	g.holders = []*holder{{v: mk}}
	perIter := false
	if many && len(senders) == 1 {
		// go in a loop whose own iteration receives the value: each
		// goroutine is waited for before the next starts
		if n, ok := sendsPerRun(first.body); ok && n == 1 {
			for _, r := range append(slices.Clone(of.recvs), of.selRecvs...) {
				if _, loop := naturalLoop(first.op.instr.Block()); loop != nil && loop[r.at.Block()] {
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
	// there was nothing to take); with a bounded number of values a single
	// receive is enough as well (see above).
	c.collectorExits(g, of, append(append(slices.Clone(of.recvs), of.ranges...), of.selRecvs...))
	if !many || perIter {
		c.recvDischarges(g, fn, of, &first)
	}
	r := c.walk(&walkSpec{
		fn: fn, g: g, block: first.op.instr.Block(), start: index(first.op.instr) + 1,
		facts:   seedFacts(first.op.instr.Block(), c.testedValues(fn)),
		restart: mk,
	})
	var leak *Leak
	switch {
	case r.budgetOut:
		return
	case len(r.leaks) > 0:
		leak = pickLeak(r.leaks)
	case bounded && int64(count)-capacity >= 2:
		// several values and a path with a receive: count them
		gos := map[ssa.Instruction]int{}
		for _, s := range senders {
			n, _ := sendsPerRun(s.body)
			gos[s.op.instr] += n
		}
		recvs := map[ssa.Instruction]bool{}
		for _, op := range append(slices.Clone(of.recvs), of.ranges...) {
			recvs[op.at] = true
		}
		n, _ := sendsPerRun(first.body)
		leak = c.countWalk(fn, g, first.op.instr, n, count, gos, recvs, capacity, mk)
	}
	if leak == nil {
		return
	}
	cb := &ChanBlock{
		Kind: BlockedSend, Op: first.body.sends[0].pos, Name: c.chanName(first.body.sends[0].pos), Go: first.op.instr.(*ssa.Go), Owner: fn, Make: mk,
		Leak: *leak, Many: many && !perIter, GoInLoop: repeats(first.op.instr, mk), Receives: r.discharged || of.receives(),
	}
	if capacity == 0 && mkHasNoSize(mk) {
		switch {
		case count == 1 && bounded || perIter:
			cb.FixCap = "1"
		case perElem != nil:
			cb.FixCap = c.lenText(perElem, mk)
		}
	}
	c.res.ChanBlocks = append(c.res.ChanBlocks, cb)
}

// receiverObligation: goroutines receive from mk; the owner must send (a
// single receive) or close (a range, or several receivers) on every path.
func (c *core) receiverObligation(fn *ssa.Function, mk *ssa.MakeChan, of *flat, receivers []goroutineChan) {
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
		if op.kind == opClose && (op.at.Block() == first.op.instr.Block() && index(op.at) < index(first.op.instr) || reaches(op.at.Block(), first.op.instr.Block())) {
			return // closed before the goroutine starts (filled, then closed)
		}
	}
	for _, op := range append(slices.Clone(of.sends), of.selSends...) {
		if ranges {
			break
		}
		if op.at.Block() == first.op.instr.Block() && index(op.at) < index(first.op.instr) || reaches(op.at.Block(), first.op.instr.Block()) {
			return // sent before the goroutine starts: a buffer (a semaphore) feeds it
		}
	}
	g := &graph{index: map[ssa.Value]int{}, effects: map[ssa.Instruction][]effect{}, phis: map[*ssa.BasicBlock][]int{}, field: -1}
	g.holders = []*holder{{v: mk}}
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
			selectDischarge(g, fn, op)
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

// countWalk searches the owner's paths from the go statement start, with
// pending values sent to the channel (n from start, more from the other
// go statements in gos, fewer at each receive in recvs or select case of
// g), for a return with more values pending than the buffer holds. It
// carries no branch facts: it runs only for a bounded number of values
// (a handful of go statements), after the walk with facts found every
// path to receive at least once.
func (c *core) countWalk(fn *ssa.Function, g *graph, start ssa.Instruction, n, total int, gos map[ssa.Instruction]int, recvs map[ssa.Instruction]bool, capacity int64, mk *ssa.MakeChan) *Leak {
	type st struct {
		b       *ssa.BasicBlock
		i       int
		pending int
	}
	seen := map[[2]int]bool{}
	stack := []st{{start.Block(), index(start) + 1, n}}
	for steps := 0; len(stack) > 0; steps++ {
		if steps > walkBudget {
			return nil
		}
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		push := func(b *ssa.BasicBlock, pending int) {
			if k := [2]int{b.Index, pending}; !seen[k] {
				seen[k] = true
				stack = append(stack, st{b, 0, pending})
			}
		}
		ended := false
		for i := s.i; i < len(s.b.Instrs) && !ended; i++ {
			instr := s.b.Instrs[i]
			switch {
			case instr == ssa.Instruction(mk) && int64(s.pending) > capacity:
				return &Leak{Kind: LeakLoop, Pos: innermostLoop(fn, mk.Pos())}
			case recvs[instr]:
				s.pending = max(s.pending-1, 0)
			case gos[instr] > 0:
				// another go statement, or start again around its loop
				// (bounded: the total is the count)
				s.pending = min(s.pending+gos[instr], total)
			}
			switch instr := instr.(type) {
			case *ssa.Return:
				if int64(s.pending) > capacity {
					pos := instr.Pos()
					if body := funcBody(fn); !pos.IsValid() && body != nil {
						pos = body.Rbrace
					}
					return &Leak{Kind: LeakReturn, Pos: pos}
				}
				ended = true
			case *ssa.Panic:
				ended = true
			case ssa.CallInstruction:
				if _, isGo := instr.(*ssa.Go); !isGo && c.noReturn(instr.Common()) {
					ended = true
				}
			case *ssa.If:
				for k, succ := range s.b.Succs {
					p := s.pending
					if g.dischargeEdge != nil && g.dischargeEdge(s.b, k) {
						p = 0
					} else if _, ok := selectCase(g, instr.Cond, k == 0); ok {
						p = max(p-1, 0)
					}
					push(succ, p)
				}
				ended = true
			}
		}
		if !ended {
			for k, succ := range s.b.Succs {
				p := s.pending
				if g.dischargeEdge != nil && g.dischargeEdge(s.b, k) {
					p = 0
				}
				push(succ, p)
			}
		}
	}
	return nil
}

// goRepeats returns how many times the go statement runs for one channel
// made by mk: 1 outside a loop (or in a loop that makes a new channel
// each iteration), the trip count of a counted loop, -1 when unknown. inLoop
// reports whether it runs in a loop at all.
func goRepeats(g ssa.Instruction, mk *ssa.MakeChan) (times int, inLoop bool) {
	header, loop := naturalLoop(g.Block())
	if header == nil || loop[mk.Block()] {
		return 1, false
	}
	if n, ok := tripCount(header, loop); ok {
		return n, true
	}
	return -1, true
}

func repeats(g ssa.Instruction, mk *ssa.MakeChan) bool {
	_, inLoop := goRepeats(g, mk)
	return inLoop
}

// tripCount recognises the counted loops go/ssa builds, with a constant
// count K: `for i := 0; i < K; i++` (i < K at the top), `for range xs` over
// a slice of constant length K (i+1 < len(xs), from -1) and `for range K`
// (i+1 < K at the bottom, from 0, the entry checked before the loop).
func tripCount(header *ssa.BasicBlock, loop map[*ssa.BasicBlock]bool) (int, bool) {
	ifInstr, ok := header.Instrs[len(header.Instrs)-1].(*ssa.If)
	if !ok {
		return 0, false
	}
	bin, ok := ifInstr.Cond.(*ssa.BinOp)
	if !ok || bin.Op != token.LSS {
		return 0, false
	}
	k, ok := constInt(bin.Y)
	if !ok {
		return 0, false
	}
	x, plusOne := bin.X, false
	if add, ok := x.(*ssa.BinOp); ok && add.Op == token.ADD {
		if one, ok := constInt(add.Y); ok && one == 1 {
			x, plusOne = add.X, true
		}
	}
	phi, ok := x.(*ssa.Phi)
	if !ok || phi.Block() != header {
		return 0, false
	}
	var init int64
	found := false
	for i, e := range phi.Edges {
		if loop[header.Preds[i]] {
			continue // the increment
		}
		v, ok := constInt(e)
		if !ok || found && v != init {
			return 0, false
		}
		init, found = v, true
	}
	switch {
	case !found:
		return 0, false
	case !plusOne && init == 0, plusOne && init == -1, plusOne && init == 0 && loop[header] && slices.Contains(header.Succs, header):
		// for i < K; range over a slice; range over int (a one-block body)
	default:
		return 0, false
	}
	if k < 0 || k > 1<<20 {
		return 0, false
	}
	return int(k), true
}

// constInt returns the value of an integer constant, or of len(xs) of a
// slice of constant length (a literal, a make with a constant length).
func constInt(v ssa.Value) (int64, bool) {
	if xs := lenOf(v); xs != nil {
		return constLen(xs)
	}
	k, ok := v.(*ssa.Const)
	if !ok || k.Value == nil {
		return 0, false
	}
	n, exact := constant.Int64Val(constant.ToInt(k.Value))
	return n, exact
}

// constLen returns the length of a slice built with a constant length.
func constLen(xs ssa.Value) (int64, bool) {
	switch xs := xs.(type) {
	case *ssa.MakeSlice:
		return constInt(xs.Len)
	case *ssa.Slice:
		if xs.Low != nil || xs.Max != nil {
			return 0, false
		}
		if xs.High != nil {
			return constInt(xs.High) // make([]T, K): new [K]T sliced [:K]
		}
		if a, ok := xs.X.(*ssa.Alloc); ok {
			if arr, ok := a.Type().(*types.Pointer).Elem().Underlying().(*types.Array); ok {
				return arr.Len(), true
			}
		}
	}
	return 0, false
}

// mustSend reports whether the goroutine sends (plainly, in its own
// function) on every path to its end, or sends in a loop (a producer).
func mustSend(body *flat) bool {
	if body.sendInLoop {
		return true
	}
	if len(body.sends) == 0 {
		return false
	}
	fn := body.sends[0].instr.Parent()
	sends := map[*ssa.BasicBlock]bool{}
	for _, op := range body.sends {
		if op.instr.Parent() != fn {
			return true // in a helper: take it as sent
		}
		sends[op.instr.Block()] = true
	}
	if op := body.sends[0]; op.at != op.instr {
		return true // in a closure or helper the goroutine calls
	}
	seen := make([]bool, len(fn.Blocks))
	stack := []*ssa.BasicBlock{fn.Blocks[0]}
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[b.Index] || sends[b] {
			continue
		}
		seen[b.Index] = true
		if _, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
			return false // a path that ends without sending
		}
		stack = append(stack, b.Succs...)
	}
	return true
}

// sendsPerRun returns how many values one run of a goroutine sends at
// most, and false when that is not bounded: a send in a loop that is not
// counted. Sends on exclusive paths (an error path and a result path)
// count once; a send in `for range K` counts K.
func sendsPerRun(body *flat) (int, bool) {
	sends := append(slices.Clone(body.sends), body.selSends...)
	if len(sends) == 0 {
		return 0, true
	}
	sends = slices.DeleteFunc(sends, func(a chanOp) bool { return guardedByRecover(a.instr) })
	if len(sends) == 0 {
		return 0, true
	}
	fn := sends[0].instr.Parent()
	weight := map[*ssa.BasicBlock]int{}
	counted := map[ssa.Instruction]bool{}
	for _, a := range sends {
		if counted[a.instr] {
			// one send reached through several calls of a helper (often
			// guarded by a flag: report once): counted once
			continue
		}
		counted[a.instr] = true
		if a.at != a.instr && inCycle(a.at.Block()) {
			return 0, false // in a helper called in a loop
		}
		times := 1
		if inCycle(a.instr.Block()) {
			header, loop := naturalLoop(a.instr.Block())
			k, ok := tripCount(header, loop)
			if !ok || header != nil && enclosed(header, loop) {
				return 0, false
			}
			times = k
		}
		if a.instr.Parent() != fn {
			fn = nil // in several functions: count them all
		}
		weight[a.instr.Block()] += times
	}
	if fn == nil {
		n := 0
		for _, w := range weight {
			n += w
		}
		return n, true
	}
	// The most sends on one path: blocks in a loop are counted once (the
	// loop's own weight is its trip count, above).
	memo := map[*ssa.BasicBlock]int{}
	onStack := map[*ssa.BasicBlock]bool{}
	var most func(b *ssa.BasicBlock) int
	most = func(b *ssa.BasicBlock) int {
		if m, ok := memo[b]; ok {
			return m
		}
		onStack[b] = true
		best := 0
		for _, succ := range b.Succs {
			if !onStack[succ] {
				best = max(best, most(succ))
			}
		}
		onStack[b] = false
		memo[b] = best + weight[b]
		return memo[b]
	}
	return most(fn.Blocks[0]), true
}

// sourceDriven reports whether a goroutine sends in a loop that ends on
// the result of a call (a read that fails once its source is closed): how
// many values it sends depends on what its source delivers, which the
// analysis cannot know.
func sourceDriven(body *flat) bool {
	for _, op := range body.sends {
		if !inCycle(op.instr.Block()) {
			continue
		}
		_, loop := naturalLoop(op.instr.Block())
		for b := range loop {
			ifInstr, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
			if !ok {
				continue
			}
			exits := false
			for _, s := range b.Succs {
				exits = exits || !loop[s]
			}
			if exits && derivesFrom(ifInstr.Cond, isCallResult, map[ssa.Value]bool{}, 0) {
				return true
			}
		}
	}
	return false
}

// isCallResult reports whether v is the result of a call other than a
// builtin (len, cap).
func isCallResult(v ssa.Value) bool {
	call, ok := v.(*ssa.Call)
	if !ok {
		return false
	}
	_, builtin := call.Call.Value.(*ssa.Builtin)
	return !builtin
}

// guardedByRecover reports whether instr runs only when recover()
// returned a panic (a deferred handler reporting it): that path sends
// instead of the normal one, not in addition to it.
func guardedByRecover(instr ssa.Instruction) bool {
	isRecover := func(v ssa.Value) bool {
		call, ok := v.(*ssa.Call)
		if !ok {
			return false
		}
		b, ok := call.Call.Value.(*ssa.Builtin)
		return ok && b.Name() == "recover"
	}
	for b := instr.Block().Idom(); b != nil; b = b.Idom() {
		if ifInstr, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If); ok && derivesFrom(ifInstr.Cond, isRecover, map[ssa.Value]bool{}, 0) {
			return true
		}
	}
	return false
}

// enclosed reports whether a loop is itself inside another loop.
func enclosed(header *ssa.BasicBlock, loop map[*ssa.BasicBlock]bool) bool {
	for _, p := range header.Preds {
		if !loop[p] && inCycle(p) {
			return true
		}
	}
	return false
}

// dischargedBefore reports whether a deferred call registered before the
// go statement (dominating it) receives (recv) or closes the channel:
// it runs on every exit of the owner.
func (c *core) dischargedBefore(of *flat, g ssa.Instruction, recv bool) bool {
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

// dischargeAt marks the owner's instruction that runs op (the op itself,
// or the call of the helper or closure it happens in) as a discharge.
func dischargeAt(g *graph, op chanOp) {
	g.effects[op.at] = append(g.effects[op.at], effect{kind: effDischarge, from: 0})
}

// sendsOn reports whether goroutine g, started by fn, sends on ch, a
// channel fn makes, always instead of what it sends as own (never both).
func (c *core) sendsOn(fn *ssa.Function, ch ssa.Value, g *ssa.Go, own *flat) bool {
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
func selectDischarge(g *graph, fn *ssa.Function, op chanOp) {
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
}

// recvDischarges: each receive by the owner (or a helper it calls)
// discharges a single pending value.
func (c *core) recvDischarges(g *graph, fn *ssa.Function, of *flat, sender *goroutineChan) {
	for _, op := range append(slices.Clone(of.recvs), of.ranges...) {
		dischargeAt(g, op)
	}
	for _, op := range of.selRecvs {
		selectDischarge(g, fn, op)
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
func (c *core) collectorExits(g *graph, of *flat, recvs []chanOp) {
	normal := map[*ssa.BasicBlock][]bool{}
	for _, op := range recvs {
		header, loop := naturalLoop(op.at.Block())
		if header == nil {
			continue // a receive outside any loop takes one value only
		}
		for b := range loop {
			for k, s := range b.Succs {
				if loop[s] {
					continue
				}
				if normal[b] == nil {
					normal[b] = make([]bool, len(b.Succs))
				}
				normal[b][k] = !c.abandons(b, k, of)
			}
		}
	}
	// The test before a loop that may run zero times (`for range n`
	// checks 0 < n first): skipping the loop goes where its normal exit
	// goes, and is as normal.
	for b, ks := range normal {
		for k, ok := range ks {
			if !ok {
				continue
			}
			done := b.Succs[k]
			header, loop := naturalLoop(b)
			if header == nil {
				continue
			}
			for _, p := range header.Preds {
				if loop[p] || len(p.Succs) != 2 || normal[p] != nil {
					continue
				}
				if _, isIf := p.Instrs[len(p.Instrs)-1].(*ssa.If); !isIf {
					continue
				}
				for j, s := range p.Succs {
					if s == done {
						guard := make([]bool, 2)
						guard[j] = true
						normal[p] = guard
					}
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
func (c *core) abandons(b *ssa.BasicBlock, k int, of *flat) bool {
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

// chanCap returns the constant capacity of a make(chan).
func chanCap(mk *ssa.MakeChan) (int64, bool) {
	k, ok := mk.Size.(*ssa.Const)
	if !ok || k.Value == nil {
		return 0, ok && k.Value == nil
	}
	n, exact := constant.Int64Val(constant.ToInt(k.Value))
	return n, exact
}

// mkHasNoSize reports whether the make has no capacity argument in the
// source (go/ssa gives it a constant 0 position-less size).
func mkHasNoSize(mk *ssa.MakeChan) bool {
	k, ok := mk.Size.(*ssa.Const)
	return ok && (k.Value == nil || constant.Sign(k.Value) == 0) && mk.Pos().IsValid()
}

// lenOf returns xs when v is len(xs).
func lenOf(v ssa.Value) ssa.Value {
	if conv, ok := v.(*ssa.Convert); ok {
		v = conv.X
	}
	call, ok := v.(*ssa.Call)
	if !ok {
		return nil
	}
	if b, ok := call.Call.Value.(*ssa.Builtin); ok && b.Name() == "len" && len(call.Call.Args) == 1 {
		return call.Call.Args[0]
	}
	return nil
}

// rangedOver returns the slice, array or map a loop ranges over, if it
// is a for range loop over one.
func rangedOver(loop map[*ssa.BasicBlock]bool) ssa.Value {
	for b := range loop {
		for _, instr := range b.Instrs {
			switch instr := instr.(type) {
			case *ssa.Range:
				return instr.X
			case *ssa.BinOp:
				// for i := range xs (slices): i < len(xs)
				if instr.Op == token.LSS {
					if xs := lenOf(instr.Y); xs != nil {
						return xs
					}
				}
			}
		}
	}
	return nil
}

// lenText is the source text of len(xs) for the fix, when xs is a
// variable visible at the make: "" otherwise.
func (c *core) lenText(xs ssa.Value, mk *ssa.MakeChan) string {
	name := ""
	switch x := xs.(type) {
	case *ssa.Parameter:
		name = x.Name()
	case *ssa.UnOp:
		if a, ok := x.X.(*ssa.Alloc); ok && a.Comment != "" {
			name = a.Comment
		}
	}
	if name == "" || !token.IsIdentifier(name) {
		return ""
	}
	if instr, ok := xs.(ssa.Instruction); ok && !dominates(instr, mk) {
		return "" // computed after the make
	}
	return "len(" + name + ")"
}

// isNilChan reports whether the channel value is nil on every path: the
// nil constant, or a variable no code ever assigns a non-nil value.
func isNilChan(v ssa.Value) bool {
	if isNilConst(v) {
		return true
	}
	load, ok := v.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return false
	}
	cell := load.X
	for range maxChanDepth {
		fv, ok := cell.(*ssa.FreeVar)
		if !ok {
			break
		}
		cell = boundTo(fv) // the variable of the enclosing function
	}
	alloc, ok := cell.(*ssa.Alloc)
	if !ok {
		return false
	}
	return onlyNilStores(alloc, 0)
}

// boundTo returns the value the closure creation binds free variable fv
// to, or nil.
func boundTo(fv *ssa.FreeVar) ssa.Value {
	fn := fv.Parent()
	idx := slices.Index(fn.FreeVars, fv)
	if fn.Parent() == nil || idx < 0 {
		return nil
	}
	for _, b := range fn.Parent().Blocks {
		for _, instr := range b.Instrs {
			if mc, ok := instr.(*ssa.MakeClosure); ok && mc.Fn == fn {
				return mc.Bindings[idx]
			}
		}
	}
	return nil
}

func onlyNilStores(cell ssa.Value, depth int) bool {
	if depth > 3 {
		return false
	}
	for _, r := range *cell.Referrers() {
		switch r := r.(type) {
		case *ssa.DebugRef:
		case *ssa.UnOp:
			if r.Op != token.MUL {
				return false
			}
		case *ssa.Store:
			if r.Addr != cell || !isNilConst(r.Val) {
				return false
			}
		case *ssa.MakeClosure:
			fn := r.Fn.(*ssa.Function)
			for k, b := range r.Bindings {
				if b == cell && !onlyNilStores(fn.FreeVars[k], depth+1) {
					return false
				}
			}
		default:
			return false
		}
	}
	return true
}

// findNilChans records plain operations and select cases on channels that
// are nil on every path.
func (c *core) findNilChans() {
	for _, fn := range c.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch instr := instr.(type) {
				case *ssa.Send:
					if isNilChan(instr.Chan) {
						c.res.NilChanOps = append(c.res.NilChanOps, &NilChanOp{Fn: fn, Pos: instr.Pos(), Send: true, Name: c.chanName(instr.Pos())})
					}
				case *ssa.UnOp:
					if instr.Op == token.ARROW && isNilChan(instr.X) {
						c.res.NilChanOps = append(c.res.NilChanOps, &NilChanOp{Fn: fn, Pos: instr.Pos(), Range: c.isRangeRecv(instr), Name: c.chanName(instr.Pos())})
					}
				case *ssa.Select:
					var nils []int
					var names []string
					for k, st := range instr.States {
						if isNilChan(st.Chan) {
							nils = append(nils, k)
							names = append(names, c.chanName(st.Pos))
						}
					}
					if len(nils) > 0 {
						c.res.NilSelects = append(c.res.NilSelects, &NilSelect{
							Select: instr, Fn: fn, Cases: nils, Names: names,
							All: instr.Blocking && len(nils) == len(instr.States),
						})
					}
				}
			}
		}
	}
}

// FuncName names a function in a diagnostic: its name, T.M for a method,
// "the function literal" for a closure.
func FuncName(fn *ssa.Function) string {
	if fn.Parent() != nil {
		return "the function literal"
	}
	if recv := fn.Signature.Recv(); recv != nil {
		t := recv.Type()
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		if n, ok := types.Unalias(t).(*types.Named); ok {
			return n.Obj().Name() + "." + fn.Name()
		}
	}
	return fn.Name()
}
