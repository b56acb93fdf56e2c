// Package explore holds lock leaks that only a schedule reveals: each
// goroutine's locking is fine on its own, and the Lock, RLock or Cond.Wait
// that blocks forever does so because of what another goroutine holds or
// did first. Each leak has a look-alike that differs in the one line that
// makes it correct.
//
// Shapes whose leak depends on the schedule are not registered with
// leaks(...): internal/shapetest could not see them leak every run.
package explore

import "sync"

// Two accounts transferred between in opposite directions: each transfer
// locks its source, then its destination.

type account struct {
	mu      sync.Mutex
	balance int
}

func (a *account) transferTo(b *account, n int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	b.mu.Lock() // want `^this goroutine \(goroutine \d, started at line \d+\) blocks here forever on a schedule of RunTransfers \(below\): goroutine \d holds [ab]\.mu and is blocked itself at line \d+$`
	defer b.mu.Unlock()
	a.balance -= n
	b.balance += n
}

// transferOrdered locks the two accounts in one global order.
type ledger struct {
	mu sync.Mutex // ok: taken first by every transfer, it orders them
}

func (l *ledger) transfer(a, b *account, n int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	a.transferTo(b, n)
}

func RunTransfers() {
	a, b := &account{balance: 10}, &account{balance: 10}
	go a.transferTo(b, 1)
	go b.transferTo(a, 1)
}

func RunTransfersLedger() {
	a, b := &account{balance: 10}, &account{balance: 10}
	l := &ledger{}
	go l.transfer(a, b, 1)
	go l.transfer(b, a, 1) // ok: both go through l.mu
}

var _ = noLeak("RunTransfersLedger", RunTransfersLedger)

// A cache whose refresh holds its lock while it pushes updates on an
// unbuffered channel, and whose listener reads the cache between updates.

type cache struct {
	mu      sync.Mutex
	vals    map[int]int
	updates chan int
}

func (c *cache) get(k int) int {
	c.mu.Lock() // want `^this goroutine \(goroutine \d, started at line \d+\) blocks here forever on a schedule of RunRefresh \(below\): goroutine \d holds c\.mu and is blocked itself at line \d+$`
	defer c.mu.Unlock()
	return c.vals[k]
}

func (c *cache) listen() {
	for k := range c.updates {
		_ = c.get(k)
	}
}

func (c *cache) refresh() {
	c.mu.Lock()
	for k := 0; k < 2; k++ {
		c.vals[k] = k
		c.updates <- k
	}
	c.mu.Unlock()
	close(c.updates)
}

func (c *cache) refreshThenNotify() {
	c.mu.Lock()
	for k := 0; k < 2; k++ {
		c.vals[k] = k
	}
	c.mu.Unlock() // ok: unlocks before notifying
	for k := 0; k < 2; k++ {
		c.updates <- k
	}
	close(c.updates)
}

func RunRefresh() {
	c := &cache{vals: map[int]int{}, updates: make(chan int)}
	go c.listen()
	go c.refresh()
}

var _ = leaks("RunRefresh", RunRefresh)

func RunRefreshThenNotify() {
	c := &cache{vals: map[int]int{}, updates: make(chan int)}
	go c.listen()
	go c.refreshThenNotify()
}

var _ = noLeak("RunRefreshThenNotify", RunRefreshThenNotify)

// A start gate whose waiters wait on a Cond without checking the state the
// Broadcast changed: a waiter that arrives after the only Broadcast sleeps
// forever.

type gate struct {
	mu   sync.Mutex
	cond *sync.Cond
	open bool
}

func newGate() *gate {
	g := &gate{}
	g.cond = sync.NewCond(&g.mu)
	return g
}

func (g *gate) release() {
	g.mu.Lock()
	g.open = true
	g.cond.Broadcast()
	g.mu.Unlock()
}

func (g *gate) await() {
	g.mu.Lock()
	g.cond.Wait() // want `^this goroutine \(goroutine \d, started at line \d+\) blocks here forever on a schedule of RunGate \(below\): no goroutine that can still run signals g\.cond$`
	g.mu.Unlock()
}

func (g *gate) awaitOpen() {
	g.mu.Lock()
	for !g.open { // ok: a late waiter sees the gate open and does not wait
		g.cond.Wait()
	}
	g.mu.Unlock()
}

func RunGate() {
	g := newGate()
	g.release()
	go g.await()
}

var _ = leaks("RunGate", RunGate)

func RunGateOpen() {
	g := newGate()
	g.release()
	go g.awaitOpen()
}

var _ = noLeak("RunGateOpen", RunGateOpen)

// A registry whose readers take the read lock again through a helper, and
// whose writer queues between the two: the second RLock waits for the
// writer, the writer for the first RLock.

type registry struct {
	mu    sync.RWMutex
	names map[string]int
}

func (r *registry) lookup(name string) int {
	r.mu.RLock() // want `^r\.mu is read-locked again here, by r\.lookup called at line \d+ of lookupBoth, while the goroutine still holds the read lock it took at line \d+, and a writer's Lock in between makes both wait forever`
	defer r.mu.RUnlock()
	return r.names[name]
}

func (r *registry) lookupBoth(a, b string) int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.names[a] + r.lookup(b)
}

func (r *registry) lookupBothOnce(a, b string) int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.names[a] + r.names[b] // ok: reads under the one read lock
}

func (r *registry) register(name string) {
	r.mu.Lock() // want `^this goroutine \(goroutine \d, started at line \d+\) blocks here forever on a schedule of RunRegistry \(below\): goroutine \d holds r\.mu and is blocked itself at line \d+$`
	r.names[name] = len(r.names)
	r.mu.Unlock()
}

func RunRegistry() {
	r := &registry{names: map[string]int{}}
	go r.lookupBoth("a", "b")
	go r.register("c")
}

func RunRegistryOnce() {
	r := &registry{names: map[string]int{}}
	go r.lookupBothOnce("a", "b")
	go r.register("c")
}

var _ = noLeak("RunRegistryOnce", RunRegistryOnce)

// A session that returns early, on a closed connection, still holding its
// lock: the next goroutine to use the session waits forever.

type session struct {
	mu     sync.Mutex
	closed bool
	sent   int
}

func (s *session) send() {
	s.mu.Lock() // want `^s\.mu is locked here and still held when the function returns \(line \d+\): that path has no Unlock`
	if s.closed {
		return
	}
	s.sent++
	s.mu.Unlock()
}

func (s *session) sendUnlocking() {
	s.mu.Lock()
	defer s.mu.Unlock() // ok: the early return unlocks too
	if s.closed {
		return
	}
	s.sent++
}

func (s *session) close() {
	s.mu.Lock() // want `^this goroutine \(goroutine \d, started at line \d+\) blocks here forever on a schedule of RunSession \(below\): goroutine \d holds s\.mu and returned at line \d+ without unlocking it$`
	s.closed = true
	s.mu.Unlock()
}

func RunSession() {
	s := &session{closed: true}
	go s.send()
	go s.close()
}

func RunSessionUnlocking() {
	s := &session{closed: true}
	go s.sendUnlocking()
	go s.close()
}

var _ = noLeak("RunSessionUnlocking", RunSessionUnlocking)
