package explore

import "sync"

// A connection dispatches each message to a handler from its loop, and
// the handler may close the connection. The stop (close of c.closed) is
// signalled from a callback, so nothing the package shows orders it after
// the send into c.inbox: the counterpart-gone rule alone would claim that
// send blocks once the loop has returned. The explorer runs every
// schedule of the scenario that sends: the send always proceeds, so the
// claim is dropped for it, and what the explorer does see is reported.

type conn struct {
	inbox   chan int
	closed  chan struct{}
	stopped chan struct{}
	once    sync.Once
	onMsg   func(int)
}

func newConn() *conn {
	return &conn{inbox: make(chan int), closed: make(chan struct{}), stopped: make(chan struct{})}
}

func (c *conn) loop() {
	defer close(c.stopped)
	for {
		select {
		case m := <-c.inbox:
			if c.onMsg != nil {
				c.onMsg(m)
			}
		case <-c.closed:
			return
		}
	}
}

// close stops the loop without waiting for it.
func (c *conn) close() { c.once.Do(func() { close(c.closed) }) }

// closeWait stops the loop and waits until it has returned: called from
// the loop itself (through the handler), it waits for its own end.
func (c *conn) closeWait() {
	c.once.Do(func() {
		close(c.closed)
		<-c.stopped // want `^this goroutine \(goroutine \d, started at line \d+\) blocks here forever on a schedule of RunHandlerCloseWait \(below\): no goroutine that can still run can reach c\.stopped to send on or close it$`
	})
}

func RunHandlerCloseWait() {
	go func() {
		c := newConn()
		c.onMsg = func(int) { c.closeWait() }
		go c.loop()
		c.inbox <- 1 // ok: the loop receives it before anything closes c.closed
		<-c.stopped  // want `^this goroutine \(goroutine \d, started at line \d+\) blocks here forever on a schedule of RunHandlerCloseWait \(below\): no goroutine that can still run can reach c\.stopped to send on or close it$`
	}()
}

var _ = leaks("RunHandlerCloseWait", RunHandlerCloseWait)

func RunHandlerClose() {
	go func() {
		c := newConn()
		c.onMsg = func(int) { c.close() }
		go c.loop()
		c.inbox <- 1 // ok: the loop receives it before anything closes c.closed
		<-c.stopped
	}()
}

var _ = noLeak("RunHandlerClose", RunHandlerClose)
