package interproc

import (
	"context"
	"errors"
	"log"
	"strings"
	"time"
)

// Helpers that leave nothing blocked, and the limits of what a helper
// analysis can see.

// produceUntil stops when done is closed; started by firstInStockCancelled.
func produceUntil(done <-chan struct{}, out chan<- Item, items []Item) {
	defer close(out)
	for _, it := range items {
		select {
		case out <- it: // ok: the producer selects on done
		case <-done:
			return
		}
	}
}

func firstInStockCancelled(items []Item) (Item, bool) {
	done := make(chan struct{})
	defer close(done)
	out := make(chan Item)
	go produceUntil(done, out, items)
	for it := range out {
		if it.Qty > 0 {
			return it, true
		}
	}
	return Item{}, false
}

var _ = noLeak("firstInStockCancelled", func() { firstInStockCancelled([]Item{{"a", 1}, {"b", 2}}) })

// reportTo sends err to the collector; called in reloadBuffered's goroutine.
func reportTo(errc chan<- error, err error) {
	errc <- err // ok: errc has room for the only send
}

func reloadBuffered(cfg map[string]string, apply func(map[string]string)) error {
	errc := make(chan error, 1)
	go func() {
		reportTo(errc, check(cfg))
	}()
	if len(cfg) == 0 {
		return nil
	}
	if err := <-errc; err != nil {
		return err
	}
	apply(cfg)
	return nil
}

var _ = noLeak("reloadBuffered", func() { reloadBuffered(nil, func(map[string]string) {}) })

// drain processes requests until reqc is closed; started by dispatchClosed.
func drain(reqc <-chan Request) {
	for r := range reqc { // ok: dispatchClosed closes reqc on every path
		log.Printf("request %d: %d bytes", r.ID, len(r.Body))
	}
}

func dispatchClosed(reqs []Request) error {
	reqc := make(chan Request)
	defer close(reqc)
	go drain(reqc)
	for _, r := range reqs {
		if strings.TrimSpace(r.Body) == "" {
			return errors.New("empty request")
		}
		reqc <- r
	}
	return nil
}

var _ = noLeak("dispatchClosed", func() { dispatchClosed([]Request{{1, "ping"}, {2, " "}}) })

// ticks starts a goroutine writing to the channel it returns: a channel
// constructor. Its callers owe the receives.
func ticks(n int, every time.Duration) <-chan time.Time {
	ch := make(chan time.Time)
	go func() {
		for i := 0; i < n; i++ {
			time.Sleep(every)
			ch <- time.Now()
		}
		close(ch)
	}()
	return ch
}

func firstTick() time.Time {
	return <-ticks(3, time.Millisecond) // want `the goroutine ticks starts blocks forever sending on the channel it returns when firstTick returns at line \d+ before receiving every value`
}

var _ = leaks("firstTick", func() { firstTick() })

// Limitation: the channel leaves the function that makes it in a field of
// a struct, so the analysis stays silent, but the caller does not drain it.
// At run time the producer leaks: a deliberate false negative.

type Watcher struct {
	Events chan string
}

// newWatcher stores the channel in a field.
func newWatcher(ctx context.Context, names []string) *Watcher {
	w := &Watcher{Events: make(chan string)}
	go func() {
		for _, n := range names {
			w.Events <- n // limitation: a field of the returned Watcher; firstEvent reads one
		}
		close(w.Events)
	}()
	return w
}

func firstEvent(names []string) string {
	w := newWatcher(context.Background(), names)
	return <-w.Events
}

var _ = leaks("firstEvent", func() { firstEvent([]string{"create", "write", "remove"}) })
