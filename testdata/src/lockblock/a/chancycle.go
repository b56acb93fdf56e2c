package a

import (
	"sync"
	"time"
)

// A pub/sub hub whose publisher holds h.mu across the send and whose
// subscriber holds it across the receive: whichever takes h.mu first
// waits on the channel for the other, which waits for h.mu.

type Hub struct {
	mu        sync.Mutex
	events    chan string
	published int
	delivered int
}

func NewHub() *Hub { return &Hub{events: make(chan string)} }

func (h *Hub) Publish(e string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.published++
	h.events <- e // want `^this goroutine sends on h\.events while it holds h\.mu \(locked at line 22\), and every receive from h\.events needs h\.mu first \(line 32 runs holding it, in Next\): whichever takes h\.mu first, the other waits forever; send after unlocking h\.mu$`
}

func (h *Hub) Next() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.delivered++
	return <-h.events // want `^this goroutine receives from h\.events while it holds h\.mu \(locked at line 29\), and every send on or close of h\.events needs h\.mu first \(line 25 runs holding it, in Publish\): whichever takes h\.mu first, the other waits forever; receive after unlocking h\.mu$`
}

var _ = leaks("Hub.Publish+Next", func() {
	h := NewHub()
	go h.Next()
	time.Sleep(10 * time.Millisecond)
	go h.Publish("e1")
})

// The same hub, counting under the lock and using the channel outside.

type HubOK struct {
	mu        sync.Mutex
	events    chan string
	published int
	delivered int
}

func NewHubOK() *HubOK { return &HubOK{events: make(chan string)} }

func (h *HubOK) Publish(e string) {
	h.mu.Lock()
	h.published++
	h.mu.Unlock()
	h.events <- e // ok: sent after the Unlock
}

func (h *HubOK) Next() string {
	h.mu.Lock()
	h.delivered++
	h.mu.Unlock()
	return <-h.events // ok: received after the Unlock
}

var _ = noLeak("HubOK.Publish+Next", func() {
	h := NewHubOK()
	done := make(chan string)
	go func() { done <- h.Next() }()
	time.Sleep(10 * time.Millisecond)
	h.Publish("e1")
	<-done
})
