package a

import (
	"context"
	"time"
)

// Reassigning a cancel variable before calling it loses the first cancel func.

func (s *Server) connectAndHandshake(parent context.Context, addr string) (*Conn, error) {
	ctx, cancel := context.WithTimeout(parent, 3*time.Second) // want `the cancel function cancel returned by context\.WithTimeout is overwritten at line 17 before it is called; call cancel\(\) before reassigning it to stop the context's timer`
	conn, err := dial(ctx, addr)
	if err != nil {
		cancel()
		return nil, err
	}
	ctx, cancel = context.WithTimeout(parent, 10*time.Second) // ok: the second cancel is deferred below
	defer cancel()
	if err := conn.Ping(ctx); err != nil {
		return nil, err
	}
	return conn, nil
}

func (s *Server) connectAndHandshakeReleased(parent context.Context, addr string) (*Conn, error) {
	ctx, cancel := context.WithTimeout(parent, 3*time.Second) // ok: called on both paths before the reassignment
	conn, err := dial(ctx, addr)
	cancel()
	if err != nil {
		return nil, err
	}
	ctx, cancel = context.WithTimeout(parent, 10*time.Second) // ok: deferred
	defer cancel()
	if err := conn.Ping(ctx); err != nil {
		return nil, err
	}
	return conn, nil
}

func twoPhase(parent context.Context, c *Conn) error {
	prepCtx, stop := context.WithCancel(parent) // want `the cancel function stop returned by context\.WithCancel is overwritten at line 46 before it is called; call stop\(\) before reassigning it to release the context`
	if err := c.Exec(prepCtx, "prepare"); err != nil {
		stop()
		return err
	}
	commitCtx, stop := context.WithDeadline(parent, time.Now().Add(time.Second)) // ok: deferred
	defer stop()
	return c.Exec(commitCtx, "commit")
}
