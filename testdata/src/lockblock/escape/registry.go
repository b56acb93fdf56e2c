package escape

import (
	"errors"
	"sync"
	"time"
)

// A service registry: the correct lock shapes that look most like the
// findings.

type instance struct {
	addr string
	seen time.Time
}

type Registry struct {
	mu        sync.Mutex
	instances map[string]*instance
	version   int
}

func NewRegistry() *Registry { return &Registry{instances: map[string]*instance{}} }

// Heartbeat locks, unlocks, and locks again.
func (r *Registry) Heartbeat(name, addr string) {
	r.mu.Lock()
	in, ok := r.instances[name]
	r.mu.Unlock()
	if !ok {
		in = &instance{addr: addr}
	}
	r.mu.Lock() // ok: unlocked at line 29
	in.seen = time.Now()
	r.instances[name] = in
	r.mu.Unlock()
}

var _ = noLeak("Registry.Heartbeat", func() { NewRegistry().Heartbeat("api", ":80") })

// Lookup defers the Unlock and returns early.
func (r *Registry) Lookup(name string) (string, bool) {
	r.mu.Lock() // ok: the deferred Unlock runs on every return
	defer r.mu.Unlock()
	in, ok := r.instances[name]
	if !ok {
		return "", false
	}
	return in.addr, true
}

var _ = noLeak("Registry.Lookup", func() { NewRegistry().Lookup("api") })

// Deregister calls a helper that expects r.mu held.
func (r *Registry) Deregister(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.removeLocked(name) // ok: removeLocked takes no lock
}

// removeLocked expects r.mu held.
func (r *Registry) removeLocked(name string) {
	delete(r.instances, name)
	r.version++
}

var _ = noLeak("Registry.Deregister", func() { NewRegistry().Deregister("api") })

// Expire takes the lock unless its caller says it holds it already.
func (r *Registry) expire(ttl time.Duration, locked bool) int {
	if !locked {
		r.mu.Lock()
		defer r.mu.Unlock()
	}
	n := 0
	for name, in := range r.instances {
		if time.Since(in.seen) > ttl {
			delete(r.instances, name)
			n++
		}
	}
	return n
}

func (r *Registry) Expire(ttl time.Duration) int { return r.expire(ttl, false) }

func (r *Registry) Snapshot(ttl time.Duration) map[string]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.expire(ttl, true) // ok: locked=true, expire does not lock
	out := map[string]string{}
	for name, in := range r.instances {
		out[name] = in.addr
	}
	return out
}

var _ = noLeak("Registry.Snapshot", func() {
	r := NewRegistry()
	r.Expire(time.Minute)
	r.Snapshot(time.Minute)
})

// lock and unlock are helpers that return holding the lock by design:
// no path of lock unlocks.
func (r *Registry) lock()   { r.mu.Lock() } // ok: a lock helper, by design
func (r *Registry) unlock() { r.mu.Unlock() }

func (r *Registry) Version() int {
	r.lock()
	defer r.unlock()
	return r.version
}

var _ = noLeak("Registry.Version", func() { NewRegistry().Version() })

// reserve returns nil holding the lock: the caller unlocks.
func (r *Registry) reserve(name string) error {
	r.mu.Lock() // ok: returns nil holding it, its protocol; the error path unlocks
	if _, dup := r.instances[name]; dup {
		r.mu.Unlock()
		return errors.New("duplicate " + name)
	}
	return nil
}

func (r *Registry) Add(name, addr string) error {
	if err := r.reserve(name); err != nil {
		return err
	}
	r.instances[name] = &instance{addr: addr, seen: time.Now()}
	r.mu.Unlock()
	return nil
}

// tryLockOpen returns true holding the lock.
func (r *Registry) tryLockOpen() bool {
	r.mu.Lock() // ok: returns true holding it; the false path unlocks
	if r.instances == nil {
		r.mu.Unlock()
		return false
	}
	return true
}

func (r *Registry) Count() int {
	if !r.tryLockOpen() {
		return 0
	}
	defer r.mu.Unlock()
	return len(r.instances)
}

var _ = noLeak("Registry.Add", func() {
	r := NewRegistry()
	r.Add("api", ":80")
	r.Add("api", ":81")
	r.Count()
	r.Count()
})

// Touch locks only when asked to and unlocks under the same condition.
func (r *Registry) Touch(name string, sync bool) {
	if sync {
		r.mu.Lock() // ok: unlocked under the same condition
	}
	if in := r.instances[name]; in != nil {
		in.seen = time.Now()
	}
	if sync {
		r.mu.Unlock()
	}
}

var _ = noLeak("Registry.Touch", func() {
	r := NewRegistry()
	r.Touch("api", true)
	r.Touch("api", true)
})

// Import locks only for a batch big enough to be worth guarding, and
// unlocks under the same condition.
func (r *Registry) Import(batch map[string]string) {
	big := len(batch) > 16
	if big {
		r.mu.Lock() // ok: unlocked under the same condition, big
	}
	for name, addr := range batch {
		r.instances[name] = &instance{addr: addr, seen: time.Now()}
	}
	if big {
		r.mu.Unlock()
	}
}

var _ = noLeak("Registry.Import", func() {
	r := NewRegistry()
	batch := map[string]string{}
	for i := range 20 {
		batch[string(rune('a'+i))] = ":80"
	}
	r.Import(batch)
	r.Import(batch)
})
