package chanblock

import (
	_ "embed"
	"fmt"
	"go/ast"
	"go/token"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/ssa"

	"github.com/leakvet/leakvet/internal/docutil"
	"github.com/leakvet/leakvet/internal/flow"
	"github.com/leakvet/leakvet/internal/model"
	"github.com/leakvet/leakvet/internal/suppress"
)

//go:embed doc.go
var doc string

// Analyzer reports goroutines that block forever on a channel.
var Analyzer = &analysis.Analyzer{
	Name:     "chanblock",
	Doc:      docutil.MustExtract(doc, "chanblock"),
	URL:      "https://pkg.go.dev/github.com/leakvet/leakvet/passes/chanblock",
	Requires: []*analysis.Analyzer{flow.Analyzer, model.Analyzer, inspect.Analyzer},
	Run:      run,
}

// Diagnostic categories, stable: they name SARIF rules and suppressions.
const (
	catBlockedSend = "blocked-send"
	catBlockedRecv = "blocked-recv"
	catNilChan     = "nil-chan"
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
		model.ReportStuck(pass, pass.ResultOf[model.Analyzer].(*model.Model), catStuck, lines, model.StuckSend, model.StuckRecv)
	}()
	core := pass.ResultOf[flow.Analyzer].(*flow.Result).Core()
	if core == nil {
		return nil, nil // nothing to look at
	}
	c := &checker{Core: core, ctors: map[*ssa.Function]*chanCtor{}, reported: map[token.Position]bool{}, pass: pass}
	c.findChanBlocks()
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	line := func(pos token.Pos) int { return pass.Fset.Position(pos).Line }
	m := pass.ResultOf[model.Analyzer].(*model.Model)
	for _, cb := range c.blocks {
		if cb.Ctor == nil && m.Refuted(cb.Owner, cb.Op) {
			// The explorer ran every schedule of the owner and the
			// goroutine never stays blocked there.
			continue
		}
		owner := flow.FuncName(cb.Owner)
		d := analysis.Diagnostic{Pos: cb.Op}
		related := []analysis.RelatedInformation{{Pos: cb.Go.Pos(), Message: "the goroutine is started here"}}
		when := fmt.Sprintf("%s returns at line %d", owner, line(cb.Leak.Pos))
		if cb.Leak.Kind == flow.LeakLoop {
			when = fmt.Sprintf("the loop at line %d makes a new channel", line(cb.Leak.Pos))
		}
		switch cb.Kind {
		case blockedSend:
			d.Category = catBlockedSend
			fix := "select on ctx.Done() (or a done channel) in the sender so it can give up"
			if cb.FixCap != "" {
				fix = fmt.Sprintf("make %s buffered (capacity %s) or %s", cb.Name, cb.FixCap, fix)
			}
			switch {
			case cb.Ctor != nil:
				ctor := flow.FuncName(cb.Ctor)
				if cb.Many {
					d.Message = fmt.Sprintf("the goroutine %s starts blocks forever sending on the channel it returns when %s before receiving every value; drain the channel, or give %s a context or done channel that stops the goroutine",
						ctor, when, ctor)
				} else {
					d.Message = fmt.Sprintf("the goroutine %s starts blocks forever sending on the channel it returns when %s without receiving from it; receive from it on every path, or make the channel buffered (capacity 1) in %s",
						ctor, when, ctor)
				}
				related = append([]analysis.RelatedInformation{{Pos: cb.Send, Message: "the goroutine blocks sending here"}}, related...)
			case cb.Many && cb.GoInLoop:
				d.Message = fmt.Sprintf("this goroutine blocks forever sending on %s when %s before receiving from every goroutine started in the loop; %s", cb.Name, when, fix)
			case cb.Many:
				d.Message = fmt.Sprintf("this goroutine blocks forever sending on %s when %s before receiving every value sent; %s", cb.Name, when, fix)
			default:
				d.Message = fmt.Sprintf("this goroutine blocks forever sending on %s when %s without receiving from it; %s", cb.Name, when, fix)
			}
			what := "receiving from " + cb.Name
			if cb.Ctor != nil {
				what = "receiving from the channel"
			}
			related = append(related, analysis.RelatedInformation{Pos: cb.Leak.Pos, Message: abandons(cb, owner, what)})
			if cb.FixCap != "" {
				if call := makeCall(in, cb.Make.Pos()); call != nil && len(call.Args) == 1 {
					d.SuggestedFixes = []analysis.SuggestedFix{{
						Message:   fmt.Sprintf("Make %s buffered with capacity %s", cb.Name, cb.FixCap),
						TextEdits: []analysis.TextEdit{{Pos: call.Args[0].End(), End: call.Args[0].End(), NewText: []byte(", " + cb.FixCap)}},
					}}
				}
			}
		case blockedRecv:
			d.Category = catBlockedRecv
			what, missing := "receiving from", "sending to or closing it"
			if cb.Many {
				missing = "closing it"
			}
			if cb.Range {
				what = "ranging over"
				missing = "closing it"
			}
			// keep "receiving from" in every form: one phrase to grep for
			d.Message = fmt.Sprintf("this goroutine blocks forever receiving from %s when %s without %s; close %s on every path (defer close(%s)) or select on ctx.Done() in the receiver",
				cb.Name, when, missing, cb.Name, cb.Name)
			if cb.Range {
				d.Message = fmt.Sprintf("this goroutine blocks forever receiving from %s (%s it) when %s without %s; close %s on every path (defer close(%s))",
					cb.Name, what, when, missing, cb.Name, cb.Name)
			}
			related = append(related, analysis.RelatedInformation{Pos: cb.Leak.Pos, Message: abandons(cb, owner, missing)})
		}
		d.Related = related
		c.report(d)
	}
	for _, op := range c.nilChanOps() {
		verb := "receive from"
		if op.Send {
			verb = "send on"
		}
		c.report(analysis.Diagnostic{
			Pos:      op.Pos,
			Category: catNilChan,
			Message:  fmt.Sprintf("%s nil channel %s blocks forever: %s is never assigned a channel; create it with make", verb, op.Name, op.Name),
		})
	}
	mod := pass.ResultOf[model.Analyzer].(*model.Model)
	c.reportModel(mod)
	c.reportGone(mod)
	c.reportBufferFull(mod)
	return nil, nil
}

// abandons is the related message at the path's end.
func abandons(cb *block, owner, without string) string {
	if cb.Leak.Kind == flow.LeakLoop {
		return "the next iteration starts here without " + without
	}
	return owner + " returns here without " + without
}

// makeCall returns the make call whose Lparen is at pos.
func makeCall(in *inspector.Inspector, pos token.Pos) *ast.CallExpr {
	cur, ok := in.Root().FindByPos(pos, pos)
	if !ok {
		return nil
	}
	for c := range cur.Enclosing((*ast.CallExpr)(nil)) {
		if call := c.Node().(*ast.CallExpr); call.Lparen == pos {
			return call
		}
	}
	return nil
}
