package selectnil

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"github.com/leakvet/leakvet/internal/flow"
	"golang.org/x/tools/go/ssa"
)

// checker runs the select rules over the core's queries.
type checker struct {
	*flow.Core
	timerLoops   []*flow.TimerLoop
	emptySelects []*emptySelect
	endless      []*endlessLoop
}

// nilSelects finds the selects with cases on channels nil on every path.
func (c *checker) nilSelects() []*nilSelect {
	var out []*nilSelect
	for _, instr := range c.ChanInstrs() {
		sel, ok := instr.(*ssa.Select)
		if !ok {
			continue
		}
		var nils []int
		var names []string
		for k, st := range sel.States {
			if flow.IsNilChan(st.Chan) {
				nils = append(nils, k)
				names = append(names, c.ChanName(st.Pos))
			}
		}
		if len(nils) > 0 {
			out = append(out, &nilSelect{
				Select: sel, Fn: sel.Parent(), Cases: nils, Names: names,
				All: sel.Blocking && len(nils) == len(sel.States),
			})
		}
	}
	return out
}

// findSelects finds `select {}` in goroutines and goroutine loops that
// can never exit.
func (c *checker) findSelects() {
	timerRecvPos := map[token.Pos]bool{}
	for _, l := range c.timerLoops {
		if !l.Break {
			timerRecvPos[l.Recv] = true // timerstop reports the Loop
		}
	}
	for _, g := range c.GoroutineBodies() {
		fn := c.LocalCallee(&g.Call)
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if sel, ok := instr.(*ssa.Select); ok && sel.Blocking && len(sel.States) == 0 {
					c.emptySelects = append(c.emptySelects, &emptySelect{Select: sel, Go: g})
				}
			}
		}
		c.endlessLoops(g, fn, timerRecvPos)
	}
	slices.SortStableFunc(c.endless, func(a, b *endlessLoop) int { return int(a.For - b.For) })
}

// endlessLoops finds the outermost loops of fn that block on channels and
// have no way out.
func (c *checker) endlessLoops(g *ssa.Go, fn *ssa.Function, timerRecvPos map[token.Pos]bool) {
	loops := flow.LoopsOf(fn)
	// outermost first: an inner Loop of an endless Loop is part of it
	slices.SortStableFunc(loops, func(a, b flow.Loop) int { return len(b.Body) - len(a.Body) })
	var reported []flow.Loop
	for _, l := range loops {
		if slices.ContainsFunc(reported, func(r flow.Loop) bool { return r.Body[l.Header] }) {
			continue
		}
		blocks, anchor, ok := c.loopBlocksForever(fn, l, timerRecvPos)
		if !ok {
			continue
		}
		forPos := flow.InnermostLoop(fn, anchor)
		if !forPos.IsValid() {
			continue
		}
		e := &endlessLoop{Go: g, Fn: fn, For: forPos}
		node := c.NodeAt(forPos)
		if node == nil {
			continue
		}
		e.Break = c.selectBreak(node, blocks)
		name, isChan, used := c.ctxInScope(node)
		e.Ctx, e.CtxIsChan, e.CtxUsed = name, isChan, used
		if e.Break.IsValid() || name != "" {
			c.endless = append(c.endless, e)
			reported = append(reported, l)
		}
	}
}

// loopBlocksForever reports whether Loop l never exits and blocks on a
// channel: no edge leaves it (the end of a range over a timer channel
// never comes), nothing in it ends the goroutine, and it receives, sends
// or selects. It returns the selects of the Loop and an instruction
// position inside it.
func (c *checker) loopBlocksForever(fn *ssa.Function, l flow.Loop, timerRecvPos map[token.Pos]bool) (selects []*ssa.Select, anchor token.Pos, ok bool) {
	blocks := false
	for _, b := range fn.Blocks {
		if !l.Body[b] {
			continue
		}
		for k, s := range b.Succs {
			if !l.Body[s] && !(k == 1 && c.IsTimerRangeExit(b)) && !flow.IsSelectNoCase(s) {
				return nil, token.NoPos, false // a way out
			}
		}
		for _, instr := range b.Instrs {
			switch instr := instr.(type) {
			case *ssa.Select:
				if timerRecvPos[instr.Pos()] || slices.ContainsFunc(instr.States, func(st *ssa.SelectState) bool { return timerRecvPos[st.Pos] }) {
					return nil, token.NoPos, false // timerstop reports this Loop
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
				if _, isGo := instr.(*ssa.Go); !isGo && (c.NoReturn(instr.Common()) || c.Goexits(instr.Common())) {
					return nil, token.NoPos, false // t.Fatal, runtime.Goexit: it ends
				}
			}
		}
	}
	return selects, anchor, blocks && anchor.IsValid()
}

// selectBreak returns an unlabeled break in a case of one of the Loop's
// selects: it leaves the select, not the Loop.
func (c *checker) selectBreak(loopStmt ast.Stmt, selects []*ssa.Select) token.Pos {
	for _, sel := range selects {
		cur, ok := c.Inspect().Root().FindByPos(sel.Pos(), sel.Pos())
		if !ok {
			continue
		}
		stmt, ok := cur.Node().(*ast.SelectStmt)
		if !ok || stmt.Pos() < loopStmt.Pos() || stmt.End() > loopStmt.End() {
			continue
		}
		for _, cl := range stmt.Body.List {
			if pos := flow.UnlabeledBreak(cl.(*ast.CommClause).Body); pos.IsValid() {
				return pos
			}
		}
	}
	return token.NoPos
}

// ctxInScope looks for a context.Context, or a done channel (chan
// struct{}), declared in a scope enclosing the loop: the innermost one.
// used reports whether the Loop refers to any such variable.
func (c *checker) ctxInScope(loopStmt ast.Stmt) (name string, isChan, used bool) {
	info := c.Pass().TypesInfo
	var cands []*types.Var
	for s := c.Pass().Pkg.Scope().Innermost(loopStmt.Pos()); s != nil && s != c.Pass().Pkg.Scope(); s = s.Parent() {
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
	// A context, innermost first; else a done channel the Loop ignores (a
	// channel the Loop receives from is its input, not its way out).
	var best *types.Var
	for _, v := range cands {
		if !flow.IsChanType(v.Type()) {
			if best == nil || flow.IsChanType(best.Type()) {
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
	return best.Name(), flow.IsChanType(best.Type()), used
}

// isCtxOrDone reports whether v is a context.Context, or a channel of
// struct{} named like a done signal (done, quit, stop, closing, ...).
func (c *checker) isCtxOrDone(v *types.Var) bool {
	if c.Table().IsContext(v.Type()) {
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

// nilSelect is a select with cases on channels that are nil on every
// path: All when every case is (and the select has no default: it blocks
// forever).
type nilSelect struct {
	Select *ssa.Select
	Fn     *ssa.Function
	All    bool
	Cases  []int    // indexes into Select.States
	Names  []string // the channel expression of each such case
}

// emptySelect is `select {}` in a goroutine: it blocks forever.
type emptySelect struct {
	Select *ssa.Select
	Go     *ssa.Go
}

// endlessLoop is a Loop of a goroutine that blocks on channels and has no
// way out, while a context or a done channel it could watch is in scope.
type endlessLoop struct {
	Go  *ssa.Go
	Fn  *ssa.Function
	For token.Pos // the Loop keyword
	// Break is an unlabeled break in a select case of the loop: meant to
	// leave the Loop, it leaves only the select. NoPos if none.
	Break token.Pos
	// Ctx is the context or done channel in scope, "" if none (only with
	// Break). CtxIsChan: it is a channel, not a context.Context.
	Ctx       string
	CtxIsChan bool
	// CtxUsed: the Loop receives from it, but the case does not leave.
	CtxUsed bool
}
