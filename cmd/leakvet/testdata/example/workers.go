package leaky

import (
	"context"
	"log"
	"sync"
	"time"
)

// FetchAll fans out one goroutine per key. A failed fetch returns without
// wg.Done, so wg.Wait blocks forever and FetchAll never returns.
func FetchAll(ctx context.Context, keys []string) map[string]string {
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		out = make(map[string]string)
	)
	for _, k := range keys {
		wg.Add(1)
		go func() {
			v, err := lookup(ctx, k)
			if err != nil {
				return // leak: wg.Done is skipped on this path
			}
			mu.Lock()
			out[k] = v
			mu.Unlock()
			wg.Done()
		}()
	}
	wg.Wait()
	return out
}

// FetchAllOK defers Done, so every path releases its count.
func FetchAllOK(ctx context.Context, keys []string) map[string]string {
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		out = make(map[string]string)
	)
	for _, k := range keys {
		wg.Go(func() {
			v, err := lookup(ctx, k)
			if err != nil {
				return
			}
			mu.Lock()
			out[k] = v
			mu.Unlock()
		})
	}
	wg.Wait()
	return out
}

// StartReporter logs a heartbeat every interval, forever: nothing ever
// stops the goroutine or its ticker, even after the caller is done.
func StartReporter(interval time.Duration) {
	t := time.NewTicker(interval)
	go func() {
		for range t.C { // leak: no way out of this loop
			log.Print("alive")
		}
	}()
}

// StartReporterOK stops when ctx ends.
func StartReporterOK(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	go func() {
		defer t.Stop()
		for {
			select {
			case <-t.C:
				log.Print("alive")
			case <-ctx.Done():
				return
			}
		}
	}()
}
