package explore

import "sync"

// Slices built with append are kept element by element: a work queue
// whose consumers wait on a Cond until the queue holds an item, and a
// set of workers appended one by one and then started and stopped by
// ranging over the slice.

type workQueue struct {
	mu    sync.Mutex
	cond  *sync.Cond
	items []string
}

func newWorkQueue() *workQueue {
	q := &workQueue{}
	q.cond = sync.NewCond(&q.mu)
	return q
}

// push appends a job and wakes no one: it is for queues filled before
// their consumers start.
func (q *workQueue) push(job string) {
	q.mu.Lock()
	q.items = append(q.items, job)
	q.mu.Unlock()
}

// pushNotify appends a job and wakes a waiting consumer.
func (q *workQueue) pushNotify(job string) {
	q.mu.Lock()
	q.items = append(q.items, job)
	q.cond.Signal()
	q.mu.Unlock()
}

// next waits for a job and takes the last one.
func (q *workQueue) next() string {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.cond.Wait() // want `^this goroutine \(goroutine \d, started at line \d+\) blocks here forever on a schedule of RunQueueEmpty \(below\): no goroutine that can still run signals q\.cond$`
	}
	job := q.items[len(q.items)-1]
	q.items = q.items[:len(q.items)-1]
	return job
}

// nextJob is next for the look-alikes: the explorer reports a blocking
// line once, so they wait at lines of their own.
func (q *workQueue) nextJob() string {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.cond.Wait() // ok: a job was pushed before, or is pushed with a Signal
	}
	job := q.items[len(q.items)-1]
	q.items = q.items[:len(q.items)-1]
	return job
}

func (q *workQueue) nextLate() string {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.cond.Wait() // want `^this goroutine \(goroutine \d, started at line \d+\) blocks here forever on a schedule of RunQueueLateFill \(below\): no goroutine that can still run signals q\.cond$`
	}
	job := q.items[len(q.items)-1]
	q.items = q.items[:len(q.items)-1]
	return job
}

// RunQueueEmpty starts a consumer on a queue nothing fills.
func RunQueueEmpty() {
	q := newWorkQueue()
	go q.next()
}

var _ = leaks("RunQueueEmpty", RunQueueEmpty)

func RunQueuePrefilled() {
	q := newWorkQueue()
	q.push("index") // ok: the consumer finds the job and does not wait
	go q.nextJob()
}

var _ = noLeak("RunQueuePrefilled", RunQueuePrefilled)

// RunQueueLateFill pushes after the consumer started, without a Signal:
// a consumer already waiting is never woken.
func RunQueueLateFill() {
	q := newWorkQueue()
	go q.nextLate()
	q.push("index")
}

func RunQueueLateFillNotify() {
	q := newWorkQueue()
	go q.nextJob()
	q.pushNotify("index") // ok: wakes the consumer if it waits
}

var _ = noLeak("RunQueueLateFillNotify", RunQueueLateFillNotify)

// Two consumers, two jobs pushed before either starts: each finds one.
func RunQueueTwoPrefilled() {
	q := newWorkQueue()
	for _, job := range []string{"index", "compact"} {
		q.push(job)
	}
	go q.nextJob()
	go q.nextJob()
}

var _ = noLeak("RunQueueTwoPrefilled", RunQueueTwoPrefilled)
