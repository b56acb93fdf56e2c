package flow

import (
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
	Fn   *ssa.Function
	Pos  token.Pos
	Send bool
	Name string
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
	// fieldStores are the stores of the channel into a field of a struct
	// type of the package.
	fieldStores []*ssa.FieldAddr
}

// escaped reports whether the channel leaves what the index follows.
func (ops *chanOps) escaped() bool {
	return ops.escapes || ops.other || len(ops.returned) > 0 || len(ops.fieldStores) > 0
}

type chanKey struct {
	fn   *ssa.Function
	root ssa.Value
}

// maxChanDepth bounds how deep helpers and closures are followed.
const maxChanDepth = 4

// chanOpsOf returns what fn does with the channel root (a value, or the
// cell of a variable holding it when cell is set).
func (c *Core) chanOpsOf(fn *ssa.Function, root ssa.Value, cell bool, depth int) *chanOps {
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

func (c *Core) chanValueUse(ops *chanOps, v ssa.Value, instr ssa.Instruction, depth int, value, cell func(ssa.Value)) {
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
		if fa, ok := instr.Addr.(*ssa.FieldAddr); ok && c.ownField(fa) != nil {
			// a field of a struct of the package: its owner may be this
			// function alone (chanFieldObligations decides)
			ops.fieldStores = append(ops.fieldStores, fa)
			return
		}
		ops.escapes = true // stored to an element or global: it escapes
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

func (c *Core) chanCellUse(ops *chanOps, a ssa.Value, instr ssa.Instruction, depth int, value, cell func(ssa.Value)) {
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
func (c *Core) holdsSame(v ssa.Value, a ssa.Value) bool {
	for _, r := range *a.Referrers() {
		if st, ok := r.(*ssa.Store); ok && st.Addr == a {
			return st.Val == v
		}
	}
	return false
}

// closureUse follows a closure capturing the channel (or its variable):
// what it does counts where it is called, deferred or started.
func (c *Core) closureUse(ops *chanOps, mc *ssa.MakeClosure, fn *ssa.Function, fv ssa.Value, cell bool, depth int) {
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

func (c *Core) chanCallUse(ops *chanOps, v ssa.Value, call ssa.CallInstruction, depth int) {
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
	callee := c.LocalCallee(common)
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
		ops.ops = append(ops.ops, chanOp{kind: callOpKind(call), instr: call, pos: call.Pos(), body: body, fn: callee})
	}
}

// callOpKind is what handing the channel to a callee is: a call, a
// deferred call or a goroutine.
func callOpKind(call ssa.CallInstruction) chanOpKind {
	switch call.(type) {
	case *ssa.Go:
		return opGo
	case *ssa.Defer:
		return opDeferCall
	}
	return opCall
}

// isRangeRecv reports whether a receive is the one a for range over a
// channel compiles to.
func (c *Core) isRangeRecv(u *ssa.UnOp) bool {
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
			loop := inLoop || InCycle(op.instr.Block())
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
