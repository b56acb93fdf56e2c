package model

import (
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/leakvet/leakvet/internal/apis"
	"github.com/leakvet/leakvet/internal/flow"
)

// The mutexes held on every path to an instruction.

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
