package leaky

import (
	"context"
	"io"
	"net/http"
)

// Download gives up when ctx is done, but the goroutine it started still
// wants to hand over its result: nobody will ever receive it.
func Download(ctx context.Context, url string) ([]byte, error) {
	type result struct {
		body []byte
		err  error
	}
	ch := make(chan result)
	go func() {
		resp, err := http.Get(url)
		if err != nil {
			ch <- result{nil, err}
			return
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		ch <- result{body, err}
	}()
	select {
	case r := <-ch:
		return r.body, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
