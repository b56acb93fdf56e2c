// Command mainpkg: main.main is exempt, the process ends when it returns.
// Other functions of package main are not.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

type server struct{ addr string }

func (s *server) ping(ctx context.Context) error { return ctx.Err() }

func (s *server) serve(ctx context.Context) error {
	<-ctx.Done()
	return nil
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM) // ok: main.main, the process exits when it returns
	s := &server{addr: ":8080"}
	if err := warm(ctx, s); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	if err := s.serve(ctx); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	stop()
}

func warm(parent context.Context, s *server) error {
	ctx, cancel := context.WithTimeout(parent, 10*time.Second) // want `the cancel function cancel returned by context\.WithTimeout is not called on the path that returns at line 40; call it on every path \(defer cancel\(\) after the call\) to stop the context's timer`
	if err := s.ping(ctx); err != nil {
		return err
	}
	cancel()
	return nil
}
