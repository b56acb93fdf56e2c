package report

import "testing"

// TestSchedules checks that the text format's runs of witness steps
// become a schedule block and that other related lines stay as they are.
func TestSchedules(t *testing.T) {
	t.Parallel()
	in := "./a.go:16:8: s.mu is locked again here\n" +
		"./a.go:10:8: \tstep 1, goroutine 1: locks s.mu\n" +
		"./a.go:16:8: \tstep 2, goroutine 1: locks s.mu again: blocks forever\n" +
		"./a.go:30:2: \tanother path releases it here\n" +
		"./b.go:3:1: a finding without a schedule\n" +
		"./b.go:4:1: \tstep one, not a step\n"
	want := "./a.go:16:8: s.mu is locked again here\n" +
		"./a.go:10:8: \tschedule:\n" +
		"./a.go:10:8: \t  1. goroutine 1: locks s.mu\n" +
		"./a.go:16:8: \t  2. goroutine 1: locks s.mu again: blocks forever\n" +
		"./a.go:30:2: \tanother path releases it here\n" +
		"./b.go:3:1: a finding without a schedule\n" +
		"./b.go:4:1: \tstep one, not a step\n"
	if got := string(schedules([]byte(in))); got != want {
		t.Errorf("schedules:\n%s\nwant:\n%s", got, want)
	}
}
