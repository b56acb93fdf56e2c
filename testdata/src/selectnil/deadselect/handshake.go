package deadselect

// A two-step handshake: the client waits for the server's hello before it
// acknowledges, and the server waits for that acknowledgement. Nothing
// greets, and nothing aborts: the client's select never proceeds, and the
// server's ack follows it.

type handshake struct {
	hello chan string
	ack   chan struct{}
	abort chan struct{}
	peer  string
}

func newHandshake() *handshake {
	return &handshake{hello: make(chan string), ack: make(chan struct{}), abort: make(chan struct{})}
}

func (h *handshake) client() {
	select { // want `select blocks forever: no case can ever proceed \(nothing live sends on or closes h\.hello; nothing live sends on or closes h\.abort\)`
	case h.peer = <-h.hello:
	case <-h.abort:
		return
	}
	h.ack <- struct{}{}
}

func (h *handshake) server() {
	select { // want `select blocks forever: no case can ever proceed \(nothing live sends on or closes h\.ack; nothing live sends on or closes h\.abort\)`
	case <-h.ack:
	case <-h.abort:
	}
}

func (h *handshake) greet(name string) { h.hello <- name }
func (h *handshake) cancel()           { close(h.abort) }

func connect() *handshake {
	h := newHandshake()
	go h.client()
	go h.server()
	return h
}

var _ = leaks("connect", func() { connect() })

type greetedHandshake struct {
	hello chan string
	ack   chan struct{}
	abort chan struct{}
	peer  string
}

func newGreetedHandshake() *greetedHandshake {
	return &greetedHandshake{hello: make(chan string), ack: make(chan struct{}), abort: make(chan struct{})}
}

func (h *greetedHandshake) client() {
	select { // ok: greet sends on h.hello
	case h.peer = <-h.hello:
	case <-h.abort:
		return
	}
	h.ack <- struct{}{}
}

func (h *greetedHandshake) server() {
	select { // ok: the client acknowledges once greeted
	case <-h.ack:
	case <-h.abort:
	}
}

func (h *greetedHandshake) greet(name string) { h.hello <- name }
func (h *greetedHandshake) cancel()           { close(h.abort) }

func connectGreeted() *greetedHandshake {
	h := newGreetedHandshake()
	go h.client()
	go h.server()
	h.greet("db-1") // ok: the server says hello
	return h
}

var _ = noLeak("connectGreeted", func() { connectGreeted() })
