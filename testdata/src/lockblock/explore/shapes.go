package explore

// shape registers a function of this package for internal/shapetest,
// which runs it and checks that it leaks a goroutine exactly when leaks is true.
type shape struct {
	name  string
	leaks bool
	run   func()
}

var shapes []shape

func leaks(name string, run func()) bool {
	shapes = append(shapes, shape{name, true, run})
	return true
}

func noLeak(name string, run func()) bool {
	shapes = append(shapes, shape{name, false, run})
	return true
}
