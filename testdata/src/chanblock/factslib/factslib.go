// Package factslib is another package whose exported functions take
// channels and WaitGroups: leakvet summarises them as facts for callers.
package factslib

import "sync"

// Drain receives every value until ch is closed.
func Drain(ch <-chan int) { // want Drain:`summary\(0:\{recv!\}\)`
	for range ch {
	}
}

// Await blocks until done is closed (or sent on).
func Await(done <-chan struct{}) { // want Await:`summary\(0:\{recv!\}\)`
	<-done
}

// Watch calls f once done is closed, in a goroutine of its own.
func Watch(done <-chan struct{}, f func()) { // want Watch:`summary\(0:\{go recv!\}\)`
	go func() {
		<-done
		f()
	}()
}

// Finish marks one unit of work done.
func Finish(wg *sync.WaitGroup) { // want Finish:`summary\(0:\{done\}\)`
	wg.Done()
}

// Notify sends on ch only when there is something to say.
func Notify(ch chan<- string, msg string) { // want Notify:`summary\(0:\{send\}\)`
	if msg != "" {
		ch <- msg
	}
}

var kept []chan int

// Keep holds on to ch: what happens to it later is anyone's guess.
func Keep(ch chan int) { // no fact: Keep keeps ch
	kept = append(kept, ch)
}

// Limiter is an exported type whose method takes a channel.
type Limiter struct{ n int }

// Acquire takes a token from tokens.
func (l *Limiter) Acquire(tokens <-chan struct{}) { // want Acquire:`summary\(1:\{recv!\}\)`
	<-tokens
	l.n++
}
