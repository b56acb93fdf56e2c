package explore

import "sync"

// A fleet of workers appended to a slice one by one, started and stopped
// by ranging over it: the explorer keeps the slice element by element, so
// it knows which jobs channel each worker ranges over.

type fleetWorker struct {
	jobs chan int
	sum  int
}

func newFleetWorker() *fleetWorker {
	return &fleetWorker{jobs: make(chan int, 1)}
}

func (w *fleetWorker) run(wg *sync.WaitGroup) {
	defer wg.Done()
	for j := range w.jobs {
		w.sum += j
	}
}

// RunFleetStopAfterWait waits for the workers before closing their
// queues, in a goroutine of its own: the workers range until their
// queue is closed, so the stopper waits forever.
func RunFleetStopAfterWait() {
	var ws []*fleetWorker
	for i := 0; i < 2; i++ {
		ws = append(ws, newFleetWorker())
	}
	var wg sync.WaitGroup
	for i, w := range ws {
		wg.Add(1)
		go w.run(&wg)
		w.jobs <- i
	}
	go func() {
		wg.Wait() // want `^this goroutine \(goroutine \d, started at line \d+\) blocks here forever on a schedule of RunFleetStopAfterWait \(below\): no goroutine that can still run calls wg\.Done$`
		for _, w := range ws {
			close(w.jobs)
		}
	}()
}

var _ = leaks("RunFleetStopAfterWait", RunFleetStopAfterWait)

func RunFleetStop() {
	var ws []*fleetWorker
	for i := 0; i < 2; i++ {
		ws = append(ws, newFleetWorker())
	}
	var wg sync.WaitGroup
	for i, w := range ws {
		wg.Add(1)
		go w.run(&wg)
		w.jobs <- i
	}
	go func() {
		for _, w := range ws {
			close(w.jobs) // ok: the queues are closed before the wait
		}
		wg.Wait()
	}()
}

var _ = noLeak("RunFleetStop", RunFleetStop)

// RunFleetStopFirst closes only the first worker's queue, as if the
// fleet had one worker: the worker appended second never stops.
func RunFleetStopFirst() {
	var ws []*fleetWorker
	for i := 0; i < 2; i++ {
		ws = append(ws, newFleetWorker())
	}
	var wg sync.WaitGroup
	for _, w := range ws {
		wg.Add(1)
		go w.run(&wg)
	}
	go func() {
		close(ws[0].jobs)
		wg.Wait() // want `^this goroutine \(goroutine \d, started at line \d+\) blocks here forever on a schedule of RunFleetStopFirst \(below\): no goroutine that can still run calls wg\.Done$`
	}()
}

var _ = leaks("RunFleetStopFirst", RunFleetStopFirst)

func RunFleetStopEach() {
	var ws []*fleetWorker
	for i := 0; i < 2; i++ {
		ws = append(ws, newFleetWorker())
	}
	var wg sync.WaitGroup
	for _, w := range ws {
		wg.Add(1)
		go w.run(&wg)
	}
	go func() {
		for _, w := range ws { // ok: every worker appended is stopped
			close(w.jobs)
		}
		wg.Wait()
	}()
}

var _ = noLeak("RunFleetStopEach", RunFleetStopEach)
