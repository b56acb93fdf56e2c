package nodone

import "sync"

// A cluster that boots its nodes and waits until each has its config:
// a node counts itself ready after it receives the config, but nothing
// publishes one.

type cluster struct {
	ready  sync.WaitGroup
	config chan string
	up     chan struct{}
}

func newCluster() *cluster {
	return &cluster{config: make(chan string), up: make(chan struct{})}
}

func (c *cluster) node(apply func(string)) {
	cfg := <-c.config
	apply(cfg)
	c.ready.Done()
}

func (c *cluster) awaitReady() {
	c.ready.Wait() // want `Wait blocks forever: the Add at line \d+ is never balanced: the Done at line \d+ is never reached: it follows an operation that never proceeds at line \d+`
	close(c.up)
}

func (c *cluster) publish(n int, cfg string) {
	for range n {
		c.config <- cfg
	}
}

func boot(n int) *cluster {
	c := newCluster()
	for range n {
		c.ready.Add(1)
		go c.node(func(string) {})
	}
	go c.awaitReady()
	return c
}

var _ = leaks("boot", func() { boot(2) })

type configuredCluster struct {
	ready  sync.WaitGroup
	config chan string
	up     chan struct{}
}

func newConfiguredCluster() *configuredCluster {
	return &configuredCluster{config: make(chan string), up: make(chan struct{})}
}

func (c *configuredCluster) node(apply func(string)) {
	cfg := <-c.config
	apply(cfg)
	c.ready.Done()
}

func (c *configuredCluster) awaitReady() {
	c.ready.Wait() // ok: every node gets its config and counts itself ready
	close(c.up)
}

func (c *configuredCluster) publish(n int, cfg string) {
	for range n {
		c.config <- cfg
	}
}

func bootConfigured(n int) *configuredCluster {
	c := newConfiguredCluster()
	for range n {
		c.ready.Add(1)
		go c.node(func(string) {})
	}
	go c.awaitReady()
	c.publish(n, "replicas=3") // ok: the config is published
	return c
}

var _ = noLeak("bootConfigured", func() { bootConfigured(2) })
