package noreturn

import (
	"os"
	"testing"
)

// t.Fatal and t.FailNow end the test's goroutine: a goroutine the test
// abandons on that path is not reported. A plain return is.
//
// The shapes run each test through testing.RunTests with a real *testing.T,
// on the path that passes. go test in the shape module runs them once more
// as ordinary tests.

func TestLoadConfig(t *testing.T) {
	keysc := make(chan []string)
	go func() {
		keysc <- loadKeys("a,b") // ok: the other path ends in t.Fatal
	}()
	cfg, err := parse(":8080")
	if err != nil {
		t.Fatal(err)
	}
	if keys := <-keysc; len(keys) != 2 {
		t.Errorf("%s: keys = %q", cfg.Addr, keys)
	}
}

func TestLoadConfigFailNow(t *testing.T) {
	work := make(chan string)
	done := make(chan []string, 1)
	go func() {
		var seen []string
		for k := range work { // ok: closed on the path that returns; the other ends in t.FailNow
			seen = append(seen, k)
		}
		done <- seen
	}()
	if _, err := parse(":8080"); err != nil {
		t.Log(err)
		t.FailNow()
	}
	work <- "a"
	close(work)
	if seen := <-done; len(seen) != 1 {
		t.Errorf("seen %q", seen)
	}
}

// TestReplicaKeys skips its check, with a plain return, when no replica is
// configured: the loader is abandoned.
func TestReplicaKeys(t *testing.T) {
	keysc := make(chan []string)
	go func() {
		keysc <- loadKeys("a,b") // want `blocks forever sending on keysc`
	}()
	addr := os.Getenv("NORETURN_REPLICA_ADDR")
	if addr == "" {
		t.Log("NORETURN_REPLICA_ADDR not set")
		return
	}
	if keys := <-keysc; len(keys) == 0 {
		t.Errorf("%s: no keys", addr)
	}
}

func runTest(name string, f func(*testing.T)) {
	if !testing.RunTests(func(pat, str string) (bool, error) { return true, nil },
		[]testing.InternalTest{{Name: name, F: f}}) {
		panic(name + " failed")
	}
}

var _ = noLeak("TestLoadConfig", func() { runTest("TestLoadConfig", TestLoadConfig) })
var _ = noLeak("TestLoadConfigFailNow", func() { runTest("TestLoadConfigFailNow", TestLoadConfigFailNow) })
var _ = leaks("TestReplicaKeys", func() { runTest("TestReplicaKeys", TestReplicaKeys) })
