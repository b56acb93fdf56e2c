package a

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"time"
)

// Abandoned senders: a goroutine sends its result on a channel made by the
// function that started it, and some path of that function returns without
// receiving. The goroutine blocks on the send for good, holding everything
// it references.

// fetchWithTimeout gives up when ctx is done; the fetch goroutine then has
// no receiver.
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

var _ = leaks("fetchWithTimeout", func() {
	g := newGate()
	fetchWithTimeout(cancelled(), g.fetch, "user/1")
	g.open()
})

// lookupHandler answers 504 when the lookup is slower than its timeout.
type lookupHandler struct {
	lookup  Fetch
	timeout time.Duration
}

func (h *lookupHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Query().Get("key")
	done := make(chan result)
	go func() {
		b, err := h.lookup(r.Context(), key)
		done <- result{b, err} // want `blocks forever sending on done`
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

var _ = leaks("lookupHandler.ServeHTTP", func() {
	g := newGate()
	h := &lookupHandler{lookup: g.fetch, timeout: time.Millisecond}
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/lookup?key=k", nil))
	g.open()
})

type Profile struct {
	Name   string
	Avatar []byte
}

type profileStore struct {
	user   func(ctx context.Context, id string) (*Profile, error)
	avatar func(id string) []byte
}

// loadProfile fetches the avatar while it loads the user, and returns on
// the user's error before it receives the avatar.
func (s *profileStore) loadProfile(ctx context.Context, id string) (*Profile, error) {
	avatarc := make(chan []byte)
	go func() {
		avatarc <- s.avatar(id) // want `blocks forever sending on avatarc`
	}()
	p, err := s.user(ctx, id)
	if err != nil {
		return nil, err
	}
	p.Avatar = <-avatarc
	return p, nil
}

func noUser(ctx context.Context, id string) (*Profile, error) { return nil, errUnavailable }
func someUser(ctx context.Context, id string) (*Profile, error) {
	return &Profile{Name: "user " + id}, nil
}
func defaultAvatar(id string) []byte { return []byte("avatar.png") }

var _ = leaks("profileStore.loadProfile", func() {
	s := &profileStore{user: noUser, avatar: defaultAvatar}
	s.loadProfile(context.Background(), "42")
})

// callWithRetry starts a new attempt after each per-attempt timeout. Every
// attempt that timed out stays blocked on its reply channel.
func callWithRetry(ctx context.Context, call Fetch, key string, attempts int, perTry time.Duration) ([]byte, error) {
	for i := 0; i < attempts; i++ {
		reply := make(chan result)
		go func() {
			b, err := call(ctx, key)
			reply <- result{b, err} // want `blocks forever sending on reply`
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

var _ = leaks("callWithRetry", func() {
	g := newGate()
	callWithRetry(context.Background(), g.fetch, "k", 3, time.Millisecond)
	g.open()
})

// Poller polls until it is stopped; a poll in flight when it stops is
// abandoned.
type Poller struct {
	quit chan struct{}
	poll Fetch
}

func (p *Poller) pollOnce(ctx context.Context, key string) ([]byte, error) {
	out := make(chan []byte)
	go func() {
		b, _ := p.poll(ctx, key)
		out <- b // want `blocks forever sending on out`
	}()
	select {
	case b := <-out:
		return b, nil
	case <-p.quit:
		return nil, errStopped
	}
}

var _ = leaks("Poller.pollOnce", func() {
	g := newGate()
	p := &Poller{quit: make(chan struct{}), poll: g.fetch}
	close(p.quit)
	p.pollOnce(context.Background(), "k")
	g.open()
})

// uploadHandler checksums the body in the background, then rejects an
// upload that is too large without waiting for the checksum.
type uploadHandler struct {
	maxBytes int64
	checksum func(io.Reader) uint32
	store    func(name string, sum uint32) error
}

func (h *uploadHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	sumc := make(chan uint32)
	go func() {
		sumc <- h.checksum(r.Body) // want `blocks forever sending on sumc`
	}()
	if r.ContentLength > h.maxBytes {
		http.Error(w, errTooLarge.Error(), http.StatusRequestEntityTooLarge)
		return
	}
	if err := h.store(r.URL.Path, <-sumc); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

func sum(r io.Reader) uint32 {
	b, _ := io.ReadAll(r)
	var s uint32
	for _, c := range b {
		s = s*31 + uint32(c)
	}
	return s
}

func discard(name string, sum uint32) error { return nil }

var _ = leaks("uploadHandler.ServeHTTP", func() {
	h := &uploadHandler{maxBytes: 4, checksum: sum, store: discard}
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("PUT", "/f", stringsReader("too large")))
})
