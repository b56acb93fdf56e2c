package flow

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"
)

// indexChanSyntax maps, once per package, the positions go/ssa gives
// channel operations to their syntax: the channel expression of each send
// (its arrow), receive (its <-) and range over a channel (its for).
func (c *Core) indexChanSyntax() {
	if c.chanExpr != nil {
		return
	}
	c.chanExpr = map[token.Pos]ast.Expr{}
	c.rangeFor = map[token.Pos]bool{}
	filter := []ast.Node{(*ast.SendStmt)(nil), (*ast.UnaryExpr)(nil), (*ast.RangeStmt)(nil)}
	c.inspect.Preorder(filter, func(n ast.Node) {
		switch n := n.(type) {
		case *ast.SendStmt:
			c.chanExpr[n.Arrow] = n.Chan
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				c.chanExpr[n.OpPos] = n.X
			}
		case *ast.RangeStmt:
			if t := c.pass.TypesInfo.TypeOf(n.X); t != nil {
				if _, ok := t.Underlying().(*types.Chan); ok {
					c.chanExpr[n.For] = n.X
					c.rangeFor[n.For] = true
				}
			}
		}
	})
}

// ChanName is the source text of the channel operated on at pos.
func (c *Core) ChanName(pos token.Pos) string {
	c.indexChanSyntax()
	if e, ok := c.chanExpr[pos]; ok {
		return types.ExprString(e)
	}
	return "the channel"
}

// GoroutineBodies returns the functions of the package started by a go
// statement, each with the first go statement that starts it, in source
// order. Goroutines started by main, init or the package initialiser live
// as long as the process: they are left out.
func (c *Core) GoroutineBodies() []*ssa.Go {
	var out []*ssa.Go
	seen := map[*ssa.Function]bool{}
	for _, g := range c.gos {
		fn := c.LocalCallee(&g.Call)
		if fn == nil || seen[fn] || IsMainLike(g.Parent()) {
			continue
		}
		seen[fn] = true
		out = append(out, g)
	}
	return out
}

// NodeAt returns the for or range statement at pos.
func (c *Core) NodeAt(pos token.Pos) ast.Stmt {
	cur, ok := c.inspect.Root().FindByPos(pos, pos)
	if !ok {
		return nil
	}
	for e := range cur.Enclosing((*ast.ForStmt)(nil), (*ast.RangeStmt)(nil)) {
		switch n := e.Node().(type) {
		case *ast.ForStmt:
			if n.For == pos {
				return n
			}
		case *ast.RangeStmt:
			if n.For == pos {
				return n
			}
		}
	}
	return nil
}

// HasSelectBreak reports whether a case of sel ends in an unlabeled
// break.
func (c *Core) HasSelectBreak(sel *ssa.Select) bool {
	cur, ok := c.inspect.Root().FindByPos(sel.Pos(), sel.Pos())
	if !ok {
		return false
	}
	stmt, ok := cur.Node().(*ast.SelectStmt)
	if !ok {
		return false
	}
	for _, cl := range stmt.Body.List {
		if UnlabeledBreak(cl.(*ast.CommClause).Body).IsValid() {
			return true
		}
	}
	return false
}

// UnlabeledBreak finds a break without label that belongs to the
// enclosing select (not to a nested loop, switch or select).
func UnlabeledBreak(stmts []ast.Stmt) token.Pos {
	found := token.NoPos
	for _, s := range stmts {
		ast.Inspect(s, func(n ast.Node) bool {
			if found.IsValid() {
				return false
			}
			switch n := n.(type) {
			case *ast.FuncLit, *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
				return false
			case *ast.BranchStmt:
				if n.Tok == token.BREAK && n.Label == nil {
					found = n.Pos()
				}
			}
			return true
		})
	}
	return found
}

func IsChanType(t types.Type) bool {
	_, ok := t.Underlying().(*types.Chan)
	return ok
}

// IsNilChan reports whether the channel value is nil on every path: the
// nil constant, or a variable no code ever assigns a non-nil value.
func IsNilChan(v ssa.Value) bool {
	if isNilConst(v) {
		return true
	}
	load, ok := v.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return false
	}
	cell := load.X
	for range MaxChanDepth {
		fv, ok := cell.(*ssa.FreeVar)
		if !ok {
			break
		}
		cell = boundTo(fv) // the variable of the enclosing function
	}
	alloc, ok := cell.(*ssa.Alloc)
	if !ok {
		return false
	}
	return onlyNilStores(alloc, 0)
}

// boundTo returns the value the closure creation binds free variable fv
// to, or nil.
func boundTo(fv *ssa.FreeVar) ssa.Value {
	fn := fv.Parent()
	idx := slices.Index(fn.FreeVars, fv)
	if fn.Parent() == nil || idx < 0 {
		return nil
	}
	for _, b := range fn.Parent().Blocks {
		for _, instr := range b.Instrs {
			if mc, ok := instr.(*ssa.MakeClosure); ok && mc.Fn == fn {
				return mc.Bindings[idx]
			}
		}
	}
	return nil
}

func onlyNilStores(cell ssa.Value, depth int) bool {
	if depth > 3 {
		return false
	}
	for _, r := range *cell.Referrers() {
		switch r := r.(type) {
		case *ssa.DebugRef:
		case *ssa.UnOp:
			if r.Op != token.MUL {
				return false
			}
		case *ssa.Store:
			if r.Addr != cell || !isNilConst(r.Val) {
				return false
			}
		case *ssa.MakeClosure:
			fn := r.Fn.(*ssa.Function)
			for k, b := range r.Bindings {
				if b == cell && !onlyNilStores(fn.FreeVars[k], depth+1) {
					return false
				}
			}
		default:
			return false
		}
	}
	return true
}
