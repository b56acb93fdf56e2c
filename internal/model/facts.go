package model

import (
	"fmt"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
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
			k := trackedKind(p.Type())
			if k == 0 {
				if k = trackedKind(typeElem(p.Type())); k != WaitGroup {
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
// function (its block dominates every block that returns).
func onEveryPath(instr ssa.Instruction) bool {
	fn := instr.Parent()
	returns := false
	for _, b := range fn.Blocks {
		if len(b.Instrs) == 0 {
			continue
		}
		if _, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
			returns = true
			if !Before(instr, b.Instrs[len(b.Instrs)-1]) {
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
	if b.pass == nil || g == nil || g.Blocks != nil {
		return nil
	}
	obj, _ := g.Object().(*types.Func)
	if obj == nil || obj.Pkg() == nil || obj.Pkg() == b.m.pkg {
		return nil
	}
	s := new(Summary)
	if !b.pass.ImportObjectFact(obj, s) {
		return nil
	}
	return s
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
		if trackedKind(args[i].Type()) != Chan {
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
