package wgbalance

import (
	"go/constant"
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

// wgEscapes reports whether the WaitGroup key of fn reaches code other
// than its methods and the counted goroutines: a closure passed on, a
// helper, a store. That code may Add or Done: counts are then unknown.
func (c *checker) wgEscapes(fn *ssa.Function, key any, byGo map[*ssa.Go][]*goroutineWG) bool {
	countedGo := func(instr ssa.Instruction) bool {
		g, ok := instr.(*ssa.Go)
		return ok && counts(byGo, g, key)
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch instr := instr.(type) {
			case *ssa.MakeClosure:
				for _, bnd := range instr.Bindings {
					if flow.WGKey(bnd) != key {
						continue
					}
					for _, u := range *instr.Referrers() {
						if !countedGo(u) {
							return true
						}
					}
				}
			case ssa.CallInstruction:
				common := instr.Common()
				isMethod := c.Table().WaitGroupMethod(flow.CalleeObject(common)) != ""
				for i, a := range common.Args {
					if flow.WGKey(a) != key || (isMethod && i == 0) {
						continue
					}
					if !countedGo(instr) {
						return true
					}
				}
			case *ssa.Store:
				if flow.WGKey(instr.Val) == key {
					return true
				}
			case *ssa.Send:
				if flow.WGKey(instr.X) == key {
					return true // sent to another goroutine
				}
			case *ssa.MakeInterface:
				if flow.WGKey(instr.X) == key {
					return true
				}
			case *ssa.Return:
				for _, r := range instr.Results {
					if flow.WGKey(r) == key {
						return true
					}
				}
			}
		}
	}
	return false
}

// checkAdd compares Add(n) with the goroutines each path starts before
// Wait, and Add(len(xs)) with the loop over xs.
func (c *checker) checkAdd(fn *ssa.Function, add flow.WGCall, byGo map[*ssa.Go][]*goroutineWG) {
	if _, isDefer := add.Call.(*ssa.Defer); isDefer || len(add.Call.Common().Args) < 2 {
		return
	}
	if c.wgEscapes(fn, add.Key, byGo) {
		return // other code may Add or Done: the count is unknown
	}
	switch n := add.Call.Common().Args[1].(type) {
	case *ssa.Const:
		if n.Value == nil || n.Value.Kind() != constant.Int {
			return
		}
		v, ok := constant.Int64Val(n.Value)
		if ok && v > 0 && v <= 16 {
			c.countToWait(fn, add, int(v), byGo)
		}
	case *ssa.Call:
		if b, ok := n.Call.Value.(*ssa.Builtin); ok && b.Name() == "len" && len(n.Call.Args) == 1 {
			c.checkAddLen(fn, add, n.Call.Args[0], byGo)
		}
	}
}

// countToWait walks from Add(n) to a Wait on the same WaitGroup counting
// the goroutines started (and direct Dones); a path that reaches Wait with
// another count is the evidence. Paths that Add again, loop, or hand the
// WaitGroup to other code are abandoned: the count is then unknown.
func (c *checker) countToWait(fn *ssa.Function, add flow.WGCall, n int, byGo map[*ssa.Go][]*goroutineWG) {
	type state struct {
		b     *ssa.BasicBlock
		i     int
		count int
		gos   uint64    // which counted go statements this path passed
		extra token.Pos // the go statement that went past n, if any
		last  token.Pos // the last go statement passed
	}
	var counted []*ssa.Go // in source order
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if g, ok := instr.(*ssa.Go); ok && counts(byGo, g, add.Key) {
				if flow.InCycle(g.Block()) {
					return // goroutines started in a loop: not a constant count
				}
				counted = append(counted, g)
			}
		}
	}
	if len(counted) == 0 || len(counted) > 64 {
		return
	}
	for _, g := range counted {
		if flow.Precedes(g, add.Call, nil) {
			return // a goroutine started before this Add may still owe a Done
		}
	}
	start := slices.Index(add.Call.Block().Instrs, ssa.Instruction(add.Call)) + 1
	stack := []state{{b: add.Call.Block(), i: start}}
	seen := map[state]bool{}
	budget := flow.WalkBudget
	for len(stack) > 0 {
		st := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if budget--; budget < 0 {
			return
		}
		ended := false
		for i := st.i; i < len(st.b.Instrs) && !ended; i++ {
			switch instr := st.b.Instrs[i].(type) {
			case *ssa.Go:
				if k := slices.Index(counted, instr); k >= 0 {
					st.count++
					st.gos |= 1 << k
					st.last = instr.Pos()
					if st.count == n+1 {
						st.extra = instr.Pos()
					}
				}
			case *ssa.Call:
				if ssa.CallInstruction(instr) == add.Call {
					ended = true // around a loop: Add again
					break
				}
				if m := c.Table().WaitGroupMethod(flow.CalleeObject(&instr.Call)); m != "" && len(instr.Call.Args) > 0 && flow.WGKey(instr.Call.Args[0]) == add.Key {
					switch m {
					case "Done":
						st.count++
					case "Add", "Go":
						ended = true // another Add on the path: not a constant count
					case "Wait":
						if st.count != n {
							is := &issue{Kind: addMismatch, Pos: add.Call.Common().Pos(), Wait: instr.Pos(), Add: add.Call.Common().Pos(), N: n, K: st.count}
							is.At = evidence(counted, st.gos, st.count < n)
							if st.count > n && st.extra.IsValid() {
								is.At = st.extra
							}
							is.Passed = st.last
							c.issues = append(c.issues, is)
							return
						}
						ended = true
					}
					continue
				}
				for _, a := range instr.Call.Args {
					if flow.WGKey(a) == add.Key {
						ended = true // handed to other code: it may Add or Done
					}
				}
			case *ssa.Return, *ssa.Panic:
				ended = true
			case *ssa.If:
				for _, succ := range st.b.Succs {
					next := state{b: succ, count: st.count, gos: st.gos, extra: st.extra, last: st.last}
					if !seen[next] {
						seen[next] = true
						stack = append(stack, next)
					}
				}
				ended = true
			}
		}
		if ended {
			continue
		}
		for _, succ := range st.b.Succs {
			next := state{b: succ, count: st.count, gos: st.gos, extra: st.extra, last: st.last}
			if !seen[next] {
				seen[next] = true
				stack = append(stack, next)
			}
		}
	}
}

// evidence picks the go statement that explains a count: one the path
// skipped (too few) or, with too many, the last one it passed.
func evidence(counted []*ssa.Go, passed uint64, tooFew bool) token.Pos {
	var last token.Pos
	for k, g := range counted {
		in := passed&(1<<k) != 0
		if tooFew && !in {
			return g.Pos()
		}
		if in {
			last = g.Pos()
		}
	}
	return last
}

// checkAddLen finds Add(len(xs)) whose loop over xs can skip its go
// statement (continue) or leave early (break).
func (c *checker) checkAddLen(fn *ssa.Function, add flow.WGCall, xs ssa.Value, byGo map[*ssa.Go][]*goroutineWG) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			g, ok := instr.(*ssa.Go)
			if !ok || !counts(byGo, g, add.Key) || !flow.InCycle(g.Block()) {
				continue
			}
			header, loop := flow.NaturalLoop(g.Block())
			if header == nil || !iterates(loop, xs) {
				continue
			}
			wait := c.waitAfter(fn, add.Key, g)
			if wait == nil {
				continue
			}
			// blocks that stand for the element: the go statement's, and
			// those that call Done for a skipped element directly
			covered := map[*ssa.BasicBlock]bool{g.Block(): true}
			for _, wc := range c.WGCalls(fn) {
				if wc.Method == "Done" && wc.Key == add.Key {
					covered[wc.Call.Block()] = true
				}
			}
			if skips(loop, header, covered) {
				c.issues = append(c.issues, &issue{
					Kind: addLenSkip, Pos: add.Call.Common().Pos(),
					Go: g, Wait: wait.Common().Pos(), Add: add.Call.Common().Pos(), At: g.Pos(),
				})
				return
			}
		}
	}
}

// iterates reports whether the loop indexes xs (a range over a slice or
// an index loop bounded by it).
func iterates(loop map[*ssa.BasicBlock]bool, xs ssa.Value) bool {
	for b := range loop {
		for _, instr := range b.Instrs {
			switch instr := instr.(type) {
			case *ssa.IndexAddr:
				if sameValue(instr.X, xs) {
					return true
				}
			case *ssa.Index:
				if sameValue(instr.X, xs) {
					return true
				}
			case *ssa.Range:
				if sameValue(instr.X, xs) {
					return true
				}
			}
		}
	}
	return false
}

// sameValue reports whether a and b are the same value, or loads of the
// same variable or field (req.Items evaluated twice).
func sameValue(a, b ssa.Value) bool {
	return a == b || flow.WGKey(a) == flow.WGKey(b)
}

// skips reports whether an iteration can avoid the go statement's block:
// a path from the header back to it, or out of the loop from a block
// other than the header, that does not pass it.
func skips(loop map[*ssa.BasicBlock]bool, header *ssa.BasicBlock, covered map[*ssa.BasicBlock]bool) bool {
	seen := map[*ssa.BasicBlock]bool{}
	var stack []*ssa.BasicBlock
	for _, s := range header.Succs {
		if loop[s] {
			stack = append(stack, s)
		}
	}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if covered[x] || seen[x] {
			continue
		}
		if x == header {
			return true // continue: the next iteration without a go
		}
		seen[x] = true
		for _, s := range x.Succs {
			if !loop[s] {
				if endsInPanic(s) {
					continue // panic, t.Fatal, log.Fatal: Wait is never reached
				}
				return true // break: the loop ends early
			}
			stack = append(stack, s)
		}
	}
	return false
}

// endsInPanic reports whether every path from b ends in a panic (or a
// call go/ssa knows never returns) without leaving b's straight line.
func endsInPanic(b *ssa.BasicBlock) bool {
	for i := 0; i < 8 && b != nil; i++ {
		switch b.Instrs[len(b.Instrs)-1].(type) {
		case *ssa.Panic:
			return true
		case *ssa.Jump:
			b = b.Succs[0]
		default:
			return false
		}
	}
	return false
}

// checkWaitInLoop finds a Wait in the loop that starts the goroutines an
// Add before the loop counts.
func (c *checker) checkWaitInLoop(fn *ssa.Function, byGo map[*ssa.Go][]*goroutineWG) {
	for _, wc := range c.WGCalls(fn) {
		if wc.Method != "Wait" || !flow.InCycle(wc.Call.Block()) {
			continue
		}
		loop := flow.CycleOf(wc.Call.Block())
		startsInLoop := false
		for b := range loop {
			for _, instr := range b.Instrs {
				if g, ok := instr.(*ssa.Go); ok && counts(byGo, g, wc.Key) {
					startsInLoop = true
				}
			}
		}
		if !startsInLoop || c.wgEscapes(fn, wc.Key, byGo) {
			continue
		}
		var before ssa.CallInstruction
		for _, other := range c.WGCalls(fn) {
			if other.Key != wc.Key || (other.Method != "Add" && other.Method != "Go") {
				continue
			}
			if loop[other.Call.Block()] {
				before = nil // counted per iteration: balanced batches
				break
			}
			if other.Method == "Add" && flow.Precedes(other.Call, wc.Call, nil) && before == nil {
				before = other.Call
			}
		}
		if before != nil {
			c.issues = append(c.issues, &issue{Kind: waitInLoop, Pos: wc.Call.Common().Pos(), Wait: wc.Call.Common().Pos(), Add: before.Common().Pos()})
		}
	}
}

// checkDoubleDone finds two Dones on one path of a function, with no Add
// between, outside loops (a worker's loop may Done once per job).
func (c *checker) checkDoubleDone(fn *ssa.Function) {
	keys := map[any]bool{}
	for _, wc := range c.WGCalls(fn) {
		if wc.Method == "Done" && !flow.InCycle(wc.Call.Block()) && !c.reAdded[fn][wc.Key] {
			// (a goroutine whose spawner Adds again after starting it may
			// Done once per phase: a handshake, not a double Done)
			keys[wc.Key] = true
		}
	}
	for _, wc := range c.WGCalls(fn) {
		if !keys[wc.Key] {
			continue
		}
		delete(keys, wc.Key)
		if second, first := c.doubleDone(fn, wc.Key); second != nil {
			c.issues = append(c.issues, &issue{Kind: doubleDone, Pos: second.Common().Pos(), At: first.Common().Pos()})
		}
	}
}

// doubleDone searches fn from its entry for a path with two Dones on key
// (a deferred Done counts where it is deferred).
func (c *checker) doubleDone(fn *ssa.Function, key any) (second, first ssa.CallInstruction) {
	type state struct {
		b     *ssa.BasicBlock
		first ssa.CallInstruction
	}
	if len(fn.Blocks) == 0 {
		return nil, nil
	}
	seen := map[state]bool{}
	stack := []state{{b: fn.Blocks[0]}}
	budget := flow.WalkBudget
	for len(stack) > 0 {
		st := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if budget--; budget < 0 || flow.InCycle(st.b) {
			continue
		}
		ended := false
		for _, instr := range st.b.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			if c.NoReturn(call.Common()) {
				ended = true
				break
			}
			common := call.Common()
			if common.IsInvoke() || len(common.Args) == 0 {
				continue
			}
			if _, isGo := call.(*ssa.Go); isGo {
				continue
			}
			m := c.Table().WaitGroupMethod(flow.CalleeObject(common))
			if m == "" || flow.WGKey(common.Args[0]) != key {
				continue
			}
			switch m {
			case "Done":
				if st.first != nil {
					return call, st.first
				}
				st.first = call
			case "Add", "Go":
				ended = true // counted again: balance unknown from here
			}
			if ended {
				break
			}
		}
		if ended {
			continue
		}
		for _, s := range st.b.Succs {
			next := state{b: s, first: st.first}
			if !seen[next] {
				seen[next] = true
				stack = append(stack, next)
			}
		}
	}
	return nil, nil
}

// checkGoDone finds a Done inside a function given to wg.Go on the same
// WaitGroup: wg.Go already calls Done when the function returns.
func (c *checker) checkGoDone() {
	for _, fn := range c.Funcs() {
		for _, wc := range c.WGCalls(fn) {
			common := wc.Call.Common()
			if wc.Method != "Go" || len(common.Args) < 2 {
				continue
			}
			mc, ok := common.Args[1].(*ssa.MakeClosure)
			if !ok {
				continue
			}
			inner := mc.Fn.(*ssa.Function)
			for k, b := range mc.Bindings {
				if flow.WGKey(b) != wc.Key || k >= len(inner.FreeVars) {
					continue
				}
				for _, ic := range c.WGCalls(inner) {
					if ic.Method == "Done" && ic.Key == flow.WGKey(inner.FreeVars[k]) {
						c.issues = append(c.issues, &issue{Kind: negative, Pos: ic.Call.Common().Pos()})
					}
				}
			}
		}
	}
}

// checkNegative finds Done on a local WaitGroup that nothing Adds to.
func (c *checker) checkNegative(gwgs []*goroutineWG) {
	for _, fn := range c.Funcs() {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				alloc, ok := instr.(*ssa.Alloc)
				if !ok || !c.IsWGPointer(alloc.Type()) {
					continue
				}
				c.negativeFor(fn, alloc, gwgs)
			}
		}
	}
}

func (c *checker) negativeFor(fn *ssa.Function, alloc *ssa.Alloc, gwgs []*goroutineWG) {
	var done ssa.CallInstruction
	adds := 0
	// tally counts the Adds on key among calls and keeps the first Done.
	tally := func(calls []flow.WGCall, key any) {
		for _, wc := range calls {
			if wc.Key != key {
				continue
			}
			switch wc.Method {
			case "Add", "Go":
				adds++
			case "Done":
				if done == nil {
					done = wc.Call
				}
			}
		}
	}
	tally(c.WGCalls(fn), ssa.Value(alloc))
	for _, use := range *alloc.Referrers() {
		switch use := use.(type) {
		case *ssa.Call:
			if c.Table().WaitGroupMethod(flow.CalleeObject(&use.Call)) == "" {
				return // handed to other code, which may Add
			}
		case *ssa.MakeClosure:
			// the closures' own calls are counted below
		case *ssa.Go, *ssa.Defer, *ssa.DebugRef:
		default:
			return // stored, converted: someone else may Add
		}
	}
	for _, gw := range gwgs {
		if gw.key == ssa.Value(alloc) {
			tally(c.WGCalls(gw.fn), gw.inKey())
		}
	}
	// Closures that are not goroutines may Add too.
	for _, anon := range fn.AnonFuncs {
		for _, wc := range c.WGCalls(anon) {
			if wc.Method == "Add" || wc.Method == "Go" {
				if _, ok := wc.Key.(*ssa.FreeVar); ok {
					adds++ // conservatively: any closure's Add may be this one
				}
			}
		}
	}
	if adds == 0 && done != nil {
		c.issues = append(c.issues, &issue{Kind: negative, Pos: done.Common().Pos()})
	}
}
