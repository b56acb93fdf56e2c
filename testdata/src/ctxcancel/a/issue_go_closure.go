package a

import (
	"context"
	"log"
	"time"
)

// Regression: an acquire inside a closure started with `go` is the closure's
// own obligation; a defer inside that closure discharges it.

func (s *Server) refreshInBackground(parent context.Context) {
	go func() {
		ctx, cancel := context.WithTimeout(parent, 30*time.Second) // ok: deferred inside the goroutine's own function
		defer cancel()
		if err := s.conn.Exec(ctx, "refresh materialized views"); err != nil {
			log.Printf("refresh: %v", err)
		}
	}()
}

func (s *Server) refreshInBackgroundLeak(parent context.Context) {
	go func() {
		ctx, cancel := context.WithTimeout(parent, 30*time.Second) // want `the cancel function cancel returned by context\.WithTimeout is not called on the path that returns at line 27; call it on every path \(defer cancel\(\) after the call\) to stop the context's timer`
		if err := s.conn.Exec(ctx, "refresh materialized views"); err != nil {
			log.Printf("refresh: %v", err)
			return
		}
		cancel()
	}()
}

func (s *Server) watchdog(parent context.Context, done <-chan struct{}) context.Context {
	ctx, cancel := context.WithCancel(parent) // ok: captured by the goroutine, which calls it
	go func() {
		select {
		case <-done:
		case <-time.After(time.Minute):
		}
		cancel()
	}()
	return ctx
}
