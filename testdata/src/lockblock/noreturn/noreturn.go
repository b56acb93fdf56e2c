package noreturn

import (
	"fmt"
	"log"
	"os"
	"sync"
)

// A config loader whose error paths end the program or the goroutine
// while it holds the lock.

type Loader struct {
	mu    sync.Mutex
	files map[string][]byte
	errs  int
}

// MustLoad exits the process on a missing file: nothing is left to
// block on the lock.
func (l *Loader) MustLoad(name string) []byte {
	l.mu.Lock() // ok: os.Exit ends every goroutine
	b, ok := l.files[name]
	if !ok {
		fmt.Fprintln(os.Stderr, "missing", name)
		os.Exit(2)
	}
	l.mu.Unlock()
	return b
}

// LoadOrDie is the same with log.Fatalf.
func (l *Loader) LoadOrDie(name string) []byte {
	l.mu.Lock() // ok: log.Fatalf exits
	b, ok := l.files[name]
	if !ok {
		log.Fatalf("missing %s", name)
	}
	l.mu.Unlock()
	return b
}

// Load panics on a corrupt entry holding the lock: a recovered panic
// would leave it locked, but a panic is not a return.
func (l *Loader) Load(name string) []byte {
	l.mu.Lock() // ok: the panic ends the path
	b := l.files[name]
	if len(b) > 0 && b[0] == 0 {
		panic("corrupt " + name)
	}
	l.mu.Unlock()
	return b
}

var _ = noLeak("Loader.Load", func() {
	l := &Loader{files: map[string][]byte{"a": {1}}}
	l.Load("a")
	l.Load("a")
})
