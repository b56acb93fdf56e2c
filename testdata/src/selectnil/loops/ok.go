package loops

import (
	"context"
	"log"
	"time"
)

// Goroutine loops with a way out, and process-lifetime loops with nothing
// to stop them: all silent.

func subscribeCancellable(ctx context.Context, msgs <-chan Msg, flushReq <-chan struct{}, deliver func([]Msg)) {
	go func() {
		var batch []Msg
		for { // ok: returns when ctx is done
			select {
			case m := <-msgs:
				batch = append(batch, m)
			case <-flushReq:
				deliver(batch)
				batch = nil
			case <-ctx.Done():
				return
			}
		}
	}()
}

var _ = noLeak("subscribeCancellable", func() {
	subscribeCancellable(cancelled(), make(chan Msg), make(chan struct{}), func([]Msg) {})
})

func serveUntilDone(done <-chan struct{}, reqs <-chan Request, handle func(Request)) {
	go func() {
		for { // ok: returns when done is closed
			select {
			case req := <-reqs:
				handle(req)
			case <-done:
				return
			}
		}
	}()
}

var _ = noLeak("serveUntilDone", func() {
	done := make(chan struct{})
	close(done)
	serveUntilDone(done, make(chan Request), func(Request) {})
})

func (p *Pool) workerClosable(jobs <-chan func()) {
	for { // ok: no context or done channel in scope; returns when jobs is closed
		job, ok := <-jobs
		if !ok {
			return
		}
		job()
	}
}

var _ = noLeak("Pool.workerClosable", func() {
	jobs := make(chan func())
	go (&Pool{}).workerClosable(jobs)
	jobs <- func() {}
	close(jobs)
})

// startWorkerLabeled leaves the loop with a labeled break.
func startWorkerLabeled() *Worker {
	w := &Worker{jobs: make(chan string), quit: make(chan struct{})}
	go func() {
	loop:
		for {
			select {
			case j := <-w.jobs:
				w.seen += len(j)
			case <-w.quit:
				break loop // ok: labeled, leaves the loop
			}
		}
		log.Printf("worker: stopped after %d bytes", w.seen)
	}()
	return w
}

var _ = noLeak("startWorkerLabeled", func() { startWorkerLabeled().Stop() })

// consume skips empty jobs with break; the loop exits when jobs is closed
// or ctx is done.
func consume(ctx context.Context, jobs <-chan string, handle func(string)) {
	go func() {
		for {
			select {
			case j, ok := <-jobs:
				if !ok {
					return
				}
				if j == "" {
					break // ok: skips the rest of the case; the loop has other exits
				}
				handle(j)
			case <-ctx.Done():
				return
			}
		}
	}()
}

var _ = noLeak("consume", func() {
	jobs := make(chan string)
	consume(context.Background(), jobs, func(string) {})
	jobs <- ""
	jobs <- "build"
	close(jobs)
})

// recordSamples is a process-lifetime worker: nothing in scope could stop
// it, so the loop is meant to run until the process exits. Silent by
// design, though at run time it does outlive its caller: registered as
// leaking.
func recordSamples(samples <-chan time.Duration, record func(time.Duration)) {
	go func() {
		for { // ok: no context or done channel in scope, a process-lifetime worker
			record(<-samples)
		}
	}()
}

var _ = leaks("recordSamples", func() { recordSamples(make(chan time.Duration), func(time.Duration) {}) })
