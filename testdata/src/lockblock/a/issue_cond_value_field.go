package a

import (
	"sync"
	"time"
)

// FN: a Cond held by value in an unexported field (its L set by the
// constructor). The Wait's receiver is the field's address (a FieldAddr),
// not a load of a *sync.Cond field: model.condUsesOf handles only
// `*ssa.UnOp` of a FieldAddr and model.isCondPtr only *sync.Cond fields,
// so the Cond is never "seen" and the Wait is never checked.

type startGate struct {
	mu     sync.Mutex
	opened sync.Cond
	open   bool
}

func NewStartGate() *startGate {
	g := &startGate{}
	g.opened.L = &g.mu
	return g
}

// Open sets the flag but forgets to broadcast.
func (g *startGate) Open() {
	g.mu.Lock()
	g.open = true
	g.mu.Unlock()
}

func (g *startGate) Await() {
	g.mu.Lock()
	for !g.open {
		g.opened.Wait() // TODO(lockblock): want `^g\.opened\.Wait blocks forever: no live code calls Signal or Broadcast on g\.opened, so nothing wakes the goroutine; signal g\.opened after changing the condition it waits for$`
	}
	g.mu.Unlock()
}

var _ = leaks("startGate.Await", func() {
	g := NewStartGate()
	go g.Await()
	time.Sleep(50 * time.Millisecond)
	g.Open()
})
