//go:build go1.25

package go124

import (
	"context"
	"log"
	"sync"
)

// A worker in a Go 1.25 file, started from spawn.go (Go 1.24).
func replicate(ctx context.Context, wg *sync.WaitGroup, peer string, blob []byte) {
	if err := push(ctx, peer, blob); err != nil {
		log.Printf("replicate to %s: %v", peer, err)
		return
	}
	wg.Done()
}
