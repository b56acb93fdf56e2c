package regress

// capmakelen: one goroutine per element of xs, where xs := make([]bool, n)
// and the channel has capacity n: len(xs) == n, so every send fits in the
// buffer. The pass accepts make(chan T, len(xs)) but not the constant the
// slice was made with. (quic-go integrationtests/self/cancelation_test.go:259.)
func capMakeLen(work func(bool) error, ok func() bool) error {
	const n = 80
	xs := make([]bool, n)
	errc := make(chan error, n)
	for _, x := range xs {
		go func(x bool) { errc <- work(x) }(x) // ok: len(xs) == n == cap(errc)
	}
	if !ok() {
		return nil // early return: all n sends are buffered
	}
	return <-errc
}

var _ = noLeak("capMakeLen", func() { capMakeLen(workBool, no) })

// Twin: the slice is made with one element more than the channel holds.
func capMakeLenShort(work func(bool) error, ok func() bool) error {
	const n = 80
	xs := make([]bool, n+1)
	errc := make(chan error, n)
	for _, x := range xs {
		go func(x bool) { errc <- work(x) }(x) // want `blocks forever sending on errc`
	}
	if !ok() {
		return nil
	}
	return <-errc
}

var _ = leaks("capMakeLenShort", func() { capMakeLenShort(workBool, no) })

func workBool(bool) error { return nil }
