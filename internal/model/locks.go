package model

import (
	"go/token"
	"go/types"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/leakvet/leakvet/internal/apis"
	"github.com/leakvet/leakvet/internal/flow"
)

// This file is the model's machinery for locks: sync.Mutex and RWMutex
// named by the path that reaches them from one function's values, the
// locks a call takes for its caller (through calls, closures and
// sync.Once.Do), the search from one acquisition to what takes the lock
// again or returns holding it, and sync.Cond waits with their signals.
//
// Locks are named by paths, not by the unified objects: all instances of
// T.mu are one object, but s.mu and t.mu of two *T are two mutexes, and a
// deadlock is a claim about one mutex. Two paths in one function are one
// mutex when they start at the same value and select the same fields
// through the same loads (a pointer field reloaded between two uses is
// taken to be unchanged). Paths through an index, a map or an interface
// are not followed: such a lock has no key and is never reported.

// A LockKey names one mutex within a function: a root value (a
// parameter, free variable, global, allocation or call result) and the
// field selections (".N") and loads ("*") that lead from it to the mutex.
type LockKey struct {
	Root ssa.Value
	Path string
}

// A LockSite is a call of a method of sync.Mutex, RWMutex or Cond.
type LockSite struct {
	Op    apis.LockOp
	Instr ssa.CallInstruction // a call, or a deferred call
	Key   LockKey             // the mutex or Cond it is called on
}

// Fn is the function the site is in.
func (s *LockSite) Fn() *ssa.Function { return s.Instr.Parent() }

// Read reports whether the site takes a read lock.
func (s *LockSite) Read() bool { return s.Op == apis.RLock }

// An Acquire is a lock a call takes for its caller: the mutex's key in
// the caller and the chain from the call down to the Lock call.
type Acquire struct {
	Key   LockKey
	Class LockClass // for a lock the caller cannot name: its class (Key is zero)
	Read  bool
	Chain []ssa.Instruction // the call in the caller, ..., the Lock call
}

// relAcq is an acquisition relative to a function: of the mutex reached
// from its param'th parameter, fv'th free variable or a global.
type relAcq struct {
	param, fv int // -1 when not
	global    *ssa.Global
	path      string
	read      bool
	chain     []ssa.Instruction
	// class: a lock of a value the function cannot name relative to its
	// parameters, known only by its class (may-acquire summaries only)
	class LockClass
}

// maxChain bounds the calls an acquisition is followed through.
const maxChain = 6

// locks is the lock part of the model, built with it and read-only after.
type locks struct {
	sites   map[*ssa.Function][]*LockSite
	byInstr map[ssa.Instruction]*LockSite
	acq     map[*ssa.Function][]relAcq // locks a call of the function takes on every path
	mayAcq  map[*ssa.Function][]relAcq // locks a call of the function takes on some path
	rel     map[*ssa.Function][]relAcq // locks a call of it may release
	// condUses are the uses of each sync.Cond field of the package's types.
	condUses map[*types.Var][]ssa.Instruction
	// heldIn is the mutexes held on every path into each block of the
	// functions with lock sites.
	heldIn map[*ssa.BasicBlock]heldSet
	// reaches is what the search from each live Lock or RLock found.
	reaches map[*LockSite][]Reach
	// unlockers are, per mutex, the functions that unlock it without
	// locking it first; writers the mutexes something write-locks.
	unlockers map[mutexID][]*ssa.Function
	writers   map[mutexID]bool
	// callAcq and callRel are Acquires and the released keys of the calls
	// in the functions with lock sites, bound once.
	callAcq map[ssa.CallInstruction][]Acquire
	callRel map[ssa.CallInstruction][]LockKey
}

// buildLocks finds the lock sites and the acquisition summaries.
func (m *Model) buildLocks() {
	l := &locks{
		sites:    map[*ssa.Function][]*LockSite{},
		byInstr:  map[ssa.Instruction]*LockSite{},
		acq:      map[*ssa.Function][]relAcq{},
		mayAcq:   map[*ssa.Function][]relAcq{},
		rel:      map[*ssa.Function][]relAcq{},
		condUses: map[*types.Var][]ssa.Instruction{},
	}
	m.locks = l
	any := false
	for _, fn := range m.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if fa, ok := instr.(*ssa.FieldAddr); ok {
					if f := fieldOf(fa.X.Type(), fa.Field); m.isCondPtr(f.Type()) {
						l.condUses[f] = append(l.condUses[f], fa)
					}
				}
				call, ok := instr.(ssa.CallInstruction)
				if !ok {
					continue
				}
				if _, isGo := call.(*ssa.Go); isGo {
					continue
				}
				op := m.api.LockOpOf(flow.CalleeObject(call.Common()))
				if op == apis.NotLockOp || op == apis.OnceDo || len(call.Common().Args) == 0 {
					continue
				}
				root, path, ok := lockPath(call.Common().Args[0])
				if !ok {
					continue
				}
				s := &LockSite{Op: op, Instr: call, Key: LockKey{root, path}}
				l.sites[fn] = append(l.sites[fn], s)
				l.byInstr[call] = s
				any = true
			}
		}
	}
	if !any {
		return
	}
	for _, fn := range m.funcs {
		m.acqOf(fn)
		m.mayAcqOf(fn)
		m.relOf(fn)
	}
	m.bindCalls()
	m.buildHeld()
	m.indexMutexes()
	m.searchAll()
}

func (m *Model) isCondPtr(t types.Type) bool {
	p, ok := types.Unalias(t).(*types.Pointer)
	if !ok {
		return false
	}
	n, ok := types.Unalias(p.Elem()).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "sync" && n.Obj().Name() == "Cond"
}

// lockPath splits the value a lock method is called on into its root and
// path; ok is false for a value reached through an index, a map, an
// interface or anything else a key cannot name.
func lockPath(v ssa.Value) (root ssa.Value, path string, ok bool) {
	var parts []string
	for range 12 {
		switch x := v.(type) {
		case *ssa.FieldAddr:
			parts = append(parts, "."+strconv.Itoa(x.Field))
			v = x.X
		case *ssa.Field:
			parts = append(parts, "."+strconv.Itoa(x.Field))
			v = x.X
		case *ssa.UnOp:
			if x.Op == token.ARROW { // a value received: a root like a call's result
				slices.Reverse(parts)
				return x, strings.Join(parts, ""), true
			}
			if x.Op != token.MUL {
				return nil, "", false
			}
			parts = append(parts, "*")
			v = x.X
		case *ssa.ChangeType:
			v = x.X
		case *ssa.Parameter, *ssa.FreeVar, *ssa.Global, *ssa.Alloc, *ssa.Call, *ssa.Phi,
			*ssa.Lookup, *ssa.Extract, *ssa.TypeAssert:
			// roots: each names one value of the function (a map's
			// element, a tuple's part, an asserted value are values made
			// where they appear, like a call's result)
			slices.Reverse(parts)
			return x, strings.Join(parts, ""), true
		default:
			return nil, "", false
		}
	}
	return nil, "", false
}

// relative expresses key relative to fn: from a parameter, a free
// variable or a global; ok is false for a root of fn's own making.
func relative(fn *ssa.Function, key LockKey, read bool, chain []ssa.Instruction) (relAcq, bool) {
	r := relAcq{param: -1, fv: -1, path: key.Path, read: read, chain: chain}
	switch x := key.Root.(type) {
	case *ssa.Parameter:
		r.param = slices.Index(fn.Params, x)
		return r, r.param >= 0
	case *ssa.FreeVar:
		r.fv = slices.Index(fn.FreeVars, x)
		return r, r.fv >= 0
	case *ssa.Global:
		r.global = x
		return r, true
	}
	return r, false
}

// callTarget is the one function a call site runs, with its arguments
// as the function's parameters and the closure whose bindings are its
// free variables; sync.Once.Do(f) runs f. nil for a call of unseen code
// or of several candidates.
func (m *Model) callTarget(site ssa.CallInstruction) (g *ssa.Function, args []ssa.Value, mc *ssa.MakeClosure) {
	common := site.Common()
	if m.api.LockOpOf(flow.CalleeObject(common)) == apis.OnceDo && len(common.Args) == 2 {
		switch f := common.Args[1].(type) {
		case *ssa.MakeClosure:
			g, _ := f.Fn.(*ssa.Function)
			return g, nil, f
		case *ssa.Function:
			return f, nil, nil
		}
		return nil, nil, nil
	}
	if c, ok := common.Value.(*ssa.MakeClosure); ok {
		g, _ := c.Fn.(*ssa.Function)
		return g, common.Args, c
	}
	if f := common.StaticCallee(); f != nil && f.Blocks != nil {
		return origin(f), common.Args, nil
	}
	if cs := m.callees[site]; len(cs) == 1 && cs[0].Blocks != nil {
		if common.IsInvoke() {
			return cs[0], append([]ssa.Value{common.Value}, common.Args...), nil
		}
		return cs[0], common.Args, nil
	}
	return nil, nil, nil
}

// bind maps an acquisition relative to the callee of site into the
// caller's key.
func bind(r relAcq, args []ssa.Value, mc *ssa.MakeClosure) (LockKey, bool) {
	var v ssa.Value
	switch {
	case r.class != "":
		return LockKey{}, false
	case r.global != nil:
		return LockKey{r.global, r.path}, true
	case r.param >= 0 && r.param < len(args):
		v = args[r.param]
	case r.fv >= 0 && mc != nil && r.fv < len(mc.Bindings):
		v = mc.Bindings[r.fv]
	default:
		return LockKey{}, false
	}
	root, path, ok := lockPath(v)
	if !ok {
		return LockKey{}, false
	}
	return LockKey{root, path + r.path}, true
}

// acqOf is the locks a call of fn may take (and release or not), relative
// to fn. Left out: a Lock under a condition on a bool parameter (the
// caller says by that flag whether it holds the lock already), a deferred
// Lock, and a Lock after a release of the same mutex on every path (the
// function expects it held, and lets go of it first).
func (m *Model) acqOf(fn *ssa.Function) []relAcq {
	return m.summarise(fn, m.locks.acq, m.acquiresForCaller, mustAcquire)
}

// mayAcqOf is acqOf with the locks taken on some path only.
func (m *Model) mayAcqOf(fn *ssa.Function) []relAcq {
	return m.summarise(fn, m.locks.mayAcq, m.acquiresForCaller, mayAcquire)
}

func (m *Model) acquiresForCaller(s *LockSite) bool {
	if s.Op != apis.Lock && s.Op != apis.RLock || guardedByParam(s.Instr) {
		return false
	}
	if _, isDefer := s.Instr.(*ssa.Defer); isDefer {
		return false
	}
	for _, r := range m.locks.sites[s.Fn()] {
		if (r.Op == apis.Unlock || r.Op == apis.RUnlock) && r.Key == s.Key && flow.Dominates(r.Instr, s.Instr) {
			if _, isDefer := r.Instr.(*ssa.Defer); !isDefer {
				return false
			}
		}
	}
	return true
}

// relOf is the locks a call of fn may release, relative to fn: directly,
// in a callee, at its exit or in a goroutine it starts.
func (m *Model) relOf(fn *ssa.Function) []relAcq {
	return m.summarise(fn, m.locks.rel, func(s *LockSite) bool {
		return s.Op == apis.Unlock || s.Op == apis.RUnlock
	}, releases)
}

// sumMode is what a summary collects.
type sumMode uint8

const (
	mustAcquire sumMode = iota // locks taken on every path through the call
	mayAcquire                 // locks taken on some path
	releases                   // locks released, later or in a goroutine too
)

// summarise collects, relative to fn, the sites want picks in fn and in
// the functions it calls. For acquisitions (async false) only what runs on
// every path through fn counts: a Lock the callee takes only on some of
// its paths may rest on data the caller's path rules out.
func (m *Model) summarise(fn *ssa.Function, memo map[*ssa.Function][]relAcq, want func(*LockSite) bool, mode sumMode) []relAcq {
	async, must := mode == releases, mode == mustAcquire
	// classes: locks of values the caller cannot name are kept by class
	// (for lock order) when the summary is of what may be taken
	classes := mode == mayAcquire
	if r, ok := memo[fn]; ok {
		return r
	}
	memo[fn] = nil // in progress: a recursive call adds nothing
	var out []relAcq
	seen := map[string]bool{}
	add := func(r relAcq) {
		k := strconv.Itoa(r.param) + "/" + strconv.Itoa(r.fv) + "/" + r.path + "/" + strconv.FormatBool(r.read)
		if r.global != nil {
			k += "/" + r.global.RelString(nil)
		}
		if r.class != "" {
			k += "/" + string(r.class)
		}
		if !seen[k] {
			seen[k] = true
			out = append(out, r)
		}
	}
	addKey := func(key LockKey, read bool, chain []ssa.Instruction) {
		if r, ok := relative(fn, key, read, chain); ok {
			add(r)
		} else if c := ClassOf(key); classes && c != "" {
			add(relAcq{param: -1, fv: -1, read: read, chain: chain, class: c})
		}
	}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			site, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			if s := m.locks.byInstr[instr]; s != nil {
				if want(s) && (!must || onEveryPath(instr)) {
					addKey(s.Key, s.Read(), []ssa.Instruction{instr})
				}
				continue
			}
			_, isGo := instr.(*ssa.Go)
			_, isDefer := instr.(*ssa.Defer)
			if (isGo || isDefer) && !async {
				continue // not taken by this call: later, or by another goroutine
			}
			g, args, mc := m.callTarget(site)
			if g == nil || g == fn || must && !onEveryPath(instr) {
				continue
			}
			for _, a := range m.summarise(g, memo, want, mode) {
				if len(a.chain) >= maxChain {
					continue
				}
				chain := append([]ssa.Instruction{instr}, a.chain...)
				if a.class != "" {
					add(relAcq{param: -1, fv: -1, read: a.read, chain: chain, class: a.class})
					continue
				}
				key, ok := bind(a, args, mc)
				if !ok {
					if c := classOfArg(a, args); classes && c != "" {
						add(relAcq{param: -1, fv: -1, read: a.read, chain: chain, class: c})
					}
					continue
				}
				addKey(key, a.read, chain)
			}
		}
	}
	memo[fn] = out
	return out
}

// classOfArg is the class of a callee's acquisition through an argument
// the caller's keys cannot name (a map element, a slice element).
func classOfArg(a relAcq, args []ssa.Value) LockClass {
	if a.param < 0 || a.param >= len(args) {
		return ""
	}
	return ClassOf(LockKey{Root: args[a.param], Path: a.path})
}

// UnlockedElsewhere reports whether a function of the package other than
// fn releases the mutex key names (by class, or through a local variable its closures share) without taking it
// first: the lock's ownership crosses functions, or goroutines, by design
// (a Go mutex belongs to no goroutine: one may lock, another unlock).
func (m *Model) UnlockedElsewhere(fn *ssa.Function, key LockKey) bool {
	if m.locks == nil {
		return false
	}
	var fns []*ssa.Function
	if c := ClassOf(key); c != "" {
		fns = m.locks.unlockers[mutexID{class: c}]
	} else if local := m.localRoot(fn, key.Root); local != nil {
		fns = m.locks.unlockers[mutexID{local: local, path: key.Path}]
	}
	for _, g := range fns {
		if g != fn {
			return true
		}
	}
	return false
}

// mutexID names a mutex across functions for the indexes below: by its
// class, or as a path from a local variable (closures included).
type mutexID struct {
	class LockClass
	local *ssa.Alloc
	path  string
}

// idOf is the mutexID of a key of fn; ok is false for a key that is
// neither of a class nor of a local variable.
func (m *Model) idOf(fn *ssa.Function, key LockKey) (mutexID, bool) {
	if c := ClassOf(key); c != "" {
		return mutexID{class: c}, true
	}
	if local := m.localRoot(fn, key.Root); local != nil {
		return mutexID{local: local, path: key.Path}, true
	}
	return mutexID{}, false
}

// indexMutexes records, per mutex, the functions that unlock it without
// locking it first, and whether anything write-locks it.
func (m *Model) indexMutexes() {
	l := m.locks
	l.unlockers = map[mutexID][]*ssa.Function{}
	l.writers = map[mutexID]bool{}
	for _, g := range m.funcs {
		for _, r := range l.sites[g] {
			switch r.Op {
			case apis.Lock:
				if id, ok := m.idOf(g, r.Key); ok {
					l.writers[id] = true
				}
			case apis.Unlock, apis.RUnlock:
				taken := false
				for _, s := range l.sites[g] {
					if (s.Op == apis.Lock || s.Op == apis.RLock) && s.Key == r.Key && flow.Dominates(s.Instr, r.Instr) {
						taken = true
						break
					}
				}
				if id, ok := m.idOf(g, r.Key); ok && !taken && !slices.Contains(l.unlockers[id], g) {
					l.unlockers[id] = append(l.unlockers[id], g)
				}
			}
		}
	}
}

// Escapes reports whether fn lets the mutex key names go by its address:
// returns it, stores it, or passes it anywhere but to its own methods.
// Its lock then has another owner ("yield ownership to the caller").
func (m *Model) Escapes(fn *ssa.Function, key LockKey) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			v, ok := instr.(ssa.Value)
			if !ok {
				continue
			}
			if root, path, ok := lockPath(v); !ok || root != key.Root || path != key.Path {
				continue
			}
			for _, r := range *v.Referrers() {
				if s := m.locks.byInstr[r]; s != nil && s.Instr.Common().Args[0] == v {
					continue
				}
				switch r := r.(type) {
				case *ssa.DebugRef:
					continue
				case *ssa.Store:
					if r.Addr == v {
						continue // mu = sync.Mutex{}: set, not let go
					}
				case *ssa.MakeClosure:
					// a closure of the package: its uses are followed
					// through its bindings (a method value such as
					// s.mu.Unlock is a synthetic wrapper: an escape)
					if g, ok := r.Fn.(*ssa.Function); ok && m.inPkg[g] {
						continue
					}
				case ssa.CallInstruction:
					// an argument of a function of the package: followed
					// by its summaries
					if g, _, _ := m.callTarget(r); g != nil && m.inPkg[g] && r.Common().Value != v {
						continue
					}
				}
				return true
			}
		}
	}
	return false
}

// Writable reports whether the mutex key names in fn may be write-locked
// while this goroutine read-locks it: it is not a local variable of fn
// (no other goroutine reaches one), and some Lock of it (or of a mutex
// of its class, or through a local its closures share) exists in the
// package.
func (m *Model) Writable(fn *ssa.Function, key LockKey) bool {
	if a, ok := key.Root.(*ssa.Alloc); ok && m.confined(a, 0) {
		return false // a local no closure or pointer lets out
	}
	if id, ok := m.idOf(fn, key); ok {
		return m.locks.writers[id]
	}
	for _, s := range m.locks.sites[fn] {
		if s.Op == apis.Lock && s.Key == key {
			return true
		}
	}
	return false
}

// localRoot is the local variable (an Alloc) root names in fn: root
// itself, or the variable a free variable of fn is bound to by the
// closures that make fn (nil when it is none, or when they disagree).
func (m *Model) localRoot(fn *ssa.Function, root ssa.Value) *ssa.Alloc {
	switch r := root.(type) {
	case *ssa.Alloc:
		return r
	case *ssa.FreeVar:
		i := slices.Index(fn.FreeVars, r)
		parent := fn.Parent()
		if i < 0 || parent == nil {
			return nil
		}
		var found *ssa.Alloc
		for _, b := range parent.Blocks {
			for _, instr := range b.Instrs {
				mc, ok := instr.(*ssa.MakeClosure)
				if !ok || mc.Fn != fn {
					continue
				}
				a := m.localRoot(parent, mc.Bindings[i])
				if a == nil || found != nil && found != a {
					return nil
				}
				found = a
			}
		}
		return found
	}
	return nil
}

// confined reports whether v's only uses are lock method calls and field
// selections leading to them: no other code can reach the mutex.
func (m *Model) confined(v ssa.Value, depth int) bool {
	if depth > 4 {
		return false
	}
	for _, r := range *v.Referrers() {
		switch r := r.(type) {
		case *ssa.DebugRef:
		case *ssa.Store:
			if r.Addr != v {
				return false
			}
		case *ssa.FieldAddr:
			if !m.confined(r, depth+1) {
				return false
			}
		default:
			if s := m.locks.byInstr[r]; s == nil || s.Instr.Common().Args[0] != v {
				return false
			}
		}
	}
	return true
}

// guardedByParam reports whether instr runs only under a branch on a bool
// parameter of its function (or its negation).
func guardedByParam(instr ssa.Instruction) bool {
	fn := instr.Parent()
	for b := instr.Block(); b != nil && b.Idom() != nil; b = b.Idom() {
		d := b.Idom()
		if len(d.Instrs) == 0 {
			continue
		}
		if iff, ok := d.Instrs[len(d.Instrs)-1].(*ssa.If); ok {
			c := iff.Cond
			if u, ok := c.(*ssa.UnOp); ok && u.Op == token.NOT {
				c = u.X
			}
			if p, ok := c.(*ssa.Parameter); ok && slices.Contains(fn.Params, p) {
				return true
			}
		}
	}
	return false
}

// Acquires are the locks the call site takes for its caller, keyed in the
// caller.
func (m *Model) Acquires(site ssa.CallInstruction) []Acquire {
	if m.locks == nil {
		return nil
	}
	if _, isGo := site.(*ssa.Go); isGo {
		return nil
	}
	if _, isDefer := site.(*ssa.Defer); isDefer {
		return nil
	}
	if acq, ok := m.locks.callAcq[site]; ok {
		return acq
	}
	return m.bindAcquires(site)
}

// bindAcquires computes Acquires.
func (m *Model) bindAcquires(site ssa.CallInstruction) []Acquire {
	g, args, mc := m.callTarget(site)
	if g == nil {
		return nil
	}
	var out []Acquire
	for _, a := range m.locks.acq[g] {
		if key, ok := bind(a, args, mc); ok {
			out = append(out, Acquire{Key: key, Read: a.read, Chain: append([]ssa.Instruction{site}, a.chain...)})
		}
	}
	return out
}

// bindReleases is the keys, in the caller, of the locks a call may
// release.
func (m *Model) bindReleases(site ssa.CallInstruction) []LockKey {
	g, args, mc := m.callTarget(site)
	if g == nil {
		return nil
	}
	var out []LockKey
	for _, r := range m.locks.rel[g] {
		if k, ok := bind(r, args, mc); ok {
			out = append(out, k)
		}
	}
	return out
}

// bindCalls binds, once, the summaries of the calls of the functions with
// lock sites: the searches and held sets ask of them again and again.
func (m *Model) bindCalls() {
	l := m.locks
	l.callAcq = map[ssa.CallInstruction][]Acquire{}
	l.callRel = map[ssa.CallInstruction][]LockKey{}
	for _, fn := range m.funcs {
		if len(l.sites[fn]) == 0 {
			continue
		}
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				site, ok := instr.(ssa.CallInstruction)
				if !ok || l.byInstr[instr] != nil {
					continue
				}
				l.callRel[site] = m.bindReleases(site)
				switch site.(type) {
				case *ssa.Go, *ssa.Defer:
					l.callAcq[site] = nil
				default:
					l.callAcq[site] = m.bindAcquires(site)
				}
			}
		}
	}
}

// releases reports whether instr releases key: an Unlock of it, or a call
// (deferred or in a go statement too) that may.
func (m *Model) releases(instr ssa.Instruction, key LockKey) bool {
	if s := m.locks.byInstr[instr]; s != nil {
		return (s.Op == apis.Unlock || s.Op == apis.RUnlock) && s.Key == key
	}
	site, ok := instr.(ssa.CallInstruction)
	if !ok {
		return false
	}
	rel, ok := m.locks.callRel[site]
	if !ok {
		rel = m.bindReleases(site)
	}
	return slices.Contains(rel, key)
}

// LockSites are the lock method calls of fn, in instruction order.
func (m *Model) LockSites(fn *ssa.Function) []*LockSite {
	if m.locks == nil {
		return nil
	}
	return m.locks.sites[fn]
}

// LockFuncs are the package's functions with lock method calls, in the
// package's order.
func (m *Model) LockFuncs() []*ssa.Function {
	if m.locks == nil {
		return nil
	}
	var out []*ssa.Function
	for _, fn := range m.funcs {
		if len(m.locks.sites[fn]) > 0 {
			out = append(out, fn)
		}
	}
	return out
}

// ReachKind is what a search from an acquisition reaches.
type ReachKind uint8

const (
	Retaken       ReachKind = iota + 1 // the same mutex is locked again
	ReturnHolding                      // the function returns with it locked
)

// A Reach is what the search from an acquisition reached, on some path
// with no release of the mutex.
type Reach struct {
	Kind ReachKind
	// At is the Lock call, the call whose callee locks (Chain says how)
	// or the Return.
	At    ssa.Instruction
	Read  bool              // Retaken: by a read lock
	Chain []ssa.Instruction // Retaken through calls: the call, ..., the Lock
	// Dominated: the acquisition runs on every path to At (for a lock
	// taken again by the next turn of a loop, to the loop's back edge),
	// so the path does not rest on it being conditional.
	Dominated bool
	// DeferredRelease: a deferred call releases the mutex on the path.
	DeferredRelease bool
	// Released is a release of the mutex that another path from the
	// acquisition meets (nil if none does).
	Released ssa.Instruction
}

// Reaches searches forward from a Lock or RLock site for a path with no
// release of its mutex that locks it again or returns. Conditions already
// decided on the path are followed the same way again: a lock and an
// unlock under the same condition are not taken apart.
// The searches run when the model is built, for the live sites: the
// passes only read them.
func (m *Model) Reaches(s *LockSite) []Reach {
	if m.locks == nil {
		return nil
	}
	return m.locks.reaches[s]
}

// searchAll runs the search from every live Lock and RLock, counting in
// Stats the searches that ran out of budget (they report nothing).
func (m *Model) searchAll() {
	m.locks.reaches = map[*LockSite][]Reach{}
	for _, fn := range m.funcs {
		for _, s := range m.locks.sites[fn] {
			if s.Op != apis.Lock && s.Op != apis.RLock || !m.isLive(s.Instr) {
				continue
			}
			if _, isDefer := s.Instr.(*ssa.Defer); isDefer {
				continue
			}
			r, ok := m.search(s, m.budget.lockStates)
			if !ok {
				m.Stats.LockSearchesOut++
				continue
			}
			m.locks.reaches[s] = r
		}
	}
}

// search is the search of Reaches from s, within budget states; ok is
// false past it.
func (m *Model) search(s *LockSite, budget int) (_ []Reach, ok bool) {
	type fact struct {
		cond ssa.Value
		val  bool
	}
	type item struct {
		b        *ssa.BasicBlock
		start    int
		key      LockKey // the key on this path: a phi may carry the root on
		pred     *ssa.BasicBlock
		latch    *ssa.BasicBlock // the source of the last back edge taken
		facts    []fact
		deferred bool
	}
	var out []Reach
	var released ssa.Instruction // the first release some path meets
	reached := map[ssa.Instruction]bool{}
	report := func(r Reach) {
		if !reached[r.At] {
			reached[r.At] = true
			out = append(out, r)
		}
	}
	defer func() {
		for i := range out {
			out[i].Released = released
		}
	}()
	seen := map[string]bool{}
	ids := map[ssa.Value]int{} // small numbers for the state keys
	id := func(v ssa.Value) int {
		n, ok := ids[v]
		if !ok {
			n = len(ids)
			ids[v] = n
		}
		return n
	}
	stack := []item{{b: s.Instr.Block(), start: flow.Index(s.Instr) + 1, key: s.Key}}
	for ; len(stack) > 0; budget-- {
		if budget == 0 {
			return nil, false
		}
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		stopped := false
		key := it.key
		if it.start == 0 && it.pred != nil {
			// phis take the value of the edge the path came in by
			k := slices.Index(it.b.Preds, it.pred)
			for _, instr := range it.b.Instrs {
				phi, ok := instr.(*ssa.Phi)
				if !ok {
					break
				}
				if k >= 0 && phi.Edges[k] == it.key.Root {
					key.Root = phi
				}
			}
		}
	instrs:
		for i := it.start; i < len(it.b.Instrs); i++ {
			instr := it.b.Instrs[i]
			if phi, ok := instr.(*ssa.Phi); ok && key.Root == phi && it.key.Root != phi {
				continue // the phi that carries the root on
			}
			if v, ok := instr.(ssa.Value); ok && v == key.Root {
				// the root is made anew (a loop's phi, a new allocation):
				// past here the key names another mutex
				stopped = true
				break
			}
			if instr == s.Instr && key != s.Key {
				stopped = true // the Lock again, but of the mutex of another value
				break
			}
			if instr == s.Instr {
				dom := false
				if it.latch != nil {
					dom = flow.Dominates(s.Instr, it.latch.Instrs[len(it.latch.Instrs)-1])
				}
				report(Reach{Kind: Retaken, At: instr, Read: s.Read(), Dominated: dom, DeferredRelease: it.deferred})
				stopped = true
				break
			}
			if o := m.locks.byInstr[instr]; o != nil && o.Key == key {
				switch o.Op {
				case apis.Lock, apis.RLock:
					if _, isDefer := instr.(*ssa.Defer); !isDefer {
						report(Reach{Kind: Retaken, At: instr, Read: o.Read(), Dominated: flow.Dominates(s.Instr, instr), DeferredRelease: it.deferred})
						stopped = true
						break instrs
					}
				case apis.Unlock, apis.RUnlock:
					if _, isDefer := instr.(*ssa.Defer); isDefer {
						it.deferred = true
						continue
					}
					if released == nil {
						released = instr
					}
					stopped = true
					break instrs
				}
				continue
			}
			switch x := instr.(type) {
			case *ssa.Return:
				if !it.deferred {
					report(Reach{Kind: ReturnHolding, At: instr, Dominated: flow.Dominates(s.Instr, instr)})
				}
				stopped = true
				break instrs
			case *ssa.Panic:
				stopped = true
				break instrs
			case *ssa.Defer:
				if m.releases(x, key) {
					it.deferred = true
				}
			case *ssa.Go:
				if m.releases(x, key) {
					stopped = true // handed to the goroutine
					break instrs
				}
			case *ssa.Call:
				// a callee that takes the mutex takes it before it releases it
				for _, a := range m.Acquires(x) {
					if a.Key == key {
						report(Reach{Kind: Retaken, At: instr, Read: a.Read, Chain: a.Chain, Dominated: flow.Dominates(s.Instr, instr), DeferredRelease: it.deferred})
						stopped = true
						break instrs
					}
				}
				if m.releases(x, key) {
					if released == nil {
						released = instr
					}
					stopped = true
					break instrs
				}
				if g := x.Common().StaticCallee(); g != nil && m.NoReturn[origin(g)] {
					stopped = true
					break instrs
				}
			}
		}
		if stopped {
			continue
		}
		succs := it.b.Succs
		var cond ssa.Value
		neg := false
		if n := len(it.b.Instrs); n > 0 {
			if iff, ok := it.b.Instrs[n-1].(*ssa.If); ok {
				cond = iff.Cond
				if u, ok := cond.(*ssa.UnOp); ok && u.Op == token.NOT {
					cond, neg = u.X, true
				}
			}
		}
		for k, succ := range succs {
			facts := it.facts
			if cond != nil {
				val := (k == 0) != neg
				known, decided := false, false
				for _, f := range facts {
					if f.cond == cond {
						known, decided = true, f.val
					}
				}
				if known && decided != val {
					continue // the path took the other way at this condition before
				}
				if !known {
					facts = append(slices.Clip(facts), fact{cond, val})
				}
			}
			var sb strings.Builder
			sb.WriteString(strconv.Itoa(succ.Index))
			sb.WriteString("k")
			sb.WriteString(strconv.Itoa(id(key.Root)))
			if it.deferred {
				sb.WriteString("d")
			}
			for _, f := range facts {
				sb.WriteString("/")
				sb.WriteString(strconv.Itoa(id(f.cond)))
				if f.val {
					sb.WriteString("t")
				}
			}
			if seen[sb.String()] {
				continue
			}
			seen[sb.String()] = true
			latch := it.latch
			if succ.Dominates(it.b) {
				latch = it.b // a back edge
			}
			stack = append(stack, item{b: succ, pred: it.b, key: key, latch: latch, facts: facts, deferred: it.deferred})
		}
	}
	return out, true
}

// ReleasedIn is the first instruction of fn that releases key (an Unlock
// of it, a call that may), and whether some deferred call of fn does.
func (m *Model) ReleasedIn(fn *ssa.Function, key LockKey) (first ssa.Instruction, deferred bool) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if m.releases(instr, key) {
				if first == nil {
					first = instr
				}
				if _, ok := instr.(*ssa.Defer); ok {
					deferred = true
				}
			}
		}
	}
	return first, deferred
}

// CondSignalled says, for a Cond.Wait site, whether every use of its Cond
// is seen (a field of the package's types, unexported, or a Cond made
// where it is used and only called) and whether live code signals it.
func (m *Model) CondSignalled(wait *LockSite) (seen, signalled bool) {
	if m.locks == nil || wait.Op != apis.CondWait {
		return false, false
	}
	uses := m.condUsesOf(wait)
	if uses == nil {
		return false, false
	}
	for _, u := range uses {
		if s := m.locks.byInstr[u]; s != nil && s.Op == apis.CondSignal && m.isLive(u) {
			return true, true
		}
	}
	return true, false
}

// condUsesOf is the calls on the Cond a Wait waits on when every use of
// that Cond is one (a Wait, Signal or Broadcast, a use of its L, or the
// store that sets it); nil when some use is not.
func (m *Model) condUsesOf(wait *LockSite) []ssa.Instruction {
	switch v := wait.Instr.Common().Args[0].(type) {
	case *ssa.UnOp: // s.c.Wait(): a load of a Cond field
		fa, ok := v.X.(*ssa.FieldAddr)
		if !ok || v.Op != token.MUL {
			return nil
		}
		if f := fieldOf(fa.X.Type(), fa.Field); f.Exported() {
			return nil // other packages may signal it
		}
		var calls []ssa.Instruction
		for _, use := range m.locks.condUses[fieldOf(fa.X.Type(), fa.Field)] {
			fa := use.(*ssa.FieldAddr)
			for _, r := range *fa.Referrers() {
				switch r := r.(type) {
				case *ssa.Store:
					if r.Addr != fa {
						return nil
					}
				case *ssa.UnOp:
					c, ok := condCalls(m, r)
					if !ok {
						return nil
					}
					calls = append(calls, c...)
				default:
					return nil
				}
			}
		}
		return calls
	case *ssa.Call: // c := sync.NewCond(&mu); c.Wait(): made where it is used
		if !isNewCond(v) {
			return nil
		}
		calls, ok := condCalls(m, v)
		if !ok {
			return nil
		}
		return calls
	case *ssa.FreeVar: // the same, in a closure
		fn := v.Parent()
		i := slices.Index(fn.FreeVars, v)
		if i < 0 {
			return nil
		}
		return m.closureCond(fn, i)
	}
	return nil
}

// closureCond is condUsesOf for a Cond a closure captures: the Cond
// made by the code that makes the closure.
func (m *Model) closureCond(fn *ssa.Function, i int) []ssa.Instruction {
	var calls []ssa.Instruction
	for _, p := range m.funcs {
		for _, b := range p.Blocks {
			for _, instr := range b.Instrs {
				mc, ok := instr.(*ssa.MakeClosure)
				if !ok || mc.Fn != fn {
					continue
				}
				c, ok := mc.Bindings[i].(*ssa.Call)
				if !ok || !isNewCond(c) {
					return nil
				}
				cs, ok := condCalls(m, c)
				if !ok {
					return nil
				}
				calls = append(calls, cs...)
			}
		}
	}
	return calls
}

func isNewCond(c *ssa.Call) bool {
	f := flow.CalleeObject(c.Common())
	return f != nil && f.Pkg() != nil && f.Pkg().Path() == "sync" && f.Name() == "NewCond"
}

// condCalls is the Cond method calls on v and on the free variables it is
// bound to, when those are its only uses (besides selecting its L).
func condCalls(m *Model, v ssa.Value) ([]ssa.Instruction, bool) {
	var calls []ssa.Instruction
	var visit func(v ssa.Value, depth int) bool
	visit = func(v ssa.Value, depth int) bool {
		if depth > 4 {
			return false
		}
		for _, r := range *v.Referrers() {
			switch r := r.(type) {
			case *ssa.Call, *ssa.Defer:
				c := r.(ssa.CallInstruction)
				if s := m.locks.byInstr[r]; s != nil && (s.Op == apis.CondWait || s.Op == apis.CondSignal) && c.Common().Args[0] == v {
					calls = append(calls, r)
					continue
				}
				return false
			case *ssa.FieldAddr: // c.L
			case *ssa.DebugRef:
			case *ssa.MakeClosure:
				g, _ := r.Fn.(*ssa.Function)
				if g == nil {
					return false
				}
				for i, b := range r.Bindings {
					if b == v && !visit(g.FreeVars[i], depth+1) {
						return false
					}
				}
			default:
				return false
			}
		}
		return true
	}
	if !visit(v, 0) {
		return nil, false
	}
	return calls, true
}

// A Held is a mutex held at an instruction on every path to it, with the
// Lock that took it.
type Held struct {
	Key  LockKey
	Read bool // a read lock on some path
	At   ssa.Instruction
}

// heldSet is the mutexes held at a point; nil means not yet reached.
type heldSet []Held

// buildHeld solves, for each function with lock sites, the mutexes held
// on every path at the entry of each block.
func (m *Model) buildHeld() {
	l := m.locks
	l.heldIn = map[*ssa.BasicBlock]heldSet{}
	for _, fn := range m.funcs {
		if len(l.sites[fn]) == 0 || len(fn.Blocks) == 0 {
			continue
		}
		in := make([]heldSet, len(fn.Blocks))
		reached := make([]bool, len(fn.Blocks))
		reached[0] = true
		for round := 0; round < 2*len(fn.Blocks)+2; round++ {
			changed := false
			for _, b := range fn.Blocks {
				if !reached[b.Index] {
					continue
				}
				out := m.transfer(in[b.Index], b, nil)
				for _, s := range b.Succs {
					var next heldSet
					if !reached[s.Index] {
						next = out
					} else {
						next = meet(in[s.Index], out)
					}
					if !reached[s.Index] || !sameHeld(next, in[s.Index]) {
						reached[s.Index] = true
						in[s.Index] = next
						changed = true
					}
				}
			}
			if !changed {
				break
			}
		}
		for _, b := range fn.Blocks {
			if reached[b.Index] {
				l.heldIn[b] = in[b.Index]
			}
		}
	}
}

// transfer applies b's instructions (up to stop, exclusive, if not nil)
// to the held set in.
func (m *Model) transfer(in heldSet, b *ssa.BasicBlock, stop ssa.Instruction) heldSet {
	cur := slices.Clone(in)
	for _, instr := range b.Instrs {
		if instr == stop {
			break
		}
		cur = m.step(cur, instr)
	}
	return cur
}

// step applies one instruction to the held set cur (which it may modify).
func (m *Model) step(cur heldSet, instr ssa.Instruction) heldSet {
	switch instr.(type) {
	case *ssa.Defer, *ssa.Go:
		return cur
	}
	if v, ok := instr.(ssa.Value); ok && len(cur) > 0 {
		// a root made anew: its old mutex is no longer named by it
		cur = slices.DeleteFunc(cur, func(h Held) bool { return h.Key.Root == v })
	}
	if s := m.locks.byInstr[instr]; s != nil {
		switch s.Op {
		case apis.Lock, apis.RLock:
			cur = slices.DeleteFunc(cur, func(h Held) bool { return h.Key == s.Key })
			cur = append(cur, Held{Key: s.Key, Read: s.Read(), At: instr})
		case apis.Unlock, apis.RUnlock:
			cur = slices.DeleteFunc(cur, func(h Held) bool { return h.Key == s.Key })
		}
		return cur
	}
	if call, ok := instr.(*ssa.Call); ok && len(cur) > 0 {
		cur = slices.DeleteFunc(cur, func(h Held) bool { return m.releases(call, h.Key) })
	}
	return cur
}

// meet is the mutexes held on both ways in.
func meet(a, b heldSet) heldSet {
	var out heldSet
	for _, h := range a {
		for _, g := range b {
			if h.Key == g.Key {
				h.Read = h.Read || g.Read
				out = append(out, h)
				break
			}
		}
	}
	return out
}

func sameHeld(a, b heldSet) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Key != b[i].Key || a[i].Read != b[i].Read {
			return false
		}
	}
	return true
}

// HeldAt is the mutexes held on every path of its function to instr
// (locks its callers hold are not seen).
func (m *Model) HeldAt(instr ssa.Instruction) []Held {
	if m.locks == nil || m.locks.heldIn == nil {
		return nil
	}
	in, ok := m.locks.heldIn[instr.Block()]
	if !ok {
		return nil
	}
	return m.transfer(in, instr.Block(), instr)
}

// LockBefore is a Lock of key in instr's function that runs on every path
// to instr, if there is one: the goroutine needs the mutex before it
// gets there, even if it has released it since.
func (m *Model) LockBefore(instr ssa.Instruction, key LockKey) ssa.Instruction {
	if m.locks == nil {
		return nil
	}
	for _, s := range m.locks.sites[instr.Parent()] {
		if (s.Op == apis.Lock || s.Op == apis.RLock) && s.Key == key {
			if _, isDefer := s.Instr.(*ssa.Defer); !isDefer && s.Instr != instr && flow.Dominates(s.Instr, instr) {
				return s.Instr
			}
		}
	}
	return nil
}

// ChanKey is the path of the channel an operation is on, in the key form
// of its function's values (root and fields), for relating it to the
// mutexes held there.
func ChanKey(op *Op) (LockKey, bool) {
	var v ssa.Value
	switch x := op.Instr.(type) {
	case *ssa.Send:
		v = x.Chan
	case *ssa.UnOp:
		v = x.X
	case *ssa.Select:
		v = x.States[op.Case].Chan
	case ssa.CallInstruction:
		if args := x.Common().Args; len(args) > 0 {
			v = args[0]
		}
	}
	if v == nil {
		return LockKey{}, false
	}
	root, path, ok := lockPath(v)
	return LockKey{root, path}, ok
}

// A LockClass names the mutexes a key can be, across functions and
// instances: the fields from the last pointer on the path to the mutex
// (every instance of T.in.mu is one class, T.out.mu another), or the
// global it is. Lock-order reasoning is over classes, as the kernel's
// lockdep reasons.
type LockClass string

// ClassOf is key's class, "" when the key has no field and is not a
// global.
func ClassOf(key LockKey) LockClass {
	if key.Path == "" {
		if g, ok := key.Root.(*ssa.Global); ok {
			return LockClass("global " + strconv.Itoa(int(g.Pos())) + " " + g.Name())
		}
		return ""
	}
	t := key.Root.Type()
	var fields []string
	for _, step := range splitPath(key.Path) {
		if step == "*" {
			fields = fields[:0] // a pointer: the class starts at what it points to
			continue
		}
		n, err := strconv.Atoi(step[1:])
		if err != nil {
			return ""
		}
		st, ok := derefStruct(t)
		if !ok || n >= st.NumFields() {
			return ""
		}
		f := st.Field(n)
		fields = append(fields, strconv.Itoa(int(f.Pos()))+" "+f.Name())
		t = f.Type()
	}
	if len(fields) == 0 {
		return ""
	}
	return LockClass(strings.Join(fields, "."))
}

func derefStruct(t types.Type) (*types.Struct, bool) {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	return st, ok
}

// splitPath splits ".3*.1" into ".3", "*", ".1".
func splitPath(p string) []string {
	var out []string
	for len(p) > 0 {
		if p[0] == '*' {
			out = append(out, "*")
			p = p[1:]
			continue
		}
		j := 1
		for j < len(p) && p[j] != '.' && p[j] != '*' {
			j++
		}
		out = append(out, p[:j])
		p = p[j:]
	}
	return out
}

// An OrderEdge is a lock taken while another is held: in Fn, with a
// mutex of class From held (locked at Held), one of class To is locked at
// At, directly or, through Chain, by a call on some of its paths.
type OrderEdge struct {
	From, To         LockClass
	FromRead, ToRead bool
	Fn               *ssa.Function
	Held, At         ssa.Instruction
	Chain            []ssa.Instruction // the call, ..., the Lock, when At is a call
}

// LockOrder is the package's lock-order edges between distinct classes,
// one per ordered pair of classes (the first in the package's order), in
// live code.
func (m *Model) LockOrder() []OrderEdge {
	if m.locks == nil {
		return nil
	}
	var out []OrderEdge
	seen := map[[2]LockClass]bool{}
	for _, fn := range m.funcs {
		if len(m.locks.sites[fn]) == 0 || !m.Live[fn] {
			continue
		}
		for _, b := range fn.Blocks {
			in, ok := m.locks.heldIn[b]
			if !ok {
				continue // not reached
			}
			held := slices.Clone(in)
			for _, instr := range b.Instrs {
				before := held
				if len(held) > 0 || m.locks.byInstr[instr] != nil {
					held = m.step(slices.Clone(held), instr)
				}
				var takes []Acquire
				if s := m.locks.byInstr[instr]; s != nil {
					if s.Op != apis.Lock && s.Op != apis.RLock {
						continue
					}
					if _, isDefer := instr.(*ssa.Defer); isDefer {
						continue
					}
					takes = []Acquire{{Key: s.Key, Read: s.Read(), Chain: []ssa.Instruction{instr}}}
				} else if call, ok := instr.(*ssa.Call); ok {
					takes = m.mayAcquires(call)
				}
				if len(takes) == 0 || len(before) == 0 || !m.isLive(instr) {
					continue
				}
				for _, t := range takes {
					to := t.Class
					if to == "" {
						to = ClassOf(t.Key)
					}
					if to == "" {
						continue
					}
					for _, h := range before {
						if call, ok := instr.(*ssa.Call); ok && m.releases(call, h.Key) {
							// the callee lets go of h (before it locks,
							// as a "...AndUnlock" or "unlocked to prevent
							// lock inversion" helper does): no order
							continue
						}
						from := ClassOf(h.Key)
						if from == "" || from == to || h.Key == t.Key || seen[[2]LockClass{from, to}] {
							continue
						}
						seen[[2]LockClass{from, to}] = true
						e := OrderEdge{From: from, To: to, FromRead: h.Read, ToRead: t.Read, Fn: fn, Held: h.At, At: instr}
						if len(t.Chain) > 1 {
							e.Chain = t.Chain
						}
						out = append(out, e)
					}
				}
			}
		}
	}
	return out
}

// mayAcquires is Acquires with the locks the call takes on some path.
func (m *Model) mayAcquires(site ssa.CallInstruction) []Acquire {
	g, args, mc := m.callTarget(site)
	if g == nil {
		return nil
	}
	var out []Acquire
	for _, a := range m.locks.mayAcq[g] {
		chain := append([]ssa.Instruction{site}, a.chain...)
		if key, ok := bind(a, args, mc); ok {
			out = append(out, Acquire{Key: key, Read: a.read, Chain: chain})
		} else if c := a.class; c != "" {
			out = append(out, Acquire{Class: c, Read: a.read, Chain: chain})
		} else if c := classOfArg(a, args); c != "" {
			out = append(out, Acquire{Class: c, Read: a.read, Chain: chain})
		}
	}
	return out
}
