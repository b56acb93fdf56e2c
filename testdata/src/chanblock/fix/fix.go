package fix

import (
	"context"
	"errors"
	"time"
)

// A single sender on an unbuffered channel gets capacity 1; one goroutine
// per element of xs gets len(xs). Other shapes get no fix.

type Fetch func(ctx context.Context, key string) ([]byte, error)

type result struct {
	b   []byte
	err error
}

func fetchWithTimeout(ctx context.Context, fetch Fetch, key string) ([]byte, error) {
	resc := make(chan result)
	go func() {
		b, err := fetch(ctx, key)
		resc <- result{b, err} // want `blocks forever sending on resc`
	}()
	select {
	case r := <-resc:
		return r.b, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func withDeadline(fetch Fetch, key string, d time.Duration) ([]byte, error) {
	errc := make(chan error)
	var b []byte
	go func() {
		var err error
		b, err = fetch(context.Background(), key)
		errc <- err // want `blocks forever sending on errc`
	}()
	select {
	case err := <-errc:
		return b, err
	case <-time.After(d):
		return nil, errors.New("deadline exceeded")
	}
}

func firstReplica(ctx context.Context, replicas []string, fetch Fetch) ([]byte, error) {
	results := make(chan result)
	for _, addr := range replicas {
		go func() {
			b, err := fetch(ctx, addr)
			results <- result{b, err} // want `blocks forever sending on results`
		}()
	}
	r := <-results
	return r.b, r.err
}

func pingAll(ctx context.Context, hosts []string, ping func(context.Context, string) error) error {
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

// No fix: two go statements, not one per element of a slice.

func hedged(ctx context.Context, key string, fetch Fetch, after time.Duration) ([]byte, error) {
	resc := make(chan result)
	go func() {
		b, err := fetch(ctx, key)
		resc <- result{b, err} // want `blocks forever sending on resc`
	}()
	select {
	case r := <-resc:
		return r.b, r.err
	case <-time.After(after):
	}
	go func() {
		b, err := fetch(ctx, key)
		resc <- result{b, err} // one report per channel: the first goroutine above
	}()
	r := <-resc
	return r.b, r.err
}

// No fix: a receiver; capacity does not help it.

func dispatch(jobs []string, handle func(string)) error {
	work := make(chan string)
	go func() {
		for j := range work { // want `blocks forever receiving from work`
			handle(j)
		}
	}()
	for _, j := range jobs {
		if j == "" {
			return errors.New("empty job")
		}
		work <- j
	}
	close(work)
	return nil
}
