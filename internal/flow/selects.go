package flow

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

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

// chanName is the source text of the channel operated on at pos.
func (c *Core) chanName(pos token.Pos) string {
	c.indexChanSyntax()
	if e, ok := c.chanExpr[pos]; ok {
		return types.ExprString(e)
	}
	return "the channel"
}

// goroutineBodies returns the functions of the package started by a go
// statement, each with the first go statement that starts it, in source
// order. Goroutines started by main, init or the package initialiser live
// as long as the process: they are left out.
func (c *Core) goroutineBodies() []*ssa.Go {
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

// findSelects finds `select {}` in goroutines and goroutine loops that
// can never exit.
func (c *Core) findSelects() {
	timerRecvPos := map[token.Pos]bool{}
	for _, l := range c.res.TimerLoops {
		if !l.Break {
			timerRecvPos[l.Recv] = true // timerstop reports the loop
		}
	}
	for _, g := range c.goroutineBodies() {
		fn := c.LocalCallee(&g.Call)
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if sel, ok := instr.(*ssa.Select); ok && sel.Blocking && len(sel.States) == 0 {
					c.res.EmptySelects = append(c.res.EmptySelects, &EmptySelect{Select: sel, Go: g})
				}
			}
		}
		c.endlessLoops(g, fn, timerRecvPos)
	}
	slices.SortStableFunc(c.res.EndlessLoops, func(a, b *EndlessLoop) int { return int(a.For - b.For) })
}

// endlessLoops finds the outermost loops of fn that block on channels and
// have no way out.
func (c *Core) endlessLoops(g *ssa.Go, fn *ssa.Function, timerRecvPos map[token.Pos]bool) {
	loops := loopsOf(fn)
	// outermost first: an inner loop of an endless loop is part of it
	slices.SortStableFunc(loops, func(a, b loop) int { return len(b.body) - len(a.body) })
	var reported []loop
	for _, l := range loops {
		if slices.ContainsFunc(reported, func(r loop) bool { return r.body[l.header] }) {
			continue
		}
		blocks, anchor, ok := c.loopBlocksForever(fn, l, timerRecvPos)
		if !ok {
			continue
		}
		forPos := innermostLoop(fn, anchor)
		if !forPos.IsValid() {
			continue
		}
		e := &EndlessLoop{Go: g, Fn: fn, For: forPos}
		node := c.nodeAt(forPos)
		if node == nil {
			continue
		}
		e.Break = c.selectBreak(node, blocks)
		name, isChan, used := c.ctxInScope(node)
		e.Ctx, e.CtxIsChan, e.CtxUsed = name, isChan, used
		if e.Break.IsValid() || name != "" {
			c.res.EndlessLoops = append(c.res.EndlessLoops, e)
			reported = append(reported, l)
		}
	}
}

type loop struct {
	header *ssa.BasicBlock
	body   map[*ssa.BasicBlock]bool
}

// loopsOf returns the natural loops of fn, one per header.
func loopsOf(fn *ssa.Function) []loop {
	var out []loop
	for _, h := range fn.Blocks {
		if body := loopBody(h); body != nil {
			out = append(out, loop{h, body})
		}
	}
	return out
}

// loopBlocksForever reports whether loop l never exits and blocks on a
// channel: no edge leaves it (the end of a range over a timer channel
// never comes), nothing in it ends the goroutine, and it receives, sends
// or selects. It returns the selects of the loop and an instruction
// position inside it.
func (c *Core) loopBlocksForever(fn *ssa.Function, l loop, timerRecvPos map[token.Pos]bool) (selects []*ssa.Select, anchor token.Pos, ok bool) {
	blocks := false
	for _, b := range fn.Blocks {
		if !l.body[b] {
			continue
		}
		for k, s := range b.Succs {
			if !l.body[s] && !(k == 1 && c.isTimerRangeExit(b)) && !isSelectNoCase(s) {
				return nil, token.NoPos, false // a way out
			}
		}
		for _, instr := range b.Instrs {
			switch instr := instr.(type) {
			case *ssa.Select:
				if timerRecvPos[instr.Pos()] || slices.ContainsFunc(instr.States, func(st *ssa.SelectState) bool { return timerRecvPos[st.Pos] }) {
					return nil, token.NoPos, false // timerstop reports this loop
				}
				if instr.Blocking {
					blocks = true
				}
				selects = append(selects, instr)
				if !anchor.IsValid() {
					anchor = instr.Pos()
				}
			case *ssa.UnOp:
				if instr.Op == token.ARROW {
					if timerRecvPos[instr.Pos()] {
						return nil, token.NoPos, false
					}
					blocks = true
					if !anchor.IsValid() {
						anchor = instr.Pos()
					}
				}
			case *ssa.Send:
				blocks = true
				if !anchor.IsValid() {
					anchor = instr.Pos()
				}
			case ssa.CallInstruction:
				if _, isGo := instr.(*ssa.Go); !isGo && (c.NoReturn(instr.Common()) || c.goexits(instr.Common())) {
					return nil, token.NoPos, false // t.Fatal, runtime.Goexit: it ends
				}
			}
		}
	}
	return selects, anchor, blocks && anchor.IsValid()
}

// nodeAt returns the for or range statement at pos.
func (c *Core) nodeAt(pos token.Pos) ast.Stmt {
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

// selectBreak returns an unlabeled break in a case of one of the loop's
// selects: it leaves the select, not the loop.
func (c *Core) selectBreak(loopStmt ast.Stmt, selects []*ssa.Select) token.Pos {
	for _, sel := range selects {
		cur, ok := c.inspect.Root().FindByPos(sel.Pos(), sel.Pos())
		if !ok {
			continue
		}
		stmt, ok := cur.Node().(*ast.SelectStmt)
		if !ok || stmt.Pos() < loopStmt.Pos() || stmt.End() > loopStmt.End() {
			continue
		}
		for _, cl := range stmt.Body.List {
			if pos := unlabeledBreak(cl.(*ast.CommClause).Body); pos.IsValid() {
				return pos
			}
		}
	}
	return token.NoPos
}

// hasSelectBreak reports whether a case of sel ends in an unlabeled
// break.
func (c *Core) hasSelectBreak(sel *ssa.Select) bool {
	cur, ok := c.inspect.Root().FindByPos(sel.Pos(), sel.Pos())
	if !ok {
		return false
	}
	stmt, ok := cur.Node().(*ast.SelectStmt)
	if !ok {
		return false
	}
	for _, cl := range stmt.Body.List {
		if unlabeledBreak(cl.(*ast.CommClause).Body).IsValid() {
			return true
		}
	}
	return false
}

// unlabeledBreak finds a break without label that belongs to the
// enclosing select (not to a nested loop, switch or select).
func unlabeledBreak(stmts []ast.Stmt) token.Pos {
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

// ctxInScope looks for a context.Context, or a done channel (chan
// struct{}), declared in a scope enclosing the loop: the innermost one.
// used reports whether the loop refers to any such variable.
func (c *Core) ctxInScope(loopStmt ast.Stmt) (name string, isChan, used bool) {
	info := c.pass.TypesInfo
	var cands []*types.Var
	for s := c.pass.Pkg.Scope().Innermost(loopStmt.Pos()); s != nil && s != c.pass.Pkg.Scope(); s = s.Parent() {
		for _, n := range s.Names() {
			v, ok := s.Lookup(n).(*types.Var)
			if !ok || v.Pos() >= loopStmt.Pos() || !c.isCtxOrDone(v) {
				continue
			}
			cands = append(cands, v)
		}
	}
	if len(cands) == 0 {
		return "", false, false
	}
	uses := map[*types.Var]bool{}
	ast.Inspect(loopStmt, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			if v, ok := info.Uses[id].(*types.Var); ok {
				uses[v] = true
			}
		}
		return true
	})
	// A context, innermost first; else a done channel the loop ignores (a
	// channel the loop receives from is its input, not its way out).
	var best *types.Var
	for _, v := range cands {
		if !isChanType(v.Type()) {
			if best == nil || isChanType(best.Type()) {
				best = v
			}
			used = used || uses[v]
		} else if best == nil && !uses[v] {
			best = v
		}
	}
	if best == nil {
		return "", false, false
	}
	return best.Name(), isChanType(best.Type()), used
}

// isCtxOrDone reports whether v is a context.Context, or a channel of
// struct{} named like a done signal (done, quit, stop, closing, ...).
func (c *Core) isCtxOrDone(v *types.Var) bool {
	if c.table.IsContext(v.Type()) {
		return true
	}
	ch, ok := v.Type().Underlying().(*types.Chan)
	if !ok || ch.Dir() == types.SendOnly {
		return false
	}
	if st, ok := ch.Elem().Underlying().(*types.Struct); !ok || st.NumFields() != 0 {
		return false
	}
	name := strings.ToLower(v.Name())
	for _, w := range []string{"done", "quit", "stop", "clos", "exit", "shutdown", "cancel", "term", "die", "kill", "finish"} {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}

func isChanType(t types.Type) bool {
	_, ok := t.Underlying().(*types.Chan)
	return ok
}

// isNilChan reports whether the channel value is nil on every path: the
// nil constant, or a variable no code ever assigns a non-nil value.
func isNilChan(v ssa.Value) bool {
	if isNilConst(v) {
		return true
	}
	load, ok := v.(*ssa.UnOp)
	if !ok || load.Op != token.MUL {
		return false
	}
	cell := load.X
	for range maxChanDepth {
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
