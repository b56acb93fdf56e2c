package chanblock

import (
	"go/token"
	"slices"

	"github.com/leakvet/leakvet/internal/flow"
	"golang.org/x/tools/go/ssa"
)

// Channels kept in struct fields that the owner owns all the same: a
// struct it allocates and hands only to its helpers and goroutines, or a
// field no other code of the package touches.

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
	merged := map[ssa.Instruction]*flow.ChanOps{}
	var res []flow.ChanOp
	for _, op := range out.Ops {
		if op.Kind != flow.OpGo {
			res = append(res, op)
			continue
		}
		g := op.Instr
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
