package a

import (
	"context"
	"strconv"
	"sync"
)

// More shapes of GoKer moby#25384: a Wait in the loop that starts the
// goroutines an Add before the loop counted.

func (c *Client) warmConnections(ctx context.Context, n int) {
	var wg sync.WaitGroup
	wg.Add(n)
	for i := 0; i < n; i++ {
		go func() {
			defer wg.Done()
			c.Call(ctx, "warm", []byte(strconv.Itoa(i)))
		}()
		wg.Wait() // want `wg\.Wait inside the loop that starts the goroutines counted by wg\.Add at line 14: the first iteration waits for all of them and blocks forever; move wg\.Wait after the loop`
	}
}

type shard struct {
	id   int
	keys []string
}

type rebuilder struct {
	wg    sync.WaitGroup
	store *Store
}

func (rb *rebuilder) build(sh shard) {
	defer rb.wg.Done()
	for _, k := range sh.keys {
		rb.store.Get(k)
	}
}

func (rb *rebuilder) rebuild(shards []shard) {
	rb.wg.Add(len(shards))
	for _, sh := range shards {
		go rb.build(sh)
		rb.wg.Wait() // want `rb\.wg\.Wait inside the loop that starts the goroutines counted by rb\.wg\.Add at line 42: the first iteration waits for all of them and blocks forever; move rb\.wg\.Wait after the loop`
	}
}

// Look-alikes.

func (s *Store) putInBatches(batches [][]File) {
	var wg sync.WaitGroup
	for _, batch := range batches {
		wg.Add(len(batch)) // counts this batch only
		for _, f := range batch {
			go func() {
				defer wg.Done()
				s.Put(f.Name, f.Data)
			}()
		}
		wg.Wait() // ok: waits for the batch this iteration started and counted
	}
}

func (s *Store) putOneAtATime(files []File) {
	var wg sync.WaitGroup
	for _, f := range files {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.Put(f.Name, f.Data)
		}()
		wg.Wait() // ok: the Add is in the loop: each iteration waits for its own goroutine
	}
}

func (rb *rebuilder) rebuildInStages(stages [][]shard) {
	var staged sync.WaitGroup
	staged.Add(len(stages))
	for _, st := range stages {
		var stage sync.WaitGroup
		for _, sh := range st {
			stage.Add(1)
			go func() {
				defer stage.Done()
				for _, k := range sh.keys {
					rb.store.Get(k)
				}
			}()
		}
		stage.Wait() // ok: a different WaitGroup, counted inside the loop
		go func() {
			defer staged.Done()
			rb.store.Put("stage-done", nil)
		}()
	}
	staged.Wait() // ok: after the loop
}
