package model

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
)

func TestHoldHeap(t *testing.T) {
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Skipf("a memory limit is set (GOMEMLIMIT): %d", got)
	}
	if gogc := debug.SetGCPercent(100); gogc != 100 {
		debug.SetGCPercent(gogc)
		t.Skipf("GOGC is %d", gogc)
	}

	// A small heap is not held.
	runtime.GC()
	release := holdHeap()
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("small heap: limit set to %d MiB", got>>20)
	}
	release()

	// A live heap whose goal is past the floor is held at 1.75x what is
	// live (GOGC=100), plus what the runtime holds outside the heap.
	live := make([][]byte, 80)
	for i := range live {
		live[i] = make([]byte, 1<<20)
	}
	runtime.GC()
	release = holdHeap()
	limit := debug.SetMemoryLimit(-1)
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	heap := int64(s[0].Value.Uint64())
	if want := heap * 7 / 4; limit < want || limit > want+32<<20 {
		t.Errorf("limit %d MiB for a live heap of %d MiB, want about %d MiB", limit>>20, heap>>20, want>>20)
	}
	release()
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("after release: limit %d, want none", got)
	}

	// A lower limit the user set stays.
	debug.SetMemoryLimit(64 << 20)
	defer debug.SetMemoryLimit(math.MaxInt64)
	release = holdHeap()
	if got := debug.SetMemoryLimit(-1); got != 64<<20 {
		t.Errorf("GOMEMLIMIT 64 MiB: limit now %d MiB", got>>20)
	}
	release()
	if got := debug.SetMemoryLimit(-1); got != 64<<20 {
		t.Errorf("GOMEMLIMIT 64 MiB after release: %d MiB", got>>20)
	}
	runtime.KeepAlive(live)
}
