package interproc

import (
	"context"
	"log"
	"sync"
	"time"
)

// A server whose WaitGroup lives in a field: Start adds and starts, the loops
// defer Done, Stop waits. Nothing in one method balances on its own.

type Server struct {
	wg       sync.WaitGroup
	quit     chan struct{}
	interval time.Duration
	tasks    chan Task
}

func NewServer(interval time.Duration) *Server {
	return &Server{quit: make(chan struct{}), interval: interval, tasks: make(chan Task)}
}

func (s *Server) Start(ctx context.Context, workers int) {
	s.wg.Add(1) // ok: Stop waits, housekeep defers Done
	go s.housekeep()
	for i := 0; i < workers; i++ {
		s.wg.Add(1) // ok: one per worker
		go func() {
			defer s.wg.Done()
			s.work(ctx)
		}()
	}
}

func (s *Server) housekeep() {
	defer s.wg.Done() // ok: Start adds for it
	t := time.NewTicker(s.interval)
	defer t.Stop()
	for {
		select {
		case <-s.quit:
			return
		case <-t.C:
			log.Print("housekeeping")
		}
	}
}

func (s *Server) work(ctx context.Context) {
	for {
		select {
		case <-s.quit:
			return
		case t := <-s.tasks:
			execute(ctx, t)
		}
	}
}

func (s *Server) Stop() {
	close(s.quit)
	s.wg.Wait() // ok: waits for what Start counted
}

// Restart waits for the old generation and starts a new one.
func (s *Server) Restart(ctx context.Context, workers int) {
	s.Stop()
	s.quit = make(chan struct{})
	s.Start(ctx, workers)
}
