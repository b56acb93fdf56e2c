package explore

import "sync"

// Roots the explorer finds on its own: a closure that captures nothing,
// started by a go statement in a loop of many iterations, is explored by
// itself (the function whose loop starts a hundred of them is past the
// explorer's budget); so is a named function only ever started by go
// statements, with its parameters unknown.

// A load generator: each simulated client sets up two replicas of its
// own and has them pull from each other.

type replica struct {
	mu      sync.Mutex
	version int
}

// pull locks the replica, then the one it pulls from.
func (r *replica) pull(from *replica) {
	r.mu.Lock()
	defer r.mu.Unlock()
	from.mu.Lock() // want `^this goroutine \(goroutine \d, started at line \d+\) blocks here forever on a schedule of RunLoad\$1 \(below\): goroutine \d holds (a|b|r|from)\.mu and is blocked itself at line \d+$`
	defer from.mu.Unlock()
	if from.version > r.version {
		r.version = from.version
	}
}

// RunLoad's clients pull both ways at once: each pull holds its own
// replica's lock while it waits for the other's.
func RunLoad() {
	for i := 0; i < 100; i++ {
		go func() {
			a, b := &replica{version: 1}, &replica{version: 2}
			go a.pull(b)
			go b.pull(a)
		}()
	}
}

func RunLoadInTurn() {
	for i := 0; i < 100; i++ {
		go func() {
			a, b := &replica{version: 1}, &replica{version: 2}
			a.pull(b) // ok: the first pull is over before the second starts
			go b.pull(a)
		}()
	}
}

var _ = noLeak("RunLoadInTurn", RunLoadInTurn)

// A shard server started once per shard. In verbose mode its flush
// reports the new count to the shard's logger while it still holds the
// lock the logger needs to read the stats.

type shard struct {
	mu    sync.Mutex
	stats int
	logs  chan int
}

func (s *shard) logLoop() {
	for n := range s.logs {
		s.mu.Lock() // want `^this goroutine \(goroutine \d, started at line \d+\) blocks here forever on a schedule of serveShard \(below\): goroutine \d holds s\.mu and is blocked itself at line \d+$`
		_ = s.stats + n
		s.mu.Unlock()
	}
}

func (s *shard) flush(verbose bool) {
	s.mu.Lock()
	s.stats++
	if verbose {
		s.logs <- s.stats
		s.logs <- s.stats
	}
	s.mu.Unlock()
	close(s.logs)
}

func (s *shard) flushThenLog(verbose bool) {
	s.mu.Lock()
	s.stats++
	n := s.stats
	s.mu.Unlock() // ok: the lock is released before the logger is told
	if verbose {
		s.logs <- n
		s.logs <- n
	}
	close(s.logs)
}

// serveShard is only started by go statements: the explorer runs it on
// its own, with id and verbose unknown.
func serveShard(id int, verbose bool) {
	s := &shard{stats: id, logs: make(chan int)}
	go s.logLoop()
	s.flush(verbose)
}

func serveShardThenLog(id int, verbose bool) {
	s := &shard{stats: id, logs: make(chan int)}
	go s.logLoop()
	s.flushThenLog(verbose)
}

func StartShards() {
	for i := 0; i < 100; i++ {
		go serveShard(i, i%10 == 0)
	}
}

var _ = leaks("StartShards", StartShards)

func StartShardsThenLog() {
	for i := 0; i < 100; i++ {
		go serveShardThenLog(i, i%10 == 0)
	}
}

var _ = noLeak("StartShardsThenLog", StartShardsThenLog)
