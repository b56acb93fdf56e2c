// Package chans uses no acquire API, but a channel and a goroutine: the
// channel passes need its SSA.
package chans

func Spin() {
	ch := make(chan int, 1)
	go func() { ch <- 1 }()
	<-ch
}
