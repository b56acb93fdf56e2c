package a

import (
	"context"
	"log"
	"net"
	"time"
)

// Selects that can never proceed: every case on a channel variable declared
// and never assigned, or no case at all, in a goroutine.

type Conn struct {
	Addr string
	ping func() error
}

// startHeartbeat lost the lines that made ticks and stop: the select waits
// on two nil channels.
func startHeartbeat(c *Conn) {
	var ticks <-chan time.Time
	var stop chan struct{}
	go func() {
		for {
			select { // want `select blocks forever: every case is on a nil channel`
			case <-ticks:
				if err := c.ping(); err != nil {
					log.Printf("heartbeat %s: %v", c.Addr, err)
				}
			case <-stop:
				return
			}
		}
	}()
}

var _ = leaks("startHeartbeat", func() { startHeartbeat(&Conn{"db:5432", func() error { return nil }}) })

// serveDebug registers its handlers and parks the goroutine for good.
func serveDebug(ln net.Listener, register func(net.Listener)) {
	go func() {
		register(ln)
		select {} // want `empty select blocks this goroutine forever`
	}()
}

var _ = leaks("serveDebug", func() { serveDebug(nil, func(net.Listener) {}) })

// keepAlive is started with go by startKeepAlive.
func keepAlive(c *Conn) {
	log.Printf("keeping %s alive", c.Addr)
	select {} // want `empty select blocks this goroutine forever`
}

func startKeepAlive(c *Conn) {
	go keepAlive(c)
}

var _ = leaks("startKeepAlive", func() { startKeepAlive(&Conn{Addr: "cache:6379"}) })

// waitReply never sees a retry: the retry case is dead, though the select
// still proceeds on the others. A bug, not a leak: registered as noLeak.
func waitReply(ctx context.Context, replies <-chan string) (string, error) {
	var retry <-chan time.Time
	select {
	case r := <-replies:
		return r, nil
	case <-retry: // want `nil channel retry can never proceed`
		return "", context.DeadlineExceeded
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

var _ = noLeak("waitReply", func() {
	replies := make(chan string, 1)
	replies <- "pong"
	waitReply(context.Background(), replies)
})
