package regress

// From std: runtime/pprof/pprof_test.go:1097 (blockSelectSendSync). The
// select has a second case on a channel nothing ever receives from: it
// can never be taken, so the send on c always happens and the goroutine's
// receive is served. The path "the select took the c2 case" does not
// exist.
func unservedCase() {
	c := make(chan bool)
	c2 := make(chan bool)
	go func() {
		<-c // ok: the only case that can proceed sends on c
	}()
	select {
	case c <- true:
	case c2 <- true:
	}
}

var _ = noLeak("unservedCase", unservedCase)
