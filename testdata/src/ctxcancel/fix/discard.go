package fix

import (
	"context"
	"time"
)

// Discarded cancel funcs. `ctx, _ := context.WithX(...)` with the name cancel
// free in scope gets the fix: `_` becomes cancel and `defer cancel()` follows.

func (s *Server) ping(parent context.Context) error {
	ctx, _ := context.WithTimeout(parent, time.Second) // want `the cancel function returned by context\.WithTimeout is discarded; keep it and call it on every path \(defer cancel\(\)\) to stop the context's timer`
	return s.db.ping(ctx)
}

func fetch(parent context.Context, db *DB, id string) (*Profile, error) {
	ctx, _ := context.WithCancel(parent) // want `the cancel function returned by context\.WithCancel is discarded; keep it and call it on every path \(defer cancel\(\)\) to release the context`
	p, err := db.profile(ctx, id)
	if err != nil {
		return nil, err
	}
	return p, nil
}

func (s *Server) fetchBefore(parent context.Context, id string, deadline time.Time) (*Profile, error) {
	ctx, _ := context.WithDeadline(parent, deadline) // want `the cancel function returned by context\.WithDeadline is discarded; keep it and call it on every path \(defer cancel\(\)\) to stop the context's timer`
	return s.db.profile(ctx, id)
}

// No fix: the name cancel is already taken in this scope.

func (s *Server) copyProfile(parent context.Context, id string) (*Profile, error) {
	ctx, cancel := context.WithCancel(parent) // ok: deferred
	defer cancel()
	readCtx, _ := context.WithTimeout(ctx, time.Second) // want `the cancel function returned by context\.WithTimeout is discarded; keep it and call it on every path \(defer cancel\(\)\) to stop the context's timer`
	return s.db.profile(readCtx, id)
}

// No fix: `=` rather than `:=`.

func (s *Server) pingAssign(parent context.Context) error {
	ctx := parent
	ctx, _ = context.WithTimeout(ctx, time.Second) // want `the cancel function returned by context\.WithTimeout is discarded; keep it and call it on every path \(defer cancel\(\)\) to stop the context's timer`
	return s.db.ping(ctx)
}

// No fix: the context is returned; a deferred cancel would cancel it.

func withBudget(parent context.Context) context.Context {
	ctx, _ := context.WithTimeout(parent, time.Second) // want `the cancel function returned by context\.WithTimeout is discarded; keep it and call it on every path \(defer cancel\(\)\) to stop the context's timer`
	return ctx
}

// No fix: inside a loop, a defer would wait for the function.

func (s *Server) pingAll(parent context.Context, n int) error {
	for range n {
		ctx, _ := context.WithTimeout(parent, time.Second) // want `the cancel function returned by context\.WithTimeout is discarded; keep it and call it on every path \(defer cancel\(\)\) to stop the context's timer`
		if err := s.db.ping(ctx); err != nil {
			return err
		}
	}
	return nil
}
