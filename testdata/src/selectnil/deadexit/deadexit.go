package deadexit

import (
	"context"
	"time"
)

// A goroutine's loop whose only way out waits on a signal no live code
// gives: the stop method nobody calls, the cancel func nobody calls.

type doc struct{ id int }

// indexer indexes documents until stop; nothing calls stop.
type indexer struct {
	docs  chan doc
	quit  chan struct{}
	count int
}

func startIndexer() *indexer {
	ix := &indexer{docs: make(chan doc), quit: make(chan struct{})}
	go ix.loop()
	return ix
}

func (ix *indexer) loop() {
	for {
		select { // want `this goroutine never exits: its loop leaves only on <-ix\.quit, which no live code closes, sends on or cancels; the close at line 37 is never reached: nothing calls indexer\.stop`
		case <-ix.docs:
			ix.count++
		case <-ix.quit:
			return
		}
	}
}

func (ix *indexer) stop() { close(ix.quit) }

func indexAll(docs []doc) {
	ix := startIndexer()
	for _, d := range docs {
		ix.docs <- d
	}
}

var _ = leaks("indexAll", func() { indexAll([]doc{{1}, {2}}) })

// stoppedIndexer is indexer whose user stops it.
type stoppedIndexer struct {
	docs  chan doc
	quit  chan struct{}
	count int
}

func startStoppedIndexer() *stoppedIndexer {
	ix := &stoppedIndexer{docs: make(chan doc), quit: make(chan struct{})}
	go ix.loop()
	return ix
}

func (ix *stoppedIndexer) loop() {
	for {
		select { // ok: indexAllStopped calls stop, which closes quit
		case <-ix.docs:
			ix.count++
		case <-ix.quit:
			return
		}
	}
}

func (ix *stoppedIndexer) stop() { close(ix.quit) }

func indexAllStopped(docs []doc) {
	ix := startStoppedIndexer()
	defer ix.stop()
	for _, d := range docs {
		ix.docs <- d
	}
}

var _ = noLeak("indexAllStopped", func() { indexAllStopped([]doc{{1}, {2}}) })

// watcher's loop ends with its context, whose cancel is kept in a field
// that only shutdown calls; nothing calls shutdown.
type watcher struct {
	events chan string
	cancel context.CancelFunc
	seen   int
}

func newWatcher() *watcher {
	ctx, cancel := context.WithCancel(context.Background())
	w := &watcher{events: make(chan string), cancel: cancel}
	go w.run(ctx)
	return w
}

func (w *watcher) run(ctx context.Context) {
	for {
		select { // want `this goroutine never exits: its loop leaves only on <-ctx\.Done\(\), which no live code closes, sends on or cancels; the cancel call at line 110 is never reached: nothing calls watcher\.shutdown`
		case <-w.events:
			w.seen++
		case <-ctx.Done():
			return
		}
	}
}

func (w *watcher) shutdown() { w.cancel() }

func watchOnce(name string) {
	w := newWatcher()
	w.events <- name
}

var _ = leaks("watchOnce", func() { watchOnce("a.txt") })

// Watcher is the same loop behind an exported Close: code outside the
// package may call it.
type Watcher struct {
	events chan string
	cancel context.CancelFunc
	seen   int
}

func NewWatcher() *Watcher {
	ctx, cancel := context.WithCancel(context.Background())
	w := &Watcher{events: make(chan string), cancel: cancel}
	go w.run(ctx)
	return w
}

func (w *Watcher) run(ctx context.Context) {
	for {
		select { // ok: Close is exported; its callers are not all seen
		case <-w.events:
			w.seen++
		case <-ctx.Done():
			return
		}
	}
}

func (w *Watcher) Close() { w.cancel() }

var _ = noLeak("Watcher.Close", func() {
	w := NewWatcher()
	w.events <- "a.txt"
	w.Close()
})

// timedWatcher also leaves on a timer: time gives the signal.
type timedWatcher struct {
	events chan string
	quit   chan struct{}
}

func startTimedWatcher(idle time.Duration) *timedWatcher {
	w := &timedWatcher{events: make(chan string), quit: make(chan struct{})}
	go w.run(idle)
	return w
}

func (w *timedWatcher) run(idle time.Duration) {
	t := time.NewTimer(idle)
	defer t.Stop()
	for {
		select { // ok: the timer's case leaves the loop when it fires
		case <-w.events:
		case <-t.C:
			return
		case <-w.quit:
			return
		}
	}
}

var _ = noLeak("timedWatcher", func() {
	startTimedWatcher(time.Millisecond)
	time.Sleep(20 * time.Millisecond)
})

// feed leaves its loop when the channel it reads is closed.
type feed struct {
	items chan int
	quit  chan struct{}
	sum   int
}

func startFeed() *feed {
	f := &feed{items: make(chan int), quit: make(chan struct{})}
	go f.run()
	return f
}

func (f *feed) run() {
	for {
		select { // ok: a closed items ends the loop too
		case n, ok := <-f.items:
			if !ok {
				return
			}
			f.sum += n
		case <-f.quit:
			return
		}
	}
}

func feedAll(xs []int) {
	f := startFeed()
	for _, x := range xs {
		f.items <- x
	}
	close(f.items)
}

var _ = noLeak("feedAll", func() { feedAll([]int{1, 2}) })
