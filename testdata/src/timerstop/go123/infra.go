//go:build go1.23

package go123

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"
)

// Small stand-ins for the services the pollers, heartbeats and janitors of
// this package talk to.

var (
	errTimeout     = errors.New("request timed out")
	errLockTimeout = errors.New("lock wait timed out")
	errNotReady    = errors.New("upstream not ready")
)

type Status struct {
	Healthy bool
	Version string
}

type Client struct {
	addr    string
	timeout time.Duration
}

func (c *Client) Status(ctx context.Context) (Status, error) {
	if err := ctx.Err(); err != nil {
		return Status{}, err
	}
	return Status{Healthy: c.addr != "", Version: "v1"}, nil
}

func (c *Client) Ping(ctx context.Context) error { return ctx.Err() }

func (c *Client) get(key string) []byte { return []byte(c.addr + "/" + key) }

func (c *Client) send(req string) <-chan string {
	out := make(chan string, 1)
	go func() { out <- "ok: " + req }()
	return out
}

type Conn struct{ peer string }

func (c *Conn) Send(ctx context.Context, b []byte) error {
	if c.peer == "" {
		return io.ErrClosedPipe
	}
	return ctx.Err()
}

type Session struct {
	conn     *Conn
	interval time.Duration
	outbox   chan []byte
}

var keepalive = []byte("keepalive")

type Store struct {
	mu    sync.Mutex
	locks map[string]bool
}

func (s *Store) tryLock(key string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if key == "" {
		return false, fmt.Errorf("lock: empty key")
	}
	if s.locks[key] {
		return false, nil
	}
	s.locks[key] = true
	return true, nil
}

type Metrics struct {
	mu      sync.Mutex
	counts  map[string]int
	flushed int
}

func (m *Metrics) flush() {
	m.mu.Lock()
	m.flushed += len(m.counts)
	clear(m.counts)
	m.mu.Unlock()
}

func (m *Metrics) writeTo(w io.Writer) {
	m.mu.Lock()
	defer m.mu.Unlock()
	fmt.Fprintf(w, "flushed=%d\n", m.flushed)
}

type Msg struct {
	Key  string
	Body []byte
}
