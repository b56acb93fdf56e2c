// Package custommain has its own TestMain, which leakvet verify does not
// replace: it says what to add instead.
package custommain

// Spawn starts a goroutine that never ends.
func Spawn() {
	go func() { select {} }()
}
