// Package escape holds WaitGroups that leave the function: handed to code in
// another package, to a function value or an interface method, stored in a
// global, a map or a field of something that escapes, sent on a channel,
// returned, or captured by a closure that escapes. Someone else may add,
// release or wait; all of these are silent. The true positive at the end
// shows a hand-off on one path only.
package escape

import (
	"log"
	"sync"

	"wgbalance/lib"
)

type Event struct {
	Topic string
	Data  []byte
}

func deliver(e Event) error {
	if e.Topic == "" {
		return nil
	}
	return nil
}

// Added by code in another package.

func publishTracked(events []Event) {
	var wg sync.WaitGroup
	lib.Track(&wg, len(events))
	for _, e := range events {
		go func() {
			defer wg.Done() // ok: lib.Track added for it, in code wgbalance does not see
			deliver(e)
		}()
	}
	wg.Wait()
}

// Released by code in another package on some paths.

func publishVia(events []Event) {
	var wg sync.WaitGroup
	wg.Add(len(events))
	for _, e := range events {
		go lib.Run(&wg, func() error { return deliver(e) }) // ok: lib.Run owns the Done
	}
	wg.Wait()
}

func publishPair(a, b Event) {
	var wg sync.WaitGroup
	wg.Add(2) // ok: how many Done calls lib.Run makes is unknown
	go lib.Run(&wg, func() error { return deliver(a) })
	go lib.Run(&wg, func() error { return deliver(b) })
	wg.Wait()
}

// Waited for by unknown code.

func publishWaitedElsewhere(events []Event, w lib.Waiter) {
	var wg sync.WaitGroup
	wg.Add(len(events)) // ok: no wg.Wait here; the Waiter gets wg and may release for the skipped events or give up
	for _, e := range events {
		if e.Topic == "" {
			continue
		}
		go func() {
			defer wg.Done()
			deliver(e)
		}()
	}
	w.WaitFor(&wg)
}

// Function values and interface methods.

type Hooks struct {
	OnStart func(wg *sync.WaitGroup)
}

func (h *Hooks) publish(events []Event) {
	var wg sync.WaitGroup
	h.OnStart(&wg)
	for _, e := range events {
		go func() {
			defer wg.Done() // ok: the OnStart hook may have added
			deliver(e)
		}()
	}
	wg.Wait()
}

type Registry interface {
	Register(name string, wg *sync.WaitGroup)
}

func startRegistered(reg Registry, names []string) {
	for _, n := range names {
		var wg sync.WaitGroup
		reg.Register(n, &wg)
		go func() {
			defer wg.Done() // ok: registered with code that may add and wait
			log.Printf("%s started", n)
		}()
	}
}

// Globals.

var inflight sync.WaitGroup

func handle(e Event) {
	defer inflight.Done() // ok: a global; Accept adds, Shutdown waits
	deliver(e)
}

func Accept(e Event) {
	inflight.Add(1)
	go handle(e)
}

func Shutdown() { inflight.Wait() }

var current *sync.WaitGroup

func publishCurrent(events []Event) {
	var wg sync.WaitGroup
	current = &wg
	for _, e := range events {
		go func() {
			defer wg.Done() // ok: published in a global, anything may have added
			deliver(e)
		}()
	}
	wg.Wait()
}

// Maps, channels, fields of escaping values.

type Broker struct {
	mu      sync.Mutex
	pending map[string]*sync.WaitGroup
	acks    chan *sync.WaitGroup
}

func (b *Broker) publishAwaitingAcks(id string, subscribers []string) {
	var wg sync.WaitGroup
	b.mu.Lock()
	b.pending[id] = &wg
	b.mu.Unlock()
	for _, s := range subscribers {
		go func() {
			defer wg.Done() // ok: stored in b.pending; the ack path may add
			log.Printf("%s -> %s", id, s)
		}()
	}
	wg.Wait()
}

func (b *Broker) handOff(events []Event) {
	var wg sync.WaitGroup
	wg.Add(2) // ok: sent on b.acks; the receiver may start or release the rest
	go func() {
		defer wg.Done()
		deliver(events[0])
	}()
	b.acks <- &wg
	wg.Wait()
}

type Batch struct {
	Events []Event
	WG     *sync.WaitGroup
}

func enqueue(q chan<- Batch, events []Event) {
	var wg sync.WaitGroup
	wg.Add(len(events)) // ok: the batch carries wg to the consumer, which releases per event
	q <- Batch{Events: events, WG: &wg}
	wg.Wait()
}

// Returned, converted to an interface, captured by an escaping closure.

// startAll counts every event and returns the ones it did not start: the
// caller releases for those.
func startAll(events []Event) (*sync.WaitGroup, []Event) {
	var wg sync.WaitGroup
	var skipped []Event
	wg.Add(len(events)) // ok: returned with the skipped events; the caller answers for the count
	for _, e := range events {
		if e.Topic == "" {
			skipped = append(skipped, e)
			continue
		}
		go func() {
			defer wg.Done()
			deliver(e)
		}()
	}
	return &wg, skipped
}

type waiter interface{ Wait() }

func startAllAsWaiter(events []Event) waiter {
	wg := new(sync.WaitGroup)
	wg.Add(len(events)) // ok: converted to an interface and returned: the caller owns the count now
	for _, e := range events {
		if e.Topic == "" {
			continue
		}
		go func() {
			defer wg.Done()
			deliver(e)
		}()
	}
	return wg
}

func ackFunc(events []Event) (func(), func()) {
	var wg sync.WaitGroup
	wg.Add(len(events))
	for _, e := range events {
		go func() {
			defer wg.Done()
			deliver(e)
		}()
	}
	release := func() { wg.Done() } // ok: returned; whoever calls it answers for the count
	return release, wg.Wait
}

// Hand-off on one path only.

func publishSome(events []Event, retry chan<- *sync.WaitGroup) {
	var wg sync.WaitGroup
	for _, e := range events {
		wg.Add(1)
		go func() { // want `this goroutine does not call wg\.Done on the path that returns at line 245, so wg\.Wait at line 254 blocks forever; call defer wg\.Done\(\) first in the goroutine, or use wg\.Go`
			if e.Topic == "" {
				return
			}
			if err := deliver(e); err != nil {
				retry <- &wg // ok on this path: the retry queue owns the Done
				return
			}
			wg.Done()
		}()
	}
	wg.Wait()
}

func publishSomeHandedOff(events []Event, retry chan<- *sync.WaitGroup) {
	var wg sync.WaitGroup
	for _, e := range events {
		wg.Add(1)
		go func() { // ok: the only path without wg.Done hands wg to the retry queue
			if err := deliver(e); err != nil {
				retry <- &wg
				return
			}
			wg.Done()
		}()
	}
	wg.Wait()
}
