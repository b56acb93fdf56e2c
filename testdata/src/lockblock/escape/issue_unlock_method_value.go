package escape

import (
	"errors"
	"sync"
)

// Was a false positive: the Unlock called through a method value (release := s.mu.Unlock,
// or s.mu.Unlock handed to a helper). The method value is a MakeClosure
// of the synthetic wrapper (*sync.Mutex).Unlock$bound; model.releases
// finds no release in it (the wrapper is not among the model's funcs and
// its one call is not a LockSite of the package), so the search goes on
// past the release and takes the next Lock for a second one.
//
// Fixed: a method value of the mutex (r.mu.Unlock) lets its address go, so any code may release it and the Lock rules stay silent (model.Model.Escapes).

type Reloader struct {
	mu      sync.Mutex
	cfg     map[string]string
	reloads int
}

func (r *Reloader) Reload(next map[string]string) error {
	r.mu.Lock() // ok: every path calls release()
	release := r.mu.Unlock
	if len(next) == 0 {
		release()
		return errors.New("empty config")
	}
	r.cfg = next
	release()
	r.mu.Lock() // ok: release() unlocked it
	r.reloads++
	r.mu.Unlock()
	return nil
}

var _ = noLeak("Reloader.Reload", func() {
	r := new(Reloader)
	r.Reload(nil)
	r.Reload(map[string]string{"a": "1"})
})

// waitFor runs unlock, then waits for the flag outside the lock.
func waitFor(unlock func(), ready func() bool) {
	unlock()
	for !ready() {
	}
}

func (r *Reloader) AwaitConfig() string {
	r.mu.Lock()
	waitFor(r.mu.Unlock, func() bool { return true })
	r.mu.Lock() // ok: waitFor unlocked it
	defer r.mu.Unlock()
	return r.cfg["a"]
}

var _ = noLeak("Reloader.AwaitConfig", func() { new(Reloader).AwaitConfig() })
