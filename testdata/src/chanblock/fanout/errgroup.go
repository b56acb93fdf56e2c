package fanout

import (
	"context"

	"golang.org/x/sync/errgroup"
)

// The same fan-out with golang.org/x/sync/errgroup: Group.Go runs its
// function in a goroutine of its own. (The errgroup here is the
// testdata's stand-in, testdata/src/golang.org/x/sync/errgroup.)

// firstShardGroup asks every shard and returns the first answer: the
// others block on results, and the group's context does not help them,
// since they do not select on it.
func firstShardGroup(ctx context.Context, shards []string, query Query) ([]byte, error) {
	g, ctx := errgroup.WithContext(ctx)
	results := make(chan reply)
	for _, s := range shards {
		g.Go(func() error {
			b, err := query(ctx, s)
			results <- reply{s, b, err} // want `this goroutine blocks forever sending on results when firstShardGroup returns at line 27 before receiving from every goroutine started in the loop`
			return err
		})
	}
	r := <-results
	return r.b, r.err
}

var _ = leaks("firstShardGroup", func() {
	firstShardGroup(context.Background(), []string{"s1", "s2", "s3"}, answer)
})

// firstShardGroupSelect lets the losers give up once the caller is done
// with the group's context: it cancels a context of its own on return.
func firstShardGroupSelect(ctx context.Context, shards []string, query Query) ([]byte, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	g, ctx := errgroup.WithContext(ctx)
	results := make(chan reply)
	for _, s := range shards {
		g.Go(func() error {
			b, err := query(ctx, s)
			select {
			case results <- reply{s, b, err}: // ok: gives up when the caller has returned
			case <-ctx.Done():
			}
			return err
		})
	}
	r := <-results
	return r.b, r.err
}

var _ = noLeak("firstShardGroupSelect", func() {
	firstShardGroupSelect(context.Background(), []string{"s1", "s2", "s3"}, answer)
})

// allShardsGroup receives one answer per goroutine, then waits.
func allShardsGroup(ctx context.Context, shards []string, query Query) ([][]byte, error) {
	g, ctx := errgroup.WithContext(ctx)
	results := make(chan reply)
	for _, s := range shards {
		g.Go(func() error {
			b, err := query(ctx, s)
			results <- reply{s, b, err} // ok: one receive per goroutine below
			return err
		})
	}
	var out [][]byte
	for range shards {
		out = append(out, (<-results).b)
	}
	return out, g.Wait()
}

var _ = noLeak("allShardsGroup", func() {
	allShardsGroup(context.Background(), []string{"s1", "s2", "s3"}, answer)
})
