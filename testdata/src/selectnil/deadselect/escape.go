package deadselect

import "sync"

// Passed to another package's function: an RPC client keeps each call's
// reply channel in a sync.Map until the dispatcher answers it, or gives
// up on shutdown, which nothing here calls. The dispatcher's send goes
// through the map, which the package does not see into: silent.

type rpcClient struct {
	pending sync.Map // call id -> chan string
	closed  chan struct{}
}

func newRPCClient() *rpcClient { return &rpcClient{closed: make(chan struct{})} }

func (c *rpcClient) call(id int, onReply func(string)) {
	reply := make(chan string)
	c.pending.Store(id, reply)
	go func() {
		select { // ok: reply is handed to sync.Map.Store, dispatch answers it
		case r := <-reply:
			onReply(r)
		case <-c.closed:
		}
	}()
}

func (c *rpcClient) dispatch(id int, resp string) {
	if v, ok := c.pending.LoadAndDelete(id); ok {
		v.(chan string) <- resp
	}
}

func (c *rpcClient) shutdown() { close(c.closed) }

var _ = noLeak("rpcClient.call", func() {
	c := newRPCClient()
	c.call(1, func(string) {})
	c.dispatch(1, "pong")
})

// Exported fields: code in other packages may send on In or close Quit,
// so the select is not reported, though here nothing does.

type Relay struct {
	In   chan []byte
	Quit chan struct{}
	n    int
}

func (r *Relay) run() {
	for {
		select { // silent: In and Quit are exported, another package may use them
		case b := <-r.In:
			r.n += len(b)
		case <-r.Quit:
			return
		}
	}
}

func startRelay() *Relay {
	r := &Relay{In: make(chan []byte), Quit: make(chan struct{})}
	go r.run()
	return r
}

var _ = leaks("startRelay", func() { startRelay() })
