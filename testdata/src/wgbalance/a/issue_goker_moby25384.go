package a

import "sync"

// Regression: GoKer moby#25384 (moby/moby pull 25384, fixed by moving the
// Wait out of the loop). The plugin manager counts every plugin up front and
// then waits inside the loop: the first iteration waits for goroutines that
// later iterations have not started yet, so with more than one plugin it
// blocks forever.

type plugin struct {
	name   string
	loaded bool
}

func (p *plugin) load() { p.loaded = true }

type Manager struct {
	plugins []*plugin
}

func (pm *Manager) init() {
	var group sync.WaitGroup
	group.Add(len(pm.plugins))
	for _, p := range pm.plugins {
		go func(p *plugin) {
			defer group.Done()
			p.load()
		}(p)
		group.Wait() // want `group\.Wait inside the loop that starts the goroutines counted by group\.Add at line 24: the first iteration waits for all of them and blocks forever; move group\.Wait after the loop`
	}
}

// The fix that was merged.
func (pm *Manager) initFixed() {
	var group sync.WaitGroup
	group.Add(len(pm.plugins))
	for _, p := range pm.plugins {
		go func(p *plugin) {
			defer group.Done()
			p.load()
		}(p)
	}
	group.Wait() // ok: after the loop
}
