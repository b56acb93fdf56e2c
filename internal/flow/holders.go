package flow

import (
	"go/token"

	"golang.org/x/tools/go/ssa"
)

// A holder is an SSA value that may carry the resource.
//
// A value holder is the resource itself (the cancel func, or a conversion
// or phi of it) or, when clo != nil, a closure that captures it as free
// variable fv (fvCell: captured by reference, through a cell). A cell
// holder (cell == true) is the address of a local variable (an Alloc, or
// a captured variable's FreeVar inside a closure) that may contain such a
// value.
//
// A closure capturing the cell (fvCell) does not hold the resource: it
// refers to the variable, and calling it releases whatever the variable
// holds at that moment; deferring it releases what the variable holds when
// the function returns. Its effects are therefore expressed on the cell
// (cellRef), and such closure values are always live.
type Holder struct {
	V    ssa.Value
	cell bool
	// viaField: the value is field g.field of a holder (the WaitGroup in
	// a struct), not the holder's own value.
	viaField bool
	clo      *ssa.Function
	fv       int
	fvCell   bool
	cellRef  int
}

type content struct {
	clo     *ssa.Function
	fv      int
	fvCell  bool
	cellRef int
}

func (h *Holder) content() content { return content{h.clo, h.fv, h.fvCell, h.cellRef} }

// refersToCell reports whether h is a closure over the variable's cell.
func (h *Holder) refersToCell() bool { return h.clo != nil && h.fvCell }

type EffectKind uint8

const (
	// effDefine: the instruction's value `to` holds the resource iff
	// holder `from` does.
	effDefine EffectKind = iota + 1
	// effStore: cell `to` now holds the resource iff `from` does; from < 0
	// stores something else (the cell is overwritten).
	effStore
	// effDischarge: the instruction releases the resource if `from` holds it.
	EffDischarge
	// effTransfer: ownership leaves the function if `from` holds it.
	effTransfer
	// effDeferCell: a deferred closure will release what cell `from` holds
	// when the function returns.
	effDeferCell
)

// alwaysLive as an effect's from: the defined value is a closure over the
// variable's cell, which refers to it on every path.
const alwaysLive = -2

type HolderEffect struct {
	Kind     EffectKind
	From, to int
}

type cellUseAt struct {
	instr ssa.CallInstruction
	cell  int
}

// Graph is the holder graph of one root value: the holders, and the effect
// of each instruction on them, in instruction order.
type Graph struct {
	Holders []*Holder
	Index   map[ssa.Value]int
	Effects map[ssa.Instruction][]HolderEffect
	// Phis maps a phi holder's block to the phi holders at its top.
	Phis map[*ssa.BasicBlock][]int
	// cellDefers and cellGos are the defer and go statements of closures
	// over a cell: run before the acquire, they still see it.
	cellDefers []cellUseAt
	cellGos    []cellUseAt
	// SelectRecvs maps a select to the holder whose timer channel each of
	// its cases receives from: taking that case means the timer fired.
	SelectRecvs map[*ssa.Select]map[int]int
	// cellEscapes are instructions handing a closure over the cell to code
	// the walk does not follow: whenever that code runs, it sees the cell.
	cellEscapes []ssa.Instruction

	// fieldStores are transfers into a struct field.
	fieldStores []*ssa.Store
	// Field, when >= 0, is the struct field that carries the resource.
	Field int
	// DischargeEdge, if set, reports whether taking edge k out of block
	// b discharges the obligation (a collector loop's normal exit).
	DischargeEdge func(b *ssa.BasicBlock, k int) bool
	// unsupported: the graph meets a shape the core does not model (too
	// many holders, conflicting contents); the site stays silent.
	unsupported bool
}

const maxHolders = 64 // live sets are uint64 bitsets

// buildGraph computes the holder graph of root (a value holder of direct
// content, or a cell if rootCell).
func (c *Core) buildGraph(root ssa.Value, rootCell bool) *Graph {
	return c.buildFieldGraph(root, rootCell, -1)
}

// buildFieldGraph is buildGraph where the resource is field `field` of the
// struct root points to (field < 0: root itself): the address of that
// field taken from any holder becomes a holder.
func (c *Core) buildFieldGraph(root ssa.Value, rootCell bool, field int) *Graph {
	g := &Graph{Index: map[ssa.Value]int{}, Effects: map[ssa.Instruction][]HolderEffect{}, Phis: map[*ssa.BasicBlock][]int{}, Field: field}
	var queue []int
	add := func(h *Holder) int {
		if i, ok := g.Index[h.V]; ok {
			if g.Holders[i].cell != h.cell || g.Holders[i].content() != h.content() {
				g.unsupported = true // one value, two meanings: give up
			}
			return i
		}
		if len(g.Holders) == maxHolders {
			return -1 // past the limit: callers treat the flow as a transfer
		}
		g.Holders = append(g.Holders, h)
		i := len(g.Holders) - 1
		g.Index[h.V] = i
		queue = append(queue, i)
		return i
	}
	emit := func(instr ssa.Instruction, e HolderEffect) {
		if e.to < 0 && (e.Kind == effDefine || e.Kind == effStore) && e.From != -1 {
			// the resource flows to a value past the holder limit: we lose
			// sight of it, which is a transfer (silence), not a leak
			e = HolderEffect{Kind: effTransfer, From: e.From}
		}
		g.Effects[instr] = append(g.Effects[instr], e)
	}
	add(&Holder{V: root, cell: rootCell})
	for len(queue) > 0 && !g.unsupported {
		i := queue[0]
		queue = queue[1:]
		h := g.Holders[i]
		refs := h.V.Referrers()
		if refs == nil {
			continue
		}
		for _, instr := range *refs {
			if h.cell {
				c.cellUse(g, i, instr, add, emit)
			} else {
				c.valueUse(g, i, instr, add, emit)
			}
		}
	}
	// Record the stores of other values into the cells: overwrites.
	for i, h := range g.Holders {
		if !h.cell {
			continue
		}
		for _, instr := range *h.V.Referrers() {
			if st, ok := instr.(*ssa.Store); ok && st.Addr == h.V {
				if j, isHolder := g.Index[st.Val]; !isHolder || g.Holders[j].refersToCell() {
					emit(st, HolderEffect{Kind: effStore, From: -1, to: i})
				}
			}
		}
	}
	return g
}

// valueUse records the effect of instr, a user of value holder i.
func (c *Core) valueUse(g *Graph, i int, instr ssa.Instruction, add func(*Holder) int, emit func(ssa.Instruction, HolderEffect)) {
	h := g.Holders[i]
	v := h.V
	same := func(w ssa.Value) *Holder {
		return &Holder{V: w, clo: h.clo, fv: h.fv, fvCell: h.fvCell, cellRef: h.cellRef}
	}
	from := i
	if h.refersToCell() {
		from = alwaysLive
	}
	transfer := func() {
		emit(instr, HolderEffect{Kind: effTransfer, From: i})
		if h.refersToCell() {
			g.cellEscapes = append(g.cellEscapes, instr)
		}
	}
	switch instr := instr.(type) {
	case *ssa.DebugRef:
	case *ssa.BinOp:
		// a comparison (cancel != nil): no effect; the walk uses it to prune
	case *ssa.Phi:
		j := add(same(instr))
		if j < 0 {
			g.unsupported = true // a phi past the holder limit: no instruction to hang a transfer on
			return
		}
		g.Phis[instr.Block()] = appendUnique(g.Phis[instr.Block()], j)
	case *ssa.ChangeType:
		emit(instr, HolderEffect{Kind: effDefine, From: from, to: add(same(instr))})
	case *ssa.Store:
		if instr.Val != v {
			transfer() // v is the address: not a func value; be safe
			return
		}
		if alloc, ok := instr.Addr.(*ssa.Alloc); ok && !h.refersToCell() {
			cell := &Holder{V: alloc, cell: true, clo: h.clo, fv: h.fv, fvCell: h.fvCell}
			emit(instr, HolderEffect{Kind: effStore, From: i, to: add(cell)})
			return
		}
		// stored to a field, element, global or outer variable: ownership
		// moves with it, stay silent
		if _, ok := instr.Addr.(*ssa.FieldAddr); ok && h.clo == nil {
			g.fieldStores = append(g.fieldStores, instr)
		}
		transfer()
	case *ssa.MakeClosure:
		if h.clo != nil {
			transfer() // a closure capturing a closure: not modelled, stay silent
			return
		}
		for k, b := range instr.Bindings {
			if b != v {
				continue
			}
			clo := &Holder{V: instr, clo: instr.Fn.(*ssa.Function), fv: k}
			if c.freeVarSummary(clo.clo, k, false) == Releases {
				// func() { cancel() }: calling it is calling cancel; model it
				// as the function itself, so a variable holding either one
				// (cancel = cancel1 or the closure) stays one holder
				clo = &Holder{V: instr}
			}
			emit(instr, HolderEffect{Kind: effDefine, From: i, to: add(clo)})
		}
	case ssa.CallInstruction:
		c.callUse(g, i, instr, emit)
	case *ssa.FieldAddr:
		if g.Field >= 0 && !h.viaField && h.clo == nil && instr.Field == g.Field {
			emit(instr, HolderEffect{Kind: effDefine, From: i, to: add(&Holder{V: instr, viaField: true})})
		}
		// t.C: reading a field of the resource (a timer's channel) is a
		// use; receives on it are matched by the passes that care
	case *ssa.Field:
	case *ssa.Return, *ssa.Send, *ssa.MakeInterface:
		// returned, sent, or converted to an interface: ownership leaves
		transfer()
	default:
		transfer() // a use the core does not model: stay silent
	}
}

// callUse records the effect of a call on value holder i: calling it
// releases it; passing it releases, retains or merely uses it according
// to the callee's summary.
func (c *Core) callUse(g *Graph, i int, call ssa.CallInstruction, emit func(ssa.Instruction, HolderEffect)) {
	h := g.Holders[i]
	common := call.Common()
	// What calling the holder does, expressed on the holder it acts on:
	// itself, or for a closure over the variable, the variable's cell.
	on, eff := i, Releases
	if h.clo != nil {
		eff = c.freeVarSummary(h.clo, h.fv, h.fvCell)
		if h.fvCell {
			on = h.cellRef
		}
	}
	effectOf := func(e Effect) (EffectKind, bool) {
		switch e {
		case Releases:
			return EffDischarge, true
		case Retains, Unknown:
			return effTransfer, true
		}
		return 0, false // usesOnly, mayRelease: the obligation stays
	}
	if common.Value == h.V && !common.IsInvoke() {
		_, isDefer := call.(*ssa.Defer)
		if isDefer && eff == MayRelease {
			// defer func() { if err != nil { cancel() } }(): the guard is
			// usually "ownership was not handed over", which the analysis
			// cannot relate to the paths: count it as the release
			eff = Releases
		}
		switch {
		case isDefer && h.refersToCell():
			if eff != UsesOnly {
				emit(call, HolderEffect{Kind: effDeferCell, From: on})
				g.cellDefers = append(g.cellDefers, cellUseAt{call, on})
			}
		default:
			if k, ok := effectOf(eff); ok {
				emit(call, HolderEffect{Kind: k, From: on})
			}
			if _, isGo := call.(*ssa.Go); isGo && h.refersToCell() && eff != UsesOnly {
				g.cellGos = append(g.cellGos, cellUseAt{call, on})
			}
		}

	}
	for argi, arg := range common.Args {
		if arg != h.V {
			continue
		}
		if _, ok := common.Value.(*ssa.Builtin); ok {
			continue // print(cancel) and the like: a use
		}
		if g.Field >= 0 && !h.viaField {
			// the struct holding the resource is passed along: we follow
			// only the field's own uses
			emit(call, HolderEffect{Kind: effTransfer, From: i})
			continue
		}
		if argi == 0 && !common.IsInvoke() && h.clo == nil {
			if fn := CalleeObject(common); c.table.Releases(fn) {
				emit(call, HolderEffect{Kind: EffDischarge, From: i}) // t.Stop()
				continue
			} else if c.table.Uses(fn) {
				continue // t.Reset(d): a use
			}
		}
		callee := c.LocalCallee(common)
		if callee == nil {
			// unknown code (func value, interface method, another package):
			// it may keep the resource, stay silent
			emit(call, HolderEffect{Kind: effTransfer, From: on})
			continue
		}
		switch c.paramSummary(callee, argi) {
		case Releases: // the helper calls it on every path
			if eff == MayRelease {
				break // the helper calls a closure that calls it only sometimes
			}
			if k, ok := effectOf(eff); ok {
				emit(call, HolderEffect{Kind: k, From: on})
			}
		case Retains, Unknown:
			emit(call, HolderEffect{Kind: effTransfer, From: on})
		case UsesOnly, MayRelease:
			// the helper does not call it on every path: the obligation stays
		}
	}
}

// cellUse records the effect of instr, a user of cell holder i.
func (c *Core) cellUse(g *Graph, i int, instr ssa.Instruction, add func(*Holder) int, emit func(ssa.Instruction, HolderEffect)) {
	h := g.Holders[i]
	transfer := func() { emit(instr, HolderEffect{Kind: effTransfer, From: i}) }
	switch instr := instr.(type) {
	case *ssa.DebugRef:
	case *ssa.Store:
		if instr.Addr != h.V {
			transfer() // the cell's address is stored somewhere
		}
		// stores into the cell are recorded by the value side or as overwrites
	case *ssa.UnOp:
		if instr.Op != token.MUL {
			transfer()
			return
		}
		emit(instr, HolderEffect{Kind: effDefine, From: i, to: add(&Holder{V: instr, clo: h.clo, fv: h.fv, fvCell: h.fvCell})})
	case *ssa.MakeClosure:
		if h.clo != nil {
			transfer()
			return
		}
		fn := instr.Fn.(*ssa.Function)
		for k, b := range instr.Bindings {
			if b != h.V {
				continue
			}
			if alloc, ok := h.V.(*ssa.Alloc); ok && storedBefore(alloc, instr) && c.freeVarSummary(fn, k, true) == Releases {
				// a variable assigned once and a closure that calls it: the
				// closure is the function itself (cancel := func() {
				// cancel1() } and cancel = cancel1 stay one holder)
				emit(instr, HolderEffect{Kind: effDefine, From: i, to: add(&Holder{V: instr})})
				continue
			}
			clo := &Holder{V: instr, clo: fn, fv: k, fvCell: true, cellRef: i}
			emit(instr, HolderEffect{Kind: effDefine, From: alwaysLive, to: add(clo)})
		}
	default:
		transfer() // &cancel passed along: stay silent
	}
}

func appendUnique(s []int, x int) []int {
	for _, y := range s {
		if y == x {
			return s
		}
	}
	return append(s, x)
}

// storedBefore reports whether alloc is assigned exactly once and that
// store runs before instr on every path: the closure made at instr then
// sees that one value. (`var t *T` stores nothing: a closure made before
// the assignment refers to the variable, not to the value.)
func storedBefore(alloc *ssa.Alloc, instr ssa.Instruction) bool {
	var store *ssa.Store
	for _, u := range *alloc.Referrers() {
		if st, ok := u.(*ssa.Store); ok && st.Addr == alloc {
			if store != nil {
				return false
			}
			store = st
		}
	}
	return store != nil && Dominates(store, instr)
}
