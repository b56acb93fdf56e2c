package a

import (
	"log"
	"net"
	"sync"
)

// Regression: a WaitGroup used as a "started" signal. Each server calls
// wg.Done once it is listening and then keeps serving; Wait returns once all
// of them are up. Done is not the goroutine's last act, and must not be
// deferred (that would wait for the servers to stop).

func serve(ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		conn.Close()
	}
}

func startServers(addrs []string) []net.Listener {
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		lns []net.Listener
	)
	for _, addr := range addrs {
		wg.Add(1)
		go func() { // ok: every path calls wg.Done, the failing one too
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				log.Printf("listen %s: %v", addr, err)
				wg.Done()
				return
			}
			mu.Lock()
			lns = append(lns, ln)
			mu.Unlock()
			wg.Done()
			serve(ln)
		}()
	}
	wg.Wait()
	return lns
}

func startServersLeak(addrs []string) {
	var wg sync.WaitGroup
	for _, addr := range addrs {
		wg.Add(1)
		go func() { // want `this goroutine does not call wg\.Done on the path that returns at line 58, so wg\.Wait at line 64 blocks forever; call defer wg\.Done\(\) first in the goroutine, or use wg\.Go`
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				log.Printf("listen %s: %v", addr, err)
				return
			}
			wg.Done()
			serve(ln)
		}()
	}
	wg.Wait()
}
