package counterpart

import "context"

// A counterpart that runs only after the operation, in the operation's
// own goroutine, cannot be the one that lets it proceed.

// rows cancels its context when it closes; it closes only once the
// context is done.
type rows struct {
	cancel context.CancelFunc
	closed bool
}

func (r *rows) init(ctx context.Context) {
	ctx, r.cancel = context.WithCancel(ctx)
	go r.awaitDone(ctx)
}

func (r *rows) awaitDone(ctx context.Context) {
	<-ctx.Done() // want `receive from ctx\.Done\(\) blocks forever: no live code cancels the context`
	r.close()
}

func (r *rows) close() {
	r.closed = true
	r.cancel()
}

var _ = leaks("rows.init", func() { (&rows{}).init(context.Background()) })

// closableRows is closed by its user as well.
type closableRows struct {
	cancel context.CancelFunc
	closed bool
}

func (r *closableRows) init(ctx context.Context) {
	ctx, r.cancel = context.WithCancel(ctx)
	go r.awaitDone(ctx)
}

func (r *closableRows) awaitDone(ctx context.Context) {
	<-ctx.Done() // ok: Close cancels the context too
	r.close()
}

func (r *closableRows) close() {
	r.closed = true
	r.cancel()
}

func (r *closableRows) Close() { r.cancel() }

var _ = noLeak("closableRows.Close", func() {
	r := &closableRows{}
	r.init(context.Background())
	r.Close()
})

// echo sends to itself on an unbuffered channel before it receives.
type echo struct {
	ch chan string
}

func (e *echo) roundTrip(s string) string {
	e.ch <- s // want `send on e\.ch blocks forever: it is unbuffered and no live code receives from it`
	return <-e.ch
}

var _ = leaks("echo.roundTrip", func() {
	go (&echo{ch: make(chan string)}).roundTrip("x")
})

// bufferedEcho has room for its own value.
type bufferedEcho struct {
	ch chan string
}

func (e *bufferedEcho) roundTrip(s string) string {
	e.ch <- s // ok: the buffer takes it, and the receive below gets it back
	return <-e.ch
}

var _ = noLeak("bufferedEcho.roundTrip", func() {
	(&bufferedEcho{ch: make(chan string, 1)}).roundTrip("x")
})

// job waits, in a helper, for the done channel its own deferred close
// closes: the close runs only when run returns, after the wait.
type job struct {
	done chan struct{}
}

func (j *job) run() {
	defer close(j.done)
	j.wait()
}

func (j *job) wait() {
	<-j.done // want `receive from j\.done blocks forever: no live code sends on or closes it`
}

var _ = leaks("job.run", func() { go (&job{done: make(chan struct{})}).run() })

// finishedJob is closed by the goroutine that finishes the work.
type finishedJob struct {
	done chan struct{}
}

func (j *finishedJob) run() {
	go j.finish()
	j.wait()
}

func (j *finishedJob) finish() { close(j.done) }

func (j *finishedJob) wait() {
	<-j.done // ok: finish, in its own goroutine, closes it
}

var _ = noLeak("finishedJob.run", func() { (&finishedJob{done: make(chan struct{})}).run() })
