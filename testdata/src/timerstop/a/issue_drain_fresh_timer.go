//go:build go1.22

package a

import "time"

// A receive from an earlier timer does not make a later timer's drain
// block: each iteration makes (or loads) a new one.
func rounds(n int, done chan struct{}) {
	for i := 0; i < n; i++ {
		t := time.NewTimer(time.Hour)
		if !t.Stop() {
			<-t.C // ok: a fresh timer; the receive below was from the previous one
		}
		t.Reset(time.Millisecond)
		select {
		case <-t.C:
		case <-done:
			return
		}
	}
}

func cycle(timers []*time.Timer, states []int, order []int) {
	for _, i := range order {
		t := timers[i]
		switch states[i] {
		case 0:
			<-t.C
		case 1:
			t.Reset(time.Minute)
		case 2:
			if !t.Stop() {
				<-t.C // ok: loaded afresh each iteration, and re-armed by state 1
			}
		}
		states[i]++
	}
}
