package a

import (
	"context"
	"log"
	"strings"
	"sync"
)

// Regression: a goroutine that was itself counted before it started may add
// for the goroutines it starts. The counter is above zero for as long as it
// runs, so Wait cannot return between its Adds; the race vet's waitgroup
// pass describes needs an Add while the counter may be zero.

func (c *Client) crawl(ctx context.Context, roots []string, depth int) {
	var wg sync.WaitGroup
	var visit func(url string, d int)
	visit = func(url string, d int) {
		defer wg.Done()
		body, err := c.Call(ctx, "fetch", []byte(url))
		if err != nil || d == 0 {
			return
		}
		for _, link := range strings.Fields(string(body)) {
			wg.Add(1) // ok: runs inside a counted goroutine, before the child starts
			go visit(link, d-1)
		}
	}
	for _, r := range roots {
		wg.Add(1)
		go visit(r, depth)
	}
	wg.Wait()
}

func (c *Client) fanOutFromDispatcher(ctx context.Context, batches [][]string) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for _, b := range batches {
			wg.Add(len(b)) // ok: the dispatcher is counted, so the counter is above zero whenever it adds
			for _, id := range b {
				go func() {
					defer wg.Done()
					if _, err := c.Call(ctx, "get", []byte(id)); err != nil {
						log.Printf("get %s: %v", id, err)
					}
				}()
			}
		}
	}()
	wg.Wait()
}
