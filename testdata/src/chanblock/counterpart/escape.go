package counterpart

import "sync"

// Passed to another package's function: an RPC client keeps each call's
// reply channel in a sync.Map until the dispatcher answers it. The
// dispatcher's send goes through the map, which the package does not see
// into: silent.

type rpcClient struct {
	pending sync.Map // call id -> chan string
}

func (c *rpcClient) call(id int, onReply func(string)) {
	reply := make(chan string)
	c.pending.Store(id, reply)
	go func() {
		onReply(<-reply) // ok: reply is handed to sync.Map.Store, dispatch answers it
	}()
}

func (c *rpcClient) dispatch(id int, resp string) {
	if v, ok := c.pending.LoadAndDelete(id); ok {
		v.(chan string) <- resp
	}
}

var _ = noLeak("rpcClient.call", func() {
	c := new(rpcClient)
	c.call(1, func(string) {})
	c.dispatch(1, "pong")
})

// An exported field: code in other packages may close Stop, so the wait
// is not reported, though here nothing closes it.

type Pump struct {
	Stop chan struct{}
	n    int
}

func (p *Pump) run() {
	<-p.Stop // silent: Stop is exported, another package may close it
	p.n = 0
}

func startPump() *Pump {
	p := &Pump{Stop: make(chan struct{})}
	go p.run()
	return p
}

var _ = leaks("startPump", func() { startPump() })
