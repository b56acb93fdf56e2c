// Package interproc holds channels that the function making them hands to
// same-package helpers: named workers started with go, and helpers called
// inside a goroutine that do the send or the receive. The finding is at the
// blocking operation, in the helper. Each helper here has one caller, so
// each line is reported at most once.
package interproc

import (
	"context"
	"errors"
	"log"
	"strings"
)

type Item struct {
	SKU string
	Qty int
}

type Request struct {
	ID   int
	Body string
}

var errBadConfig = errors.New("bad config")

// produce sends every item; started by firstInStock.
func produce(out chan<- Item, items []Item) {
	for _, it := range items {
		out <- it // want `blocks forever sending on out`
	}
	close(out)
}

// firstInStock returns the first item in stock and stops receiving.
func firstInStock(items []Item) (Item, bool) {
	out := make(chan Item)
	go produce(out, items)
	for it := range out {
		if it.Qty > 0 {
			return it, true
		}
	}
	return Item{}, false
}

var _ = leaks("firstInStock", func() { firstInStock([]Item{{"a", 1}, {"b", 2}}) })

// reportErr sends err to the collector; called in reload's goroutine.
func reportErr(errc chan<- error, err error) {
	errc <- err // want `blocks forever sending on errc`
}

func check(cfg map[string]string) error {
	if cfg["addr"] == "" {
		return errBadConfig
	}
	return nil
}

// reload checks the config in the background and applies it, but returns
// early when there is nothing to apply.
func reload(cfg map[string]string, apply func(map[string]string)) error {
	errc := make(chan error)
	go func() {
		reportErr(errc, check(cfg))
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

var _ = leaks("reload", func() { reload(nil, func(map[string]string) {}) })

// consume processes requests until reqc is closed; started by dispatch.
func consume(reqc <-chan Request) {
	for r := range reqc { // want `blocks forever receiving from reqc`
		log.Printf("request %d: %d bytes", r.ID, len(r.Body))
	}
}

// dispatch returns on a malformed request without closing reqc.
func dispatch(reqs []Request) error {
	reqc := make(chan Request)
	go consume(reqc)
	for _, r := range reqs {
		if strings.TrimSpace(r.Body) == "" {
			return errors.New("empty request")
		}
		reqc <- r
	}
	close(reqc)
	return nil
}

var _ = leaks("dispatch", func() { dispatch([]Request{{1, "ping"}, {2, " "}}) })

type Server struct {
	name string
}

// handle is a method started as a worker by Serve.
func (s *Server) handle(ctx context.Context, reqc <-chan Request) {
	for r := range reqc { // want `blocks forever receiving from reqc`
		log.Printf("%s: request %d", s.name, r.ID)
	}
}

// Serve returns when ctx is done without closing reqc.
func (s *Server) Serve(ctx context.Context, next func() (Request, bool)) error {
	reqc := make(chan Request)
	go s.handle(ctx, reqc)
	for {
		r, ok := next()
		if !ok {
			close(reqc)
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		reqc <- r
	}
}

func oneRequest() func() (Request, bool) {
	sent := false
	return func() (Request, bool) {
		if sent {
			return Request{}, false
		}
		sent = true
		return Request{1, "ping"}, true
	}
}

func cancelled() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}

var _ = leaks("Server.Serve", func() {
	(&Server{name: "api"}).Serve(cancelled(), oneRequest())
})
