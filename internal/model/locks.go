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

// The lock*.go files are the model's machinery for locks: sync.Mutex and
// RWMutex named by the path that reaches them from one function's values
// (this file), the locks a call takes for its caller through calls,
// closures and sync.Once.Do (locksum.go), who else may release a mutex
// (lockowner.go), the search from one acquisition to what takes the lock
// again or returns holding it (locksearch.go), the mutexes held at an
// instruction (lockheld.go), lock classes and order (lockorder.go), and
// sync.Cond waits with their signals (lockcond.go).
//
// Locks are named by paths, not by the unified objects: all instances of
// T.mu are one object, but s.mu and t.mu of two *T are two mutexes, and a
// deadlock is a claim about one mutex. Two paths in one function are one
// mutex when they start at the same value and select the same fields
// through the same loads (a pointer field reloaded between two uses is
// taken to be unchanged). A map's element, a received value, a tuple's
// part and an asserted value are roots of their own, like a call's
// result; paths through a slice index or an interface are not followed:
// such a lock has no key and is never reported.

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
