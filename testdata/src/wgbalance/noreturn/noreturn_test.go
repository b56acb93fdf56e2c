package noreturn

import (
	"sync"
	"testing"
)

// t.Fatal, t.Fatalf and t.FailNow call runtime.Goexit. In a goroutine that
// ends only that goroutine (vet's testinggoroutine pass reports the call
// itself): an explicit wg.Done after it is skipped and the test blocks in
// wg.Wait until it times out. In the test's own goroutine they end the test:
// not a finding.

func TestLoadShards(t *testing.T) {
	shards := []Shard{{ID: 1, Files: []string{"a", "b"}}, {ID: 2, Files: []string{"c"}}}
	var wg sync.WaitGroup
	for _, sh := range shards {
		wg.Add(1)
		go func() { // want `this goroutine does not call wg\.Done on the path that returns at line 22, so wg\.Wait at line 28 blocks forever; call defer wg\.Done\(\) first in the goroutine, or use wg\.Go`
			for _, f := range sh.Files {
				if _, err := load(f); err != nil {
					t.Fatalf("shard %d: %v", sh.ID, err)
				}
			}
			wg.Done()
		}()
	}
	wg.Wait()
}

func TestLoadShardsFailNow(t *testing.T) {
	var wg sync.WaitGroup
	for _, f := range []string{"a", "b", ""} {
		wg.Add(1)
		go func() { // want `this goroutine does not call wg\.Done on the path that returns at line 38, so wg\.Wait at line 43 blocks forever; call defer wg\.Done\(\) first in the goroutine, or use wg\.Go`
			if _, err := load(f); err != nil {
				t.Log(err)
				t.FailNow()
			}
			wg.Done()
		}()
	}
	wg.Wait()
}

// fatalf always ends the calling goroutine.
func fatalf(t *testing.T, format string, args ...any) {
	t.Helper()
	t.Fatalf(format, args...)
}

func TestLoadShardsHelper(t *testing.T) {
	var wg sync.WaitGroup
	for _, f := range []string{"a", "b"} {
		wg.Add(1)
		go func() { // want `this goroutine does not call wg\.Done on the path that returns at line 59, so wg\.Wait at line 67 blocks forever; call defer wg\.Done\(\) first in the goroutine, or use wg\.Go`
			b, err := load(f)
			if err != nil {
				fatalf(t, "load %s: %v", f, err)
			}
			if string(b) != f {
				t.Errorf("load %s = %q", f, b)
			}
			wg.Done()
		}()
	}
	wg.Wait()
}

func TestLoadShardsErrorReturn(t *testing.T) {
	var wg sync.WaitGroup
	for _, f := range []string{"a", "b"} {
		wg.Add(1)
		go func() { // want `this goroutine does not call wg\.Done on the path that returns at line 77, so wg\.Wait at line 82 blocks forever; call defer wg\.Done\(\) first in the goroutine, or use wg\.Go`
			if _, err := load(f); err != nil {
				t.Error(err)
				return
			}
			wg.Done()
		}()
	}
	wg.Wait()
}

// Look-alikes.

func TestLoadShardsDeferred(t *testing.T) {
	var wg sync.WaitGroup
	for _, f := range []string{"a", "b"} {
		wg.Add(1)
		go func() { // ok: FailNow's Goexit runs the deferred wg.Done
			defer wg.Done()
			if _, err := load(f); err != nil {
				t.Fatal(err)
			}
		}()
	}
	wg.Wait()
}

func TestLoadShardsErrorf(t *testing.T) {
	var wg sync.WaitGroup
	for _, f := range []string{"a", "b"} {
		wg.Add(1)
		go func() { // ok: t.Errorf returns; wg.Done runs on both paths
			if _, err := load(f); err != nil {
				t.Errorf("load %s: %v", f, err)
			}
			wg.Done()
		}()
	}
	wg.Wait()
}

func TestLoadShardsFatalInTestGoroutine(t *testing.T) {
	var wg sync.WaitGroup
	results := make([][]byte, 2)
	for i, f := range []string{"a", "b"} {
		wg.Add(1)
		go func() { // ok: the goroutine releases on its only path
			defer wg.Done()
			results[i], _ = load(f)
		}()
	}
	wg.Wait()
	if results[0] == nil {
		t.Fatal("no result for a") // ok: the test's own goroutine, after the Wait
	}
}
