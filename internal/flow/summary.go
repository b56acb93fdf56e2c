package flow

import (
	"go/constant"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/leakvet/leakvet/internal/apis"
)

// What a function does with a resource handed to it (a parameter, or a
// free variable of a closure).
type Effect uint8

const (
	Unknown    Effect = iota // not computed, recursive, or past budget: treat as retained
	Releases                 // calls it on every path that returns
	Retains                  // gives it away on some path (stores, returns, passes on)
	UsesOnly                 // neither: the caller still owns the obligation
	MayRelease               // calls it on some paths only (a guarded call)
)

type summaryKey struct {
	fn    *ssa.Function
	idx   int  // parameter or free variable index
	free  bool // idx is a free variable
	cell  bool // the free variable is a captured variable's cell
	field int  // >= 0: the resource is this field of what idx points to
}

type summary struct {
	done bool
	eff  Effect
	leak *Leak // for mayRelease: the first path end that misses the release
}

// paramSummary says what fn does with its parameter idx.
func (c *Core) paramSummary(fn *ssa.Function, idx int) Effect {
	if idx >= len(fn.Params) {
		return Unknown // variadic packing and the like
	}
	return c.summarize(summaryKey{fn: fn, idx: idx, field: -1}, fn.Params[idx], false)
}

// freeVarSummary says what closure fn does with free variable idx when it
// is called.
func (c *Core) freeVarSummary(fn *ssa.Function, idx int, cell bool) Effect {
	if idx >= len(fn.FreeVars) {
		return Unknown
	}
	return c.summarize(summaryKey{fn: fn, idx: idx, free: true, cell: cell, field: -1}, fn.FreeVars[idx], cell)
}

// fieldSummary says what fn does with field `field` of the struct its
// parameter (or free variable) idx points to.
func (c *Core) Summary(fn *ssa.Function, idx int, free, cell bool, field int) (Effect, *Leak) {
	var root ssa.Value
	switch {
	case free && idx < len(fn.FreeVars):
		root = fn.FreeVars[idx]
	case !free && idx < len(fn.Params):
		root = fn.Params[idx]
	default:
		return Unknown, nil
	}
	key := summaryKey{fn: fn, idx: idx, free: free, cell: cell, field: field}
	eff := c.summarize(key, root, cell)
	return eff, c.summaries[key].leakOf()
}

func (c *Core) summarize(key summaryKey, root ssa.Value, cell bool) Effect {
	if s := c.summaries[key]; s != nil {
		if !s.done {
			return Unknown // recursion: be conservative
		}
		return s.eff
	}
	s := &summary{}
	c.summaries[key] = s
	s.eff, s.leak = c.computeSummary(key.fn, root, cell, key.field)
	s.done = true
	return s.eff
}

func (c *Core) computeSummary(fn *ssa.Function, root ssa.Value, cell bool, field int) (Effect, *Leak) {
	if len(fn.Blocks) == 0 {
		return Unknown, nil
	}
	g := c.buildFieldGraph(root, cell, field)
	if g.unsupported {
		return Unknown, nil
	}
	goexit := field >= 0 || c.IsWGPointer(root.Type())
	r := c.Walk(&WalkSpec{Fn: fn, G: g, Block: fn.Blocks[0], Start: 0, goexitLeaks: goexit})
	switch {
	case r.BudgetOut:
		return Unknown, nil
	case r.transfers:
		if len(r.Leaks) > 0 {
			return Retains, PickLeak(r.Leaks) // kept for the paths that neither release nor give away
		}
		return Retains, nil
	case len(r.Leaks) == 0 && r.discharged:
		return Releases, nil
	case r.discharged:
		return MayRelease, PickLeak(r.Leaks)
	}
	return UsesOnly, nil
}

// freshResult is a package function that returns a resource it acquired.
type freshResult struct {
	done bool
	acq  *apis.Acquire // nil: not fresh
}

// freshOf reports whether fn returns, as one of its results, a resource it
// acquires on every path (or nil on some), like a constructor
// `func newCtx() (context.Context, context.CancelFunc)`. Its callers then
// treat a call of fn as an acquire.
func (c *Core) freshOf(fn *ssa.Function) *freshResult {
	if fr := c.fresh[fn]; fr != nil {
		if !fr.done {
			return &freshResult{} // recursion
		}
		return fr
	}
	fr := &freshResult{}
	c.fresh[fn] = fr
	defer func() { fr.done = true }()
	results := fn.Signature.Results()
	if results.Len() == 0 || len(fn.Blocks) == 0 || isMainMain(fn) {
		return fr
	}
	for idx := range results.Len() {
		var found *apis.Acquire
		ok := true
		for _, b := range fn.Blocks {
			ret, isRet := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
			if !isRet {
				continue
			}
			acq, fresh := c.freshValue(ret.Results[idx], map[ssa.Value]bool{})
			if !fresh {
				ok = false
				break
			}
			if acq != nil && found == nil {
				found = acq
			}
		}
		if ok && found != nil {
			a := *found
			a.Result = idx
			a.Name = c.displayName(&ssa.CallCommon{Value: fn})
			a.Why = "to release the context"
			a.DiscardOnly = false
			a.NilOnErr = nilOnErr(fn, idx)
			fr.acq = &a
			return fr
		}
	}
	return fr
}

// freshValue reports whether v is a freshly acquired resource (acq != nil)
// or nil (acq == nil), looking through phis, conversions and closures that
// release a captured fresh resource.
func (c *Core) freshValue(v ssa.Value, seen map[ssa.Value]bool) (acq *apis.Acquire, fresh bool) {
	if seen[v] {
		return nil, true
	}
	seen[v] = true
	switch v := v.(type) {
	case *ssa.Const:
		return nil, v.Value == nil || v.Value.Kind() == constant.Unknown
	case *ssa.ChangeType:
		return c.freshValue(v.X, seen)
	case *ssa.Phi:
		for _, e := range v.Edges {
			a, ok := c.freshValue(e, seen)
			if !ok {
				return nil, false
			}
			if a != nil {
				acq = a
			}
		}
		return acq, true
	case *ssa.Extract:
		if call, ok := v.Tuple.(*ssa.Call); ok {
			if a := c.acquireOf(call); a != nil && !a.DiscardOnly && a.Result == v.Index {
				return a, true
			}
		}
	case *ssa.Call:
		if a := c.acquireOf(v); a != nil && !a.DiscardOnly && a.Result == 0 {
			return a, true
		}
	case *ssa.MakeClosure:
		// return ctx, func() { cancel() }: the closure is the release.
		clo := v.Fn.(*ssa.Function)
		for k, b := range v.Bindings {
			inner, cell := b, false
			if alloc, ok := b.(*ssa.Alloc); ok {
				inner, cell = StoredOnce(alloc), true
				if inner == nil {
					continue
				}
			}
			if a, ok := c.freshValue(inner, map[ssa.Value]bool{}); ok && a != nil &&
				c.freeVarSummary(clo, k, cell) == Releases {
				return a, true
			}
		}
	}
	return nil, false
}

// StoredOnce returns the only value stored into alloc, or nil.
func StoredOnce(alloc *ssa.Alloc) ssa.Value {
	var val ssa.Value
	for _, instr := range *alloc.Referrers() {
		if st, ok := instr.(*ssa.Store); ok && st.Addr == alloc {
			if val != nil {
				return nil
			}
			val = st.Val
		}
	}
	return val
}

// nilOnErr returns the index of fn's final error result when every return
// that may yield a non-nil error yields a nil result idx: callers owe
// nothing on their err != nil branch. Otherwise it returns -1.
func nilOnErr(fn *ssa.Function, idx int) int {
	results := fn.Signature.Results()
	last := results.Len() - 1
	if last == idx || !types.Identical(results.At(last).Type(), types.Universe.Lookup("error").Type()) {
		return -1
	}
	for _, b := range fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok {
			continue
		}
		if isNilConst(ret.Results[last]) {
			continue
		}
		if !isNilConst(ret.Results[idx]) {
			return -1
		}
	}
	return last
}

func isNilConst(v ssa.Value) bool {
	k, ok := v.(*ssa.Const)
	return ok && k.IsNil()
}

func (s *summary) leakOf() *Leak {
	if s == nil {
		return nil
	}
	return s.leak
}
