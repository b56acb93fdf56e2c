package a

import "context"

// The branch that leads to a conditional acquire is a fact on every path
// from it: the same condition later takes the same branch (a false
// positive vet's lostcancel shares).
func dominatingBranch(ctx context.Context, withCancel bool) {
	var cancel context.CancelFunc
	if withCancel {
		ctx, cancel = context.WithCancel(ctx) // ok: the second `if withCancel` calls it
	}
	useCtx(ctx)
	if withCancel {
		cancel()
	}
}

func dominatingBranchInLoop(ctx context.Context, flags []bool) {
	for _, f := range flags {
		var cancel context.CancelFunc
		c := ctx
		if f {
			c, cancel = context.WithCancel(ctx) // ok: the same iteration's f
		}
		useCtx(c)
		if f {
			cancel()
		}
	}
}
