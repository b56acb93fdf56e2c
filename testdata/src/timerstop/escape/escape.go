//go:build go1.22

// Package escape holds every form of ownership transfer of a ticker or timer,
// at go1.22 where an unstopped one leaks. A transferred ticker is someone
// else's obligation: all of these are silent. A few true positives at the
// end show a transfer on one path only, and a channel that escapes without
// its ticker.
package escape

import (
	"context"
	"errors"
	"sync"
	"time"
)

var errNoPeer = errors.New("no peer")

type Peer struct{ addr string }

func (p *Peer) ping(ctx context.Context) error {
	if p.addr == "" {
		return errNoPeer
	}
	return ctx.Err()
}

// Returned.

func newPollTicker(every time.Duration) *time.Ticker {
	return time.NewTicker(every) // ok: returned directly
}

func startPolling(ctx context.Context, p *Peer, every time.Duration) (*time.Ticker, error) {
	t := time.NewTicker(every) // ok: stopped on the error path, returned on the success path
	if err := p.ping(ctx); err != nil {
		t.Stop()
		return nil, err
	}
	return t, nil
}

func armDeadline(d time.Duration) (*time.Timer, <-chan time.Time) {
	t := time.NewTimer(d) // ok: returned with its channel
	return t, t.C
}

// Stored in a struct whose Stop or Close method stops it.

type Heartbeat struct {
	ticker *time.Ticker
	peer   *Peer
}

func (h *Heartbeat) Stop() { h.ticker.Stop() }

func NewHeartbeat(p *Peer, every time.Duration) *Heartbeat {
	t := time.NewTicker(every) // ok: stored in a composite literal that is returned
	return &Heartbeat{ticker: t, peer: p}
}

func (h *Heartbeat) Restart(every time.Duration) {
	h.ticker.Stop()
	h.ticker = time.NewTicker(every) // ok: stored in a field
}

type RateLimiter struct {
	mu     sync.Mutex
	tokens chan struct{}
	refill *time.Ticker
	quit   chan struct{}
}

func NewRateLimiter(burst int, every time.Duration) *RateLimiter {
	rl := &RateLimiter{tokens: make(chan struct{}, burst), quit: make(chan struct{})}
	rl.refill = time.NewTicker(every) // ok: stored in a field that Close stops
	go rl.fill()
	return rl
}

func (rl *RateLimiter) fill() {
	for {
		select {
		case <-rl.refill.C:
			select {
			case rl.tokens <- struct{}{}:
			default:
			}
		case <-rl.quit:
			return
		}
	}
}

func (rl *RateLimiter) Close() error {
	rl.refill.Stop()
	close(rl.quit)
	return nil
}

func (rl *RateLimiter) resetTimer(out **time.Timer, d time.Duration) {
	*out = time.NewTimer(d) // ok: stored through a pointer
}

// Globals, maps, slices, channels.

var (
	globalMu      sync.Mutex
	globalTicker  *time.Ticker
	peerTickers   = map[string]*time.Ticker{}
	pendingTimers []*time.Timer
)

func startGlobal(every time.Duration) {
	globalMu.Lock()
	defer globalMu.Unlock()
	globalTicker = time.NewTicker(every) // ok: stored in a global
}

func trackPeer(p *Peer, every time.Duration) {
	t := time.NewTicker(every) // ok: stored in a map
	globalMu.Lock()
	peerTickers[p.addr] = t
	globalMu.Unlock()
}

func schedule(d time.Duration) {
	t := time.NewTimer(d) // ok: appended to a slice that outlives the call
	globalMu.Lock()
	pendingTimers = append(pendingTimers, t)
	globalMu.Unlock()
}

func handOff(every time.Duration, to chan<- *time.Ticker) {
	t := time.NewTicker(every) // ok: sent on a channel
	to <- t
}

// Interfaces, unknown code, goroutines.

type stopper interface{ Stop() }

var stoppers []stopper

// register keeps s until shutdown, which stops them all.
func register(s stopper) {
	globalMu.Lock()
	stoppers = append(stoppers, s)
	globalMu.Unlock()
}

func registerTicker(every time.Duration) {
	t := time.NewTicker(every) // ok: converted to an interface and passed on
	register(t)
}

func withTicker(every time.Duration, use func(*time.Ticker)) {
	t := time.NewTicker(every) // ok: passed to a function value: unknown code
	use(t)
}

func stopLater(every time.Duration, stops chan<- func()) {
	t := time.NewTicker(every) // ok: its Stop method value is sent away
	stops <- t.Stop
}

func monitor(ctx context.Context, p *Peer, every time.Duration) {
	t := time.NewTicker(every) // ok: captured by a goroutine that stops it
	go func() {
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				p.ping(ctx)
			}
		}
	}()
}

func monitorWith(ctx context.Context, p *Peer, every time.Duration) {
	t := time.NewTicker(every) // ok: passed to a goroutine
	go watch(ctx, p, t)
}

func watch(ctx context.Context, p *Peer, t *time.Ticker) {
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			p.ping(ctx)
		}
	}
}

// True positives: a transfer on one path only, or only the channel escapes.

func (h *Heartbeat) attach(ctx context.Context, every time.Duration) error {
	t := time.NewTicker(every) // want `the ticker t from time\.NewTicker is not stopped on the path that returns at line 204; before go1\.23 an unstopped ticker is never freed: call t\.Stop\(\) on every path \(defer t\.Stop\(\) after the call\)`
	if err := h.peer.ping(ctx); err != nil {
		return err
	}
	h.ticker = t
	return nil
}

// every re-implements time.Tick: the caller gets the channel, never the
// ticker, and cannot stop it.
func every(d time.Duration) <-chan time.Time {
	t := time.NewTicker(d) // want `the ticker t from time\.NewTicker is not stopped on the path that returns at line 214; before go1\.23 an unstopped ticker is never freed: call t\.Stop\(\) on every path \(defer t\.Stop\(\) after the call\)`
	return t.C
}

func deadlineChan(d time.Duration) <-chan time.Time {
	t := time.NewTimer(d) // want `the timer t from time\.NewTimer is not stopped on the path that returns at line 219; before go1\.23 it stays in the timer heap until it fires: call t\.Stop\(\) on every path \(defer t\.Stop\(\) after the call\)`
	return t.C
}

// AfterFunc timers that escape: silent.

type Lease struct {
	mu    sync.Mutex
	timer *time.Timer
}

func (l *Lease) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.timer != nil {
		l.timer.Stop()
	}
	return nil
}

func (l *Lease) grant(ttl time.Duration, expire func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.timer = time.AfterFunc(ttl, expire) // ok: kept in a field that Close stops
}

func (l *Lease) grantReturn(ttl time.Duration, expire func()) *time.Timer {
	return time.AfterFunc(ttl, expire) // ok: returned to the caller
}

func (l *Lease) grantInto(ttl time.Duration, expire func(), timers chan<- *time.Timer) {
	timers <- time.AfterFunc(ttl, expire) // ok: sent on a channel
}
