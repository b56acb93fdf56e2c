package driver

import (
	"os"
	"strings"

	"golang.org/x/tools/go/analysis/multichecker"
)

// RunVet hands the invocation over to multichecker, which implements go
// vet's side of the unitchecker protocol (-V=full, -flags, and one *.cfg
// file per package, including -fix and -diff under go vet) and exits.
func (c *Command) RunVet() {
	guardPanics(c.Analyzers, c.stackPrinter())
	multichecker.Main(c.Analyzers...)
}

// IsVetProtocol reports whether args are go vet talking to its vet tool:
// the -V=full and -flags handshakes, or flags followed by the *.cfg file go
// vet writes for each package. Flag values may stand as separate args, so
// only the last arg is examined for the config file, and it must exist: a
// pattern that merely ends in ".cfg" stays a pattern. args must not be
// empty.
func IsVetProtocol(args []string) bool {
	for _, arg := range args {
		if !strings.HasPrefix(arg, "-") || arg == "--" {
			break
		}
		switch strings.TrimLeft(arg, "-") {
		case "V=full", "flags", "flags=true":
			return true
		}
	}
	last := args[len(args)-1]
	if !strings.HasSuffix(last, ".cfg") {
		return false
	}
	info, err := os.Stat(last)
	return err == nil && info.Mode().IsRegular()
}
