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
		if m.MainOnly(op.Fn) || loops[op.Fn] || reported[flow.LineOf(fset, sel.Pos())] {
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
				dead = m.DeadSignals(o)
			case cop.Kind == model.SelectRecv:
				why = append(why, "nothing live sends on or closes "+name)
				dead = m.DeadSignals(o)
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

// catDeadExit: a goroutine's loop whose every way out waits on a signal
// no live code gives.
const catDeadExit = "dead-exit"

// reportDeadExits reports the goroutine loops that can leave only through
// select cases no live code can make proceed: a done channel nothing live
// closes, a context nothing live cancels. The goroutine never exits.
func (c *checker) reportDeadExits(m *model.Model, reported map[token.Position]bool, loops map[*ssa.Function]bool, report func(analysis.Diagnostic)) {
	fset := c.Pass().Fset
	var last *ssa.Select
	for _, fn := range c.Funcs() {
		if loops[fn] || m.MainOnly(fn) {
			continue
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				sel, ok := instr.(*ssa.Select)
				if !ok || sel == last || !m.IsLive(sel) || reported[flow.LineOf(fset, sel.Pos())] {
					continue
				}
				last = sel
				exits, ok := m.LoopExits(sel)
				if !ok || len(exits) == 0 {
					continue
				}
				never := true
				for _, e := range exits {
					if e.External || len(e.Fires) > 0 {
						never = false
						break
					}
				}
				if !never {
					continue
				}
				var names []string
				var related []analysis.RelatedInformation
				var first *model.Reason
				for _, e := range exits {
					name := c.ChanName(e.Case.Pos())
					if name == "" {
						name = "its channel"
					}
					names = append(names, "<-"+name)
					related = append(related, analysis.RelatedInformation{Pos: e.Case.Pos(), Message: "the loop leaves only when this case proceeds, and nothing live makes it"})
					for i, r := range m.DeadSignals(m.ObjectOf(e.Case)) {
						if i == 2 {
							break
						}
						if first == nil {
							first = &r
						}
						related = append(related, analysis.RelatedInformation{Pos: r.Op.Pos(), Message: fmt.Sprintf("the %s of %s here is %s", signalNoun(r.Op), name, r.Why)})
					}
				}
				msg := fmt.Sprintf("this goroutine never exits: its loop leaves only on %s, which no live code closes, sends on or cancels", strings.Join(names, " or "))
				if first != nil {
					msg += fmt.Sprintf("; the %s at line %d is %s", signalNoun(first.Op), fset.Position(first.Op.Pos()).Line, first.Why)
				}
				reported[flow.LineOf(fset, sel.Pos())] = true
				report(analysis.Diagnostic{Pos: sel.Pos(), Category: catDeadExit, Message: msg, Related: related})
			}
		}
	}
}

// signalNoun names a signalling operation in a message.
func signalNoun(op *model.Op) string {
	switch op.Kind {
	case model.Close:
		return "close"
	case model.CancelCall:
		return "cancel call"
	}
	return "send"
}
