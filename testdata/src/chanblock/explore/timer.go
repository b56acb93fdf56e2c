package explore

import (
	"sync"
	"time"
)

// time.AfterFunc runs its function in a goroutine of its own once the
// timer fires, unless Stop comes first; Stop returning false says the
// function has run or is running. A caller that stops the timer and
// gives up must still take what the function delivers when Stop was too
// late.

func slowLookup() {}

// RunDeadlineReply gives a lookup a deadline: when the timer fires first,
// its function reports the timeout on reply. The caller reads Stop's
// result backwards: it waits for the timeout when Stop prevented it, and
// leaves when the function has run, which then never delivers.
func RunDeadlineReply() {
	reply := make(chan string)
	t := time.AfterFunc(time.Millisecond, func() {
		reply <- "timeout" // want `^this goroutine \(goroutine \d, started at line \d+\) blocks here forever on a schedule of RunDeadlineReply \(below\): no goroutine that can still run can reach reply to receive from it$`
	})
	slowLookup()
	time.Sleep(20 * time.Millisecond)
	if t.Stop() {
		<-reply // want `^RunDeadlineReply blocks here forever on a schedule of RunDeadlineReply \(below\): no goroutine that can still run can reach reply to send on or close it$`
	}
}

var _ = leaks("RunDeadlineReply", RunDeadlineReply)

// RunDeadlineReplyDrained receives the timeout when Stop was too late.
func RunDeadlineReplyDrained() {
	reply := make(chan string)
	t := time.AfterFunc(time.Millisecond, func() {
		reply <- "timeout"
	})
	slowLookup()
	time.Sleep(20 * time.Millisecond)
	if !t.Stop() {
		<-reply
	}
}

var _ = noLeak("RunDeadlineReplyDrained", RunDeadlineReplyDrained)

// A debouncer re-arms one timer for each event; the flush it runs takes
// the debouncer's lock and hands the count on. Reset returning false
// (the flush has run) is not looked at: after two events and a Stop that
// prevented the second flush, the first one's count is never taken.
type debouncer struct {
	mu      sync.Mutex
	t       *time.Timer
	pending int
	flushed chan int
}

func (d *debouncer) flush() {
	d.mu.Lock()
	n := d.pending
	d.pending = 0
	d.mu.Unlock()
	d.flushed <- n // want `^this goroutine \(goroutine \d, started at line \d+\) blocks here forever on a schedule of RunDebounceStop \(below\): no goroutine that can still run can reach d\.flushed to receive from it$`
}

func (d *debouncer) event() {
	d.mu.Lock()
	d.pending++
	if d.t == nil {
		d.t = time.AfterFunc(time.Millisecond, d.flush)
	} else {
		d.t.Reset(time.Millisecond)
	}
	d.mu.Unlock()
}

func (d *debouncer) stop() {
	d.mu.Lock()
	stopped := d.t.Stop()
	d.mu.Unlock()
	if !stopped {
		<-d.flushed
	}
}

// RunDebounceStop: the timer fires after the first event, Reset arms it
// again for the second, Stop prevents that one, and the first flush
// waits forever on d.flushed. (It leaks only on that schedule.)
func RunDebounceStop() {
	d := &debouncer{flushed: make(chan int)}
	d.event()
	d.event()
	d.stop()
}

// RunDebounceStopBuffered gives each possible flush room in the buffer.
func RunDebounceStopBuffered() {
	d := &debouncer{flushed: make(chan int, 2)}
	d.event()
	d.event()
	d.stop()
}

var _ = noLeak("RunDebounceStopBuffered", RunDebounceStopBuffered)
