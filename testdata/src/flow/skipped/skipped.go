// Package skipped uses no acquire API, starts no goroutine and declares no
// channel: the core must not build SSA for it.
package skipped

import "strings"

func Upper(s string) string { return strings.ToUpper(s) }

// A closure called in place is no goroutine.
func Twice(s string) string {
	f := func() string { return s + s }
	return f()
}
