package a

import (
	"context"
	"time"
)

// Regression: `defer cancel()` evaluates cancel when the defer runs, so a
// later reassignment is not covered by it; `defer func() { cancel() }()` reads
// the variable at exit, so it covers the last assignment only.

func (s *Server) execWithRetry(parent context.Context, q string) error {
	ctx, cancel := context.WithTimeout(parent, time.Second) // ok: bound by the defer below before the reassignment
	defer cancel()
	if err := s.conn.Exec(ctx, q); err == nil {
		return nil
	}
	ctx, cancel = context.WithTimeout(parent, 5*time.Second) // want `the cancel function cancel returned by context\.WithTimeout is not called on the path that returns at line 19; call it on every path \(defer cancel\(\) after the call\) to stop the context's timer`
	return s.conn.Exec(ctx, q)
}

func (s *Server) execWithRetryClosure(parent context.Context, q string) error {
	ctx, cancel := context.WithTimeout(parent, time.Second) // want `the cancel function cancel returned by context\.WithTimeout is overwritten at line 28 before it is called; call cancel\(\) before reassigning it to stop the context's timer`
	defer func() { cancel() }()
	if err := s.conn.Exec(ctx, q); err == nil {
		return nil
	}
	ctx, cancel = context.WithTimeout(parent, 5*time.Second) // ok: the deferred closure calls the latest value
	return s.conn.Exec(ctx, q)
}

func (s *Server) execWithRetryReleased(parent context.Context, q string) error {
	ctx, cancel := context.WithTimeout(parent, time.Second) // ok: called before the reassignment
	err := s.conn.Exec(ctx, q)
	cancel()
	if err == nil {
		return nil
	}
	ctx, cancel = context.WithTimeout(parent, 5*time.Second) // ok: deferred
	defer cancel()
	return s.conn.Exec(ctx, q)
}
