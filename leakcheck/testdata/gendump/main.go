// Command gendump prints a dump of goroutines blocked in the ways
// leakcheck must parse, through the goroutineleak profile when built with
// GOEXPERIMENT=goroutineleakprofile. The dumps in ../ were made with
//
//	cd leakcheck/testdata/gendump
//	GOEXPERIMENT=goroutineleakprofile go run . > ../dump_amd64.txt
//	GOEXPERIMENT=goroutineleakprofile GOARCH=arm64 go build -o /tmp/gendump .
//	qemu-aarch64-static /tmp/gendump > ../dump_arm64.txt
//
// Each goroutine's expectations are in stack_test.go, by line of this file.
package main

import (
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

type server struct{ mu sync.Mutex }

func (s *server) serve(ch chan int) { ch <- 1 }

func wait[T any](ch chan T) T { return <-ch }

var global = make(chan int)

func main() {
	s := &server{}
	go s.serve(make(chan int)) // line 31: chan send, leaked, method frame
	go wait(make(chan string)) // line 32: chan receive, leaked, generic frame
	go func() {
		var nilch chan int
		<-nilch // line 35: chan receive (nil chan), leaked
	}()
	go func() {
		select {} // line 38: select (no cases), leaked
	}()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { wg.Wait() }() // line 42: sync.WaitGroup.Wait, leaked, frames in sync
	go func() {
		t := time.NewTicker(time.Hour)
		for range t.C { // line 45: chan receive, not provable
		}
	}()
	go func() { <-global }()              // line 48: chan receive on a global, not provable
	go func() { time.Sleep(time.Hour) }() // line 49: sleep
	go func() {
		runtime.LockOSThread()
		<-global // line 52: locked to thread
	}()
	time.Sleep(100 * time.Millisecond)
	if p := pprof.Lookup("goroutineleak"); p != nil {
		p.WriteTo(os.Stdout, 2)
		return
	}
	buf := make([]byte, 1<<20)
	os.Stdout.Write(buf[:runtime.Stack(buf, true)])
}
