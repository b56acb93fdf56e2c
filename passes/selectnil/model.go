package selectnil

import (
	"fmt"
	"go/token"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/leakvet/leakvet/internal/flow"
	"github.com/leakvet/leakvet/internal/model"
)

// catDeadSelect: a select none of whose cases live code can ever match.
const catDeadSelect = "dead-select"

// reportModel reports the selects without default that the package model
// proves can never proceed: every case is on a channel that does not
// escape the package and that no live code sends on, closes or receives
// from, as the case needs.
func (c *checker) reportModel(m *model.Model, reported map[token.Position]bool, loops map[*ssa.Function]bool, report func(analysis.Diagnostic)) {
	fset := c.Pass().Fset
	var last *ssa.Select
	for _, op := range m.Blocked() {
		sel, ok := op.Instr.(*ssa.Select)
		if !ok || sel == last {
			continue
		}
		last = sel
		if flow.IsMainLike(op.Fn) || loops[op.Fn] || reported[flow.LineOf(fset, sel.Pos())] {
			continue
		}
		var why []string
		var related []analysis.RelatedInformation
		for _, cop := range m.OpsAt[sel] {
			o := m.ObjectOf(cop)
			name := c.ChanName(cop.Pos())
			if name == "" {
				name = "its channel"
			}
			var dead []model.Reason
			switch {
			case len(m.DoneOf(o)) > 0:
				why = append(why, "no live code cancels the context of "+name)
				for _, ctx := range m.DoneOf(o) {
					for _, cf := range m.Cancels(ctx) {
						dead = append(dead, m.Dead(cf, model.CancelCall)...)
					}
				}
			case cop.Kind == model.SelectRecv:
				why = append(why, "nothing live sends on or closes "+name)
				dead = m.Dead(o, model.Send, model.SelectSend, model.Close)
			default:
				why = append(why, "nothing live receives from "+name)
				dead = m.Dead(o, model.Recv, model.SelectRecv)
			}
			for i, r := range dead {
				if i == 2 {
					break
				}
				related = append(related, analysis.RelatedInformation{Pos: r.Op.Pos(), Message: fmt.Sprintf("the counterpart of %s here is %s", name, r.Why)})
			}
		}
		report(analysis.Diagnostic{
			Pos:      sel.Pos(),
			Category: catDeadSelect,
			Message:  "select blocks forever: no case can ever proceed (" + strings.Join(why, "; ") + ")",
			Related:  related,
		})
	}
}
