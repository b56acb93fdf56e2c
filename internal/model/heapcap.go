package model

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// HoldHeap makes the explorer hold the process's memory, while it runs,
// to what the garbage collector had planned for when it started. A
// driver that analyzes one package per process (go vet's) sets it; the
// standalone driver, which explores several packages at once in one
// process, does not.
//
// Why: the explorer starts when the package's syntax, types, SSA and
// model are all live, and its states are short-lived garbage. Under the
// default GC target each collection during exploration sets the next
// goal at twice a live heap that now includes the explorer's queued
// states, so the process's peak came to about twice the package's live
// heap, 1.5x go vet's own largest run on the quick slice. Held (see
// holdHeap), the process collects more often while it explores instead
// (bench/README.md has both costs).
var HoldHeap bool

// heapFloor is the limit below which the heap is never held: a package
// this small is never the peak of a go vet run, and collecting a small
// heap often costs more than it saves.
const heapFloor = 96 << 20

// holdHeap sets a soft memory limit, while the explorer runs, at the
// package's live heap as the explorer starts plus three quarters of the
// headroom GOGC gives it (1.75x the live heap at GOGC=100), plus the
// memory the runtime holds outside the heap, and returns what restores
// the limit there was. It does nothing when the current goal is under
// heapFloor, when GOGC is off, or when a lower limit is set (GOMEMLIMIT).
//
// Three quarters, not all of it: at the whole headroom net's test
// variant still peaked at 1.22x go vet's largest run of the quick slice;
// at three quarters it is at 1.1x for 10% more CPU in that package, at
// half for 50% more (bench/README.md).
//
// It collects once first, to know the live heap: the last collection's
// figure can be far behind it (the SSA and the model are built since),
// and a limit under what is live makes the collector run without pause.
func holdHeap() (release func()) {
	noop := func() {}
	if goal, outside, ok := readHeap(); !ok || goal+outside < heapFloor {
		return noop
	}
	gogc := debug.SetGCPercent(100)
	debug.SetGCPercent(gogc)
	prev := debug.SetMemoryLimit(-1)
	if gogc < 0 {
		return noop
	}
	runtime.GC()
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	_, outside, ok := readHeap()
	if !ok || s[0].Value.Kind() != metrics.KindUint64 {
		return noop
	}
	limit := max(int64(s[0].Value.Uint64()*uint64(400+3*gogc)/400+outside), heapFloor)
	if limit >= prev {
		return noop
	}
	debug.SetMemoryLimit(limit)
	return func() { debug.SetMemoryLimit(prev) }
}

// readHeap reads the collector's heap goal and the memory the runtime
// holds outside the heap (stacks, its own metadata), as the memory limit
// counts it.
func readHeap() (goal, outside uint64, ok bool) {
	s := []metrics.Sample{
		{Name: "/gc/heap/goal:bytes"},
		{Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/released:bytes"},
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/heap/unused:bytes"},
		{Name: "/memory/classes/heap/free:bytes"},
	}
	metrics.Read(s)
	for _, x := range s {
		if x.Value.Kind() != metrics.KindUint64 {
			return 0, 0, false
		}
	}
	v := func(i int) uint64 { return s[i].Value.Uint64() }
	return v(0), v(1) - v(2) - v(3) - v(4) - v(5), true
}
