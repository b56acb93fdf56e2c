package wgbalance

import (
	"fmt"
	"go/token"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/leakvet/leakvet/internal/flow"
	"github.com/leakvet/leakvet/internal/model"
)

// catWaitNoDone: a Wait after a live Add that no live code balances.
const catWaitNoDone = "wait-no-done"

// reportModel reports the Waits that the package model proves never
// return: the WaitGroup does not escape the package, live code adds to
// it, and no live code calls Done (or Add with another delta, or Go).
func (r *reporter) reportModel(m *model.Model, reported map[token.Pos]bool) {
	fset := r.pass.Fset
	lines := map[token.Position]bool{}
	for pos := range reported {
		lines[flow.LineOf(fset, pos)] = true
	}
	for _, op := range m.Blocked() {
		if op.Kind != model.Wait || m.MainOnly(op.Fn) || lines[flow.LineOf(fset, op.Pos())] {
			continue
		}
		o := m.ObjectOf(op)
		var add *model.Op
		for _, a := range o.Ops {
			if a.Kind == model.Add && a.Live && !a.Summary {
				add = a
				break
			}
		}
		if add == nil {
			continue // counted up only inside another package's function
		}
		d := analysis.Diagnostic{
			Pos:      op.Pos(),
			Category: catWaitNoDone,
			Message:  fmt.Sprintf("Wait blocks forever: the Add at line %d is never balanced, no live code calls Done on this WaitGroup", fset.Position(add.Pos()).Line),
			Related:  []analysis.RelatedInformation{{Pos: add.Pos(), Message: "the WaitGroup is counted up here"}},
		}
		if dead := m.Dead(o, model.Done); len(dead) > 0 {
			d.Message = fmt.Sprintf("Wait blocks forever: the Add at line %d is never balanced: the Done at line %d is %s", fset.Position(add.Pos()).Line, fset.Position(dead[0].Op.Pos()).Line, dead[0].Why)
			for i, x := range dead {
				if i == 2 {
					break
				}
				d.Related = append(d.Related, analysis.RelatedInformation{Pos: x.Op.Pos(), Message: "this Done is " + x.Why})
			}
		}
		lines[flow.LineOf(fset, op.Pos())] = true
		r.pass.Report(d)
	}
	r.reportDrainAfterWait(m, lines)
}

// catDrainAfterWait: a Wait for goroutines that send before Done, on a
// channel received from only after the Wait.
const catDrainAfterWait = "drain-after-wait"

// reportDrainAfterWait reports the send/Wait cycle within one function:
// it starts goroutines that send on an unbuffered channel and then call
// Done, and it calls Wait before it receives from that channel, which
// nothing else receives from. The first sender blocks before its Done,
// so Wait never returns and the receive is never reached.
func (r *reporter) reportDrainAfterWait(m *model.Model, lines map[token.Position]bool) {
	fset := r.pass.Fset
	line := func(op *model.Op) int { return fset.Position(op.Pos()).Line }
	for _, wg := range m.Objects {
		if wg.Kind != model.WaitGroup || wg.Unknown || wg.Escaped != "" {
			continue
		}
		for _, wait := range wg.Ops {
			if wait.Kind != model.Wait || !wait.Live || wait.Blocked || m.MainOnly(wait.Fn) || lines[flow.LineOf(fset, wait.Pos())] {
				continue
			}
			send, done, recv := drainAfterWait(m, wg, wait)
			if send == nil {
				continue
			}
			ch := r.chanName(send)
			doneAt := fmt.Sprintf("calls Done (line %d)", line(done))
			doneRel := "so it never reaches this Done"
			switch {
			case done.Kind == model.WGGo:
				doneAt = fmt.Sprintf("returns and wg.Go (line %d) calls Done", line(done))
				doneRel = "wg.Go calls Done when the goroutine it starts here returns"
			default:
				if _, deferred := done.Instr.(*ssa.Defer); deferred {
					doneAt = fmt.Sprintf("returns to its deferred Done (line %d)", line(done))
				}
			}
			lines[flow.LineOf(fset, wait.Pos())] = true
			r.pass.Report(analysis.Diagnostic{
				Pos:      wait.Pos(),
				Category: catDrainAfterWait,
				Message: fmt.Sprintf("Wait blocks forever: the goroutine sends on %s (line %d) before it %s, and %s is received from only after Wait returns (line %d); receive from %s before Wait, or call Wait in a goroutine that then closes %s",
					ch, line(send), doneAt, ch, line(recv), ch, ch),
				Related: []analysis.RelatedInformation{
					{Pos: send.Pos(), Message: "the goroutine blocks sending here: nothing receives yet"},
					{Pos: done.Pos(), Message: doneRel},
					{Pos: recv.Pos(), Message: "the only receive, after the Wait"},
				},
			})
		}
	}
}

// drainAfterWait finds, for a Wait on wg, a goroutine started by the
// Wait's function that sends on an unbuffered channel (not escaping the
// package) before its Done on wg, where every live receive from that
// channel is in the Wait's function and after the Wait on every path.
//
// A goroutine started by wg.Go(f) in the Wait's function calls Done when
// f returns: any send in f comes before it (done is then the wg.Go op).
func drainAfterWait(m *model.Model, wg *model.Object, wait *model.Op) (send, done, recv *model.Op) {
	for _, d := range wg.Ops {
		if !d.Live || d.Summary {
			continue
		}
		body, deferred := d.Fn, false
		switch {
		case d.Kind == model.Done && startedBy(m, d.Fn, wait.Fn):
			_, deferred = d.Instr.(*ssa.Defer)
		case d.Kind == model.WGGo && d.Fn == wait.Fn:
			if body = goBody(d); body == nil {
				continue
			}
			deferred = true // Done comes when body returns
		default:
			continue
		}
		for _, s := range m.OpsIn(body, model.Send) {
			// the send comes first on some path to Done, and Done never
			// comes first on every path to the send
			if !s.Live || s.Summary || !deferred && (!model.MayFollowIn(s.Instr, d.Instr) || flow.Dominates(d.Instr, s.Instr)) {
				continue
			}
			ch := m.ObjectOf(s)
			if ch.Kind != model.Chan || ch.Cap != 0 || ch.Unknown || ch.ExtRecv {
				continue
			}
			var only *model.Op
			ok := true
			for _, rc := range ch.Ops {
				if !rc.Live || rc.Kind != model.Recv && rc.Kind != model.SelectRecv {
					continue
				}
				if rc.Fn != wait.Fn || !flow.Dominates(wait.Instr, rc.Instr) {
					ok = false
					break
				}
				if only == nil {
					only = rc
				}
			}
			if ok && only != nil {
				return s, d, only
			}
		}
	}
	return nil, nil, nil
}

// goBody is the function a wg.Go op starts: a function literal or a
// function of the package given to it directly (nil otherwise).
func goBody(op *model.Op) *ssa.Function {
	call, ok := op.Instr.(ssa.CallInstruction)
	if !ok || len(call.Common().Args) < 2 {
		return nil
	}
	switch f := call.Common().Args[1].(type) {
	case *ssa.MakeClosure:
		fn, _ := f.Fn.(*ssa.Function)
		return fn
	case *ssa.Function:
		return f
	}
	return nil
}

// startedBy reports whether fn is the body of goroutines that only go
// statements in owner start.
func startedBy(m *model.Model, fn, owner *ssa.Function) bool {
	gos := m.GoSites(fn)
	for _, g := range gos {
		if g.Parent() != owner {
			return false
		}
	}
	return len(gos) > 0
}

// chanName names the channel of op as the source does.
func (r *reporter) chanName(op *model.Op) string {
	if core := r.core; core != nil {
		if n := core.ChanName(op.Pos()); n != "" {
			return n
		}
	}
	return "the channel"
}
