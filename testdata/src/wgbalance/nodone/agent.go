package nodone

import (
	"context"
	"sync"
)

// An agent whose heartbeat counts itself down when the agent's context
// is cancelled, and whose stop would cancel it: nothing calls stop.

type agent struct {
	wg     sync.WaitGroup
	ctx    context.Context
	cancel context.CancelFunc
	beats  int
}

func newAgent() *agent {
	ctx, cancel := context.WithCancel(context.Background())
	return &agent{ctx: ctx, cancel: cancel}
}

func (a *agent) heartbeat() {
	<-a.ctx.Done()
	a.wg.Done()
}

func (a *agent) stop() { a.cancel() }

func (a *agent) drained() {
	a.wg.Wait() // want `Wait blocks forever: the Add at line \d+ is never balanced: the Done at line \d+ is never reached: it follows an operation that never proceeds at line \d+`
	a.beats = 0
}

func runAgent() *agent {
	a := newAgent()
	a.wg.Add(1)
	go a.heartbeat()
	go a.drained()
	return a
}

var _ = leaks("runAgent", func() { runAgent() })

type stoppedAgent struct {
	wg     sync.WaitGroup
	ctx    context.Context
	cancel context.CancelFunc
	beats  int
}

func newStoppedAgent() *stoppedAgent {
	ctx, cancel := context.WithCancel(context.Background())
	return &stoppedAgent{ctx: ctx, cancel: cancel}
}

func (a *stoppedAgent) heartbeat() {
	<-a.ctx.Done()
	a.wg.Done()
}

func (a *stoppedAgent) stop() { a.cancel() }

func (a *stoppedAgent) drained() {
	a.wg.Wait() // ok: stop cancels the context, the heartbeat counts itself down
	a.beats = 0
}

func runStoppedAgent() *stoppedAgent {
	a := newStoppedAgent()
	a.wg.Add(1)
	go a.heartbeat()
	go a.drained()
	a.stop() // ok: the agent is stopped
	return a
}

var _ = noLeak("runStoppedAgent", func() { runStoppedAgent() })
