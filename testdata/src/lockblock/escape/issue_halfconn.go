package escape

import "sync"

// Two mutexes of one type in two fields are two classes: locking c.in.mu
// then c.out.mu in one method, and c.out.mu then a third mutex in another,
// is no inversion (crypto/tls's Conn with its halfConns taught this: the
// class is every field from the last pointer, not the last field alone).

type half struct {
	mu  sync.Mutex
	seq uint64
}

type Link struct {
	handshake sync.Mutex
	in, out   half
}

// Read holds in.mu, then may take the handshake lock.
func (c *Link) Read() uint64 {
	c.in.mu.Lock()
	defer c.in.mu.Unlock()
	c.handshake.Lock() // ok: handshake after in.mu, and nothing takes in.mu after handshake
	c.handshake.Unlock()
	c.in.seq++
	return c.in.seq
}

// Renegotiate holds the handshake lock, then takes out.mu.
func (c *Link) Renegotiate() {
	c.handshake.Lock()
	defer c.handshake.Unlock()
	c.out.mu.Lock() // ok: out.mu is not in.mu
	c.out.seq = 0
	c.out.mu.Unlock()
}

var _ = noLeak("Link.Read+Renegotiate", func() {
	c := new(Link)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); c.Read() }()
	go func() { defer wg.Done(); c.Renegotiate() }()
	wg.Wait()
})
