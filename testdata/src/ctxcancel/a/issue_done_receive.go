package a

import (
	"context"
	"time"
)

// Once <-ctx.Done() returns, the context is cancelled and detached from
// its parent: nothing is left to release (grpc's rls helpers_test.go).
func waitExpired(parent context.Context, polls int) {
	for i := 0; i < polls; i++ {
		sCtx, sCancel := context.WithTimeout(parent, 10*time.Millisecond) // ok: the loop continues only after sCtx is done
		<-sCtx.Done()
		_ = sCancel
	}
}

func waitOther(parent, other context.Context, polls int) {
	for i := 0; i < polls; i++ {
		sCtx, sCancel := context.WithTimeout(parent, 10*time.Millisecond) // want `the cancel function sCancel returned by context\.WithTimeout is not called before the next iteration of the loop at line 19; call it at the end of every iteration to stop the context's timer`
		<-other.Done()
		useCtx(sCtx)
		_ = sCancel
	}
}

// The select form: the loop goes round only after the case that received
// from sCtx.Done().
func waitExpiredSelect(parent context.Context, ch chan int) {
	for {
		sCtx, sCancel := context.WithTimeout(parent, 10*time.Millisecond) // ok: the next iteration follows the case <-sCtx.Done()
		useCtx(sCtx)
		select {
		case <-sCtx.Done():
		case <-ch:
			sCancel()
			return
		}
	}
}

func waitSelectOther(parent context.Context, ch chan int) {
	for {
		sCtx, sCancel := context.WithTimeout(parent, 10*time.Millisecond) // want `the cancel function sCancel returned by context\.WithTimeout is not called before the next iteration of the loop at line 43; call it at the end of every iteration to stop the context's timer`
		useCtx(sCtx)
		select {
		case <-parent.Done():
		case <-ch:
			sCancel()
			return
		}
	}
}
