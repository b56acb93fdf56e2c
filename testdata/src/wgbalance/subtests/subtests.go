// Package subtests holds tests whose subtests call t.Parallel: such a
// subtest does not hold its parent. t.Run returns when it calls
// Parallel, and the rest of it runs once the parent's function has
// returned, beside its parallel siblings, so subtests may wait for one
// another. A subtest that does not call Parallel runs to its end inside
// t.Run.
package subtests

import "sync"

// warm marks one of n warm-up steps done.
func warm(ready *sync.WaitGroup) { ready.Done() }
