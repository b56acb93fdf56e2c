// Package interproc holds WaitGroups shared across same-package functions:
// workers as named functions and methods taking a *sync.WaitGroup, helpers
// that add or release for their callers, and servers whose Start and Stop
// methods split Add, Done and Wait between them.
package interproc

import (
	"context"
	"errors"
	"log"
	"sync"
	"time"
)

type Task struct {
	ID       string
	Deadline time.Time
	Body     []byte
}

var errExpired = errors.New("task expired")

func execute(ctx context.Context, t Task) error {
	if time.Now().After(t.Deadline) {
		return errExpired
	}
	return ctx.Err()
}

// Named workers.

// drain returns on the first failure without calling wg.Done.
func drain(ctx context.Context, wg *sync.WaitGroup, tasks <-chan Task) {
	for t := range tasks {
		if err := execute(ctx, t); err != nil {
			log.Printf("task %s: %v", t.ID, err)
			return
		}
	}
	wg.Done()
}

func runDrainers(ctx context.Context, tasks <-chan Task, n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go drain(ctx, &wg, tasks) // want `this goroutine does not call wg\.Done on the path that returns at line 37, so wg\.Wait at line 49 blocks forever; call defer wg\.Done\(\) first in the goroutine, or use wg\.Go`
	}
	wg.Wait()
}

// consume defers wg.Done first: every caller is balanced.
func consume(ctx context.Context, wg *sync.WaitGroup, tasks <-chan Task) {
	defer wg.Done()
	for t := range tasks {
		if err := execute(ctx, t); err != nil {
			log.Printf("task %s: %v", t.ID, err)
			return
		}
	}
}

func runConsumers(ctx context.Context, tasks <-chan Task, n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go consume(ctx, &wg, tasks) // ok: consume defers wg.Done
	}
	wg.Wait()
}

// Methods as workers, the WaitGroup in a field.

type Dispatcher struct {
	wg      sync.WaitGroup
	queues  []chan Task
	timeout time.Duration
}

func (d *Dispatcher) serveQueue(ctx context.Context, q <-chan Task) {
	for {
		select {
		case <-ctx.Done():
			return
		case t, ok := <-q:
			if !ok {
				d.wg.Done()
				return
			}
			execute(ctx, t)
		}
	}
}

func (d *Dispatcher) Run(ctx context.Context) {
	for _, q := range d.queues {
		d.wg.Add(1)
		go d.serveQueue(ctx, q) // want `this goroutine does not call d\.wg\.Done on the path that returns at line 84, so d\.wg\.Wait at line 100 blocks forever; call defer d\.wg\.Done\(\) first in the goroutine, or use d\.wg\.Go`
	}
	d.wg.Wait()
}

// The worker counts itself: Run may reach Wait before any worker has run.
func (d *Dispatcher) pump(ctx context.Context, q <-chan Task) {
	d.wg.Add(1) // want `d\.wg\.Add is called inside the goroutine started at line 114, which may run after d\.wg\.Wait at line 116 returns; call d\.wg\.Add before the go statement`
	defer d.wg.Done()
	for t := range q {
		execute(ctx, t)
	}
}

func (d *Dispatcher) RunPumps(ctx context.Context) {
	for _, q := range d.queues {
		go d.pump(ctx, q)
	}
	d.wg.Wait()
}

// A Done no Add matches: sweep's only caller never adds.

type Reaper struct {
	mu      sync.Mutex
	expired map[string]time.Time
}

func (r *Reaper) sweep(wg *sync.WaitGroup, now time.Time) {
	defer wg.Done() // want `wg\.Done without a matching wg\.Add: the counter goes negative and panics`
	r.mu.Lock()
	defer r.mu.Unlock()
	for id, at := range r.expired {
		if at.Before(now) {
			delete(r.expired, id)
		}
	}
}

func (r *Reaper) Sweep() {
	var wg sync.WaitGroup
	go r.sweep(&wg, time.Now())
	wg.Wait()
}

// Helpers that add or release for their callers.

// finish releases on every path: a caller that defers it is balanced.
func finish(wg *sync.WaitGroup, id string, start time.Time) {
	if d := time.Since(start); d > time.Second {
		log.Printf("task %s slow: %v", id, d)
	}
	wg.Done()
}

func runTimed(ctx context.Context, tasks []Task) {
	var wg sync.WaitGroup
	for _, t := range tasks {
		wg.Add(1)
		go func() { // ok: finish calls wg.Done on every path, and it is deferred
			defer finish(&wg, t.ID, time.Now())
			if err := execute(ctx, t); err != nil {
				log.Printf("task %s: %v", t.ID, err)
				return
			}
		}()
	}
	wg.Wait()
}

func release(wg *sync.WaitGroup, err error) {
	if err != nil {
		log.Printf("task failed: %v", err)
		wg.Done()
		return
	}
	wg.Done()
}

func runReleased(ctx context.Context, tasks []Task) {
	var wg sync.WaitGroup
	wg.Add(len(tasks))
	for _, t := range tasks {
		go func() { // ok: release calls wg.Done on both of its paths
			err := execute(ctx, t)
			release(&wg, err)
		}()
	}
	wg.Wait()
}

type Pool struct {
	wg      sync.WaitGroup
	limiter chan struct{}
}

// track adds for the goroutine its caller is about to start.
func (p *Pool) track() {
	p.limiter <- struct{}{}
	p.wg.Add(1) // ok: called by the spawner before the go statement
}

func (p *Pool) untrack() {
	<-p.limiter
	p.wg.Done() // ok: matched by track in the same caller
}

func (p *Pool) RunAll(ctx context.Context, tasks []Task) {
	for _, t := range tasks {
		p.track()
		go func() {
			defer p.untrack()
			execute(ctx, t)
		}()
	}
	p.wg.Wait()
}

// spawn starts the goroutine; its callers add before calling it.
func (p *Pool) spawn(f func()) {
	go func() {
		defer p.wg.Done() // ok: every caller of spawn adds first
		f()
	}()
}

func (p *Pool) Flush(ctx context.Context, tasks []Task) {
	for _, t := range tasks {
		p.wg.Add(1)
		p.spawn(func() { execute(ctx, t) })
	}
	p.wg.Wait()
}
