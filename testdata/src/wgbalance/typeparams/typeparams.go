// Package typeparams holds generic functions and types that start counted
// goroutines. Each is instantiated; a finding in a generic body is reported
// once, at its source position, whatever the instantiations.
package typeparams

import (
	"errors"
	"log"
	"sync"
)

var errSkip = errors.New("skip")

// parallelMap counts every element but skips the ones keep rejects.
func parallelMap[T, R any](xs []T, keep func(T) bool, f func(T) R) []R {
	var wg sync.WaitGroup
	out := make([]R, len(xs))
	wg.Add(len(xs)) // want `wg\.Add\(len\(xs\)\) counts one goroutine per element but the loop skips the go statement at line 23, so wg\.Wait at line 28 blocks forever; call wg\.Add\(1\) before each go statement instead`
	for i, x := range xs {
		if !keep(x) {
			continue
		}
		go func() {
			defer wg.Done()
			out[i] = f(x)
		}()
	}
	wg.Wait()
	return out
}

func parallelMapAll[T, R any](xs []T, f func(T) R) []R {
	var wg sync.WaitGroup
	out := make([]R, len(xs))
	wg.Add(len(xs)) // ok: one go statement per element
	for i, x := range xs {
		go func() {
			defer wg.Done()
			out[i] = f(x)
		}()
	}
	wg.Wait()
	return out
}

// tryEach returns early on errSkip without releasing.
func tryEach[T any](xs []T, f func(T) error) {
	var wg sync.WaitGroup
	for _, x := range xs {
		wg.Add(1)
		go func() { // want `this goroutine does not call wg\.Done on the path that returns at line 56, so wg\.Wait at line 61 blocks forever; call defer wg\.Done\(\) first in the goroutine, or use wg\.Go`
			if err := f(x); err != nil {
				if !errors.Is(err, errSkip) {
					log.Printf("tryEach: %v", err)
				}
				return
			}
			wg.Done()
		}()
	}
	wg.Wait()
}

func firstOf[T any](sources []func() (T, bool)) (T, bool) {
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first T
		found bool
	)
	for _, src := range sources {
		go func() {
			wg.Add(1) // want `wg\.Add is called inside the goroutine started at line 72, which may run after wg\.Wait at line 80 returns; call wg\.Add before the go statement`
			defer wg.Done()
			if v, ok := src(); ok {
				once.Do(func() { first, found = v, true })
			}
		}()
	}
	wg.Wait()
	return first, found
}

// Pool is a generic worker pool with Start/Stop-style methods.
type Pool[T any] struct {
	wg   sync.WaitGroup
	jobs chan T
	work func(T)
}

func NewPool[T any](work func(T)) *Pool[T] {
	return &Pool[T]{jobs: make(chan T), work: work}
}

func (p *Pool[T]) Start(n int) {
	p.wg.Add(n) // ok: a loop of exactly n iterations starts one worker each
	for i := 0; i < n; i++ {
		go p.loop()
	}
}

func (p *Pool[T]) loop() {
	defer p.wg.Done() // ok: Start adds for it
	for j := range p.jobs {
		p.work(j)
	}
}

func (p *Pool[T]) Submit(j T) { p.jobs <- j }

func (p *Pool[T]) Stop() {
	close(p.jobs)
	p.wg.Wait()
}

// Batch waits inside the loop that starts what it counted.
type Batch[K comparable, V any] struct {
	wg  sync.WaitGroup
	mu  sync.Mutex
	out map[K]V
}

func (b *Batch[K, V]) load(keys []K, get func(K) V) {
	b.wg.Add(len(keys))
	for _, k := range keys {
		go func() {
			defer b.wg.Done()
			v := get(k)
			b.mu.Lock()
			b.out[k] = v
			b.mu.Unlock()
		}()
		b.wg.Wait() // want `b\.wg\.Wait inside the loop that starts the goroutines counted by b\.wg\.Add at line 124: the first iteration waits for all of them and blocks forever; move b\.wg\.Wait after the loop`
	}
}

// Group is an errgroup-like generic collector.
type Group[T any] struct {
	wg      sync.WaitGroup
	mu      sync.Mutex
	results []T
	errs    []error
}

func (g *Group[T]) Go(f func() (T, error)) {
	g.wg.Add(1) // ok: before the go statement, Done deferred first
	go func() {
		defer g.wg.Done()
		v, err := f()
		g.mu.Lock()
		defer g.mu.Unlock()
		if err != nil {
			g.errs = append(g.errs, err)
			return
		}
		g.results = append(g.results, v)
	}()
}

func (g *Group[T]) Wait() ([]T, error) {
	g.wg.Wait()
	return g.results, errors.Join(g.errs...)
}

// Instantiations.

func use() {
	words := []string{"a", "bb", "", "ccc"}
	_ = parallelMap(words, func(s string) bool { return s != "" }, func(s string) int { return len(s) })
	_ = parallelMapAll([]int{1, 2, 3}, func(n int) string { return string(rune('a' + n)) })
	tryEach(words, func(s string) error {
		if s == "" {
			return errSkip
		}
		return nil
	})
	_, _ = firstOf([]func() (int, bool){func() (int, bool) { return 1, true }})

	p := NewPool(func(s string) { log.Print(s) })
	p.Start(4)
	for _, w := range words {
		p.Submit(w)
	}
	p.Stop()

	b := &Batch[string, int]{out: map[string]int{}}
	b.load(words, func(s string) int { return len(s) })

	var g Group[int]
	for _, w := range words {
		g.Go(func() (int, error) { return len(w), nil })
	}
	_, _ = g.Wait()
}
