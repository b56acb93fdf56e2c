package a

import (
	"context"
	"log"
	"sync"
)

// Correct code shaped like the findings in this package: all silent.

func (c *Client) fanOut(ctx context.Context, methods []string) [][]byte {
	var wg sync.WaitGroup
	out := make([][]byte, len(methods))
	for i, m := range methods {
		wg.Add(1) // ok: Add before go, Done deferred first
		go func() {
			defer wg.Done()
			out[i], _ = c.Call(ctx, m, nil)
		}()
	}
	wg.Wait()
	return out
}

func (s *Store) getAll(keys []string) [][]byte {
	var wg sync.WaitGroup
	out := make([][]byte, len(keys))
	wg.Add(len(keys)) // ok: one go statement per element
	for i, k := range keys {
		go func() {
			defer wg.Done()
			out[i], _ = s.Get(k)
		}()
	}
	wg.Wait()
	return out
}

func worker(wg *sync.WaitGroup, jobs <-chan Job, results chan<- Result) {
	defer wg.Done()
	for j := range jobs {
		r, err := process(j)
		if err != nil {
			log.Printf("job %s: %v", j.ID, err)
			continue
		}
		results <- r
	}
}

func runPool(jobs []Job, workers int) []Result {
	in := make(chan Job)
	results := make(chan Result, len(jobs))
	var wg sync.WaitGroup
	wg.Add(workers) // ok: a loop of exactly workers iterations starts one worker each
	for i := 0; i < workers; i++ {
		go worker(&wg, in, results) // ok: worker defers wg.Done
	}
	for _, j := range jobs {
		in <- j
	}
	close(in)
	wg.Wait()
	close(results)
	var out []Result
	for r := range results {
		out = append(out, r)
	}
	return out
}

func runPoolPerWorker(jobs <-chan Job, results chan<- Result, workers int) {
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1) // ok: one Add per worker
		go worker(&wg, jobs, results)
	}
	wg.Wait()
}

func (s *Store) putRecovered(items map[string][]byte) {
	var wg sync.WaitGroup
	for k, v := range items {
		wg.Add(1)
		go func() {
			defer func() { // ok: the deferred closure calls wg.Done on every path, panics included
				if r := recover(); r != nil {
					log.Printf("put %s panicked: %v", k, r)
				}
				wg.Done()
			}()
			if err := s.Put(k, v); err != nil {
				log.Printf("put %s: %v", k, err)
				return
			}
		}()
	}
	wg.Wait()
}

func (c *Client) collect(ctx context.Context, ids []string) <-chan []byte {
	out := make(chan []byte, len(ids))
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if b, err := c.Call(ctx, "get", []byte(id)); err == nil {
				out <- b
			}
		}()
	}
	go func() {
		wg.Wait() // ok: the closer goroutine waits for counted goroutines that all release
		close(out)
	}()
	return out
}

// Waiting without starting anything: nothing to balance.
func (s *Store) quiesce(wg *sync.WaitGroup) {
	wg.Wait() // ok: the caller owns the count
	s.Put("quiesced", nil)
}
