package escape

import "sync"

// A recursive read lock on a mutex no other goroutine can reach: no
// writer can come between the two RLocks (std's
// BenchmarkRWMutexUncontended does this on purpose).

func ReadTwice(n int) int {
	var mu sync.RWMutex
	sum := 0
	for i := 0; i < n; i++ {
		mu.RLock()
		mu.RLock() // ok: a local mutex, no other goroutine can write-lock it
		sum += i
		mu.RUnlock()
		mu.RUnlock()
		mu.Lock()
		mu.Unlock()
	}
	return sum
}

var _ = noLeak("ReadTwice", func() { ReadTwice(3) })

// A shared read-only table read-locked twice, with no writer anywhere in
// the package: a recursive RLock deadlocks only with a writer waiting.
type Table struct {
	mu   sync.RWMutex
	rows map[string]int
}

func (t *Table) Sum(keys []string) int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	n := 0
	for _, k := range keys {
		n += t.get(k)
	}
	return n
}

func (t *Table) get(k string) int {
	t.mu.RLock() // ok: nothing in the package write-locks t.mu
	defer t.mu.RUnlock()
	return t.rows[k]
}

var _ = noLeak("Table.Sum", func() { (&Table{rows: map[string]int{"a": 1}}).Sum([]string{"a"}) })
