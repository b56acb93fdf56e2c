package a

import (
	"context"
	"time"
)

// Regression: both branches of an if/else acquire into the same variables and
// one shared defer releases whichever was acquired.

func (s *Server) pingWithTimeoutOrNot(parent context.Context, d time.Duration) error {
	var (
		ctx    context.Context
		cancel context.CancelFunc
	)
	if d > 0 {
		ctx, cancel = context.WithTimeout(parent, d) // ok: both branches acquire, the shared defer releases
	} else {
		ctx, cancel = context.WithCancel(parent) // ok: same defer
	}
	defer cancel()
	return s.conn.Ping(ctx)
}
