package model

import (
	"fmt"
	"go/types"
	"reflect"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/buildssa"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
	"golang.org/x/tools/go/ssa"

	"github.com/leakvet/leakvet/internal/flow"
)

// A Summary is what an exported function or method does with its
// channel and *sync.WaitGroup parameters, exported as an analysis fact so
// that the packages calling it see it (under vet, golangci-lint, gopls and
// nogo alike). Only parameters it does not keep or hand to code it does
// not see are listed: for them, Ops is every operation the code it reaches
// (the goroutines it starts included) may perform on the argument, and
// nothing else happens to it. A caller then counts those operations as
// counterparts instead of taking the argument for lost. Deterministic
// (parameters in order) and small (a byte or two per parameter, at most
// maxFactParams of them).
type Summary struct {
	Params []ParamSummary
}

// ParamSummary is one parameter of a Summary.
type ParamSummary struct {
	Index uint8 // in the SSA parameters: the receiver first for methods
	Ops   OpSet
	// Must are the plain sends, receives and Waits the function performs
	// on every path before it returns; Spawns, those a goroutine it
	// starts on every path performs on every path of its own.
	Must, Spawns OpSet
}

// OpSet is a set of OpKinds.
type OpSet uint16

// Has reports whether k is in s.
func (s OpSet) Has(k OpKind) bool { return s&(1<<k) != 0 }

// AFact marks Summary as an analysis fact.
func (*Summary) AFact() {}

func (s *Summary) String() string {
	var parts []string
	for _, p := range s.Params {
		var ops []string
		for k := Send; k <= CancelCall; k++ {
			switch {
			case p.Must.Has(k):
				ops = append(ops, opNames[k]+"!")
			case p.Spawns.Has(k):
				ops = append(ops, "go "+opNames[k]+"!")
			case p.Ops.Has(k):
				ops = append(ops, opNames[k])
			}
		}
		parts = append(parts, fmt.Sprintf("%d:{%s}", p.Index, strings.Join(ops, ",")))
	}
	return "summary(" + strings.Join(parts, " ") + ")"
}

var opNames = map[OpKind]string{
	Send: "send", Recv: "recv", SelectSend: "selectsend", SelectRecv: "selectrecv", Close: "close",
	Add: "add", AddAny: "addany", Done: "done", Wait: "wait", WGGo: "go", CancelCall: "cancel",
}

// maxFactParams bounds a Summary: functions with more summarised
// parameters export none.
const maxFactParams = 16

// exportSummaries exports a Summary for every exported function and
// method of the package with a channel or *sync.WaitGroup parameter that
// stays in the package.
func (m *Model) exportSummaries(pass *analysis.Pass, b *builder) {
	for _, fn := range m.funcs {
		obj, _ := fn.Object().(*types.Func)
		if obj == nil || !obj.Exported() || fn.Parent() != nil || fn.TypeParams() != nil || fn.Blocks == nil {
			continue
		}
		if recv := fn.Signature.Recv(); recv != nil && !isExportedRecv(recv.Type()) {
			continue // a method of an unexported type: other packages call it through interfaces only
		}
		var s Summary
		var reach map[*ssa.Function]bool
		for i, p := range fn.Params {
			k := m.trackedKind(p.Type())
			if k == 0 {
				if k = m.trackedKind(typeElem(p.Type())); k != WaitGroup {
					continue
				}
			}
			n := b.values[p]
			if n == nil {
				continue
			}
			n = n.find()
			if k == WaitGroup {
				if n.pointee == nil {
					s.Params = append(s.Params, ParamSummary{Index: uint8(i)})
					continue
				}
				n = n.pointee.find()
			}
			if n.escapedOther {
				continue // kept or handed on: the caller must assume anything
			}
			if reach == nil {
				reach = m.reachable(fn)
			}
			ps := ParamSummary{Index: uint8(i)}
			for _, op := range n.ops {
				if !reach[op.Fn] || !m.isLive(op.Instr) {
					continue
				}
				ps.Ops |= 1 << op.Kind
				if op.Summary || op.Kind != Send && op.Kind != Recv && op.Kind != Wait {
					continue
				}
				switch {
				case op.Fn == fn && onEveryPath(op.Instr):
					ps.Must |= 1 << op.Kind
				case onEveryPath(op.Instr) && m.spawnedOnEveryPath(op.Fn, fn):
					ps.Spawns |= 1 << op.Kind
				}
			}
			s.Params = append(s.Params, ParamSummary{Index: uint8(i), Ops: ps.Ops, Must: ps.Must, Spawns: ps.Spawns})
		}
		if len(s.Params) == 0 || len(s.Params) > maxFactParams || len(fn.Params) > 255 {
			continue
		}
		pass.ExportObjectFact(obj, &s)
	}
}

// onEveryPath reports whether instr runs before every return of its
// function (its block dominates every block that returns). The block a
// recovered panic returns from is not a path: it is reached by panicking.
func onEveryPath(instr ssa.Instruction) bool {
	fn := instr.Parent()
	returns := false
	for _, b := range fn.Blocks {
		if len(b.Instrs) == 0 || b == fn.Recover {
			continue
		}
		if _, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
			returns = true
			if !flow.Dominates(instr, b.Instrs[len(b.Instrs)-1]) {
				return false
			}
		}
	}
	return returns
}

// spawnedOnEveryPath reports whether g is the body of goroutines that
// only fn starts, on every path of fn.
func (m *Model) spawnedOnEveryPath(g, fn *ssa.Function) bool {
	gos := m.GoSites(g)
	if len(gos) != 1 || gos[0].Parent() != fn {
		return false
	}
	return onEveryPath(gos[0])
}

func isExportedRecv(t types.Type) bool {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Exported()
}

// reachable is the set of package functions fn reaches through calls and
// go statements.
func (m *Model) reachable(fn *ssa.Function) map[*ssa.Function]bool {
	seen := map[*ssa.Function]bool{fn: true}
	work := []*ssa.Function{fn}
	for len(work) > 0 {
		f := work[len(work)-1]
		work = work[:len(work)-1]
		for _, blk := range f.Blocks {
			for _, instr := range blk.Instrs {
				if c, ok := instr.(ssa.CallInstruction); ok {
					for _, g := range m.callees[c] {
						if m.inPkg[g] && !seen[g] {
							seen[g] = true
							work = append(work, g)
						}
					}
				}
			}
		}
	}
	return seen
}

// summaryOf is the Summary another package exported for the callee g,
// nil if none.
func (b *builder) summaryOf(g *ssa.Function) *Summary {
	if b.imported == nil || g == nil || g.Blocks != nil {
		return nil
	}
	obj, _ := g.Object().(*types.Func)
	if obj == nil || obj.Pkg() == nil || obj.Pkg() == b.m.pkg {
		return nil
	}
	return b.imported.byFunc[obj.Origin()]
}

// SummaryAnalyzer exports the Summary facts of a package's exported
// functions and imports those of the functions it uses from other
// packages. It is the only analyzer of leakvet's with facts, so it is the
// one the drivers run on every dependency: it looks at types first, and
// builds SSA and a model only for a package that exports a function with
// a channel or *sync.WaitGroup parameter.
var SummaryAnalyzer = &analysis.Analyzer{
	Name:       "leakvetsummary",
	Doc:        "summaries of what exported functions do with channel and WaitGroup parameters (internal)",
	Requires:   []*analysis.Analyzer{ctrlflow.Analyzer},
	Run:        runSummaries,
	ResultType: reflect.TypeFor[*Imported](),
	FactTypes:  []analysis.Fact{new(Summary)},
}

// Imported are the summaries of the other packages' functions a package
// uses, read once by SummaryAnalyzer for the model.
type Imported struct {
	byFunc map[*types.Func]*Summary
}

func runSummaries(pass *analysis.Pass) (any, error) {
	imp := &Imported{byFunc: map[*types.Func]*Summary{}}
	for _, obj := range pass.TypesInfo.Uses {
		fn, ok := obj.(*types.Func)
		if !ok || fn.Pkg() == nil || fn.Pkg() == pass.Pkg {
			continue
		}
		fn = fn.Origin()
		if _, seen := imp.byFunc[fn]; seen {
			continue
		}
		s := new(Summary)
		if pass.ImportObjectFact(fn, s) {
			imp.byFunc[fn] = s
		} else {
			imp.byFunc[fn] = nil
		}
	}
	if !exportsSummarisable(pass.Pkg) {
		return imp, nil // nothing to summarise: no SSA, no model
	}
	res, err := buildssa.Analyzer.Run(pass)
	if err != nil {
		return nil, err
	}
	m := build(pass, res.(*buildssa.SSA).SrcFuncs, imp, defaultBudget)
	if m.builder != nil {
		m.exportSummaries(pass, m.builder)
	}
	return imp, nil
}

// exportsSummarisable reports whether pkg declares an exported function,
// or an exported method of an exported type, with a channel or
// *sync.WaitGroup parameter (or receiver): only those get summaries.
func exportsSummarisable(pkg *types.Package) bool {
	takes := func(sig *types.Signature) bool {
		ps := sig.Params()
		for i := range ps.Len() {
			if chanOrWaitGroup(ps.At(i).Type()) {
				return true
			}
		}
		return sig.Recv() != nil && chanOrWaitGroup(sig.Recv().Type())
	}
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		switch obj := scope.Lookup(name).(type) {
		case *types.Func:
			if obj.Exported() && takes(obj.Signature()) {
				return true
			}
		case *types.TypeName:
			n, ok := obj.Type().(*types.Named)
			if !ok || !obj.Exported() {
				continue
			}
			for i := range n.NumMethods() {
				if m := n.Method(i); m.Exported() && takes(m.Signature()) {
					return true
				}
			}
		}
	}
	return false
}

// chanOrWaitGroup reports whether t is a channel or a pointer to a
// sync.WaitGroup (by its name: the table of the package is not needed to
// decide whether to look further).
func chanOrWaitGroup(t types.Type) bool {
	if _, ok := t.Underlying().(*types.Chan); ok {
		return true
	}
	p, ok := t.Underlying().(*types.Pointer)
	if !ok {
		return false
	}
	n, ok := types.Unalias(p.Elem()).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "sync" && n.Obj().Name() == "WaitGroup"
}

// summarised models a call of another package's function by its Summary:
// the listed arguments get the operations it performs on them and do not
// escape. It reports the arguments it handled.
func (b *builder) summarised(instr ssa.CallInstruction, s *Summary, args []ssa.Value) []bool {
	done := make([]bool, len(args))
	for _, p := range s.Params {
		i := int(p.Index)
		if i >= len(args) {
			continue
		}
		n := b.val(args[i])
		if n == nil {
			continue
		}
		if b.m.trackedKind(args[i].Type()) != Chan {
			n = b.pointee(n)
		}
		_, isGo := instr.(*ssa.Go)
		_, isDefer := instr.(*ssa.Defer)
		for k := Send; k <= CancelCall; k++ {
			switch {
			case isDefer && (p.Must.Has(k) || p.Spawns.Has(k)):
				// runs when the caller returns: a counterpart, not a block here
				b.addSummaryOp(n, k, instr)
			case p.Must.Has(k):
				b.addCallOp(n, k, instr, isGo) // a go statement runs it in the new goroutine
			case p.Spawns.Has(k):
				b.addCallOp(n, k, instr, true)
			case p.Ops.Has(k):
				b.addSummaryOp(n, k, instr)
			}
		}
		done[i] = true
	}
	return done
}

// addCallOp adds an operation another package's function performs at a
// call on every path: the call itself (async false) or a goroutine it
// starts (async true) performs it, and may block on it for good.
func (b *builder) addCallOp(n *node, kind OpKind, instr ssa.Instruction, async bool) {
	op := &Op{Kind: kind, Instr: instr, Fn: instr.Parent(), Callee: true, Async: async}
	n = n.find()
	n.ops = append(n.ops, op)
	b.m.OpsAt[instr] = append(b.m.OpsAt[instr], op)
}

// addSummaryOp adds an operation that another package's function performs
// at a call: a counterpart of the package's own operations, never itself
// reported as blocked (the summary says it may happen, not that it must).
func (b *builder) addSummaryOp(n *node, kind OpKind, instr ssa.Instruction) {
	op := &Op{Kind: kind, Instr: instr, Fn: instr.Parent(), Summary: true}
	n = n.find()
	n.ops = append(n.ops, op)
	b.m.OpsAt[instr] = append(b.m.OpsAt[instr], op)
}
