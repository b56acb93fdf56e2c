package a

import (
	"sync"
	"time"
)

// A job queue whose consumers wait on a Cond that Push forgets to
// signal.

type jobQueue struct {
	mu       sync.Mutex
	nonEmpty *sync.Cond
	jobs     []string
}

func NewJobQueue() *jobQueue {
	q := &jobQueue{}
	q.nonEmpty = sync.NewCond(&q.mu)
	return q
}

func (q *jobQueue) Push(job string) {
	q.mu.Lock()
	q.jobs = append(q.jobs, job)
	q.mu.Unlock()
}

func (q *jobQueue) Pop() string {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.jobs) == 0 {
		q.nonEmpty.Wait() // want `^q\.nonEmpty\.Wait blocks forever: no live code calls Signal or Broadcast on q\.nonEmpty, so nothing wakes the goroutine; signal q\.nonEmpty after changing the condition it waits for$`
	}
	job := q.jobs[0]
	q.jobs = q.jobs[1:]
	return job
}

var _ = leaks("jobQueue.Pop", func() {
	q := NewJobQueue()
	go q.Pop()
	time.Sleep(50 * time.Millisecond)
	q.Push("j1")
})

// The same two, signalled.

type jobQueueOK struct {
	mu       sync.Mutex
	nonEmpty *sync.Cond
	jobs     []string
}

func NewJobQueueOK() *jobQueueOK {
	q := &jobQueueOK{}
	q.nonEmpty = sync.NewCond(&q.mu)
	return q
}

func (q *jobQueueOK) Push(job string) {
	q.mu.Lock()
	q.jobs = append(q.jobs, job)
	q.mu.Unlock()
	q.nonEmpty.Signal()
}

func (q *jobQueueOK) Pop() string {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.jobs) == 0 {
		q.nonEmpty.Wait() // ok: Push signals it
	}
	job := q.jobs[0]
	q.jobs = q.jobs[1:]
	return job
}

var _ = noLeak("jobQueueOK.Pop", func() {
	q := NewJobQueueOK()
	go q.Pop()
	time.Sleep(20 * time.Millisecond)
	q.Push("j1")
})

func RunBatchOK(jobs []func()) {
	var mu sync.Mutex
	allDone := sync.NewCond(&mu)
	pending := len(jobs)
	for _, job := range jobs {
		go func() {
			job()
			mu.Lock()
			pending--
			mu.Unlock()
			allDone.Broadcast()
		}()
	}
	wait := func() {
		mu.Lock()
		for pending > 0 {
			allDone.Wait() // ok: every worker broadcasts
		}
		mu.Unlock()
	}
	wait()
}

var _ = noLeak("RunBatchOK", func() {
	RunBatchOK([]func(){func() { time.Sleep(20 * time.Millisecond) }})
})

// A worker pool whose only Broadcast is in stop, which nothing calls:
// the waiters in Idle are never woken.

type workerPool struct {
	mu      sync.Mutex
	drained *sync.Cond
	busy    int
	stopped bool
}

func NewWorkerPool() *workerPool {
	p := &workerPool{}
	p.drained = sync.NewCond(&p.mu)
	return p
}

func (p *workerPool) Begin() {
	p.mu.Lock()
	p.busy++
	p.mu.Unlock()
}

func (p *workerPool) End() {
	p.mu.Lock()
	p.busy--
	p.mu.Unlock()
}

// stop would wake the waiters, but no live code calls it.
func (p *workerPool) stop() {
	p.mu.Lock()
	p.stopped = true
	p.mu.Unlock()
	p.drained.Broadcast()
}

func (p *workerPool) Idle() {
	p.mu.Lock()
	for p.busy > 0 && !p.stopped {
		p.drained.Wait() // want `^p\.drained\.Wait blocks forever: no live code calls Signal or Broadcast on p\.drained, so nothing wakes the goroutine; signal p\.drained after changing the condition it waits for$`
	}
	p.mu.Unlock()
}

var _ = leaks("workerPool.Idle", func() {
	p := NewWorkerPool()
	p.Begin()
	go p.Idle()
	time.Sleep(50 * time.Millisecond)
	p.End()
})
