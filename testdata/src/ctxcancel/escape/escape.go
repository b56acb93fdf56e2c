// Package escape holds every form of ownership transfer of a cancel or stop
// func. A transferred func is someone else's obligation: all of these are
// silent. A few true positives at the end show where a transfer happens on
// one path only.
package escape

import (
	"context"
	"sync"
	"time"

	"ctxcancel/lib"
)

type Conn struct{ addr string }

func dial(ctx context.Context, addr string) (*Conn, error) { return &Conn{addr: addr}, ctx.Err() }

func (c *Conn) Ping(ctx context.Context) error { return ctx.Err() }
func (c *Conn) Close() error                   { return nil }

// Returned.

func withBudget(parent context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(parent, d) // ok: returned directly
}

func connect(parent context.Context, addr string) (*Conn, context.CancelFunc, error) {
	ctx, cancel := context.WithCancel(parent) // ok: released on the error path, returned on the success path
	conn, err := dial(ctx, addr)
	if err != nil {
		cancel()
		return nil, nil, err
	}
	return conn, cancel, nil
}

func connectWithCleanup(parent context.Context, addr string) (*Conn, func(), error) {
	ctx, cancel := context.WithCancel(parent) // ok: the returned closure calls it
	conn, err := dial(ctx, addr)
	if err != nil {
		cancel()
		return nil, nil, err
	}
	return conn, func() {
		conn.Close()
		cancel()
	}, nil
}

type scoped struct {
	ctx    context.Context
	cancel context.CancelFunc
}

func (s scoped) Close() { s.cancel() }

func newScoped(parent context.Context) scoped {
	ctx, cancel := context.WithCancel(parent) // ok: returned inside a struct value
	return scoped{ctx: ctx, cancel: cancel}
}

func newHandle(parent context.Context) *lib.Handle {
	ctx, cancel := context.WithTimeout(parent, time.Minute) // ok: returned inside another package's struct
	return &lib.Handle{Ctx: ctx, Cancel: cancel}
}

// Stored in a field of a heap object whose Close or Stop calls it.

type Client struct {
	conn   *Conn
	cancel context.CancelFunc
	stop   func() bool
}

func NewClient(parent context.Context, addr string) (*Client, error) {
	ctx, cancel := context.WithCancel(parent) // ok: stored in Client.cancel, called by Close
	conn, err := dial(ctx, addr)
	if err != nil {
		cancel()
		return nil, err
	}
	c := &Client{conn: conn}
	c.cancel = cancel
	return c, nil
}

func (c *Client) Close() error {
	c.cancel()
	if c.stop != nil {
		c.stop()
	}
	return c.conn.Close()
}

func (c *Client) closeOnDone(ctx context.Context) {
	c.stop = context.AfterFunc(ctx, func() { c.conn.Close() }) // ok: stored in Client.stop, called by Close
}

// Stored in a global or a map.

var (
	mu       sync.Mutex
	inflight = map[string]context.CancelFunc{}
	stopAll  context.CancelFunc
)

func startRequest(parent context.Context, id string) context.Context {
	ctx, cancel := context.WithCancel(parent) // ok: stored in a map
	mu.Lock()
	inflight[id] = cancel
	mu.Unlock()
	return ctx
}

func finishRequest(id string) {
	mu.Lock()
	defer mu.Unlock()
	if cancel, ok := inflight[id]; ok {
		cancel()
		delete(inflight, id)
	}
}

func startDaemon(parent context.Context) context.Context {
	ctx, cancel := context.WithCancel(parent) // ok: stored in a package-level variable
	stopAll = cancel
	return ctx
}

type registry struct {
	mu      sync.Mutex
	cancels map[int]context.CancelFunc
	next    int
}

func (r *registry) track(parent context.Context) (context.Context, int) {
	ctx, cancel := context.WithCancel(parent) // ok: stored in a map field
	r.mu.Lock()
	defer r.mu.Unlock()
	r.next++
	r.cancels[r.next] = cancel
	return ctx, r.next
}

func (r *registry) cancelAll() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for id, cancel := range r.cancels {
		cancel()
		delete(r.cancels, id)
	}
}

var sessions sync.Map

func openSession(parent context.Context, id string) context.Context {
	ctx, cancel := context.WithCancel(parent) // ok: converted to an interface and handed to sync.Map
	sessions.Store(id, cancel)
	return ctx
}

// Appended to a cleanup slice that runs later.

func setupAll(parent context.Context, addrs []string) ([]*Conn, error) {
	var cleanups []func()
	defer func() {
		for _, f := range cleanups {
			f()
		}
	}()
	var conns []*Conn
	for _, a := range addrs {
		ctx, cancel := context.WithTimeout(parent, time.Second) // ok: appended to cleanups, which the deferred loop runs
		cleanups = append(cleanups, cancel)
		c, err := dial(ctx, a)
		if err != nil {
			return nil, err
		}
		conns = append(conns, c)
	}
	return conns, nil
}

type Pool struct {
	closers []func()
}

func (p *Pool) add(parent context.Context) context.Context {
	ctx, cancel := context.WithCancel(parent) // ok: appended to a field slice, run by Close
	p.closers = append(p.closers, cancel)
	return ctx
}

func (p *Pool) Close() {
	for _, f := range p.closers {
		f()
	}
}

// Sent on a channel.

func spawn(parent context.Context, cancels chan<- context.CancelFunc) context.Context {
	ctx, cancel := context.WithCancel(parent) // ok: sent on a channel
	cancels <- cancel
	return ctx
}

// Passed to unknown code: a func-value parameter, an interface method, a
// function of another package, the standard library.

type Closer interface {
	OnClose(f func())
}

func bindToParam(parent context.Context, register func(context.CancelFunc)) context.Context {
	ctx, cancel := context.WithCancel(parent) // ok: passed to a func-value parameter
	register(cancel)
	return ctx
}

func bindToCloser(parent context.Context, c Closer) context.Context {
	ctx, cancel := context.WithCancel(parent) // ok: passed to an interface method
	c.OnClose(cancel)
	return ctx
}

func bindToLib(parent context.Context) context.Context {
	ctx, cancel := context.WithCancel(parent) // ok: passed to a function of another package
	lib.Register(cancel)
	return ctx
}

func cancelWithParent(parent, other context.Context) context.Context {
	ctx, cancel := context.WithCancel(other) // ok: passed to context.AfterFunc, whose stop is discarded on purpose
	context.AfterFunc(parent, cancel)
	return ctx
}

func expireAfter(parent context.Context, d time.Duration) context.Context {
	ctx, cancel := context.WithCancel(parent) // ok: passed to time.AfterFunc
	time.AfterFunc(d, cancel)
	return ctx
}

// Captured by an escaping closure: launched by go, stored, or returned.

func cancelOnSignal(parent context.Context, sig <-chan struct{}) context.Context {
	ctx, cancel := context.WithCancel(parent) // ok: captured by a goroutine that calls it
	go func() {
		<-sig
		cancel()
	}()
	return ctx
}

func (c *Client) bindStop(parent context.Context) context.Context {
	ctx, cancel := context.WithCancel(parent) // ok: captured by a closure stored in c.stop, called by Close
	c.stop = func() bool {
		cancel()
		return true
	}
	return ctx
}

func watch(ctx context.Context, cancel context.CancelFunc, c *Conn) {
	defer cancel()
	for c.Ping(ctx) == nil {
		time.Sleep(time.Second)
	}
}

func startWatch(parent context.Context, c *Conn) context.Context {
	ctx, cancel := context.WithCancel(parent) // ok: handed to a goroutine, which releases it on every path
	go watch(ctx, cancel, c)
	return ctx
}

// Assigned through a pointer.

func openInto(parent context.Context, out *context.CancelFunc) context.Context {
	ctx, cancel := context.WithCancel(parent) // ok: stored through a pointer parameter
	*out = cancel
	return ctx
}

// Contrast: a transfer on one path only.

type Session struct {
	conn   *Conn
	cancel context.CancelFunc
}

func (s *Session) Close() error {
	s.cancel()
	return s.conn.Close()
}

func OpenSession(parent context.Context, addr string) (*Session, error) {
	ctx, cancel := context.WithCancel(parent) // want `the cancel function cancel returned by context\.WithCancel is not called on the path that returns at line 303; call it on every path \(defer cancel\(\) after the call\) to release the context`
	conn, err := dial(ctx, addr)
	if err != nil {
		return nil, err
	}
	return &Session{conn: conn, cancel: cancel}, nil
}

func spawnIfReady(parent context.Context, ready bool, cancels chan<- context.CancelFunc) context.Context {
	ctx, cancel := context.WithCancel(parent) // want `the cancel function cancel returned by context\.WithCancel is not called on the path that returns at line 311; call it on every path \(defer cancel\(\) after the call\) to release the context`
	if !ready {
		return parent
	}
	cancels <- cancel
	return ctx
}
