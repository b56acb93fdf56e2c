//go:build go1.25

package fanout

import (
	"context"
	"sync"
)

// The same fan-out with wg.Go (Go 1.25; the build line gives the file its
// version in GOPATH mode): the function it is given runs in a goroutine of
// its own, as with a go statement.

// firstReplicaGo asks every replica and returns the first answer; the
// WaitGroup is never waited for.
func firstReplicaGo(ctx context.Context, replicas []string, query Query) ([]byte, error) {
	var wg sync.WaitGroup
	results := make(chan reply)
	for _, addr := range replicas {
		wg.Go(func() {
			b, err := query(ctx, addr)
			results <- reply{addr, b, err} // want `this goroutine blocks forever sending on results when firstReplicaGo returns at line 26 before receiving from every goroutine started in the loop`
		})
	}
	r := <-results
	return r.b, r.err
}

var _ = leaks("firstReplicaGo", func() {
	firstReplicaGo(context.Background(), []string{"r1", "r2", "r3"}, answer)
})

// firstReplicaGoBuffered gives every replica a slot: the losers' sends
// complete and their goroutines end.
func firstReplicaGoBuffered(ctx context.Context, replicas []string, query Query) ([]byte, error) {
	var wg sync.WaitGroup
	results := make(chan reply, len(replicas))
	for _, addr := range replicas {
		wg.Go(func() {
			b, err := query(ctx, addr)
			results <- reply{addr, b, err} // ok: room for every answer
		})
	}
	r := <-results
	return r.b, r.err
}

var _ = noLeak("firstReplicaGoBuffered", func() {
	firstReplicaGoBuffered(context.Background(), []string{"r1", "r2", "r3"}, answer)
})

// allReplicasGo takes every answer before it returns.
func allReplicasGo(ctx context.Context, replicas []string, query Query) [][]byte {
	var wg sync.WaitGroup
	results := make(chan reply)
	for _, addr := range replicas {
		wg.Go(func() {
			b, _ := query(ctx, addr)
			results <- reply{addr, b, nil} // ok: one receive per goroutine
		})
	}
	var out [][]byte
	for range replicas {
		out = append(out, (<-results).b)
	}
	wg.Wait()
	return out
}

var _ = noLeak("allReplicasGo", func() {
	allReplicasGo(context.Background(), []string{"r1", "r2", "r3"}, answer)
})
