package counterpart

import (
	"context"
	"time"
)

// A session whose context nothing cancels: the cancel func is dropped at
// the WithCancel.

type session struct {
	ctx  context.Context
	user string
}

func newSession(user string) *session {
	ctx, _ := context.WithCancel(context.Background())
	return &session{ctx: ctx, user: user}
}

func (s *session) expire(logout func(string)) {
	<-s.ctx.Done() // want `receive from s\.ctx\.Done\(\) blocks forever: no live code cancels the context( \(its cancel func is discarded\))?$`
	logout(s.user)
}

func login(user string) *session {
	s := newSession(user)
	go s.expire(func(string) {})
	return s
}

var _ = leaks("login", func() { login("ana") })

type timedSession struct {
	ctx  context.Context
	user string
}

func newTimedSession(user string) *timedSession {
	ctx, _ := context.WithTimeout(context.Background(), time.Millisecond) // ok: the deadline cancels it
	return &timedSession{ctx: ctx, user: user}
}

func (s *timedSession) expire(logout func(string)) {
	<-s.ctx.Done() // ok: done when the timeout fires
	logout(s.user)
}

func loginTimed(user string) *timedSession {
	s := newTimedSession(user)
	go s.expire(func(string) {})
	return s
}

var _ = noLeak("loginTimed", func() { loginTimed("ana") })

// A watcher that keeps its cancel func in a field, and a close method
// that calls it, which nothing calls.

type watcher struct {
	ctx    context.Context
	cancel context.CancelFunc
	paths  []string
}

func newWatcher(paths []string) *watcher {
	ctx, cancel := context.WithCancel(context.Background())
	return &watcher{ctx: ctx, cancel: cancel, paths: paths}
}

func (w *watcher) loop() {
	<-w.ctx.Done() // want `receive from w\.ctx\.Done\(\) blocks forever: no live code cancels the context; the cancel call at line \d+ is never reached: nothing calls watcher\.close`
	w.paths = nil
}

func (w *watcher) close() { w.cancel() }

func watch(paths []string) {
	w := newWatcher(paths)
	go w.loop()
}

var _ = leaks("watch", func() { watch([]string{"/etc/app.conf"}) })

type closedWatcher struct {
	ctx    context.Context
	cancel context.CancelFunc
	paths  []string
}

func newClosedWatcher(paths []string) *closedWatcher {
	ctx, cancel := context.WithCancel(context.Background())
	return &closedWatcher{ctx: ctx, cancel: cancel, paths: paths}
}

func (w *closedWatcher) loop() {
	<-w.ctx.Done() // ok: close cancels the context
	w.paths = nil
}

func (w *closedWatcher) close() { w.cancel() }

func watchOnce(paths []string) {
	w := newClosedWatcher(paths)
	go w.loop()
	w.close() // ok: the watcher is closed
}

var _ = noLeak("watchOnce", func() { watchOnce([]string{"/etc/app.conf"}) })
