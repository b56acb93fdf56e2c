package interproc

import (
	"context"
	"time"
)

// Channels in struct fields: the owner stores the channel in a field and
// the goroutine it starts reaches it through the struct.

// fetcher's send method is started by fetch, the only other code that
// touches the res field.
type fetcher struct {
	key string
	res chan string
}

func (f *fetcher) send() {
	time.Sleep(time.Millisecond)
	f.res <- "value of " + f.key // want `blocks forever sending on f.res when fetcher.fetch returns at line \d+ without receiving from it`
}

func (f *fetcher) fetch(ctx context.Context) (string, error) {
	f.res = make(chan string)
	go f.send()
	select {
	case v := <-f.res:
		return v, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

var _ = leaks("fetcher.fetch", func() { (&fetcher{key: "k"}).fetch(cancelledCtx()) })

// request carries its reply channel to the goroutine that serves it.
type request struct {
	key   string
	reply chan string
}

func serveRequest(r *request) {
	time.Sleep(time.Millisecond)
	r.reply <- "v:" + r.key // want `blocks forever sending on r.reply when lookupRequest returns at line \d+ without receiving from it`
}

func lookupRequest(ctx context.Context, key string) (string, error) {
	r := &request{key: key, reply: make(chan string)}
	go serveRequest(r)
	select {
	case v := <-r.reply:
		return v, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

var _ = leaks("lookupRequest", func() { lookupRequest(cancelledCtx(), "k") })

// lookupRequestBuffered gives the reply room: the server never blocks.
func lookupRequestBuffered(ctx context.Context, key string) (string, error) {
	r := &request{key: key, reply: make(chan string, 1)} // ok: the buffer holds the reply
	go serveRequest(r)
	select {
	case v := <-r.reply:
		return v, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

var _ = noLeak("lookupRequestBuffered", func() { lookupRequestBuffered(cancelledCtx(), "k") })

// lookupRequestWait always receives.
func lookupRequestWait(key string) string {
	r := &request{key: key, reply: make(chan string)}
	go serveRequest(r)
	return <-r.reply // ok: received on every path
}

var _ = noLeak("lookupRequestWait", func() { lookupRequestWait("k") })

// queue's jobs field is used by Submit as well: start does not own it,
// whoever calls Submit and Close does.
type queue struct{ jobs chan int }

func (q *queue) start(done chan<- int) {
	q.jobs = make(chan int)
	go q.work(done)
}

func (q *queue) work(done chan<- int) {
	n := 0
	for j := range q.jobs { // ok: Submit and Close use the field too
		n += j
	}
	done <- n
}

func (q *queue) Submit(j int) { q.jobs <- j }
func (q *queue) Close()       { close(q.jobs) }

var _ = noLeak("queue", func() {
	q, done := &queue{}, make(chan int, 1)
	q.start(done)
	q.Submit(1)
	q.Close()
	<-done
})
