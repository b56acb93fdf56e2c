package a

import (
	"context"
	"time"
)

// `x, cancel := setUp()` then `ctx, cancel := ...` in the same scope
// reuses cancel: the deferred closure calls the second, the first is lost
// (grpc's keepalive_test.go). In a loop body each iteration has its own
// variable: the previous iteration's closure does not see this one.

func setUpConn() (int, context.CancelFunc) {
	ctx, c := context.WithTimeout(context.Background(), time.Second)
	_ = ctx
	return 1, c
}

func useN(context.Context, int) {}

func reuseStraight() {
	x, cancel := setUpConn() // want `the cancel function cancel returned by setUpConn is overwritten at line 24 before it is called; call cancel\(\) before reassigning it to release the context`
	defer func() { cancel() }()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second) // ok: the deferred closure calls it
	defer cancel()
	useN(ctx, x)
}

func reuseLoop(n int) {
	for i := 0; i < n; i++ {
		x, cancel := setUpConn()    // want `the cancel function cancel returned by setUpConn is overwritten at line 33 before it is called; call cancel\(\) before reassigning it to release the context`
		defer func() { cancel() }() // ok: it calls the WithTimeout cancel below at exit, not setUpConn's
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel() // want `defer cancel\(\) in a loop: the cancel functions returned by context\.WithTimeout all wait until reuseLoop returns; call cancel\(\) at the end of each iteration instead`
		useN(ctx, x)
	}
}

// Each iteration's own variable, deferred through a closure: they pile up.
func deferClosureLoop(n int) {
	for i := 0; i < n; i++ {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer func() { cancel() }() // want `defer func\(\) \{ cancel\(\) \}\(\) in a loop: the cancel functions returned by context\.WithTimeout all wait until deferClosureLoop returns; call cancel\(\) at the end of each iteration instead`
		useN(ctx, i)
	}
}
