// Package fix holds findings with a suggested fix and look-alikes without one.
// The fix "Add defer cancel() after the call" is offered only where it is
// correct on every path: an `:=` acquire outside any loop whose context is
// only passed to calls. Elsewhere the golden file equals the input.
package fix

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	"time"
)

type Profile struct{ ID string }

type DB struct{}

func (db *DB) profile(ctx context.Context, id string) (*Profile, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return &Profile{ID: id}, nil
}

func (db *DB) ping(ctx context.Context) error { return ctx.Err() }

type Server struct {
	db  *DB
	ctx context.Context
}

func (s *Server) Serve(ctx context.Context) error { return ctx.Err() }

func (s *Server) Listen() error { return nil }

// Fix offered.

func loadProfile(parent context.Context, db *DB, id string) (*Profile, error) {
	ctx, cancel := context.WithTimeout(parent, time.Second) // want `the cancel function cancel returned by context\.WithTimeout is not called on the path that returns at line 43; call it on every path \(defer cancel\(\) after the call\) to stop the context's timer`
	p, err := db.profile(ctx, id)
	if err != nil {
		return nil, err
	}
	cancel()
	return p, nil
}

func runUntilSignal(s *Server) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM) // want `the stop function stop returned by signal\.NotifyContext is not called on the path that returns at line 52; call it on every path \(defer stop\(\) after the call\) to stop relaying signals`
	if err := s.Listen(); err != nil {
		return err
	}
	err := s.Serve(ctx)
	stop()
	return err
}

func (s *Server) loadTwo(parent context.Context, a, b string) ([2]*Profile, error) {
	var out [2]*Profile
	ctx, done := context.WithDeadline(parent, time.Now().Add(2*time.Second)) // want `the cancel function done returned by context\.WithDeadline is not called on the path that returns at line 65; call it on every path \(defer done\(\) after the call\) to stop the context's timer`
	for i, id := range []string{a, b} {
		p, err := s.db.profile(ctx, id)
		if err != nil {
			return out, err
		}
		out[i] = p
	}
	done()
	return out, nil
}

// No fix: the context is returned (with its cancel func on the success
// path), so a deferred cancel would cancel it before the caller can use it.

func (s *Server) begin(parent context.Context) (context.Context, context.CancelFunc, error) {
	ctx, cancel := context.WithTimeout(parent, time.Second) // want `the cancel function cancel returned by context\.WithTimeout is not called on the path that returns at line 79; call it on every path \(defer cancel\(\) after the call\) to stop the context's timer`
	if err := s.db.ping(ctx); err != nil {
		return nil, nil, err
	}
	return ctx, cancel, nil
}

// No fix: the acquire is inside a loop; a defer there waits for the function.

func (s *Server) loadAll(parent context.Context, ids []string) []*Profile {
	var out []*Profile
	for _, id := range ids {
		ctx, cancel := context.WithTimeout(parent, time.Second) // want `the cancel function cancel returned by context\.WithTimeout is not called before the next iteration of the loop at line 88; call it at the end of every iteration to stop the context's timer`
		p, err := s.db.profile(ctx, id)
		if err != nil {
			continue
		}
		cancel()
		out = append(out, p)
	}
	return out
}

// No fix: `=` assigns an existing variable.

func (s *Server) reload(parent context.Context, id string) (*Profile, error) {
	var (
		ctx    context.Context
		cancel context.CancelFunc
	)
	ctx, cancel = context.WithTimeout(parent, time.Second) // want `the cancel function cancel returned by context\.WithTimeout is not called on the path that returns at line 110; call it on every path \(defer cancel\(\) after the call\) to stop the context's timer`
	p, err := s.db.profile(ctx, id)
	if err != nil {
		return nil, err
	}
	cancel()
	return p, nil
}

// No fix: the context is captured by a goroutine that may outlive the call.

func (s *Server) prefetch(parent context.Context, id string) error {
	ctx, cancel := context.WithTimeout(parent, time.Second) // want `the cancel function cancel returned by context\.WithTimeout is not called on the path that returns at line 121; call it on every path \(defer cancel\(\) after the call\) to stop the context's timer`
	if err := s.db.ping(ctx); err != nil {
		return err
	}
	go func() {
		s.db.profile(ctx, id)
		cancel()
	}()
	return nil
}

// No fix: the context is stored in a field.

func (s *Server) attach(parent context.Context) error {
	ctx, cancel := context.WithTimeout(parent, time.Minute) // want `the cancel function cancel returned by context\.WithTimeout is not called on the path that returns at line 135; call it on every path \(defer cancel\(\) after the call\) to stop the context's timer`
	if err := s.db.ping(ctx); err != nil {
		return err
	}
	s.ctx = ctx
	cancel()
	return nil
}

// No fix: the context is sent on a channel.

func (s *Server) handOff(parent context.Context, out chan<- context.Context) error {
	ctx, cancel := context.WithCancel(parent) // want `the cancel function cancel returned by context\.WithCancel is not called on the path that returns at line 147; call it on every path \(defer cancel\(\) after the call\) to release the context`
	if err := s.db.ping(ctx); err != nil {
		return err
	}
	out <- ctx
	cancel()
	return nil
}

// Correct code: no finding, no fix.

func loadProfileReleased(parent context.Context, db *DB, id string) (*Profile, error) {
	ctx, cancel := context.WithTimeout(parent, time.Second) // ok: deferred
	defer cancel()
	return db.profile(ctx, id)
}
