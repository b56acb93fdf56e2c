package a

import (
	"log"
	"sync"
)

// A Done that no Add matches drives the counter below zero: sync panics
// with "negative WaitGroup counter".

func (s *Store) deleteAll(keys []string) {
	var wg sync.WaitGroup
	for _, k := range keys {
		go func() {
			defer wg.Done() // want `wg\.Done without a matching wg\.Add: the counter goes negative and panics`
			if err := s.Delete(k); err != nil {
				log.Printf("delete %s: %v", k, err)
			}
		}()
	}
	wg.Wait()
}

// Copy-paste: the second phase adds to the first phase's WaitGroup.
func (s *Store) mirror(keys []string, dst *Store) {
	var fetched, stored sync.WaitGroup
	vals := make([][]byte, len(keys))
	for i, k := range keys {
		fetched.Add(1)
		go func() {
			defer fetched.Done()
			vals[i], _ = s.Get(k)
		}()
	}
	fetched.Wait()
	for i, k := range keys {
		fetched.Add(1)
		go func() {
			defer stored.Done() // want `stored\.Done without a matching stored\.Add: the counter goes negative and panics`
			dst.Put(k, vals[i])
		}()
	}
	stored.Wait()
}

// Missing return after the error path's Done.
func processAll(jobs []Job) []Result {
	var wg sync.WaitGroup
	out := make([]Result, len(jobs))
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			res, err := process(j)
			if err != nil {
				log.Printf("job %s: %v", j.ID, err)
				wg.Done()
			}
			out[i] = res
			wg.Done() // want `wg\.Done is called twice on the path through line 56: the counter goes negative and panics`
		}()
	}
	wg.Wait()
	return out
}

// A deferred Done and an explicit one on the error path. The defer
// statement comes first on the path; the finding is at the explicit call,
// the one to delete.
func (s *Store) putChecked(items map[string][]byte) {
	var wg sync.WaitGroup
	for k, v := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.Put(k, v); err != nil {
				log.Printf("put %s: %v", k, err)
				wg.Done() // want `wg\.Done is called twice on the path through line 74: the counter goes negative and panics`
				return
			}
		}()
	}
	wg.Wait()
}

// Look-alikes.

func processAllReturned(jobs []Job) []Result {
	var wg sync.WaitGroup
	out := make([]Result, len(jobs))
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			res, err := process(j)
			if err != nil {
				log.Printf("job %s: %v", j.ID, err)
				wg.Done() // ok: returns right after
				return
			}
			out[i] = res
			wg.Done() // ok: the only Done on this path
		}()
	}
	wg.Wait()
	return out
}

func (s *Store) deleteAllCounted(keys []string) {
	var wg sync.WaitGroup
	wg.Add(len(keys))
	for _, k := range keys {
		go func() {
			defer wg.Done() // ok: matched by the Add before the loop
			s.Delete(k)
		}()
	}
	wg.Wait()
}
