// Package skipped uses no acquire API: the core must not build SSA for it.
package skipped

import "strings"

func Upper(s string) string { return strings.ToUpper(s) }

// A channel and a goroutine alone do not create a cancel obligation.
func Spin() {
	ch := make(chan int, 1)
	go func() { ch <- 1 }()
	<-ch
}
