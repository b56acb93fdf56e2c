package selectnil

import (
	_ "embed"
	"fmt"
	"go/token"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/leakvet/leakvet/internal/docutil"
	"github.com/leakvet/leakvet/internal/flow"
	"github.com/leakvet/leakvet/internal/model"
	"github.com/leakvet/leakvet/internal/suppress"
)

//go:embed doc.go
var doc string

// Analyzer reports selects that can never proceed or never exit.
var Analyzer = &analysis.Analyzer{
	Name:     "selectnil",
	Doc:      docutil.MustExtract(doc, "selectnil"),
	URL:      "https://pkg.go.dev/github.com/leakvet/leakvet/passes/selectnil",
	Requires: []*analysis.Analyzer{flow.Analyzer, model.Analyzer},
	Run:      run,
}

// Diagnostic categories, stable: they name SARIF rules and suppressions.
const (
	catNilSelect   = "nil-select"
	catNilCase     = "nil-case"
	catEmptySelect = "empty-select"
	catEndlessLoop = "endless-loop"
	catSelectBreak = "select-break"
)

// catStuck: a goroutine the bounded interleaving explorer found blocked
// for good on some schedule of a root's goroutines.
const catStuck = "blocked-on-schedule"

func init() { suppress.AddFlag(&Analyzer.Flags) }

func run(pass *analysis.Pass) (any, error) {
	defer suppress.Filter(pass, suppress.ReportUnused(pass))()
	// The explorer's stuck goroutines, where the pass's own rules found
	// nothing on that line (explore.go in internal/model).
	lines := model.NoteLines(pass)
	defer func() {
		model.ReportStuck(pass, pass.ResultOf[model.Analyzer].(*model.Model), catStuck, lines, model.StuckSelect)
	}()
	res := pass.ResultOf[flow.Analyzer].(*flow.Result)
	core := res.Core()
	if core == nil {
		return nil, nil // nothing to look at
	}
	c := &checker{Core: core, timerLoops: res.TimerLoops}
	reported := map[token.Position]bool{}
	report := func(d analysis.Diagnostic) {
		reported[flow.LineOf(pass.Fset, d.Pos)] = true
		pass.Report(d)
	}
	c.findSelects()
	for _, ns := range c.nilSelects() {
		if ns.All {
			report(analysis.Diagnostic{
				Pos:      ns.Select.Pos(),
				Category: catNilSelect,
				Message:  fmt.Sprintf("select blocks forever: every case is on a nil channel (%s never assigned a channel)", names(ns.Names)),
			})
			continue
		}
		for k, i := range ns.Cases {
			report(analysis.Diagnostic{
				Pos:      ns.Select.States[i].Pos,
				Category: catNilCase,
				Message:  fmt.Sprintf("case on nil channel %s can never proceed: %s is never assigned a channel; assign it or delete the case", ns.Names[k], ns.Names[k]),
			})
		}
	}
	for _, es := range c.emptySelects {
		report(analysis.Diagnostic{
			Pos:      es.Select.Pos(),
			Category: catEmptySelect,
			Message:  "empty select blocks this goroutine forever; return from the goroutine instead, or wait on ctx.Done()",
			Related:  []analysis.RelatedInformation{{Pos: es.Go.Pos(), Message: "the goroutine is started here"}},
		})
	}
	// The model's dead selects are not repeated inside a goroutine whose
	// loop is reported: one finding per bug, the loop is what to fix.
	loops := map[*ssa.Function]bool{}
	for _, l := range c.endless {
		loops[l.Fn] = true
		related := []analysis.RelatedInformation{{Pos: l.Go.Pos(), Message: "the goroutine is started here"}}
		if l.Break.IsValid() {
			report(analysis.Diagnostic{
				Pos:      l.Break,
				Category: catSelectBreak,
				Message:  "break leaves only the select, not the loop: this goroutine never exits; use return, or a labeled break on the for statement",
				Related:  append(related, analysis.RelatedInformation{Pos: l.For, Message: "the loop that never exits"}),
			})
			continue
		}
		exit := "case <-" + l.Ctx + ".Done(): return"
		if l.CtxIsChan {
			exit = "case <-" + l.Ctx + ": return"
		}
		msg := fmt.Sprintf("this goroutine's loop never exits: no case returns or breaks out of it, and %s is not used in it; add %s", l.Ctx, exit)
		if l.CtxUsed {
			msg = fmt.Sprintf("this goroutine's loop never exits: no case returns or breaks out of it, although %s is in scope; return from %s", l.Ctx, exit[:len(exit)-len(": return")])
		}
		report(analysis.Diagnostic{Pos: l.For, Category: catEndlessLoop, Message: msg, Related: related})
	}
	mod := pass.ResultOf[model.Analyzer].(*model.Model)
	c.reportModel(mod, reported, loops, report)
	c.reportDeadExits(mod, reported, loops, report)
	return nil, nil
}

// names lists channel names: "a is", "a and b are".
func names(ns []string) string {
	if len(ns) == 1 {
		return ns[0] + " is"
	}
	return strings.Join(ns[:len(ns)-1], ", ") + " and " + ns[len(ns)-1] + " are"
}
