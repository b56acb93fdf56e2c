package a

import (
	"context"
	"errors"
	"strings"
)

// Fetch is a backend call: an RPC, a cache lookup, a database query.
type Fetch func(ctx context.Context, key string) ([]byte, error)

type result struct {
	b   []byte
	err error
}

var (
	errUnavailable = errors.New("backend unavailable")
	errStopped     = errors.New("poller stopped")
	errTooLarge    = errors.New("upload too large")
)

// Inputs for the shapes.

// cancelled returns a context that is already done.
func cancelled() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}

// gate holds a fake backend call until the shape opens it after the
// function under test has returned, so that a select always takes its
// timeout or cancellation path, however the goroutines are scheduled.
type gate chan struct{}

func newGate() gate  { return make(gate) }
func (g gate) open() { close(g) }

func (g gate) fetch(ctx context.Context, key string) ([]byte, error) {
	<-g
	return []byte(key), nil
}

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }
