//go:build go1.22

package a

import (
	"context"
	"io"
	"log"
	"sync"
	"sync/atomic"
	"time"
)

// Goroutines whose loop over a ticker or timer channel has no way out: the
// goroutine and its ticker live until the process exits, in every Go
// version. The ticker is captured by the goroutine, so it has escaped and the
// unstopped rule says nothing; the finding is at the receive.

type entry struct {
	val     string
	expires time.Time
}

type Cache struct {
	mu    sync.Mutex
	items map[string]entry
}

func (c *Cache) evictExpired() {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	for k, e := range c.items {
		if now.After(e.expires) {
			delete(c.items, k)
		}
	}
}

// NewCache starts a janitor that nobody can stop.
func NewCache(ttl time.Duration) *Cache {
	c := &Cache{items: make(map[string]entry)}
	t := time.NewTicker(ttl / 2)
	go func() {
		for range t.C { // want `this goroutine receives from t\.C forever: no path leaves the loop, so the goroutine and its ticker are never released; add a case that returns \(case <-ctx\.Done\(\): return\)`
			c.evictExpired()
		}
	}()
	return c
}

// startKeepalive: the other case keeps looping too.
func (s *Session) startKeepalive() {
	t := time.NewTicker(s.interval)
	go func() {
		for {
			select {
			case <-t.C: // want `this goroutine receives from t\.C forever: no path leaves the loop, so the goroutine and its ticker are never released; add a case that returns \(case <-ctx\.Done\(\): return\)`
				if err := s.conn.Send(context.Background(), keepalive); err != nil {
					log.Printf("keepalive: %v", err)
				}
			case msg := <-s.outbox:
				if err := s.conn.Send(context.Background(), msg); err != nil {
					log.Printf("send: %v", err)
				}
			}
		}
	}()
}

type Poller struct {
	client *Client
	every  time.Duration
	quit   chan struct{}
}

// start: `break` in a select leaves the select, not the loop.
func (p *Poller) start(ctx context.Context) {
	t := time.NewTicker(p.every)
	go func() {
		for {
			select {
			case <-t.C: // ok: selectnil reports the break below (select-break), one report per bug
				if _, err := p.client.Status(ctx); err != nil {
					log.Printf("poll: %v", err)
				}
			case <-p.quit:
				break // leaves the select only
			}
		}
	}()
}

// startFlusher: a plain receive in a bare loop.
func (m *Metrics) startFlusher(every time.Duration) {
	t := time.NewTicker(every)
	go func() {
		for {
			<-t.C // want `this goroutine receives from t\.C forever: no path leaves the loop, so the goroutine and its ticker are never released; add a case that returns \(case <-ctx\.Done\(\): return\)`
			m.flush()
		}
	}()
}

type Batcher struct {
	mu       sync.Mutex
	buf      []Msg
	maxDelay time.Duration
	out      func([]Msg)
}

func (b *Batcher) flushBuf() {
	b.mu.Lock()
	buf := b.buf
	b.buf = nil
	b.mu.Unlock()
	if len(buf) > 0 {
		b.out(buf)
	}
}

// start: a timer re-armed forever is a ticker by another name.
func (b *Batcher) start() {
	flush := time.NewTimer(b.maxDelay)
	go func() {
		for {
			<-flush.C // want `this goroutine receives from flush\.C forever: no path leaves the loop, so the goroutine and its ticker are never released; add a case that returns \(case <-ctx\.Done\(\): return\)`
			b.flushBuf()
			flush.Reset(b.maxDelay)
		}
	}()
}

// startReporter: ranging over time.Tick's channel; the function literal never
// returns, so the time.Tick rule is silent and this is the one finding.
func (m *Metrics) startReporter(w io.Writer) {
	go func() {
		for range time.Tick(10 * time.Second) { // want `this goroutine receives from time\.Tick forever: no path leaves the loop, so the goroutine and its ticker are never released; add a case that returns \(case <-ctx\.Done\(\): return\)`
			m.writeTo(w)
		}
	}()
}

// Look-alikes: loops with a way out.

func NewCacheCtx(ctx context.Context, ttl time.Duration) *Cache {
	c := &Cache{items: make(map[string]entry)}
	go func() {
		t := time.NewTicker(ttl / 2) // ok: deferred
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C: // ok: ctx.Done leaves the loop
				c.evictExpired()
			}
		}
	}()
	return c
}

func (p *Poller) startQuit(ctx context.Context) {
	go func() {
		t := time.NewTicker(p.every)
		defer t.Stop()
		for {
			select {
			case <-t.C: // ok: the quit case returns
				p.client.Status(ctx)
			case <-p.quit:
				return
			}
		}
	}()
}

func (p *Poller) startLabeled(ctx context.Context) {
	go func() {
		t := time.NewTicker(p.every)
		defer t.Stop()
	loop:
		for {
			select {
			case <-t.C: // ok: the labeled break leaves the loop
				p.client.Status(ctx)
			case <-p.quit:
				break loop
			}
		}
		log.Print("poller stopped")
	}()
}

func (s *Session) startForwarder() {
	go func() {
		t := time.NewTicker(s.interval)
		defer t.Stop()
		for {
			select {
			case <-t.C: // ok: a closed outbox ends the loop
				s.conn.Send(context.Background(), keepalive)
			case msg, ok := <-s.outbox:
				if !ok {
					return
				}
				s.conn.Send(context.Background(), msg)
			}
		}
	}()
}

type Watcher struct {
	closed atomic.Bool
	check  func() error
}

func (w *Watcher) start(every time.Duration) {
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for range t.C { // ok: returns once closed
			if w.closed.Load() {
				return
			}
			if err := w.check(); err != nil {
				log.Printf("watch: %v", err)
			}
		}
	}()
}

func (m *Metrics) flushN(every time.Duration, n int) {
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for i := 0; i < n; i++ { // ok: the loop ends after n ticks
			<-t.C
			m.flush()
		}
	}()
}

var defaultMetrics = &Metrics{counts: make(map[string]int)}

func init() {
	go func() {
		for range time.Tick(time.Minute) { // ok: started by init: lives as long as the process
			defaultMetrics.flush()
		}
	}()
}
