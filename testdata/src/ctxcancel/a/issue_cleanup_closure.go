package a

import (
	"context"
	"log"
	"time"
)

// Regression: a named cleanup closure that calls cancel discharges it when the
// closure is deferred or called on every path, and not otherwise.

func (s *Server) migrateSchema(parent context.Context, steps []string) error {
	ctx, cancel := context.WithTimeout(parent, 10*time.Minute) // ok: finish is called on every path
	finish := func(err error) error {
		cancel()
		if err != nil {
			log.Printf("migration failed: %v", err)
		}
		return err
	}
	for _, st := range steps {
		if err := s.conn.Exec(ctx, st); err != nil {
			return finish(err)
		}
	}
	return finish(nil)
}

func (s *Server) migrateSchemaLeak(parent context.Context, steps []string) error {
	ctx, cancel := context.WithTimeout(parent, 10*time.Minute) // want `the cancel function cancel returned by context\.WithTimeout is not called on the path that returns at line 43; call it on every path \(defer cancel\(\) after the call\) to stop the context's timer`
	finish := func(err error) error {
		cancel()
		if err != nil {
			log.Printf("migration failed: %v", err)
		}
		return err
	}
	for _, st := range steps {
		if err := s.conn.Exec(ctx, st); err != nil {
			return finish(err)
		}
	}
	return nil
}
