package flow

import (
	"go/ast"
	"go/token"
	"go/types"
	"maps"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/ssa"

	"github.com/leakvet/leakvet/internal/apis"
)

// Core is the machinery over one package: the scan's indexes (read-only
// once the flow analyzer's run returns) and the memo tables its queries
// fill (summaries, channel indexes, tested values). Passes get one from
// Result.Core: each its own memo tables, so that passes running
// concurrently never write to a shared one, and each pass's answers
// depend on its own queries only (a recursive query answers
// conservatively, so a table's content may depend on query order).
type Core struct {
	pass      *analysis.Pass
	table     *apis.Table
	res       *Result
	stats     *Stats
	syntax    map[token.Pos]*callSyntax
	inspect   *inspector.Inspector
	funcs     []*ssa.Function
	siteOf    map[*ssa.Call]*Site
	summaries map[summaryKey]*summary
	fresh     map[*ssa.Function]*freshResult
	tested    map[*ssa.Function]*tested
	// gos and timerRecvs are collected by the scan for the timer queries.
	gos        []*ssa.Go
	timerRecvs map[*ssa.Function][]TimerRecv
	wgCalls    map[*ssa.Function][]WGCall
	goexitFns  map[*ssa.Function]bool
	// the channel index (chans.go): what each function does with a
	// channel, and the channel syntax by position
	chanMemo map[chanKey]*ChanOps
	// makes and chanCalls are collected by the scan: the make(chan)s and
	// the calls of package functions returning a channel.
	makes []*ssa.MakeChan
	// chanInstrs are the sends, receives and selects, in scan order.
	chanInstrs []ssa.Instruction
	chanCalls  []*ssa.Call
	// fieldUses indexes the accesses to fields of the package's struct
	// types, for channels stored in fields (built on first use).
	fieldUses map[structField][]ssa.Instruction
	chanExpr  map[token.Pos]ast.Expr
	rangeFor  map[token.Pos]bool
}

// session returns a Core sharing c's indexes, with memo tables of its own
// seeded with c's (complete once run returns: no entry is in progress).
func (c *Core) session() *Core {
	s := *c
	s.summaries = maps.Clone(c.summaries)
	s.fresh = maps.Clone(c.fresh)
	s.tested = maps.Clone(c.tested)
	s.goexitFns = maps.Clone(c.goexitFns)
	s.chanMemo = maps.Clone(c.chanMemo)
	return &s
}

// Pass is the flow analyzer's pass over the package: its types, files and
// TypesInfo (never for reporting).
func (c *Core) Pass() *analysis.Pass { return c.pass }

// Inspect is the inspector over the package's files.
func (c *Core) Inspect() *inspector.Inspector { return c.inspect }

// Table is the API table of the package.
func (c *Core) Table() *apis.Table { return c.table }

// Funcs are the package's SSA functions in source order, closures and the
// package initialiser's function literals included.
func (c *Core) Funcs() []*ssa.Function { return c.funcs }

// Gos are the package's go statements in scan order.
func (c *Core) Gos() []*ssa.Go { return c.gos }

// WGCalls are fn's calls (and defers) of sync.WaitGroup methods.
func (c *Core) WGCalls(fn *ssa.Function) []WGCall { return c.wgCalls[fn] }

// TimerRecvs are fn's receives (and select cases) on timer channels.
func (c *Core) TimerRecvs(fn *ssa.Function) []TimerRecv { return c.timerRecvs[fn] }

// ChanInstrs are the package's channel sends (*ssa.Send), receives
// (*ssa.UnOp with token.ARROW) and selects, in scan order.
func (c *Core) ChanInstrs() []ssa.Instruction { return c.chanInstrs }

// Makes are the package's make(chan) instructions, in scan order.
func (c *Core) Makes() []*ssa.MakeChan { return c.makes }

// ChanCalls are the calls of package functions returning a channel (maybe
// constructors), in scan order.
func (c *Core) ChanCalls() []*ssa.Call { return c.chanCalls }

// HasWGCalls reports whether the package calls a WaitGroup method.
func (c *Core) HasWGCalls() bool { return len(c.wgCalls) > 0 }

// funcObject returns the *types.Func of an SSA function (the origin of an
// instance), or nil for closures and synthetic functions.
func funcObject(fn *ssa.Function) *types.Func {
	if o := fn.Origin(); o != nil {
		fn = o
	}
	obj, _ := fn.Object().(*types.Func)
	return obj
}

// CalleeObject returns the function a call invokes, when known statically
// or as an interface method.
func CalleeObject(common *ssa.CallCommon) *types.Func {
	if common.IsInvoke() {
		return common.Method
	}
	if callee := common.StaticCallee(); callee != nil {
		return funcObject(callee)
	}
	return nil
}

// acquireOf returns what call acquires: an API of the table, a package
// function summarised as returning a fresh resource, or (discard only) any
// call yielding a context.CancelFunc.
func (c *Core) acquireOf(call *ssa.Call) *apis.Acquire {
	common := &call.Call
	if fn := CalleeObject(common); fn != nil {
		if acq := c.table.Acquire(fn); acq != nil {
			return acq
		}
	}
	if callee := c.LocalCallee(common); callee != nil {
		if fr := c.freshOf(callee); fr != nil && fr.acq != nil {
			return fr.acq
		}
		// the summary says the result is not fresh (a getter, say): the
		// type alone must not make it an acquire
		return nil
	}
	results := common.Signature().Results()
	for i := range results.Len() {
		if t := results.At(i).Type(); c.table.IsCancelType(t) {
			a := &apis.Acquire{Kind: apis.Cancel, Result: i, Name: c.displayName(common), Role: "cancel", Why: "to release the context", DiscardOnly: true, NilOnErr: -1}
			if c.table.IsCancelCauseType(t) {
				a.Args = "nil"
			}
			return a
		}
	}
	return nil
}

// LocalCallee returns the function of this package a call statically
// invokes (the generic body for an instance), or nil.
func (c *Core) LocalCallee(common *ssa.CallCommon) *ssa.Function {
	callee := common.StaticCallee()
	if callee == nil {
		return nil
	}
	if o := callee.Origin(); o != nil {
		callee = o // summaries are of the generic body
	}
	if callee.Pkg == nil || callee.Pkg.Pkg != c.pass.Pkg || len(callee.Blocks) == 0 {
		return nil
	}
	return callee
}

// displayName names a callee as users write it: WithTimeout's "context.
// WithTimeout", a package function's "newCtx", a method's "T.m", another
// package's "lib.NewCtx".
func (c *Core) displayName(common *ssa.CallCommon) string {
	fn := CalleeObject(common)
	if fn == nil {
		if v, ok := common.Value.(interface{ Name() string }); ok {
			return v.Name()
		}
		return "the call"
	}
	name := fn.Name()
	if recv := fn.Signature().Recv(); recv != nil {
		t := recv.Type()
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		if n, ok := types.Unalias(t).(*types.Named); ok {
			name = n.Obj().Name() + "." + name
		}
	}
	if fn.Pkg() != nil && fn.Pkg() != c.pass.Pkg {
		name = fn.Pkg().Name() + "." + name
	}
	return name
}

// resultValue returns the value carrying result idx of call, and whether
// that result is dropped.
func resultValue(call *ssa.Call, idx int) (ssa.Value, bool) {
	if call.Call.Signature().Results().Len() == 1 {
		if refs := call.Referrers(); refs == nil || len(*refs) == 0 {
			return nil, true
		}
		return call, false
	}
	for _, instr := range *call.Referrers() {
		if ext, ok := instr.(*ssa.Extract); ok && ext.Index == idx {
			return ext, false
		}
	}
	return nil, true
}

// bindSyntax finds the statement and variable of a site.
func (c *Core) bindSyntax(s *Site) {
	syn := c.syntax[s.Call.Pos()]
	if syn == nil {
		return
	}
	s.CallExpr, s.Stmt = syn.call, syn.stmt
	nres := s.Call.Call.Signature().Results().Len()
	if len(syn.lhs) == nres && s.Acq.Result < len(syn.lhs) {
		s.Lhs = syn.lhs[s.Acq.Result]
		if id, ok := ast.Unparen(s.Lhs).(*ast.Ident); ok && id.Name != "_" {
			s.Var, _ = c.pass.TypesInfo.ObjectOf(id).(*types.Var)
		}
	}
}

func isBlank(e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && id.Name == "_"
}

// analyzeSite runs the obligation walk of a kept resource.
func (c *Core) analyzeSite(s *Site) {
	s.InLoop = InCycle(s.Call.Block()) || isRangeFuncBody(s.Fn)
	s.FnReturns = c.Returns(s.Fn)
	s.ContextOnlyPassed = contextOnlyPassed(s)
	if s.Discarded || s.Value == nil || s.Acq.DiscardOnly {
		return
	}
	if isMainMain(s.Fn) {
		return // the process ends with main: nothing outlives it
	}
	g := c.buildGraph(s.Value, false)
	if g.unsupported {
		c.stats.Unsupported.Add(1)
		return
	}
	start := slices.Index(s.Call.Block().Instrs, ssa.Instruction(s.Call)) + 1
	deferred, ok := cellUsesBefore(g, s.Call)
	if !ok {
		c.stats.Unsupported.Add(1)
		return
	}
	if s.Acq.Kind == apis.Cancel && !s.Acq.DiscardOnly {
		c.doneReceives(g, s)
	}
	if s.Acq.Kind == apis.Timer {
		timerReceives(g)
	}
	w := &WalkSpec{
		Fn: s.Fn, G: g, Block: s.Call.Block(), Start: start, site: s, deferred: deferred,
		Facts:    SeedFacts(s.Call.Block(), c.TestedValues(s.Fn)),
		errValue: errResult(s),
	}
	r := c.Walk(w)
	s.Transfers = r.transfers
	if !r.BudgetOut && len(r.Leaks) > 0 {
		s.Leak = PickLeak(r.Leaks)
	}
	// The defers that released this resource on the walk's paths, direct
	// calls first (defer cancel() rather than defer func() { cancel() }()).
	slices.SortStableFunc(r.defers, func(a, b *ssa.Defer) int {
		return boolInt(isClosureCall(a)) - boolInt(isClosureCall(b))
	})
	for _, d := range r.defers {
		if d.DeferStack != nil || (s.InLoop && SameCycle(s.Call.Block(), d.Block())) {
			s.DeferInLoop = d
			break
		}
	}
	for _, st := range g.fieldStores {
		c.noteFieldStore(s, st)
	}
}

// cellUsesBefore accounts for closures over the variable that were
// deferred before the acquire: they release whatever the variable holds at
// exit. It returns the cells so released on every path to the acquire, and
// false when such a closure (deferred, or started as a goroutine) may or
// may not have run before it: the analysis cannot tell, so it stays silent.
func cellUsesBefore(g *Graph, call *ssa.Call) (deferred uint64, ok bool) {
	alloc := func(cell int) *ssa.Alloc {
		a, _ := g.Holders[cell].V.(*ssa.Alloc)
		return a
	}
	for _, u := range g.cellDefers {
		if Precedes(u.instr, call, alloc(u.cell)) {
			if !Dominates(u.instr, call) {
				return 0, false
			}
			deferred |= 1 << u.cell
		}
	}
	for _, u := range g.cellGos {
		if Precedes(u.instr, call, alloc(u.cell)) {
			return 0, false // a goroutine that may call it later
		}
	}
	for _, instr := range g.cellEscapes {
		if Precedes(instr, call, nil) {
			return 0, false // code we do not see holds the variable and may call it
		}
	}
	return deferred, true
}

// Precedes reports whether a may run before b, in one call of the function
// and, when alloc is not nil, in one instance of the variable alloc
// allocates: a path from a to b through alloc reaches a fresh variable
// (a loop body's variable), which a's closure does not see.
func Precedes(a, b ssa.Instruction, alloc *ssa.Alloc) bool {
	between := func(blk *ssa.BasicBlock, from, to int) bool {
		return alloc != nil && alloc.Block() == blk && from < Index(alloc) && Index(alloc) < to
	}
	if a.Block() == b.Block() && Index(a) < Index(b) {
		return !between(a.Block(), Index(a), Index(b))
	}
	if between(a.Block(), Index(a), len(a.Block().Instrs)) {
		return false // every path from a passes alloc first
	}
	seen := make([]bool, len(a.Parent().Blocks))
	stack := slices.Clone(a.Block().Succs)
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[x.Index] {
			continue
		}
		seen[x.Index] = true
		if x == b.Block() {
			if !between(x, -1, Index(b)) {
				return true
			}
			continue
		}
		if alloc != nil && x == alloc.Block() {
			continue // a fresh variable from here on
		}
		stack = append(stack, x.Succs...)
	}
	return false
}

// Dominates reports whether a runs before b on every path to b.
func Dominates(a, b ssa.Instruction) bool {
	if a.Block() == b.Block() {
		return Index(a) < Index(b)
	}
	return a.Block().Dominates(b.Block())
}

func Index(instr ssa.Instruction) int {
	return slices.Index(instr.Block().Instrs, instr)
}

func isClosureCall(d *ssa.Defer) bool {
	_, ok := d.Call.Value.(*ssa.MakeClosure)
	return ok
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// errResult returns the site call's error result when the acquired
// function is known to be nil whenever that error is not.
func errResult(s *Site) ssa.Value {
	if s.Acq.NilOnErr < 0 {
		return nil
	}
	for _, instr := range *s.Call.Referrers() {
		if ext, ok := instr.(*ssa.Extract); ok && ext.Index == s.Acq.NilOnErr {
			return ext
		}
	}
	return nil
}

// timerReceives records receives from a one-shot timer's channel as its
// release: once its value is received, the timer has fired and is gone.
// A select case on it releases it on the branch that takes the case.
func timerReceives(g *Graph) {
	for i, h := range g.Holders {
		if h.cell || h.clo != nil {
			continue
		}
		for _, use := range *h.V.Referrers() {
			fa, ok := use.(*ssa.FieldAddr)
			if !ok {
				continue
			}
			for _, l := range *fa.Referrers() {
				load, ok := l.(*ssa.UnOp)
				if !ok || load.Op != token.MUL {
					continue
				}
				for _, r := range *load.Referrers() {
					switch r := r.(type) {
					case *ssa.UnOp:
						if r.Op == token.ARROW {
							g.Effects[r] = append(g.Effects[r], HolderEffect{Kind: EffDischarge, From: i})
						}
					case *ssa.Select:
						g.selectReleases(r, load, i)
					}
				}
			}
		}
	}
}

// selectReleases records that the cases of sel receiving from ch release
// holder h on the branch that takes them.
func (g *Graph) selectReleases(sel *ssa.Select, ch ssa.Value, h int) {
	for k, st := range sel.States {
		if st.Chan != ch {
			continue
		}
		if g.SelectRecvs == nil {
			g.SelectRecvs = map[*ssa.Select]map[int]int{}
		}
		if g.SelectRecvs[sel] == nil {
			g.SelectRecvs[sel] = map[int]int{}
		}
		g.SelectRecvs[sel][k] = h
	}
}

// doneReceives records receives from the Done channel of the site's own
// context as releases: once <-ctx.Done() returns, the context is cancelled
// (by its parent or its deadline) and detached from its parent.
func (c *Core) doneReceives(g *Graph, s *Site) {
	refs := s.Call.Referrers()
	if refs == nil {
		return
	}
	for _, instr := range *refs {
		ext, ok := instr.(*ssa.Extract)
		if !ok || ext.Index == s.Acq.Result {
			continue
		}
		for _, use := range *ext.Referrers() {
			call, ok := use.(*ssa.Call)
			if !ok || !call.Call.IsInvoke() || call.Call.Value != ext || !c.table.IsDone(call.Call.Method) {
				continue
			}
			for _, recv := range *call.Referrers() {
				switch u := recv.(type) {
				case *ssa.UnOp:
					if u.Op == token.ARROW {
						g.Effects[u] = append(g.Effects[u], HolderEffect{Kind: EffDischarge, From: 0})
					}
				case *ssa.Select: // case <-ctx.Done(): released on that branch
					g.selectReleases(u, call, 0)
				}
			}
		}
	}
}

// PickLeak chooses the evidence to show: an overwrite is the most specific;
// then a loop iteration (a path that iterates again usually also leaves the
// loop and returns, but the iteration is where the user must act); then
// the first return in source order.
func PickLeak(leaks []Leak) *Leak {
	rank := func(l Leak) int {
		switch l.Kind {
		case LeakOverwrite:
			return 0
		case LeakLoop:
			return 1
		}
		return 2
	}
	best := leaks[0]
	for _, l := range leaks[1:] {
		if rank(l) < rank(best) || (rank(l) == rank(best) && l.Pos < best.Pos) {
			best = l
		}
	}
	return &best
}

func isMainMain(fn *ssa.Function) bool {
	return fn.Name() == "main" && fn.Parent() == nil && fn.Signature.Recv() == nil &&
		fn.Pkg != nil && fn.Pkg.Pkg.Name() == "main"
}

// contextOnlyPassed reports whether every other result of the site's call
// is only passed as a call argument (or compared, or unused).
func contextOnlyPassed(s *Site) bool {
	refs := s.Call.Referrers()
	if refs == nil {
		return true
	}
	for _, instr := range *refs {
		ext, ok := instr.(*ssa.Extract)
		if !ok {
			return false
		}
		if ext.Index == s.Acq.Result {
			continue
		}
		for _, use := range *ext.Referrers() {
			switch use := use.(type) {
			case *ssa.DebugRef:
			case ssa.CallInstruction:
				if _, isGo := use.(*ssa.Go); isGo || use.Common().Value == ext {
					return false
				}
			default:
				return false
			}
		}
	}
	return true
}

// FuncName names a function in a diagnostic: its name, T.M for a method,
// "the function literal" for a closure.
func FuncName(fn *ssa.Function) string {
	if fn.Parent() != nil {
		return "the function literal"
	}
	if recv := fn.Signature.Recv(); recv != nil {
		t := recv.Type()
		if p, ok := t.(*types.Pointer); ok {
			t = p.Elem()
		}
		if n, ok := types.Unalias(t).(*types.Named); ok {
			return n.Obj().Name() + "." + fn.Name()
		}
	}
	return fn.Name()
}

// LineOf is pos's file and line (column and offset zeroed): the key the
// passes use to report one finding per line.
func LineOf(fset *token.FileSet, pos token.Pos) token.Position {
	p := fset.Position(pos)
	p.Column, p.Offset = 0, 0
	return p
}

// SelectCaseBlock is the block that case k of a select continues in (go/ssa
// tests the select's index against each case in turn), nil if there is
// none (the case's body was pruned).
func SelectCaseBlock(sel *ssa.Select, k int) *ssa.BasicBlock {
	for _, u := range *sel.Referrers() {
		ext, ok := u.(*ssa.Extract)
		if !ok || ext.Index != 0 {
			continue
		}
		for _, v := range *ext.Referrers() {
			bin, ok := v.(*ssa.BinOp)
			if !ok || bin.Op != token.EQL {
				continue
			}
			if kc, ok := bin.Y.(*ssa.Const); !ok || kc.Int64() != int64(k) {
				continue
			}
			for _, w := range *bin.Referrers() {
				if iff, ok := w.(*ssa.If); ok {
					return iff.Block().Succs[0]
				}
			}
		}
	}
	return nil
}
