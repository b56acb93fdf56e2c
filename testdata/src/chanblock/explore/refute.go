package explore

// A server goroutine answers each request on an unbuffered channel; the
// client reads every answer before it stops the server. Counting alone
// (a send in a loop against two receives) would call the answer a send
// that outlives its reader; the explorer runs every schedule of the
// client and the answer never stays blocked, so the claim is dropped.
func echo(reqs, resps chan int, quit chan struct{}) {
	for {
		select {
		case r := <-reqs:
			resps <- r // ok: every request's answer is read before quit closes
		case <-quit:
			return
		}
	}
}

func RunEcho() {
	reqs, resps := make(chan int), make(chan int)
	quit := make(chan struct{})
	go echo(reqs, resps, quit)
	reqs <- 1
	<-resps
	reqs <- 2
	<-resps
	close(quit)
}

var _ = noLeak("RunEcho", RunEcho)
