package timerstop

import (
	"go/token"
	"slices"

	"github.com/leakvet/leakvet/internal/apis"
	"github.com/leakvet/leakvet/internal/flow"
	"golang.org/x/tools/go/ssa"
)

// drain is the pre-Go 1.23 idiom `if !t.Stop() { <-t.C }` (or around
// Reset): a receive on the branch where Stop reported the timer had
// already fired or been stopped.
type drain struct {
	Recv *ssa.UnOp
	Stop *ssa.Call
	// Prior is another receive from the same timer's channel in the
	// function (the value may have been taken there), or NoPos.
	Prior token.Pos
}

// markForever returns the timers a reported forever loop owns or
// receives from: that report is the one to fix.
func markForever(res *flow.Result) map[*flow.Site]bool {
	if len(res.TimerLoops) == 0 {
		return nil
	}
	forever := map[token.Pos]bool{}
	foreverGo := map[*ssa.Go]bool{}
	for _, l := range res.TimerLoops {
		forever[l.Recv] = true
		foreverGo[l.Go] = true
	}
	marked := map[*flow.Site]bool{}
	for _, s := range res.Sites {
		switch s.Acq.Kind {
		case apis.Ticker, apis.Timer, apis.Tick:
			if ownedByForever(s, foreverGo) || feedsForever(s, forever) {
				marked[s] = true
			}
		}
	}
	return marked
}

// feedsForever reports whether a timer's channel is the one a reported
// forever loop receives from: one report per bug.
func feedsForever(s *flow.Site, forever map[token.Pos]bool) bool {
	if s.Value == nil {
		return false
	}
	for _, r := range *s.Value.Referrers() {
		switch r := r.(type) {
		case *ssa.UnOp:
			if forever[r.Pos()] {
				return true
			}
		case *ssa.Select:
			for _, st := range r.States {
				if st.Chan == s.Value && forever[st.Pos] {
					return true
				}
			}
		}
	}
	return false
}

// ownedByForever reports whether the timer is captured by a goroutine
// reported as looping on it forever: that report is the one to fix.
func ownedByForever(s *flow.Site, foreverGo map[*ssa.Go]bool) bool {
	if s.Value == nil || len(foreverGo) == 0 {
		return false
	}
	var captures func(v ssa.Value, depth int) bool
	captures = func(v ssa.Value, depth int) bool {
		for _, r := range *v.Referrers() {
			switch r := r.(type) {
			case *ssa.MakeClosure:
				for _, u := range *r.Referrers() {
					if g, ok := u.(*ssa.Go); ok && foreverGo[g] {
						return true
					}
				}
			case *ssa.Store:
				if alloc, ok := r.Addr.(*ssa.Alloc); ok && depth == 0 && captures(alloc, 1) {
					return true
				}
			case *ssa.Go:
				if foreverGo[r] {
					return true
				}
			}
		}
		return false
	}
	return captures(s.Value, 0)
}

// chanEscapes reports whether the timer's channel leaves the function
// (returned, stored, passed on): stopping the timer when the function
// returns would then starve whoever reads it.
func chanEscapes(t ssa.Value) bool {
	for _, u := range *t.Referrers() {
		fa, ok := u.(*ssa.FieldAddr)
		if !ok {
			continue
		}
		for _, l := range *fa.Referrers() {
			load, ok := l.(*ssa.UnOp)
			if !ok || load.Op != token.MUL {
				return true
			}
			for _, r := range *load.Referrers() {
				switch r := r.(type) {
				case *ssa.UnOp:
					if r.Op != token.ARROW {
						return true
					}
				case *ssa.Select, *ssa.DebugRef:
				default:
					return true
				}
			}
		}
	}
	return false
}

// findDrains finds `if !t.Stop() { <-t.C }` and the like.
func (c *checker) findDrains() (drains []*drain) {
	for _, fn := range c.Funcs() {
		recvs := c.TimerRecvs(fn)
		for _, r := range recvs {
			recv, ok := r.Instr.(*ssa.UnOp)
			if !ok || recv.CommaOk {
				continue
			}
			b := recv.Block()
			if len(b.Preds) != 1 {
				continue
			}
			d := b.Preds[0]
			ifInstr, ok := d.Instrs[len(d.Instrs)-1].(*ssa.If)
			if !ok || d.Succs[1] != b {
				continue // not the branch where the condition is false
			}
			stop, ok := ifInstr.Cond.(*ssa.Call)
			if !ok || len(stop.Call.Args) == 0 {
				continue
			}
			fnObj := flow.CalleeObject(&stop.Call)
			if fnObj == nil || (fnObj.Name() != "Stop" && fnObj.Name() != "Reset") ||
				!c.Table().IsTimerPointer(stop.Call.Args[0].Type()) ||
				flow.AddrKey(stop.Call.Args[0]) != flow.TimerSource(recv.X) {
				continue
			}
			dr := &drain{Recv: recv, Stop: stop}
			src := flow.TimerSource(recv.X)
			for _, other := range recvs {
				if other.Instr == r.Instr || flow.TimerSource(other.Ch) != src {
					continue
				}
				// the value was taken there, and Stop then runs with no
				// Reset re-arming the timer in between: Stop reports
				// false and the drain waits for a value that never comes
				if b, i, ok := c.afterRecv(other); ok && c.reachesUnarmed(b, i, stop, src) {
					dr.Prior = other.Pos
					break
				}
			}
			if dr.Prior.IsValid() {
				drains = append(drains, dr)
			}
		}
	}
	slices.SortFunc(drains, func(a, b *drain) int { return int(a.Recv.Pos() - b.Recv.Pos()) })
	return drains
}

// afterRecv returns the point from which a receive has happened: after a
// plain receive, or at the start of the branch taking a select's case.
func (c *checker) afterRecv(r flow.TimerRecv) (*ssa.BasicBlock, int, bool) {
	switch instr := r.Instr.(type) {
	case *ssa.UnOp:
		return instr.Block(), slices.Index(instr.Block().Instrs, ssa.Instruction(instr)) + 1, true
	case *ssa.Select:
		k := slices.IndexFunc(instr.States, func(st *ssa.SelectState) bool { return st.Pos == r.Pos })
		if k < 0 {
			return nil, 0, false
		}
		if b := flow.SelectCaseBlock(instr, k); b != nil {
			return b, 0, true
		}
	}
	return nil, 0, false
}

// reachesUnarmed reports whether a path from instruction i of b reaches
// the call target without passing a Reset of the timer src.
func (c *checker) reachesUnarmed(b *ssa.BasicBlock, i int, target *ssa.Call, src any) bool {
	rearms := func(instr ssa.Instruction) bool {
		if v, ok := instr.(ssa.Value); ok && v == src {
			return true // the variable holds a new timer from here (a loop's t := ...)
		}
		if st, ok := instr.(*ssa.Store); ok && st.Addr == src {
			return true // a new timer assigned to the variable
		}
		call, ok := instr.(ssa.CallInstruction)
		if !ok || len(call.Common().Args) == 0 {
			return false
		}
		fn := flow.CalleeObject(call.Common())
		return fn != nil && fn.Name() == "Reset" && c.Table().IsTimerPointer(call.Common().Args[0].Type()) &&
			flow.AddrKey(call.Common().Args[0]) == src
	}
	seen := make([]bool, len(b.Parent().Blocks))
	type at struct {
		b *ssa.BasicBlock
		i int
	}
	stack := []at{{b, i}}
	for len(stack) > 0 {
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		blocked := false
		for _, instr := range p.b.Instrs[p.i:] {
			if instr == ssa.Instruction(target) {
				return true
			}
			if rearms(instr) {
				blocked = true
				break
			}
		}
		if blocked {
			continue
		}
		for _, s := range p.b.Succs {
			if !seen[s.Index] {
				seen[s.Index] = true
				stack = append(stack, at{s, 0})
			}
		}
	}
	return false
}

// afterRepeats reports whether the select that time.After's channel is a
// case of can run again (the next iteration of its loop) without that case
// having fired: only then do unfired timers pile up.
func (c *checker) afterRepeats(s *flow.Site) bool {
	if s.Value == nil {
		return false
	}
	for _, r := range *s.Value.Referrers() {
		sel, ok := r.(*ssa.Select)
		if !ok {
			continue
		}
		k := slices.IndexFunc(sel.States, func(st *ssa.SelectState) bool { return st.Chan == s.Value })
		if k < 0 {
			continue
		}
		fired, _, ok := c.afterRecv(flow.TimerRecv{Instr: sel, Pos: sel.States[k].Pos, Ch: s.Value})
		if !ok {
			return true // cannot tell the branches apart: keep the report
		}
		seen := make([]bool, len(sel.Parent().Blocks))
		stack := slices.Clone(sel.Block().Succs)
		for len(stack) > 0 {
			b := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if b == fired || seen[b.Index] {
				continue
			}
			if b == sel.Block() {
				return true // back at the select with the timer still pending
			}
			seen[b.Index] = true
			stack = append(stack, b.Succs...)
		}
		return false
	}
	return false
}
