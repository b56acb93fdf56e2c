package regress

// caprangeint (range-over-int, Go 1.22): num goroutines started by
// `for range num` (or `for i := range 3`) each send once into a channel of
// capacity num: every send fits in the buffer, so the early return cannot
// strand anyone. The identical function with `for i := 0; i < num; i++` is
// not reported. (quic-go receive_stream_test.go:985,
// streams_map_outgoing_test.go:221/335/396/599, http3/client_test.go:742.)
func capRangeInt(work func() int, ok func() bool) int {
	const num = 3
	ch := make(chan int, num)
	for range num {
		go func() { ch <- work() }() // ok: num goroutines, capacity num
	}
	if !ok() {
		return 0
	}
	return <-ch
}

var _ = noLeak("capRangeInt", func() { capRangeInt(one, no) })

func capRangeIntIndex(work func(int) int, ok func() bool) int {
	results := make(chan int, 3)
	for i := range 3 {
		go func(i int) { results <- work(i) }(i) // ok: 3 goroutines, capacity 3
	}
	if !ok() {
		return 0
	}
	return <-results
}

var _ = noLeak("capRangeIntIndex", func() { capRangeIntIndex(ident, no) })

// Twin: capacity num-1. When ok fails, one goroutine finds the buffer full.
func capRangeIntShort(work func() int, ok func() bool) int {
	const num = 3
	ch := make(chan int, num-1)
	for range num {
		go func() { ch <- work() }() // want `blocks forever sending on ch`
	}
	if !ok() {
		return 0
	}
	return <-ch
}

var _ = leaks("capRangeIntShort", func() { capRangeIntShort(one, no) })

// Twin: 4 goroutines, capacity 3.
func capRangeIntIndexShort(work func(int) int, ok func() bool) int {
	results := make(chan int, 3)
	for i := range 4 {
		go func(i int) { results <- work(i) }(i) // want `blocks forever sending on results`
	}
	if !ok() {
		return 0
	}
	return <-results
}

var _ = leaks("capRangeIntIndexShort", func() { capRangeIntIndexShort(ident, no) })

func one() int        { return 1 }
func ident(i int) int { return i }
