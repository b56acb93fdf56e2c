package nodone

import "sync"

// Passed to another package's function: a request tracker keeps each
// request's WaitGroup in a sync.Map until the response arrives. The
// delivery's Done goes through the map, which the package does not see
// into: silent.

type tracker struct {
	pending sync.Map // request id -> *sync.WaitGroup
}

func (t *tracker) expect(id int, onDone func()) {
	var wg sync.WaitGroup
	wg.Add(1)
	t.pending.Store(id, &wg)
	go func() {
		wg.Wait() // ok: &wg is handed to sync.Map.Store, deliver calls Done
		onDone()
	}()
}

func (t *tracker) deliver(id int) {
	if v, ok := t.pending.LoadAndDelete(id); ok {
		v.(*sync.WaitGroup).Done()
	}
}

var _ = noLeak("tracker.expect", func() {
	t := new(tracker)
	t.expect(1, func() {})
	t.deliver(1)
})

// An exported field: code in other packages may call Done on Pending, so
// the Wait is not reported, though here nothing does.

type Batch struct {
	Pending sync.WaitGroup
	flushed chan struct{}
}

func (b *Batch) flushWhenDone() {
	b.Pending.Wait() // silent: Pending is exported, another package may call Done
	close(b.flushed)
}

func startBatch(n int) *Batch {
	b := &Batch{flushed: make(chan struct{})}
	b.Pending.Add(n)
	go b.flushWhenDone()
	return b
}

var _ = leaks("startBatch", func() { startBatch(2) })
