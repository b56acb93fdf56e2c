package wgbalance

import (
	"github.com/leakvet/leakvet/internal/flow"
	"golang.org/x/tools/go/ssa"
)

// Waits in the loop that starts the goroutines, Dones twice on one path,
// Dones on a WaitGroup nothing Adds to.

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
