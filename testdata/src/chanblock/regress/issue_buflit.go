package regress

// buflit: one goroutine per element of a 2-element composite literal, and the
// channel has capacity 2 (a constant equal to the literal's length), so both
// sends fit in the buffer whatever the caller does afterwards. The pass accepts
// make(chan T, len(xs)) but not a constant capacity matching a literal's
// length. (temporal internal/extstore/extstore_test.go:1545.)
func bufLit(a, b string, work func(string) error, check func() bool) error {
	done := make(chan error, 2)
	for _, s := range []string{a, b} {
		go func() {
			done <- work(s) // ok: 2 goroutines, capacity 2
		}()
	}
	if !check() {
		return nil // returns without receiving: both sends are buffered
	}
	if err := <-done; err != nil {
		return err
	}
	return <-done
}

var _ = noLeak("bufLit/unchecked", func() { bufLit("a", "b", workOK, no) })

var _ = noLeak("bufLit/checked", func() { bufLit("a", "b", workOK, yes) })

// Twin: capacity 1. When check fails, one goroutine fills the buffer and
// the other blocks forever.
func bufLitShort(a, b string, work func(string) error, check func() bool) error {
	done := make(chan error, 1)
	for _, s := range []string{a, b} {
		go func() {
			done <- work(s) // want `blocks forever sending on done`
		}()
	}
	if !check() {
		return nil
	}
	if err := <-done; err != nil {
		return err
	}
	return <-done
}

var _ = leaks("bufLitShort", func() { bufLitShort("a", "b", workOK, no) })

func workOK(string) error { return nil }
func yes() bool           { return true }
func no() bool            { return false }
