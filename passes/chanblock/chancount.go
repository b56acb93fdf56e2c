package chanblock

import (
	"go/constant"
	"go/token"
	"go/types"
	"slices"

	"github.com/leakvet/leakvet/internal/flow"
	"golang.org/x/tools/go/ssa"
)

// Counting: how many values goroutines send, how many times a loop runs,
// how much a buffer holds.

// goRepeats returns how many times the go statement runs for one channel
// made by mk: 1 outside a loop (or in a loop that makes a new channel
// each iteration), the trip count of a counted loop, -1 when unknown. inLoop
// reports whether it runs in a loop at all.
func goRepeats(g ssa.Instruction, mk *ssa.MakeChan) (times int, inLoop bool) {
	header, loop := flow.NaturalLoop(g.Block())
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
func mustSend(body *flow.Flat) bool {
	if body.SendInLoop {
		return true
	}
	if len(body.Sends) == 0 {
		return false
	}
	fn := body.Sends[0].Instr.Parent()
	sends := map[*ssa.BasicBlock]bool{}
	for _, op := range body.Sends {
		if op.Instr.Parent() != fn {
			return true // in a helper: take it as sent
		}
		sends[op.Instr.Block()] = true
	}
	if op := body.Sends[0]; op.At != op.Instr {
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
func sendsPerRun(body *flow.Flat) (int, bool) {
	sends := append(slices.Clone(body.Sends), body.SelSends...)
	if len(sends) == 0 {
		return 0, true
	}
	sends = slices.DeleteFunc(sends, func(a flow.ChanOp) bool { return guardedByRecover(a.Instr) })
	if len(sends) == 0 {
		return 0, true
	}
	fn := sends[0].Instr.Parent()
	weight := map[*ssa.BasicBlock]int{}
	counted := map[ssa.Instruction]bool{}
	for _, a := range sends {
		if counted[a.Instr] {
			// one send reached through several calls of a helper (often
			// guarded by a flag: report once): counted once
			continue
		}
		counted[a.Instr] = true
		if a.At != a.Instr && flow.InCycle(a.At.Block()) {
			return 0, false // in a helper called in a loop
		}
		times := 1
		if flow.InCycle(a.Instr.Block()) {
			header, loop := flow.NaturalLoop(a.Instr.Block())
			k, ok := tripCount(header, loop)
			if !ok || header != nil && enclosed(header, loop) {
				return 0, false
			}
			times = k
		}
		if a.Instr.Parent() != fn {
			fn = nil // in several functions: count them all
		}
		weight[a.Instr.Block()] += times
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
func sourceDriven(body *flow.Flat) bool {
	for _, op := range body.Sends {
		if !flow.InCycle(op.Instr.Block()) {
			continue
		}
		_, loop := flow.NaturalLoop(op.Instr.Block())
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
		if !loop[p] && flow.InCycle(p) {
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
func (c *checker) lenText(xs ssa.Value, mk *ssa.MakeChan) string {
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
	if instr, ok := xs.(ssa.Instruction); ok && !flow.Dominates(instr, mk) {
		return "" // computed after the make
	}
	return "len(" + name + ")"
}

// sendCount is how many values the senders send on mk: exact when
// bounded (every go statement and every send runs a known number of
// times), a lower bound otherwise.
func sendCount(senders []goroutineChan, mk *ssa.MakeChan) (count int, bounded bool) {
	bounded = true
	for _, s := range senders {
		times, _ := goRepeats(s.op.Instr, mk)
		n, ok := sendsPerRun(s.body)
		if times < 0 || !ok {
			bounded = false
		}
		count += max(times, 1) * n
	}
	return count, bounded
}

// canBlock reports whether the senders can fill mk's buffer so that one
// blocks, in a way the analysis can count: a constant capacity smaller
// than the number of values, or an unbounded number from goroutines that
// send on every path and not as many as a source delivers.
func canBlock(senders []goroutineChan, first goroutineChan, mk *ssa.MakeChan) (count int, bounded, ok bool) {
	count, bounded = sendCount(senders, mk)
	capacity, constCap := chanCap(mk)
	switch {
	case !constCap:
		// a capacity the analysis cannot compare (make(chan T, len(xs))
		// with one goroutine per element of xs, say): stay silent
		return count, bounded, false
	case bounded:
		return count, bounded, capacity < int64(count) // else room for every value
	case slices.ContainsFunc(senders, func(s goroutineChan) bool { return sourceDriven(s.body) }):
		return count, bounded, false // as many values as its source delivers: cannot be counted
	case !mustSend(first.body):
		// goroutines started in a loop that send only on some paths: a
		// protocol (the last one to finish reports) may make exactly one
		// of them send; the analysis cannot count that, stay silent
		return count, bounded, false
	}
	return count, bounded, true
}

// perElement returns xs when the goroutine is started once per element
// of xs (for _, x := range xs { go ... }) and sends one value per run.
func perElement(g goroutineChan, mk *ssa.MakeChan) ssa.Value {
	if _, inLoop := goRepeats(g.op.Instr, mk); !inLoop {
		return nil
	}
	if n, ok := sendsPerRun(g.body); !ok || n != 1 {
		return nil
	}
	if _, loop := flow.NaturalLoop(g.op.Instr.Block()); loop != nil {
		return rangedOver(loop)
	}
	return nil
}
