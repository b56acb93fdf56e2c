// Package scanned has one acquire site whose result is only reachable
// through a type from another package: no direct import of context.
package scanned

import "flow/dep"

func Use() {
	ctx, cancel := dep.New()
	defer cancel()
	_ = ctx
}
