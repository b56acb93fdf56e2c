package facts

import (
	"sync"
	"time"

	"chanblock/factslib"
)

// Another package's functions, known by the summaries it exports: what
// they do with the channel or WaitGroup passed to them.

// waitReady waits on a channel that nothing closes.
func waitReady() {
	ready := make(chan struct{})
	factslib.Await(ready) // want `factslib\.Await, which receives from the channel passed to it, blocks forever: no live code sends on or closes it`
}

var _ = leaks("waitReady", func() { go waitReady() })

// waitReadyClosed closes it first.
func waitReadyClosed() {
	ready := make(chan struct{})
	go func() { close(ready) }()
	factslib.Await(ready) // ok: the goroutine closes ready
}

var _ = noLeak("waitReadyClosed", func() { waitReadyClosed() })

// reloader reloads on stop... that nobody gives.
type reloader struct {
	stop    chan struct{}
	reloads int
}

func startReloader() *reloader {
	r := &reloader{stop: make(chan struct{})}
	factslib.Watch(r.stop, func() { r.reloads++ }) // want `the goroutine factslib\.Watch starts, which receives from the channel passed to it, blocks forever: no live code sends on or closes it`
	return r
}

var _ = leaks("startReloader", func() { startReloader() })

// stoppedReloader's user stops it.
type stoppedReloader struct {
	stop    chan struct{}
	reloads int
}

func startStoppedReloader() *stoppedReloader {
	r := &stoppedReloader{stop: make(chan struct{})}
	factslib.Watch(r.stop, func() { r.reloads++ }) // ok: close below stops it
	return r
}

func (r *stoppedReloader) close() { close(r.stop) }

var _ = noLeak("stoppedReloader", func() {
	r := startStoppedReloader()
	r.close()
	time.Sleep(10 * time.Millisecond)
})

// kept hands the channel to Keep, which keeps it: silence.
func kept() {
	ch := make(chan int)
	factslib.Keep(ch)
	go func() { <-ch }() // ok: Keep holds ch; code outside the package may send on it
}

var _ = leaks("kept", kept) // leaks indeed, but nothing in this package can know

// produce has Drain receive every value.
func produce(xs []int) {
	ch := make(chan int)
	go factslib.Drain(ch)
	for _, x := range xs {
		ch <- x // ok: Drain receives
	}
	close(ch)
}

var _ = noLeak("produce", func() { produce([]int{1, 2}) })

// finishAll has Finish call Done for each worker.
func finishAll(n int) {
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go factslib.Finish(&wg)
	}
	wg.Wait() // ok: Finish calls Done
}

var _ = noLeak("finishAll", func() { finishAll(3) })

// acquire takes a token from a pool nobody fills.
func acquire(l *factslib.Limiter) {
	tokens := make(chan struct{}, 4)
	l.Acquire(tokens) // want `factslib\.Acquire, which receives from the channel passed to it, blocks forever`
}

var _ = leaks("acquire", func() { go acquire(&factslib.Limiter{}) })

// notifyMaybe may send: a may-send is a counterpart, never a finding.
func notifyMaybe(msg string) string {
	ch := make(chan string, 1)
	factslib.Notify(ch, msg) // ok: Notify sends only sometimes; its send fits the buffer
	select {
	case m := <-ch:
		return m
	default:
		return ""
	}
}

var _ = noLeak("notifyMaybe", func() { notifyMaybe("hi") })
