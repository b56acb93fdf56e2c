package nilchan

import (
	"bufio"
	"io"
	"time"
)

// Channel variables that start nil but are given a channel, or are checked
// before use: all silent.

func startFlusherAssigned(w *bufio.Writer) chan<- struct{} {
	var flush chan struct{}
	flush = make(chan struct{})
	go func() {
		for range flush { // ok: assigned before the goroutine starts
			w.Flush()
		}
	}()
	return flush
}

var _ = noLeak("startFlusherAssigned", func() {
	flush := startFlusherAssigned(bufio.NewWriter(io.Discard))
	flush <- struct{}{}
	close(flush)
})

// publishVerbose sends only when verbose gave out a channel.
func publishVerbose(events []Event, verbose bool, logc chan Event) {
	var out chan Event
	if verbose {
		out = logc
	}
	go func() {
		for _, e := range events {
			if out != nil {
				out <- e // ok: assigned on one path and checked against nil
			}
		}
	}()
}

var _ = noLeak("publishVerbose", func() {
	publishVerbose([]Event{{time.Now(), "start"}}, false, nil)
})

func serveBackgroundMade(s *Service) <-chan error {
	var errc = make(chan error, 1)
	go func() {
		errc <- s.run() // ok: declared with a value, buffered for the only send
	}()
	return errc
}

var _ = noLeak("serveBackgroundMade", func() {
	serveBackgroundMade(&Service{run: func() error { return nil }})
})

type notifier struct {
	shutdown chan struct{}
}

func newNotifier() *notifier { return &notifier{shutdown: make(chan struct{})} }

// cleanupOn waits on a field the constructor made: not a variable declared
// and never assigned.
func (n *notifier) cleanupOn(cleanup func()) {
	go func() {
		<-n.shutdown // ok: a field, made by newNotifier and closed by stop
		cleanup()
	}()
}

func (n *notifier) stop() { close(n.shutdown) }

var _ = noLeak("notifier.cleanupOn", func() {
	n := newNotifier()
	n.cleanupOn(func() {})
	n.stop()
})
