package model

import (
	"fmt"
	"go/token"
	"strconv"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/leakvet/leakvet/internal/flow"
	"github.com/leakvet/leakvet/internal/witness"
)

// Noted is the lines a pass reported at.
type Noted struct {
	lines map[token.Position]bool
	raw   func(analysis.Diagnostic) // the pass's report, not noting
}

// NoteLines wraps pass.Report so that the lines the pass reports at are
// noted: ReportStuck leaves those lines to the pass's own, more
// specific, findings.
func NoteLines(pass *analysis.Pass) *Noted {
	n := &Noted{lines: map[token.Position]bool{}}
	report := pass.Report
	n.raw = report
	pass.Report = func(d analysis.Diagnostic) {
		n.lines[flow.LineOf(pass.Fset, d.Pos)] = true
		report(d)
	}
	return n
}

// ReportStuck reports, with category cat, the goroutines the explorer
// found stuck for good on one of kinds, each at its blocking
// instruction with the schedule that gets there as its related
// positions. A line where the pass reported already is left to the
// pass's own, more specific, finding; every other stuck goroutine is
// reported where it blocks, even when another finding names that line
// (the other side of a lock-order inversion, the Wait a blocked sender
// holds up): each is a goroutine that leaks there, and verify and code
// scanning match leaks by where they block.
func ReportStuck(pass *analysis.Pass, m *Model, cat string, done *Noted, kinds ...StuckKind) {
	for _, st := range m.stuck {
		if !containsKind(kinds, st.Kind) {
			continue
		}
		line := flow.LineOf(pass.Fset, st.Instr.Pos())
		if done.lines[line] {
			continue
		}
		done.lines[line] = true
		done.raw(analysis.Diagnostic{Pos: st.Instr.Pos(), Category: cat, Message: st.message(pass.Fset), Related: st.related()})
	}
}

func containsKind(ks []StuckKind, k StuckKind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

// maxSteps bounds the schedule a finding carries: its last steps.
const maxSteps = 16

func (st *Stuck) related() []analysis.RelatedInformation {
	steps := st.Steps
	first := 1
	if len(steps) > maxSteps {
		first = len(steps) - maxSteps + 1
		steps = steps[len(steps)-maxSteps:]
	}
	out := make([]analysis.RelatedInformation, len(steps))
	for i, s := range steps {
		out[i] = analysis.RelatedInformation{Pos: s.Instr.Pos(), Message: witness.Step(first+i, s.Goroutine, s.What)}
	}
	return out
}

func (st *Stuck) message(fset *token.FileSet) string {
	who := st.Root.Name()
	if st.Go != nil {
		who = "this goroutine (" + st.Goroutine + ", started at line " + strconv.Itoa(fset.Position(st.Go.Pos()).Line) + ")"
	}
	var why string
	switch st.Kind {
	case StuckSend:
		why = "no goroutine that can still run can reach " + st.Name + " to receive from it"
	case StuckRecv:
		why = "no goroutine that can still run can reach " + st.Name + " to send on or close it"
	case StuckSelect:
		why = "no goroutine that can still run can reach any of its channels"
	case StuckLock:
		switch {
		case st.Holder == "itself" && st.Read:
			why = "it read-locks " + st.Name + " already, and a writer waiting for " + st.Name + " keeps new readers out"
		case st.Holder == "itself":
			why = "it holds " + st.Name + " already"
		case st.Holder != "" && st.HolderAt != nil && st.HolderDone:
			why = fmt.Sprintf("%s holds %s and returned at line %d without unlocking it", st.Holder, st.Name, fset.Position(returnPos(st.HolderAt)).Line)
		case st.Holder != "" && st.HolderAt != nil:
			why = fmt.Sprintf("%s holds %s and is blocked itself at line %d", st.Holder, st.Name, fset.Position(st.HolderAt.Pos()).Line)
		default:
			why = "nothing that can still run unlocks " + st.Name
		}
	case StuckWait:
		why = "no goroutine that can still run calls " + st.Name + ".Done"
	case StuckCond:
		why = "no goroutine that can still run signals " + st.Name
	}
	return fmt.Sprintf("%s blocks here forever on a schedule of %s (below): %s", who, st.Root.Name(), why)
}

// returnPos is where the return in is: for the implicit return at the
// end of a function, its closing brace.
func returnPos(in ssa.Instruction) token.Pos {
	if p := in.Pos(); p.IsValid() {
		return p
	}
	if syn := in.Parent().Syntax(); syn != nil {
		return syn.End() - 1
	}
	return token.NoPos
}
