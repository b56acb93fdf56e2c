// Package all imports every package the apis table names.
package all

import (
	_ "context"
	_ "iter"
	_ "log"
	_ "os"
	_ "os/signal"
	_ "runtime"
	_ "sync"
	_ "syscall"
	_ "testing"
	_ "time"
)
