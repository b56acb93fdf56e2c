package a

import "sync"

// Every go statement whose literal starts with wg.Add is reported, as vet's
// waitgroup pass does, wherever the Wait is: in the caller, in another
// method, or nowhere yet.

func spawnFor(wg *sync.WaitGroup, n int, work func()) {
	for i := 0; i < n; i++ {
		go func() {
			wg.Add(1) // want `wg\.Add is called inside the goroutine started at line 11, so a wg\.Wait that runs first may return before it; call wg\.Add before the go statement`
			defer wg.Done()
			work()
		}()
	}
}

type pool struct{ wg sync.WaitGroup }

func (p *pool) start(work func()) {
	go func() {
		p.wg.Add(1) // want `p\.wg\.Add is called inside the goroutine started at line 22, so a p\.wg\.Wait that runs first may return before it; call p\.wg\.Add before the go statement`
		defer p.wg.Done()
		work()
	}()
}

func (p *pool) close() { p.wg.Wait() }

var shutdownWG sync.WaitGroup

func startGlobal(work func()) {
	go func() {
		shutdownWG.Add(1) // want `shutdownWG\.Add is called inside the goroutine started at line 34, which may run after shutdownWG\.Wait at line 39 returns; call shutdownWG\.Add before the go statement`
		defer shutdownWG.Done()
		work()
	}()
	shutdownWG.Wait()
}

// The spawner holds a count until its own goroutine ends: the inner Add
// cannot let Wait return early (vet reports it; wgbalance does not).
func nestedHeld(work func()) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		wg.Add(1) // ok: the spawner Added before the go statement
		go func() { defer wg.Done(); work() }()
		wg.Done()
	}()
	wg.Wait()
}
