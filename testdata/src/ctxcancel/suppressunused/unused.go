// Package suppressunused runs with -ctxcancel.report-unused-ignores.
package suppressunused

import "context"

func use(context.Context) {}

func used(ctx context.Context) {
	ctx, _ = context.WithCancel(ctx) //leakvet:ignore ctxcancel the caller cancels the parent
	use(ctx)
}

func unused(ctx context.Context) {
	ctx, cancel := context.WithCancel(ctx) //leakvet:ignore ctxcancel stale: the code was fixed // want `//leakvet:ignore ctxcancel silences no ctxcancel finding here; delete it`
	defer cancel()
	use(ctx)
}
