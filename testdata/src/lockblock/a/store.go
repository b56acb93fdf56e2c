package a

import (
	"sync"
	"time"
)

// A key/value store whose Set was refactored: the lock it took for the
// lazy init is still held when it takes it again for the write.

type Store struct {
	mu sync.Mutex
	m  map[string]string
}

func (s *Store) Set(k, v string) {
	s.mu.Lock()
	if s.m == nil {
		s.m = map[string]string{}
	}
	s.mu.Lock() // want `^s\.mu is locked again here while the goroutine still holds it since line 17 and sync\.Mutex is not reentrant: it blocks forever; unlock it first$`
	s.m[k] = v
	s.mu.Unlock()
}

var _ = leaks("Store.Set", func() { go new(Store).Set("k", "v") })

// Delete defers the Unlock and then locks again for the tombstone.
func (s *Store) Delete(k string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.m[k]; !ok {
		return
	}
	s.mu.Lock() // want `^s\.mu is locked again here while the goroutine still holds it since line 30 and sync\.Mutex is not reentrant: it blocks forever; unlock it first \(a deferred Unlock runs only when the function returns\)$`
	delete(s.m, k)
}

var _ = leaks("Store.Delete", func() { go (&Store{m: map[string]string{"k": "v"}}).Delete("k") })

// A session table behind an RWMutex: Touch holds the write lock and
// reads through RLock; Expire holds a read lock and upgrades in place.

type sessions struct {
	mu   sync.RWMutex
	seen map[string]time.Time
}

func NewSessions() *sessions { return &sessions{seen: map[string]time.Time{}} }

func (t *sessions) Touch(id string) time.Time {
	t.mu.Lock()
	t.seen[id] = time.Now()
	t.mu.RLock() // want `^t\.mu is read-locked again here while the goroutine still holds the write lock it took at line 52: it blocks forever; unlock it first$`
	at := t.seen[id]
	t.mu.RUnlock()
	t.mu.Unlock()
	return at
}

var _ = leaks("sessions.Touch", func() { go NewSessions().Touch("s1") })

func (t *sessions) Expire(id string, ttl time.Duration) bool {
	t.mu.RLock()
	at, ok := t.seen[id]
	if ok && time.Since(at) > ttl {
		t.mu.Lock() // want `^t\.mu is locked again here while the goroutine still holds the read lock it took at line 64, and Lock waits for every reader, itself included: it blocks forever; unlock it first$`
		delete(t.seen, id)
		t.mu.Unlock()
	}
	t.mu.RUnlock()
	return ok
}

var _ = leaks("sessions.Expire", func() {
	t := NewSessions()
	t.seen["s1"] = time.Now().Add(-time.Hour)
	go t.Expire("s1", time.Minute)
})

// Len read-locks again through a nested RLock: fine alone, stuck once a
// writer queues between the two (not registered: it needs that writer).
func (t *sessions) Len() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	n := len(t.seen)
	t.mu.RLock() // want `^t\.mu is read-locked again here while the goroutine still holds the read lock it took at line 84, and a writer's Lock in between makes both wait forever \(sync\.RWMutex forbids recursive read locking\); unlock it first \(a deferred Unlock runs only when the function returns\)$`
	n += 0
	t.mu.RUnlock()
	return n
}

// Set, Touch, Expire and Len done right.

func (s *Store) SetOK(k, v string) {
	s.mu.Lock()
	if s.m == nil {
		s.m = map[string]string{}
	}
	s.m[k] = v // ok: one Lock, one Unlock
	s.mu.Unlock()
}

var _ = noLeak("Store.SetOK", func() { new(Store).SetOK("k", "v") })

func (t *sessions) ExpireOK(id string, ttl time.Duration) bool {
	t.mu.RLock()
	at, ok := t.seen[id]
	t.mu.RUnlock()
	if ok && time.Since(at) > ttl {
		t.mu.Lock() // ok: the read lock is released before the upgrade
		delete(t.seen, id)
		t.mu.Unlock()
	}
	return ok
}

var _ = noLeak("sessions.ExpireOK", func() {
	t := NewSessions()
	t.seen["s1"] = time.Now().Add(-time.Hour)
	t.ExpireOK("s1", time.Minute)
})
