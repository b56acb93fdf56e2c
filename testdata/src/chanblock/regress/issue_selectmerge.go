package regress

// selectmerge: the goroutine sends on exactly one of connc/errc (the errc send
// is followed by return). The select receives from whichever it sent on, and
// both arms then fall through to the same return. Whichever case ran, the one
// value sent has been received, so nothing blocks. The pass loses the
// correlation when the select arms merge (if each arm returns, it is not
// reported). (quic-go integrationtests/self/early_data_test.go:35.)
func selectMerge(accept func() (int, error), logf func(error)) int {
	connc := make(chan int)
	errc := make(chan error)
	go func() {
		c, err := accept()
		if err != nil {
			errc <- err // ok: the goroutine sends on one channel, the select takes it
			return
		}
		connc <- c // ok: the goroutine sends on one channel, the select takes it
	}()
	var c int
	select {
	case c = <-connc:
	case err := <-errc:
		logf(err)
	}
	return c
}

var _ = noLeak("selectMerge/err", func() { selectMerge(acceptFails, logNothing) })

var _ = noLeak("selectMerge/conn", func() { selectMerge(acceptOK, logNothing) })

func acceptFails() (int, error) { return 0, errFailed }
func acceptOK() (int, error)    { return 7, nil }
func logNothing(error)          {}

// selectMergeFallthrough is the twin that leaks: without a return after
// the error send, the goroutine then sends on connc too, and the select
// took only one of the two. connc is the send that blocks. errc is
// reported as well, an imprecision: the analysis does not see that the
// goroutine sends on errc before connc, so a select that took connc means
// errc was never sent.
func selectMergeFallthrough(accept func() (int, error), logf func(error)) int {
	connc := make(chan int)
	errc := make(chan error)
	go func() {
		c, err := accept()
		if err != nil {
			errc <- err // want `blocks forever sending on errc`
		}
		connc <- c // want `blocks forever sending on connc`
	}()
	var c int
	select {
	case c = <-connc:
	case err := <-errc:
		logf(err)
	}
	return c
}

var _ = leaks("selectMergeFallthrough", func() { selectMergeFallthrough(acceptFails, logNothing) })
