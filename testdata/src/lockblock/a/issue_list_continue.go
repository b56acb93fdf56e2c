package a

import "sync"

// Was a false positive (misdiagnosis): a walk down a linked list that skips a node with
// `continue` before its Unlock. The node stays locked for good (a later
// Lock of that node blocks), but the next turn locks the *next* node's
// mutex, so the goroutine itself does not block: the report "locked
// here again by the next turn of the loop ... it blocks forever" is
// false. The key (n, ".0") is rooted at the loop header's Phi, which is
// another value on each turn (see escape/issue_lock_coupling.go). The
// right finding would be an unreleased lock of n.mu on the continue path.
//
// Fixed: the key is rooted at the loop's phi, made anew on each turn, so the search stops at the back edge; the leaked node lock is not reported (a false negative now).

type peer struct {
	mu      sync.Mutex
	addr    string
	healthy bool
	fails   int
	next    *peer
}

type PeerList struct{ head *peer }

func (l *PeerList) MarkDown(addr string) int {
	n := 0
	for p := l.head; p != nil; p = p.next {
		p.mu.Lock()
		if p.addr != addr {
			continue // the lock leaks here, but the next turn locks the next peer
		}
		p.healthy = false
		n++
		p.mu.Unlock()
	}
	return n
}

// Not a self-deadlock: the call returns (the skipped peers stay locked).
var _ = noLeak("PeerList.MarkDown", func() {
	l := &PeerList{head: &peer{addr: "a", next: &peer{addr: "b"}}}
	l.MarkDown("b")
})
