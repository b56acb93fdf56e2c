package a

import (
	"context"
	"log"
	"sync"
)

// wg.Add inside the goroutine it counts races with wg.Wait: Wait can see a
// zero counter before the goroutine has run and return early. vet's
// waitgroup pass reports an Add only when it is the goroutine's first
// statement; wgbalance reports one anywhere before the goroutine's Done,
// when the function that starts the goroutine waits after the go statement.

func (c *Client) fetchAll(ctx context.Context, ids []string) [][]byte {
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		out [][]byte
	)
	for _, id := range ids {
		go func() {
			wg.Add(1) // want `wg\.Add is called inside the goroutine started at line 22, which may run after wg\.Wait at line 35 returns; call wg\.Add before the go statement`
			defer wg.Done()
			b, err := c.Call(ctx, "get", []byte(id))
			if err != nil {
				log.Printf("get %s: %v", id, err)
				return
			}
			mu.Lock()
			out = append(out, b)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}

// Not the first statement: vet's waitgroup pass is silent here.
func (s *Store) putNonEmpty(keys []string, vals [][]byte) error {
	var wg sync.WaitGroup
	errs := make(chan error, len(keys))
	for i, k := range keys {
		go func() {
			if len(vals[i]) == 0 {
				return // nothing to write, nothing counted
			}
			wg.Add(1) // want `wg\.Add is called inside the goroutine started at line 44, which may run after wg\.Wait at line 55 returns; call wg\.Add before the go statement`
			defer wg.Done()
			if err := s.Put(k, vals[i]); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}

func (c *Client) broadcast(ctx context.Context, peers []string, msg []byte) {
	var wg sync.WaitGroup
	for _, p := range peers {
		go func(peer string) {
			log.Printf("broadcast: sending %d bytes to %s", len(msg), peer)
			wg.Add(1) // want `wg\.Add is called inside the goroutine started at line 63, which may run after wg\.Wait at line 72 returns; call wg\.Add before the go statement`
			defer wg.Done()
			if _, err := c.Call(ctx, "deliver/"+peer, msg); err != nil {
				log.Printf("broadcast to %s: %v", peer, err)
			}
		}(p)
	}
	wg.Wait()
}

type indexer struct {
	wg    sync.WaitGroup
	mu    sync.Mutex
	store *Store
	index map[string]int
}

func (ix *indexer) reindex(keys []string) {
	for _, k := range keys {
		go func() {
			ix.wg.Add(1) // want `ix\.wg\.Add is called inside the goroutine started at line 84, which may run after ix\.wg\.Wait at line 96 returns; call ix\.wg\.Add before the go statement`
			defer ix.wg.Done()
			v, err := ix.store.Get(k)
			if err != nil {
				return
			}
			ix.mu.Lock()
			ix.index[k] = len(v)
			ix.mu.Unlock()
		}()
	}
	ix.wg.Wait()
}

// A dispatcher goroutine that is not itself counted adds for its children:
// Wait can return before the dispatcher has run at all.
func (c *Client) uploadParts(ctx context.Context, parts [][]byte) {
	var wg sync.WaitGroup
	go func() {
		wg.Add(len(parts)) // want `wg\.Add is called inside the goroutine started at line 103, which may run after wg\.Wait at line 114 returns; call wg\.Add before the go statement`
		for i, p := range parts {
			go func() {
				defer wg.Done()
				if _, err := c.Call(ctx, "part", p); err != nil {
					log.Printf("part %d: %v", i, err)
				}
			}()
		}
	}()
	wg.Wait()
}

// Look-alikes.

func (s *Store) scanShards(shards [][]string) int {
	var (
		outer sync.WaitGroup
		mu    sync.Mutex
		total int
	)
	for _, shard := range shards {
		outer.Add(1) // ok: before the go statement
		go func() {
			defer outer.Done()
			var inner sync.WaitGroup
			for _, k := range shard {
				inner.Add(1) // ok: inner belongs to this goroutine, which adds before its own go statement and waits below
				go func() {
					defer inner.Done()
					if v, err := s.Get(k); err == nil {
						mu.Lock()
						total += len(v)
						mu.Unlock()
					}
				}()
			}
			inner.Wait()
		}()
	}
	outer.Wait()
	return total
}

func (c *Client) fetchAllCounted(ctx context.Context, ids []string) [][]byte {
	var wg sync.WaitGroup
	out := make([][]byte, len(ids))
	for i, id := range ids {
		wg.Add(1) // ok: before the go statement
		go func() {
			defer wg.Done()
			out[i], _ = c.Call(ctx, "get", []byte(id))
		}()
	}
	wg.Wait()
	return out
}
