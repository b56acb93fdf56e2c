package nodone

import "sync"

// A migration in phases: a phase ends when its steps have, and the
// migration when its phases have. A step is counted down by stepDone,
// which nothing calls; the phase's Done follows the steps' Wait.

type migration struct {
	steps  sync.WaitGroup
	phases sync.WaitGroup
	log    []string
}

func (m *migration) step(run func()) {
	run()
}

func (m *migration) stepDone() { m.steps.Done() }

func (m *migration) phase() {
	m.steps.Wait() // want `Wait blocks forever: the Add at line \d+ is never balanced: the Done at line \d+ is never reached: nothing calls migration\.stepDone`
	m.phases.Done()
}

func (m *migration) finish() {
	m.phases.Wait() // want `Wait blocks forever: the Add at line \d+ is never balanced: the Done at line \d+ is never reached: it follows a Wait that never returns at line \d+`
	m.log = append(m.log, "migrated")
}

func migrate(steps []func()) *migration {
	m := new(migration)
	m.phases.Add(1)
	for _, s := range steps {
		m.steps.Add(1)
		go m.step(s)
	}
	go m.phase()
	go m.finish()
	return m
}

var _ = leaks("migrate", func() { migrate([]func(){addColumn, backfill}) })

type countedMigration struct {
	steps  sync.WaitGroup
	phases sync.WaitGroup
	log    []string
}

func (m *countedMigration) step(run func()) {
	run()
	m.stepDone() // ok: the step is counted down
}

func (m *countedMigration) stepDone() { m.steps.Done() }

func (m *countedMigration) phase() {
	m.steps.Wait() // ok: every step calls stepDone
	m.phases.Done()
}

func (m *countedMigration) finish() {
	m.phases.Wait() // ok: the phase ends once its steps have
	m.log = append(m.log, "migrated")
}

func migrateCounted(steps []func()) *countedMigration {
	m := new(countedMigration)
	m.phases.Add(1)
	for _, s := range steps {
		m.steps.Add(1)
		go m.step(s)
	}
	go m.phase()
	go m.finish()
	return m
}

var _ = noLeak("migrateCounted", func() { migrateCounted([]func(){addColumn, backfill}) })

func addColumn() {}
func backfill()  {}
