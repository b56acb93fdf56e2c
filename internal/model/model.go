package model

import (
	"go/ast"
	"go/token"
	"go/types"
	"os"
	"reflect"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/callgraph/vta"
	"golang.org/x/tools/go/ssa"

	"github.com/leakvet/leakvet/internal/apis"
	"github.com/leakvet/leakvet/internal/flow"
)

// Analyzer builds the package's Model. It reports nothing.
var Analyzer = &analysis.Analyzer{
	Name:       "leakvetmodel",
	Doc:        "the package concurrency model leakvet's passes read (internal)",
	Requires:   []*analysis.Analyzer{flow.Analyzer, SummaryAnalyzer},
	Run:        run,
	ResultType: reflect.TypeFor[*Model](),
}

// Kind is the kind of an object.
type Kind uint8

const (
	Chan Kind = iota + 1
	WaitGroup
	Context
	Cancel
)

// OpKind is the kind of an operation.
type OpKind uint8

const (
	Send       OpKind = iota + 1 // ch <- v
	Recv                         // <-ch, v, ok := <-ch, range ch
	SelectSend                   // case ch <- v
	SelectRecv                   // case <-ch
	Close                        // close(ch)
	Add                          // wg.Add(n), n > 0 constant
	AddAny                       // wg.Add(n), n not a positive constant
	Done                         // wg.Done()
	Wait                         // wg.Wait()
	WGGo                         // wg.Go(f)
	CancelCall                   // cancel()
)

// Op is one operation on an object.
type Op struct {
	Kind  OpKind
	Instr ssa.Instruction
	Fn    *ssa.Function
	// Case is the select case of SelectSend and SelectRecv.
	Case int
	// Summary: another package's function performs it inside the call
	// Instr, by its exported Summary; a counterpart, never itself blocked.
	Summary bool
	// Callee: another package's function performs it inside the call
	// Instr on every path (by its Summary): it may block for good. Async:
	// a goroutine the call starts does, so the call itself returns.
	Callee, Async bool
	// Live: live code performs it (see the package doc).
	Live bool
	// Blocked: it can never proceed (Send, Recv, Wait; a select's cases
	// when the whole select is).
	Blocked bool
	node    *node
}

// Pos is the operation's position.
func (op *Op) Pos() token.Pos {
	if s, ok := op.Instr.(*ssa.Select); ok && op.Kind >= SelectSend && op.Kind <= SelectRecv {
		if p := s.States[op.Case].Pos; p.IsValid() {
			return p
		}
	}
	return op.Instr.Pos()
}

// Object is one channel, WaitGroup, context or cancel func.
type Object struct {
	Kind Kind
	// Origins are where it is made: *ssa.MakeChan, *ssa.Alloc of a
	// WaitGroup, the *ssa.Call of a context constructor, a nil constant,
	// the ctx.Done() call a channel comes from.
	Origins []ssa.Value
	// Fields are the struct fields of the package's types it is kept in.
	Fields []*types.Var
	Ops    []*Op
	// Escaped says why code the package does not see may reach it ("" if
	// none). ExtRecv and ExtSend: that code may receive from it, or send on
	// or close it (for a non-channel object both are set).
	Escaped          string
	ExtRecv, ExtSend bool
	// Unknown: values of unknown origin (parameters of entry points,
	// results of other packages' calls, loads from containers) are
	// unified with it: it may be some other object.
	Unknown bool
	// Cap is the channel's buffer capacity when every make of it has the
	// same constant one, -1 otherwise.
	Cap int64
	n   *node
}

// Model is the package's concurrency model.
type Model struct {
	Objects []*Object
	// OpsAt are the operations of each instruction.
	OpsAt map[ssa.Instruction][]*Op
	// Live are the functions live code reaches; NoReturn those of them
	// that never return.
	Live, NoReturn map[*ssa.Function]bool
	// BlockedBy is, for each instruction made dead by an operation that
	// can never proceed (or a call that never returns), that instruction.
	BlockedBy map[ssa.Instruction]ssa.Instruction
	Stats     Stats

	funcs    []*ssa.Function
	inPkg    map[*ssa.Function]bool
	callees  map[ssa.CallInstruction][]*ssa.Function
	pkg      *types.Package
	isMain   bool
	liveInst map[*ssa.BasicBlock]int // block -> index of its last live instruction
	budget   budget
	api      *apis.Table            // the known APIs, matched by object identity
	builder  *builder               // kept for the summaries (nil past the budget)
	recovers map[*ssa.Function]bool // functions a deferred call may return from after a panic
	roots    map[*ssa.Function]bool // the entry points, taken function values included
	seeds    map[*ssa.Function]bool // the entry points live from the start
	takenAt  map[ssa.Instruction][]*ssa.Function
	// callersOf is the reverse of callees. Like everything here it is
	// built before the passes run: they read the model concurrently.
	callersOf map[*ssa.Function][]ssa.CallInstruction
	locks     *locks // nil past the budget
	// The explorer's findings, budget and names (explore*.go).
	stuck      []*Stuck
	explored   map[*ssa.Function]*explored // roots explored completely
	xwhy       []string                    // the roots that stopped early, and why (for dumps)
	xlim       xbudget
	core       *flow.Core
	callSyntax map[token.Pos]*ast.CallExpr
}

// Stats counts the model's work and its budget-outs.
type Stats struct {
	Objects, Ops, Rounds int
	BudgetOut            bool
	// LockSearchesOut counts the searches from a Lock that passed their
	// budget of states: those locks are not reported.
	LockSearchesOut int
	// ExploreRoots, ExploreStates: the explorer's roots and the states it
	// visited. ExploreOut counts the roots that passed their budget
	// (what they found on the schedules run is kept), ExploreEscaped
	// those stopped because an object they made reached unseen code.
	ExploreRoots, ExploreStates, ExploreOut, ExploreEscaped int
}

// Budgets: past them the model is empty (silent).
type budget struct {
	nodes, rounds int
	lockStates    int // states of one search from a Lock
	explore       xbudget
}

var defaultBudget = budget{nodes: 200000, rounds: 12, lockStates: 4000, explore: defaultXBudget}

func run(pass *analysis.Pass) (any, error) { return runWith(pass, defaultBudget) }

func runWith(pass *analysis.Pass, lim budget) (any, error) {
	imported := pass.ResultOf[SummaryAnalyzer].(*Imported)
	core := pass.ResultOf[flow.Analyzer].(*flow.Result).Core()
	if core == nil {
		return &Model{OpsAt: map[ssa.Instruction][]*Op{}, pkg: pass.Pkg}, nil
	}
	m := build(pass, core.Funcs(), imported, lim)
	m.core, m.xlim = core, lim.explore
	m.indexCalls()
	if m.locks != nil {
		m.explore()
	}
	if os.Getenv("LEAKVET_EXPLORE_DUMP") != "" {
		m.dumpExplored(os.Stderr)
	}
	if os.Getenv("LEAKVET_MODEL_DUMP") != "" {
		m.Dump(os.Stderr)
	}
	return m, nil
}

// build builds and solves the model of the package's functions funcs,
// seeing other packages' functions through their imported summaries.
func build(pass *analysis.Pass, funcs []*ssa.Function, imported *Imported, lim budget) *Model {
	m := &Model{OpsAt: map[ssa.Instruction][]*Op{}, pkg: pass.Pkg, budget: lim, api: apis.New(pass.Pkg)}
	if len(funcs) == 0 {
		return m
	}
	m.isMain = pass.Pkg.Name() == "main"
	m.funcs = funcs
	// The package initialiser runs the package-level var initialisers:
	// the closures they take are entry points, the globals they set are
	// operations like any other.
	if init := m.funcs[0].Pkg.Func("init"); init != nil && !slices.Contains(m.funcs, init) {
		m.funcs = append(slices.Clip(m.funcs), init)
	}
	m.inPkg = make(map[*ssa.Function]bool, len(m.funcs))
	for _, fn := range m.funcs {
		if fn.Blocks != nil {
			m.inPkg[fn] = true
		}
	}
	m.buildCallees()
	m.buildCallers()
	b := newBuilder(m)
	b.imported = imported
	if !b.build() {
		m.Stats.BudgetOut = true
		m.Objects, m.OpsAt = nil, map[ssa.Instruction][]*Op{}
		return m
	}
	m.solve()
	m.buildLocks()
	m.builder = b
	return m
}

// buildCallees resolves the package's call sites: static callees from
// SSA, dynamic ones (interface methods, func values) with x/tools' VTA
// call graph over the package's functions. VTA refines CHA by the types
// that flow to each site; CHA alone calls every address-taken func() of
// the package from every func() value (a cancel func included), which
// would join unrelated goroutines. A dynamic site VTA resolves to no
// package function is a call of unseen code.
func (m *Model) buildCallees() {
	m.callees = map[ssa.CallInstruction][]*ssa.Function{}
	dynamic := false
	for _, fn := range m.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				site, ok := instr.(ssa.CallInstruction)
				if !ok {
					continue
				}
				if g := site.Common().StaticCallee(); g != nil {
					m.callees[site] = []*ssa.Function{origin(g)}
				} else if _, builtin := site.Common().Value.(*ssa.Builtin); !builtin {
					dynamic = true
				}
			}
		}
	}
	if !dynamic {
		return // no dynamic call: CHA has nothing to add
	}
	set := make(map[*ssa.Function]bool, len(m.funcs))
	for _, fn := range m.funcs {
		set[fn] = true
	}
	cg := vta.CallGraph(set, nil)
	for _, fn := range m.funcs {
		n := cg.Nodes[fn]
		if n == nil {
			continue
		}
		for _, e := range n.Out {
			if e.Site.Common().StaticCallee() == nil {
				m.callees[e.Site] = append(m.callees[e.Site], origin(e.Callee.Func))
			}
		}
	}
}

// origin is the generic function an instantiation is of: the package's
// SSA holds generic bodies, not instances, so a call of f[int] runs f.
func origin(fn *ssa.Function) *ssa.Function {
	if o := fn.Origin(); o != nil {
		return o
	}
	return fn
}

// Blocked reports the live operations that can never proceed, in
// instruction order per function.
func (m *Model) Blocked() []*Op {
	var out []*Op
	for _, fn := range m.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				for _, op := range m.OpsAt[instr] {
					if op.Live && op.Blocked {
						out = append(out, op)
					}
				}
			}
		}
	}
	return out
}

// ObjectOf is the object an operation is on.
func (m *Model) ObjectOf(op *Op) *Object { return op.node.find().obj }

// IsMain reports whether the package is a main package.
func (m *Model) IsMain() bool { return m.isMain }
