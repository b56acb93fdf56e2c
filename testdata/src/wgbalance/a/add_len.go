package a

import (
	"context"
	"log"
	"strings"
	"sync"
)

// wg.Add(len(xs)) counts one goroutine per element up front; a loop over xs
// that skips the go statement with continue or break leaves the counter
// above zero for good.

func (s *Store) uploadAll(files []File) {
	var wg sync.WaitGroup
	wg.Add(len(files)) // want `wg\.Add\(len\(files\)\) counts one goroutine per element but the loop skips the go statement at line 21, so wg\.Wait at line 28 blocks forever; call wg\.Add\(1\) before each go statement instead`
	for _, f := range files {
		if f.Size == 0 {
			continue
		}
		go func() {
			defer wg.Done()
			if err := s.Put(f.Name, f.Data); err != nil {
				log.Printf("upload %s: %v", f.Name, err)
			}
		}()
	}
	wg.Wait()
}

func (c *Client) notifyAll(ctx context.Context, subscribers []string, msg []byte) {
	var wg sync.WaitGroup
	wg.Add(len(subscribers)) // want `wg\.Add\(len\(subscribers\)\) counts one goroutine per element but the loop skips the go statement at line 38, so wg\.Wait at line 43 blocks forever; call wg\.Add\(1\) before each go statement instead`
	for _, sub := range subscribers {
		if ctx.Err() != nil {
			break // shutting down: stop notifying
		}
		go func() {
			defer wg.Done()
			c.Call(ctx, "notify/"+sub, msg)
		}()
	}
	wg.Wait()
}

type SearchRequest struct {
	Items []string
}

func (c *Client) searchDistinct(ctx context.Context, req *SearchRequest) map[string][]byte {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		seen = make(map[string]bool)
		hits = make(map[string][]byte)
	)
	wg.Add(len(req.Items)) // want `wg\.Add\(len\(req\.Items\)\) counts one goroutine per element but the loop skips the go statement at line 64, so wg\.Wait at line 74 blocks forever; call wg\.Add\(1\) before each go statement instead`
	for _, q := range req.Items {
		q = strings.ToLower(q)
		if seen[q] {
			continue // duplicate query
		}
		seen[q] = true
		go func() {
			defer wg.Done()
			b, err := c.Call(ctx, "search", []byte(q))
			if err == nil {
				mu.Lock()
				hits[q] = b
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return hits
}

func runJobs(jobs []Job) []Result {
	var wg sync.WaitGroup
	out := make([]Result, len(jobs))
	wg.Add(len(jobs)) // want `wg\.Add\(len\(jobs\)\) counts one goroutine per element but the loop skips the go statement at line 86, so wg\.Wait at line 91 blocks forever; call wg\.Add\(1\) before each go statement instead`
	for i := 0; i < len(jobs); i++ {
		if jobs[i].Payload == nil {
			continue
		}
		go func() {
			defer wg.Done()
			out[i], _ = process(jobs[i])
		}()
	}
	wg.Wait()
	return out
}

func thumbnail(wg *sync.WaitGroup, f File, out chan<- File) {
	defer wg.Done()
	out <- File{Name: f.Name + ".thumb", Size: f.Size / 16}
}

func thumbnails(files []File) []File {
	var wg sync.WaitGroup
	out := make(chan File, len(files))
	wg.Add(len(files)) // want `wg\.Add\(len\(files\)\) counts one goroutine per element but the loop skips the go statement at line 108, so wg\.Wait at line 110 blocks forever; call wg\.Add\(1\) before each go statement instead`
	for _, f := range files {
		if !strings.HasSuffix(f.Name, ".png") {
			continue
		}
		go thumbnail(&wg, f, out)
	}
	wg.Wait()
	close(out)
	var thumbs []File
	for t := range out {
		thumbs = append(thumbs, t)
	}
	return thumbs
}

// Look-alikes.

func (s *Store) uploadEvery(files []File) {
	var wg sync.WaitGroup
	wg.Add(len(files)) // ok: one go statement per element, nothing skips it
	for _, f := range files {
		go func() {
			defer wg.Done()
			s.Put(f.Name, f.Data)
		}()
	}
	wg.Wait()
}

func (s *Store) uploadAndIndex(files []File, index map[string]int64) {
	var wg sync.WaitGroup
	wg.Add(len(files)) // ok: the continue comes after the go statement
	for _, f := range files {
		go func() {
			defer wg.Done()
			s.Put(f.Name, f.Data)
		}()
		if f.Size == 0 {
			continue
		}
		index[f.Name] = f.Size
	}
	wg.Wait()
}

func (s *Store) uploadNonEmpty(files []File) {
	var wg sync.WaitGroup
	wg.Add(len(files)) // ok: the skipping path calls wg.Done for its element
	for _, f := range files {
		if f.Size == 0 {
			wg.Done()
			continue
		}
		go func() {
			defer wg.Done()
			s.Put(f.Name, f.Data)
		}()
	}
	wg.Wait()
}

func (c *Client) sendBatches(ctx context.Context, batches [][]string) {
	var wg sync.WaitGroup
	wg.Add(len(batches)) // ok: the continue belongs to the inner loop, which always falls through to the go statement
	for _, b := range batches {
		var payload []string
		for _, line := range b {
			if line == "" {
				continue
			}
			payload = append(payload, line)
		}
		go func() {
			defer wg.Done()
			c.Call(ctx, "batch", []byte(strings.Join(payload, "\n")))
		}()
	}
	wg.Wait()
}

func (c *Client) drainQueues(ctx context.Context, queues [][]string) {
	var wg sync.WaitGroup
	wg.Add(len(queues)) // ok: the continue is in the goroutine's own loop
	for _, q := range queues {
		go func() {
			defer wg.Done()
			for _, msg := range q {
				if msg == "" {
					continue
				}
				c.Call(ctx, "deliver", []byte(msg))
			}
		}()
	}
	wg.Wait()
}

func runJobsDefaulted(jobs []Job) []Result {
	var wg sync.WaitGroup
	out := make([]Result, len(jobs))
	wg.Add(len(jobs)) // ok: the break leaves the switch, not the loop
	for i, j := range jobs {
		switch {
		case len(j.Payload) > 1<<20:
			if j.ID == "" {
				log.Printf("job %d: large payload, no id", i)
				break
			}
			log.Printf("job %s: large payload", j.ID)
		}
		go func() {
			defer wg.Done()
			out[i], _ = process(j)
		}()
	}
	wg.Wait()
	return out
}
