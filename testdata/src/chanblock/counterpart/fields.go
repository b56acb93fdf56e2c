// Package counterpart holds channels kept in struct fields of the
// package's types and used by several methods, whose only counterpart
// (the send, the close, the receive, the cancel) live code never
// performs: it sits in a method nothing calls, or it follows an operation
// that never proceeds. The package model reports the blocked operation,
// with the dead counterpart as its witness. Each look-alike differs from
// a leaking case in the one line that makes it correct, and has a type of
// its own: fields are one object per type, so sharing one would make the
// leaking case's counterpart live too.
package counterpart

import (
	"fmt"
	"io"
	"strings"
)

// A consumer started, its feeder never: load sends and closes, but
// nothing calls it.

type indexer struct {
	feed  chan string
	words int
}

func (ix *indexer) run() {
	for doc := range ix.feed { // want `receive from ix\.feed blocks forever: no live code sends on or closes it; the send at line \d+ is never reached: nothing calls indexer\.load`
		ix.words += len(strings.Fields(doc))
	}
}

func (ix *indexer) load(docs []string) {
	for _, d := range docs {
		ix.feed <- d
	}
	close(ix.feed)
}

func startIndexer(docs []string) *indexer {
	ix := &indexer{feed: make(chan string)}
	go ix.run()
	return ix
}

var _ = leaks("startIndexer", func() { startIndexer([]string{"a b", "c"}) })

type loadedIndexer struct {
	feed  chan string
	words int
}

func (ix *loadedIndexer) run() {
	for doc := range ix.feed { // ok: load sends and closes ix.feed
		ix.words += len(strings.Fields(doc))
	}
}

func (ix *loadedIndexer) load(docs []string) {
	for _, d := range docs {
		ix.feed <- d
	}
	close(ix.feed)
}

func startLoadedIndexer(docs []string) *loadedIndexer {
	ix := &loadedIndexer{feed: make(chan string)}
	go ix.run()
	ix.load(docs) // ok: the feeder runs
	return ix
}

var _ = noLeak("startLoadedIndexer", func() { startLoadedIndexer([]string{"a b", "c"}) })

// A producer started, its renderer never: the progress updates wait for
// a receive in a method nothing calls.

type download struct {
	parts    int
	progress chan int
}

func (d *download) fetch() {
	for i := range d.parts {
		d.progress <- i + 1 // want `send on d\.progress blocks forever: it is unbuffered and no live code receives from it; the receive at line \d+ is never reached: nothing calls download\.render`
	}
	close(d.progress)
}

func (d *download) render(w io.Writer) {
	for n := range d.progress {
		fmt.Fprintf(w, "%d/%d\n", n, d.parts)
	}
}

func startDownload(parts int) *download {
	d := &download{parts: parts, progress: make(chan int)}
	go d.fetch()
	return d
}

var _ = leaks("startDownload", func() { startDownload(3) })

type shownDownload struct {
	parts    int
	progress chan int
}

func (d *shownDownload) fetch() {
	for i := range d.parts {
		d.progress <- i + 1 // ok: render receives
	}
	close(d.progress)
}

func (d *shownDownload) render(w io.Writer) {
	for n := range d.progress {
		fmt.Fprintf(w, "%d/%d\n", n, d.parts)
	}
}

func startShownDownload(parts int) *shownDownload {
	d := &shownDownload{parts: parts, progress: make(chan int)}
	go d.fetch()
	go d.render(io.Discard) // ok: the renderer runs
	return d
}

var _ = noLeak("startShownDownload", func() { startShownDownload(3) })
