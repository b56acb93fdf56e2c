package interproc

import (
	"sync"
	"time"
)

// A server and its session table, each behind its own mutex: Shutdown
// holds the server's lock and closes the table through a helper; the
// table's reaper holds the table's lock and reports to the server through
// a helper. Two orders through calls.

type Server struct {
	mu       sync.Mutex
	sessions *SessionTable
	active   int
	grace    time.Duration
}

type SessionTable struct {
	mu     sync.Mutex
	srv    *Server
	ids    map[string]time.Time
	closed bool
	grace  time.Duration
}

func (t *SessionTable) close() {
	t.mu.Lock() // want `^lock order inversion: t\.mu is locked here \(through s\.sessions\.close, line 44\) while s\.mu is held \(line 41\), and Reap locks s\.mu \(line 35\) while it holds t\.mu \(line 48\): two goroutines running both each hold one and wait forever for the other; take the two mutexes in one order everywhere$`
	t.closed = true
	t.mu.Unlock()
}

func (s *Server) setActive(n int) {
	s.mu.Lock()
	s.active = n
	s.mu.Unlock()
}

func (s *Server) Shutdown() {
	s.mu.Lock()
	defer s.mu.Unlock()
	time.Sleep(s.grace)
	s.sessions.close() // reported at close's Lock
}

func (t *SessionTable) Reap(now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for id, seen := range t.ids {
		if now.Sub(seen) > time.Hour {
			delete(t.ids, id)
		}
	}
	time.Sleep(t.grace)
	t.srv.setActive(len(t.ids)) // the other order, through setActive
}

var _ = leaks("Server.Shutdown+SessionTable.Reap", func() {
	s := &Server{grace: 50 * time.Millisecond}
	s.sessions = &SessionTable{srv: s, ids: map[string]time.Time{}, grace: 50 * time.Millisecond}
	go s.Shutdown()
	go s.sessions.Reap(time.Now())
})
