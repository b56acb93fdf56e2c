// Package suppress checks //leakvet:ignore directives: on the finding's
// line or the line above, with a reason, for the pass they name.
package suppress

import "context"

func use(context.Context) {}

func sameLine(ctx context.Context) {
	ctx, _ = context.WithCancel(ctx) //leakvet:ignore ctxcancel the parent is cancelled by the caller within a second
	use(ctx)
}

func lineAbove(ctx context.Context) {
	//leakvet:ignore ctxcancel,timerstop lives as long as the process by design
	ctx, _ = context.WithCancel(ctx)
	use(ctx)
}

func allPasses(ctx context.Context) {
	//leakvet:ignore all a benchmark fixture
	ctx, _ = context.WithCancel(ctx)
	use(ctx)
}

func otherPass(ctx context.Context) {
	//leakvet:ignore timerstop not this pass: the finding stays
	ctx, _ = context.WithCancel(ctx) // want `the cancel function returned by context\.WithCancel is discarded`
	use(ctx)
}

func noReason(ctx context.Context) {
	//leakvet:ignore ctxcancel // want `//leakvet:ignore ctxcancel needs a reason after the pass name; it silences nothing until it has one`
	ctx, _ = context.WithCancel(ctx) // want `the cancel function returned by context\.WithCancel is discarded`
	use(ctx)
}

func bare(ctx context.Context) {
	//leakvet:ignore // want `//leakvet:ignore needs a pass name and a reason`
	ctx, _ = context.WithCancel(ctx) // want `the cancel function returned by context\.WithCancel is discarded`
	use(ctx)
}

func twoLinesAbove(ctx context.Context) {
	//leakvet:ignore ctxcancel too far from the finding to apply

	ctx, _ = context.WithCancel(ctx) // want `the cancel function returned by context\.WithCancel is discarded`
	use(ctx)
}

//leakvet:ignoreall is not a directive
func lookAlike(ctx context.Context) {
	ctx, _ = context.WithCancel(ctx) // want `the cancel function returned by context\.WithCancel is discarded`
	use(ctx)
}
