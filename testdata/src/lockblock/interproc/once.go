package interproc

import (
	"net/http"
	"sync"
)

// A client whose lazy init runs under sync.Once while the caller holds
// the client's lock; the init locks it too.

type Client struct {
	mu      sync.Mutex
	once    sync.Once
	http    *http.Client
	headers map[string]string
}

func (c *Client) setHeader(k, v string) {
	c.mu.Lock() // want `^c\.mu is locked again here, by c\.once\.Do called at line 33 of Header, while the goroutine still holds it since line 31 and sync\.Mutex is not reentrant: it blocks forever; call c\.once\.Do after unlocking, or give it a variant that expects the lock held \(a deferred Unlock runs only when the function returns\)$`
	c.headers[k] = v
	c.mu.Unlock()
}

func (c *Client) init() {
	c.headers = map[string]string{}
	c.setHeader("User-Agent", "leakvet")
}

// Header inits through a closure under Once.Do.
func (c *Client) Header(k string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.once.Do(func() { // deadlocks: reported at setHeader's Lock
		c.http = &http.Client{}
		c.init()
	})
	return c.headers[k]
}

var _ = leaks("Client.Header", func() { go new(Client).Header("User-Agent") })

// Transport is a second client whose Do inits through a method value
// under Once.Do; the init locks t.mu itself.
type Transport struct {
	mu      sync.Mutex
	once    sync.Once
	headers map[string]string
}

func (t *Transport) loadDefaults() {
	t.mu.Lock() // want `^t\.mu is locked again here, by t\.once\.Do called at line 58 of Do, while the goroutine still holds it since line 57 and sync\.Mutex is not reentrant: it blocks forever; call t\.once\.Do after unlocking, or give it a variant that expects the lock held$`
	t.headers = map[string]string{"User-Agent": "leakvet"}
	t.mu.Unlock()
}

func (t *Transport) Do(req *http.Request) {
	t.mu.Lock()
	t.once.Do(t.loadDefaults) // deadlocks: reported at loadDefaults' Lock
	for k, v := range t.headers {
		req.Header.Set(k, v)
	}
	t.mu.Unlock()
}

var _ = leaks("Transport.Do", func() {
	req, _ := http.NewRequest("GET", "http://example.invalid", nil)
	go new(Transport).Do(req)
})

// The same, with the Once outside the lock.

func (c *Client) HeaderOK(k string) string {
	c.once.Do(c.init) // ok: not under c.mu
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.headers[k]
}

var _ = noLeak("Client.HeaderOK", func() { new(Client).HeaderOK("User-Agent") })
