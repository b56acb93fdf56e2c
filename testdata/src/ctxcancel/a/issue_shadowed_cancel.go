package a

import (
	"context"
	"time"
)

// Regression: an inner `ctx, cancel :=` shadows the outer pair. Each variable
// is its own obligation.

func (s *Server) lookupWithFallback(parent context.Context, key string) ([]string, error) {
	ctx, cancel := context.WithTimeout(parent, time.Second) // ok: outer pair deferred
	defer cancel()
	rows, err := s.conn.Query(ctx, "select v from cache where k = "+key)
	if err == nil {
		return rows, nil
	}
	{
		ctx, cancel := context.WithTimeout(parent, 5*time.Second) // ok: inner pair deferred
		defer cancel()
		return s.conn.Query(ctx, "select v from store where k = "+key)
	}
}

func (s *Server) lookupWithFallbackLeak(parent context.Context, key string) ([]string, error) {
	ctx, cancel := context.WithTimeout(parent, time.Second) // ok: outer pair deferred
	defer cancel()
	rows, err := s.conn.Query(ctx, "select v from cache where k = "+key)
	if err == nil {
		return rows, nil
	}
	if key != "" {
		ctx, cancel := context.WithTimeout(parent, 5*time.Second) // want `the cancel function cancel returned by context\.WithTimeout is not called on the path that returns at line 36; call it on every path \(defer cancel\(\) after the call\) to stop the context's timer`
		rows, err := s.conn.Query(ctx, "select v from store where k = "+key)
		if err != nil {
			return nil, err
		}
		cancel()
		return rows, nil
	}
	return nil, errNotFound
}
