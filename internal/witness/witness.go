// Package witness writes and reads the steps of a witness schedule: the
// ordered operations of the goroutines that reach a stuck state, carried
// as the messages of a diagnostic's related positions so that every
// driver (vet's JSON, gopls, the plugin) passes them on unchanged. The
// report package turns them into a "schedule:" block in text and SARIF
// threadFlows.
package witness

import (
	"fmt"
	"strconv"
	"strings"
)

// Step is the message of step n (from 1) of a schedule, done by the
// goroutine named g ("goroutine 1").
func Step(n int, g, what string) string {
	return fmt.Sprintf("step %d, %s: %s", n, g, what)
}

// Parse reads a message Step wrote; ok is false for any other message.
func Parse(msg string) (n int, g, what string, ok bool) {
	rest, found := strings.CutPrefix(msg, "step ")
	if !found {
		return 0, "", "", false
	}
	num, rest, found := strings.Cut(rest, ", ")
	if !found {
		return 0, "", "", false
	}
	n, err := strconv.Atoi(num)
	if err != nil || n < 1 {
		return 0, "", "", false
	}
	g, what, found = strings.Cut(rest, ": ")
	if !found || g == "" {
		return 0, "", "", false
	}
	return n, g, what, true
}
