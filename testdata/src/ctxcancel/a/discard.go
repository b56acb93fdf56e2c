package a

import (
	"context"
	"iter"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// Discarded cancel and stop functions: one case per acquiring API, then the
// look-alikes that must stay silent.

func pingPrimary(parent context.Context, c *Conn) error {
	ctx, _ := context.WithCancel(parent) // want `the cancel function returned by context\.WithCancel is discarded; keep it and call it on every path \(defer cancel\(\)\) to release the context`
	return c.Ping(ctx)
}

func (s *Server) lookup(parent context.Context, key string) ([]string, error) {
	var ctx context.Context
	ctx, _ = context.WithTimeout(parent, 200*time.Millisecond) // want `the cancel function returned by context\.WithTimeout is discarded; keep it and call it on every path \(defer cancel\(\)\) to stop the context's timer`
	return s.conn.Query(ctx, "select v from kv where k = "+key)
}

func flushBefore(parent context.Context, c *Conn, deadline time.Time) error {
	ctx, _ := context.WithDeadline(parent, deadline) // want `the cancel function returned by context\.WithDeadline is discarded; keep it and call it on every path \(defer cancel\(\)\) to stop the context's timer`
	return c.Exec(ctx, "flush")
}

func replicate(parent context.Context, replicas []*Conn) error {
	ctx, _ := context.WithCancelCause(parent) // want `the cancel function returned by context\.WithCancelCause is discarded; keep it and call it on every path \(defer cancel\(nil\)\) to release the context`
	for _, r := range replicas {
		if err := r.Exec(ctx, "sync"); err != nil {
			return err
		}
	}
	return nil
}

func migrate(parent context.Context, c *Conn) error {
	ctx, _ := context.WithTimeoutCause(parent, time.Minute, errMigrationSlow) // want `the cancel function returned by context\.WithTimeoutCause is discarded; keep it and call it on every path \(defer cancel\(\)\) to stop the context's timer`
	return c.Exec(ctx, "migrate")
}

func backupUntil(parent context.Context, c *Conn, until time.Time) error {
	ctx, _ := context.WithDeadlineCause(parent, until, errMaintenanceOver) // want `the cancel function returned by context\.WithDeadlineCause is discarded; keep it and call it on every path \(defer cancel\(\)\) to stop the context's timer`
	return c.Exec(ctx, "backup")
}

func serveUntilSignal(s *Server) error {
	ctx, _ := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM) // want `the stop function returned by signal\.NotifyContext is discarded; keep it and call it on every path \(defer stop\(\)\) to stop relaying signals`
	return s.Serve(ctx)
}

func installSignalHandler() {
	signal.NotifyContext(context.Background(), syscall.SIGHUP) // want `the stop function returned by signal\.NotifyContext is discarded; keep it and call it on every path \(defer stop\(\)\) to stop relaying signals`
}

func warmUp(parent context.Context) {
	context.WithTimeout(parent, time.Second) // want `the cancel function returned by context\.WithTimeout is discarded; keep it and call it on every path \(defer cancel\(\)\) to stop the context's timer`
}

func firstRow(rows iter.Seq[[]string]) ([]string, bool) {
	next, _ := iter.Pull(rows) // want `the stop function returned by iter\.Pull is discarded; keep it and call it on every path \(defer stop\(\)\) to end the iterator's goroutine`
	return next()
}

func firstHeader(headers iter.Seq2[string, string]) (string, string, bool) {
	next, _ := iter.Pull2(headers) // want `the stop function returned by iter\.Pull2 is discarded; keep it and call it on every path \(defer stop\(\)\) to end the iterator's goroutine`
	return next()
}

func (s *Server) handlerWithBudget() func(w ResponseWriter, r *Request) {
	return func(w ResponseWriter, r *Request) {
		ctx, _ := context.WithTimeout(r.Context(), s.uploadTimeout) // want `the cancel function returned by context\.WithTimeout is discarded; keep it and call it on every path \(defer cancel\(\)\) to stop the context's timer`
		if err := s.store(ctx, r.Body); err != nil {
			writeError(w, 500, err)
		}
	}
}

// Look-alikes.

func closeOnCancel(ctx context.Context, c *Conn) {
	context.AfterFunc(ctx, func() { c.Close() }) // ok: discarding AfterFunc's stop is the idiom for "run whenever ctx ends"
}

func closeOnCancelExplicit(ctx context.Context, c *Conn) {
	_ = context.AfterFunc(ctx, func() { c.Close() }) // ok: same idiom, explicitly discarded
}

func detachedAudit(ctx context.Context, c *Conn) {
	bg := context.WithoutCancel(ctx) // ok: WithoutCancel returns no cancel func
	go c.Exec(bg, "audit")
}

type traceKey struct{}

func withTrace(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, traceKey{}, id) // ok: WithValue returns no cancel func
}

func pingWithDefer(parent context.Context, c *Conn) error {
	ctx, cancel := context.WithCancel(parent) // ok: deferred right after the call
	defer cancel()
	return c.Ping(ctx)
}

func firstRowReleased(rows iter.Seq[[]string]) ([]string, bool) {
	next, stop := iter.Pull(rows) // ok: stop deferred
	defer stop()
	return next()
}

func serveUntilSignalReleased(s *Server) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM) // ok: stop deferred
	defer stop()
	return s.Serve(ctx)
}
