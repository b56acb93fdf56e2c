// Package escape holds channels made by a function whose goroutine sends
// or receives on them, where the function returns without the matching
// operation but hands the channel on: returned, stored in a field, global or
// map, passed to unknown code or an interface method, sent on another
// channel, captured by an escaping closure, converted to an interface.
// Ownership moved; someone else answers for it. All silent.
//
// Each shape plays the part of the new owner, so that nothing is left
// behind at run time.
package escape

import (
	"context"
	"sync"
	"time"
)

type Event struct {
	Seq  int
	Name string
}

// Returned.

func watch(names []string) <-chan Event {
	ch := make(chan Event)
	go func() {
		defer close(ch)
		for i, n := range names {
			ch <- Event{i, n} // ok: ch is returned, the caller drains it
		}
	}()
	return ch
}

var _ = noLeak("watch", func() {
	for range watch([]string{"a", "b"}) {
	}
})

// Stored in a field.

type Stream struct {
	events chan Event
}

func (s *Stream) open(names []string) {
	ch := make(chan Event)
	go func() {
		for i, n := range names {
			ch <- Event{i, n} // ok: stored in s.events
		}
		close(ch)
	}()
	s.events = ch
}

var _ = noLeak("Stream.open", func() {
	s := new(Stream)
	s.open([]string{"a", "b"})
	for range s.events {
	}
})

// Stored in a global.

var updates chan string

func startUpdates(names []string) {
	ch := make(chan string)
	go func() {
		for _, n := range names {
			ch <- n // ok: stored in the global updates
		}
		close(ch)
	}()
	updates = ch
}

var _ = noLeak("startUpdates", func() {
	startUpdates([]string{"a", "b"})
	for range updates {
	}
})

// Stored in a map.

type Broker struct {
	mu   sync.Mutex
	subs map[string]chan Event
}

func (b *Broker) subscribe(topic string, handle func(Event)) {
	ch := make(chan Event)
	go func() {
		for e := range ch { // ok: stored in b.subs, closed by unsubscribe
			handle(e)
		}
	}()
	b.mu.Lock()
	b.subs[topic] = ch
	b.mu.Unlock()
}

func (b *Broker) unsubscribe(topic string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	close(b.subs[topic])
	delete(b.subs, topic)
}

var _ = noLeak("Broker.subscribe", func() {
	b := &Broker{subs: make(map[string]chan Event)}
	b.subscribe("orders", func(Event) {})
	b.unsubscribe("orders")
})

// Passed to unknown code.

func feed(names []string, attach func(<-chan Event)) {
	ch := make(chan Event)
	go func() {
		for i, n := range names {
			ch <- Event{i, n} // ok: handed to attach, which drains it
		}
		close(ch)
	}()
	attach(ch)
}

func drainAsync(ch <-chan Event) {
	go func() {
		for range ch {
		}
	}()
}

var _ = noLeak("feed", func() { feed([]string{"a", "b"}, drainAsync) })

// Passed to an interface method.

type Sink interface {
	Consume(<-chan Event)
}

type drainSink struct{}

func (drainSink) Consume(ch <-chan Event) { drainAsync(ch) }

func feedSink(names []string, s Sink) {
	ch := make(chan Event)
	go func() {
		for i, n := range names {
			ch <- Event{i, n} // ok: handed to s.Consume
		}
		close(ch)
	}()
	s.Consume(ch)
}

var _ = noLeak("feedSink", func() { feedSink([]string{"a", "b"}, drainSink{}) })

// Sent on another channel: the pool answers the request.

type task struct {
	name string
	done chan error
}

func submitAsync(queue chan<- task, name string, onDone func(error)) {
	done := make(chan error)
	go func() {
		onDone(<-done) // ok: done is sent to the pool, which answers it
	}()
	queue <- task{name, done}
}

// serveOne is the pool: it answers one task.
func serveOne(queue <-chan task) {
	t := <-queue
	t.done <- nil
}

var _ = noLeak("submitAsync", func() {
	queue := make(chan task)
	go serveOne(queue)
	submitAsync(queue, "build", func(error) {})
})

// Captured by an escaping closure.

func lazy(ctx context.Context, load func() int) func() int {
	ch := make(chan int)
	go func() {
		ch <- load() // ok: the returned closure receives
	}()
	return func() int { return <-ch }
}

var _ = noLeak("lazy", func() {
	get := lazy(context.Background(), func() int { return 42 })
	get()
})

// Converted to an interface.

var registry sync.Map

func register(name string, d time.Duration) {
	ch := make(chan time.Time)
	go func() {
		ch <- time.Now().Add(d) // ok: stored in registry as an any
	}()
	registry.Store(name, any(ch))
}

var _ = noLeak("register", func() {
	register("deadline", time.Second)
	v, _ := registry.LoadAndDelete("deadline")
	<-v.(chan time.Time)
})
