package interproc

import (
	"errors"
	"sync"
)

// A database/sql-style driver registry: Open holds the registry's lock
// and calls the driver through its interface; the one driver registers
// the name it opened as an alias, which takes the same lock.

var (
	driversMu sync.Mutex
	drivers   = map[string]Driver{}
)

type Driver interface {
	Open(name string) (Conn, error)
}

type Conn interface{ Close() error }

func Register(name string, d Driver) {
	driversMu.Lock() // want `^driversMu is locked again here, by d\.Open called at line 48 of Open, while the goroutine still holds it since line 42 and sync\.Mutex is not reentrant: it blocks forever; call d\.Open after unlocking, or give it a variant that expects the lock held \(a deferred Unlock runs only when the function returns\)$`
	defer driversMu.Unlock()
	drivers[name] = d
}

type memDriver struct{ opened int }

type memConn struct{}

func (memConn) Close() error { return nil }

func (d *memDriver) Open(name string) (Conn, error) {
	d.opened++
	Register("mem:"+name, d)
	return memConn{}, nil
}

func Open(driverName, name string) (Conn, error) {
	driversMu.Lock()
	defer driversMu.Unlock()
	d, ok := drivers[driverName]
	if !ok {
		return nil, errors.New("unknown driver " + driverName)
	}
	return d.Open(name) // deadlocks: reported at Register's Lock
}

func init() { Register("mem", &memDriver{}) }

// Registered first: once Open's shape has run, driversMu stays locked.
var _ = noLeak("OpenOK", func() { OpenOK("mem", "db") })

var _ = leaks("Open", func() {
	Register("mem2", &memDriver{})
	go Open("mem2", "db")
})

// OpenOK looks the driver up under the lock and opens it outside.
func OpenOK(driverName, name string) (Conn, error) {
	driversMu.Lock()
	d, ok := drivers[driverName]
	driversMu.Unlock()
	if !ok {
		return nil, errors.New("unknown driver " + driverName)
	}
	return d.Open(name) // ok: the lock is released first
}
