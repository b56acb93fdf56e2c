// Command dumpgen writes a synthetic goroutine dump of a large service for
// bench/dump.sh: N goroutines in a few dozen groups of Zipf-like sizes,
// each a realistic stack (runtime frames, 4 to 12 frames of a service,
// a "created by" line, wait reasons with minutes), as the debug=2 text of
// /debug/pprof/goroutine?debug=2 and, with -pb, as the protobuf goroutine
// profile of the same goroutines.
//
//	go run ./bench/dumpgen -n 100000 -o dump.txt -pb dump.pb.gz
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"

	"github.com/google/pprof/profile"
)

type kind struct {
	state   string
	runtime []string // runtime frames, innermost first
	frames  []string // service frames, innermost first
	file    string
	line    int
	created int
	weight  float64
}

var states = []struct {
	state   string
	runtime []string
}{
	{"chan send", []string{"runtime.gopark", "runtime.chansend", "runtime.chansend1"}},
	{"chan receive", []string{"runtime.gopark", "runtime.chanrecv", "runtime.chanrecv1"}},
	{"select", []string{"runtime.gopark", "runtime.selectgo"}},
	{"sync.WaitGroup.Wait", []string{"runtime.gopark", "runtime.goparkunlock", "runtime.semacquire1", "sync.runtime_SemacquireWaitGroup", "sync.(*WaitGroup).Wait"}},
	{"IO wait", []string{"runtime.gopark", "runtime.netpollblock", "internal/poll.runtime_pollWait", "internal/poll.(*pollDesc).wait", "internal/poll.(*pollDesc).waitRead", "internal/poll.(*FD).Read", "net.(*netFD).Read", "net.(*conn).Read"}},
}

func main() {
	n := flag.Int("n", 100000, "goroutines")
	groups := flag.Int("groups", 40, "distinct stacks")
	out := flag.String("o", "dump.txt", "the debug=2 text dump")
	pb := flag.String("pb", "", "also write the protobuf profile here")
	flag.Parse()

	rng := rand.New(rand.NewPCG(1, 2))
	var kinds []kind
	total := 0.0
	for i := range *groups {
		st := states[i%len(states)]
		k := kind{state: st.state, runtime: st.runtime, file: fmt.Sprintf("/build/src/example.com/svc/pkg%d/handler.go", i%7),
			line: 40 + i*13, created: 30 + i*13, weight: 1 / float64(i+1)}
		depth := 4 + rng.IntN(9)
		for d := range depth {
			k.frames = append(k.frames, fmt.Sprintf("example.com/svc/pkg%d.(*Server%d).step%d", i%7, i, d))
		}
		k.frames[0] += ".func1"
		kinds = append(kinds, k)
		total += k.weight
	}
	counts := make([]int, len(kinds))
	left := *n
	for i, k := range kinds {
		c := int(float64(*n) * k.weight / total)
		if i == len(kinds)-1 || c > left {
			c = left
		}
		counts[i] = c
		left -= c
	}

	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	id := 1
	for i, k := range kinds {
		for range counts[i] {
			id++
			minutes := ""
			if m := rng.IntN(90); m > 0 {
				minutes = fmt.Sprintf(", %d minutes", m)
			}
			fmt.Fprintf(w, "goroutine %d [%s%s]:\n", id, k.state, minutes)
			for j, fn := range k.runtime {
				fmt.Fprintf(w, "%s(0x%x?, 0x0?, 0x0?)\n\t/usr/local/go/src/runtime/proc.go:%d +0x%x\n", fn, 0xc000100000+id*8, 400+j, 0x20+j)
			}
			for j, fn := range k.frames {
				fmt.Fprintf(w, "%s(0x%x, {0x%x, 0x%x})\n\t%s:%d +0x%x\n", fn, 0xc000200000+id*16, 0x7f000+j, 0x12, k.file, k.line+j*3, 0x40+j)
			}
			fmt.Fprintf(w, "created by example.com/svc/pkg%d.(*Server%d).Start in goroutine 1\n\t%s:%d +0x5f\n\n", i%7, i, k.file, k.created)
		}
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	if *pb != "" {
		writeProfile(*pb, kinds, counts)
	}
}

// writeProfile writes the same goroutines as a goroutine profile.
func writeProfile(name string, kinds []kind, counts []int) {
	p := &profile.Profile{
		SampleType: []*profile.ValueType{{Type: "goroutine", Unit: "count"}},
		PeriodType: &profile.ValueType{Type: "goroutine", Unit: "count"},
		Period:     1,
	}
	funcs := make(map[string]*profile.Function)
	loc := func(fn, file string, line int) *profile.Location {
		f := funcs[fn]
		if f == nil {
			f = &profile.Function{ID: uint64(len(funcs) + 1), Name: fn, SystemName: fn, Filename: file}
			funcs[fn] = f
			p.Function = append(p.Function, f)
		}
		l := &profile.Location{ID: uint64(len(p.Location) + 1), Address: uint64(0x400000 + len(p.Location)*16), Line: []profile.Line{{Function: f, Line: int64(line)}}}
		p.Location = append(p.Location, l)
		return l
	}
	for i, k := range kinds {
		s := &profile.Sample{Value: []int64{int64(counts[i])}}
		for j, fn := range k.runtime {
			s.Location = append(s.Location, loc(fn, "/usr/local/go/src/runtime/proc.go", 400+j))
		}
		for j, fn := range k.frames {
			s.Location = append(s.Location, loc(fn, k.file, k.line+j*3))
		}
		s.Location = append(s.Location, loc("runtime.goexit", "/usr/local/go/src/runtime/asm_amd64.s", 1700))
		p.Sample = append(p.Sample, s)
	}
	f, err := os.Create(name)
	if err != nil {
		log.Fatal(err)
	}
	if err := p.Write(f); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}
