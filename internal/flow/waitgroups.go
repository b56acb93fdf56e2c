package flow

import (
	"go/constant"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"
)

// WGKind is a kind of WaitGroup imbalance.
type WGKind uint8

const (
	// WGAddInGoroutine: Add inside the goroutine it counts, while the
	// spawner Waits after the go statement.
	WGAddInGoroutine WGKind = iota + 1
	// WGDoneSomePaths: the goroutine calls Done on some paths only.
	WGDoneSomePaths
	// WGAddMismatch: Add(n) and a path to Wait starting k != n goroutines.
	WGAddMismatch
	// WGAddLenSkip: Add(len(xs)) and a loop over xs that skips its go.
	WGAddLenSkip
	// WGWaitInLoop: Wait inside the loop that starts the goroutines an Add
	// before the loop counts.
	WGWaitInLoop
	// WGNegative: Done on a local WaitGroup nothing ever Adds to.
	WGNegative
	// WGDoubleDone: Done twice on one path.
	WGDoubleDone
)

// WGIssue is one WaitGroup imbalance, with its evidence.
type WGIssue struct {
	Kind WGKind
	Pos  token.Pos // where it is reported
	Go   *ssa.Go   // the go statement involved, if any
	Wait token.Pos // the Wait that blocks, if any
	Add  token.Pos // the Add involved, if any
	// At is the path evidence: the return that misses Done, the skipped
	// go statement, the first Done.
	At token.Pos
	// Passed is, for WGAddMismatch, the last go statement the path passed.
	Passed token.Pos
	N, K   int // Add(N) and the K goroutines started on the path
}

// wgCall is a call of a sync.WaitGroup method.
type wgCall struct {
	call   ssa.CallInstruction // a call or a defer
	method string
	key    any // the WaitGroup it operates on
}

// wgOf returns the WaitGroup method a call invokes and its receiver key.
func (c *core) noteWGCall(fn *ssa.Function, instr ssa.Instruction) {
	var call ssa.CallInstruction
	switch instr := instr.(type) {
	case *ssa.Call:
		call = instr
	case *ssa.Defer:
		call = instr
	default:
		return
	}
	common := call.Common()
	if common.IsInvoke() || len(common.Args) == 0 {
		return
	}
	m := c.table.WaitGroupMethod(calleeObject(common))
	if m == "" {
		return
	}
	c.wgCalls[fn] = append(c.wgCalls[fn], wgCall{call: call, method: m, key: wgKey(common.Args[0])})
}

// wgKey identifies a WaitGroup within a function: the local variable, the
// parameter, the free variable, or a field of one of them.
func wgKey(v ssa.Value) any {
	switch v := v.(type) {
	case *ssa.FieldAddr:
		return fieldKey{wgKey(v.X), v.Field}
	case *ssa.UnOp:
		if v.Op == token.MUL {
			return addrKey(v)
		}
	}
	return v
}

func (c *core) isWGPointer(t types.Type) bool {
	p, ok := types.Unalias(t).(*types.Pointer)
	if !ok {
		return false
	}
	n, ok := types.Unalias(p.Elem()).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "sync" && n.Obj().Name() == "WaitGroup"
}

// goroutineWG is a WaitGroup handed to a goroutine: root in the goroutine's
// function, key in the spawner's.
type goroutineWG struct {
	g    *ssa.Go
	fn   *ssa.Function
	root ssa.Value
	key  any
	eff  effectSummary // what the goroutine does with Done
	leak *Leak
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
func (c *core) fieldWGs(g *ssa.Go, fn *ssa.Function, mc *ssa.MakeClosure, byGo map[*ssa.Go][]*goroutineWG, gwgs *[]*goroutineWG) {
	seen := map[fieldKey]bool{}
	for _, wc := range c.wgCalls[fn] {
		fk, ok := wc.key.(fieldKey)
		if !ok || seen[fk] {
			continue
		}
		seen[fk] = true
		var eff effectSummary
		var leak *Leak
		var spawnerBase any
		switch base := fk.base.(type) {
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
				spawnerBase = wgKey(b)
			}
			eff, leak = c.fieldSummary(fn, k, true, cell, fk.index)
		case *ssa.Parameter:
			if mc != nil {
				continue
			}
			i := slices.Index(fn.Params, base)
			if i < 0 || i >= len(g.Call.Args) {
				continue
			}
			spawnerBase = wgKey(g.Call.Args[i])
			eff, leak = c.fieldSummary(fn, i, false, false, fk.index)
		default:
			continue
		}
		gw := &goroutineWG{g: g, fn: fn, key: fieldKey{spawnerBase, fk.index}, eff: eff, leak: leak, fieldIn: fk, direct: true}
		*gwgs = append(*gwgs, gw)
		byGo[g] = append(byGo[g], gw)
	}
}

// findWaitGroups runs the WaitGroup queries.
func (c *core) findWaitGroups() {
	if len(c.wgCalls) == 0 {
		return
	}
	var gwgs []*goroutineWG
	byGo := map[*ssa.Go][]*goroutineWG{}
	for _, g := range c.gos {
		fn := c.localCallee(&g.Call)
		if fn == nil {
			continue
		}
		add := func(root ssa.Value, spawnerVal ssa.Value, eff effectSummary, leak *Leak) {
			gw := &goroutineWG{g: g, fn: fn, root: root, key: wgKey(spawnerVal), eff: eff, leak: leak, direct: c.direct(root)}
			gwgs = append(gwgs, gw)
			byGo[g] = append(byGo[g], gw)
		}
		if mc, ok := g.Call.Value.(*ssa.MakeClosure); ok {
			for k, b := range mc.Bindings {
				if c.isWGPointer(b.Type()) && k < len(fn.FreeVars) {
					eff := c.freeVarSummary(fn, k, false)
					add(fn.FreeVars[k], b, eff, c.summaries[summaryKey{fn: fn, idx: k, free: true, field: -1}].leakOf())
				}
			}
			c.fieldWGs(g, fn, mc, byGo, &gwgs)
		}
		for i, a := range g.Call.Args {
			if c.isWGPointer(a.Type()) && i < len(fn.Params) {
				eff := c.paramSummary(fn, i)
				add(fn.Params[i], a, eff, c.summaries[summaryKey{fn: fn, idx: i, field: -1}].leakOf())
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
		for _, wc := range c.wgCalls[gw.fn] {
			if c.addBefore(spawner, gw.key, gw.g) {
				// the goroutine holds a count of its own until its Done: an
				// Add inside it cannot let Wait return early
				break
			}
			if wc.method == "Add" && wc.key == gw.inKey() {
				c.res.WGIssues = append(c.res.WGIssues, &WGIssue{Kind: WGAddInGoroutine, Pos: wc.call.Common().Pos(), Go: gw.g, Wait: wait.Common().Pos()})
				break
			}
		}
		if (gw.eff == mayRelease || gw.eff == retains) && gw.leak != nil && !c.donesInLoop(gw) && !c.addsItself(gw) {
			c.res.WGIssues = append(c.res.WGIssues, &WGIssue{Kind: WGDoneSomePaths, Pos: gw.g.Pos(), Go: gw.g, Wait: wait.Common().Pos(), At: gw.leak.Pos})
		}
	}
	// Per function: the Adds against the goroutines started.
	for _, fn := range c.funcs {
		calls := c.wgCalls[fn]
		for _, wc := range calls {
			if wc.method != "Add" {
				continue
			}
			c.checkAdd(fn, wc, byGo)
		}
		c.checkWaitInLoop(fn, byGo)
	}
	c.reAdded = map[*ssa.Function]map[any]bool{}
	for _, gw := range gwgs {
		for _, wc := range c.wgCalls[gw.g.Parent()] {
			// an Add after the go statement, not the next iteration's Add
			// for the next goroutine of a loop
			if wc.method == "Add" && wc.key == gw.key && precedes(gw.g, wc.call, nil) &&
				!sameCycle(gw.g.Block(), wc.call.Block()) {
				if c.reAdded[gw.fn] == nil {
					c.reAdded[gw.fn] = map[any]bool{}
				}
				c.reAdded[gw.fn][gw.inKey()] = true
			}
		}
	}
	for _, fn := range c.funcs {
		c.checkDoubleDone(fn)
	}
	c.checkNegative(gwgs)
	c.checkGoDone()
	slices.SortStableFunc(c.res.WGIssues, func(a, b *WGIssue) int { return int(a.Pos - b.Pos) })
}

func (s *summary) leakOf() *Leak {
	if s == nil {
		return nil
	}
	return s.leak
}

// inKey is the WaitGroup's key inside the goroutine's function.
func (gw *goroutineWG) inKey() any {
	if gw.fieldIn != nil {
		return gw.fieldIn
	}
	return wgKey(gw.root)
}

// addsItself reports whether the goroutine Adds to the WaitGroup: that is
// the add-in-goroutine report; its Done is then its own business.
func (c *core) addsItself(gw *goroutineWG) bool {
	for _, wc := range c.wgCalls[gw.fn] {
		if (wc.method == "Add" || wc.method == "Go") && wc.key == gw.inKey() {
			return true
		}
	}
	return false
}

// addBefore reports whether fn Adds to key before the go statement g on
// some path.
func (c *core) addBefore(fn *ssa.Function, key any, g *ssa.Go) bool {
	for _, wc := range c.wgCalls[fn] {
		if (wc.method == "Add" || wc.method == "Go") && wc.key == key && precedes(wc.call, g, nil) {
			return true
		}
	}
	return false
}

// donesInLoop reports whether the goroutine calls Done in a loop: a worker
// that is Done once per job it takes, not once per goroutine.
func (c *core) donesInLoop(gw *goroutineWG) bool {
	for _, wc := range c.wgCalls[gw.fn] {
		if wc.method == "Done" && wc.key == gw.inKey() && inCycle(wc.call.Block()) {
			return true
		}
	}
	return false
}

// waitAfter returns a Wait on key in fn reachable from instr, or nil. A
// Wait in a goroutine fn starts after instr (the closer goroutine of a
// pipeline: go func() { wg.Wait(); close(out) }()) counts as fn's.
func (c *core) waitAfter(fn *ssa.Function, key any, from ssa.Instruction) ssa.CallInstruction {
	for _, wc := range c.wgCalls[fn] {
		if wc.method == "Wait" && wc.key == key && precedes(from, wc.call, nil) {
			return wc.call
		}
	}
	for _, g := range c.gos {
		mc, ok := g.Call.Value.(*ssa.MakeClosure)
		if !ok || g.Parent() != fn || !precedes(from, g, nil) {
			continue
		}
		inner := mc.Fn.(*ssa.Function)
		for k, b := range mc.Bindings {
			if wgKey(b) != key || k >= len(inner.FreeVars) {
				continue
			}
			for _, wc := range c.wgCalls[inner] {
				if wc.method == "Wait" && wc.key == wgKey(inner.FreeVars[k]) {
					return wc.call
				}
			}
		}
	}
	return nil
}

// counts reports whether goroutine g stands for one Done on the WaitGroup key.
func counts(byGo map[*ssa.Go][]*goroutineWG, g *ssa.Go, key any) bool {
	for _, gw := range byGo[g] {
		if gw.key == key && gw.direct && (gw.eff == releases || gw.eff == mayRelease) {
			return true
		}
	}
	return false
}

// direct reports whether the WaitGroup root is used only by its own
// methods and by deferred closures.
func (c *core) direct(root ssa.Value) bool {
	for _, use := range *root.Referrers() {
		switch use := use.(type) {
		case *ssa.DebugRef:
		case ssa.CallInstruction:
			common := use.Common()
			if c.table.WaitGroupMethod(calleeObject(common)) == "" || len(common.Args) == 0 || common.Args[0] != root {
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
func (c *core) wgEscapes(fn *ssa.Function, key any, byGo map[*ssa.Go][]*goroutineWG) bool {
	countedGo := func(instr ssa.Instruction) bool {
		g, ok := instr.(*ssa.Go)
		return ok && counts(byGo, g, key)
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch instr := instr.(type) {
			case *ssa.MakeClosure:
				for _, bnd := range instr.Bindings {
					if wgKey(bnd) != key {
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
				isMethod := c.table.WaitGroupMethod(calleeObject(common)) != ""
				for i, a := range common.Args {
					if wgKey(a) != key || (isMethod && i == 0) {
						continue
					}
					if !countedGo(instr) {
						return true
					}
				}
			case *ssa.Store:
				if wgKey(instr.Val) == key {
					return true
				}
			case *ssa.Send:
				if wgKey(instr.X) == key {
					return true // sent to another goroutine
				}
			case *ssa.MakeInterface:
				if wgKey(instr.X) == key {
					return true
				}
			case *ssa.Return:
				for _, r := range instr.Results {
					if wgKey(r) == key {
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
func (c *core) checkAdd(fn *ssa.Function, add wgCall, byGo map[*ssa.Go][]*goroutineWG) {
	if _, isDefer := add.call.(*ssa.Defer); isDefer || len(add.call.Common().Args) < 2 {
		return
	}
	if c.wgEscapes(fn, add.key, byGo) {
		return // other code may Add or Done: the count is unknown
	}
	switch n := add.call.Common().Args[1].(type) {
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
func (c *core) countToWait(fn *ssa.Function, add wgCall, n int, byGo map[*ssa.Go][]*goroutineWG) {
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
			if g, ok := instr.(*ssa.Go); ok && counts(byGo, g, add.key) {
				if inCycle(g.Block()) {
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
		if precedes(g, add.call, nil) {
			return // a goroutine started before this Add may still owe a Done
		}
	}
	start := slices.Index(add.call.Block().Instrs, ssa.Instruction(add.call)) + 1
	stack := []state{{b: add.call.Block(), i: start}}
	seen := map[state]bool{}
	budget := walkBudget
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
				if ssa.CallInstruction(instr) == add.call {
					ended = true // around a loop: Add again
					break
				}
				if m := c.table.WaitGroupMethod(calleeObject(&instr.Call)); m != "" && len(instr.Call.Args) > 0 && wgKey(instr.Call.Args[0]) == add.key {
					switch m {
					case "Done":
						st.count++
					case "Add", "Go":
						ended = true // another Add on the path: not a constant count
					case "Wait":
						if st.count != n {
							is := &WGIssue{Kind: WGAddMismatch, Pos: add.call.Common().Pos(), Wait: instr.Pos(), Add: add.call.Common().Pos(), N: n, K: st.count}
							is.At = evidence(counted, st.gos, st.count < n)
							if st.count > n && st.extra.IsValid() {
								is.At = st.extra
							}
							is.Passed = st.last
							c.res.WGIssues = append(c.res.WGIssues, is)
							return
						}
						ended = true
					}
					continue
				}
				for _, a := range instr.Call.Args {
					if wgKey(a) == add.key {
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
func (c *core) checkAddLen(fn *ssa.Function, add wgCall, xs ssa.Value, byGo map[*ssa.Go][]*goroutineWG) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			g, ok := instr.(*ssa.Go)
			if !ok || !counts(byGo, g, add.key) || !inCycle(g.Block()) {
				continue
			}
			header, loop := naturalLoop(g.Block())
			if header == nil || !iterates(loop, xs) {
				continue
			}
			wait := c.waitAfter(fn, add.key, g)
			if wait == nil {
				continue
			}
			// blocks that stand for the element: the go statement's, and
			// those that call Done for a skipped element directly
			covered := map[*ssa.BasicBlock]bool{g.Block(): true}
			for _, wc := range c.wgCalls[fn] {
				if wc.method == "Done" && wc.key == add.key {
					covered[wc.call.Block()] = true
				}
			}
			if skips(loop, header, covered) {
				c.res.WGIssues = append(c.res.WGIssues, &WGIssue{
					Kind: WGAddLenSkip, Pos: add.call.Common().Pos(),
					Go: g, Wait: wait.Common().Pos(), Add: add.call.Common().Pos(), At: g.Pos(),
				})
				return
			}
		}
	}
}

// cycleOf returns the blocks on a cycle through b.
func cycleOf(b *ssa.BasicBlock) map[*ssa.BasicBlock]bool {
	loop := map[*ssa.BasicBlock]bool{b: true}
	for _, x := range b.Parent().Blocks {
		if reaches(b, x) && reaches(x, b) {
			loop[x] = true
		}
	}
	return loop
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
	return a == b || wgKey(a) == wgKey(b)
}

// naturalLoop returns the header and the blocks of the innermost natural
// loop containing b: a header h dominating b with back edges t -> h (h
// dominates t), whose body (the blocks reaching a t without passing h,
// over all of h's back edges: continue makes several) holds b.
func naturalLoop(b *ssa.BasicBlock) (*ssa.BasicBlock, map[*ssa.BasicBlock]bool) {
	var bestH *ssa.BasicBlock
	var best map[*ssa.BasicBlock]bool
	for _, h := range b.Parent().Blocks {
		if !h.Dominates(b) {
			continue
		}
		if body := loopBody(h); body[b] && (best == nil || len(body) < len(best)) {
			bestH, best = h, body
		}
	}
	return bestH, best
}

// loopBody returns the blocks of the natural loop headed by h: those
// reaching a back edge t -> h (h dominates t) without passing h; nil if h
// heads no loop.
func loopBody(h *ssa.BasicBlock) map[*ssa.BasicBlock]bool {
	var stack []*ssa.BasicBlock
	for _, t := range h.Preds {
		if h.Dominates(t) {
			stack = append(stack, t) // a back edge
		}
	}
	if len(stack) == 0 {
		return nil
	}
	body := map[*ssa.BasicBlock]bool{h: true}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if body[x] {
			continue
		}
		body[x] = true
		stack = append(stack, x.Preds...)
	}
	return body
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
func (c *core) checkWaitInLoop(fn *ssa.Function, byGo map[*ssa.Go][]*goroutineWG) {
	for _, wc := range c.wgCalls[fn] {
		if wc.method != "Wait" || !inCycle(wc.call.Block()) {
			continue
		}
		loop := cycleOf(wc.call.Block())
		startsInLoop := false
		for b := range loop {
			for _, instr := range b.Instrs {
				if g, ok := instr.(*ssa.Go); ok && counts(byGo, g, wc.key) {
					startsInLoop = true
				}
			}
		}
		if !startsInLoop || c.wgEscapes(fn, wc.key, byGo) {
			continue
		}
		var before ssa.CallInstruction
		for _, other := range c.wgCalls[fn] {
			if other.key != wc.key || (other.method != "Add" && other.method != "Go") {
				continue
			}
			if loop[other.call.Block()] {
				before = nil // counted per iteration: balanced batches
				break
			}
			if other.method == "Add" && precedes(other.call, wc.call, nil) && before == nil {
				before = other.call
			}
		}
		if before != nil {
			c.res.WGIssues = append(c.res.WGIssues, &WGIssue{Kind: WGWaitInLoop, Pos: wc.call.Common().Pos(), Wait: wc.call.Common().Pos(), Add: before.Common().Pos()})
		}
	}
}

// checkDoubleDone finds two Dones on one path of a function, with no Add
// between, outside loops (a worker's loop may Done once per job).
func (c *core) checkDoubleDone(fn *ssa.Function) {
	keys := map[any]bool{}
	for _, wc := range c.wgCalls[fn] {
		if wc.method == "Done" && !inCycle(wc.call.Block()) && !c.reAdded[fn][wc.key] {
			// (a goroutine whose spawner Adds again after starting it may
			// Done once per phase: a handshake, not a double Done)
			keys[wc.key] = true
		}
	}
	for _, wc := range c.wgCalls[fn] {
		if !keys[wc.key] {
			continue
		}
		delete(keys, wc.key)
		if second, first := c.doubleDone(fn, wc.key); second != nil {
			c.res.WGIssues = append(c.res.WGIssues, &WGIssue{Kind: WGDoubleDone, Pos: second.Common().Pos(), At: first.Common().Pos()})
		}
	}
}

// doubleDone searches fn from its entry for a path with two Dones on key
// (a deferred Done counts where it is deferred).
func (c *core) doubleDone(fn *ssa.Function, key any) (second, first ssa.CallInstruction) {
	type state struct {
		b     *ssa.BasicBlock
		first ssa.CallInstruction
	}
	if len(fn.Blocks) == 0 {
		return nil, nil
	}
	seen := map[state]bool{}
	stack := []state{{b: fn.Blocks[0]}}
	budget := walkBudget
	for len(stack) > 0 {
		st := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if budget--; budget < 0 || inCycle(st.b) {
			continue
		}
		ended := false
		for _, instr := range st.b.Instrs {
			call, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			if c.noReturn(call.Common()) {
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
			m := c.table.WaitGroupMethod(calleeObject(common))
			if m == "" || wgKey(common.Args[0]) != key {
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
func (c *core) checkGoDone() {
	for _, fn := range c.funcs {
		for _, wc := range c.wgCalls[fn] {
			common := wc.call.Common()
			if wc.method != "Go" || len(common.Args) < 2 {
				continue
			}
			mc, ok := common.Args[1].(*ssa.MakeClosure)
			if !ok {
				continue
			}
			inner := mc.Fn.(*ssa.Function)
			for k, b := range mc.Bindings {
				if wgKey(b) != wc.key || k >= len(inner.FreeVars) {
					continue
				}
				for _, ic := range c.wgCalls[inner] {
					if ic.method == "Done" && ic.key == wgKey(inner.FreeVars[k]) {
						c.res.WGIssues = append(c.res.WGIssues, &WGIssue{Kind: WGNegative, Pos: ic.call.Common().Pos()})
					}
				}
			}
		}
	}
}

// checkNegative finds Done on a local WaitGroup that nothing Adds to.
func (c *core) checkNegative(gwgs []*goroutineWG) {
	for _, fn := range c.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				alloc, ok := instr.(*ssa.Alloc)
				if !ok || !c.isWGPointer(alloc.Type()) {
					continue
				}
				c.negativeFor(fn, alloc, gwgs)
			}
		}
	}
}

func (c *core) negativeFor(fn *ssa.Function, alloc *ssa.Alloc, gwgs []*goroutineWG) {
	var done ssa.CallInstruction
	adds := 0
	// tally counts the Adds on key among calls and keeps the first Done.
	tally := func(calls []wgCall, key any) {
		for _, wc := range calls {
			if wc.key != key {
				continue
			}
			switch wc.method {
			case "Add", "Go":
				adds++
			case "Done":
				if done == nil {
					done = wc.call
				}
			}
		}
	}
	tally(c.wgCalls[fn], ssa.Value(alloc))
	for _, use := range *alloc.Referrers() {
		switch use := use.(type) {
		case *ssa.Call:
			if c.table.WaitGroupMethod(calleeObject(&use.Call)) == "" {
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
			tally(c.wgCalls[gw.fn], gw.inKey())
		}
	}
	// Closures that are not goroutines may Add too.
	for _, anon := range fn.AnonFuncs {
		for _, wc := range c.wgCalls[anon] {
			if wc.method == "Add" || wc.method == "Go" {
				if _, ok := wc.key.(*ssa.FreeVar); ok {
					adds++ // conservatively: any closure's Add may be this one
				}
			}
		}
	}
	if adds == 0 && done != nil {
		c.res.WGIssues = append(c.res.WGIssues, &WGIssue{Kind: WGNegative, Pos: done.Common().Pos()})
	}
}
