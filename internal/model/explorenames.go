package model

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"io"

	"golang.org/x/tools/go/ssa"
)

// Names of what the explorer's steps operate on, from the syntax: "s.mu"
// for s.mu.Lock(), "ch" for ch <- v. They are computed while the model is
// built; passes read them concurrently.

// indexCalls indexes the package's call expressions by their '('.
func (m *Model) indexCalls() {
	m.callSyntax = map[token.Pos]*ast.CallExpr{}
	if m.core == nil {
		return
	}
	for cur := range m.core.Inspect().Root().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		m.callSyntax[call.Lparen] = call
	}
}

// CallAt is the package's call expression whose '(' is at lparen (where
// SSA positions a call), nil if none.
func (m *Model) CallAt(lparen token.Pos) *ast.CallExpr { return m.callSyntax[lparen] }

// opName names the object a synchronising instruction operates on.
func (m *Model) opName(in ssa.Instruction) string {
	switch in := in.(type) {
	case *ssa.Send, *ssa.UnOp:
		return m.chanNameAt(in.Pos())
	case ssa.CallInstruction:
		if call := m.callSyntax[in.Common().Pos()]; call != nil {
			if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
				return types.ExprString(sel.X)
			}
		}
	}
	return "it"
}

// callArgName names the first argument of a call: the channel of close.
func (m *Model) callArgName(in ssa.Instruction) string {
	if c, ok := in.(ssa.CallInstruction); ok {
		if call := m.callSyntax[c.Common().Pos()]; call != nil && len(call.Args) > 0 {
			return types.ExprString(call.Args[0])
		}
	}
	return "the channel"
}

func (m *Model) chanNameAt(pos token.Pos) string {
	if m.core == nil {
		return "the channel"
	}
	return m.core.ChanName(pos)
}

// dumpExplored writes the explorer's findings and figures
// (LEAKVET_EXPLORE_DUMP=1, for debugging).
func (m *Model) dumpExplored(w io.Writer) {
	fset := m.pkgFset()
	fmt.Fprintf(w, "explore %s: roots %d states %d out %d escaped %d\n", m.pkg.Path(), m.Stats.ExploreRoots, m.Stats.ExploreStates, m.Stats.ExploreOut, m.Stats.ExploreEscaped)
	fmt.Fprintf(w, "  stopped: %v\n", m.xwhy)
	for _, st := range m.stuck {
		fmt.Fprintf(w, "  %s: %s stuck (kind %d, root %s)\n", fset.Position(st.Instr.Pos()), st.Goroutine, st.Kind, st.Root.Name())
		for _, s := range st.Steps {
			fmt.Fprintf(w, "    %s: %s %s\n", fset.Position(s.Instr.Pos()), s.Goroutine, s.What)
		}
	}
}

func (m *Model) pkgFset() *token.FileSet {
	if len(m.funcs) > 0 {
		return m.funcs[0].Prog.Fset
	}
	return token.NewFileSet()
}
