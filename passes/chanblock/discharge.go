package chanblock

import (
	"go/token"
	"go/types"
	"slices"

	"github.com/leakvet/leakvet/internal/flow"
	"golang.org/x/tools/go/ssa"
)

// What discharges a channel obligation on the owner's paths: receives,
// select cases, collector loops, and the exits that abandon one.

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
func (c *checker) sendsOn(fn *ssa.Function, ch ssa.Value, g ssa.Instruction, own *flow.Flat) bool {
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
				if k != op.State && st.Dir == types.RecvOnly && c.sendsOn(fn, st.Chan, sender.op.Instr, sender.body) {
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
