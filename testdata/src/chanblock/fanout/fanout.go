package fanout

import (
	"context"
	"time"
)

// Fan-out with fewer receives than sends: the first response wins, a
// collector returns on the first error or hit, a consumer stops early. The
// goroutines that lose stay blocked on their send.

// firstReplica asks every replica and returns the first answer.
func firstReplica(ctx context.Context, replicas []string, query Query) ([]byte, error) {
	results := make(chan reply)
	for _, addr := range replicas {
		go func() {
			b, err := query(ctx, addr)
			results <- reply{addr, b, err} // want `blocks forever sending on results`
		}()
	}
	r := <-results
	return r.b, r.err
}

var _ = leaks("firstReplica", func() {
	firstReplica(context.Background(), []string{"r1", "r2", "r3"}, answer)
})

// hedged sends a backup request when the first is slow and returns
// whichever answers first.
func hedged(ctx context.Context, addr string, query Query, hedgeAfter time.Duration) ([]byte, error) {
	resc := make(chan reply)
	go func() {
		b, err := query(ctx, addr)
		resc <- reply{addr, b, err} // want `blocks forever sending on resc`
	}()
	select {
	case r := <-resc:
		return r.b, r.err
	case <-time.After(hedgeAfter):
	}
	go func() {
		b, err := query(ctx, addr)
		resc <- reply{addr, b, err} // one report per channel: the first goroutine above
	}()
	r := <-resc
	return r.b, r.err
}

var _ = leaks("hedged", func() {
	hedged(context.Background(), "r1", newSlowFirst().query, time.Millisecond)
})

// checkAll pings every host and returns the first error it receives.
func checkAll(ctx context.Context, hosts []string, ping func(context.Context, string) error) error {
	errc := make(chan error)
	for _, h := range hosts {
		go func() {
			errc <- ping(ctx, h) // want `blocks forever sending on errc`
		}()
	}
	for range hosts {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

var _ = leaks("checkAll", func() {
	checkAll(context.Background(), []string{"h1", "h2", "h3"}, pingDown)
})

// searchShards returns the first hit; the shards still searching have
// nowhere to send.
func searchShards(ctx context.Context, shards []string, query Query) []byte {
	found := make(chan reply)
	for _, s := range shards {
		go func() {
			b, err := query(ctx, s)
			found <- reply{s, b, err} // want `blocks forever sending on found`
		}()
	}
	for range shards {
		if r := <-found; r.err == nil {
			return r.b
		}
	}
	return nil
}

var _ = leaks("searchShards", func() {
	searchShards(context.Background(), []string{"s1", "s2", "s3"}, answer)
})

// firstOver is a pipeline whose consumer stops at the first match.
func firstOver(sizes []int, limit int) (int, bool) {
	nums := make(chan int)
	go func() {
		for _, n := range sizes {
			nums <- n // want `blocks forever sending on nums`
		}
		close(nums)
	}()
	for n := range nums {
		if n > limit {
			return n, true
		}
	}
	return 0, false
}

var _ = leaks("firstOver", func() { firstOver([]int{1, 200, 3, 4}, 100) })

// writeQuorum writes to every replica and returns on the first failure. The
// buffer holds one error: with three replicas failing, the third still
// blocks.
func writeQuorum(ctx context.Context, replicas []string, put func(context.Context, string) error) error {
	errc := make(chan error, 1)
	for _, addr := range replicas {
		go func() {
			errc <- put(ctx, addr) // want `blocks forever sending on errc`
		}()
	}
	for range replicas {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

var _ = leaks("writeQuorum", func() {
	writeQuorum(context.Background(), []string{"r1", "r2", "r3"}, pingDown)
})
