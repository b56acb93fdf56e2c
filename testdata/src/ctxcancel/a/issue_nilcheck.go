package a

import (
	"context"
	"time"
)

// Regression: a conditional acquire released under `if cancel != nil`. The nil
// branch is only reachable when nothing was acquired.

func (s *Server) queryWithOptionalTimeout(parent context.Context, q string, timeout time.Duration) ([]string, error) {
	ctx := parent
	var cancel context.CancelFunc
	if timeout > 0 {
		ctx, cancel = context.WithTimeout(parent, timeout) // ok: released under the nil check, which only skips when nothing was acquired
	}
	if cancel != nil {
		defer cancel()
	}
	return s.conn.Query(ctx, q)
}

func (s *Server) execWithOptionalTimeout(parent context.Context, q string, timeout time.Duration) error {
	ctx := parent
	var cancel context.CancelFunc
	if timeout > 0 {
		ctx, cancel = context.WithTimeout(parent, timeout) // ok: nil-checked call at the end, no early return
	}
	err := s.conn.Exec(ctx, q)
	if cancel != nil {
		cancel()
	}
	return err
}

func (s *Server) execWithOptionalTimeoutLeak(parent context.Context, q string, timeout time.Duration) error {
	ctx := parent
	var cancel context.CancelFunc
	if timeout > 0 {
		ctx, cancel = context.WithTimeout(parent, timeout) // want `the cancel function cancel returned by context\.WithTimeout is not called on the path that returns at line 43; call it on every path \(defer cancel\(\) after the call\) to stop the context's timer`
	}
	if err := s.conn.Exec(ctx, q); err != nil {
		return err
	}
	if cancel != nil {
		cancel()
	}
	return nil
}
