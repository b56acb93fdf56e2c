package wgbalance

import (
	"go/constant"
	"go/token"
	"slices"

	"github.com/leakvet/leakvet/internal/flow"
	"golang.org/x/tools/go/ssa"
)

// The counts: Add(n) and Add(len(xs)) against the goroutines each path
// starts before Wait.

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
