package a

import (
	"context"
	"net/http"
	"net/http/httptest"
	"time"
)

// Correct code shaped like the findings in sender.go: all silent.

func fetchWithTimeoutBuffered(ctx context.Context, fetch Fetch, key string) ([]byte, error) {
	resc := make(chan result, 1)
	go func() {
		b, err := fetch(ctx, key)
		resc <- result{b, err} // ok: room for the only send
	}()
	select {
	case r := <-resc:
		return r.b, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

var _ = noLeak("fetchWithTimeoutBuffered", func() {
	g := newGate()
	fetchWithTimeoutBuffered(cancelled(), g.fetch, "user/1")
	g.open()
})

func fetchSenderSelects(ctx context.Context, fetch Fetch, key string) ([]byte, error) {
	resc := make(chan result)
	go func() {
		b, err := fetch(ctx, key)
		select {
		case resc <- result{b, err}: // ok: the sender gives up when ctx is done
		case <-ctx.Done():
		}
	}()
	select {
	case r := <-resc:
		return r.b, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

var _ = noLeak("fetchSenderSelects", func() {
	g := newGate()
	fetchSenderSelects(cancelled(), g.fetch, "user/1")
	g.open()
})

func fetchSenderTimesOut(ctx context.Context, fetch Fetch, key string, d time.Duration) ([]byte, error) {
	resc := make(chan result)
	go func() {
		b, err := fetch(ctx, key)
		select {
		case resc <- result{b, err}: // ok: the sender waits at most d for a receiver
		case <-time.After(d):
		}
	}()
	select {
	case r := <-resc:
		return r.b, r.err
	case <-time.After(d):
		return nil, errUnavailable
	}
}

var _ = noLeak("fetchSenderTimesOut", func() {
	g := newGate()
	fetchSenderTimesOut(context.Background(), g.fetch, "user/1", time.Millisecond)
	g.open()
})

type bufferedLookupHandler struct {
	lookup  Fetch
	timeout time.Duration
}

func (h *bufferedLookupHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Query().Get("key")
	done := make(chan result, 1)
	go func() {
		b, err := h.lookup(r.Context(), key)
		done <- result{b, err} // ok: buffered, the late result is dropped with the channel
	}()
	select {
	case res := <-done:
		if res.err != nil {
			http.Error(w, res.err.Error(), http.StatusBadGateway)
			return
		}
		w.Write(res.b)
	case <-time.After(h.timeout):
		http.Error(w, "lookup timed out", http.StatusGatewayTimeout)
	}
}

var _ = noLeak("bufferedLookupHandler.ServeHTTP", func() {
	g := newGate()
	h := &bufferedLookupHandler{lookup: g.fetch, timeout: time.Millisecond}
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/lookup?key=k", nil))
	g.open()
})

// loadProfileDrained receives the avatar before it looks at the error.
func (s *profileStore) loadProfileDrained(ctx context.Context, id string) (*Profile, error) {
	avatarc := make(chan []byte)
	go func() {
		avatarc <- s.avatar(id) // ok: received on every path
	}()
	p, err := s.user(ctx, id)
	avatar := <-avatarc
	if err != nil {
		return nil, err
	}
	p.Avatar = avatar
	return p, nil
}

var _ = noLeak("profileStore.loadProfileDrained", func() {
	s := &profileStore{user: noUser, avatar: defaultAvatar}
	s.loadProfileDrained(context.Background(), "42")
})

func (s *profileStore) loadProfileBuffered(ctx context.Context, id string) (*Profile, error) {
	avatarc := make(chan []byte, 1)
	go func() {
		avatarc <- s.avatar(id) // ok: room for the only send
	}()
	p, err := s.user(ctx, id)
	if err != nil {
		return nil, err
	}
	p.Avatar = <-avatarc
	return p, nil
}

var _ = noLeak("profileStore.loadProfileBuffered", func() {
	s := &profileStore{user: noUser, avatar: defaultAvatar}
	s.loadProfileBuffered(context.Background(), "42")
})

var _ = noLeak("profileStore.loadProfile/found", func() {
	// The path that receives: loadProfile leaks only when the user lookup fails.
	s := &profileStore{user: someUser, avatar: defaultAvatar}
	s.loadProfile(context.Background(), "42")
})

func callWithRetryBuffered(ctx context.Context, call Fetch, key string, attempts int, perTry time.Duration) ([]byte, error) {
	for i := 0; i < attempts; i++ {
		reply := make(chan result, 1)
		go func() {
			b, err := call(ctx, key)
			reply <- result{b, err} // ok: each attempt has room for its own reply
		}()
		select {
		case r := <-reply:
			if r.err == nil {
				return r.b, nil
			}
		case <-time.After(perTry):
		}
	}
	return nil, errUnavailable
}

var _ = noLeak("callWithRetryBuffered", func() {
	g := newGate()
	callWithRetryBuffered(context.Background(), g.fetch, "k", 3, time.Millisecond)
	g.open()
})

func (p *Poller) pollOnceStoppable(ctx context.Context, key string) ([]byte, error) {
	out := make(chan []byte)
	go func() {
		b, _ := p.poll(ctx, key)
		select {
		case out <- b: // ok: the sender also watches quit
		case <-p.quit:
		}
	}()
	select {
	case b := <-out:
		return b, nil
	case <-p.quit:
		return nil, errStopped
	}
}

var _ = noLeak("Poller.pollOnceStoppable", func() {
	g := newGate()
	p := &Poller{quit: make(chan struct{}), poll: g.fetch}
	close(p.quit)
	p.pollOnceStoppable(context.Background(), "k")
	g.open()
})
