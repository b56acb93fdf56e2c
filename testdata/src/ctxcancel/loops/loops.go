// Package loops holds acquires inside loop bodies: a continue or the end of
// the body that reaches the next iteration without calling the func, a defer
// that waits for the whole function, and loops that get it right.
package loops

import (
	"context"
	"iter"
	"log"
	"time"
)

type Client struct {
	timeout time.Duration
	retries int
}

func (c *Client) get(ctx context.Context, url string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return []byte(url), nil
}

// Next iteration reached without a call.

func (c *Client) fetchAll(parent context.Context, urls []string) [][]byte {
	var bodies [][]byte
	for _, u := range urls {
		ctx, cancel := context.WithTimeout(parent, c.timeout) // want `the cancel function cancel returned by context\.WithTimeout is not called before the next iteration of the loop at line 29; call it at the end of every iteration to stop the context's timer`
		body, err := c.get(ctx, u)
		if err != nil {
			log.Printf("fetch %s: %v", u, err)
			continue
		}
		cancel()
		bodies = append(bodies, body)
	}
	return bodies
}

func (c *Client) fetchAllReleased(parent context.Context, urls []string) [][]byte {
	var bodies [][]byte
	for _, u := range urls {
		ctx, cancel := context.WithTimeout(parent, c.timeout) // ok: called before the continue and at the end of the body
		body, err := c.get(ctx, u)
		if err != nil {
			cancel()
			log.Printf("fetch %s: %v", u, err)
			continue
		}
		cancel()
		bodies = append(bodies, body)
	}
	return bodies
}

func (c *Client) poll(parent context.Context, url string, every time.Duration, updates chan<- []byte) {
	for {
		ctx, cancel := context.WithTimeout(parent, c.timeout) // want `the cancel function cancel returned by context\.WithTimeout is not called before the next iteration of the loop at line 59; call it at the end of every iteration to stop the context's timer`
		body, err := c.get(ctx, url)
		if err != nil {
			cancel()
			return
		}
		select {
		case updates <- body:
		case <-parent.Done():
			cancel()
			return
		}
		time.Sleep(every)
	}
}

func (c *Client) pollReleased(parent context.Context, url string, every time.Duration, updates chan<- []byte) {
	for {
		ctx, cancel := context.WithTimeout(parent, c.timeout) // ok: called right after the request, before any exit
		body, err := c.get(ctx, url)
		cancel()
		if err != nil {
			return
		}
		select {
		case updates <- body:
		case <-parent.Done():
			return
		}
		time.Sleep(every)
	}
}

func (c *Client) mirror(parent context.Context, pages int, base string) int {
	n := 0
	for i := 0; i < pages; i++ {
		ctx, stop := context.WithCancel(parent) // want `the cancel function stop returned by context\.WithCancel is not called before the next iteration of the loop at line 95; call it at the end of every iteration to release the context`
		if _, err := c.get(ctx, base); err == nil {
			n++
			stop()
		}
	}
	return n
}

// Labelled continue: the leak is at the outer loop.

func (c *Client) crawl(parent context.Context, sites map[string][]string) {
sites:
	for site, paths := range sites {
		ctx, cancel := context.WithTimeout(parent, time.Minute) // want `the cancel function cancel returned by context\.WithTimeout is not called before the next iteration of the loop at line 109; call it at the end of every iteration to stop the context's timer`
		for _, p := range paths {
			if _, err := c.get(ctx, site+p); err != nil {
				log.Printf("crawl %s%s: %v", site, p, err)
				continue sites
			}
		}
		cancel()
	}
}

func (c *Client) crawlReleased(parent context.Context, sites map[string][]string) {
sites:
	for site, paths := range sites {
		ctx, cancel := context.WithTimeout(parent, time.Minute) // ok: called before the labelled continue and at the end of the body
		for _, p := range paths {
			if _, err := c.get(ctx, site+p); err != nil {
				cancel()
				continue sites
			}
		}
		cancel()
	}
}

// break then return: the path leaves the loop and returns.

func (c *Client) fetchWithRetry(parent context.Context, url string) ([]byte, error) {
	var (
		body []byte
		err  error
	)
	for attempt := 0; attempt < c.retries; attempt++ {
		ctx, cancel := context.WithTimeout(parent, c.timeout) // want `the cancel function cancel returned by context\.WithTimeout is not called on the path that returns at line 151; call it on every path \(defer cancel\(\) after the call\) to stop the context's timer`
		body, err = c.get(ctx, url)
		if err == nil {
			break
		}
		cancel()
		time.Sleep(time.Duration(attempt) * 100 * time.Millisecond)
	}
	return body, err
}

func (c *Client) fetchWithRetryReleased(parent context.Context, url string) ([]byte, error) {
	var (
		body []byte
		err  error
	)
	for attempt := 0; attempt < c.retries; attempt++ {
		ctx, cancel := context.WithTimeout(parent, c.timeout) // ok: called before both the break and the next attempt
		body, err = c.get(ctx, url)
		cancel()
		if err == nil {
			break
		}
		time.Sleep(time.Duration(attempt) * 100 * time.Millisecond)
	}
	return body, err
}

func (c *Client) firstOK(parent context.Context, urls []string) ([]byte, error) {
	for _, u := range urls {
		ctx, cancel := context.WithTimeout(parent, c.timeout) // want `the cancel function cancel returned by context\.WithTimeout is not called on the path that returns at line 176; call it on every path \(defer cancel\(\) after the call\) to stop the context's timer`
		body, err := c.get(ctx, u)
		if err == nil {
			return body, nil
		}
		cancel()
	}
	return nil, context.DeadlineExceeded
}

// defer in a loop: every deferred call waits for the function to return.

func refreshAll(parent context.Context, c *Client, urls []string) error {
	for _, u := range urls {
		ctx, cancel := context.WithTimeout(parent, time.Second)
		defer cancel() // want `defer cancel\(\) in a loop: the cancel functions returned by context\.WithTimeout all wait until refreshAll returns; call cancel\(\) at the end of each iteration instead`
		if _, err := c.get(ctx, u); err != nil {
			return err
		}
	}
	return nil
}

func probe(parent context.Context, c *Client, url string, n int) int {
	ok := 0
	for range n {
		ctx, cancel := context.WithDeadline(parent, time.Now().Add(time.Second))
		defer cancel() // want `defer cancel\(\) in a loop: the cancel functions returned by context\.WithDeadline all wait until probe returns; call cancel\(\) at the end of each iteration instead`
		if _, err := c.get(ctx, url); err == nil {
			ok++
		}
	}
	return ok
}

func drain(parent context.Context, c *Client, url string) {
	for i := 0; i < 3; i++ {
		ctx, done := context.WithCancel(parent)
		defer done() // want `defer done\(\) in a loop: the cancel functions returned by context\.WithCancel all wait until drain returns; call done\(\) at the end of each iteration instead`
		c.get(ctx, url)
	}
}

func fetchSeq(parent context.Context, c *Client, urls iter.Seq[string]) int {
	n := 0
	for u := range urls {
		ctx, cancel := context.WithTimeout(parent, time.Second)
		defer cancel() // want `defer cancel\(\) in a loop: the cancel functions returned by context\.WithTimeout all wait until fetchSeq returns; call cancel\(\) at the end of each iteration instead`
		if _, err := c.get(ctx, u); err == nil {
			n++
		}
	}
	return n
}

func mergeHeads(seqs []iter.Seq[int]) []int {
	var heads []int
	for _, seq := range seqs {
		next, stop := iter.Pull(seq)
		defer stop() // want `defer stop\(\) in a loop: the stop functions returned by iter\.Pull all wait until mergeHeads returns; call stop\(\) at the end of each iteration instead`
		if v, ok := next(); ok {
			heads = append(heads, v)
		}
	}
	return heads
}

var refreshEach = func(parent context.Context, c *Client, urls []string) {
	for _, u := range urls {
		ctx, cancel := context.WithTimeout(parent, time.Second)
		defer cancel() // want `defer cancel\(\) in a loop: the cancel functions returned by context\.WithTimeout all wait until the function literal returns; call cancel\(\) at the end of each iteration instead`
		c.get(ctx, u)
	}
}

// Loops that get it right.

func refreshAllReleased(parent context.Context, c *Client, urls []string) error {
	for _, u := range urls {
		err := func() error {
			ctx, cancel := context.WithTimeout(parent, time.Second) // ok: deferred in a function literal called once per iteration
			defer cancel()
			_, err := c.get(ctx, u)
			return err
		}()
		if err != nil {
			return err
		}
	}
	return nil
}

func refreshAllShared(parent context.Context, c *Client, urls []string) error {
	ctx, cancel := context.WithTimeout(parent, time.Minute) // ok: acquired once before the loop, deferred
	defer cancel()
	for _, u := range urls {
		if _, err := c.get(ctx, u); err != nil {
			return err
		}
	}
	return nil
}

func probeReleased(parent context.Context, c *Client, url string, n int) int {
	ok := 0
	for range n {
		ctx, cancel := context.WithDeadline(parent, time.Now().Add(time.Second)) // ok: called at the end of every iteration
		if _, err := c.get(ctx, url); err == nil {
			ok++
		}
		cancel()
	}
	return ok
}

func fetchSeqReleased(parent context.Context, c *Client, urls iter.Seq[string]) int {
	n := 0
	for u := range urls {
		ctx, cancel := context.WithTimeout(parent, time.Second) // ok: called before the body of the range-over-func loop ends
		_, err := c.get(ctx, u)
		cancel()
		if err != nil {
			continue
		}
		n++
	}
	return n
}

func mergeHeadsReleased(seqs []iter.Seq[int]) []int {
	var heads []int
	for _, seq := range seqs {
		next, stop := iter.Pull(seq) // ok: stopped at the end of each iteration
		if v, ok := next(); ok {
			heads = append(heads, v)
		}
		stop()
	}
	return heads
}

type Event struct {
	Reset bool
	URL   string
}

func (c *Client) follow(parent context.Context, events <-chan Event) {
	ctx, cancel := context.WithCancel(parent) // ok: every reassignment is preceded by cancel(), the deferred closure calls the last one
	defer func() { cancel() }()
	for ev := range events {
		if ev.Reset {
			cancel()
			ctx, cancel = context.WithCancel(parent) // ok: same
		}
		c.get(ctx, ev.URL)
	}
}
