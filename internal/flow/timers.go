package flow

import (
	"go/constant"
	"go/token"
	"strings"

	"golang.org/x/tools/go/ssa"
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
				sel, isSel := r.Instr.(*ssa.Select)
				c.res.TimerLoops = append(c.res.TimerLoops, &TimerLoop{Go: g, Fn: fn, Recv: r.Pos, Chan: r.Ch, Break: isSel && c.HasSelectBreak(sel)})
				break
			}
		}
	}
}

// loopsForever reports whether the receive sits in a loop that no edge
// leaves, but for the "channel closed" exit of a range over a timer
// channel, which never closes.
func (c *Core) loopsForever(r TimerRecv) bool {
	b := r.Instr.Block()
	if !InCycle(b) {
		return false
	}
	loop := CycleOf(b)
	for x := range loop {
		for k, succ := range x.Succs {
			if loop[succ] {
				continue
			}
			if k == 1 && c.IsTimerRangeExit(x) {
				continue // the timer channel is never closed
			}
			if IsSelectNoCase(succ) {
				continue // the blocking select's impossible fallthrough
			}
			return false // a way out
		}
	}
	return true
}

// IsTimerRangeExit reports whether x ends in the "ok" test of a comma-ok
// receive from a timer channel (the exit test of for range t.C).
func (c *Core) IsTimerRangeExit(x *ssa.BasicBlock) bool {
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

// IsSelectNoCase reports whether b is go/ssa's unreachable fallthrough of a
// blocking select: panic("blocking select matched no case").
func IsSelectNoCase(b *ssa.BasicBlock) bool {
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
			if k == 1 && c.IsTimerRangeExit(b) {
				continue
			}
			stack = append(stack, s)
		}
	}
	return false
}
