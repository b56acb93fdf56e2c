package fanout

import (
	"context"
	"errors"
	"sync"
)

// Query asks one replica, shard or host.
type Query func(ctx context.Context, addr string) ([]byte, error)

type reply struct {
	addr string
	b    []byte
	err  error
}

var errDown = errors.New("host down")

// Inputs for the shapes.

func answer(ctx context.Context, addr string) ([]byte, error) { return []byte(addr), nil }
func fail(ctx context.Context, addr string) ([]byte, error)   { return nil, errDown }
func pingOK(ctx context.Context, host string) error           { return nil }
func pingDown(ctx context.Context, host string) error         { return errDown }

// slowFirst holds its first call until a second call starts: a hedged
// request then always sends its backup request.
type slowFirst struct {
	mu     sync.Mutex
	calls  int
	second chan struct{}
}

func newSlowFirst() *slowFirst { return &slowFirst{second: make(chan struct{})} }

func (s *slowFirst) query(ctx context.Context, addr string) ([]byte, error) {
	s.mu.Lock()
	s.calls++
	n := s.calls
	s.mu.Unlock()
	if n == 1 {
		<-s.second
	} else if n == 2 {
		close(s.second)
	}
	return []byte(addr), nil
}

// group is a small errgroup: Go runs f in a goroutine, Wait returns the
// first error.
type group struct {
	wg   sync.WaitGroup
	once sync.Once
	err  error
}

func (g *group) Go(f func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := f(); err != nil {
			g.once.Do(func() { g.err = err })
		}
	}()
}

func (g *group) Wait() error {
	g.wg.Wait()
	return g.err
}
