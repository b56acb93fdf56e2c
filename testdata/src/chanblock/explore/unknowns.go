package explore

import (
	"bufio"
	"io"
	"strings"
	"testing"
)

// What the explorer cannot see it must not take for a leak: goroutines
// that synchronise through an object of another package, a schedule on
// which the test itself fails.

// Two goroutines talk through an io.Pipe, which the explorer does not
// see into: the reader's EOF comes only after the writer's Close, and the
// pipe makes each Write wait for its Read. Silent: the root stops when
// the pipe's two ends are used by two goroutines.
func countReads(r io.Reader, c chan int) {
	buf := make([]byte, 64)
	for {
		n, err := r.Read(buf)
		if err == io.EOF {
			c <- 0
			return
		}
		c <- n
	}
}

func RunPipeCounts() {
	c := make(chan int)
	r, w := io.Pipe()
	go countReads(r, c)
	for i := 0; i < 3; i++ {
		w.Write([]byte("abc"))
		<-c // ok: the pipe's Write waits for the Read that answers
	}
	w.Close()
	<-c // ok: EOF comes after the Close
}

var _ = noLeak("RunPipeCounts", RunPipeCounts)

// A check whose goroutine reports its failure through t: on the schedule
// where the parse fails, the test fails and says so, and the root's wait
// is the failure's.
func CheckParse(t *testing.T) {
	done := make(chan string)
	go func() {
		s, err := bufio.NewReader(strings.NewReader("x")).ReadString('\n')
		if err != nil && err != io.EOF {
			t.Error(err)
			return
		}
		done <- s
	}()
	<-done // ok: the goroutine returns without sending only after t.Error
}
