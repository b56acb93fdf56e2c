package a

import (
	"context"
	"errors"
	"time"
)

// A small database client and HTTP-ish server used by the cases in this
// package. Nothing here acquires a cancel func.

var (
	errNotFound     = errors.New("not found")
	errMissingToken = errors.New("missing token")
	errTooLarge     = errors.New("request too large")
)

type Conn struct {
	addr string
}

func dial(ctx context.Context, addr string) (*Conn, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return &Conn{addr: addr}, nil
}

func (c *Conn) Ping(ctx context.Context) error { return ctx.Err() }

func (c *Conn) Query(ctx context.Context, q string) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return []string{q}, nil
}

func (c *Conn) Exec(ctx context.Context, q string) error { return ctx.Err() }

func (c *Conn) Close() error { return nil }

type Request struct {
	ctx  context.Context
	Path string
	Body []byte
}

func (r *Request) Context() context.Context { return r.ctx }

type ResponseWriter interface {
	WriteHeader(code int)
	Write(p []byte) (int, error)
}

type Server struct {
	conn          *Conn
	keys          []string
	uploadTimeout time.Duration
	maxUpload     int
}

func (s *Server) store(ctx context.Context, body []byte) error { return s.conn.Exec(ctx, string(body)) }

func (s *Server) Listen() error { return nil }

func (s *Server) Serve(ctx context.Context) error {
	<-ctx.Done()
	return nil
}

func writeError(w ResponseWriter, code int, err error) {
	w.WriteHeader(code)
	w.Write([]byte(err.Error()))
}
