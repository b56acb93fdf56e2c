package a

import (
	"context"
	"fmt"
	"log"
	"sync"
)

// wg.Add(n) with a constant n, where some path from the Add to wg.Wait
// starts a different number of goroutines that call wg.Done. Fewer: Wait
// blocks forever. More: a Done drives the counter below zero and panics.
//
// "the path through line N" names, when the path starts too many, the go
// statement of the first goroutine past n; when too few, the branch (the if,
// or the case clause) where the path leaves out a go statement, or, on a
// path without a branch, its last go statement.

func (c *Client) profileAndAvatar(ctx context.Context, id string, withAvatar bool) (profile, avatar []byte) {
	var wg sync.WaitGroup
	wg.Add(2) // want `wg\.Add\(2\) counts 2 goroutines but the path through line 26 starts 1 before wg\.Wait at line 32, which then blocks forever`
	go func() {
		defer wg.Done()
		profile, _ = c.Call(ctx, "profile", []byte(id))
	}()
	if withAvatar {
		go func() {
			defer wg.Done()
			avatar, _ = c.Call(ctx, "avatar", []byte(id))
		}()
	}
	wg.Wait()
	return profile, avatar
}

func replicate(key string, v []byte, primary, backup *Store) {
	var wg sync.WaitGroup
	wg.Add(1) // want `wg\.Add\(1\) counts 1 goroutine but the path through line 45 starts 2 before wg\.Wait at line 51: the counter goes negative and panics`
	go func() {
		defer wg.Done()
		if err := primary.Put(key, v); err != nil {
			log.Printf("primary: %v", err)
		}
	}()
	go func() {
		defer wg.Done()
		if err := backup.Put(key, v); err != nil {
			log.Printf("backup: %v", err)
		}
	}()
	wg.Wait()
}

// A third fetch was removed; the count was not.
func (c *Client) dashboard(ctx context.Context, user string) (orders, invoices []byte) {
	var wg sync.WaitGroup
	wg.Add(3) // want `wg\.Add\(3\) counts 3 goroutines but the path through line 62 starts 2 before wg\.Wait at line 66, which then blocks forever`
	go func() {
		defer wg.Done()
		orders, _ = c.Call(ctx, "orders", []byte(user))
	}()
	go func() {
		defer wg.Done()
		invoices, _ = c.Call(ctx, "invoices", []byte(user))
	}()
	wg.Wait()
	return orders, invoices
}

func (s *Store) backup(mode string, dst, offsite *Store, keys []string) error {
	var wg sync.WaitGroup
	copyTo := func(d *Store) {
		defer wg.Done()
		for _, k := range keys {
			if v, err := s.Get(k); err == nil {
				d.Put(k, v)
			}
		}
	}
	wg.Add(2) // want `wg\.Add\(2\) counts 2 goroutines but the path through line 85 starts 1 before wg\.Wait at line 90, which then blocks forever`
	switch mode {
	case "full":
		go copyTo(dst)
		go copyTo(offsite)
	case "local":
		go copyTo(dst)
	default:
		return fmt.Errorf("unknown backup mode %q", mode)
	}
	wg.Wait()
	return nil
}

func (s *Store) saveWithAudit(key string, v []byte, audit *Store) {
	var wg sync.WaitGroup
	wg.Add(1) // want `wg\.Add\(1\) counts 1 goroutine but the path through line 102 starts 2 before wg\.Wait at line 107: the counter goes negative and panics`
	go func() {
		defer wg.Done()
		s.Put(key, v)
	}()
	if audit != nil {
		go func() {
			defer wg.Done()
			audit.Put("audit/"+key, v)
		}()
	}
	wg.Wait()
}

// Look-alikes.

func (c *Client) profileAndSettings(ctx context.Context, id string) (profile, settings []byte) {
	var wg sync.WaitGroup
	wg.Add(2) // ok: two goroutines on every path
	go func() {
		defer wg.Done()
		profile, _ = c.Call(ctx, "profile", []byte(id))
	}()
	go func() {
		defer wg.Done()
		settings, _ = c.Call(ctx, "settings", []byte(id))
	}()
	wg.Wait()
	return profile, settings
}

func (c *Client) profileAndAvatarBalanced(ctx context.Context, id string, withAvatar bool) (profile, avatar []byte) {
	var wg sync.WaitGroup
	wg.Add(2) // ok: the path without the second goroutine calls wg.Done itself
	go func() {
		defer wg.Done()
		profile, _ = c.Call(ctx, "profile", []byte(id))
	}()
	if withAvatar {
		go func() {
			defer wg.Done()
			avatar, _ = c.Call(ctx, "avatar", []byte(id))
		}()
	} else {
		wg.Done()
	}
	wg.Wait()
	return profile, avatar
}

func (s *Store) saveWithAuditCounted(key string, v []byte, audit *Store) {
	var wg sync.WaitGroup
	wg.Add(1) // ok: counts the first goroutine; the second has its own Add
	go func() {
		defer wg.Done()
		s.Put(key, v)
	}()
	if audit != nil {
		wg.Add(1) // ok: counts the goroutine just below
		go func() {
			defer wg.Done()
			audit.Put("audit/"+key, v)
		}()
	}
	wg.Wait()
}

func (c *Client) threeRegions(ctx context.Context, key string) [3][]byte {
	var (
		wg  sync.WaitGroup
		out [3][]byte
	)
	wg.Add(3) // ok: range over the constant 3 runs exactly three times
	for i := range 3 {
		go func() {
			defer wg.Done()
			out[i], _ = c.Call(ctx, fmt.Sprintf("region%d/get", i), []byte(key))
		}()
	}
	wg.Wait()
	return out
}

func replicateBoth(key string, v []byte, primary, backup *Store) {
	var wg sync.WaitGroup
	wg.Add(2) // ok: the array has exactly two elements
	for _, st := range [2]*Store{primary, backup} {
		go func() {
			defer wg.Done()
			st.Put(key, v)
		}()
	}
	wg.Wait()
}

func (s *Store) saveAndLog(key string, v []byte) {
	var wg sync.WaitGroup
	wg.Add(1) // ok: the logging goroutine does not touch wg, so one counted goroutine
	go log.Printf("saving %s (%d bytes)", key, len(v))
	go func() {
		defer wg.Done()
		s.Put(key, v)
	}()
	wg.Wait()
}

func putOne(wg *sync.WaitGroup, s *Store, key string, v []byte) {
	defer wg.Done()
	s.Put(key, v)
}

func (s *Store) saveTwo(k1, k2 string, v1, v2 []byte) {
	var wg sync.WaitGroup
	wg.Add(2) // ok: two goroutines, one a closure and one a same-package function, each call wg.Done
	go func() {
		defer wg.Done()
		s.Put(k1, v1)
	}()
	go putOne(&wg, s, k2, v2)
	wg.Wait()
}
