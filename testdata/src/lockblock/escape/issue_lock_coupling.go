package escape

import "sync"

// Was a false positive: hand-over-hand locking (lock coupling) down a linked list. Each
// turn locks the next node's mutex and unlocks the current one. Both
// are keyed from the loop's Phi (cur), so next.mu on this turn and
// next.mu on the next turn have one key (Phi, ".2*.0"), and the path
// round the loop (which unlocks cur.mu, another key) is taken for a
// path that keeps next.mu locked: "locked here again by the next turn
// of the loop". A key rooted at a Phi of a loop header names a
// different value on each turn; it should not match across a back edge.
//
// Fixed: the key is rooted at the loop's phi, which a path round the loop makes anew, so the search stops there (model.Model.search).

type slot struct {
	mu   sync.Mutex
	key  int
	next *slot
}

// SortedSet is a concurrent sorted linked list with per-node locks.
type SortedSet struct{ head *slot }

func NewSortedSet() *SortedSet { return &SortedSet{head: &slot{key: -1 << 31}} }

func (s *SortedSet) Insert(key int) {
	cur := s.head
	cur.mu.Lock()
	for cur.next != nil && cur.next.key < key {
		next := cur.next
		next.mu.Lock() // ok: another node's mutex on every turn; cur.mu is released below
		cur.mu.Unlock()
		cur = next
	}
	cur.next = &slot{key: key, next: cur.next}
	cur.mu.Unlock()
}

var _ = noLeak("SortedSet.Insert", func() {
	s := NewSortedSet()
	for _, k := range []int{3, 1, 2, 5} {
		s.Insert(k)
	}
})
