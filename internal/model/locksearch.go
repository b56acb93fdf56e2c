package model

import (
	"go/token"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/leakvet/leakvet/internal/apis"
	"github.com/leakvet/leakvet/internal/flow"
)

// The search from one Lock for a path that takes the mutex again or
// returns holding it.

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
