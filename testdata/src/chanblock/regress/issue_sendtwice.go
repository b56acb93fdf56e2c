package regress

// sendtwice: errc has capacity 1; the goroutine sends at most twice (an
// error, then nil, on the closeCh path) and the caller always receives once
// before returning. One receive plus one buffer slot covers two sends, so no
// send blocks. The report is also placed on the lone send followed by return
// (one send on that path), not on the second send.
// (grpc internal/idle/idle_e2e_test.go:310.)
func sendTwice(check func() error, closeCh <-chan struct{}) error {
	errc := make(chan error, 1)
	go func() {
		if err := check(); err != nil {
			errc <- err // ok: one send on this path
			return
		}
		select {
		case <-closeCh:
			errc <- check() // ok: two sends at most, one receive plus one buffer slot
		default:
		}
		errc <- nil
	}()
	return <-errc
}

var _ = noLeak("sendTwice/err", func() { sendTwice(failing, closedCh()) })

var _ = noLeak("sendTwice/closed", func() { sendTwice(passing, closedCh()) })

var _ = noLeak("sendTwice/open", func() { sendTwice(passing, make(chan struct{})) })

// Twin: unbuffered. On the closeCh path the caller takes the first value
// and the second send (errc <- nil) blocks forever. The pass reports a
// goroutine once, at its first send: the lone send followed by return.
func sendTwiceUnbuffered(check func() error, closeCh <-chan struct{}) error {
	errc := make(chan error)
	go func() {
		if err := check(); err != nil {
			errc <- err // want `blocks forever sending on errc`
			return
		}
		select {
		case <-closeCh:
			errc <- check()
		default:
		}
		errc <- nil
	}()
	return <-errc
}

var _ = leaks("sendTwiceUnbuffered", func() { sendTwiceUnbuffered(passing, closedCh()) })

func passing() error { return nil }

func closedCh() chan struct{} {
	ch := make(chan struct{})
	close(ch)
	return ch
}
