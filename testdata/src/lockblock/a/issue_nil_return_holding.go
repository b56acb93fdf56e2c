package a

import (
	"errors"
	"sync"
)

// FN: the success path of an error-returning method forgets its Unlock
// and returns nil; the error path unlocks. reportReturnHolding excuses
// every function that returns nil (or true) holding the lock as a
// "you hold the lock now" protocol (escape/registry.go reserve), but
// here no caller ever releases it: Put is exported, the mutex is an
// unexported field, and no function of the package unlocks s.mu after
// calling Put. The excuse could require a caller that releases the lock
// after the call (or a name/doc that says so), at least when the mutex
// is unexported.

var ErrDuplicate = errors.New("duplicate session")

type SessionStore struct {
	mu sync.Mutex
	m  map[string]string
}

func (s *SessionStore) Put(id, user string) error {
	s.mu.Lock() // TODO(lockblock): want `^s\.mu is locked here and still held when the function returns \(line 32\): that path has no Unlock \(another path releases it at line 28\)`
	if _, dup := s.m[id]; dup {
		s.mu.Unlock()
		return ErrDuplicate
	}
	s.m[id] = user
	return nil // the Unlock is missing here
}

func (s *SessionStore) Get(id string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[id]
}

var _ = leaks("SessionStore.Put", func() {
	s := &SessionStore{m: map[string]string{}}
	s.Put("a", "alice")
	go s.Get("a")
})
