package flow

import (
	"go/constant"
	"go/token"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ssa"
)

// WalkBudget bounds the CFG states one obligation walk may visit. Past it
// the walk gives up and the site stays silent.
const WalkBudget = 20000

// maxFacts bounds the branch facts a path carries.
const maxFacts = 8

// WalkSpec is one obligation walk: from instruction start of block (the
// root holder live), search for exits reached without discharge.
type WalkSpec struct {
	Fn    *ssa.Function
	G     *Graph
	Block *ssa.BasicBlock
	Start int // index of the first instruction to interpret
	// deferred are the cells a closure deferred before start releases.
	deferred uint64
	// goexitLeaks: ending the goroutine (t.Fatal, runtime.Goexit) without
	// the release is a leak: the obligation is to other goroutines (a
	// WaitGroup's Wait), not to the process.
	goexitLeaks bool
	// Facts hold at start: the branches that lead to it on every path.
	Facts []fact
	// errValue is the call's error result when the acquired function is
	// nil whenever it is non-nil.
	errValue ssa.Value
	// Restart, if set, makes the resource anew: reaching it again (around
	// a loop) loses the one the walk follows.
	Restart ssa.Instruction
	// Count, if set, makes the obligation a number of values (a channel's
	// senders): each discharge takes one, and a path is done when no more
	// are pending than the buffer holds.
	Count *Counting
	// site, when the walk starts at an acquire: reaching site.Call again is
	// a loop iteration that loses the resource; reaching another acquire
	// assigned to the same variable is an overwrite.
	site *Site
}

// WalkResult summarises every path of a walk.
type WalkResult struct {
	Leaks      []Leak       // path ends that lose the resource
	defers     []*ssa.Defer // defers that released it on some path
	discharged bool         // some path releases it
	transfers  bool         // some path gives it away
	BudgetOut  bool
}

// Counting is an obligation of several values: start are pending when
// the walk begins, each go statement in gos adds its values (up to total,
// the most there can be), and capacity of them may stay pending.
type Counting struct {
	Start, Total int
	Gos          map[ssa.Instruction]int
	Capacity     int64
}

// settled reports whether no more values are pending than the buffer
// holds: nothing blocks.
func (w *WalkSpec) settled(st *state) bool {
	return w.Count != nil && int64(st.pending) <= w.Count.Capacity
}

type fact struct {
	v   ssa.Value
	val constant.Value // for v == val facts; nil: v is a branch condition
	eq  bool           // v == val (or the condition's outcome)
}

type state struct {
	b        *ssa.BasicBlock
	i        int
	live     uint64
	deferred uint64 // cells whose content a deferred closure releases at exit
	// cellDefers are the deferred closures over a cell registered while
	// it held the resource (for reporting a defer in a loop).
	cellDefers []*ssa.Defer
	facts      []fact
	overwrite  token.Pos // an acquire into the same variable was passed
	pending    int       // values still owed (walkSpec.count)
}

func (c *Core) Walk(w *WalkSpec) WalkResult {
	c.stats.Walks.Add(1)
	var out WalkResult
	tested := c.TestedValues(w.Fn)
	seen := map[string]bool{}
	first := state{b: w.Block, i: w.Start, live: 1 | w.G.alwaysLive(), deferred: w.deferred, facts: w.Facts}
	if w.Count != nil {
		first.pending = w.Count.Start
	}
	stack := []state{first}
	states := 0
	for len(stack) > 0 {
		st := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		states++
		if states > WalkBudget {
			out.BudgetOut = true
			c.stats.BudgetOut.Add(1)
			break
		}
		c.stats.States.Add(1)
		succs, ended := c.step(w, &st, tested, &out)
		if ended {
			continue
		}
		for _, next := range succs {
			key := next.key(tested)
			if seen[key] {
				continue
			}
			seen[key] = true
			stack = append(stack, next)
		}
	}
	return out
}

// key identifies a state for memoisation. Facts are only ever about
// tested values, which carry a small id.
func (s *state) key(t *tested) string {
	var b strings.Builder
	b.WriteString(strconv.Itoa(s.b.Index))
	b.WriteByte('/')
	b.WriteString(strconv.FormatUint(s.live, 16))
	if s.deferred != 0 {
		b.WriteString("d" + strconv.FormatUint(s.deferred, 16))
	}
	if s.overwrite.IsValid() {
		b.WriteString("/o")
	}
	if s.pending != 0 {
		b.WriteString("/p" + strconv.Itoa(s.pending))
	}
	for _, f := range s.facts {
		b.WriteByte('/')
		b.WriteString(strconv.Itoa(t.ids[f.v]))
		if f.val != nil {
			b.WriteString("=" + f.val.ExactString())
		}
		if f.eq {
			b.WriteByte('t')
		} else {
			b.WriteByte('f')
		}
	}
	return b.String()
}

// step interprets st.b from st.i. It returns the successor states, or
// ended when the path stops here (released, transferred, exit, no return).
func (c *Core) step(w *WalkSpec, st *state, tested *tested, out *WalkResult) (succs []state, ended bool) {
	g := w.G
	for i := st.i; i < len(st.b.Instrs); i++ {
		instr := st.b.Instrs[i]
		if len(st.facts) > 0 {
			if v, ok := instr.(ssa.Value); ok {
				// around a loop the value is computed anew: facts about the
				// previous iteration's value no longer hold
				st.facts = dropFacts(st.facts, v)
			}
		}
		if w.Restart != nil && instr == w.Restart {
			if w.settled(st) {
				out.discharged = true // what is left fits in the old buffer
				return nil, true
			}
			out.Leaks = append(out.Leaks, Leak{Kind: LeakLoop, Pos: InnermostLoop(w.Fn, instr.Pos())})
			return nil, true
		}
		if w.Count != nil {
			if n := w.Count.Gos[instr]; n > 0 {
				// another go statement, or the first one again around its
				// loop: more values (bounded: at most the total)
				st.pending = min(st.pending+n, w.Count.Total)
			}
		}
		if w.site != nil {
			if instr == w.site.Call { // around a loop: it acquires again
				out.Leaks = append(out.Leaks, Leak{Kind: LeakLoop, Pos: InnermostLoop(w.Fn, w.site.Call.Pos())})
				return nil, true
			}
			if call, ok := instr.(*ssa.Call); ok && call != w.site.Call && !st.overwrite.IsValid() {
				if other := c.siteOf[call]; other != nil && other.Var != nil && other.Var == w.site.Var {
					st.overwrite = call.Pos()
				}
			}
		}
		for _, e := range g.Effects[instr] {
			live := e.From == alwaysLive || e.From >= 0 && st.live&(1<<e.From) != 0
			switch e.Kind {
			case effDeferCell:
				if st.live&(1<<e.From) != 0 {
					if d, ok := instr.(*ssa.Defer); ok {
						// it releases this resource only if the variable
						// still holds it at exit: decided at the return
						st.cellDefers = append(slices.Clip(st.cellDefers), d)
					}
				}
				st.deferred |= 1 << e.From
			case effDefine:
				st.live = setBit(st.live, e.to, live)
			case effStore:
				st.live = setBit(st.live, e.to, live)
			case EffDischarge:
				if live && w.Count != nil {
					st.pending = max(st.pending-1, 0) // one value taken
					if !w.settled(st) {
						continue
					}
				}
				if live {
					out.discharged = true
					if d, ok := instr.(*ssa.Defer); ok {
						out.defers = appendDefer(out.defers, d)
					}
					return nil, true
				}
			case effTransfer:
				if live {
					out.transfers = true
					return nil, true
				}
			}
		}
		switch instr := instr.(type) {
		case *ssa.Return:
			if w.settled(st) {
				out.discharged = true // the buffer holds what is left
				return nil, true
			}
			if st.live&st.deferred != 0 {
				out.discharged = true // a deferred closure releases the variable's value
				for _, d := range st.cellDefers {
					out.defers = appendDefer(out.defers, d)
				}
				return nil, true
			}
			out.Leaks = append(out.Leaks, c.leakAt(w, st, instr))
			return nil, true
		case *ssa.Panic:
			return nil, true // a panic is not a leak
		case ssa.CallInstruction:
			if _, isGo := instr.(*ssa.Go); !isGo {
				if w.goexitLeaks && c.Goexits(instr.Common()) {
					// t.Fatal, runtime.Goexit: the goroutine ends, running
					// only its defers; a release still to come is skipped
					out.Leaks = append(out.Leaks, Leak{Kind: LeakReturn, Pos: instr.Pos()})
					return nil, true
				}
				if c.NoReturn(instr.Common()) {
					return nil, true // os.Exit, log.Fatal, t.Fatal...
				}
			}
		case *ssa.If:
			cond := instr.Cond
			val, known := evalCond(g, st, cond)
			if !known && c.IsTimerRangeExit(st.b) {
				val, known = true, true // a timer channel never closes
			}
			for k, succ := range st.b.Succs {
				taken := k == 0 // Succs[0] is the true branch
				if known && taken != val {
					continue
				}
				if g.DischargeEdge != nil && g.DischargeEdge(st.b, k) {
					out.discharged = true
					continue
				}
				next := c.enter(g, st, succ, tested)
				if h, ok := selectCase(g, cond, taken); ok && st.live&(1<<h) != 0 {
					// this case received the value (a timer's, a channel's)
					next.pending = max(next.pending-1, 0)
					if w.Count == nil || w.settled(&next) {
						out.discharged = true
						continue
					}
				}
				if w.errValue != nil && errBranch(cond, w.errValue, taken) {
					// the constructor returns a nil cancel func with every
					// non-nil error: on the err != nil branch nothing is owed
					out.discharged = true
					continue
				}
				if !known { // a known outcome adds nothing
					next.facts = addFacts(next.facts, tested, cond, taken)
				}
				succs = append(succs, next)
			}
			return succs, false
		}
	}
	for k, succ := range st.b.Succs {
		if g.DischargeEdge != nil && g.DischargeEdge(st.b, k) {
			out.discharged = true
			continue
		}
		succs = append(succs, c.enter(g, st, succ, tested))
	}
	return succs, false
}

// enter computes the state at the top of succ, coming from st.b: phi
// holders take the liveness of their incoming edge, and facts about values
// no block ahead tests are forgotten.
func (c *Core) enter(g *Graph, st *state, succ *ssa.BasicBlock, tested *tested) state {
	next := state{b: succ, live: st.live, deferred: st.deferred, overwrite: st.overwrite, cellDefers: st.cellDefers, pending: st.pending}
	for _, f := range st.facts {
		if tested.aheadOf(succ, f.v) {
			next.facts = append(next.facts, f) // still useful ahead
		}
	}
	if phis := g.Phis[succ]; len(phis) > 0 {
		pred := slices.Index(succ.Preds, st.b)
		for _, j := range phis {
			phi := g.Holders[j].V.(*ssa.Phi)
			in := false
			if pred >= 0 {
				if k, ok := g.Index[phi.Edges[pred]]; ok {
					in = st.live&(1<<k) != 0
				}
			}
			next.live = setBit(next.live, j, in)
		}
	}
	return next
}

func (c *Core) leakAt(w *WalkSpec, st *state, ret *ssa.Return) Leak {
	if st.overwrite.IsValid() {
		return Leak{Kind: LeakOverwrite, Pos: st.overwrite}
	}
	if isRangeFuncBody(w.Fn) && w.site != nil {
		// A return of a range-over-func body ends one iteration.
		return Leak{Kind: LeakLoop, Pos: InnermostLoop(w.Fn, w.site.Call.Pos())}
	}
	pos := ret.Pos()
	if !pos.IsValid() {
		if body := funcBody(w.Fn); body != nil {
			pos = body.Rbrace
		}
	}
	return Leak{Kind: LeakReturn, Pos: pos}
}

// evalCond decides cond on the path when the facts allow it.
func evalCond(g *Graph, st *state, cond ssa.Value) (val, known bool) {
	for _, f := range st.facts {
		if f.v == cond && f.val == nil {
			return f.eq, true
		}
	}
	bin, ok := cond.(*ssa.BinOp)
	if !ok {
		return false, false
	}
	if kx, ok := bin.X.(*ssa.Const); ok && kx.Value != nil {
		// go/ssa does not fold the entry test of `for range K`: 0 < K
		if ky, ok := bin.Y.(*ssa.Const); ok && ky.Value != nil && kx.Value.Kind() == ky.Value.Kind() {
			switch bin.Op {
			case token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ:
				return constant.Compare(kx.Value, bin.Op, ky.Value), true
			}
		}
	}
	if bin.Op != token.EQL && bin.Op != token.NEQ {
		return false, false
	}
	x, y := bin.X, bin.Y
	if _, ok := x.(*ssa.Const); ok {
		x, y = y, x
	}
	k, ok := y.(*ssa.Const)
	if !ok {
		return false, false
	}
	eq := bin.Op == token.EQL
	// A live value holder is a non-nil func: cancel != nil holds.
	if k.IsNil() {
		if i, ok := g.Index[x]; ok && !g.Holders[i].cell && st.live&(1<<i) != 0 {
			return !eq, true
		}
		return false, false
	}
	// x == k under a known x == k' (the index of a select, a switch tag).
	for _, f := range st.facts {
		if f.v != x || f.val == nil {
			continue
		}
		if f.eq {
			same := constant.Compare(f.val, token.EQL, k.Value)
			return same == eq, true
		}
		if constant.Compare(f.val, token.EQL, k.Value) {
			return !eq, true // x != k known
		}
	}
	return false, false
}

// addFacts records that cond took the branch taken, and what that says
// about a compared value, keeping at most maxFacts.
func addFacts(facts []fact, tested *tested, cond ssa.Value, taken bool) []fact {
	if len(facts) >= maxFacts {
		return facts
	}
	if tested.has(cond) {
		facts = append(facts, fact{v: cond, eq: taken})
	}
	if bin, ok := cond.(*ssa.BinOp); ok && (bin.Op == token.EQL || bin.Op == token.NEQ) {
		x, y := bin.X, bin.Y
		if _, ok := x.(*ssa.Const); ok {
			x, y = y, x
		}
		if k, ok := y.(*ssa.Const); ok && k.Value != nil && tested.has(x) && len(facts) < maxFacts {
			facts = append(facts, fact{v: x, val: k.Value, eq: taken == (bin.Op == token.EQL)})
		}
	}
	return facts
}

// tested describes the values of a function that more than one branch
// tests: a condition used by two Ifs, or a value compared with constants in
// two conditions (a select's index, a switch tag). Only facts about them
// can ever prune a branch, so only they are carried (and memoised), and
// only while a block that tests them is still ahead.
type tested struct {
	ids   map[ssa.Value]int // at most 64 values
	ahead []uint64          // per block: ids tested in it or after it
}

func (t *tested) has(v ssa.Value) bool { _, ok := t.ids[v]; return ok }

// aheadOf reports whether a block at or after b tests v.
func (t *tested) aheadOf(b *ssa.BasicBlock, v ssa.Value) bool {
	id, ok := t.ids[v]
	return ok && t.ahead[b.Index]&(1<<id) != 0
}

func (c *Core) TestedValues(fn *ssa.Function) *tested {
	if t, ok := c.tested[fn]; ok {
		return t
	}
	operands := func(b *ssa.BasicBlock) []ssa.Value {
		if len(b.Instrs) == 0 {
			return nil
		}
		ifInstr, ok := b.Instrs[len(b.Instrs)-1].(*ssa.If)
		if !ok {
			return nil
		}
		vs := []ssa.Value{ifInstr.Cond}
		if bin, ok := ifInstr.Cond.(*ssa.BinOp); ok && (bin.Op == token.EQL || bin.Op == token.NEQ) {
			x, y := bin.X, bin.Y
			if _, ok := x.(*ssa.Const); ok {
				x, y = y, x
			}
			if _, ok := y.(*ssa.Const); ok {
				vs = append(vs, x)
			}
		}
		return vs
	}
	count := map[ssa.Value]int{}
	for _, b := range fn.Blocks {
		for _, v := range operands(b) {
			count[v]++
		}
	}
	t := &tested{ids: map[ssa.Value]int{}, ahead: make([]uint64, len(fn.Blocks))}
	for _, b := range fn.Blocks { // in block order: deterministic ids
		for _, v := range operands(b) {
			if _, ok := t.ids[v]; !ok && count[v] > 1 && len(t.ids) < 64 {
				t.ids[v] = len(t.ids)
			}
		}
	}
	if len(t.ids) > 0 {
		for _, b := range fn.Blocks {
			for _, v := range operands(b) {
				if id, ok := t.ids[v]; ok {
					t.ahead[b.Index] |= 1 << id
				}
			}
		}
		for changed := true; changed; { // backward closure over the CFG
			changed = false
			for i := len(fn.Blocks) - 1; i >= 0; i-- {
				b := fn.Blocks[i]
				m := t.ahead[i]
				for _, succ := range b.Succs {
					m |= t.ahead[succ.Index]
				}
				if m != t.ahead[i] {
					t.ahead[i], changed = m, true
				}
			}
		}
	}
	c.tested[fn] = t
	return t
}

func setBit(x uint64, i int, on bool) uint64 {
	if on {
		return x | 1<<i
	}
	return x &^ (1 << i)
}

// NoReturn reports whether the call never returns: the apis table
// (interface methods like testing.TB.Fatal included) or, for calls buildssa
// already terminates, nothing to do here.
func (c *Core) NoReturn(common *ssa.CallCommon) bool {
	if common.IsInvoke() {
		return c.table.NoReturn(common.Method)
	}
	if callee := common.StaticCallee(); callee != nil {
		if fn := funcObject(callee); fn != nil {
			return c.table.NoReturn(fn)
		}
	}
	return false
}

// alwaysLive returns the holders that are live on every path: closures
// over the variable's cell.
func (g *Graph) alwaysLive() uint64 {
	var m uint64
	for i, h := range g.Holders {
		if h.refersToCell() {
			m |= 1 << i
		}
	}
	return m
}

func appendDefer(ds []*ssa.Defer, d *ssa.Defer) []*ssa.Defer {
	if slices.Contains(ds, d) {
		return ds
	}
	return append(ds, d)
}

// dropFacts returns facts without those about v, copying when needed.
func dropFacts(facts []fact, v ssa.Value) []fact {
	for i, f := range facts {
		if f.v == v {
			out := slices.Clone(facts[:i])
			for _, g := range facts[i+1:] {
				if g.v != v {
					out = append(out, g)
				}
			}
			return out
		}
	}
	return facts
}

// errBranch reports whether taking branch taken of cond means err != nil.
func errBranch(cond, err ssa.Value, taken bool) bool {
	bin, ok := cond.(*ssa.BinOp)
	if !ok || (bin.Op != token.EQL && bin.Op != token.NEQ) {
		return false
	}
	x, y := bin.X, bin.Y
	if x != err {
		x, y = y, x
	}
	k, ok := y.(*ssa.Const)
	if x != err || !ok || !k.IsNil() {
		return false
	}
	return taken == (bin.Op == token.NEQ)
}

// SeedFacts returns the facts that hold when b is reached: for each
// dominator of b ending in a branch whose one side dominates b, the
// outcome of that branch (if tested again later).
func SeedFacts(b *ssa.BasicBlock, tested *tested) []fact {
	var facts []fact
	for d := b.Idom(); d != nil; d = d.Idom() {
		ifInstr, ok := d.Instrs[len(d.Instrs)-1].(*ssa.If)
		if !ok || len(d.Succs) != 2 || d.Succs[0] == d.Succs[1] {
			continue
		}
		for k, succ := range d.Succs {
			if succ.Dominates(b) && len(succ.Preds) == 1 {
				facts = addFacts(facts, tested, ifInstr.Cond, k == 0)
			}
		}
	}
	return facts
}

// selectCase reports whether taking branch taken of cond means a select
// took a case receiving from the timer of holder h.
func selectCase(g *Graph, cond ssa.Value, taken bool) (h int, ok bool) {
	if len(g.SelectRecvs) == 0 || !taken {
		return 0, false
	}
	bin, isBin := cond.(*ssa.BinOp)
	if !isBin || bin.Op != token.EQL {
		return 0, false
	}
	ext, isExt := bin.X.(*ssa.Extract)
	k, isConst := bin.Y.(*ssa.Const)
	if !isExt || !isConst || ext.Index != 0 {
		return 0, false
	}
	sel, isSel := ext.Tuple.(*ssa.Select)
	if !isSel {
		return 0, false
	}
	idx, exact := constant.Int64Val(k.Value)
	if !exact {
		return 0, false
	}
	h, ok = g.SelectRecvs[sel][int(idx)]
	return h, ok
}

// Goexits reports whether the call ends the goroutine but not the process:
// runtime.Goexit, t.Fatal and the like, or a function of the package that
// always ends in one (a test helper calling t.Fatalf).
func (c *Core) Goexits(common *ssa.CallCommon) bool {
	if c.table.Goexits(CalleeObject(common)) {
		return true
	}
	fn := c.LocalCallee(common)
	if fn == nil {
		return false
	}
	if v, ok := c.goexitFns[fn]; ok {
		return v
	}
	c.goexitFns[fn] = false // recursion: assume it returns
	ends := false
	for _, b := range fn.Blocks {
		switch b.Instrs[len(b.Instrs)-1].(type) {
		case *ssa.Return:
			if len(b.Preds) > 0 || b == fn.Blocks[0] {
				return false // a reachable return
			}
		case *ssa.Panic:
			for _, instr := range b.Instrs {
				if call, ok := instr.(ssa.CallInstruction); ok && c.Goexits(call.Common()) {
					ends = true
				}
			}
		}
	}
	c.goexitFns[fn] = ends
	return ends
}
