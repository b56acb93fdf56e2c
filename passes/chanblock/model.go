package chanblock

import (
	"fmt"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/leakvet/leakvet/internal/flow"
	"github.com/leakvet/leakvet/internal/model"
)

// catNoCounterpart: a send or receive that no live code of the package
// can ever match (see doc.go).
const catNoCounterpart = "no-counterpart"

// report reports d and records its line, so that the model's findings
// do not repeat a finding an owner-local rule made with more context.
func (c *checker) report(d analysis.Diagnostic) {
	c.reported[flow.LineOf(c.pass.Fset, d.Pos)] = true
	c.pass.Report(d)
}

// reportModel reports the plain sends and receives the package model
// proves can never proceed: the channel does not escape the package and
// no live code performs their counterpart.
func (c *checker) reportModel(m *model.Model) {
	fset := c.Pass().Fset
	for _, op := range m.Blocked() {
		if op.Kind != model.Send && op.Kind != model.Recv {
			continue
		}
		if m.MainOnly(op.Fn) || c.reported[flow.LineOf(fset, op.Pos())] {
			continue // main parks on purpose; reported already
		}
		o := m.ObjectOf(op)
		name := c.ChanName(op.Pos())
		if name == "" {
			name = "the channel"
		}
		d := analysis.Diagnostic{Pos: op.Pos(), Category: catNoCounterpart}
		var dead []model.Reason
		var origin string
		if ctxs := m.DoneOf(o); len(ctxs) > 0 {
			dead = m.DeadSignals(o)
			d.Message = fmt.Sprintf("receive from %s blocks forever: no live code cancels the context", name)
			if !slices.ContainsFunc(ctxs, func(ctx *model.Object) bool { return len(m.Cancels(ctx)) > 0 }) {
				d.Message += " (its cancel func is discarded)"
			}
			for _, ctx := range ctxs {
				if p := ctx.OriginPos(); p.IsValid() {
					d.Related = append(d.Related, analysis.RelatedInformation{Pos: p, Message: "the context is made here"})
				}
			}
		} else if op.Kind == model.Recv {
			dead = m.DeadSignals(o)
			d.Message = fmt.Sprintf("receive from %s blocks forever: no live code sends on or closes it", name)
			origin = "the channel is made here"
		} else {
			dead = m.Dead(o, model.Recv, model.SelectRecv)
			d.Message = fmt.Sprintf("send on %s blocks forever: it is unbuffered and no live code receives from it", name)
			origin = "the channel is made here"
		}
		if len(dead) > 0 {
			d.Message += fmt.Sprintf("; the %s at line %d is %s", opNoun(dead[0].Op), fset.Position(dead[0].Op.Pos()).Line, dead[0].Why)
		} else if after := m.OnlyAfter(o, op, model.Send, model.SelectSend, model.Close, model.Recv, model.SelectRecv); len(after) > 0 {
			d.Message += fmt.Sprintf("; the %s at line %d runs only after this %s, in the same goroutine", opNoun(after[0]), fset.Position(after[0].Pos()).Line, opNoun(op))
			d.Related = append(d.Related, analysis.RelatedInformation{Pos: after[0].Pos(), Message: "this " + opNoun(after[0]) + " runs only after it"})
		}
		if op.Callee {
			// another package's function does it, by its summary
			d.Message = calleeSubject(op) + d.Message[strings.Index(d.Message, " blocks forever"):]
		}
		if p := o.OriginPos(); origin != "" && p.IsValid() {
			d.Related = append(d.Related, analysis.RelatedInformation{Pos: p, Message: origin})
		}
		for i, r := range dead {
			if i == 3 {
				break
			}
			d.Related = append(d.Related, analysis.RelatedInformation{Pos: r.Op.Pos(), Message: "this " + opNoun(r.Op) + " is " + r.Why})
		}
		c.report(d)
	}
}

// calleeSubject names, for an operation another package's function
// performs at a call, who performs it.
func calleeSubject(op *model.Op) string {
	name := "the function called here"
	if g := op.Instr.(ssa.CallInstruction).Common().StaticCallee(); g != nil {
		name = g.String()
		if obj := g.Object(); obj != nil && obj.Pkg() != nil {
			name = obj.Pkg().Name() + "." + obj.Name()
		}
	}
	verb := "sends on"
	if op.Kind == model.Recv {
		verb = "receives from"
	}
	if op.Async {
		return fmt.Sprintf("the goroutine %s starts, which %s the channel passed to it,", name, verb)
	}
	return fmt.Sprintf("%s, which %s the channel passed to it,", name, verb)
}

// opNoun names an operation in a message.
func opNoun(op *model.Op) string {
	switch op.Kind {
	case model.Send, model.SelectSend:
		return "send"
	case model.Recv, model.SelectRecv:
		return "receive"
	case model.Close:
		return "close"
	case model.CancelCall:
		return "cancel call"
	case model.Done:
		return "Done"
	}
	return "operation"
}

// catCounterpartGone: a send or receive whose every counterpart is a
// goroutine's loop that may already have returned on its stop signal.
const catCounterpartGone = "counterpart-gone"

// reportGone reports the plain sends and receives whose only counterparts
// are select cases in goroutines' loops that return on another case (a
// stop channel, a context), when nothing orders that stop after the
// operation: once the loop has returned, the operation blocks forever.
func (c *checker) reportGone(m *model.Model) {
	fset := c.Pass().Fset
	line := func(op *model.Op) int { return fset.Position(op.Pos()).Line }
	for _, o := range m.Objects {
		if o.Kind != model.Chan {
			continue
		}
		for _, op := range o.Ops {
			send := op.Kind == model.Send
			if !op.Live || op.Blocked || op.Summary || !send && op.Kind != model.Recv {
				continue
			}
			if send && o.Cap != 0 {
				continue // buffered: the buffer may take it
			}
			if m.MainOnly(op.Fn) || c.reported[flow.LineOf(fset, op.Pos())] {
				continue
			}
			if m.Locks(op.Fn) {
				continue // a state check under a lock may order it before the stop
			}
			if !m.Independent(op.Fn) {
				continue // run when an unseen caller of a func value decides: no order to reason about
			}
			sts := m.Stoppers(o, !send)
			if len(sts) == 0 || !allMayStopFirst(m, sts, op) {
				continue
			}
			if m.RefutedOp(op) {
				continue // every schedule of the only root that runs op saw it proceed
			}
			st := sts[0]
			name := c.ChanName(op.Pos())
			if name == "" {
				name = "the channel"
			}
			stop := c.ChanName(st.Case.Pos())
			if stop == "" {
				stop = "another channel"
			}
			loop := flow.FuncName(st.Serve.Fn)
			giveUp := "select on " + stop
			if len(st.Fires) == 0 && len(m.DoneOf(m.ObjectOf(st.Case))) == 0 {
				// a timer or a channel of unseen origin: the other side
				// cannot wait on it; a done channel the loop closes works
				giveUp = "select on a done channel that " + loop + " closes when it returns"
			}
			verb, served, fix := "send on", "receives from", giveUp+" in the sender too"
			if !send {
				verb, served, fix = "receive from", "sends on", "close "+name+" when that loop returns, or "+giveUp+" in the receiver too"
			}
			d := analysis.Diagnostic{
				Pos:      op.Pos(),
				Category: catCounterpartGone,
				Message: fmt.Sprintf("%s %s blocks forever once the loop in %s that %s it has returned on <-%s (line %d); %s",
					verb, name, loop, served, stop, line(st.Case), fix),
				Related: []analysis.RelatedInformation{
					{Pos: st.Serve.Pos(), Message: fmt.Sprintf("the only counterpart: %s %s %s in a loop", loop, served, name)},
					{Pos: st.Case.Pos(), Message: fmt.Sprintf("%s stops serving %s when this case proceeds", loop, name)},
					{Pos: st.Exit.Pos(), Message: loop + " returns here"},
				},
			}
			for _, f := range st.Fires {
				if m.MayFollow(f.Instr, op.Instr) { // the signal that may come first
					d.Related = append(d.Related, analysis.RelatedInformation{Pos: f.Pos(), Message: "the stop is signalled here, and nothing orders it after the " + opNoun(op)})
					break
				}
			}
			c.report(d)
		}
	}
}

// allMayStopFirst reports whether every stopper may fire before op runs:
// unseen code fires it, or one of its live signals is not ordered after
// op. A stopper in op's own function is the same goroutine: not a leak
// of this shape.
func allMayStopFirst(m *model.Model, sts []model.Stopper, op *model.Op) bool {
	for _, st := range sts {
		if st.Serve.Fn == op.Fn {
			return false
		}
		if st.External {
			continue
		}
		first := false
		for _, f := range st.Fires {
			if m.MayFollow(f.Instr, op.Instr) {
				first = true
				break
			}
		}
		if !first {
			return false
		}
	}
	return true
}

// catBufferFull: a send on a buffered channel nothing live receives from,
// run without bound: once the buffer is full it blocks forever.
const catBufferFull = "buffer-full"

// reportBufferFull reports the plain sends on buffered channels that do
// not escape the package and that no live code receives from, when the
// send may run more times than any buffer holds (in a loop, or in a
// function called repeatedly).
func (c *checker) reportBufferFull(m *model.Model) {
	fset := c.Pass().Fset
	for _, o := range m.Objects {
		if o.Kind != model.Chan || o.Cap == 0 || !m.NoReceiver(o) {
			continue
		}
		for _, op := range o.Ops {
			if op.Kind != model.Send || !op.Live || op.Blocked || op.Summary || m.MainOnly(op.Fn) || c.reported[flow.LineOf(fset, op.Pos())] {
				continue
			}
			n, unbounded := m.Runs(op)
			if !unbounded && (o.Cap < 0 || int64(n) <= o.Cap) {
				continue // a bounded number of sends may all fit
			}
			name := c.ChanName(op.Pos())
			if name == "" {
				name = "the channel"
			}
			d := analysis.Diagnostic{
				Pos:      op.Pos(),
				Category: catBufferFull,
				Message: fmt.Sprintf("send on %s blocks forever once its buffer is full: no live code receives from it, and this send runs %s; receive from %s, or drop the value when it is full (select with default)",
					name, runsText(n, unbounded, o.Cap), name),
			}
			if p := o.OriginPos(); p.IsValid() {
				d.Related = append(d.Related, analysis.RelatedInformation{Pos: p, Message: "the channel is made here"})
			}
			for i, r := range m.Dead(o, model.Recv, model.SelectRecv) {
				if i == 2 {
					break
				}
				d.Related = append(d.Related, analysis.RelatedInformation{Pos: r.Op.Pos(), Message: "this receive is " + r.Why})
			}
			c.report(d)
		}
	}
}

// runsText says how often a send runs against its buffer.
func runsText(n int, unbounded bool, capacity int64) string {
	if unbounded {
		return "without bound"
	}
	return fmt.Sprintf("%d times into a buffer of %d", n, capacity)
}
