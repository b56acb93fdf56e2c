package explore

import (
	"math/rand"
	"strconv"
	"sync"
)

// Locks reached through views of other objects: a Cond whose Locker is
// an RWMutex's read side (sync.NewCond(mu.RLocker())), a map filled under
// keys the explorer cannot know, and a slice an element is cut out of
// (append(s[:i], s[i+1:]...)). Each still leads to the one mutex it is.

// A table whose Cond waits under read locks: lookup read-locks through
// the Cond's Locker, then get read-locks again. A writer's Lock between
// the two keeps the second read lock out, and the writer waits for the
// first.

type table struct {
	mu    sync.RWMutex
	ready *sync.Cond
	rows  map[string]int
}

func newTable() *table {
	t := &table{rows: map[string]int{}}
	t.ready = sync.NewCond(t.mu.RLocker())
	return t
}

func (t *table) get(k string) int {
	t.mu.RLock() // want `^this goroutine \(goroutine \d, started at line \d+\) blocks here forever on a schedule of RunTableLookup \(below\): it read-locks t\.mu already, and a writer waiting for t\.mu keeps new readers out$`
	defer t.mu.RUnlock()
	return t.rows[k]
}

func (t *table) put(k string, v int) {
	t.mu.Lock() // want `^this goroutine \(goroutine \d, started at line \d+\) blocks here forever on a schedule of RunTableLookup \(below\): goroutine \d holds t\.mu and is blocked itself at line \d+$`
	t.rows[k] = v
	t.mu.Unlock()
}

func (t *table) lookup(k string) int {
	t.ready.L.Lock()
	defer t.ready.L.Unlock()
	return t.get(k)
}

// lookupHeld reads the row itself under the read lock it holds.
func (t *table) lookupHeld(k string) int {
	t.ready.L.Lock()
	defer t.ready.L.Unlock()
	return t.rows[k]
}

func RunTableLookup() {
	t := newTable()
	go t.lookup("a")
	go t.put("a", 1)
}

func RunTableLookupHeld() {
	t := newTable()
	go t.lookupHeld("a")
	go t.put("a", 1)
}

var _ = noLeak("RunTableLookupHeld", RunTableLookupHeld)

// A registry of peers kept under generated ids. broadcast read-locks the
// peerSet and notifies each peer; a peer's notify asks the peerSet for
// its size, read-locking it again.

type peerSet struct {
	mu    sync.RWMutex
	peers map[string]*peer
}

type peer struct {
	mu  sync.Mutex
	reg *peerSet
}

func newID() string { return strconv.FormatInt(rand.Int63(), 36) }

func (r *peerSet) size() int {
	r.mu.RLock() // want `^this goroutine \(goroutine \d, started at line \d+\) blocks here forever on a schedule of RunBroadcast \(below\): it read-locks r\.mu already, and a writer waiting for r\.mu keeps new readers out$`
	defer r.mu.RUnlock()
	return len(r.peers)
}

func (r *peerSet) add(p *peer) {
	r.mu.Lock() // want `^this goroutine \(goroutine \d, started at line \d+\) blocks here forever on a schedule of RunBroadcast \(below\): goroutine \d holds r\.mu and is blocked itself at line \d+$`
	r.peers[newID()] = p
	r.mu.Unlock()
}

func (r *peerSet) broadcast(askSize bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	for _, p := range r.peers {
		p.notify(askSize)
	}
}

func (p *peer) notify(askSize bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if askSize {
		p.reg.size()
	}
}

func newPeerSet() *peerSet {
	r := &peerSet{peers: map[string]*peer{}}
	r.peers[newID()] = &peer{reg: r}
	return r
}

func RunBroadcast() {
	r := newPeerSet()
	go r.broadcast(true)
	go r.add(&peer{reg: r})
}

// RunBroadcastQuiet's peers do not call back into the peerSet.
func RunBroadcastQuiet() {
	r := newPeerSet()
	go r.broadcast(false)
	go r.add(&peer{reg: r})
}

var _ = noLeak("RunBroadcastQuiet", RunBroadcastQuiet)

// A hub whose subscribers close themselves: close locks the subscriber,
// then the hub, to cut it out of the list; the hub then locks each
// subscriber left. Two subscribers closing at once each hold their own
// lock and wait for the other's.

type hub struct {
	mu   sync.Mutex
	subs []*sub
}

type sub struct {
	mu     sync.Mutex
	h      *hub
	closed bool
}

func (h *hub) drop(s *sub) {
	h.mu.Lock() // want `^this goroutine \(goroutine \d, started at line \d+\) blocks here forever on a schedule of RunSubsClose \(below\): goroutine \d holds h\.mu and is blocked itself at line \d+$`
	defer h.mu.Unlock()
	for i := range h.subs {
		if h.subs[i] == s {
			h.subs = append(h.subs[:i], h.subs[i+1:]...)
			break
		}
	}
	for _, o := range h.subs {
		o.mu.Lock() // want `^this goroutine \(goroutine \d, started at line \d+\) blocks here forever on a schedule of RunSubsClose \(below\): goroutine \d holds o\.mu and is blocked itself at line \d+$`
		o.mu.Unlock()
	}
}

func (s *sub) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	s.h.drop(s)
}

// closeFirst marks the subscriber closed and lets its lock go before it
// asks the hub to drop it.
func (s *sub) closeFirst() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.h.drop(s)
}

func newHub() (*hub, *sub, *sub) {
	h := &hub{}
	a, b := &sub{h: h}, &sub{h: h}
	h.subs = []*sub{a, b}
	return h, a, b
}

func RunSubsClose() {
	_, a, b := newHub()
	go a.close()
	go b.close()
}

func RunSubsCloseFirst() {
	_, a, b := newHub()
	go a.closeFirst()
	go b.closeFirst()
}

var _ = noLeak("RunSubsCloseFirst", RunSubsCloseFirst)
