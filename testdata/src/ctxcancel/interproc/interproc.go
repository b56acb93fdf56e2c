// Package interproc holds same-package constructors that return a fresh
// cancel func, helpers that release, retain or drop a cancel func passed to
// them, methods, closures, and calls into another package (ctxcancel/lib).
package interproc

import (
	"context"
	"log"
	"sync"
	"time"

	"ctxcancel/lib"
)

const requestTimeout = 5 * time.Second

type DB struct{ dsn string }

func (db *DB) Query(ctx context.Context, q string) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return []string{q}, nil
}

// Constructors returning a fresh cancel func: acquire sites for their callers.

func newRequestCtx(parent context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(parent, requestTimeout) // ok: returned to the caller
}

func startSpan(parent context.Context, name string) (context.Context, func()) {
	ctx, cancel := context.WithCancel(parent) // ok: returned (as a plain func()) to the caller
	log.Printf("span %s started", name)
	return ctx, cancel
}

type Client struct {
	db      *DB
	timeout time.Duration
}

func (c *Client) requestCtx(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(parent, c.timeout) // ok: returned to the caller
	return ctx, cancel
}

func (c *Client) lookupDiscard(parent context.Context, key string) ([]string, error) {
	ctx, _ := newRequestCtx(parent) // want `the cancel function returned by newRequestCtx is discarded; keep it and call it on every path \(defer cancel\(\)\) to release the context`
	return c.db.Query(ctx, key)
}

func (c *Client) lookupSpanDiscard(parent context.Context, key string) ([]string, error) {
	ctx, _ := startSpan(parent, "lookup") // want `the cancel function returned by startSpan is discarded; keep it and call it on every path \(defer cancel\(\)\) to release the context`
	return c.db.Query(ctx, key)
}

func (c *Client) lookupMethodDiscard(parent context.Context, key string) ([]string, error) {
	ctx, _ := c.requestCtx(parent) // want `the cancel function returned by Client\.requestCtx is discarded; keep it and call it on every path \(defer cancel\(\)\) to release the context`
	return c.db.Query(ctx, key)
}

func (c *Client) lookupEarlyReturn(parent context.Context, key string) ([]string, error) {
	ctx, cancel := newRequestCtx(parent) // want `the cancel function cancel returned by newRequestCtx is not called on the path that returns at line 67; call it on every path \(defer cancel\(\) after the call\) to release the context`
	rows, err := c.db.Query(ctx, key)
	if err != nil {
		return nil, err
	}
	cancel()
	return rows, nil
}

func (c *Client) lookupSpanLeak(parent context.Context, key string) ([]string, error) {
	ctx, end := startSpan(parent, "lookup") // want `the cancel function end returned by startSpan is not called on the path that returns at line 76; call it on every path \(defer end\(\) after the call\) to release the context`
	if key == "" {
		return nil, nil
	}
	defer end()
	return c.db.Query(ctx, key)
}

func (c *Client) lookupMethodLeak(parent context.Context, keys []string) ([]string, error) {
	ctx, cancel := c.requestCtx(parent) // want `the cancel function cancel returned by Client\.requestCtx is not called on the path that returns at line 88; call it on every path \(defer cancel\(\) after the call\) to release the context`
	var out []string
	for _, k := range keys {
		rows, err := c.db.Query(ctx, k)
		if err != nil {
			return nil, err
		}
		out = append(out, rows...)
	}
	cancel()
	return out, nil
}

func (c *Client) lookup(parent context.Context, key string) ([]string, error) {
	ctx, cancel := newRequestCtx(parent) // ok: deferred
	defer cancel()
	return c.db.Query(ctx, key)
}

func (c *Client) lookupSpan(parent context.Context, key string) ([]string, error) {
	ctx, end := startSpan(parent, "lookup") // ok: deferred
	defer end()
	return c.db.Query(ctx, key)
}

// A constructor of a plain func() that is not a cancel func.

var shardLocks [16]sync.Mutex

func lockShard(i int) func() {
	shardLocks[i%16].Lock()
	return shardLocks[i%16].Unlock
}

func noop() func() { return func() {} }

func (c *Client) touch(key string) {
	unlock := lockShard(len(key)) // ok: not a cancel func, not ctxcancel's business
	defer unlock()
	_ = noop() // ok: a func() that releases nothing
}

// Helpers that take a cancel func.

func release(c context.CancelFunc) { c() }

func releaseAfter(c context.CancelFunc, done <-chan struct{}) {
	<-done
	c()
}

func withCleanup(c context.CancelFunc, f func() error) error {
	defer c()
	return f()
}

func shutdown(c context.CancelFunc) {
	log.Print("shutting down")
	release(c)
}

func releaseOnError(c context.CancelFunc, err error) {
	if err != nil {
		c()
	}
}

func traceOnly(c context.CancelFunc) {
	log.Printf("cancel func set: %t", c != nil)
}

type Server struct {
	mu       sync.Mutex
	inflight map[string]context.CancelFunc
	cancel   context.CancelFunc
}

func (s *Server) retain(c context.CancelFunc) { s.cancel = c }

func (s *Server) track(id string, c context.CancelFunc) {
	s.mu.Lock()
	s.inflight[id] = c
	s.mu.Unlock()
}

func (s *Server) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.inflight {
		c()
	}
	if s.cancel != nil {
		s.cancel()
	}
}

func (c *Client) viaRelease(parent context.Context, key string) error {
	ctx, cancel := context.WithTimeout(parent, time.Second) // ok: release calls it on every path
	_, err := c.db.Query(ctx, key)
	release(cancel)
	return err
}

func (c *Client) viaDeferredRelease(parent context.Context, key string) error {
	ctx, cancel := context.WithTimeout(parent, time.Second) // ok: deferred release calls it
	defer release(cancel)
	_, err := c.db.Query(ctx, key)
	return err
}

func (c *Client) viaGoRelease(parent context.Context, key string, done <-chan struct{}) ([]string, error) {
	ctx, cancel := context.WithCancel(parent) // ok: handed to a goroutine running releaseAfter
	go releaseAfter(cancel, done)
	return c.db.Query(ctx, key)
}

func (c *Client) viaWithCleanup(parent context.Context, key string) error {
	ctx, cancel := context.WithTimeout(parent, time.Second) // ok: withCleanup defers it
	return withCleanup(cancel, func() error {
		_, err := c.db.Query(ctx, key)
		return err
	})
}

func (c *Client) viaShutdown(parent context.Context, key string) error {
	ctx, cancel := context.WithTimeout(parent, time.Second) // ok: shutdown releases through release
	_, err := c.db.Query(ctx, key)
	shutdown(cancel)
	return err
}

func (s *Server) viaRetain(parent context.Context) context.Context {
	ctx, cancel := context.WithCancel(parent) // ok: retain stores it in s.cancel, which Close calls
	s.retain(cancel)
	return ctx
}

func (s *Server) viaTrack(parent context.Context, id string) context.Context {
	ctx, cancel := context.WithCancel(parent) // ok: track stores it in s.inflight, which Close calls
	s.track(id, cancel)
	return ctx
}

func (c *Client) viaReleaseOnError(parent context.Context, key string) error {
	ctx, cancel := context.WithTimeout(parent, time.Second) // want `the cancel function cancel returned by context\.WithTimeout is not called on the path that returns at line 230; call it on every path \(defer cancel\(\) after the call\) to stop the context's timer`
	_, err := c.db.Query(ctx, key)
	releaseOnError(cancel, err)
	return err
}

func (c *Client) viaTraceOnly(parent context.Context, key string) error {
	ctx, cancel := context.WithTimeout(parent, time.Second) // want `the cancel function cancel returned by context\.WithTimeout is not called on the path that returns at line 237; call it on every path \(defer cancel\(\) after the call\) to stop the context's timer`
	traceOnly(cancel)
	_, err := c.db.Query(ctx, key)
	return err
}

// Closures.

func (c *Client) viaFinish(parent context.Context, keys []string) (n int, err error) {
	ctx, cancel := context.WithTimeout(parent, time.Second) // ok: finish is called on every path
	finish := func() (int, error) {
		cancel()
		return n, err
	}
	for _, k := range keys {
		var rows []string
		if rows, err = c.db.Query(ctx, k); err != nil {
			return finish()
		}
		n += len(rows)
	}
	return finish()
}

func (c *Client) viaImmediateClosure(parent context.Context, key string) error {
	return func() error {
		ctx, cancel := context.WithTimeout(parent, time.Second) // ok: deferred inside the immediately called closure
		defer cancel()
		_, err := c.db.Query(ctx, key)
		return err
	}()
}

func (c *Client) viaConditionalClosure(parent context.Context, key string, verbose bool) error {
	ctx, cancel := context.WithTimeout(parent, time.Second) // want `the cancel function cancel returned by context\.WithTimeout is not called on the path that returns at line 277; call it on every path \(defer cancel\(\) after the call\) to stop the context's timer`
	report := func() {
		cancel()
		log.Printf("lookup %s done", key)
	}
	_, err := c.db.Query(ctx, key)
	if verbose {
		report()
	}
	return err
}

// Another package: only a discarded CancelFunc-typed result is reported.

func (c *Client) viaLibDiscard(key string) ([]string, error) {
	ctx, _ := lib.NewCtx() // want `the cancel function returned by lib\.NewCtx is discarded; keep it and call it on every path \(defer cancel\(\)\) to release the context`
	return c.db.Query(ctx, key)
}

func (c *Client) viaLibCauseDiscard(parent context.Context, key string) ([]string, error) {
	ctx, _ := lib.WithCause(parent) // want `the cancel function returned by lib\.WithCause is discarded; keep it and call it on every path \(defer cancel\(nil\)\) to release the context`
	return c.db.Query(ctx, key)
}

func (c *Client) viaLibKept(key string) ([]string, error) {
	ctx, cancel := lib.NewCtx() // ok: cross-package result without summary, only discard is reported
	rows, err := c.db.Query(ctx, key)
	if err != nil {
		return nil, err
	}
	cancel()
	return rows, nil
}

func (c *Client) viaLibStop() {
	lib.NewStop()         // ok: another package's plain func() is not known to be a cancel func
	_ = lib.NewStop()     // ok: same
	stop := lib.NewStop() // ok: same, and kept without a call
	_ = stop
}

func (c *Client) viaLibDeferred(key string) ([]string, error) {
	ctx, cancel := lib.NewCtx() // ok: deferred
	defer cancel()
	return c.db.Query(ctx, key)
}
