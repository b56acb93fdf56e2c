// Package flow is leakvet's shared dataflow core: one analyzer, consumed by
// every pass through Requires, that holds the machinery the passes' rules
// are written over. It holds no rule of its own but the generic one every
// acquire site gets: the obligation walk with the site's release.
//
//   - The prefilter and the one scan (scan.go): acquire sites, go
//     statements, WaitGroup calls, receives on timer channels, make(chan)s,
//     channel sends, receives and selects, calls of channel-returning
//     functions.
//   - Holder graphs (holders.go): every SSA value that may carry a
//     resource and what each instruction does to it (discharge, transfer,
//     store, load).
//   - The obligation walk (walk.go): from an instruction, a path to an
//     exit that meets no discharge and no transfer, with branch facts, a
//     count of pending values and a budget.
//   - Summaries (summary.go): what a function does with a parameter or
//     free variable, and which functions return a fresh resource.
//   - The channel index (chans.go): what a function and the helpers and
//     goroutines it hands a channel to do with it; the field access index
//     (fields.go); loops (loops.go) and syntax (syntax.go, selects.go).
//   - Queries two passes share (timers.go): goroutines looping forever on
//     a timer channel, reported by timerstop, or by selectnil when their
//     select breaks.
//
// The rules live in the passes: chanblock's channel obligations,
// wgbalance's WaitGroup counts, timerstop's drains, selectnil's selects.
// They reach the machinery through Result.Core. The Result is read-only
// once run returns (passes run concurrently); each Core has memo tables
// of its own.
package flow

import (
	"go/ast"
	"go/token"
	"go/types"
	"reflect"
	"slices"
	"sync/atomic"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/ssa"

	"github.com/leakvet/leakvet/internal/apis"
)

// Analyzer computes the Result for a package. It builds SSA only for
// packages that pass the prefilter: it requires ctrlflow (which buildssa
// needs) and runs buildssa's own Run itself when there is something to
// look at, so packages with no acquire API pay for no SSA at all.
var Analyzer = &analysis.Analyzer{
	Name:       "leakvetflow",
	Doc:        "shared SSA obligation analysis for the leakvet passes",
	URL:        "https://pkg.go.dev/github.com/leakvet/leakvet/internal/flow",
	Run:        run,
	Requires:   []*analysis.Analyzer{ctrlflow.Analyzer, inspect.Analyzer},
	ResultType: reflect.TypeFor[*Result](),
}

// Result is what the core knows about one package.
type Result struct {
	// Sites are the acquire sites of the package in source order. Empty
	// when the prefilter found nothing to look at.
	Sites []*Site
	// Unused are resources stored into a field that nothing in the
	// package reads.
	Unused []*UnusedField
	// TimerLoops are goroutines looping forever on a timer channel.
	TimerLoops []*TimerLoop
	// Stats counts what the core did, for benchmarks and debugging: the
	// flow analyzer's run and every pass's queries.
	Stats Stats

	core *Core // nil when skipped
}

// Core returns the package's machinery for one pass (see Core), or nil
// when the prefilter skipped the package: it has nothing to look at.
func (r *Result) Core() *Core {
	if r.core == nil {
		return nil
	}
	return r.core.session()
}

// Stats are debug counters: how much work was done and how often the
// analysis gave up. They are never output by a pass.
// The scan's counts are set before any pass runs; the walks' are added to
// by every pass's queries, concurrently.
type Stats struct {
	Skipped     bool // prefilter: no SSA built
	Funcs       int  // SSA functions scanned
	Sites       int
	Walks       atomic.Int64 // obligation walks run (sites, summaries, passes' queries)
	States      atomic.Int64 // CFG states visited across all walks
	BudgetOut   atomic.Int64 // walks abandoned past the budget (silent)
	Unsupported atomic.Int64 // sites whose holders the core cannot model (silent)
}

// Site is one acquire of a resource.
type Site struct {
	Fn   *ssa.Function
	Call *ssa.Call
	Acq  *apis.Acquire
	// Value is the SSA value carrying the resource, nil when discarded.
	Value ssa.Value
	// Discarded: the result that carries the obligation is dropped at the
	// call (assigned to _ or the call is a statement).
	Discarded bool
	// Syntax of the call, when it is the right-hand side of an assignment,
	// a var declaration or an expression statement. Lhs is the expression
	// the resource is assigned to (nil if none); Var its variable.
	CallExpr *ast.CallExpr
	Stmt     ast.Stmt
	Lhs      ast.Expr
	Var      *types.Var
	// FnReturns: the function can return (a timer channel's range is
	// taken never to end).
	FnReturns bool
	// InLoop: the call is inside a loop of its function (or in the body of
	// a range-over-func loop).
	InLoop bool
	// Leak is the evidence of a path that loses the resource, nil if none
	// was found (or the analysis could not tell).
	Leak *Leak
	// Transfers: some path gives the resource away (returns it, stores
	// it, passes it to code that keeps it).
	Transfers bool
	// DeferInLoop is a `defer` releasing the resource that runs only when
	// the function returns although the acquire is repeated by a loop.
	DeferInLoop *ssa.Defer
	// ContextOnlyPassed: every other result of the call (the context) is
	// only passed as an argument to calls: it is not returned, stored, sent
	// or captured. Passes use it to decide whether `defer cancel()` is a
	// safe fix.
	ContextOnlyPassed bool
}

// VarName is the name of the variable holding the resource, or "".
func (s *Site) VarName() string {
	if s.Var == nil {
		return ""
	}
	return s.Var.Name()
}

// Range is where a finding about the site is reported: the variable it is
// assigned to, else the call. A call nested in an expression
// (f(context.WithCancel(ctx))) has no statement of its own: its SSA
// position still names the call.
func (s *Site) Range() (pos, end token.Pos) {
	switch {
	case s.Lhs != nil:
		return s.Lhs.Pos(), s.Lhs.End()
	case s.CallExpr != nil:
		return s.CallExpr.Pos(), s.CallExpr.End()
	}
	return s.Call.Pos(), token.NoPos
}

// LeakKind says how a path loses a resource.
type LeakKind uint8

const (
	// LeakReturn: the path returns without releasing it.
	LeakReturn LeakKind = iota + 1
	// LeakLoop: the path reaches the next iteration of the enclosing loop
	// (which acquires again) without releasing it.
	LeakLoop
	// LeakOverwrite: the variable holding it is assigned a new resource
	// before it is released, and nothing else releases the old one.
	LeakOverwrite
)

// Leak is the evidence for a lost resource: the first such path's end.
type Leak struct {
	Kind LeakKind
	// Pos is the return statement (LeakReturn; the closing brace for an
	// implicit return), the loop keyword (LeakLoop) or the reassigning
	// call (LeakOverwrite).
	Pos token.Pos
}

// UnusedField is a resource stored into an unexported field of a type of
// the package that no code of the package ever reads.
type UnusedField struct {
	Site  *Site
	Store *ssa.Store
	Field *types.Var
	Type  *types.TypeName
	// Pos is where the store happens in the source (the assignment's or
	// composite literal key's position).
	Pos token.Pos
}

func run(pass *analysis.Pass) (any, error) {
	res := &Result{}
	table := apis.New(pass.Pkg)
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	if (table.Empty() || !usesTracked(pass, table)) && !usesChannels(in) {
		// Prefilter: nothing in the package can create a resource, start
		// a goroutine or declare a channel.
		res.Stats.Skipped = true
		return res, nil
	}
	ssaRes, err := buildssa.Analyzer.Run(pass)
	if err != nil {
		return nil, err
	}
	srcFuncs := ssaRes.(*buildssa.SSA).SrcFuncs
	// buildssa lists functions of declarations; function literals in
	// package-level variable initialisers belong to the package
	// initialiser: add them.
	if init := ssaRes.(*buildssa.SSA).Pkg.Func("init"); init != nil {
		var addAnons func(fn *ssa.Function)
		addAnons = func(fn *ssa.Function) {
			for _, anon := range fn.AnonFuncs {
				srcFuncs = append(srcFuncs, anon)
				addAnons(anon)
			}
		}
		srcFuncs = slices.Clone(srcFuncs)
		addAnons(init)
	}
	c := &Core{
		pass:      pass,
		table:     table,
		res:       res,
		stats:     &res.Stats,
		inspect:   in,
		syntax:    indexCalls(in),
		summaries: map[summaryKey]*summary{},
		fresh:     map[*ssa.Function]*freshResult{},
		chanMemo:  map[chanKey]*ChanOps{},
		funcs:     srcFuncs,
	}
	c.findSites()
	for _, s := range res.Sites {
		c.analyzeSite(s)
	}
	c.findUnusedFields()
	c.findTimerLoops()
	res.core = c
	return res, nil
}

// usesChannels reports whether the package has a go statement, a select
// or a channel type: only then can a goroutine block on a channel.
func usesChannels(in *inspector.Inspector) bool {
	for range in.Root().Preorder((*ast.GoStmt)(nil), (*ast.SelectStmt)(nil), (*ast.ChanType)(nil)) {
		return true
	}
	return false
}

// usesTracked reports whether any object the package uses is an acquire
// API or yields a cancel func. It costs one pass over TypesInfo.Uses and
// spares the SSA build for most packages of a program.
func usesTracked(pass *analysis.Pass, table *apis.Table) bool {
	for _, obj := range pass.TypesInfo.Uses {
		if table.Tracked(obj) {
			return true
		}
	}
	return false
}
