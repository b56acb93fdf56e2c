// Package nodone holds WaitGroups kept in struct fields of the package's
// types, counted up by one method and waited for in another, whose every
// Done live code never reaches: it sits in a method nothing calls, or it
// follows an operation (a receive, another Wait) that never proceeds. The
// package model reports the Wait. Each look-alike differs from a leaking
// case in the one line that makes it correct, and has a type of its own:
// fields are one object per type, so sharing one would make the leaking
// case's Done live too.
package nodone

import (
	"strings"
	"sync"
)

// A multipart upload: each part is counted and sent by its own goroutine,
// and a closer goroutine waits for all of them. complete, which counts a
// part down, is never called.

type upload struct {
	wg    sync.WaitGroup
	done  chan struct{}
	sizes []int
}

func (u *upload) send(i int, part string) {
	u.sizes[i] = len(strings.TrimSpace(part))
}

func (u *upload) complete() { u.wg.Done() }

func (u *upload) closeWhenSent() {
	u.wg.Wait() // want `Wait blocks forever: the Add at line \d+ is never balanced: the Done at line \d+ is never reached: nothing calls upload\.complete`
	close(u.done)
}

func startUpload(parts []string) *upload {
	u := &upload{done: make(chan struct{}), sizes: make([]int, len(parts))}
	for i, p := range parts {
		u.wg.Add(1)
		go u.send(i, p)
	}
	go u.closeWhenSent()
	return u
}

var _ = leaks("startUpload", func() { startUpload([]string{"a", "b"}) })

type completedUpload struct {
	wg    sync.WaitGroup
	done  chan struct{}
	sizes []int
}

func (u *completedUpload) send(i int, part string) {
	u.sizes[i] = len(strings.TrimSpace(part))
	u.complete() // ok: the part is counted down
}

func (u *completedUpload) complete() { u.wg.Done() }

func (u *completedUpload) closeWhenSent() {
	u.wg.Wait() // ok: send calls complete
	close(u.done)
}

func startCompletedUpload(parts []string) *completedUpload {
	u := &completedUpload{done: make(chan struct{}), sizes: make([]int, len(parts))}
	for i, p := range parts {
		u.wg.Add(1)
		go u.send(i, p)
	}
	go u.closeWhenSent()
	return u
}

var _ = noLeak("startCompletedUpload", func() { startCompletedUpload([]string{"a", "b"}) })
