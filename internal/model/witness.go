package model

import (
	"fmt"
	"go/token"
	"go/types"
	"io"
	"path/filepath"
	"slices"

	"golang.org/x/tools/go/ssa"
)

// Reason is an operation live code never performs, with why.
type Reason struct {
	Op  *Op
	Why string
}

// Dead lists o's operations of the given kinds that live code never
// performs, each with why, in the order of o's operations.
func (m *Model) Dead(o *Object, kinds ...OpKind) []Reason {
	var out []Reason
	for _, op := range o.Ops {
		if op.Live || !slices.Contains(kinds, op.Kind) {
			continue
		}
		out = append(out, Reason{Op: op, Why: m.whyDead(op.Instr)})
	}
	return out
}

// DeadSignals lists the operations that would make a receive from o
// proceed and that live code never performs, each with why: o's sends
// and closes, or, for a context's Done channel, the calls of its cancel
// funcs.
func (m *Model) DeadSignals(o *Object) []Reason {
	ctxs := m.DoneOf(o)
	if len(ctxs) == 0 {
		return m.Dead(o, Send, SelectSend, Close)
	}
	var dead []Reason
	for _, ctx := range ctxs {
		for _, cf := range m.Cancels(ctx) {
			dead = append(dead, m.Dead(cf, CancelCall)...)
		}
	}
	return dead
}

// whyDead says why live code never executes instr.
func (m *Model) whyDead(instr ssa.Instruction) string {
	fset := instr.Parent().Prog.Fset
	if d, ok := instr.(*ssa.Defer); ok && m.Live[d.Parent()] && m.NoReturn[d.Parent()] {
		return fmt.Sprintf("never run: it is deferred in %s, which never returns", funcName(d.Parent()))
	}
	by := m.BlockedBy[instr]
	if by == nil && m.Live[instr.Parent()] {
		by = m.blockerBefore(instr)
	}
	if by != nil && m.Live[instr.Parent()] {
		what := "an operation that never proceeds"
		if _, ok := by.(*ssa.Call); ok {
			what = "a call that never returns"
			for _, op := range m.OpsAt[by] {
				if op.Kind == Wait {
					what = "a Wait that never returns"
				}
			}
		}
		return fmt.Sprintf("never reached: it follows %s at line %d", what, fset.Position(by.Pos()).Line)
	}
	fn := instr.Parent()
	for fn.Parent() != nil {
		fn = fn.Parent()
	}
	if !m.Live[instr.Parent()] {
		if len(m.callers()[instr.Parent()]) > 0 {
			return fmt.Sprintf("never reached: no live code calls %s", funcName(instr.Parent()))
		}
		return fmt.Sprintf("never reached: nothing calls %s", funcName(fn))
	}
	return "never reached"
}

// blockerBefore is, for an instruction in a dead block of a live
// function, the operation that never proceeds (or call that never
// returns) that cuts it off: the last instruction of a live block that
// dominates it, or the first such cut in the function.
func (m *Model) blockerBefore(instr ssa.Instruction) ssa.Instruction {
	var first ssa.Instruction
	for _, b := range instr.Parent().Blocks {
		last, ok := m.liveInst[b]
		if !ok || last == len(b.Instrs)-1 {
			continue
		}
		cut := b.Instrs[last]
		if b.Dominates(instr.Block()) {
			return cut
		}
		if first == nil {
			first = cut
		}
	}
	return first
}

func funcName(fn *ssa.Function) string {
	if recv := fn.Signature.Recv(); recv != nil {
		t := recv.Type()
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		if n, ok := t.(*types.Named); ok {
			return n.Obj().Name() + "." + fn.Name()
		}
	}
	return fn.Name()
}

// OriginPos is where o is made, when it is made once in the package.
func (o *Object) OriginPos() token.Pos {
	var pos token.Pos
	for _, v := range o.Origins {
		if _, ok := v.(*ssa.Const); ok {
			continue
		}
		if pos.IsValid() && v.Pos() != pos {
			return token.NoPos
		}
		pos = v.Pos()
	}
	return pos
}

// FieldName is "T.f" for the first struct field o is kept in, "" if none.
func (o *Object) FieldName() string {
	for _, f := range o.Fields {
		// the struct a field belongs to is not recorded by go/types; name
		// the field alone
		return f.Name()
	}
	return ""
}

// Dump writes the model, one object per line with its operations, for
// tests and debugging.
func (m *Model) Dump(w io.Writer) {
	for _, o := range m.Objects {
		if len(o.Ops) == 0 {
			continue
		}
		fset := o.Ops[0].Fn.Prog.Fset
		fmt.Fprintf(w, "object kind=%d cap=%d escaped=%q recv=%v send=%v unknown=%v origins=%d fields=%s\n",
			o.Kind, o.Cap, o.Escaped, o.ExtRecv, o.ExtSend, o.Unknown, len(o.Origins), o.FieldName())
		for _, op := range o.Ops {
			p := fset.Position(op.Pos())
			fmt.Fprintf(w, "\top=%d %s:%d live=%v blocked=%v fn=%s\n", op.Kind, filepath.Base(p.Filename), p.Line, op.Live, op.Blocked, op.Fn.Name())
		}
	}
}
