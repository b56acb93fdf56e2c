package chanblock

import (
	"fmt"

	"golang.org/x/tools/go/analysis"

	"github.com/leakvet/leakvet/internal/flow"
	"github.com/leakvet/leakvet/internal/model"
)

// catNoCounterpart: a send or receive that no live code of the package
// can ever match (see doc.go).
const catNoCounterpart = "no-counterpart"

// report reports d and records its line, so that the model's findings
// do not repeat a finding an owner-local rule made with more context.
func (c *checker) report(d analysis.Diagnostic) {
	c.reported[c.pass.Fset.Position(d.Pos).Line] = true
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
		if flow.IsMainLike(op.Fn) || c.reported[fset.Position(op.Pos()).Line] {
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
			var cancels []*model.Object
			for _, ctx := range ctxs {
				cancels = append(cancels, m.Cancels(ctx)...)
			}
			for _, cf := range cancels {
				dead = append(dead, m.Dead(cf, model.CancelCall)...)
			}
			d.Message = fmt.Sprintf("receive from %s blocks forever: no live code cancels the context", name)
			if len(cancels) == 0 {
				d.Message += " (its cancel func is discarded)"
			}
			for _, ctx := range ctxs {
				if p := ctx.OriginPos(); p.IsValid() {
					d.Related = append(d.Related, analysis.RelatedInformation{Pos: p, Message: "the context is made here"})
				}
			}
		} else if op.Kind == model.Recv {
			dead = m.Dead(o, model.Send, model.SelectSend, model.Close)
			d.Message = fmt.Sprintf("receive from %s blocks forever: no live code sends on or closes it", name)
			origin = "the channel is made here"
		} else {
			dead = m.Dead(o, model.Recv, model.SelectRecv)
			d.Message = fmt.Sprintf("send on %s blocks forever: it is unbuffered and no live code receives from it", name)
			origin = "the channel is made here"
		}
		if len(dead) > 0 {
			d.Message += fmt.Sprintf("; the %s at line %d is %s", opNoun(dead[0].Op), fset.Position(dead[0].Op.Pos()).Line, dead[0].Why)
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
