// Package typeparams holds generic functions and types that acquire, hold or
// release cancel funcs. Each is instantiated; a finding in a generic body is
// reported once, at its source position, whatever the instantiations.
package typeparams

import (
	"context"
	"sync"
	"time"
)

type Loader[T any] func(ctx context.Context, key string) (T, error)

func loadAll[T any](parent context.Context, keys []string, load Loader[T]) ([]T, error) {
	ctx, cancel := context.WithTimeout(parent, 5*time.Second) // want `the cancel function cancel returned by context\.WithTimeout is not called on the path that returns at line 20; call it on every path \(defer cancel\(\) after the call\) to stop the context's timer`
	out := make([]T, 0, len(keys))
	for _, k := range keys {
		v, err := load(ctx, k)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	cancel()
	return out, nil
}

func loadAllReleased[T any](parent context.Context, keys []string, load Loader[T]) ([]T, error) {
	ctx, cancel := context.WithTimeout(parent, 5*time.Second) // ok: deferred
	defer cancel()
	out := make([]T, 0, len(keys))
	for _, k := range keys {
		v, err := load(ctx, k)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

type requestKey[T any] struct{}

func scoped[T any](parent context.Context, v T) (context.Context, context.CancelFunc) {
	return context.WithCancel(context.WithValue(parent, requestKey[T]{}, v)) // ok: returned to the caller
}

func forEach[T any](parent context.Context, items []T, f func(context.Context, T) error) error {
	for _, it := range items {
		ctx, cancel := scoped(parent, it)
		defer cancel() // want `defer cancel\(\) in a loop: the cancel functions returned by scoped all wait until forEach returns; call cancel\(\) at the end of each iteration instead`
		if err := f(ctx, it); err != nil {
			return err
		}
	}
	return nil
}

func forEachReleased[T any](parent context.Context, items []T, f func(context.Context, T) error) error {
	for _, it := range items {
		ctx, cancel := scoped(parent, it) // ok: called before every exit from the iteration
		err := f(ctx, it)
		cancel()
		if err != nil {
			return err
		}
	}
	return nil
}

func firstOf[T any](parent context.Context, items []T, f func(context.Context, T) error) error {
	ctx, _ := scoped(parent, items[0]) // want `the cancel function returned by scoped is discarded; keep it and call it on every path \(defer cancel\(\)\) to release the context`
	return f(ctx, items[0])
}

// Generic types.

type Cache[K comparable, V any] struct {
	mu     sync.Mutex
	items  map[K]V
	cancel context.CancelFunc
}

func NewCache[K comparable, V any](parent context.Context, ttl time.Duration) *Cache[K, V] {
	ctx, cancel := context.WithCancel(parent) // ok: stored in Cache.cancel, called by Close
	c := &Cache[K, V]{items: make(map[K]V), cancel: cancel}
	go c.janitor(ctx, ttl)
	return c
}

func (c *Cache[K, V]) janitor(ctx context.Context, ttl time.Duration) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(ttl):
			c.mu.Lock()
			clear(c.items)
			c.mu.Unlock()
		}
	}
}

func (c *Cache[K, V]) Close() { c.cancel() }

func (c *Cache[K, V]) fillCtx(parent context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(parent, time.Second) // ok: returned to the caller
}

func (c *Cache[K, V]) Fill(parent context.Context, load func(context.Context) (map[K]V, error)) error {
	ctx, _ := c.fillCtx(parent) // want `the cancel function returned by Cache\.fillCtx is discarded; keep it and call it on every path \(defer cancel\(\)\) to release the context`
	m, err := load(ctx)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, v := range m {
		c.items[k] = v
	}
	return nil
}

func (c *Cache[K, V]) Refresh(parent context.Context, load func(context.Context) (map[K]V, error)) error {
	ctx, cancel := c.fillCtx(parent) // want `the cancel function cancel returned by Cache\.fillCtx is not called on the path that returns at line 128; call it on every path \(defer cancel\(\) after the call\) to release the context`
	m, err := load(ctx)
	if err != nil {
		return err
	}
	cancel()
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, v := range m {
		c.items[k] = v
	}
	return nil
}

type Batch[T any] struct {
	ctx         context.Context
	items       []T
	flushCancel context.CancelFunc
}

func NewBatch[T any](parent context.Context, window time.Duration) *Batch[T] {
	ctx, cancel := context.WithTimeout(parent, window)
	return &Batch[T]{
		ctx:         ctx,
		flushCancel: cancel, // want `the cancel function stored in field Batch\.flushCancel is never called: nothing in package typeparams reads flushCancel; call it from a Close or Stop method to stop the context's timer`
	}
}

func (b *Batch[T]) Add(v T) bool {
	if b.ctx.Err() != nil {
		return false
	}
	b.items = append(b.items, v)
	return true
}

// A type parameter constrained to func(): cancel funcs flow through it.

func callAll[F ~func()](fs []F) {
	for _, f := range fs {
		f()
	}
}

func withDeadlines[T any](parent context.Context, d time.Duration, f func(ctx1, ctx2 context.Context) T) T {
	ctx1, cancel1 := context.WithTimeout(parent, d)   // ok: stored in a slice handed to callAll by a defer
	ctx2, cancel2 := context.WithTimeout(parent, 2*d) // ok: same
	defer callAll([]context.CancelFunc{cancel1, cancel2})
	return f(ctx1, ctx2)
}

func withGenericRelease[F ~func()](release F) { defer release() }

func pingGeneric(parent context.Context, ping func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(parent, time.Second) // ok: released through a generic helper
	err := ping(ctx)
	withGenericRelease(cancel)
	return err
}

// Instantiations.

func use(ctx context.Context) {
	ints := func(ctx context.Context, k string) (int, error) { return len(k), ctx.Err() }
	strs := func(ctx context.Context, k string) (string, error) { return k, ctx.Err() }
	loadAll(ctx, []string{"a"}, Loader[int](ints))
	loadAll(ctx, []string{"a"}, Loader[string](strs))
	loadAllReleased(ctx, []string{"a"}, Loader[int](ints))
	fn := func(context.Context, int) error { return nil }
	forEach(ctx, []int{1, 2}, fn)
	forEachReleased(ctx, []int{1, 2}, fn)
	firstOf(ctx, []int{1}, fn)
	firstOf(ctx, []string{"x"}, func(context.Context, string) error { return nil })
	c := NewCache[string, int](ctx, time.Minute)
	defer c.Close()
	load := func(context.Context) (map[string]int, error) { return nil, nil }
	c.Fill(ctx, load)
	c.Refresh(ctx, load)
	b := NewBatch[int](ctx, time.Second)
	b.Add(1)
	withDeadlines(ctx, time.Second, func(a, b context.Context) bool { return a == b })
	pingGeneric(ctx, func(context.Context) error { return nil })
}
