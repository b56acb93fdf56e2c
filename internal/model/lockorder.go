package model

import (
	"go/types"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/leakvet/leakvet/internal/apis"
)

// Lock classes and the lock-order edges between them.

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
