package a

import (
	"context"
	"sync"
)

// A same-package method returning a stored cancel func is a getter, not a
// constructor: its summary says the result is not fresh, so discarding it
// is not reported (k8s certificate_manager.go).

type certManager struct {
	mu         sync.Mutex
	lastCancel context.CancelFunc
	lastReq    string
}

func (m *certManager) getLastRequest() (context.CancelFunc, string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.lastCancel, m.lastReq
}

func (m *certManager) setLastRequest(cancel context.CancelFunc, r string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.lastCancel, m.lastReq = cancel, r
}

func (m *certManager) rotate(ctx context.Context) {
	ctx, cancel := context.WithCancel(ctx) // ok: handed to setLastRequest, which stores it
	m.setLastRequest(cancel, "req")
	useCtx(ctx)
}

func (m *certManager) changed(tmpl string) bool {
	_, last := m.getLastRequest() // ok: a getter's result, not a fresh cancel
	return last != tmpl
}

func (m *certManager) stop() {
	if cancel, _ := m.getLastRequest(); cancel != nil {
		cancel()
	}
}
