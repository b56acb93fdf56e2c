package model

import (
	"go/token"
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/leakvet/leakvet/internal/apis"
	"github.com/leakvet/leakvet/internal/flow"
)

// sync.Cond waits and the signals that can wake them.

// CondSignalled says, for a Cond.Wait site, whether every use of its Cond
// is seen (a field of the package's types, unexported, or a Cond made
// where it is used and only called) and whether live code signals it.
func (m *Model) CondSignalled(wait *LockSite) (seen, signalled bool) {
	if m.locks == nil || wait.Op != apis.CondWait {
		return false, false
	}
	uses := m.condUsesOf(wait)
	if uses == nil {
		return false, false
	}
	for _, u := range uses {
		if s := m.locks.byInstr[u]; s != nil && s.Op == apis.CondSignal && m.isLive(u) {
			return true, true
		}
	}
	return true, false
}

// condUsesOf is the calls on the Cond a Wait waits on when every use of
// that Cond is one (a Wait, Signal or Broadcast, a use of its L, or the
// store that sets it); nil when some use is not.
func (m *Model) condUsesOf(wait *LockSite) []ssa.Instruction {
	switch v := wait.Instr.Common().Args[0].(type) {
	case *ssa.UnOp: // s.c.Wait(): a load of a Cond field
		fa, ok := v.X.(*ssa.FieldAddr)
		if !ok || v.Op != token.MUL {
			return nil
		}
		if f := fieldOf(fa.X.Type(), fa.Field); f.Exported() {
			return nil // other packages may signal it
		}
		var calls []ssa.Instruction
		for _, use := range m.locks.condUses[fieldOf(fa.X.Type(), fa.Field)] {
			fa := use.(*ssa.FieldAddr)
			for _, r := range *fa.Referrers() {
				switch r := r.(type) {
				case *ssa.Store:
					if r.Addr != fa {
						return nil
					}
				case *ssa.UnOp:
					c, ok := condCalls(m, r)
					if !ok {
						return nil
					}
					calls = append(calls, c...)
				default:
					return nil
				}
			}
		}
		return calls
	case *ssa.Call: // c := sync.NewCond(&mu); c.Wait(): made where it is used
		if !isNewCond(v) {
			return nil
		}
		calls, ok := condCalls(m, v)
		if !ok {
			return nil
		}
		return calls
	case *ssa.FreeVar: // the same, in a closure
		fn := v.Parent()
		i := slices.Index(fn.FreeVars, v)
		if i < 0 {
			return nil
		}
		return m.closureCond(fn, i)
	}
	return nil
}

// closureCond is condUsesOf for a Cond a closure captures: the Cond
// made by the code that makes the closure.
func (m *Model) closureCond(fn *ssa.Function, i int) []ssa.Instruction {
	var calls []ssa.Instruction
	for _, p := range m.funcs {
		for _, b := range p.Blocks {
			for _, instr := range b.Instrs {
				mc, ok := instr.(*ssa.MakeClosure)
				if !ok || mc.Fn != fn {
					continue
				}
				c, ok := mc.Bindings[i].(*ssa.Call)
				if !ok || !isNewCond(c) {
					return nil
				}
				cs, ok := condCalls(m, c)
				if !ok {
					return nil
				}
				calls = append(calls, cs...)
			}
		}
	}
	return calls
}

func isNewCond(c *ssa.Call) bool {
	f := flow.CalleeObject(c.Common())
	return f != nil && f.Pkg() != nil && f.Pkg().Path() == "sync" && f.Name() == "NewCond"
}

// condCalls is the Cond method calls on v and on the free variables it is
// bound to, when those are its only uses (besides selecting its L).
func condCalls(m *Model, v ssa.Value) ([]ssa.Instruction, bool) {
	var calls []ssa.Instruction
	var visit func(v ssa.Value, depth int) bool
	visit = func(v ssa.Value, depth int) bool {
		if depth > 4 {
			return false
		}
		for _, r := range *v.Referrers() {
			switch r := r.(type) {
			case *ssa.Call, *ssa.Defer:
				c := r.(ssa.CallInstruction)
				if s := m.locks.byInstr[r]; s != nil && (s.Op == apis.CondWait || s.Op == apis.CondSignal) && c.Common().Args[0] == v {
					calls = append(calls, r)
					continue
				}
				return false
			case *ssa.FieldAddr: // c.L
			case *ssa.DebugRef:
			case *ssa.MakeClosure:
				g, _ := r.Fn.(*ssa.Function)
				if g == nil {
					return false
				}
				for i, b := range r.Bindings {
					if b == v && !visit(g.FreeVars[i], depth+1) {
						return false
					}
				}
			default:
				return false
			}
		}
		return true
	}
	if !visit(v, 0) {
		return nil, false
	}
	return calls, true
}
