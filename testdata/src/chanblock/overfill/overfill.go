package overfill

import "time"

// A buffered channel that nothing live receives from: every send fits
// until the buffer is full, then blocks forever.

type event struct{ id int }

// auditLog queues events for a writer that was never started.
type auditLog struct {
	queue chan event
}

func newAuditLog(size int) *auditLog {
	return &auditLog{queue: make(chan event, size)}
}

// drain would consume the queue; nothing starts it.
func (a *auditLog) drain(write func(event)) {
	for e := range a.queue {
		write(e)
	}
}

func (a *auditLog) record(e event) {
	a.queue <- e // want `send on a\.queue blocks forever once its buffer is full: no live code receives from it, and this send runs without bound`
}

func recordAll(a *auditLog, n int) {
	for i := range n {
		a.record(event{i})
	}
}

var _ = leaks("recordAll past the buffer", func() {
	go recordAll(newAuditLog(4), 10)
})

// startedLog starts its writer: the queue drains.
type startedLog struct {
	queue chan event
}

func newStartedLog(size int, write func(event)) *startedLog {
	l := &startedLog{queue: make(chan event, size)}
	go func() {
		for e := range l.queue {
			write(e)
		}
	}()
	return l
}

func (l *startedLog) record(e event) {
	l.queue <- e // ok: the goroutine newStartedLog starts receives
}

func recordAllStarted(l *startedLog, n int) {
	for i := range n {
		l.record(event{i})
	}
}

func (l *startedLog) close() { close(l.queue) }

var _ = noLeak("recordAllStarted", func() {
	l := newStartedLog(4, func(event) {})
	recordAllStarted(l, 10)
	l.close()
})

// droppingLog drops what does not fit.
type droppingLog struct {
	queue chan event
}

func (l *droppingLog) record(e event) {
	select {
	case l.queue <- e: // ok: a full buffer drops the event instead of blocking
	default:
	}
}

func recordAllDropping(n int) {
	l := &droppingLog{queue: make(chan event, 4)}
	for i := range n {
		l.record(event{i})
	}
}

var _ = noLeak("recordAllDropping", func() { recordAllDropping(10) })

// result keeps one answer that nobody may ask for: one send, one slot.
func startLookup(lookup func() int) {
	res := make(chan int, 1)
	go func() {
		res <- lookup() // ok: one send into one slot never blocks
	}()
}

var _ = noLeak("startLookup", func() { startLookup(func() int { return 1 }) })

// retries pushes every attempt's error into a channel whose reader
// returns after the first.
type retrier struct {
	errs chan error
}

func (r *retrier) run(attempt func() error, n int) {
	for range n {
		if err := attempt(); err != nil {
			r.errs <- err // want `this goroutine blocks forever sending on r\.errs when retryAll returns`
		}
	}
}

func (r *retrier) firstError() error {
	return <-r.errs
}

func retryAll(attempt func() error) {
	r := &retrier{errs: make(chan error, 2)}
	go r.run(attempt, 5)
	// firstError is never called: nothing receives
	time.Sleep(time.Millisecond)
}

var _ = leaks("retryAll", func() {
	retryAll(func() error { return errFailed })
})

type failed struct{}

func (failed) Error() string { return "failed" }

var errFailed error = failed{}

// hub collects acknowledgements that nobody reads.
type hub struct {
	acks chan string
}

func (h *hub) ack(sub string) {
	h.acks <- sub // want `send on h\.acks blocks forever once its buffer is full`
}

func (h *hub) notify(subs []string) {
	for _, s := range subs {
		go h.ack(s)
	}
}

var _ = leaks("hub.notify past the buffer", func() {
	h := &hub{acks: make(chan string, 2)}
	h.notify([]string{"a", "b", "c"})
})

// exported fields are anyone's to drain.
type Queue struct {
	Items chan event
}

func (q *Queue) push(e event) {
	q.Items <- e // ok: Items is exported; code outside the package may receive
}

func fill(q *Queue, n int) {
	for i := range n {
		q.push(event{i})
	}
}

var _ = noLeak("fill with a reader", func() {
	q := &Queue{Items: make(chan event, 2)}
	go func() {
		for range q.Items {
		}
	}()
	fill(q, 5)
	close(q.Items)
})

// tracker records its phases into a buffer nobody reads: it fits as long
// as there are no more phases than slots.
type tracker struct {
	phases chan string
}

func (t *tracker) mark(p string) {
	t.phases <- p // ok: called twice below, into two slots
}

func runTwoPhases() {
	t := &tracker{phases: make(chan string, 2)}
	t.mark("start")
	t.mark("end")
}

var _ = noLeak("runTwoPhases", runTwoPhases)

// stager has one more phase than slots.
type stager struct {
	phases chan string
}

func (s *stager) mark(p string) {
	s.phases <- p // want `send on s\.phases blocks forever once its buffer is full: no live code receives from it, and this send runs 3 times into a buffer of 2`
}

func runThreePhases() {
	s := &stager{phases: make(chan string, 2)}
	s.mark("fetch")
	s.mark("build")
	s.mark("deploy")
}

var _ = leaks("runThreePhases", func() { go runThreePhases() })
