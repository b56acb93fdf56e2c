package explore

// A snapshot of the jobs is taken with copy before they are handed out:
// copy writes the snapshot and only reads the jobs, so what each worker
// decides from its job is still known.

func RunSnapshotJobs() {
	go func() {
		jobs := []int{1, 2}
		snap := make([]int, len(jobs))
		copy(snap, jobs)
		results := make(chan int)
		for _, j := range jobs {
			go func() {
				if j > 0 {
					results <- j
				}
			}()
		}
		<-results
		<-results
		_ = snap
	}()
}

var _ = noLeak("RunSnapshotJobs", RunSnapshotJobs)

// RunSnapshotJobsIdle has a job of 0, whose worker sends nothing.
func RunSnapshotJobsIdle() {
	go func() {
		jobs := []int{1, 0}
		snap := make([]int, len(jobs))
		copy(snap, jobs)
		results := make(chan int)
		for _, j := range jobs {
			go func() {
				if j > 0 {
					results <- j
				}
			}()
		}
		<-results
		<-results // want `^this goroutine \(goroutine \d, started at line \d+\) blocks here forever on a schedule of RunSnapshotJobsIdle \(below\): no goroutine that can still run can reach results to send on or close it$`
		_ = snap
	}()
}

var _ = leaks("RunSnapshotJobsIdle", RunSnapshotJobsIdle)
