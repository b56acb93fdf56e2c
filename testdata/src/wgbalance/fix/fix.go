// Package fix holds done-some-paths findings with a suggested fix and
// look-alikes without one. The fix inserts `defer wg.Done()` as the first
// statement of the goroutine's function literal and deletes the other Done
// calls in it, each with its whole line. It is offered only where it is
// correct on every path: a function literal whose every wg.Done call is
// deferred or followed directly by a return or by the end of the literal, so
// deferring changes no timing. Elsewhere the golden file equals the input.
package fix

import (
	"context"
	"log"
	"net"
	"sync"
)

type Client struct{ addr string }

func (c *Client) Get(ctx context.Context, key string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return []byte(c.addr + "/" + key), nil
}

type Job struct {
	ID      string
	Payload []byte
}

func process(j Job) (int, error) { return len(j.Payload), nil }

// Fix offered.

func (c *Client) getAll(ctx context.Context, keys []string) [][]byte {
	var wg sync.WaitGroup
	out := make([][]byte, len(keys))
	for i, k := range keys {
		wg.Add(1)
		go func() { // want `this goroutine does not call wg\.Done on the path that returns at line 44, so wg\.Wait at line 50 blocks forever; call defer wg\.Done\(\) first in the goroutine, or use wg\.Go`
			b, err := c.Get(ctx, k)
			if err != nil {
				log.Printf("get %s: %v", k, err)
				return
			}
			out[i] = b
			wg.Done()
		}()
	}
	wg.Wait()
	return out
}

func processAll(jobs []Job) ([]int, []error) {
	var wg sync.WaitGroup
	sizes := make([]int, len(jobs))
	errs := make([]error, len(jobs))
	for i, j := range jobs {
		wg.Add(1)
		go func() { // want `this goroutine does not call wg\.Done on the path that returns at line 62, so wg\.Wait at line 74 blocks forever; call defer wg\.Done\(\) first in the goroutine, or use wg\.Go`
			if j.Payload == nil {
				return
			}
			n, err := process(j)
			if err != nil {
				errs[i] = err
				wg.Done()
				return
			}
			sizes[i] = n
			wg.Done()
		}()
	}
	wg.Wait()
	return sizes, errs
}

func (c *Client) warm(ctx context.Context, keys []string) {
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Add(1)
		go func(wg *sync.WaitGroup, key string) { // want `this goroutine does not call wg\.Done on the path that returns at line 84, so wg\.Wait at line 90 blocks forever; call defer wg\.Done\(\) first in the goroutine, or use wg\.Go`
			if key == "" {
				return
			}
			defer wg.Done()
			c.Get(ctx, key)
		}(&wg, k)
	}
	wg.Wait()
}

type Prefetcher struct {
	wg     sync.WaitGroup
	client *Client
	cache  map[string][]byte
	mu     sync.Mutex
}

func (p *Prefetcher) Prefetch(ctx context.Context, keys []string) {
	for _, k := range keys {
		p.wg.Add(1)
		go func() { // want `this goroutine does not call p\.wg\.Done on the path that returns at line 106, so p\.wg\.Wait at line 118 blocks forever; call defer p\.wg\.Done\(\) first in the goroutine, or use p\.wg\.Go`
			select {
			case <-ctx.Done():
				return
			default:
			}
			b, err := p.client.Get(ctx, k)
			if err == nil {
				p.mu.Lock()
				p.cache[k] = b
				p.mu.Unlock()
			}
			p.wg.Done()
		}()
	}
	p.wg.Wait()
}

// No fix: the goroutine is a named function, which may have other callers.

func fetchInto(ctx context.Context, wg *sync.WaitGroup, c *Client, key string, out *[]byte) {
	b, err := c.Get(ctx, key)
	if err != nil {
		return
	}
	*out = b
	wg.Done()
}

func (c *Client) getMany(ctx context.Context, keys []string) [][]byte {
	var wg sync.WaitGroup
	out := make([][]byte, len(keys))
	for i, k := range keys {
		wg.Add(1)
		go fetchInto(ctx, &wg, c, k, &out[i]) // want `this goroutine does not call wg\.Done on the path that returns at line 126, so wg\.Wait at line 139 blocks forever; call defer wg\.Done\(\) first in the goroutine, or use wg\.Go`
	}
	wg.Wait()
	return out
}

// No fix: wg.Done signals "listening" and the goroutine goes on serving;
// deferring it would make Wait wait for the servers to stop.

func serve(ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		conn.Close()
	}
}

func listenAll(addrs []string) {
	var wg sync.WaitGroup
	for _, addr := range addrs {
		wg.Add(1)
		go func() { // want `this goroutine does not call wg\.Done on the path that returns at line 164, so wg\.Wait at line 170 blocks forever; call defer wg\.Done\(\) first in the goroutine, or use wg\.Go`
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				log.Printf("listen %s: %v", addr, err)
				return
			}
			wg.Done()
			serve(ln)
		}()
	}
	wg.Wait()
}

// Other kinds of finding get no fix: the rewrite is not mechanical.

func (c *Client) getAllRacy(ctx context.Context, keys []string) [][]byte {
	var wg sync.WaitGroup
	out := make([][]byte, len(keys))
	for i, k := range keys {
		go func() {
			wg.Add(1) // want `wg\.Add is called inside the goroutine started at line 179, which may run after wg\.Wait at line 185 returns; call wg\.Add before the go statement`
			defer wg.Done()
			out[i], _ = c.Get(ctx, k)
		}()
	}
	wg.Wait()
	return out
}

func (c *Client) getNonEmpty(ctx context.Context, keys []string) [][]byte {
	var wg sync.WaitGroup
	out := make([][]byte, len(keys))
	wg.Add(len(keys)) // want `wg\.Add\(len\(keys\)\) counts one goroutine per element but the loop skips the go statement at line 197, so wg\.Wait at line 202 blocks forever; call wg\.Add\(1\) before each go statement instead`
	for i, k := range keys {
		if k == "" {
			continue
		}
		go func() {
			defer wg.Done()
			out[i], _ = c.Get(ctx, k)
		}()
	}
	wg.Wait()
	return out
}

// Look-alikes: nothing to fix.

func (c *Client) getAllDeferred(ctx context.Context, keys []string) [][]byte {
	var wg sync.WaitGroup
	out := make([][]byte, len(keys))
	for i, k := range keys {
		wg.Add(1)
		go func() { // ok: deferred first
			defer wg.Done()
			b, err := c.Get(ctx, k)
			if err != nil {
				return
			}
			out[i] = b
		}()
	}
	wg.Wait()
	return out
}

func (c *Client) getAllReleased(ctx context.Context, keys []string) [][]byte {
	var wg sync.WaitGroup
	out := make([][]byte, len(keys))
	for i, k := range keys {
		wg.Add(1)
		go func() { // ok: wg.Done before both returns
			b, err := c.Get(ctx, k)
			if err != nil {
				wg.Done()
				return
			}
			out[i] = b
			wg.Done()
		}()
	}
	wg.Wait()
	return out
}
