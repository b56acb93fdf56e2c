//go:build go1.22

package a

import "time"

// A closure deferred before the timer is assigned calls Stop on whatever
// the variable holds at exit (nats jetstream publish.go).
func waitAck(d time.Duration, ack <-chan struct{}) bool {
	var t *time.Timer
	defer func() {
		if t != nil {
			t.Stop()
		}
	}()
	t = time.NewTimer(d) // ok: the deferred closure stops it
	select {
	case <-ack:
		return true
	case <-t.C:
		return false
	}
}
