package a

import (
	"context"
	"errors"
	"iter"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// Kept cancel and stop functions that some path forgets. Each finding names
// the first leaking return in source order (or the closing brace for the
// implicit return at the end of the function).

func fetchUser(parent context.Context, c *Conn, id string) ([]string, error) {
	ctx, cancel := context.WithTimeout(parent, 2*time.Second) // want `the cancel function cancel returned by context\.WithTimeout is not called on the path that returns at line 22; call it on every path \(defer cancel\(\) after the call\) to stop the context's timer`
	rows, err := c.Query(ctx, "select * from users where id = "+id)
	if err != nil {
		return nil, err
	}
	cancel()
	return rows, nil
}

func fetchUserReleased(parent context.Context, c *Conn, id string) ([]string, error) {
	ctx, cancel := context.WithTimeout(parent, 2*time.Second) // ok: called before both returns
	rows, err := c.Query(ctx, "select * from users where id = "+id)
	if err != nil {
		cancel()
		return nil, err
	}
	cancel()
	return rows, nil
}

func (s *Server) warmCache(parent context.Context) {
	ctx, cancel := context.WithDeadline(parent, time.Now().Add(time.Minute)) // want `the cancel function cancel returned by context\.WithDeadline is not called on the path that returns at line 48; call it on every path \(defer cancel\(\) after the call\) to stop the context's timer`
	for _, k := range s.keys {
		if _, err := s.conn.Query(ctx, k); err != nil {
			log.Printf("warm %s: %v", k, err)
			cancel()
			return
		}
	}
}

func authorize(parent context.Context, c *Conn, token string) error {
	ctx, stop := context.WithCancel(parent) // want `the cancel function stop returned by context\.WithCancel is not called on the path that returns at line 53; call it on every path \(defer stop\(\) after the call\) to release the context`
	if token == "" {
		return errMissingToken
	}
	if err := c.Ping(ctx); err != nil {
		stop()
		return err
	}
	if _, err := c.Query(ctx, "select 1 from tokens where t = "+token); err != nil {
		return err // second leaking return: the finding names only the first
	}
	stop()
	return nil
}

// switch: every case releases, or one forgets.

var errTimeout = errors.New("upstream timed out")

func queryClassified(parent context.Context, c *Conn, q string) ([]string, error) {
	ctx, cancel := context.WithTimeout(parent, time.Second) // ok: every case and the fallthrough path call cancel
	rows, err := c.Query(ctx, q)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		cancel()
		return nil, errTimeout
	case errors.Is(err, errNotFound):
		cancel()
		return nil, nil
	case err != nil:
		cancel()
		return nil, err
	}
	cancel()
	return rows, nil
}

func queryClassifiedLeak(parent context.Context, c *Conn, q string) ([]string, error) {
	ctx, cancel := context.WithTimeout(parent, time.Second) // want `the cancel function cancel returned by context\.WithTimeout is not called on the path that returns at line 96; call it on every path \(defer cancel\(\) after the call\) to stop the context's timer`
	rows, err := c.Query(ctx, q)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		cancel()
		return nil, errTimeout
	case errors.Is(err, errNotFound):
		return nil, nil
	case err != nil:
		cancel()
		return nil, err
	}
	cancel()
	return rows, nil
}

func statusCode(parent context.Context, c *Conn, kind string) int {
	ctx, cancel := context.WithCancel(parent) // ok: every case, default included, calls cancel
	switch kind {
	case "ping":
		err := c.Ping(ctx)
		cancel()
		if err != nil {
			return 503
		}
		return 200
	case "query":
		_, err := c.Query(ctx, "select 1")
		cancel()
		if err != nil {
			return 500
		}
		return 200
	default:
		cancel()
		return 404
	}
}

// select: every case releases, or one forgets.

func firstReply(parent context.Context, replicas []*Conn, q string) ([]string, error) {
	ctx, cancel := context.WithTimeout(parent, 500*time.Millisecond) // ok: both select cases call cancel
	replies := make(chan []string, len(replicas))
	for _, r := range replicas {
		go func() {
			rows, err := r.Query(ctx, q)
			if err == nil {
				replies <- rows
			}
		}()
	}
	select {
	case rows := <-replies:
		cancel()
		return rows, nil
	case <-ctx.Done():
		cancel()
		return nil, ctx.Err()
	}
}

func firstReplyLeak(parent context.Context, replicas []*Conn, q string) ([]string, error) {
	ctx, cancel := context.WithTimeout(parent, 500*time.Millisecond) // want `the cancel function cancel returned by context\.WithTimeout is not called on the path that returns at line 167; call it on every path \(defer cancel\(\) after the call\) to stop the context's timer`
	replies := make(chan []string, len(replicas))
	for _, r := range replicas {
		go func() {
			rows, err := r.Query(ctx, q)
			if err == nil {
				replies <- rows
			}
		}()
	}
	select {
	case rows := <-replies:
		cancel()
		return rows, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// A closure that calls cancel, called only under a condition.

func (s *Server) handleUpload(w ResponseWriter, r *Request) {
	ctx, cancel := context.WithTimeout(r.Context(), s.uploadTimeout) // want `the cancel function cancel returned by context\.WithTimeout is not called on the path that returns at line 188; call it on every path \(defer cancel\(\) after the call\) to stop the context's timer`
	abort := func(code int, err error) {
		cancel()
		writeError(w, code, err)
	}
	if len(r.Body) > s.maxUpload {
		abort(413, errTooLarge)
		return
	}
	if err := s.store(ctx, r.Body); err != nil {
		abort(500, err)
		return
	}
	w.WriteHeader(201)
}

func (s *Server) handleUploadReleased(w ResponseWriter, r *Request) {
	ctx, cancel := context.WithTimeout(r.Context(), s.uploadTimeout) // ok: abort on the error paths, cancel on the success path
	abort := func(code int, err error) {
		cancel()
		writeError(w, code, err)
	}
	if len(r.Body) > s.maxUpload {
		abort(413, errTooLarge)
		return
	}
	if err := s.store(ctx, r.Body); err != nil {
		abort(500, err)
		return
	}
	cancel()
	w.WriteHeader(201)
}

// A closure that calls cancel and is never called.

func (s *Server) reindex(parent context.Context) error {
	ctx, cancel := context.WithCancel(parent) // want `the cancel function cancel returned by context\.WithCancel is not called on the path that returns at line 217; call it on every path \(defer cancel\(\) after the call\) to release the context`
	cleanup := func() {
		cancel()
		log.Print("reindex done")
	}
	_ = cleanup // TODO: defer cleanup()
	return s.conn.Exec(ctx, "reindex")
}

// Kept stop functions of context.AfterFunc, signal.NotifyContext, iter.Pull.

func (s *Server) handshake(ctx context.Context) error { return s.conn.Ping(ctx) }

func (s *Server) guardHandshake(ctx context.Context) error {
	stop := context.AfterFunc(ctx, func() { s.conn.Close() }) // want `the stop function stop returned by context\.AfterFunc is not called on the path that returns at line 227; call it on every path \(defer stop\(\) after the call\) to unregister the callback`
	if err := s.handshake(ctx); err != nil {
		return err
	}
	stop()
	return nil
}

func (s *Server) guardHandshakeReleased(ctx context.Context) error {
	stop := context.AfterFunc(ctx, func() { s.conn.Close() }) // ok: stop deferred
	defer stop()
	return s.handshake(ctx)
}

func runUntilSignal(s *Server) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM) // want `the stop function stop returned by signal\.NotifyContext is not called on the path that returns at line 242; call it on every path \(defer stop\(\) after the call\) to stop relaying signals`
	if err := s.Listen(); err != nil {
		return err
	}
	defer stop()
	return s.Serve(ctx)
}

func firstTwo(rows iter.Seq[[]string]) ([]string, []string, bool) {
	next, stop := iter.Pull(rows) // want `the stop function stop returned by iter\.Pull is not called on the path that returns at line 252; call it on every path \(defer stop\(\) after the call\) to end the iterator's goroutine`
	a, ok := next()
	if !ok {
		return nil, nil, false
	}
	b, ok := next()
	stop()
	return a, b, ok
}

func pairs(kv iter.Seq2[string, string]) map[string]string {
	next, stop := iter.Pull2(kv) // want `the stop function stop returned by iter\.Pull2 is not called on the path that returns at line 265; call it on every path \(defer stop\(\) after the call\) to end the iterator's goroutine`
	m := make(map[string]string)
	for {
		k, v, ok := next()
		if !ok {
			return m
		}
		if k == "" {
			stop()
			return m
		}
		m[k] = v
	}
}
