package a

import (
	"context"
	"log"
	"time"
)

// Correct code shaped like the findings in this package: all silent.

func (s *Server) ping(parent context.Context) error {
	ctx, cancel := context.WithTimeout(parent, time.Second) // ok: deferred right after the call
	defer cancel()
	return s.conn.Ping(ctx)
}

func (s *Server) pingDeferredClosure(parent context.Context) error {
	ctx, cancel := context.WithTimeout(parent, time.Second) // ok: deferred closure calls it
	defer func() {
		cancel()
		log.Print("ping finished")
	}()
	return s.conn.Ping(ctx)
}

func (s *Server) exec(parent context.Context, q string, retry bool) error {
	ctx, cancel := context.WithCancel(parent) // ok: called in both branches of the if/else
	if retry {
		err := s.conn.Exec(ctx, q)
		if err != nil {
			err = s.conn.Exec(ctx, q)
		}
		cancel()
		return err
	} else {
		err := s.conn.Exec(ctx, q)
		cancel()
		return err
	}
}

func (s *Server) execAtEnd(parent context.Context, qs []string) {
	ctx, cancel := context.WithTimeout(parent, time.Minute) // ok: no early return, called at the end
	for _, q := range qs {
		if err := s.conn.Exec(ctx, q); err != nil {
			log.Printf("exec %q: %v", q, err)
		}
	}
	cancel()
}

func (s *Server) execReleasedTwice(parent context.Context, q string) error {
	ctx, cancel := context.WithTimeout(parent, time.Second) // ok: explicit call on the error path and a defer; calling twice is harmless
	defer cancel()
	if err := s.conn.Ping(ctx); err != nil {
		cancel()
		return err
	}
	return s.conn.Exec(ctx, q)
}

func requestScope(parent context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(parent, d) // ok: returned to the caller
	return ctx, cancel
}

func (s *Server) finishLater(parent context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancel(parent) // ok: the returned closure calls it
	return ctx, func() {
		cancel()
		s.conn.Close()
	}
}

func (s *Server) pingNamedCleanup(parent context.Context) error {
	ctx, cancel := context.WithTimeout(parent, time.Second) // ok: the deferred cleanup closure calls it
	cleanup := func() {
		cancel()
		log.Print("done")
	}
	defer cleanup()
	return s.conn.Ping(ctx)
}

func release(c context.CancelFunc) { c() }

func (s *Server) pingReleasedByHelper(parent context.Context) error {
	ctx, cancel := context.WithTimeout(parent, time.Second) // ok: release calls its parameter on every path
	defer release(cancel)
	return s.conn.Ping(ctx)
}
