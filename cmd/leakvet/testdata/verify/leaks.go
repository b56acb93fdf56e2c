// Package verifydemo has one goroutine leak of each kind leakvet knows,
// each exercised by a test, for 'leakvet verify'. Each leaking operation
// carries a "LEAK <name>" comment; verify_test.go finds them by it.
package verifydemo

import (
	"context"
	"errors"
	"sync"
	"time"
)

// First returns the first answer; the other senders block forever.
func First(queries []string) string {
	ch := make(chan string)
	for _, q := range queries {
		go func() {
			ch <- "answer to " + q // LEAK blocked-send
		}()
	}
	return <-ch
}

// Count counts the lines in a goroutine that waits for a close that
// never comes.
func Count(lines []string) {
	ch := make(chan string)
	go func() {
		n := 0
		for range ch { // LEAK never-closed-range
			n++
		}
		_ = n
	}()
	for _, l := range lines {
		ch <- l
	}
	// missing close(ch)
}

// RunAll runs the jobs and returns a channel closed when all are done. A
// failed job returns without wg.Done, so the waiter blocks forever.
func RunAll(jobs []func() error) <-chan struct{} {
	var wg sync.WaitGroup
	done := make(chan struct{})
	for _, job := range jobs {
		wg.Add(1)
		go func() {
			if err := job(); err != nil {
				return
			}
			wg.Done()
		}()
	}
	go func() {
		wg.Wait() // LEAK waitgroup
		close(done)
	}()
	return done
}

// Idle waits on two channels that are never made: a select on nil
// channels can never proceed.
func Idle() {
	var stop, quit chan struct{}
	go func() {
		select { // LEAK select-nil
		case <-stop:
		case <-quit:
		}
	}()
}

// Heartbeat ticks forever: no case leaves the loop.
func Heartbeat(beat func()) {
	t := time.NewTicker(time.Hour)
	go func() {
		for range t.C { // LEAK ticker-loop
			beat()
		}
	}()
}

// Lookup forgets its cancel when the key is empty: the context's timer
// lives on, but no goroutine does.
func Lookup(ctx context.Context, key string) error {
	ctx, cancel := context.WithTimeout(ctx, time.Second) // LEAK lost-cancel
	if key == "" {
		return errors.New("empty key")
	}
	defer cancel()
	return ctx.Err()
}

// Cache memoizes answers. Get holds mu while it calls load, which takes
// mu again: sync.Mutex is not reentrant, so the caller blocks forever.
type Cache struct {
	mu sync.Mutex
	m  map[string]string
}

func (c *Cache) Get(k string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.load(k)
}

func (c *Cache) load(k string) string {
	c.mu.Lock() // LEAK double-lock
	defer c.mu.Unlock()
	return c.m[k]
}

// Pulse is like Heartbeat, but no test calls it.
func Pulse(beat func()) {
	t := time.NewTicker(time.Hour)
	go func() {
		for range t.C { // LEAK untested-ticker
			beat()
		}
	}()
}
