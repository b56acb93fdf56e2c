package wgbalance

import (
	"go/token"
	"slices"

	"github.com/leakvet/leakvet/internal/flow"
	"golang.org/x/tools/go/ssa"
)

// checker runs the WaitGroup rules over the core's queries.
type checker struct {
	*flow.Core
	issues []*issue
	// reAdded: WaitGroups a goroutine uses whose spawner Adds again after
	// starting it.
	reAdded map[*ssa.Function]map[any]bool
}

// issueKind is a kind of WaitGroup imbalance.
type issueKind uint8

const (
	// addInGoroutine: Add inside the goroutine it counts, while the
	// spawner Waits after the go statement.
	addInGoroutine issueKind = iota + 1
	// doneSomePaths: the goroutine calls Done on some paths only.
	doneSomePaths
	// addMismatch: Add(n) and a path to Wait starting k != n goroutines.
	addMismatch
	// addLenSkip: Add(len(xs)) and a loop over xs that skips its go.
	addLenSkip
	// waitInLoop: Wait inside the loop that starts the goroutines an Add
	// before the loop counts.
	waitInLoop
	// negative: Done on a local WaitGroup nothing ever Adds to.
	negative
	// doubleDone: Done twice on one path.
	doubleDone
)

// issue is one WaitGroup imbalance, with its evidence.
type issue struct {
	Kind issueKind
	Pos  token.Pos // where it is reported
	Go   *ssa.Go   // the go statement involved, if any
	Wait token.Pos // the Wait that blocks, if any
	Add  token.Pos // the Add involved, if any
	// At is the path evidence: the return that misses Done, the skipped
	// go statement, the first Done.
	At token.Pos
	// Passed is, for addMismatch, the last go statement the path passed.
	Passed token.Pos
	N, K   int // Add(N) and the K goroutines started on the path
}

// goroutineWG is a WaitGroup handed to a goroutine: root in the goroutine's
// function, key in the spawner's.
type goroutineWG struct {
	g    *ssa.Go
	fn   *ssa.Function
	root ssa.Value
	key  any
	eff  flow.Effect // what the goroutine does with Done
	leak *flow.Leak
	// fieldIn, for a WaitGroup in a struct field, is its key in the
	// goroutine's function (root is then nil).
	fieldIn any
	// direct: the goroutine's own code calls the WaitGroup's methods (or
	// defers a closure that does); it hands the WaitGroup to nothing else,
	// so it stands for exactly one Done.
	direct bool
}

// fieldWGs records the WaitGroups in struct fields that the goroutine fn
// uses through a captured or passed pointer: s.wg.Done() in a closure over
// s, or in a method started as `go s.worker()`.
func (c *checker) fieldWGs(g *ssa.Go, fn *ssa.Function, mc *ssa.MakeClosure, byGo map[*ssa.Go][]*goroutineWG, gwgs *[]*goroutineWG) {
	seen := map[flow.FieldKey]bool{}
	for _, wc := range c.WGCalls(fn) {
		fk, ok := wc.Key.(flow.FieldKey)
		if !ok || seen[fk] {
			continue
		}
		seen[fk] = true
		var eff flow.Effect
		var leak *flow.Leak
		var spawnerBase any
		switch base := fk.Base.(type) {
		case *ssa.FreeVar:
			if mc == nil {
				continue
			}
			k := slices.Index(fn.FreeVars, base)
			if k < 0 || k >= len(mc.Bindings) {
				continue
			}
			b := mc.Bindings[k]
			cell := false
			if alloc, ok := b.(*ssa.Alloc); ok {
				// a captured variable: the spawner's own s.wg loads it from
				// the same cell, so the cell is the key on both sides
				cell, spawnerBase = true, alloc
			} else {
				spawnerBase = flow.WGKey(b)
			}
			eff, leak = c.Summary(fn, k, true, cell, fk.Index)
		case *ssa.Parameter:
			if mc != nil {
				continue
			}
			i := slices.Index(fn.Params, base)
			if i < 0 || i >= len(g.Call.Args) {
				continue
			}
			spawnerBase = flow.WGKey(g.Call.Args[i])
			eff, leak = c.Summary(fn, i, false, false, fk.Index)
		default:
			continue
		}
		gw := &goroutineWG{g: g, fn: fn, key: flow.FieldKey{Base: spawnerBase, Index: fk.Index}, eff: eff, leak: leak, fieldIn: fk, direct: true}
		*gwgs = append(*gwgs, gw)
		byGo[g] = append(byGo[g], gw)
	}
}

// findWaitGroups runs the WaitGroup queries.
func (c *checker) findWaitGroups() {
	if !c.HasWGCalls() {
		return
	}
	var gwgs []*goroutineWG
	byGo := map[*ssa.Go][]*goroutineWG{}
	for _, g := range c.Gos() {
		fn := c.LocalCallee(&g.Call)
		if fn == nil {
			continue
		}
		add := func(root ssa.Value, spawnerVal ssa.Value, eff flow.Effect, leak *flow.Leak) {
			gw := &goroutineWG{g: g, fn: fn, root: root, key: flow.WGKey(spawnerVal), eff: eff, leak: leak, direct: c.direct(root)}
			gwgs = append(gwgs, gw)
			byGo[g] = append(byGo[g], gw)
		}
		if mc, ok := g.Call.Value.(*ssa.MakeClosure); ok {
			for k, b := range mc.Bindings {
				if c.IsWGPointer(b.Type()) && k < len(fn.FreeVars) {
					eff, leak := c.Summary(fn, k, true, false, -1)
					add(fn.FreeVars[k], b, eff, leak)
				}
			}
			c.fieldWGs(g, fn, mc, byGo, &gwgs)
		}
		for i, a := range g.Call.Args {
			if c.IsWGPointer(a.Type()) && i < len(fn.Params) {
				eff, leak := c.Summary(fn, i, false, false, -1)
				add(fn.Params[i], a, eff, leak)
			}
		}
		c.fieldWGs(g, fn, nil, byGo, &gwgs)
	}
	for _, gw := range gwgs {
		spawner := gw.g.Parent()
		wait := c.waitAfter(spawner, gw.key, gw.g)
		if wait == nil {
			continue // no Wait after the go statement: nothing blocks here
		}
		for _, wc := range c.WGCalls(gw.fn) {
			if c.addBefore(spawner, gw.key, gw.g) {
				// the goroutine holds a count of its own until its Done: an
				// Add inside it cannot let Wait return early
				break
			}
			if wc.Method == "Add" && wc.Key == gw.inKey() {
				c.issues = append(c.issues, &issue{Kind: addInGoroutine, Pos: wc.Call.Common().Pos(), Go: gw.g, Wait: wait.Common().Pos()})
				break
			}
		}
		if (gw.eff == flow.MayRelease || gw.eff == flow.Retains) && gw.leak != nil && !c.donesInLoop(gw) && !c.addsItself(gw) {
			c.issues = append(c.issues, &issue{Kind: doneSomePaths, Pos: gw.g.Pos(), Go: gw.g, Wait: wait.Common().Pos(), At: gw.leak.Pos})
		}
	}
	// Per function: the Adds against the goroutines started.
	for _, fn := range c.Funcs() {
		calls := c.WGCalls(fn)
		for _, wc := range calls {
			if wc.Method != "Add" {
				continue
			}
			c.checkAdd(fn, wc, byGo)
		}
		c.checkWaitInLoop(fn, byGo)
	}
	c.reAdded = map[*ssa.Function]map[any]bool{}
	for _, gw := range gwgs {
		for _, wc := range c.WGCalls(gw.g.Parent()) {
			// an Add after the go statement, not the next iteration's Add
			// for the next goroutine of a loop
			if wc.Method == "Add" && wc.Key == gw.key && flow.Precedes(gw.g, wc.Call, nil) &&
				!flow.SameCycle(gw.g.Block(), wc.Call.Block()) {
				if c.reAdded[gw.fn] == nil {
					c.reAdded[gw.fn] = map[any]bool{}
				}
				c.reAdded[gw.fn][gw.inKey()] = true
			}
		}
	}
	for _, fn := range c.Funcs() {
		c.checkDoubleDone(fn)
	}
	c.checkNegative(gwgs)
	c.checkGoDone()
	slices.SortStableFunc(c.issues, func(a, b *issue) int { return int(a.Pos - b.Pos) })
}

// inKey is the WaitGroup's key inside the goroutine's function.
func (gw *goroutineWG) inKey() any {
	if gw.fieldIn != nil {
		return gw.fieldIn
	}
	return flow.WGKey(gw.root)
}

// addsItself reports whether the goroutine Adds to the WaitGroup: that is
// the add-in-goroutine report; its Done is then its own business.
func (c *checker) addsItself(gw *goroutineWG) bool {
	for _, wc := range c.WGCalls(gw.fn) {
		if (wc.Method == "Add" || wc.Method == "Go") && wc.Key == gw.inKey() {
			return true
		}
	}
	return false
}

// addBefore reports whether fn Adds to key before the go statement g on
// some path.
func (c *checker) addBefore(fn *ssa.Function, key any, g *ssa.Go) bool {
	for _, wc := range c.WGCalls(fn) {
		if (wc.Method == "Add" || wc.Method == "Go") && wc.Key == key && flow.Precedes(wc.Call, g, nil) {
			return true
		}
	}
	return false
}

// donesInLoop reports whether the goroutine calls Done in a loop: a worker
// that is Done once per job it takes, not once per goroutine.
func (c *checker) donesInLoop(gw *goroutineWG) bool {
	for _, wc := range c.WGCalls(gw.fn) {
		if wc.Method == "Done" && wc.Key == gw.inKey() && flow.InCycle(wc.Call.Block()) {
			return true
		}
	}
	return false
}

// waitAfter returns a Wait on key in fn reachable from instr, or nil. A
// Wait in a goroutine fn starts after instr (the closer goroutine of a
// pipeline: go func() { wg.Wait(); close(out) }()) counts as fn's.
func (c *checker) waitAfter(fn *ssa.Function, key any, from ssa.Instruction) ssa.CallInstruction {
	for _, wc := range c.WGCalls(fn) {
		if wc.Method == "Wait" && wc.Key == key && flow.Precedes(from, wc.Call, nil) {
			return wc.Call
		}
	}
	for _, g := range c.Gos() {
		mc, ok := g.Call.Value.(*ssa.MakeClosure)
		if !ok || g.Parent() != fn || !flow.Precedes(from, g, nil) {
			continue
		}
		inner := mc.Fn.(*ssa.Function)
		for k, b := range mc.Bindings {
			if flow.WGKey(b) != key || k >= len(inner.FreeVars) {
				continue
			}
			for _, wc := range c.WGCalls(inner) {
				if wc.Method == "Wait" && wc.Key == flow.WGKey(inner.FreeVars[k]) {
					return wc.Call
				}
			}
		}
	}
	return nil
}

// counts reports whether goroutine g stands for one Done on the WaitGroup key.
func counts(byGo map[*ssa.Go][]*goroutineWG, g *ssa.Go, key any) bool {
	for _, gw := range byGo[g] {
		if gw.key == key && gw.direct && (gw.eff == flow.Releases || gw.eff == flow.MayRelease) {
			return true
		}
	}
	return false
}

// direct reports whether the WaitGroup root is used only by its own
// methods and by deferred closures.
func (c *checker) direct(root ssa.Value) bool {
	for _, use := range *root.Referrers() {
		switch use := use.(type) {
		case *ssa.DebugRef:
		case ssa.CallInstruction:
			common := use.Common()
			if c.Table().WaitGroupMethod(flow.CalleeObject(common)) == "" || len(common.Args) == 0 || common.Args[0] != root {
				return false
			}
		case *ssa.MakeClosure:
			for _, u := range *use.Referrers() {
				if d, ok := u.(*ssa.Defer); !ok || d.Call.Value != use {
					return false
				}
			}
		default:
			return false
		}
	}
	return true
}
