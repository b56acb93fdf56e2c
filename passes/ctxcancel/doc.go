// Package ctxcancel defines an Analyzer that reports cancel functions of
// contexts (and stop functions of signal.NotifyContext and iter.Pull) that
// are not called on every path.
//
// # Analyzer ctxcancel
//
// ctxcancel: report cancel and stop functions not called on some path
//
// (documentation in progress)
package ctxcancel
