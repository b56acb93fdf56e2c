// Command mainmodel: what main starts lives as long as the process; what
// a handler starts does not.
package main

import (
	"context"
	"net/http"
	"time"
)

func watch(ctx context.Context, events <-chan string) {
	for {
		select {
		case <-ctx.Done(): // ok: main's goroutine; the process ends it
			return
		case e := <-events:
			_ = e
		}
	}
}

var flushed bool

func waitShutdown(ctx context.Context) {
	<-ctx.Done() // ok: main's goroutine; cancel never runs, but the process ends it
	flushed = true
}

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel() // never run: main ends in select {}
	events := make(chan string)
	go watch(ctx, events)
	go waitShutdown(ctx)
	go func() {
		for {
			events <- "tick"
			time.Sleep(time.Second)
		}
	}()
	http.HandleFunc("/", handle)
	select {}
}

type session struct {
	done chan struct{}
}

func (s *session) wait() {
	<-s.done // want `this goroutine blocks forever receiving from s\.done when handle returns`
}

// handle runs per request, not for the life of the process.
func handle(w http.ResponseWriter, r *http.Request) {
	s := &session{done: make(chan struct{})}
	go s.wait()
}
