package a

import "sync"

// An iteration that panics (or calls t.Fatal, log.Fatal) leaves the loop,
// but Wait is never reached on that path: not a skipped element
// (client-go fixture_test.go).
func startNamed(names []string, work func(string)) {
	var wg sync.WaitGroup
	wg.Add(len(names)) // ok: the only early exit panics
	for _, name := range names {
		if name == "" {
			panic("empty name")
		}
		go func() {
			defer wg.Done()
			work(name)
		}()
	}
	wg.Wait()
}
