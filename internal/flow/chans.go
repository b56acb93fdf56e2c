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

type chanOpKind uint8

const (
	opSend       chanOpKind = iota + 1 // a plain (blocking) send
	opRecv                             // a plain receive
	OpRange                            // the receive of a for range
	opSelSend                          // a send case of a select
	opSelRecv                          // a receive case of a select
	OpClose                            // close(ch)
	opDeferClose                       // defer close(ch)
	opCall                             // passed to a helper (or a closure) called here
	opDeferCall                        // the same, deferred
	OpGo                               // handed to a goroutine started here
)

// ChanOp is one thing a function does with the channel.
type ChanOp struct {
	Kind  chanOpKind
	Instr ssa.Instruction
	Pos   token.Pos
	State int      // select state index
	Body  *ChanOps // opCall, opDeferCall, opGo: what the callee does
	Fn    *ssa.Function
	// At is the instruction of the owner that runs the op: the op itself,
	// or the call of the helper or closure it happens in (set by flatten).
	At ssa.Instruction
}

// ChanOps is what one function does with a channel it is given (a
// parameter, a free variable, or the channel it makes).
type ChanOps struct {
	Fn  *ssa.Function
	Ops []ChanOp
	// Escapes: the channel reaches code or storage the index does not
	// follow (returned, stored, converted, passed to unknown code).
	Escapes bool
	// Other: a value other than the channel is stored into a variable
	// that holds it (reassigned): later operations may be on another one.
	Other bool
	// Returned are the returns of the channel.
	Returned []*ssa.Return
	// FieldStores are the stores of the channel into a field of a struct
	// type of the package.
	FieldStores []*ssa.FieldAddr
}

// Escaped reports whether the channel leaves what the index follows.
func (ops *ChanOps) Escaped() bool {
	return ops.Escapes || ops.Other || len(ops.Returned) > 0 || len(ops.FieldStores) > 0
}

type chanKey struct {
	fn   *ssa.Function
	root ssa.Value
}

// MaxChanDepth bounds how deep helpers and closures are followed.
const MaxChanDepth = 4

// ChanOpsOf returns what fn does with the channel root (a value, or the
// cell of a variable holding it when cell is set).
func (c *Core) ChanOpsOf(fn *ssa.Function, root ssa.Value, cell bool, depth int) *ChanOps {
	key := chanKey{fn, root}
	if ops, ok := c.chanMemo[key]; ok {
		return ops
	}
	ops := &ChanOps{Fn: fn}
	if depth > MaxChanDepth {
		ops.Escapes = true // too deep to follow: stay silent
		return ops
	}
	c.chanMemo[key] = &ChanOps{Fn: fn, Escapes: true} // recursion: unknown
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
	for len(queue) > 0 && !ops.Escapes {
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
	slices.SortStableFunc(ops.Ops, func(a, b ChanOp) int { return int(a.Pos - b.Pos) })
	c.chanMemo[key] = ops
	return ops
}

func (c *Core) chanValueUse(ops *ChanOps, v ssa.Value, instr ssa.Instruction, depth int, value, cell func(ssa.Value)) {
	op := func(k chanOpKind, pos token.Pos) { ops.Ops = append(ops.Ops, ChanOp{Kind: k, Instr: instr, Pos: pos}) }
	switch instr := instr.(type) {
	case *ssa.DebugRef, *ssa.BinOp:
		// a comparison (ch != nil): a use
	case *ssa.Phi, *ssa.ChangeType:
		value(instr.(ssa.Value))
	case *ssa.Send:
		if instr.X == v {
			ops.Escapes = true // sent on another channel: someone else has it now
			return
		}
		op(opSend, instr.Pos())
	case *ssa.UnOp:
		if instr.Op != token.ARROW {
			ops.Escapes = true
			return
		}
		if c.isRangeRecv(instr) {
			op(OpRange, instr.Pos())
		} else {
			op(opRecv, instr.Pos())
		}
	case *ssa.Select:
		for k, st := range instr.States {
			if st.Send == v {
				ops.Escapes = true
				return
			}
			if st.Chan != v {
				continue
			}
			kind := opSelRecv
			if st.Dir == types.SendOnly {
				kind = opSelSend
			}
			ops.Ops = append(ops.Ops, ChanOp{Kind: kind, Instr: instr, Pos: st.Pos, State: k})
		}
	case *ssa.Store:
		if instr.Val != v {
			ops.Escapes = true
			return
		}
		if alloc, ok := instr.Addr.(*ssa.Alloc); ok {
			cell(alloc) // a local variable (perhaps captured by closures)
			return
		}
		if fa, ok := instr.Addr.(*ssa.FieldAddr); ok && c.OwnField(fa) != nil {
			// a field of a struct of the package: its owner may be this
			// function alone (chanFieldObligations decides)
			ops.FieldStores = append(ops.FieldStores, fa)
			return
		}
		ops.Escapes = true // stored to an element or global: it escapes
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
		ops.Returned = append(ops.Returned, instr)
	default:
		// converted to an interface, stored in a map or slice, ...:
		// ownership leaves what the index follows, stay silent
		ops.Escapes = true
	}
}

func (c *Core) chanCellUse(ops *ChanOps, a ssa.Value, instr ssa.Instruction, depth int, value, cell func(ssa.Value)) {
	switch instr := instr.(type) {
	case *ssa.DebugRef:
	case *ssa.UnOp:
		if instr.Op != token.MUL {
			ops.Escapes = true
			return
		}
		value(instr)
	case *ssa.Store:
		if instr.Addr != a {
			ops.Escapes = true // the variable's address is stored
			return
		}
		if !isNilConst(instr.Val) && !c.holdsSame(instr.Val, a) {
			ops.Other = true // reassigned to another channel
		}
	case *ssa.MakeClosure:
		fn := instr.Fn.(*ssa.Function)
		for k, b := range instr.Bindings {
			if b == a {
				c.closureUse(ops, instr, fn, fn.FreeVars[k], true, depth)
			}
		}
	default:
		ops.Escapes = true // &ch passed along
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
func (c *Core) closureUse(ops *ChanOps, mc *ssa.MakeClosure, fn *ssa.Function, fv ssa.Value, cell bool, depth int) {
	body := c.ChanOpsOf(fn, fv, cell, depth+1)
	for _, r := range *mc.Referrers() {
		switch r := r.(type) {
		case *ssa.DebugRef:
		case *ssa.Call:
			if c.startsArg(r, mc) {
				// wg.Go(func() { ... }): a goroutine, as a go statement's
				ops.Ops = append(ops.Ops, ChanOp{Kind: OpGo, Instr: r, Pos: r.Pos(), Body: body, Fn: fn})
				continue
			}
			if r.Call.Value != mc {
				ops.Escapes = true // the closure is passed along
				return
			}
			ops.Ops = append(ops.Ops, ChanOp{Kind: opCall, Instr: r, Pos: r.Pos(), Body: body, Fn: fn})
		case *ssa.Defer:
			if r.Call.Value != mc {
				ops.Escapes = true
				return
			}
			ops.Ops = append(ops.Ops, ChanOp{Kind: opDeferCall, Instr: r, Pos: r.Pos(), Body: body, Fn: fn})
		case *ssa.Go:
			if r.Call.Value != mc {
				ops.Escapes = true
				return
			}
			ops.Ops = append(ops.Ops, ChanOp{Kind: OpGo, Instr: r, Pos: r.Pos(), Body: body, Fn: fn})
		default:
			// stored, passed to another function: it runs where the
			// index cannot see, stay silent (wg.Go and errgroup's Go
			// are above)
			ops.Escapes = true
			return
		}
	}
}

// startsArg reports whether call is wg.Go(f) or errgroup's g.Go(f) with
// f the closure mc, and mc nowhere else in the call: it runs mc in a new
// goroutine, as go mc() does (the Done when it returns is wgbalance's).
func (c *Core) startsArg(call *ssa.Call, mc *ssa.MakeClosure) bool {
	common := &call.Call
	if common.Value == mc || len(common.Args) != 2 || common.Args[1] != mc || common.Args[0] == mc {
		return false
	}
	return c.table.StartsGoroutine(CalleeObject(common))
}

func (c *Core) chanCallUse(ops *ChanOps, v ssa.Value, call ssa.CallInstruction, depth int) {
	common := call.Common()
	if common.Value == v {
		ops.Escapes = true // not a function: cannot happen
		return
	}
	if b, ok := common.Value.(*ssa.Builtin); ok {
		switch b.Name() {
		case "len", "cap":
		case "close":
			switch call.(type) {
			case *ssa.Call:
				ops.Ops = append(ops.Ops, ChanOp{Kind: OpClose, Instr: call, Pos: call.Pos()})
			case *ssa.Defer:
				ops.Ops = append(ops.Ops, ChanOp{Kind: opDeferClose, Instr: call, Pos: call.Pos()})
			default:
				ops.Escapes = true
			}
		default:
			ops.Escapes = true
		}
		return
	}
	callee := c.LocalCallee(common)
	if callee == nil || common.IsInvoke() {
		ops.Escapes = true // unknown code: it may keep the channel
		return
	}
	for i, a := range common.Args {
		if a != v {
			continue
		}
		if i >= len(callee.Params) {
			ops.Escapes = true
			return
		}
		body := c.ChanOpsOf(callee, callee.Params[i], false, depth+1)
		ops.Ops = append(ops.Ops, ChanOp{Kind: CallOpKind(call), Instr: call, Pos: call.Pos(), Body: body, Fn: callee})
	}
}

// CallOpKind is what handing the channel to a callee is: a call, a
// deferred call or a goroutine.
func CallOpKind(call ssa.CallInstruction) chanOpKind {
	switch call.(type) {
	case *ssa.Go:
		return OpGo
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

// Flat is what a function does with a channel, helpers called
// synchronously included, goroutines excluded.
type Flat struct {
	Sends, Recvs, Ranges, Closes []ChanOp // plain operations (sends, recvs: in source order)
	SelSends, SelRecvs           []ChanOp
	Gos                          []ChanOp
	Escapes                      bool
	SendInLoop                   bool // a send can repeat
}

func (f *Flat) Receives() bool { return len(f.Recvs)+len(f.Ranges)+len(f.SelRecvs) > 0 }
func (f *Flat) SendsAny() bool { return len(f.Sends)+len(f.SelSends) > 0 }

func Flatten(ops *ChanOps) *Flat {
	f := &Flat{}
	var visit func(ops *ChanOps, at ssa.Instruction, inLoop bool, depth int)
	visit = func(ops *ChanOps, at ssa.Instruction, inLoop bool, depth int) {
		if ops.Escaped() || depth > MaxChanDepth {
			f.Escapes = true
			return
		}
		for _, op := range ops.Ops {
			op.At = at
			if at == nil {
				op.At = op.Instr
			}
			loop := inLoop || InCycle(op.Instr.Block())
			switch op.Kind {
			case opSend:
				f.Sends = append(f.Sends, op)
				f.SendInLoop = f.SendInLoop || loop
			case opRecv:
				f.Recvs = append(f.Recvs, op)
			case OpRange:
				f.Ranges = append(f.Ranges, op)
			case opSelSend:
				f.SelSends = append(f.SelSends, op)
			case opSelRecv:
				f.SelRecvs = append(f.SelRecvs, op)
			case OpClose, opDeferClose:
				f.Closes = append(f.Closes, op)
			case opCall, opDeferCall:
				visit(op.Body, op.At, loop, depth+1)
			case OpGo:
				f.Gos = append(f.Gos, op)
			}
		}
	}
	visit(ops, nil, false, 0)
	return f
}
