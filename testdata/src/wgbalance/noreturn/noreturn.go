// Package noreturn holds goroutines whose paths end in calls that do not
// return. os.Exit, log.Fatal and panic end the process: not a wait that
// blocks forever, so silent. runtime.Goexit ends only the goroutine: it runs
// the goroutine's deferred calls and skips the rest, so an explicit wg.Done
// after it never runs (reported, the path "returns" at the Goexit call),
// while a deferred one does (silent). t.Fatal and t.FailNow call
// runtime.Goexit: see noreturn_test.go.
package noreturn

import (
	"fmt"
	"log"
	"os"
	"runtime"
	"sync"
)

type Shard struct {
	ID    int
	Files []string
}

func load(path string) ([]byte, error) {
	if path == "" {
		return nil, fmt.Errorf("empty path")
	}
	return []byte(path), nil
}

// die never returns.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(2)
}

func loadOrExit(shards []Shard) {
	var wg sync.WaitGroup
	for _, sh := range shards {
		wg.Add(1)
		go func() { // ok: the failure path ends in os.Exit
			for _, f := range sh.Files {
				if _, err := load(f); err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(1)
				}
			}
			wg.Done()
		}()
	}
	wg.Wait()
}

func loadOrFatal(shards []Shard) {
	var wg sync.WaitGroup
	for _, sh := range shards {
		wg.Add(1)
		go func() { // ok: the failure path ends in log.Fatalf
			for _, f := range sh.Files {
				if _, err := load(f); err != nil {
					log.Fatalf("shard %d: %v", sh.ID, err)
				}
			}
			wg.Done()
		}()
	}
	wg.Wait()
}

func loadOrPanic(shards []Shard) {
	var wg sync.WaitGroup
	for _, sh := range shards {
		wg.Add(1)
		go func() { // ok: an unrecovered panic in a goroutine ends the process
			if len(sh.Files) == 0 {
				panic(fmt.Sprintf("shard %d has no files", sh.ID))
			}
			wg.Done()
		}()
	}
	wg.Wait()
}

func loadOrDie(shards []Shard) {
	var wg sync.WaitGroup
	for _, sh := range shards {
		wg.Add(1)
		go func() { // ok: die is a same-package function that never returns
			for _, f := range sh.Files {
				if _, err := load(f); err != nil {
					die("shard %d: %v", sh.ID, err)
				}
			}
			wg.Done()
		}()
	}
	wg.Wait()
}

// runtime.Goexit.

func loadOrGoexit(shards []Shard) {
	var wg sync.WaitGroup
	for _, sh := range shards {
		wg.Add(1)
		go func() { // want `this goroutine does not call wg\.Done on the path that returns at line 109, so wg\.Wait at line 115 blocks forever; call defer wg\.Done\(\) first in the goroutine, or use wg\.Go`
			for _, f := range sh.Files {
				if _, err := load(f); err != nil {
					log.Printf("shard %d: %v", sh.ID, err)
					runtime.Goexit()
				}
			}
			wg.Done()
		}()
	}
	wg.Wait()
}

func loadOrGoexitDeferred(shards []Shard) {
	var wg sync.WaitGroup
	for _, sh := range shards {
		wg.Add(1)
		go func() { // ok: Goexit runs the deferred wg.Done
			defer wg.Done()
			for _, f := range sh.Files {
				if _, err := load(f); err != nil {
					runtime.Goexit()
				}
			}
		}()
	}
	wg.Wait()
}

func loadThenGoexit(shards []Shard) {
	var wg sync.WaitGroup
	for _, sh := range shards {
		wg.Add(1)
		go func() { // ok: wg.Done runs before Goexit on the only path
			for _, f := range sh.Files {
				load(f)
			}
			wg.Done()
			runtime.Goexit()
		}()
	}
	wg.Wait()
}
