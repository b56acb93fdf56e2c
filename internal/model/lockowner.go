package model

import (
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/leakvet/leakvet/internal/apis"
	"github.com/leakvet/leakvet/internal/flow"
)

// Who else may hold or release a mutex: functions that unlock it
// without locking, an address or method value that leaves the function,
// writers that can come between two read locks.

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
