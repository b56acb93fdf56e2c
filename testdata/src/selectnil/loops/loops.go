// Package loops holds goroutine loops with no way out while a context or a
// done channel is in scope and ignored, and breaks that leave only the
// select (staticcheck SA4011's shape).
package loops

import (
	"context"
	"log"
	"time"
)

type Msg struct {
	Topic string
	Body  []byte
}

type Request struct {
	ID int
}

// subscribe ignores ctx in the delivery loop: cancelling the subscription
// does not stop it.
func subscribe(ctx context.Context, msgs <-chan Msg, flushReq <-chan struct{}, deliver func([]Msg)) {
	go func() {
		var batch []Msg
		for { // want `loop never exits`
			select {
			case m := <-msgs:
				batch = append(batch, m)
			case <-flushReq:
				deliver(batch)
				batch = nil
			}
		}
	}()
}

var _ = leaks("subscribe", func() {
	subscribe(cancelled(), make(chan Msg), make(chan struct{}), func([]Msg) {})
})

// serveRequests has a done channel it never looks at.
func serveRequests(done <-chan struct{}, reqs <-chan Request, handle func(Request)) {
	go func() {
		for { // want `loop never exits`
			req := <-reqs
			handle(req)
		}
	}()
}

var _ = leaks("serveRequests", func() {
	done := make(chan struct{})
	close(done)
	serveRequests(done, make(chan Request), func(Request) {})
})

type Pool struct {
	resize chan int
	size   int
}

// worker takes ctx and never checks it; started by Pool.Start.
func (p *Pool) worker(ctx context.Context, jobs <-chan func()) {
	for { // want `loop never exits`
		select {
		case job := <-jobs:
			job()
		case n := <-p.resize:
			p.size = n
		}
	}
}

func (p *Pool) Start(ctx context.Context, jobs <-chan func()) {
	go p.worker(ctx, jobs)
}

var _ = leaks("Pool.Start", func() {
	p := &Pool{resize: make(chan int)}
	p.Start(cancelled(), make(chan func()))
})

// Worker drains jobs until Stop; Stop's signal only breaks the select.
type Worker struct {
	jobs chan string
	quit chan struct{}
	seen int
}

func startWorker() *Worker {
	w := &Worker{jobs: make(chan string), quit: make(chan struct{})}
	go func() {
		for {
			select {
			case j := <-w.jobs:
				w.seen += len(j)
			case <-w.quit:
				log.Printf("worker: stopping after %d bytes", w.seen)
				break // want `break leaves only the select, not the loop`
			}
		}
	}()
	return w
}

func (w *Worker) Stop() { w.quit <- struct{}{} }

var _ = leaks("startWorker", func() { startWorker().Stop() })

// closeIdle means to hang up after idle, but the break leaves only the
// select and the loop waits again. (No context here: the break is the
// finding, not the loop.)
func closeIdle(reads <-chan []byte, idle time.Duration, hangUp func()) {
	go func() {
		for {
			select {
			case b := <-reads:
				log.Printf("read %d bytes", len(b))
			case <-time.After(idle):
				hangUp()
				break // want `break leaves only the select, not the loop`
			}
		}
	}()
}

var _ = leaks("closeIdle", func() { closeIdle(make(chan []byte), 5*time.Millisecond, func() {}) })

func cancelled() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}
