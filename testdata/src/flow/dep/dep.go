package dep

import "context"

func New() (context.Context, context.CancelFunc) {
	return context.WithCancel(context.Background())
}
