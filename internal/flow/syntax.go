package flow

import (
	"go/ast"
	"go/token"

	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/ssa"
)

// callSyntax is the statement a call is the whole right-hand side of.
type callSyntax struct {
	call *ast.CallExpr
	stmt ast.Stmt   // *ast.AssignStmt, *ast.DeclStmt (perhaps of several specs) or *ast.ExprStmt
	lhs  []ast.Expr // assigned expressions, nil for an expression statement
}

// indexCalls maps the Lparen of every call that is the sole right-hand
// side of an assignment, var declaration or expression statement to that
// statement. SSA calls carry the Lparen as their position.
func indexCalls(in *inspector.Inspector) map[token.Pos]*callSyntax {
	m := map[token.Pos]*callSyntax{}
	filter := []ast.Node{(*ast.AssignStmt)(nil), (*ast.DeclStmt)(nil), (*ast.ExprStmt)(nil)}
	in.Preorder(filter, func(n ast.Node) {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if len(n.Rhs) == 1 {
				if call, ok := ast.Unparen(n.Rhs[0]).(*ast.CallExpr); ok {
					m[call.Lparen] = &callSyntax{call: call, stmt: n, lhs: n.Lhs}
				}
			}
		case *ast.DeclStmt:
			gen, ok := n.Decl.(*ast.GenDecl)
			if !ok {
				return
			}
			for _, spec := range gen.Specs { // var ( a = f(); b, c = g() )
				if vs, ok := spec.(*ast.ValueSpec); ok && len(vs.Values) == 1 {
					if call, ok := ast.Unparen(vs.Values[0]).(*ast.CallExpr); ok {
						lhs := make([]ast.Expr, len(vs.Names))
						for i, id := range vs.Names {
							lhs[i] = id
						}
						m[call.Lparen] = &callSyntax{call: call, stmt: n, lhs: lhs}
					}
				}
			}
		case *ast.ExprStmt:
			if call, ok := ast.Unparen(n.X).(*ast.CallExpr); ok {
				m[call.Lparen] = &callSyntax{call: call, stmt: n}
			}
		}
	})
	return m
}

// funcBody returns the body of fn's syntax, if it has one.
func funcBody(fn *ssa.Function) *ast.BlockStmt {
	switch syn := fn.Syntax().(type) {
	case *ast.FuncDecl:
		return syn.Body
	case *ast.FuncLit:
		return syn.Body
	case *ast.RangeStmt:
		return syn.Body
	}
	return nil
}

// InnermostLoop returns the position of the for keyword of the innermost
// loop of fn's syntax that contains pos, or NoPos.
func InnermostLoop(fn *ssa.Function, pos token.Pos) token.Pos {
	if rng, ok := fn.Syntax().(*ast.RangeStmt); ok && isRangeFuncBody(fn) {
		// The body of a range-over-func loop is its own function: its
		// loop is the range statement itself, unless an inner loop holds pos.
		if inner := innermostLoopIn(rng.Body, pos); inner.IsValid() {
			return inner
		}
		return rng.For
	}
	body := funcBody(fn)
	if body == nil {
		return token.NoPos
	}
	return innermostLoopIn(body, pos)
}

func innermostLoopIn(root ast.Node, pos token.Pos) token.Pos {
	found := token.NoPos
	ast.Inspect(root, func(n ast.Node) bool {
		if n == nil || pos < n.Pos() || pos >= n.End() {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // another function
		case *ast.ForStmt:
			found = n.For
		case *ast.RangeStmt:
			found = n.For
		}
		return true
	})
	return found
}

func isRangeFuncBody(fn *ssa.Function) bool {
	return fn.Synthetic == "range-over-func yield"
}
