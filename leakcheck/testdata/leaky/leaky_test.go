// Package leaky leaks goroutines on purpose, for leakcheck_test.go, which
// builds it into test binaries and runs them with -test.run selections.
// (It is under testdata so that leakvet's own checks never see it.)
package leaky

import (
	"os"
	"testing"
	"time"

	"github.com/leakvet/leakvet/leakcheck"
)

func TestMain(m *testing.M) {
	leakcheck.Main(m, leakcheck.IgnoreTopFunction("github.com/leakvet/leakvet/leakcheck/testdata/leaky.ignored"),
		leakcheck.MaxWait(500*time.Millisecond))
}

func TestBlockedSend(t *testing.T) {
	ch := make(chan int)
	go func() {
		ch <- 1 // line 22: blocks forever
	}()
}

func TestSleeper(t *testing.T) {
	go func() {
		time.Sleep(time.Hour) // line 28
	}()
}

func TestFinishing(t *testing.T) {
	go func() { time.Sleep(50 * time.Millisecond) }() // done within MaxWait
}

func ignored(ch chan int) { <-ch }

func TestIgnored(t *testing.T) {
	go ignored(make(chan int))
}

var hold = make(chan int)

func TestCheck(t *testing.T) {
	if os.Getenv("LEAKY_CHECK") == "" {
		t.Skip("run by leakcheck_test.go")
	}
	go func() { <-hold }() // present before the check starts: ignored
	time.Sleep(10 * time.Millisecond)
	t.Run("sub", func(t *testing.T) {
		defer leakcheck.Check(t, leakcheck.IgnoreCurrent(), leakcheck.MaxWait(200*time.Millisecond))
		ch := make(chan string)
		go func() {
			ch <- "x" // line 54: the leak Check reports
		}()
	})
	hold <- 1
}
