//go:build go1.24

// Package go124 is at Go 1.24 through the //go:build line above (the type
// checker takes each file's Go version from its build constraint in
// analysistest's GOPATH mode). sync.WaitGroup.Go does not exist before Go
// 1.25, so no message here offers it: each regexp ends in $ to say so.
package go124

import (
	"context"
	"log"
	"sync"
)

type Mirror struct {
	wg    sync.WaitGroup
	peers []string
}

func push(ctx context.Context, peer string, blob []byte) error {
	if len(blob) == 0 {
		return nil
	}
	return ctx.Err()
}

func pushAll(ctx context.Context, peers []string, blob []byte) {
	var wg sync.WaitGroup
	for _, p := range peers {
		wg.Add(1)
		go func() { // want `this goroutine does not call wg\.Done on the path that returns at line 34, so wg\.Wait at line 39 blocks forever; call defer wg\.Done\(\) first in the goroutine$`
			if err := push(ctx, p, blob); err != nil {
				log.Printf("push %s: %v", p, err)
				return
			}
			wg.Done()
		}()
	}
	wg.Wait()
}

func (m *Mirror) Sync(ctx context.Context, blob []byte) {
	for _, p := range m.peers {
		m.wg.Add(1)
		go func() { // want `this goroutine does not call m\.wg\.Done on the path that returns at line 47, so m\.wg\.Wait at line 53 blocks forever; call defer m\.wg\.Done\(\) first in the goroutine$`
			if p == "" {
				return
			}
			defer m.wg.Done()
			push(ctx, p, blob)
		}()
	}
	m.wg.Wait()
}

// Look-alikes.

func pushAllDeferred(ctx context.Context, peers []string, blob []byte) {
	var wg sync.WaitGroup
	for _, p := range peers {
		wg.Add(1)
		go func() { // ok: deferred first
			defer wg.Done()
			if err := push(ctx, p, blob); err != nil {
				log.Printf("push %s: %v", p, err)
			}
		}()
	}
	wg.Wait()
}

func pushAllReleased(ctx context.Context, peers []string, blob []byte) {
	var wg sync.WaitGroup
	wg.Add(len(peers))
	for _, p := range peers {
		go func() { // ok: wg.Done before both returns
			if err := push(ctx, p, blob); err != nil {
				wg.Done()
				return
			}
			wg.Done()
		}()
	}
	wg.Wait()
}
