// Package budget gives the package model something to build, for its
// budget test: a field channel only one method receives from, and a Wait
// no Done balances.
package budget

import "sync"

type server struct {
	reqs chan int
	wg   sync.WaitGroup
}

func (s *server) Next() int { return <-s.reqs }

func (s *server) Drain() {
	s.wg.Add(1)
	s.wg.Wait()
}

func New() *server { return &server{reqs: make(chan int)} }
