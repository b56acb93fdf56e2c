package flow

import (
	"go/constant"
	"go/token"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/leakvet/leakvet/internal/apis"
)

// TimerLoop is a goroutine whose loop over a timer or ticker channel has
// no way out: the goroutine and the ticker live as long as the process.
type TimerLoop struct {
	Go   *ssa.Go       // the go statement
	Fn   *ssa.Function // the goroutine's function
	Recv token.Pos     // the receive (or select case) on the channel
	Chan ssa.Value     // the channel received from
	// Break: a case of the select ends in an unlabeled break, meant to
	// leave the loop; selectnil reports that break (select-break).
	Break bool
}

// Drain is the pre-Go 1.23 idiom `if !t.Stop() { <-t.C }` (or around
// Reset): a receive on the branch where Stop reported the timer had
// already fired or been stopped.
type Drain struct {
	Recv *ssa.UnOp
	Stop *ssa.Call
	// Prior is another receive from the same timer's channel in the
	// function (the value may have been taken there), or NoPos.
	Prior token.Pos
}

// markForever sets Site.Forever on the timers a reported forever loop
// owns or receives from.
func (c *Core) markForever() {
	if len(c.res.TimerLoops) == 0 {
		return
	}
	forever := map[token.Pos]bool{}
	foreverGo := map[*ssa.Go]bool{}
	for _, l := range c.res.TimerLoops {
		forever[l.Recv] = true
		foreverGo[l.Go] = true
	}
	for _, s := range c.res.Sites {
		switch s.Acq.Kind {
		case apis.Ticker, apis.Timer, apis.Tick:
			s.Forever = ownedByForever(s, foreverGo) || feedsForever(s, forever)
		}
	}
}

// feedsForever reports whether a timer's channel is the one a reported
// forever loop receives from: one report per bug.
func feedsForever(s *Site, forever map[token.Pos]bool) bool {
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
func ownedByForever(s *Site, foreverGo map[*ssa.Go]bool) bool {
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

// findTimerLoops reports goroutines looping forever on a timer channel.
func (c *Core) findTimerLoops() {
	for _, g := range c.gos {
		if IsMainLike(g.Parent()) {
			continue // main and init run for the life of the process
		}
		fn := c.LocalCallee(&g.Call)
		if fn == nil {
			continue
		}
		for _, r := range c.timerRecvs[fn] {
			if c.loopsForever(r) {
				sel, isSel := r.instr.(*ssa.Select)
				c.res.TimerLoops = append(c.res.TimerLoops, &TimerLoop{Go: g, Fn: fn, Recv: r.pos, Chan: r.ch, Break: isSel && c.hasSelectBreak(sel)})
				break
			}
		}
	}
}

// loopsForever reports whether the receive sits in a loop that no edge
// leaves, but for the "channel closed" exit of a range over a timer
// channel, which never closes.
func (c *Core) loopsForever(r timerRecv) bool {
	b := r.instr.Block()
	if !InCycle(b) {
		return false
	}
	loop := CycleOf(b)
	for x := range loop {
		for k, succ := range x.Succs {
			if loop[succ] {
				continue
			}
			if k == 1 && c.isTimerRangeExit(x) {
				continue // the timer channel is never closed
			}
			if isSelectNoCase(succ) {
				continue // the blocking select's impossible fallthrough
			}
			return false // a way out
		}
	}
	return true
}

// isTimerRangeExit reports whether x ends in the "ok" test of a comma-ok
// receive from a timer channel (the exit test of for range t.C).
func (c *Core) isTimerRangeExit(x *ssa.BasicBlock) bool {
	ifInstr, ok := x.Instrs[len(x.Instrs)-1].(*ssa.If)
	if !ok {
		return false
	}
	ext, ok := ifInstr.Cond.(*ssa.Extract)
	if !ok || ext.Index != 1 {
		return false
	}
	recv, ok := ext.Tuple.(*ssa.UnOp)
	return ok && recv.Op == token.ARROW && recv.CommaOk && c.isTimerChan(recv.X)
}

// findDrains finds `if !t.Stop() { <-t.C }` and the like.
func (c *Core) findDrains() {
	for _, fn := range c.funcs {
		recvs := c.timerRecvs[fn]
		for _, r := range recvs {
			recv, ok := r.instr.(*ssa.UnOp)
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
			fnObj := CalleeObject(&stop.Call)
			if fnObj == nil || (fnObj.Name() != "Stop" && fnObj.Name() != "Reset") ||
				!c.table.IsTimerPointer(stop.Call.Args[0].Type()) ||
				addrKey(stop.Call.Args[0]) != timerSource(recv.X) {
				continue
			}
			dr := &Drain{Recv: recv, Stop: stop}
			src := timerSource(recv.X)
			for _, other := range recvs {
				if other.instr == r.instr || timerSource(other.ch) != src {
					continue
				}
				// the value was taken there, and Stop then runs with no
				// Reset re-arming the timer in between: Stop reports
				// false and the drain waits for a value that never comes
				if b, i, ok := c.afterRecv(other); ok && c.reachesUnarmed(b, i, stop, src) {
					dr.Prior = other.pos
					break
				}
			}
			if dr.Prior.IsValid() {
				c.res.Drains = append(c.res.Drains, dr)
			}
		}
	}
	slices.SortFunc(c.res.Drains, func(a, b *Drain) int { return int(a.Recv.Pos() - b.Recv.Pos()) })
}

// afterRecv returns the point from which a receive has happened: after a
// plain receive, or at the start of the branch taking a select's case.
func (c *Core) afterRecv(r timerRecv) (*ssa.BasicBlock, int, bool) {
	switch instr := r.instr.(type) {
	case *ssa.UnOp:
		return instr.Block(), slices.Index(instr.Block().Instrs, ssa.Instruction(instr)) + 1, true
	case *ssa.Select:
		k := slices.IndexFunc(instr.States, func(st *ssa.SelectState) bool { return st.Pos == r.pos })
		if k < 0 {
			return nil, 0, false
		}
		for _, u := range *instr.Referrers() {
			ext, ok := u.(*ssa.Extract)
			if !ok || ext.Index != 0 {
				continue
			}
			for _, v := range *ext.Referrers() {
				bin, ok := v.(*ssa.BinOp)
				if !ok || bin.Op != token.EQL {
					continue
				}
				if kc, ok := bin.Y.(*ssa.Const); !ok || kc.Int64() != int64(k) {
					continue
				}
				for _, w := range *bin.Referrers() {
					if ifInstr, ok := w.(*ssa.If); ok {
						return ifInstr.Block().Succs[0], 0, true
					}
				}
			}
		}
	}
	return nil, 0, false
}

// reachesUnarmed reports whether a path from instruction i of b reaches
// the call target without passing a Reset of the timer src.
func (c *Core) reachesUnarmed(b *ssa.BasicBlock, i int, target *ssa.Call, src any) bool {
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
		fn := CalleeObject(call.Common())
		return fn != nil && fn.Name() == "Reset" && c.table.IsTimerPointer(call.Common().Args[0].Type()) &&
			addrKey(call.Common().Args[0]) == src
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

// IsMainLike reports whether fn is main.main, an init function or the
// package initialiser (or a closure within one): code that runs for the
// life of the process.
func IsMainLike(fn *ssa.Function) bool {
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	if isMainMain(fn) || fn.Synthetic == "package initializer" {
		return true
	}
	return fn.Signature.Recv() == nil && (fn.Name() == "init" || strings.HasPrefix(fn.Name(), "init#"))
}

// isSelectNoCase reports whether b is go/ssa's unreachable fallthrough of a
// blocking select: panic("blocking select matched no case").
func isSelectNoCase(b *ssa.BasicBlock) bool {
	p, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Panic)
	if !ok {
		return false
	}
	mi, ok := p.X.(*ssa.MakeInterface)
	if !ok {
		return false
	}
	k, ok := mi.X.(*ssa.Const)
	return ok && k.Value != nil && k.Value.Kind() == constant.String && constant.StringVal(k.Value) == "blocking select matched no case"
}

// Returns reports whether a return of fn is reachable, given that timer
// channels never close (for range t.C never ends by itself).
func (c *Core) Returns(fn *ssa.Function) bool {
	if len(fn.Blocks) == 0 {
		return true // unknown: assume it returns
	}
	seen := make([]bool, len(fn.Blocks))
	stack := []*ssa.BasicBlock{fn.Blocks[0]}
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[b.Index] {
			continue
		}
		seen[b.Index] = true
		if _, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
			return true
		}
		for k, s := range b.Succs {
			if k == 1 && c.isTimerRangeExit(b) {
				continue
			}
			stack = append(stack, s)
		}
	}
	return false
}

// afterRepeats reports whether the select that time.After's channel is a
// case of can run again (the next iteration of its loop) without that case
// having fired: only then do unfired timers pile up.
func (c *Core) afterRepeats(s *Site) bool {
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
		fired, _, ok := c.afterRecv(timerRecv{instr: sel, pos: sel.States[k].Pos, ch: s.Value})
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
