package a

import (
	"context"
	"errors"
	"fmt"
)

// A job runner, an RPC client and a key-value store used by the cases in
// this package. Nothing here touches a WaitGroup.

var (
	errNotFound = errors.New("not found")
	errBusy     = errors.New("busy")
)

type Job struct {
	ID      string
	Payload []byte
}

type Result struct {
	JobID string
	Size  int
}

func process(j Job) (Result, error) {
	if len(j.Payload) == 0 {
		return Result{}, fmt.Errorf("job %s: empty payload", j.ID)
	}
	return Result{JobID: j.ID, Size: len(j.Payload)}, nil
}

type Client struct{ addr string }

func (c *Client) Call(ctx context.Context, method string, req []byte) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return append([]byte(c.addr+"/"+method+" "), req...), nil
}

type Store struct {
	name string
	data map[string][]byte
}

func (s *Store) Put(key string, v []byte) error {
	if key == "" {
		return fmt.Errorf("%s: empty key", s.name)
	}
	return nil
}

func (s *Store) Get(key string) ([]byte, error) {
	v, ok := s.data[key]
	if !ok {
		return nil, errNotFound
	}
	return v, nil
}

func (s *Store) Delete(key string) error { return nil }

type File struct {
	Name string
	Size int64
	Data []byte
}

func retry(attempts int, f func() error) error {
	var err error
	for i := 0; i < attempts; i++ {
		if err = f(); !errors.Is(err, errBusy) {
			return err
		}
	}
	return err
}
