package explore

import "sync"

// A lock-order inversion leaves two goroutines stuck, each at its own
// Lock. lockblock's lock-order rule reports the inversion at one of them;
// the explorer still reports the other goroutine where it blocks, with
// the schedule: it is a second goroutine that leaks, at another line.

type server struct {
	mu    sync.Mutex
	conn  *conn
	conns int
}

type conn struct {
	mu  sync.Mutex
	srv *server
}

func (s *server) shutdown() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.conn.close()
}

func (c *conn) close() {
	c.mu.Lock() // want `^lock order inversion: c\.mu is locked here`
	defer c.mu.Unlock()
}

func (s *server) count() int {
	s.mu.Lock() // want `^this goroutine \(goroutine \d, started at line \d+\) blocks here forever on a schedule of RunServerShutdown \(below\): goroutine \d holds s\.mu and is blocked itself at line \d+$`
	defer s.mu.Unlock()
	return s.conns
}

// report asks the server for its count while it holds the connection.
func (c *conn) report() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.srv.count()
}

// reportAfter lets the connection go first.
func (c *conn) reportAfter() {
	c.mu.Lock()
	c.mu.Unlock()
	c.srv.count()
}

func newServer() (*server, *conn) {
	s := &server{}
	c := &conn{srv: s}
	s.conn = c
	return s, c
}

func RunServerShutdown() {
	s, c := newServer()
	go s.shutdown()
	go c.report()
}

func RunServerShutdownAfter() {
	s, c := newServer()
	go s.shutdown()
	go c.reportAfter()
}

var _ = noLeak("RunServerShutdownAfter", RunServerShutdownAfter)
