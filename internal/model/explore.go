package model

import (
	"go/constant"
	"go/token"
	"go/types"
	"hash/maphash"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"

	"golang.org/x/tools/go/ssa"

	"github.com/leakvet/leakvet/internal/apis"
)

// The explore*.go files are the bounded interleaving explorer: from each
// root, an explicit-state search over the schedules of the goroutines it
// starts, interpreting the package's SSA with data abstracted away and
// control kept. Roots are scenarios (exploreRoots): functions of the
// package that start goroutines, that no function of the package calls
// by name, and whose arguments the package spells out (none but a test's
// *testing.T or F) or that the package itself starts with go; closures
// that capture nothing count too. An API entry with parameters is not a
// root: its objects are its callers'.
//
// Values are constants, references to objects the root made (structs,
// cells, arrays, maps, channels, mutexes, WaitGroups, Conds, Onces,
// closures, contexts), nil, or unknowns (⊤) with symbols: parameters,
// globals, results of other packages' calls, loads through unknown
// pointers (the same symbol until unseen code may have changed the
// memory). A branch on ⊤ explores both ways and remembers what it
// learnt (nil or not, integer bounds); a loop runs as often as its data
// say, within the step budget. Operations on ⊤ objects are the
// environment's: they may proceed at any time. An object the root made is
// tracked exactly; the moment one could leave for code the explorer does
// not see (passed to another package's function, stored in a global or
// through an unknown pointer, read back through an unknown index,
// returned by the root), or two goroutines hand one unknown to unseen
// code (through which they may synchronise), the root's exploration stops
// and reports nothing. A schedule on which the program panics or exits,
// or the test fails or skips, ends there and is dropped.
//
// Goroutines run without interleaving up to their next synchronising
// operation (channel, mutex, WaitGroup, Cond, cancel, sync/atomic); the
// search interleaves those, breadth first with states hashed (symbols
// renamed in the order met), so the schedule that reaches a stuck state
// is a shortest one and the same every run. Memory reads and writes
// between synchronising operations are taken to be race free. States
// share their heap, goroutines, frames and registers until written.
//
// A goroutine is stuck for good in a state when it is blocked and no
// goroutine that can still run can reach, through its frames and the
// heap, the object it is blocked on (directly, or through goroutines that
// such a goroutine could wake): the garbage collector's own criterion for
// a leaked goroutine (the goroutineleak profile). Each such goroutine's
// blocking instruction is recorded once, with the schedule that got there.
//
// Budgets: states, steps and forks per root, and steps per package. Past
// a root's budget the explorer keeps what it found on the schedules it ran
// (each is a real schedule of the abstraction) and counts the root in
// Stats.

// Stuck is a goroutine the explorer found blocked for good.
type Stuck struct {
	// Instr is the instruction it blocks at: a send, receive, select, or
	// a call of Lock, RLock, Wait or Cond.Wait (a deferred one's Defer).
	Instr ssa.Instruction
	// Kind is what it blocks on.
	Kind StuckKind
	// Root is the function whose exploration found it.
	Root *ssa.Function
	// Goroutine names it in Steps ("goroutine 2").
	Goroutine string
	// Go is the go statement that started it (nil for the root).
	Go ssa.Instruction
	// Holder, for a mutex it waits for: the goroutine that holds it and
	// where that one is (blocked at, or returned from, HolderAt).
	Holder     string
	HolderAt   ssa.Instruction
	HolderDone bool // the holder returned
	// Name is the source text of what it blocks on ("s.mu", "ch").
	Name string
	// Read: a StuckLock is an RLock.
	Read bool
	// Steps is the schedule that reaches the stuck state, oldest first;
	// the last step is this goroutine blocking.
	Steps []XStep
}

// StuckKind is what a stuck goroutine waits for.
type StuckKind uint8

const (
	StuckSend StuckKind = iota + 1
	StuckRecv
	StuckSelect
	StuckLock // Mutex.Lock, RWMutex.Lock or RLock
	StuckWait // WaitGroup.Wait
	StuckCond // Cond.Wait
)

// XStep is one step of an explored schedule.
type XStep struct {
	Goroutine string
	Instr     ssa.Instruction
	What      string // "sends on", "locks", "starts goroutine 3", "blocks forever"
}

// Explored are the explorer's findings, in the order found.
func (m *Model) Explored() []*Stuck { return m.stuck }

type xbudget struct {
	states, steps int // per root
	forks         int // per root: states forked on a branch on ⊤
	pkgSteps      int // per package
	maxThreads    int
	maxFrames     int
}

// defaultXBudget: forks is 50 (it was 200). A fork is a branch on a value
// the explorer has lost, and every fork doubles what the root explores
// while the schedules it adds rest on less of the program's data. The
// deepest GoKer root that runs to its end takes 45 forks; on the
// comparison corpus the one finding that needed more than 50 was false
// (client-go's TestRealFIFO_addUpdate), and roots that spent their 200
// forks on tests branching on every error were 80% of the explorer's
// time in net's test variant (bench/README.md).
var defaultXBudget = xbudget{states: 600, steps: 20000, forks: 50, pkgSteps: 300000, maxThreads: 12, maxFrames: 24}

// explore runs the explorer from every root of the package.
func (m *Model) explore() {
	if exploreOff {
		return
	}
	x := &explorer{m: m, lim: m.xlim, seen: map[ssa.Instruction]bool{}, indexes: map[*ssa.Function]*fnIndex{}, seed: maphash.MakeSeed()}
	if x.lim.states == 0 {
		x.lim = defaultXBudget
	}
	roots := m.exploreRoots()
	if HoldHeap && len(roots) > 0 {
		defer holdHeap()()
	}
	for _, root := range roots {
		if x.pkgSteps > x.lim.pkgSteps {
			m.Stats.ExploreOut++
			m.xwhy = append(m.xwhy, root.Name()+":package:false")
			continue
		}
		x.run(root)
	}
}

// exploreOff: LEAKVET_EXPLORE=0 turns the explorer off (to measure its
// cost: bench/README.md).
var exploreOff = os.Getenv("LEAKVET_EXPLORE") == "0"

// exploreRoots are the functions the explorer starts from: functions of
// the package (not closures) that start goroutines, directly or through
// the package's functions they call, and that no function of the package
// calls. Methods of generic types and generic functions are left out:
// their bodies are generic.
func (m *Model) exploreRoots() []*ssa.Function {
	starts := map[*ssa.Function]bool{}
	var reach func(fn *ssa.Function, depth int) bool
	reach = func(fn *ssa.Function, depth int) bool {
		if v, ok := starts[fn]; ok {
			return v
		}
		starts[fn] = false
		found := false
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch instr := instr.(type) {
				case *ssa.Go:
					found = true
				case ssa.CallInstruction:
					if g := instr.Common().StaticCallee(); g != nil && m.isAfterFunc(g.Object()) {
						found = true // its function runs in a goroutine of its own
					}
					if depth < 6 {
						for _, g := range m.callees[instr] {
							if m.inPkg[g] && reach(g, depth+1) {
								found = true
							}
						}
					}
				}
				if found {
					break
				}
			}
		}
		for _, anon := range fn.AnonFuncs {
			if !found && reach(anon, depth+1) {
				found = true
			}
		}
		starts[fn] = found
		return found
	}
	var roots []*ssa.Function
	for _, fn := range m.funcs {
		if fn.Blocks == nil || fn.TypeParams().Len() > 0 || fn.Synthetic != "" {
			continue
		}
		// A closure is a root when it captures nothing: started by go
		// statements, each of its goroutines stands on its own.
		if fn.Parent() != nil && (len(fn.FreeVars) > 0 || len(m.callersOf[fn]) == 0) {
			continue
		}
		if m.calledStatically(fn) || !reach(fn, 0) {
			continue
		}
		// A scenario: the package says what its arguments are (none but
		// a test's *T), or it starts the function itself with go. An API
		// entry with parameters is not one: what it operates on is its
		// callers', which the explorer does not see (and under go vet the
		// package is most often a dependency, analyzed for its facts).
		if unknownParams(fn) > 0 && !m.startedByGo(fn) {
			continue
		}
		roots = append(roots, fn)
	}
	// Scenarios the package spells out (no parameters but a test's *T)
	// first: a goroutine stuck in one of them and in a function they
	// start is reported with the scenario that shows its arguments.
	slices.SortStableFunc(roots, func(a, b *ssa.Function) int { return unknownParams(a) - unknownParams(b) })
	return roots
}

// isAfterFunc reports whether obj is time.AfterFunc (the API table's
// FuncTimer: its function runs in a goroutine of its own).
func (m *Model) isAfterFunc(obj types.Object) bool {
	fn, _ := obj.(*types.Func)
	a := m.api.Acquire(fn)
	return a != nil && a.Kind == apis.FuncTimer
}

// unknownParams counts fn's parameters other than a *testing.T or F.
func unknownParams(fn *ssa.Function) int {
	n := 0
	for _, p := range fn.Params {
		if !isTestingParam(p.Type()) {
			n++
		}
	}
	return n
}

// isTestingParam reports whether t is *testing.T or *testing.F: a test's
// or fuzz target's own. A benchmark's *testing.B is not: its loops run
// b.N times, which the explorer cannot count.
func isTestingParam(t types.Type) bool {
	if ptr, ok := t.(*types.Pointer); ok {
		if nt, ok := ptr.Elem().(*types.Named); ok && nt.Obj().Pkg() != nil && nt.Obj().Pkg().Path() == "testing" {
			return nt.Obj().Name() == "T" || nt.Obj().Name() == "F"
		}
	}
	return false
}

// calledStatically reports whether a function of the package calls fn
// by name. A function called only through a value (a handler, a
// registered test) is a root: what calls it is not the package's code.
// So is one only started by go statements: each goroutine running it is
// explored on its own, its parameters unknown (a go statement in a loop
// starts more goroutines than a root's exploration can hold).
func (m *Model) calledStatically(fn *ssa.Function) bool {
	for _, site := range m.callersOf[fn] {
		if _, isGo := site.(*ssa.Go); isGo {
			continue
		}
		if site.Common().StaticCallee() != nil {
			return true
		}
	}
	return false
}

// startedByGo reports whether a go statement of the package starts fn.
func (m *Model) startedByGo(fn *ssa.Function) bool {
	for _, site := range m.callersOf[fn] {
		if _, isGo := site.(*ssa.Go); isGo {
			return true
		}
	}
	return false
}

type explorer struct {
	m        *Model
	seed     maphash.Seed // of the states' hashes
	lim      xbudget
	root     *ssa.Function
	steps    int // this root's
	pkgSteps int
	abort    bool // this root's exploration stopped: something left for unseen code
	over     bool // this root passed its budget
	why      string
	// cut: a schedule was dropped for a budget or an instruction not
	// modelled, not because the program ended; covered and stuckAt: the
	// positions of the operations this root ran, and of those it found
	// stuck (see Refuted).
	cut              bool
	covered, stuckAt map[token.Pos]bool
	forks            int
	// derived: the symbols of what unknown pointers lead to (derive);
	// nextSym: the last symbol given.
	derived map[derivKey]int32
	derivOf map[int32]derivKey
	indexes map[*ssa.Function]*fnIndex
	// originOf, users, inert: which unknown each symbol comes from, the
	// goroutine that gave it to unseen code, and the unknowns that do not
	// synchronise (a test's *testing.T): see use.
	originOf map[int32]int32
	users    map[int32]int
	inert    map[int32]bool
	nextSym  int32
	seen     map[ssa.Instruction]bool
	hasher   *hasher // reused by hash
}

// run explores the schedules of one root breadth first.
func (x *explorer) run(root *ssa.Function) {
	x.root, x.steps, x.forks, x.abort, x.over, x.why = root, 0, 0, false, false, ""
	x.cut, x.covered, x.stuckAt = false, map[token.Pos]bool{}, map[token.Pos]bool{}
	x.derived, x.derivOf, x.nextSym = map[derivKey]int32{}, map[int32]derivKey{}, int32(len(root.Params))
	x.originOf, x.users, x.inert = map[int32]int32{}, map[int32]int{}, map[int32]bool{}
	for i, p := range root.Params {
		if isTestingParam(p.Type()) {
			x.inert[int32(i+1)] = true
		}
	}
	s0 := &state{tr: &trail{}}
	t := &thread{id: 0, wgDone: -1}
	s0.threads = []*thread{t}
	f := x.newFrame(s0, root, nil)
	for i := range root.Params {
		f.set(root.Params[i], val{k: vTop, sym: int32(i + 1)})
	}
	t.frames = []*frame{f}
	start := x.settle(s0)
	visited := map[stateKey]bool{}
	var queue []*state
	for _, s := range start {
		if h := x.hash(s); !visited[h] {
			visited[h] = true
			queue = append(queue, s)
		}
	}
	for len(queue) > 0 && !x.abort {
		s := queue[0]
		queue[0] = nil
		queue = queue[1:]
		x.checkLeaks(s)
		if x.over {
			continue // past the budget: only the states already queued are checked
		}
	expand:
		for ti := range s.threads {
			for _, next := range x.step(s, ti) {
				for _, n := range x.settle(next) {
					if x.abort || x.over {
						break expand
					}
					if len(visited) >= x.lim.states {
						x.over, x.why = true, "states"
						break expand
					}
					if h := x.hash(n); !visited[h] {
						visited[h] = true
						queue = append(queue, n)
					}
				}
			}
		}
	}
	if x.over || x.abort {
		x.m.Stats.ExploreOut += b2i(x.over && !x.abort)
		x.m.Stats.ExploreEscaped += b2i(x.abort)
	}
	x.m.Stats.ExploreRoots++
	if !x.over && !x.abort && !x.cut {
		if x.m.explored == nil {
			x.m.explored = map[*ssa.Function]*explored{}
		}
		x.m.explored[root] = &explored{covered: x.covered, stuck: x.stuckAt}
	}
	if x.over || x.abort {
		x.m.xwhy = append(x.m.xwhy, root.Name()+":"+x.why+":"+strconv.FormatBool(x.abort))
	}
	x.m.Stats.ExploreStates += len(visited)
	if x.abort {
		// What this root found before it stopped may rest on an object
		// unseen code could reach: drop it.
		x.m.stuck = slices.DeleteFunc(x.m.stuck, func(st *Stuck) bool {
			if st.Root == root {
				delete(x.seen, st.Instr)
				return true
			}
			return false
		})
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// checkLeaks records the goroutines stuck for good in s.
func (x *explorer) checkLeaks(s *state) {
	enabled := make([]bool, len(s.threads))
	blocked := false
	for i, t := range s.threads {
		enabled[i] = !t.done && x.enabled(s, t)
		blocked = blocked || (!t.done && !enabled[i])
	}
	if !blocked {
		return
	}
	marked := make([]bool, len(s.heap))
	live := make([]bool, len(s.threads))
	var work []int32
	mark := func(v val) {
		v.refs(func(r int32) {
			if !marked[r] {
				marked[r] = true
				work = append(work, r)
			}
		})
	}
	flush := func() {
		for len(work) > 0 {
			r := work[len(work)-1]
			work = work[:len(work)-1]
			s.heap[r].each(mark)
		}
	}
	for i, t := range s.threads {
		if enabled[i] {
			live[i] = true
			t.each(mark)
		}
	}
	flush()
	for changed := true; changed; {
		changed = false
		for i, t := range s.threads {
			if live[i] || t.done {
				continue
			}
			for _, r := range x.waitsOn(s, t) {
				if marked[r] {
					live[i] = true
					changed = true
					t.each(mark)
					flush()
					break
				}
			}
		}
	}
	for i, t := range s.threads {
		if live[i] || t.done {
			continue
		}
		at, kind := x.blockingInstr(s, t)
		if at != nil {
			x.covered[at.Pos()] = true
			x.stuckAt[at.Pos()] = true
		}
		if at == nil || x.seen[at] {
			continue
		}
		x.seen[at] = true
		st := &Stuck{Instr: at, Kind: kind, Root: x.root, Goroutine: gname(t.id), Go: t.goAt, Name: x.m.opName(at)}
		if op := x.op(s, t); op != nil && op.kind == xRLock {
			st.Read = true
		}
		if kind == StuckLock || kind == StuckCond {
			x.holder(s, t, st)
		}
		st.Steps = s.schedule()
		st.Steps = append(st.Steps, XStep{Goroutine: st.Goroutine, Instr: at, What: x.blockWhat(s, t) + ": blocks forever"})
		x.m.stuck = append(x.m.stuck, st)
	}
}

// holder finds the goroutine holding the mutex t waits for.
func (x *explorer) holder(s *state, t *thread, st *Stuck) {
	ws := x.waitsOn(s, t)
	if len(ws) == 0 {
		return
	}
	mu := ws[0]
	if slices.Contains(t.holds, mu) {
		st.Holder = "itself"
		return
	}
	for _, u := range s.threads {
		if u.id == t.id || !slices.Contains(u.holds, mu) {
			continue
		}
		st.Holder = gname(u.id)
		if u.done {
			st.HolderAt, st.HolderDone = u.lastAt, true
		} else {
			st.HolderAt, _ = x.blockingInstr(s, u)
		}
		return
	}
}

func gname(id int) string { return "goroutine " + strconv.Itoa(id+1) }

// state is one state of the search: the goroutines and the heap.
type state struct {
	threads []*thread
	heap    []*obj // shared between states until written: see mut
	id      int64  // the owner of the objects it may write in place
	// tr: the schedule that reached it. A state does not point to the
	// state it came from, only to that state's steps: a root's explored
	// states would otherwise all stay live until the root ends (each
	// queued state holding its ancestors' goroutines and heaps).
	tr  *trail
	seq int // Cond waiters' order
	// ops: each goroutine's operation once the state is settled (see op;
	// a clone starts without).
	ops     []*xop
	opsDone []bool
	// syms: what the branches taken say of the symbols' values; nils:
	// which are nil (false) or not (true).
	syms map[int32]bounds
	nils map[int32]bool
	// envw: values stored through pointers known only by their symbol;
	// gen: the generation of symbols derived by loads (see forget).
	envw map[int32]val
	gen  int32
}

// trail is a state's own steps and the trail of the state it came from.
type trail struct {
	up    *trail
	steps []XStep
}

func (s *state) schedule() []XStep {
	var chain []*trail
	for p := s.tr; p != nil; p = p.up {
		chain = append(chain, p)
	}
	var out []XStep
	for i := len(chain) - 1; i >= 0; i-- {
		out = append(out, chain[i].steps...)
	}
	return out
}

// step appends a step to s's schedule.
func (s *state) step(st XStep) {
	s.tr.steps = append(s.tr.steps, st)
}

// lastStep is the last step of s's own.
func (s *state) lastStep() *XStep {
	return &s.tr.steps[len(s.tr.steps)-1]
}

// clone copies s for a successor; the copy's schedule continues s's.
func (s *state) clone() *state {
	n := &state{tr: &trail{up: s.tr}, seq: s.seq, syms: maps.Clone(s.syms), nils: maps.Clone(s.nils), envw: maps.Clone(s.envw), gen: s.gen}
	n.threads = slices.Clone(s.threads)
	// The heap is shared until written (mut): neither s nor n owns an
	// object any more.
	n.heap = slices.Clone(s.heap)
	s.id, n.id = stateIDs.Add(1), stateIDs.Add(1)
	return n
}

// fork copies s as a sibling: same schedule so far.
func (s *state) fork() *state {
	n := s.clone()
	n.tr = &trail{up: s.tr.up, steps: slices.Clone(s.tr.steps)}
	return n
}

func (s *state) alloc(o obj) val {
	o.owner = s.id
	s.heap = append(s.heap, &o)
	return val{k: vRef, ref: int32(len(s.heap) - 1)}
}

// stateKey identifies a state: the hash of its encoding, and the
// encoding's length.
type stateKey struct {
	sum uint64
	n   int
}

// hash is a key of everything that decides the state's future. Symbols
// are renamed in the order met, so that two states that differ only in
// the numbering of their unknowns are one state. The encoding is hashed
// as it is written, not kept: a root's states are compared by 64 bits
// and a length (two different states of one root share a key with odds
// of about one in 10^13 at the state budget).
func (x *explorer) hash(s *state) stateKey {
	h := x.hasher
	if h == nil {
		h = &hasher{ren: map[int32]int32{}, fns: map[*ssa.Function]int32{}}
		h.SetSeed(x.seed)
		x.hasher = h
	}
	h.Reset()
	h.n, h.params, h.order = 0, int32(len(x.root.Params)), h.order[:0]
	clear(h.ren)
	for _, t := range s.threads {
		t.write(h)
		h.WriteByte('|')
	}
	h.WriteByte('#')
	for i := range s.heap {
		s.heap[i].write(h)
		h.WriteByte(';')
	}
	h.WriteByte('#')
	h.num('g', int64(s.gen))
	// What the state knows of its symbols, renamed too (sorted by their
	// numbers: deterministic).
	for _, k := range slices.Sorted(maps.Keys(s.syms)) {
		h.sym(k)
		bd := s.syms[k]
		h.num(':', bd.lo)
		h.num(':', bd.hi)
	}
	for _, k := range slices.Sorted(maps.Keys(s.nils)) {
		h.sym(k)
		h.num(':', int64(b2i(s.nils[k])))
	}
	for _, k := range slices.Sorted(maps.Keys(s.envw)) {
		h.WriteByte('w')
		h.sym(k)
		s.envw[k].write(h)
	}
	// How the symbols met were derived: a load of p.f is the same unknown
	// only where the state's p is.
	for i := 0; i < len(h.order); i++ {
		if d, ok := x.derivOf[h.order[i]]; ok {
			h.WriteByte('d')
			h.sym(d.base)
			h.WriteByte(d.kind)
			h.num('.', int64(d.i))
			h.num('.', int64(d.gen))
		}
	}
	return stateKey{h.Sum64(), h.n}
}

// hasher writes a state's hash.
type hasher struct {
	maphash.Hash
	n      int              // bytes written
	text   *strings.Builder // the encoding too, when set (LEAKVET_EXPLORE_TRACE)
	ren    map[int32]int32
	order  []int32
	params int32 // symbols 1..params: the root's parameters, not renamed
	// fns numbers the functions met, for all of a root's states (nil:
	// functions are written by name).
	fns map[*ssa.Function]int32
	buf [24]byte
}

// num writes tag, then n in decimal: a tag before every number keeps
// the encoding from running two numbers together.
func (h *hasher) num(tag byte, n int64) {
	h.buf[0] = tag
	h.Write(strconv.AppendInt(h.buf[:1], n, 10))
}

// fn writes a function: by its number when h numbers them, else (the
// trace's text) by name.
func (h *hasher) fn(fn *ssa.Function) {
	if h.fns == nil || h.text != nil {
		h.WriteString(fn.String())
		return
	}
	id, ok := h.fns[fn]
	if !ok {
		id = int32(len(h.fns))
		h.fns[fn] = id
	}
	h.num('F', int64(id))
}

func (h *hasher) Write(b []byte) (int, error) {
	h.n += len(b)
	if h.text != nil {
		h.text.Write(b)
	}
	return h.Hash.Write(b)
}

func (h *hasher) WriteString(s string) (int, error) {
	h.n += len(s)
	if h.text != nil {
		h.text.WriteString(s)
	}
	return h.Hash.WriteString(s)
}

func (h *hasher) WriteByte(c byte) error {
	h.n++
	if h.text != nil {
		h.text.WriteByte(c)
	}
	return h.Hash.WriteByte(c)
}

func (h *hasher) sym(s int32) {
	switch {
	case s >= lenSyms:
		h.WriteByte('L')
		h.sym(s - lenSyms)
		return
	case s <= h.params:
		h.num('p', int64(s))
		return
	}
	r, ok := h.ren[s]
	if !ok {
		r = int32(len(h.ren) + 1)
		h.ren[s] = r
		h.order = append(h.order, s)
	}
	h.num('s', int64(r))
}

// thread is one goroutine.
type thread struct {
	owner  int64 // the state that may write it in place
	id     int
	goAt   ssa.Instruction // the go statement that started it
	frames []*frame
	done   bool
	// phase of a two-step operation at the current instruction:
	// RWMutex.Lock announced (1), Cond.Wait waiting (1) or woken (2).
	phase uint8
	cond  int32 // the Cond it waits on (phase 1)
	seq   int
	// pending: a deferred call about to run (its operation is the
	// thread's next one when it is a synchronising call).
	pending *call
	holds   []int32 // mutexes it holds, for the Holder of a report
	lastAt  ssa.Instruction
	wgDone  int32 // WaitGroup.Go: the WaitGroup to mark done when it ends (-1: none)
	// timer: 1 + the AfterFunc timer whose firing starts this goroutine
	// (0: none, or fired)
	timer int32
}

func (t *thread) clone() *thread {
	n := *t
	n.frames = slices.Clone(t.frames) // frames are copied when written: topw
	n.holds = slices.Clone(t.holds)
	if t.pending != nil {
		p := *t.pending
		p.args = slices.Clone(p.args)
		n.pending = &p
	}
	return &n
}

func (t *thread) top() *frame { return t.frames[len(t.frames)-1] }

// topw is t's top frame for writing: copied first unless t owns it.
func (t *thread) topw() *frame {
	f := t.frames[len(t.frames)-1]
	if f.owner != t.owner {
		f = f.clone()
		f.owner = t.owner
		t.frames[len(t.frames)-1] = f
	}
	return f
}

func (t *thread) each(f func(val)) {
	for _, fr := range t.frames {
		for _, c := range fr.regs {
			if c == nil {
				continue
			}
			for _, v := range c.v {
				f(v)
			}
		}
		for _, d := range fr.defers {
			f(d.fn)
			for _, a := range d.args {
				f(a)
			}
		}
	}
	if t.pending != nil {
		f(t.pending.fn)
		for _, a := range t.pending.args {
			f(a)
		}
	}
}

func (t *thread) write(b *hasher) {
	if t.done {
		b.WriteString("done")
		return
	}
	b.num('h', int64(t.phase))
	if t.timer != 0 {
		b.num('T', int64(t.timer))
	}
	if t.pending != nil {
		b.WriteString("p")
		t.pending.fn.write(b)
		for _, a := range t.pending.args {
			a.write(b)
		}
	}
	for _, f := range t.frames {
		f.write(b)
	}
}

// frame is one function activation.
type frame struct {
	owner  int64 // the state whose goroutine may write it in place
	fn     *ssa.Function
	block  int
	idx    int
	prev   int         // the block it came from, for phis
	regs   []*regChunk // by the function's value index (ix), in chunks
	ix     *fnIndex    // shared by every frame of the function
	defers []call
	// unwinding: running its deferred calls for a RunDefers (1) or for
	// Goexit (2).
	unwinding uint8
	// discard: its results go nowhere (a deferred or spawned call).
	discard bool
}

type call struct {
	fn   val // a function, closure or bound method value
	args []val
	at   ssa.Instruction
	// builtin: the builtin it calls
	builtin *ssa.Builtin
	// invoke: a method called through an interface on args[0]
	method *types.Func
}

func (f *frame) clone() *frame {
	n := *f
	n.regs = slices.Clone(f.regs) // chunks are copied when written: set
	n.defers = slices.Clone(f.defers)
	return &n
}

func (f *frame) instr() ssa.Instruction { return f.fn.Blocks[f.block].Instrs[f.idx] }

func (f *frame) write(b *hasher) {
	b.fn(f.fn)
	b.num('@', int64(f.block))
	b.num('.', int64(f.idx))
	b.num('.', int64(f.prev))
	b.num('.', int64(f.unwinding))
	b.WriteByte('{')
	// Registers in the function's value order: deterministic.
	for _, c := range f.regs {
		if c == nil {
			b.WriteString(unsetChunk)
			continue
		}
		for _, v := range c.v {
			v.write(b)
		}
	}
	b.WriteByte('}')
	for _, d := range f.defers {
		b.WriteString("d")
		d.fn.write(b)
		for _, a := range d.args {
			a.write(b)
		}
	}
}

// val is an abstract value.
//
// It is kept small (48 bytes): registers are copied in chunks of vals
// whenever a schedule forks, and that copying is most of what the
// explorer allocates. What only one kind uses shares x.
type val struct {
	k   vkind
	nn  bool       // vTop: known not to be nil
	ref int32      // vRef
	sym int32      // vTop: a symbol, the same unknown wherever it goes (0: none)
	t   types.Type // the dynamic type of an interface holding it
	// x: a vConst's constant.Value, a vFunc's *ssa.Function (nil: some
	// function), a vTuple's []val.
	x any
}

// cv is a vConst's value.
func (v val) cv() constant.Value {
	c, _ := v.x.(constant.Value)
	return c
}

// fnv is a vFunc's function (nil: unknown).
func (v val) fnv() *ssa.Function {
	fn, _ := v.x.(*ssa.Function)
	return fn
}

// tuple is a vTuple's values.
func (v val) tuple() []val {
	t, _ := v.x.([]val)
	return t
}

type vkind uint8

const (
	vTop   vkind = iota // unknown
	vConst              // a constant (bool, number, string)
	vNil                // nil pointer, chan, map, func, interface, slice
	vRef                // an object
	vFunc               // a function of the package or another
	vTuple              // the results of a multi-value instruction
)

var top = val{}

func (v val) refs(f func(int32)) {
	switch v.k {
	case vRef:
		f(v.ref)
	case vTuple:
		for _, e := range v.tuple() {
			e.refs(f)
		}
	}
}

func (v val) write(b *hasher) {
	switch v.k {
	case vTop:
		b.WriteByte('T')
		if v.nn {
			b.WriteByte('!')
		}
		if v.sym != 0 {
			b.sym(v.sym)
		}
	case vConst:
		writeConst(b, v.cv())
	case vNil:
		b.WriteByte('n')
	case vRef:
		b.num('r', int64(v.ref))
	case vFunc:
		b.WriteByte('f')
		if v.fnv() != nil {
			b.fn(v.fnv())
		}
	case vTuple:
		b.WriteByte('(')
		for _, e := range v.tuple() {
			e.write(b)
		}
		b.WriteByte(')')
	}
	b.WriteByte(',')
}

// mut is object r of s for writing: copied first unless s owns it.
func (s *state) mut(r int32) *obj {
	o := s.heap[r]
	if o.owner != s.id {
		c := o.clone()
		c.owner = s.id
		o = &c
		s.heap[r] = o
	}
	return o
}

// thr is goroutine i of s for writing: copied first unless s owns it.
func (s *state) thr(i int) *thread {
	t := s.threads[i]
	if t.owner != s.id {
		t = t.clone()
		t.owner = s.id
		s.threads[i] = t
	}
	return t
}

// stateIDs numbers states for the heap's ownership.
var stateIDs atomic.Int64

// obj is an object the root made.
type obj struct {
	owner int64 // the state that may write it in place
	kind  okind
	typ   types.Type // its type (for a struct, array, map, the value type)
	// fields: the objects of a struct's fields, an array's elements;
	// vals: a cell's value (vals[0]), a closure's bindings, a channel's
	// buffer, a map's values (by keys), an iterator's map (vals[0]).
	fields []int32
	vals   []val
	keys   []string
	fn     *ssa.Function // a closure's function
	n      int           // channel capacity; readers of an RWMutex; WaitGroup counter; iterator position
	flag   bool          // channel closed; mutex locked; RWMutex writer; Once done; context done; map keys lost
	waitW  int           // writers announced at an RWMutex
	env    bool          // a WaitGroup or context the environment may also finish
	parent int32         // context: its parent (-1: none); cancel: its context
	done   int32         // context: its Done channel (-1: not asked yet)
}

type okind uint8

const (
	oCell okind = iota
	oStruct
	oArray
	oChan
	oMutex
	oRWMutex
	oWaitGroup
	oCond // a struct (its fields: L ...) that Waits, Signals
	oOnce
	oMap
	oClosure
	oIter
	oContext
	oCancel
	oRLocker // RWMutex.RLocker(): a Locker whose Lock read-locks parent
	oTimer   // time.AfterFunc's timer: n is its state (timerArmed...), vals[0] its function
)

// The states of an AfterFunc timer.
const (
	timerArmed = iota
	timerFired
	timerStopped
)

func (o obj) clone() obj {
	o.fields = slices.Clone(o.fields)
	o.vals = slices.Clone(o.vals)
	o.keys = slices.Clone(o.keys)
	return o
}

func (o *obj) each(f func(val)) {
	for _, r := range o.fields {
		f(val{k: vRef, ref: r})
	}
	for _, v := range o.vals {
		f(v)
	}
	if o.kind == oContext || o.kind == oCancel {
		if o.parent >= 0 {
			f(val{k: vRef, ref: o.parent})
		}
	}
	if o.kind == oContext && o.done >= 0 {
		f(val{k: vRef, ref: o.done})
	}
}

func (o *obj) write(b *hasher) {
	b.num('k', int64(o.kind))
	for _, r := range o.fields {
		b.num('.', int64(r))
	}
	for i, v := range o.vals {
		if i < len(o.keys) {
			b.num('=', int64(len(o.keys[i])))
			b.WriteString(o.keys[i])
		}
		v.write(b)
	}
	b.num('n', int64(o.n))
	if o.flag {
		b.WriteByte('!')
	}
	b.num('w', int64(o.waitW))
	b.num('p', int64(o.parent))
	b.num('d', int64(o.done))
}

// writeConst writes a constant: by kind, a string by its length first.
// Small numbers and booleans are the common case and written without
// allocating.
func writeConst(b *hasher, c constant.Value) {
	switch c.Kind() {
	case constant.Bool:
		b.num('b', int64(b2i(constant.BoolVal(c))))
		return
	case constant.Int:
		if n, exact := constant.Int64Val(c); exact {
			b.num('i', n)
			return
		}
	case constant.String:
		str := constant.StringVal(c)
		b.num('q', int64(len(str)))
		b.WriteString(str)
		return
	}
	b.num('c', int64(c.Kind()))
	b.WriteString(c.ExactString())
	b.WriteByte(';')
}

// fnIndex numbers a function's values (parameters, free variables, then
// instructions in order): a frame keeps its registers in a slice.
type fnIndex struct {
	id map[ssa.Value]int32
	n  int
}

func (x *explorer) index(fn *ssa.Function) *fnIndex {
	if ix, ok := x.indexes[fn]; ok {
		return ix
	}
	ix := &fnIndex{id: map[ssa.Value]int32{}}
	add := func(v ssa.Value) {
		ix.id[v] = int32(ix.n)
		ix.n++
	}
	for _, p := range fn.Params {
		add(p)
	}
	for _, fv := range fn.FreeVars {
		add(fv)
	}
	for _, b := range fn.Blocks {
		for _, in := range b.Instrs {
			if v, ok := in.(ssa.Value); ok {
				add(v)
			}
		}
	}
	x.indexes[fn] = ix
	return ix
}

// set assigns register v of f, copying its chunk first unless the frame
// owns it.
func (f *frame) set(v ssa.Value, x val) {
	i, ok := f.ix.id[v]
	if !ok {
		return
	}
	c := f.regs[i/chunk]
	if c == nil {
		c = &regChunk{owner: f.owner} // zero vals: ⊤
		f.regs[i/chunk] = c
	} else if c.owner != f.owner {
		n := *c
		n.owner = f.owner
		c = &n
		f.regs[i/chunk] = c
	}
	c.v[i%chunk] = x
}

// get reads register v of f (⊤ when unassigned).
func (f *frame) get(v ssa.Value) (val, bool) {
	if i, ok := f.ix.id[v]; ok {
		if c := f.regs[i/chunk]; c != nil {
			return c.v[i%chunk], true
		}
		return top, true
	}
	return top, false
}

// chunk is how many registers share one copy-on-write block: a fork
// copies the blocks it writes, not a large function's every register.
const chunk = 8

type regChunk struct {
	owner int64
	v     [chunk]val
}

// newRegs are the registers of a frame of a function of n values: all ⊤,
// in chunks made when first written (nil until then).
func newRegs(n int) []*regChunk {
	return make([]*regChunk, (n+chunk-1)/chunk)
}

// unsetChunk is how a chunk of registers never written hashes: chunk ⊤s,
// as a written chunk of ⊤s does.
var unsetChunk = strings.Repeat("T,", chunk)

// explored is what a root's complete exploration saw: every schedule ran
// to its end within the budgets, none was cut.
type explored struct {
	covered, stuck map[token.Pos]bool
}

// Refuted reports whether the explorer ran root's every schedule (within
// its abstraction, no budget passed, none cut, nothing escaping) and saw
// the operation at pos run on some but block for good on none: a rule's
// claim that it blocks forever when root returns does not hold for root.
func (m *Model) Refuted(root *ssa.Function, pos token.Pos) bool {
	e := m.explored[root]
	return e != nil && e.covered[pos] && !e.stuck[pos]
}

// RefutedOp reports whether op runs only inside one root the explorer
// ran completely, and never stayed blocked there though it ran (see
// Refuted): op's function is that root, or a function literal nested in
// it that is only called or started right where it is made, never taken
// as a value that other code could call at another time.
func (m *Model) RefutedOp(op *Op) bool {
	fn := op.Fn
	for fn != nil {
		if e := m.explored[fn]; e != nil {
			return e.covered[op.Pos()] && !e.stuck[op.Pos()]
		}
		if fn.Parent() == nil || !onlyCalled(fn) {
			return false
		}
		fn = fn.Parent()
	}
	return false
}

// onlyCalled reports whether the function literal fn is only ever the
// callee of call, go and defer instructions in its parent.
func onlyCalled(fn *ssa.Function) bool {
	var v ssa.Value = fn
	for _, r := range *fn.Referrers() {
		if mc, ok := r.(*ssa.MakeClosure); ok && mc.Fn == fn {
			v = mc
		}
	}
	refs := v.Referrers()
	return refs != nil && len(*refs) > 0 && calledOnly(v)
}
