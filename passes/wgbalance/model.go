package wgbalance

import (
	"fmt"
	"go/token"

	"golang.org/x/tools/go/analysis"

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
		if op.Kind != model.Wait || flow.IsMainLike(op.Fn) || lines[flow.LineOf(fset, op.Pos())] {
			continue
		}
		o := m.ObjectOf(op)
		var add *model.Op
		for _, a := range o.Ops {
			if a.Kind == model.Add && a.Live {
				add = a
				break
			}
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
}
