package leakcheck

import (
	"bufio"
	"bytes"
	"strconv"
	"strings"
)

// This file parses the goroutine dumps of runtime.Stack(buf, true) and of
// the goroutineleak profile at debug level 2 (the same format, with
// " (leaked)" after the wait reason of the goroutines the GC proved leaked).
//
// It is hand-written rather than a parser library such as panicparse
// because leakvet verify compiles this package's source into the test
// binaries of modules that do not require leakvet (see source.go): it may
// import nothing but the standard library. The format is the runtime's
// traceback (runtime/traceback.go), small and stable; stack_test.go runs
// the parser over real dumps captured on amd64 and on arm64 (under qemu).

// A goroutine is one goroutine of a dump.
type goroutine struct {
	id        int64
	state     string // the wait reason or status: "chan send", "select", "running"
	leaked    bool   // " (leaked)": the GC proved it can never run again
	frames    []Frame
	createdBy Frame // zero for the main goroutine
}

// parseDump parses a dump of all goroutines. Lines it does not understand
// are skipped: a partial record is better than none, and the dump of a
// newer runtime may add decorations.
func parseDump(dump []byte) []goroutine {
	var (
		out     []goroutine
		cur     *goroutine
		pending *Frame // a function line waiting for its file:line
		created bool   // pending is the "created by" frame
	)
	sc := bufio.NewScanner(bytes.NewReader(dump))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "goroutine "):
			g, ok := parseHeader(line)
			if !ok {
				continue
			}
			out = append(out, g)
			cur = &out[len(out)-1]
			pending = nil
		case cur == nil || line == "":
			continue
		case strings.HasPrefix(line, "\t"):
			if pending == nil {
				continue
			}
			pending.File, pending.Line = parseFileLine(line)
			if created {
				cur.createdBy = *pending
			} else {
				cur.frames = append(cur.frames, *pending)
			}
			pending = nil
		case strings.HasPrefix(line, "created by "):
			fn := strings.TrimPrefix(line, "created by ")
			if i := strings.Index(fn, " in goroutine "); i >= 0 {
				fn = fn[:i]
			}
			pending, created = &Frame{Function: fn}, true
		case strings.HasPrefix(line, "..."):
			// "...additional frames elided..."
			continue
		default:
			pending, created = &Frame{Function: funcName(line)}, false
		}
	}
	return out
}

// parseHeader parses "goroutine 7 [chan send (leaked), 2 minutes]:" and,
// under GOTRACEBACK=system, "goroutine 7 gp=0x... m=nil [chan send]:".
func parseHeader(line string) (goroutine, bool) {
	var g goroutine
	rest := strings.TrimPrefix(line, "goroutine ")
	sp := strings.IndexByte(rest, ' ')
	if sp < 0 {
		return g, false
	}
	id, err := strconv.ParseInt(rest[:sp], 10, 64)
	if err != nil {
		return g, false
	}
	open := strings.IndexByte(rest, '[')
	end := strings.LastIndex(rest, "]:")
	if open < 0 || end < open {
		return g, false
	}
	g.id = id
	// The status, then decorations after commas: ", 2 minutes",
	// ", locked to thread". Wait reasons themselves contain no comma.
	status, _, _ := strings.Cut(rest[open+1:end], ",")
	for _, suffix := range []string{" (scan)", " (durable)"} {
		status = strings.TrimSuffix(status, suffix)
	}
	if s, ok := strings.CutSuffix(status, " (leaked)"); ok {
		status, g.leaked = s, true
	}
	g.state = status
	return g, true
}

// funcName returns the function of a frame line: "main.f(0x1, ...)" or
// "panic({0x4a, 0x5})" without its arguments. Parentheses inside the name
// ("pkg.(*T).m") come before the argument list, so the last "(" starts it.
func funcName(line string) string {
	if i := strings.LastIndexByte(line, '('); i > 0 {
		return line[:i]
	}
	return line
}

// parseFileLine parses "\t/path/to/file.go:12 +0x1d". The file name may
// contain colons (C:/...), so the line number follows the last one.
func parseFileLine(line string) (string, int) {
	line = strings.TrimSpace(line)
	if i := strings.LastIndex(line, " +0x"); i >= 0 {
		line = line[:i]
	}
	i := strings.LastIndexByte(line, ':')
	if i < 0 {
		return line, 0
	}
	n, err := strconv.Atoi(line[i+1:])
	if err != nil {
		return line, 0
	}
	return line[:i], n
}

// funcPackage returns the import path of a function name as the runtime
// prints it: "example.com/m/p.(*T).m.func1" -> "example.com/m/p".
func funcPackage(fn string) string {
	slash := strings.LastIndexByte(fn, '/')
	dot := strings.IndexByte(fn[slash+1:], '.')
	if dot < 0 {
		return fn
	}
	return fn[:slash+1+dot]
}

// isStd reports whether the function belongs to the standard library (or
// the runtime): its import path's first element has no dot, and it is not
// package main. (A module whose path has no dot looks like std here: its
// frames are then skipped when choosing the blocking frame.)
func isStd(fn string) bool {
	pkg := funcPackage(fn)
	if pkg == "main" || strings.HasSuffix(pkg, "_test") {
		return false
	}
	first, _, _ := strings.Cut(pkg, "/")
	return !strings.Contains(first, ".")
}

// blocking returns the frame where the goroutine waits in user code: the
// first frame outside the standard library, or else the first frame.
func (g *goroutine) blocking() Frame {
	for _, f := range g.frames {
		if !isStd(f.Function) {
			return f
		}
	}
	if len(g.frames) > 0 {
		return g.frames[0]
	}
	return Frame{}
}
