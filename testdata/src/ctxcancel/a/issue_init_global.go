package a

import (
	"context"
	"os"
	"os/signal"
)

// Regression: process-lifetime contexts kept in package-level variables, set
// by init or by the variable's initializer. A store to a global transfers
// ownership.

var (
	baseCtx  context.Context
	stopBase context.CancelFunc
)

func init() {
	baseCtx, stopBase = signal.NotifyContext(context.Background(), os.Interrupt) // ok: stored in package-level variables
}

var shutdownCtx, shutdown = context.WithCancel(context.Background()) // ok: package-level variables live as long as the process

// Shutdown ends every request derived from the package contexts.
func Shutdown() {
	shutdown()
	stopBase()
}
