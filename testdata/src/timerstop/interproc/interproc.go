//go:build go1.22

// Package interproc holds same-package helpers that stop, keep or ignore a
// ticker passed to them, constructors returning a fresh ticker or timer,
// closures and method values that stop one, struct fields with Stop
// methods, and goroutines started from named functions and methods.
package interproc

import (
	"context"
	"errors"
	"log"
	"sync"
	"time"
)

var errGaveUp = errors.New("gave up")

type Probe struct {
	target string
	every  time.Duration
}

func (p *Probe) check(ctx context.Context) error {
	if p.target == "" {
		return errGaveUp
	}
	return ctx.Err()
}

// Helpers.

func stopTicker(t *time.Ticker) {
	t.Stop()
	log.Print("ticker stopped")
}

// stopTimer stops t and drains a fired value without blocking.
func stopTimer(t *time.Timer) {
	if !t.Stop() {
		select { // ok: a non-blocking drain
		case <-t.C:
		default:
		}
	}
}

func maybeStop(t *time.Ticker, done bool) {
	if done {
		t.Stop()
	}
}

func waitTicks(t *time.Ticker, n int) {
	for range n {
		<-t.C
	}
}

func (p *Probe) runWithHelper(ctx context.Context) error {
	t := time.NewTicker(p.every) // ok: stopTicker stops it on every path
	for range 5 {
		<-t.C
		if err := p.check(ctx); err != nil {
			stopTicker(t)
			return err
		}
	}
	stopTicker(t)
	return nil
}

func (p *Probe) runDeferredHelper(ctx context.Context) error {
	t := time.NewTicker(p.every) // ok: deferred helper stops it
	defer stopTicker(t)
	waitTicks(t, 3)
	return p.check(ctx)
}

func (p *Probe) withDeadline(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d) // ok: deferred helper stops it
	defer stopTimer(t)
	done := make(chan error, 1)
	go func() { done <- p.check(ctx) }()
	select {
	case err := <-done:
		return err
	case <-t.C:
		return errGaveUp
	}
}

func (p *Probe) runMaybeStopped(ctx context.Context, n int) error {
	t := time.NewTicker(p.every) // want `the ticker t from time\.NewTicker is not stopped on the path that returns at line 98; before go1\.23 an unstopped ticker is never freed: call t\.Stop\(\) on every path \(defer t\.Stop\(\) after the call\)`
	waitTicks(t, n)
	err := p.check(ctx)
	maybeStop(t, err == nil)
	return err
}

func (p *Probe) runOnlyWaits(ctx context.Context) error {
	t := time.NewTicker(p.every) // want `the ticker t from time\.NewTicker is not stopped on the path that returns at line 104; before go1\.23 an unstopped ticker is never freed: call t\.Stop\(\) on every path \(defer t\.Stop\(\) after the call\)`
	waitTicks(t, 3)
	return p.check(ctx)
}

// Constructors: their callers own the result.

func newProbeTicker(p *Probe) *time.Ticker {
	return time.NewTicker(p.every) // ok: returned to the caller
}

func (p *Probe) newDeadline(d time.Duration) *time.Timer {
	t := time.NewTimer(d) // ok: returned to the caller
	return t
}

func (p *Probe) pollVia(ctx context.Context) error {
	t := newProbeTicker(p) // want `the ticker t from newProbeTicker is not stopped on the path that returns at line 123; before go1\.23 an unstopped ticker is never freed: call t\.Stop\(\) on every path \(defer t\.Stop\(\) after the call\)`
	for {
		<-t.C
		if err := p.check(ctx); err == nil {
			return nil
		}
		if ctx.Err() != nil {
			t.Stop()
			return ctx.Err()
		}
	}
}

func (p *Probe) checkBefore(ctx context.Context, d time.Duration) error {
	dl := p.newDeadline(d) // want `the timer dl from Probe\.newDeadline is not stopped on the path that returns at line 138; before go1\.23 it stays in the timer heap until it fires: call dl\.Stop\(\) on every path \(defer dl\.Stop\(\) after the call\)`
	done := make(chan error, 1)
	go func() { done <- p.check(ctx) }()
	select {
	case err := <-done:
		return err
	case <-dl.C:
		return errGaveUp
	}
}

func (p *Probe) pollViaDeferred(ctx context.Context) error {
	t := newProbeTicker(p) // ok: deferred
	defer t.Stop()
	<-t.C
	return p.check(ctx)
}

// Closures and method values.

func (p *Probe) runClosure(ctx context.Context) error {
	t := time.NewTicker(p.every) // ok: the deferred closure stop calls t.Stop
	stop := func() {
		t.Stop()
		log.Printf("probe %s stopped", p.target)
	}
	defer stop()
	<-t.C
	return p.check(ctx)
}

func (p *Probe) runMethodValue(ctx context.Context) error {
	t := time.NewTicker(p.every) // ok: the method value t.Stop is deferred
	stop := t.Stop
	defer stop()
	<-t.C
	return p.check(ctx)
}

func (p *Probe) runClosureSomePaths(ctx context.Context) error {
	t := time.NewTicker(p.every) // want `the ticker t from time\.NewTicker is not stopped on the path that returns at line 177; before go1\.23 an unstopped ticker is never freed: call t\.Stop\(\) on every path \(defer t\.Stop\(\) after the call\)`
	stop := func() { t.Stop() }
	<-t.C
	if err := p.check(ctx); err != nil {
		return err
	}
	stop()
	return nil
}

// Struct fields with Stop methods.

type Scheduler struct {
	mu     sync.Mutex
	tick   *time.Ticker
	jobs   []func()
	quit   chan struct{}
	stopMu sync.Once
}

func NewScheduler(every time.Duration) *Scheduler {
	s := &Scheduler{quit: make(chan struct{})}
	s.tick = time.NewTicker(every) // ok: stored in a field that Stop stops
	go s.loop()
	return s
}

func (s *Scheduler) loop() {
	for {
		select {
		case <-s.tick.C: // ok: the quit case returns
			s.mu.Lock()
			jobs := s.jobs
			s.mu.Unlock()
			for _, j := range jobs {
				j()
			}
		case <-s.quit:
			return
		}
	}
}

func (s *Scheduler) Stop() {
	s.stopMu.Do(func() {
		s.tick.Stop()
		close(s.quit)
	})
}

// Goroutines started from named functions and methods: the finding is in
// the started function, at its receive.

type Janitor struct {
	ticker *time.Ticker
	sweep  func()
}

func StartJanitor(every time.Duration, sweep func()) *Janitor {
	j := &Janitor{ticker: time.NewTicker(every), sweep: sweep}
	go j.run()
	return j
}

func (j *Janitor) run() {
	for range j.ticker.C { // want `this goroutine receives from j\.ticker\.C forever: no path leaves the loop, so the goroutine and its ticker are never released; add a case that returns \(case <-ctx\.Done\(\): return\)`
		j.sweep()
	}
}

func startProbe(p *Probe) {
	t := time.NewTicker(p.every)
	go probeLoop(p, t)
}

func probeLoop(p *Probe, t *time.Ticker) {
	for {
		select {
		case <-t.C: // want `this goroutine receives from t\.C forever: no path leaves the loop, so the goroutine and its ticker are never released; add a case that returns \(case <-ctx\.Done\(\): return\)`
			if err := p.check(context.Background()); err != nil {
				log.Printf("probe %s: %v", p.target, err)
			}
		}
	}
}

func startProbeCtx(ctx context.Context, p *Probe) {
	t := time.NewTicker(p.every)
	go probeLoopCtx(ctx, p, t)
}

func probeLoopCtx(ctx context.Context, p *Probe, t *time.Ticker) {
	defer t.Stop()
	for {
		select {
		case <-t.C: // ok: ctx.Done returns
			p.check(ctx)
		case <-ctx.Done():
			return
		}
	}
}

// pump is never started with a go statement: a function that never returns
// is not a finding by itself.
func pump(t *time.Ticker, out chan<- time.Time) {
	for now := range t.C { // ok: not the function of a go statement
		out <- now
	}
}

var _ = pump
var _ = startProbe
