package escape

import "sync"

// Was a false positive: a mutex used as a hand-off: the producer locks the buffer, fills
// it and sends it; the consumer unlocks it when it has drained it. The
// producer's next turn waits for that Unlock, which another goroutine
// performs, so nothing blocks forever. The loop rule only asks whether a
// path round the loop in this goroutine unlocks; a Lock in a function
// with no Unlock at all whose mutex is sent on a channel (or released by
// another function, cf. model.UnlockedElsewhere, which only the
// unreleased-lock rule consults) is a hand-off, not a double lock. Seen
// in std: sync/rwmutex_test.go:168 (TestRLocker).
//
// Fixed: another function (Consume) unlocks the mutex without locking it, so the Lock is a hand-off and no rule reports it (model.UnlockedElsewhere, consulted by every Lock rule).

type Frame struct {
	mu  sync.Mutex
	seq int
	buf []byte
}

// Produce fills the frame n times, handing it to the consumer each time.
func Produce(f *Frame, out chan<- *Frame, n int) {
	for i := 0; i < n; i++ {
		f.mu.Lock() // ok: Consume unlocks it after the send
		f.seq = i
		f.buf = append(f.buf[:0], byte(i))
		out <- f
	}
}

// Consume drains n frames and releases each.
func Consume(in <-chan *Frame, n int) int {
	sum := 0
	for i := 0; i < n; i++ {
		f := <-in
		sum += int(f.buf[0])
		f.mu.Unlock()
	}
	return sum
}

var _ = noLeak("Produce", func() {
	ch := make(chan *Frame)
	done := make(chan int)
	go func() { done <- Consume(ch, 3) }()
	Produce(new(Frame), ch, 3)
	<-done
})
