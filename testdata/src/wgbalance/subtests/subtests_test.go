package subtests

import (
	"sync"
	"testing"
)

// Both subtests are parallel: each marks itself ready, and the goroutine
// that waits for both releases them.
func TestParallelWarmup(t *testing.T) {
	var ready sync.WaitGroup
	ready.Add(2)
	done := make(chan struct{})
	go func() {
		ready.Wait() // ok: both parallel subtests call Done before they wait
		close(done)
	}()
	t.Run("a", func(t *testing.T) {
		t.Parallel()
		warm(&ready)
		<-done // ok: released once b is ready too
	})
	t.Run("b", func(t *testing.T) {
		t.Parallel()
		warm(&ready)
		<-done // ok
	})
}

// The first subtest is not parallel: t.Run waits for it, it waits for
// done, and done needs the second subtest, which never starts.
func TestSerialWarmup(t *testing.T) {
	var ready sync.WaitGroup
	ready.Add(2)
	done := make(chan struct{})
	go func() {
		ready.Wait() // want `this goroutine \(goroutine 2, started at line \d+\) blocks here forever on a schedule of TestSerialWarmup \(below\): no goroutine that can still run calls ready\.Done`
		close(done)
	}()
	t.Run("a", func(t *testing.T) {
		warm(&ready)
		<-done
	})
	t.Run("b", func(t *testing.T) {
		t.Parallel()
		warm(&ready)
		<-done
	})
}
