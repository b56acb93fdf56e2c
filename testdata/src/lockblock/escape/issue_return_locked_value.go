package escape

import "sync"

// Was a false positive: a lookup that returns the entry it found with the entry's own
// mutex held, and unlocks each entry it passes over. Returning the value
// whose mutex is locked says "you hold its lock now" just as returning
// true or nil does, but reportReturnHolding excuses only a constant nil
// or true result; here the result is the Phi the key is rooted at
// (LockKey{Root: e, Path: ".0"}), which could be excused the same way.
//
// Fixed where the holder releases it elsewhere: Release unlocks sn.db.mu, the same class as db.mu, without locking it (model.UnlockedElsewhere compares classes).

type session struct {
	mu    sync.Mutex
	id    string
	user  string
	next  *session
	reads int
}

type SessionList struct{ head *session }

// lockSession returns the session with its mu held, or nil.
func (l *SessionList) lockSession(id string) *session {
	for s := l.head; s != nil; s = s.next {
		s.mu.Lock() // ok: returned locked to the caller, which unlocks it
		if s.id == id {
			return s
		}
		s.mu.Unlock()
	}
	return nil
}

func (l *SessionList) User(id string) string {
	s := l.lockSession(id)
	if s == nil {
		return ""
	}
	defer s.mu.Unlock()
	s.reads++
	return s.user
}

var _ = noLeak("SessionList.User", func() {
	l := &SessionList{head: &session{id: "a", next: &session{id: "b", user: "bob"}}}
	l.User("b")
	l.User("b")
	l.User("c")
})

// The same with a read lock: Snapshot returns a value that releases the
// read lock, or nil after releasing it itself.

type Snapshot struct{ db *KV }

func (sn *Snapshot) Get(k string) string { return sn.db.m[k] }

func (sn *Snapshot) Release() { sn.db.mu.RUnlock() }

type KV struct {
	mu     sync.RWMutex
	m      map[string]string
	closed bool
}

func (db *KV) Snapshot() *Snapshot {
	db.mu.RLock() // ok: the returned Snapshot releases it; the nil path releases it here
	if db.closed {
		db.mu.RUnlock()
		return nil
	}
	return &Snapshot{db}
}

var _ = noLeak("KV.Snapshot", func() {
	db := &KV{m: map[string]string{"a": "1"}}
	sn := db.Snapshot()
	sn.Get("a")
	sn.Release()
	db.mu.Lock()
	db.closed = true
	db.mu.Unlock()
	db.Snapshot()
})
