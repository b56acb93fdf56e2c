// Package deadselect holds selects without default whose every case is on
// a channel kept in a struct field of the package's types (or the Done
// channel of a context made from Background), and whose counterparts live
// code never performs: they sit in methods nothing calls, follow an
// operation that never proceeds, or the context's cancel func is never
// called. The package model reports the select. Each look-alike differs
// from a leaking case in the one line that makes it correct, and has a
// type of its own: fields are one object per type, so sharing one would
// make the leaking case's counterpart live too.
package deadselect

import "strings"

// An event loop started, its publisher and its stop never: publish and
// stop are methods nothing calls.

type broker struct {
	events chan string
	quit   chan struct{}
	seen   []string
}

func newBroker() *broker {
	return &broker{events: make(chan string), quit: make(chan struct{})}
}

func (b *broker) loop() {
	for {
		select { // want `select blocks forever: no case can ever proceed \(nothing live sends on or closes b\.events; nothing live sends on or closes b\.quit\)`
		case e := <-b.events:
			b.seen = append(b.seen, strings.ToUpper(e))
		case <-b.quit:
			return
		}
	}
}

func (b *broker) publish(e string) { b.events <- e }
func (b *broker) stop()            { close(b.quit) }

func startBroker() *broker {
	b := newBroker()
	go b.loop()
	return b
}

var _ = leaks("startBroker", func() { startBroker() })

type stoppedBroker struct {
	events chan string
	quit   chan struct{}
	seen   []string
}

func newStoppedBroker() *stoppedBroker {
	return &stoppedBroker{events: make(chan string), quit: make(chan struct{})}
}

func (b *stoppedBroker) loop() {
	for {
		select { // ok: stop closes b.quit
		case e := <-b.events:
			b.seen = append(b.seen, strings.ToUpper(e))
		case <-b.quit:
			return
		}
	}
}

func (b *stoppedBroker) publish(e string) { b.events <- e }
func (b *stoppedBroker) stop()            { close(b.quit) }

func runStoppedBroker() *stoppedBroker {
	b := newStoppedBroker()
	go b.loop()
	b.stop() // ok: the loop is stopped
	return b
}

var _ = noLeak("runStoppedBroker", func() { runStoppedBroker() })
