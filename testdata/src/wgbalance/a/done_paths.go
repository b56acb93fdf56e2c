package a

import (
	"context"
	"log"
	"sync"
	"time"
)

// Goroutines that call wg.Done on some paths but not all: on the others the
// counter never reaches zero and wg.Wait blocks forever. The finding is at
// the go statement and names the first such return in source order (the
// closing brace for the implicit return at the end). These files carry no
// version, which the type checker leaves unknown in analysistest's GOPATH
// mode: wgbalance treats that as the toolchain's own version, so the
// messages offer wg.Go (see ../README.txt).

func (s *Store) putAll(items map[string][]byte) {
	var wg sync.WaitGroup
	for k, v := range items {
		wg.Add(1)
		go func() { // want `this goroutine does not call wg\.Done on the path that returns at line 25, so wg\.Wait at line 30 blocks forever; call defer wg\.Done\(\) first in the goroutine, or use wg\.Go`
			if err := s.Put(k, v); err != nil {
				log.Printf("put %s: %v", k, err)
				return
			}
			wg.Done()
		}()
	}
	wg.Wait()
}

func (c *Client) pingAll(ctx context.Context, addrs []string) []string {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		alive []string
	)
	wg.Add(len(addrs))
	for _, a := range addrs {
		go func() { // want `this goroutine does not call wg\.Done on the path that returns at line 49, so wg\.Wait at line 51 blocks forever; call defer wg\.Done\(\) first in the goroutine, or use wg\.Go`
			_, err := c.Call(ctx, "ping/"+a, nil)
			if err == nil {
				mu.Lock()
				alive = append(alive, a)
				mu.Unlock()
				wg.Done()
			}
		}()
	}
	wg.Wait()
	return alive
}

// A defer registered after an early return does not cover it.
func (s *Store) warm(keys []string) {
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Add(1)
		go func() { // want `this goroutine does not call wg\.Done on the path that returns at line 62, so wg\.Wait at line 70 blocks forever; call defer wg\.Done\(\) first in the goroutine, or use wg\.Go`
			if k == "" {
				return
			}
			defer wg.Done()
			if _, err := s.Get(k); err != nil {
				log.Printf("warm %s: %v", k, err)
			}
		}()
	}
	wg.Wait()
}

type batcher struct {
	wg    sync.WaitGroup
	store *Store
}

func (b *batcher) flush(batches [][]Job) {
	for _, batch := range batches {
		b.wg.Add(1)
		go func() { // want `this goroutine does not call b\.wg\.Done on the path that returns at line 86, so b\.wg\.Wait at line 93 blocks forever; call defer b\.wg\.Done\(\) first in the goroutine, or use b\.wg\.Go`
			for _, j := range batch {
				res, err := process(j)
				if err != nil {
					log.Printf("batch aborted: %v", err)
					return
				}
				b.store.Put(res.JobID, j.Payload)
			}
			b.wg.Done()
		}()
	}
	b.wg.Wait()
}

func (c *Client) syncPeers(ctx context.Context, peers map[string]string) {
	var wg sync.WaitGroup
	for name, role := range peers {
		wg.Add(1)
		go func() { // want `this goroutine does not call wg\.Done on the path that returns at line 108, so wg\.Wait at line 113 blocks forever; call defer wg\.Done\(\) first in the goroutine, or use wg\.Go`
			switch role {
			case "leader":
				c.Call(ctx, "sync/leader", []byte(name))
			case "follower":
				c.Call(ctx, "sync/follower", []byte(name))
			default:
				log.Printf("peer %s: unknown role %q", name, role)
				return
			}
			wg.Done()
		}()
	}
	wg.Wait()
}

func (c *Client) pollAll(ctx context.Context, urls []string, every time.Duration) {
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func() { // want `this goroutine does not call wg\.Done on the path that returns at line 126, so wg\.Wait at line 134 blocks forever; call defer wg\.Done\(\) first in the goroutine, or use wg\.Go`
			ticker := time.NewTicker(every)
			defer ticker.Stop()
			for i := 0; i < 3; i++ {
				select {
				case <-ctx.Done():
					return
				case <-ticker.C:
					c.Call(ctx, "poll", []byte(u))
				}
			}
			wg.Done()
		}()
	}
	wg.Wait()
}

// The WaitGroup passed to the closure as an argument.
func resize(imgs []Job) []Result {
	var wg sync.WaitGroup
	out := make([]Result, len(imgs))
	for i, img := range imgs {
		wg.Add(1)
		go func(wg *sync.WaitGroup, i int, j Job) { // want `this goroutine does not call wg\.Done on the path that returns at line 146, so wg\.Wait at line 152 blocks forever; call defer wg\.Done\(\) first in the goroutine, or use wg\.Go`
			r, err := process(j)
			if err != nil {
				return
			}
			out[i] = r
			wg.Done()
		}(&wg, i, img)
	}
	wg.Wait()
	return out
}

// Two leaking returns: the finding names the first.
func (s *Store) copyKeys(dst *Store, keys []string) {
	var wg sync.WaitGroup
	for _, k := range keys {
		wg.Add(1)
		go func() { // want `this goroutine does not call wg\.Done on the path that returns at line 164, so wg\.Wait at line 172 blocks forever; call defer wg\.Done\(\) first in the goroutine, or use wg\.Go`
			v, err := s.Get(k)
			if err != nil {
				return
			}
			if err := dst.Put(k, v); err != nil {
				return // second leaking return: not named
			}
			wg.Done()
		}()
	}
	wg.Wait()
}

// Look-alikes.

func (s *Store) putAllReleased(items map[string][]byte) {
	var wg sync.WaitGroup
	for k, v := range items {
		wg.Add(1)
		go func() { // ok: wg.Done before every return
			if err := s.Put(k, v); err != nil {
				log.Printf("put %s: %v", k, err)
				wg.Done()
				return
			}
			wg.Done()
		}()
	}
	wg.Wait()
}

func (s *Store) putAllDeferred(items map[string][]byte) {
	var wg sync.WaitGroup
	for k, v := range items {
		wg.Add(1)
		go func() { // ok: deferred first, covers the early return
			defer wg.Done()
			if err := s.Put(k, v); err != nil {
				log.Printf("put %s: %v", k, err)
				return
			}
		}()
	}
	wg.Wait()
}

func (s *Store) putWithRetry(items map[string][]byte) {
	var wg sync.WaitGroup
	for k, v := range items {
		wg.Add(1)
		go func() { // ok: the early returns belong to the retry callback, not to the goroutine
			err := retry(3, func() error {
				if len(v) == 0 {
					return nil
				}
				return s.Put(k, v)
			})
			if err != nil {
				log.Printf("put %s: %v", k, err)
			}
			wg.Done()
		}()
	}
	wg.Wait()
}

func (s *Store) mustPutAll(items map[string][]byte) {
	var wg sync.WaitGroup
	for k, v := range items {
		wg.Add(1)
		go func() { // ok: the other path panics, which ends the process, not just the goroutine
			if err := s.Put(k, v); err != nil {
				panic("put " + k + ": " + err.Error())
			}
			wg.Done()
		}()
	}
	wg.Wait()
}

func (c *Client) pollUntilReady(ctx context.Context, urls []string) {
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func() { // ok: the loop exits only through break, which reaches wg.Done
			for {
				b, err := c.Call(ctx, "ready", []byte(u))
				if err != nil || string(b) != "" {
					break
				}
			}
			wg.Done()
		}()
	}
	wg.Wait()
}

func (c *Client) classify(ctx context.Context, ids []string) (ok, failed int) {
	var (
		wg sync.WaitGroup
		mu sync.Mutex
	)
	for _, id := range ids {
		wg.Add(1)
		go func() { // ok: both branches call wg.Done
			_, err := c.Call(ctx, "check", []byte(id))
			mu.Lock()
			if err != nil {
				failed++
				mu.Unlock()
				wg.Done()
			} else {
				ok++
				mu.Unlock()
				wg.Done()
			}
		}()
	}
	wg.Wait()
	return ok, failed
}
