package model

import (
	"go/token"
	"slices"
	"strconv"

	"golang.org/x/tools/go/ssa"

	"github.com/leakvet/leakvet/internal/apis"
	"github.com/leakvet/leakvet/internal/flow"
)

// Summaries of what a call does to the caller's mutexes: the locks it
// takes (on every path, or on some path by class) and releases, bound to
// the caller's keys at each call site.

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
