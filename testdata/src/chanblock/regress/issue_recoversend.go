package regress

import "fmt"

// recoversend: errc has capacity 1 and the goroutine sends at most once on
// any execution: the deferred send runs only when work panics, and then the
// normal-path sends (each the goroutine's last statement before return) have
// not run. One send into a buffer of one never blocks, whether or not the
// caller receives. (go-redis maintnotifications/e2e/scenario_push_notifications_test.go:404.)
func recoverSend(work func() bool, giveUp func() bool) error {
	errc := make(chan error, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				errc <- fmt.Errorf("panic: %v", r) // ok: runs only when the sends below did not
			}
		}()
		if !work() {
			errc <- fmt.Errorf("failed") // ok: one send per run, capacity 1
			return
		}
		errc <- nil
	}()
	if giveUp() {
		return nil // does not receive: fine, the one send lands in the buffer
	}
	return <-errc
}

var _ = noLeak("recoverSend/failed", func() { recoverSend(no, yes) })

var _ = noLeak("recoverSend/ok", func() { recoverSend(yes, yes) })

var _ = noLeak("recoverSend/panic", func() { recoverSend(panics, yes) })

// Twin: no return after the failure send, so a failed run sends twice into
// a buffer of one and the second send blocks when the caller gives up.
// The pass reports a goroutine once, at its first send: here the deferred
// one in the recover handler.
func recoverSendTwice(work func() bool, giveUp func() bool) error {
	errc := make(chan error, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				errc <- fmt.Errorf("panic: %v", r) // want `blocks forever sending on errc`
			}
		}()
		if !work() {
			errc <- fmt.Errorf("failed")
		}
		errc <- nil
	}()
	if giveUp() {
		return nil
	}
	return <-errc
}

var _ = leaks("recoverSendTwice", func() { recoverSendTwice(no, yes) })

func panics() bool { panic("work failed") }
