package flow

import (
	"go/token"
	"go/types"
	"slices"

	"github.com/leakvet/leakvet/internal/apis"
	"golang.org/x/tools/go/ssa"
)

// findSites scans every function once for acquire calls.
func (c *Core) findSites() {
	c.siteOf = map[*ssa.Call]*Site{}
	c.tested = map[*ssa.Function]*tested{}
	c.timerRecvs = map[*ssa.Function][]TimerRecv{}
	c.wgCalls = map[*ssa.Function][]WGCall{}
	c.goexitFns = map[*ssa.Function]bool{}
	for _, fn := range c.funcs {
		c.stats.Funcs++
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				c.noteTimerOp(fn, instr)
				c.noteWGCall(fn, instr)
				c.noteChanOp(fn, instr)
				call, ok := instr.(*ssa.Call)
				if !ok {
					continue
				}
				acq := c.acquireOf(call)
				if acq == nil {
					continue
				}
				s := &Site{Fn: fn, Call: call, Acq: acq}
				c.bindSyntax(s)
				s.Value, s.Discarded = resultValue(call, acq.Result)
				if s.Lhs != nil && isBlank(s.Lhs) {
					s.Discarded = true
				}
				c.siteOf[call] = s
				c.res.Sites = append(c.res.Sites, s)
			}
		}
	}
	slices.SortStableFunc(c.res.Sites, func(a, b *Site) int { return int(a.Call.Pos() - b.Call.Pos()) })
	c.stats.Sites = len(c.res.Sites)
}

// wgCall is a call of a sync.WaitGroup method.
type WGCall struct {
	Call   ssa.CallInstruction // a call or a defer
	Method string
	Key    any // the WaitGroup it operates on
}

// noteWGCall records the WaitGroup method a call invokes and its receiver key.
func (c *Core) noteWGCall(fn *ssa.Function, instr ssa.Instruction) {
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
	m := c.table.WaitGroupMethod(CalleeObject(common))
	if m == "" {
		return
	}
	c.wgCalls[fn] = append(c.wgCalls[fn], WGCall{Call: call, Method: m, Key: WGKey(common.Args[0])})
}

// wgKey identifies a WaitGroup within a function: the local variable, the
// parameter, the free variable, or a field of one of them.
func WGKey(v ssa.Value) any {
	switch v := v.(type) {
	case *ssa.FieldAddr:
		return FieldKey{WGKey(v.X), v.Field}
	case *ssa.UnOp:
		if v.Op == token.MUL {
			return AddrKey(v)
		}
	}
	return v
}

func (c *Core) IsWGPointer(t types.Type) bool {
	p, ok := types.Unalias(t).(*types.Pointer)
	if !ok {
		return false
	}
	n, ok := types.Unalias(p.Elem()).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "sync" && n.Obj().Name() == "WaitGroup"
}

// TimerRecv is a receive from a timer channel: a plain or comma-ok
// receive, or a select case.
type TimerRecv struct {
	Instr ssa.Instruction
	Pos   token.Pos
	Ch    ssa.Value
}

// noteTimerOp records, during the core's one scan, the go statements and
// the receives from timer channels.
func (c *Core) noteTimerOp(fn *ssa.Function, instr ssa.Instruction) {
	switch instr := instr.(type) {
	case *ssa.Go:
		c.gos = append(c.gos, instr)
	case *ssa.UnOp:
		if instr.Op == token.ARROW && c.isTimerChan(instr.X) {
			c.timerRecvs[fn] = append(c.timerRecvs[fn], TimerRecv{instr, instr.Pos(), instr.X})
		}
	case *ssa.Select:
		for _, st := range instr.States {
			if st.Dir == 2 /* types.RecvOnly */ && c.isTimerChan(st.Chan) {
				c.timerRecvs[fn] = append(c.timerRecvs[fn], TimerRecv{instr, st.Pos, st.Chan})
			}
		}
	}
}

// isTimerChan reports whether ch is t.C of a *time.Timer or *time.Ticker,
// or the channel of time.Tick or time.After.
func (c *Core) isTimerChan(ch ssa.Value) bool {
	switch ch := ch.(type) {
	case *ssa.UnOp:
		if fa, ok := ch.X.(*ssa.FieldAddr); ok && ch.Op == token.MUL {
			return c.table.IsTimerPointer(fa.X.Type())
		}
	case *ssa.Call:
		if a := c.table.Acquire(CalleeObject(&ch.Call)); a != nil {
			return a.Kind == apis.Tick || a.Kind == apis.After
		}
	}
	return false
}

// TimerSource identifies the timer a channel belongs to across SSA values:
// two loads of s.t.C, or of a captured t, name the same timer.
func TimerSource(ch ssa.Value) any {
	load, ok := ch.(*ssa.UnOp)
	if !ok {
		return ch
	}
	fa, ok := load.X.(*ssa.FieldAddr)
	if !ok {
		return ch
	}
	return AddrKey(fa.X)
}

// AddrKey identifies the variable a value was loaded from (a local, a
// global, a captured variable, a field of one), or the value itself.
func AddrKey(v ssa.Value) any {
	if load, ok := v.(*ssa.UnOp); ok && load.Op == token.MUL {
		switch x := load.X.(type) {
		case *ssa.Alloc, *ssa.Global, *ssa.FreeVar:
			return x
		case *ssa.FieldAddr:
			return FieldKey{AddrKey(x.X), x.Field}
		}
	}
	return v
}

// FieldKey identifies field index of the variable base.
type FieldKey struct {
	Base  any
	Index int
}

// noteChanOp records, during the core's one scan, the channels made, the
// calls of package functions that return a channel (constructors, maybe),
// and the sends, receives and selects.
func (c *Core) noteChanOp(fn *ssa.Function, instr ssa.Instruction) {
	switch instr := instr.(type) {
	case *ssa.MakeChan:
		c.makes = append(c.makes, instr)
	case *ssa.Call:
		if callee := c.LocalCallee(&instr.Call); callee != nil && returnsChan(callee) {
			c.chanCalls = append(c.chanCalls, instr)
		}
	case *ssa.Send, *ssa.Select:
		c.chanInstrs = append(c.chanInstrs, instr)
	case *ssa.UnOp:
		if instr.Op == token.ARROW {
			c.chanInstrs = append(c.chanInstrs, instr)
		}
	}
}

// returnsChan reports whether one of fn's results is a channel.
func returnsChan(fn *ssa.Function) bool {
	results := fn.Signature.Results()
	for i := range results.Len() {
		if _, ok := results.At(i).Type().Underlying().(*types.Chan); ok {
			return true
		}
	}
	return false
}
