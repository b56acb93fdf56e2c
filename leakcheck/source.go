package leakcheck

import (
	"embed"
	"io/fs"
)

//go:embed leakcheck.go stack.go
var source embed.FS

// Source returns the source files of this package that leakvet verify
// compiles into the test binaries of modules that do not require leakvet
// (through go test -overlay, as a package of that module), so that their
// tests need no edit and their go.mod no new requirement. It exists for
// leakvet verify and is not meant for other uses. This file is not among
// them: everything the check needs is in the files named above, which
// import only the standard library.
func Source() fs.FS { return source }
