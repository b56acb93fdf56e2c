package interproc

import (
	"sort"
	"sync"
)

// A prefix index: Insert recurses on the receiver it holds locked when it
// has just made the children map; the recursion on a child is fine.

type Index struct {
	mu   sync.Mutex
	kids map[byte]*Index
	end  bool
}

func (t *Index) Insert(s string) {
	t.mu.Lock() // want `^t\.mu is locked again here, by t\.Insert called at line 26 of Insert, while the goroutine still holds it since line 18 and sync\.Mutex is not reentrant: it blocks forever; call t\.Insert after unlocking, or give it a variant that expects the lock held \(a deferred Unlock runs only when the function returns\)$`
	defer t.mu.Unlock()
	if s == "" {
		t.end = true
		return
	}
	if t.kids == nil {
		t.kids = map[byte]*Index{}
		t.Insert(s) // deadlocks: reported at Insert's own Lock
		return
	}
	k := t.kids[s[0]]
	if k == nil {
		k = &Index{}
		t.kids[s[0]] = k
	}
	k.Insert(s[1:]) // ok: a child's mutex
}

var _ = leaks("Index.Insert", func() { go new(Index).Insert("ab") })

// InsertOK makes the map at construction and recurses only on children.
func (t *Index) InsertOK(s string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if s == "" {
		t.end = true
		return
	}
	k := t.kids[s[0]]
	if k == nil {
		k = &Index{kids: map[byte]*Index{}}
		t.kids[s[0]] = k
	}
	k.InsertOK(s[1:]) // ok: a child's mutex
}

var _ = noLeak("Index.InsertOK", func() { (&Index{kids: map[byte]*Index{}}).InsertOK("ab") })

// Tally counts words through a closure over a local mutex, called while
// Tally holds that mutex to sort.
func Tally(words []string) []string {
	var mu sync.Mutex
	counts := map[string]int{}
	add := func(w string) {
		mu.Lock() // want `^mu is locked again here, by add called at line 69 of Tally, while the goroutine still holds it since line 67 and sync\.Mutex is not reentrant: it blocks forever; call add after unlocking, or give it a variant that expects the lock held$`
		counts[w]++
		mu.Unlock()
	}
	mu.Lock()
	for _, w := range words {
		add(w) // deadlocks: reported at the closure's Lock
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	mu.Unlock()
	sort.Strings(keys)
	return keys
}

var _ = leaks("Tally", func() { go Tally([]string{"a", "b", "a"}) })

func TallyOK(words []string) []string {
	var mu sync.Mutex
	counts := map[string]int{}
	add := func(w string) {
		mu.Lock()
		counts[w]++
		mu.Unlock()
	}
	for _, w := range words {
		add(w) // ok: Tally holds no lock here
	}
	mu.Lock()
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	mu.Unlock()
	sort.Strings(keys)
	return keys
}

var _ = noLeak("TallyOK", func() { TallyOK([]string{"a", "b", "a"}) })
