package nilchan

import (
	"bufio"
	"errors"
	"io"
	"log"
	"time"
)

// Provably nil channels: a channel variable declared without a value and
// never assigned. A send or receive on it blocks forever, whatever else
// happens. Each function runs the operation in a goroutine, as the code it
// is modelled on does, so its caller returns.

// startFlusher was meant to make flush; ranging over nil never starts.
func startFlusher(w *bufio.Writer) {
	var flush chan struct{}
	go func() {
		for range flush { // want `receive from nil channel flush blocks forever`
			w.Flush()
		}
	}()
}

var _ = leaks("startFlusher", func() { startFlusher(bufio.NewWriter(io.Discard)) })

type Service struct {
	run func() error
}

// serveBackground reports the service's exit on errc, which nobody made.
func serveBackground(s *Service) {
	var errc chan error
	go func() {
		errc <- s.run() // want `send on nil channel errc blocks forever`
	}()
	log.Print("service started in the background")
}

var _ = leaks("serveBackground", func() {
	serveBackground(&Service{run: func() error { return errors.New("stopped") }})
})

// cleanupOnShutdown waits for a shutdown signal on a channel left nil.
func cleanupOnShutdown(cleanup func()) {
	var shutdown chan struct{}
	go func() {
		<-shutdown // want `receive from nil channel shutdown blocks forever`
		cleanup()
	}()
}

var _ = leaks("cleanupOnShutdown", func() { cleanupOnShutdown(func() {}) })

type Event struct {
	At   time.Time
	Name string
}

// publishAsync publishes on a nil channel: the first send blocks.
func publishAsync(events []Event) {
	var out chan<- Event
	go func() {
		for _, e := range events {
			out <- e // want `send on nil channel out blocks forever`
		}
	}()
}

var _ = leaks("publishAsync", func() { publishAsync([]Event{{time.Now(), "start"}}) })
