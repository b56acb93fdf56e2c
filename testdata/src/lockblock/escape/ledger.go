package escape

import (
	"hash/fnv"
	"sync"
	"time"
)

// Accounts, shards, lockers and goroutines: mutexes that look alike but
// are not the one already held.

type Account struct {
	mu      sync.Mutex
	balance int
}

// Transfer locks two accounts of one type (ordered by the caller).
func Transfer(from, to *Account, amount int) {
	from.mu.Lock()
	defer from.mu.Unlock()
	to.mu.Lock() // ok: another Account's mutex
	defer to.mu.Unlock()
	from.balance -= amount
	to.balance += amount
}

var _ = noLeak("Transfer", func() { Transfer(&Account{balance: 10}, &Account{}, 5) })

// A sharded map: one mutex per shard, in a slice.

type shard struct {
	mu sync.Mutex
	m  map[string]int
}

type ShardedMap struct{ shards []shard }

func NewShardedMap(n int) *ShardedMap {
	s := &ShardedMap{shards: make([]shard, n)}
	for i := range s.shards {
		s.shards[i].m = map[string]int{}
	}
	return s
}

func (s *ShardedMap) index(k string) int {
	h := fnv.New32a()
	h.Write([]byte(k))
	return int(h.Sum32() % uint32(len(s.shards)))
}

// Move holds the source shard while it locks the destination's.
func (s *ShardedMap) Move(from, to string) {
	i, j := s.index(from), s.index(to)
	if i == j {
		return
	}
	s.shards[i].mu.Lock()
	defer s.shards[i].mu.Unlock()
	s.shards[j].mu.Lock() // ok: another shard (i != j)
	defer s.shards[j].mu.Unlock()
	s.shards[j].m[to] = s.shards[i].m[from]
	delete(s.shards[i].m, from)
}

var _ = noLeak("ShardedMap.Move", func() { NewShardedMap(8).Move("a", "b") })

// Guarded runs f under any sync.Locker, twice.
type Guarded struct {
	L    sync.Locker
	runs int
}

func (g *Guarded) Run(f func()) {
	g.L.Lock()
	f()
	g.runs++
	g.L.Unlock()
	g.L.Lock() // ok: unlocked just before; the Locker has no key anyway
	g.runs++
	g.L.Unlock()
}

var _ = noLeak("Guarded.Run", func() { (&Guarded{L: new(sync.Mutex)}).Run(func() {}) })

// A flusher that hands its lock to the goroutine that writes.

type Flusher struct {
	mu   sync.Mutex
	buf  []byte
	sent int
}

func (f *Flusher) Flush() {
	f.mu.Lock() // ok: the goroutine unlocks it
	go func() {
		defer f.mu.Unlock()
		f.sent += len(f.buf)
		f.buf = f.buf[:0]
	}()
}

func (f *Flusher) Write(p []byte) {
	f.mu.Lock() // ok: waits for the flushing goroutine only
	f.buf = append(f.buf, p...)
	f.mu.Unlock()
}

var _ = noLeak("Flusher.Flush", func() {
	f := new(Flusher)
	f.Flush()
	f.Write([]byte("x"))
})

// A config read under RLock by two goroutines at once.

type Config struct {
	mu      sync.RWMutex
	values  map[string]string
	updated time.Time
}

func (c *Config) Get(k string) string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.values[k]
}

func (c *Config) GetAll(keys []string) []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]string, len(keys))
	var wg sync.WaitGroup
	for i, k := range keys {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = c.Get(k) // ok: another goroutine's read lock
		}()
	}
	wg.Wait()
	return out
}

var _ = noLeak("Config.GetAll", func() {
	c := &Config{values: map[string]string{"a": "1"}}
	c.GetAll([]string{"a", "b"})
})
