//go:build go1.24

package go124

import (
	"context"
	"sync"
)

// The version that decides the message is that of the file holding the go
// statement (where the finding is and where wg.Go would be written), not that
// of the worker's file: replicate is in worker_go125.go, at Go 1.25.

func replicateAll(ctx context.Context, peers []string, blob []byte) {
	var wg sync.WaitGroup
	for _, p := range peers {
		wg.Add(1)
		go replicate(ctx, &wg, p, blob) // want `this goroutine does not call wg\.Done on the path that returns at line 15, so wg\.Wait at line 20 blocks forever; call defer wg\.Done\(\) first in the goroutine$`
	}
	wg.Wait()
}
