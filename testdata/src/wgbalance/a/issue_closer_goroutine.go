package a

import (
	"context"
	"sync"
)

// Regression: in a pipeline stage the Wait sits in a closer goroutine that
// the stage starts after its workers. It is still the stage's Wait: a worker
// that returns without wg.Done blocks it forever, results is never closed,
// and the consumer's range never ends.

func (c *Client) lookupStage(ctx context.Context, ids <-chan string, workers int) <-chan []byte {
	results := make(chan []byte)
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() { // want `this goroutine does not call wg\.Done on the path that returns at line 22, so wg\.Wait at line 30 blocks forever; call defer wg\.Done\(\) first in the goroutine, or use wg\.Go`
			for id := range ids {
				b, err := c.Call(ctx, "lookup", []byte(id))
				if err != nil {
					return
				}
				results <- b
			}
			wg.Done()
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	return results
}

func (c *Client) lookupStageReleased(ctx context.Context, ids <-chan string, workers int) <-chan []byte {
	results := make(chan []byte)
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() { // ok: deferred first
			defer wg.Done()
			for id := range ids {
				b, err := c.Call(ctx, "lookup", []byte(id))
				if err != nil {
					return
				}
				results <- b
			}
		}()
	}
	go func() {
		wg.Wait() // ok: waits for workers that are all counted and all release
		close(results)
	}()
	return results
}
