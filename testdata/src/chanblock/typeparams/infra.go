package typeparams

import "context"

// Inputs for the shapes.

func cancelled() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}

// gate holds a call until the shape opens it after the function under test
// has returned.
type gate chan struct{}

func newGate() gate  { return make(gate) }
func (g gate) open() { close(g) }

func gated[T any](g gate, v T) func(context.Context) (T, error) {
	return func(context.Context) (T, error) {
		<-g
		return v, nil
	}
}

func value[T any](v T) func(context.Context) (T, error) {
	return func(context.Context) (T, error) { return v, nil }
}
