package chanblock

import (
	"go/token"
	"go/types"
	"slices"

	"github.com/leakvet/leakvet/internal/flow"
	"golang.org/x/tools/go/ssa"
)

// Channel constructors: functions that make a channel, start the
// goroutines that send on it and return it; their callers owe the
// receives.

// chanCtor is a function that makes a channel, starts goroutines that send
// on it, and returns it: its caller owes the receives, as if it had made
// the channel and started the goroutines itself.
type chanCtor struct {
	result  int // the index of the channel among the results
	mk      *ssa.MakeChan
	first   goroutineChan // the goroutine whose send is reported
	many    bool          // an unbounded number of values
	bounded bool
}

// chanCtorOf returns what fn does as a channel constructor, or nil.
func (c *checker) chanCtorOf(fn *ssa.Function) *chanCtor {
	if ctor, ok := c.ctors[fn]; ok {
		return ctor
	}
	c.ctors[fn] = nil
	results := fn.Signature.Results()
	k := -1
	for i := range results.Len() {
		if _, ok := results.At(i).Type().Underlying().(*types.Chan); ok {
			if k >= 0 {
				return nil // two channels: not modelled
			}
			k = i
		}
	}
	if k < 0 || len(fn.Blocks) == 0 {
		return nil
	}
	var mk *ssa.MakeChan
	for _, b := range fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok {
			continue
		}
		m := madeChan(ret.Results[k], 0)
		if m == nil || mk != nil && m != mk {
			return nil // returns another channel (or nil) on some path
		}
		mk = m
	}
	if mk == nil {
		return nil
	}
	ops := c.ChanOpsOf(fn, mk, false, 0)
	if ops.Escapes || ops.Other || len(ops.Returned) == 0 {
		return nil
	}
	var senders []goroutineChan
	for _, op := range ops.Ops {
		if op.Kind != flow.OpGo || op.Instr.Parent() != fn {
			return nil // the constructor uses the channel itself: not modelled
		}
		body := flow.Flatten(op.Body)
		if body.Escapes || len(body.Gos) > 0 || body.Receives() {
			return nil
		}
		senders = append(senders, goroutineChan{op, body})
	}
	i := slices.IndexFunc(senders, func(s goroutineChan) bool { return len(s.body.Sends) > 0 })
	if i < 0 {
		return nil // no plain send: nothing blocks
	}
	first := &senders[i]
	_, bounded, ok := canBlock(senders, *first, mk)
	if !ok {
		return nil
	}
	ctor := &chanCtor{result: k, mk: mk, first: *first, many: !bounded, bounded: bounded}
	c.ctors[fn] = ctor
	return ctor
}

// madeChan returns the make(chan) v is (through phis and conversions).
func madeChan(v ssa.Value, depth int) *ssa.MakeChan {
	switch v := v.(type) {
	case *ssa.MakeChan:
		return v
	case *ssa.ChangeType:
		return madeChan(v.X, depth+1)
	case *ssa.UnOp:
		// a load of the variable holding it: the one make stored there
		if a, ok := v.X.(*ssa.Alloc); ok && v.Op == token.MUL && depth < 4 {
			if st := flow.StoredOnce(a); st != nil {
				return madeChan(st, depth+1)
			}
		}
	case *ssa.Phi:
		if depth >= 4 {
			return nil
		}
		var mk *ssa.MakeChan
		for _, e := range v.Edges {
			m := madeChan(e, depth+1)
			if m == nil || mk != nil && m != mk {
				return nil
			}
			mk = m
		}
		return mk
	}
	return nil
}

// callerObligation: call returns the channel of a constructor whose
// goroutines send on it; the caller must receive on every path.
func (c *checker) callerObligation(fn *ssa.Function, call *ssa.Call, ctor *ssa.Function, cc *chanCtor) {
	var v ssa.Value = call
	if call.Call.Signature().Results().Len() > 1 {
		v = nil
		for _, r := range *call.Referrers() {
			if ext, ok := r.(*ssa.Extract); ok && ext.Index == cc.result {
				v = ext
			}
		}
	}
	if v == nil {
		return // discarded: not reported (the call may be for its other results)
	}
	ops := c.ChanOpsOf(fn, v, false, 0)
	if ops.Escaped() {
		return // handed on: whoever gets it owes the receives
	}
	of := flow.Flatten(ops)
	if of.Escapes || len(of.Gos) > 0 || of.SendsAny() || len(of.Closes) > 0 {
		return
	}
	g := chanGraph(v)
	c.collectorExits(g, of, append(append(slices.Clone(of.Recvs), of.Ranges...), of.SelRecvs...))
	if !cc.many {
		c.recvDischarges(g, fn, of, nil)
	}
	r := c.Walk(&flow.WalkSpec{
		Fn: fn, G: g, Block: call.Block(), Start: flow.Index(call) + 1,
		Facts:   flow.SeedFacts(call.Block(), c.TestedValues(fn)),
		Restart: call,
	})
	if r.BudgetOut || len(r.Leaks) == 0 {
		return
	}
	send := cc.first.body.Sends[0].Pos
	c.blocks = append(c.blocks, &block{
		Kind: blockedSend, Op: call.Pos(), Name: c.ChanName(send), Go: cc.first.op.Instr,
		Owner: fn, Make: cc.mk, Leak: *flow.PickLeak(r.Leaks), Many: cc.many,
		GoInLoop: repeats(cc.first.op.Instr, cc.mk),
		Ctor:     ctor, Send: send,
	})
}
