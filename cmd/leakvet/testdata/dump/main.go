// Command leaky leaks goroutines for the tests of 'leakvet dump': it
// serves net/http/pprof on 127.0.0.1 (its address is the first line it
// prints), leaks a fixed batch of goroutines at start, and then PER more
// on every request to /tick (and every -auto interval). With -write FILE
// it instead writes a debug=2 goroutine dump of itself to FILE and
// exits, for runs under qemu. Each leaking operation, in package leaks,
// carries a "LEAK <name>" comment and its go statement a "GO <name>" one;
// dump_test.go finds the lines by them.
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"runtime/pprof"
	"strconv"
	"time"

	"example.com/leaky/leaks"
)

func main() {
	fixed := flag.Int("fixed", 3, "goroutines leaked once, at start, by Wait")
	per := flag.Int("per", 4, "goroutines leaked by First on each /tick")
	write := flag.String("write", "", "write a debug=2 goroutine dump to this `file` and exit")
	auto := flag.Duration("auto", 0, "leak PER more goroutines at this interval")
	flag.Parse()

	for range *fixed {
		leaks.Wait()
	}
	tick := func() {
		qs := make([]string, *per+1)
		for i := range qs {
			qs[i] = strconv.Itoa(i)
		}
		leaks.First(qs)
	}
	tick()
	time.Sleep(100 * time.Millisecond) // let the senders block
	if *write != "" {
		f, err := os.Create(*write)
		if err == nil {
			err = pprof.Lookup("goroutine").WriteTo(f, 2)
		}
		if err == nil {
			err = f.Close()
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}

	if *auto > 0 {
		go func() {
			for range time.Tick(*auto) {
				tick()
			}
		}()
	}
	http.HandleFunc("/tick", func(w http.ResponseWriter, r *http.Request) {
		tick()
		time.Sleep(50 * time.Millisecond)
		fmt.Fprintln(w, "ok")
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(ln.Addr())
	fmt.Fprintln(os.Stderr, http.Serve(ln, nil))
	os.Exit(1)
}
