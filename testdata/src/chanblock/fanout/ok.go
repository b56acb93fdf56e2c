package fanout

import (
	"context"
	"sync"
	"time"
)

// Correct fan-outs shaped like those in fanout.go: all silent.

func firstReplicaBuffered(ctx context.Context, replicas []string, query Query) ([]byte, error) {
	results := make(chan reply, len(replicas))
	for _, addr := range replicas {
		go func() {
			b, err := query(ctx, addr)
			results <- reply{addr, b, err} // ok: one slot per replica
		}()
	}
	r := <-results
	return r.b, r.err
}

var _ = noLeak("firstReplicaBuffered", func() {
	firstReplicaBuffered(context.Background(), []string{"r1", "r2", "r3"}, answer)
})

func hedgedBuffered(ctx context.Context, addr string, query Query, hedgeAfter time.Duration) ([]byte, error) {
	resc := make(chan reply, 2)
	go func() {
		b, err := query(ctx, addr)
		resc <- reply{addr, b, err} // ok: room for both attempts
	}()
	select {
	case r := <-resc:
		return r.b, r.err
	case <-time.After(hedgeAfter):
	}
	go func() {
		b, err := query(ctx, addr)
		resc <- reply{addr, b, err} // ok: room for both attempts
	}()
	r := <-resc
	return r.b, r.err
}

var _ = noLeak("hedgedBuffered", func() {
	hedgedBuffered(context.Background(), "r1", newSlowFirst().query, time.Millisecond)
})

// checkAllCounted receives once per host and keeps the first error.
func checkAllCounted(ctx context.Context, hosts []string, ping func(context.Context, string) error) error {
	errc := make(chan error)
	for _, h := range hosts {
		go func() {
			errc <- ping(ctx, h) // ok: the loop below receives len(hosts) times
		}()
	}
	var first error
	for i := 0; i < len(hosts); i++ {
		if err := <-errc; err != nil && first == nil {
			first = err
		}
	}
	return first
}

var _ = noLeak("checkAllCounted", func() {
	checkAllCounted(context.Background(), []string{"h1", "h2", "h3"}, pingDown)
})

// checkAllWaitGroup closes errc once every pinger is done and drains it.
func checkAllWaitGroup(ctx context.Context, hosts []string, ping func(context.Context, string) error) error {
	errc := make(chan error)
	var wg sync.WaitGroup
	for _, h := range hosts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := ping(ctx, h); err != nil {
				errc <- err // ok: drained by the range below until the closer closes it
			}
		}()
	}
	go func() {
		wg.Wait()
		close(errc)
	}()
	var first error
	for err := range errc {
		if first == nil {
			first = err
		}
	}
	return first
}

var _ = noLeak("checkAllWaitGroup", func() {
	checkAllWaitGroup(context.Background(), []string{"h1", "h2", "h3"}, pingDown)
})

// searchShardsCounted stops ranging once it has heard from every shard.
func searchShardsCounted(ctx context.Context, shards []string, query Query) []byte {
	found := make(chan reply)
	for _, s := range shards {
		go func() {
			b, err := query(ctx, s)
			found <- reply{s, b, err} // ok: received until received == len(shards)
		}()
	}
	var best []byte
	received := 0
	for r := range found {
		received++
		if r.err == nil && best == nil {
			best = r.b
		}
		if received == len(shards) {
			break
		}
	}
	return best
}

var _ = noLeak("searchShardsCounted", func() {
	searchShardsCounted(context.Background(), []string{"s1", "s2", "s3"}, answer)
})

// firstOverCancelled tells the generator to stop when it returns early.
func firstOverCancelled(sizes []int, limit int) (int, bool) {
	done := make(chan struct{})
	defer close(done)
	nums := make(chan int)
	go func() {
		defer close(nums)
		for _, n := range sizes {
			select {
			case nums <- n: // ok: the generator selects on done
			case <-done:
				return
			}
		}
	}()
	for n := range nums {
		if n > limit {
			return n, true
		}
	}
	return 0, false
}

var _ = noLeak("firstOverCancelled", func() { firstOverCancelled([]int{1, 200, 3, 4}, 100) })

// fetchAll is the errgroup pipeline: the closures go to g.Go, a closer
// waits for them, the range drains results.
func fetchAll(ctx context.Context, addrs []string, query Query) ([][]byte, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	g := new(group)
	results := make(chan []byte)
	for _, addr := range addrs {
		g.Go(func() error {
			b, err := query(ctx, addr)
			if err != nil {
				return err
			}
			select {
			case results <- b: // ok: handed to g.Go, and the sender selects on ctx.Done
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}
	go func() {
		g.Wait()
		close(results)
	}()
	var all [][]byte
	for b := range results {
		all = append(all, b)
	}
	return all, g.Wait()
}

var _ = noLeak("fetchAll", func() {
	fetchAll(context.Background(), []string{"a1", "a2", "a3"}, answer)
})

func writeQuorumBuffered(ctx context.Context, replicas []string, put func(context.Context, string) error) error {
	errc := make(chan error, len(replicas))
	for _, addr := range replicas {
		go func() {
			errc <- put(ctx, addr) // ok: one slot per replica
		}()
	}
	for range replicas {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

var _ = noLeak("writeQuorumBuffered", func() {
	writeQuorumBuffered(context.Background(), []string{"r1", "r2", "r3"}, pingDown)
})

var _ = noLeak("checkAll/healthy", func() {
	// Every host answers: checkAll receives all three.
	checkAll(context.Background(), []string{"h1", "h2", "h3"}, pingOK)
})
