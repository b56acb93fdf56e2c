//go:build go1.25

// Package go125 is at Go 1.25 through the //go:build line above: analysistest
// loads testdata in GOPATH mode, where the type checker takes each file's Go
// version from its build constraint. sync.WaitGroup.Go exists from Go 1.25:
// the done-some-paths message offers it, and wg.Go is silent however its
// function returns.
package go125

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
		go func() { // want `this goroutine does not call wg\.Done on the path that returns at line 35, so wg\.Wait at line 40 blocks forever; call defer wg\.Done\(\) first in the goroutine, or use wg\.Go$`
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
		go func() { // want `this goroutine does not call m\.wg\.Done on the path that returns at line 48, so m\.wg\.Wait at line 54 blocks forever; call defer m\.wg\.Done\(\) first in the goroutine, or use m\.wg\.Go$`
			if p == "" {
				return
			}
			defer m.wg.Done()
			push(ctx, p, blob)
		}()
	}
	m.wg.Wait()
}

// Not version-dependent: no wg.Go in this message.
func pushAllRacy(ctx context.Context, peers []string, blob []byte) {
	var wg sync.WaitGroup
	for _, p := range peers {
		go func() {
			wg.Add(1) // want `wg\.Add is called inside the goroutine started at line 61, which may run after wg\.Wait at line 67 returns; call wg\.Add before the go statement$`
			defer wg.Done()
			push(ctx, p, blob)
		}()
	}
	wg.Wait()
}

// A hand conversion to wg.Go that kept the Done: wg.Go already releases, so
// the extra Done drives the counter below zero.
func pushAllConverted(ctx context.Context, peers []string, blob []byte) {
	var wg sync.WaitGroup
	for _, p := range peers {
		wg.Go(func() {
			defer wg.Done() // want `wg\.Done without a matching wg\.Add: the counter goes negative and panics`
			push(ctx, p, blob)
		})
	}
	wg.Wait()
}

// Look-alikes.

func pushAllGo(ctx context.Context, peers []string, blob []byte) {
	var wg sync.WaitGroup
	for _, p := range peers {
		wg.Go(func() { // ok: wg.Go releases on every path, the early return included
			if err := push(ctx, p, blob); err != nil {
				log.Printf("push %s: %v", p, err)
				return
			}
			log.Printf("pushed to %s", p)
		})
	}
	wg.Wait()
}

func (m *Mirror) SyncGo(ctx context.Context, blob []byte) {
	for _, p := range m.peers {
		if p == "" {
			continue // ok: wg.Go counts only what it starts
		}
		m.wg.Go(func() { push(ctx, p, blob) })
	}
	m.wg.Wait()
}

func pushInBatches(ctx context.Context, batches [][]string, blob []byte) {
	var wg sync.WaitGroup
	for _, b := range batches {
		for _, p := range b {
			wg.Go(func() { push(ctx, p, blob) })
		}
		wg.Wait() // ok: wg.Go counted this batch only
	}
}

func pushAllDeferred(ctx context.Context, peers []string, blob []byte) {
	var wg sync.WaitGroup
	for _, p := range peers {
		wg.Add(1)
		go func() { // ok: the pre-1.25 form, still correct
			defer wg.Done()
			push(ctx, p, blob)
		}()
	}
	wg.Wait()
}
