// Package leaks holds the leaks of the program leaky, apart from its
// HTTP server so that 'leakvet dump -src ./leaks' loads little.
package leaks

// First returns the first answer; the other senders block forever.
func First(queries []string) string {
	ch := make(chan string)
	for _, q := range queries {
		go func() { // GO blocked-send
			ch <- "answer to " + q // LEAK blocked-send
		}()
	}
	return <-ch
}

// Wait starts a goroutine that waits for a signal nobody sends.
func Wait() {
	done := make(chan struct{})
	go func() { // GO blocked-receive
		<-done // LEAK blocked-receive
	}()
}
