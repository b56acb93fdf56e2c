package dump

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// This file reads the debug=2 text form: runtime.Stack(buf, true) as
// /debug/pprof/goroutine?debug=2 (and goroutineleak?debug=2) serves it,
// and the tracebacks of SIGQUIT and panics, which print the same records
// after a preamble ("SIGQUIT: quit", "panic: ...") and, under
// GOTRACEBACK=crash, before a register dump.
//
// The records are parsed here, not by github.com/maruel/panicparse/v2,
// which this package first used. Measured on it: its package-level
// regular expressions cost 5 ms of init in every leakvet process, and
// under go vet leakvet is one process per package (320 of them for the
// quick bench slice, 1426 for std); ScanSnapshot keeps every goroutine of
// a dump in memory; it costs about 80µs a goroutine; it ends quietly on a
// truncated record and panics on some malformed function names (found by
// FuzzParse). The format is the runtime's traceback, small and stable,
// and leakcheck has parsed it by hand since the start. So:
//
//   - The stream is split into records here and each is folded into its
//     group as it is read: a dump of a million goroutines needs memory
//     for its groups only.
//   - Each distinct stack is parsed once: a record's stack, with its
//     argument lists and "fp= sp= pc=" suffixes cut, keys a cache of
//     parsed stacks (at most maxStacks of them, so memory stays bounded
//     on a dump of all-distinct stacks).
//   - The header of each record (id, wait reason, minutes) is parsed
//     here: comma-separated decorations after the wait reason, "N
//     minutes" among them; " (leaked)" marks the goroutine proven.
//   - A record that does not end in a file:line is truncated (a dump
//     served by /debug/pprof/goroutine?debug=2 is cut at 64 MiB).
//   - " in goroutine N" after "created by" is cut.
//   - Goroutine 0 (an M's scheduler stack in a SIGQUIT dump) is no
//     goroutine and is skipped.

// maxStacks bounds the cache of parsed stacks.
const maxStacks = 1 << 14

// recordHeader matches a goroutine header: "goroutine 7 [chan send, 2 minutes]:",
// "goroutine 7 gp=0x... m=nil [running]:".
var recordHeader = regexp.MustCompile(`^goroutine (\d+)(?: gp=[^ ]+ m=[^ ]+(?: mp=[^ ]+)?)? \[([^\]]+)\]:$`)

// A stack is the parsed stack of a record.
type stack struct {
	frames    []Frame
	createdBy Frame
}

// textParser holds the state of parseText between records.
type textParser struct {
	s      *Snapshot
	stacks map[string]*stack
	key    []byte // the current record's stack, normalized: the cache key
	last   []byte // the current record's last line, as read
}

// parseText reads records from br until EOF, folding each into s. It
// works on the reader's bytes: a string per line would be most of the
// cost of a large dump.
func parseText(br *bufio.Reader, s *Snapshot, progress func(int)) error {
	p := &textParser{s: s, stacks: make(map[string]*stack)}
	var (
		lineNo     int
		header     string // of the current record; "" between records
		start      int    // the line of header
		suffixLine int    // the first line of text after the records, if any
		records    int
	)
	end := func() error {
		h := header
		header = ""
		if len(p.key) == 0 || p.last[0] != '\t' && p.last[0] != ' ' {
			after := h
			if len(p.key) > 0 {
				after = string(p.last)
			}
			return fmt.Errorf("line %d: truncated goroutine record (started at line %d): expected a file:line after %q "+
				"(/debug/pprof/goroutine?debug=2 stops at 64 MiB; the debug=1 and protobuf forms do not)",
				lineNo, start, clip(after))
		}
		if err := p.record(h); err != nil {
			return fmt.Errorf("goroutine record at line %d: %v", start, err)
		}
		if records%(1<<16) == 0 && progress != nil {
			progress(s.Goroutines)
		}
		return nil
	}
	for {
		line, err := readLine(br)
		if err != nil && err != io.EOF {
			return fmt.Errorf("reading: %v", truncatedGzip(err))
		}
		if len(line) == 0 && err == io.EOF {
			break
		}
		lineNo++
		if line[len(line)-1] != '\n' && header != "" { // the last line, cut
			return fmt.Errorf("line %d: truncated goroutine record (started at line %d): the data ends in the middle of a line", lineNo, start)
		}
		text := bytes.TrimRight(line, "\r\n")
		switch {
		case bytes.HasPrefix(text, []byte("goroutine ")) && recordHeader.Match(text):
			if suffixLine > 0 {
				return fmt.Errorf("line %d: a goroutine record after other text at line %d: expected one goroutine dump, not a mix", lineNo, suffixLine)
			}
			if header != "" {
				if err := end(); err != nil {
					return err
				}
			}
			header, start = string(text), lineNo
			p.key, p.last = p.key[:0], p.last[:0]
			records++
		case len(text) == 0:
			if header != "" {
				if err := end(); err != nil {
					return err
				}
			}
		case header != "":
			p.addLine(text)
		case records > 0 && suffixLine == 0:
			suffixLine = lineNo // a register dump, "exit status 2"...
		}
		if err == io.EOF {
			break
		}
	}
	if header != "" {
		if err := end(); err != nil {
			return err
		}
	}
	if records == 0 {
		return errors.New("no goroutine records: expected a goroutine dump (\"goroutine 1 [running]:\" records, as debug=2 or a SIGQUIT prints), " +
			"a \"goroutine profile: total N\" debug=1 dump, or a protobuf profile")
	}
	s.Form = FormText
	return nil
}

// addLine adds a line of a record's stack to its key, without what
// differs from goroutine to goroutine of the same stack: the arguments
// and the "fp= sp= pc=" of GOTRACEBACK=system.
func (p *textParser) addLine(line []byte) {
	p.last = append(p.last[:0], line...)
	switch {
	case line[0] == '\t' || line[0] == ' ':
		if i := bytes.Index(line, []byte(" fp=")); i > 0 {
			line = line[:i]
		}
	case bytes.HasPrefix(line, []byte("created by ")):
	case line[len(line)-1] == ')':
		if i := bytes.LastIndexByte(line, '('); i > 0 {
			p.key = append(p.key, line[:i]...)
			p.key = append(p.key, "(...)\n"...)
			return
		}
	}
	p.key = append(p.key, line...)
	p.key = append(p.key, '\n')
}

// record folds the goroutine of header and the stack in p.key into the
// snapshot.
func (p *textParser) record(header string) error {
	m := recordHeader.FindStringSubmatch(header)
	if m[1] == "0" {
		return nil // an M's g0 in a SIGQUIT dump, not a goroutine
	}
	// "chan send (leaked), 12 minutes, locked to thread"
	r := record{count: 1}
	status := m[2]
	first, rest, _ := strings.Cut(status, ", ")
	r.state, r.proven = cutState(first)
	for rest != "" {
		var item string
		item, rest, _ = strings.Cut(rest, ", ")
		if n, ok := strings.CutSuffix(item, " minutes"); ok {
			if v, err := strconv.Atoi(n); err == nil {
				r.minutes = v
			}
		}
	}
	st := p.stacks[string(p.key)] // no copy of the key for the lookup
	if st == nil {
		key := string(p.key)
		var err error
		if st, err = parseStack(key); err != nil {
			return err
		}
		if len(p.stacks) < maxStacks {
			p.stacks[key] = st
		}
	}
	r.frames, r.createdBy = st.frames, st.createdBy
	p.s.add(&r)
	return nil
}

// parseStack parses the body of a record: pairs of a function line
// ("pkg.F(args)", or "created by pkg.F in goroutine N" last) and its file
// line ("\t/path/file.go:12 +0x1d", with " fp=... sp=... pc=..." under
// GOTRACEBACK=system). Elided frames, "[originating from goroutine N]"
// and a stack the runtime could not print are skipped; anything else is
// an error naming the line, and a function line with no file line after
// it is a truncated record.
func parseStack(body string) (*stack, error) {
	st := &stack{}
	var pending *Frame
	created := false
	for line := range strings.SplitSeq(body, "\n") {
		line = strings.TrimRight(line, "\r")
		switch {
		case strings.TrimSpace(line) == "":
			continue
		case strings.HasPrefix(line, "\t"):
			file, n, ok := fileLine(line)
			if pending == nil || !ok {
				return nil, fmt.Errorf("unexpected line %q", clip(line))
			}
			pending.File, pending.Line = file, n
			if created {
				st.createdBy = *pending
			} else {
				st.frames = append(st.frames, *pending)
			}
			pending = nil
		case pending != nil:
			return nil, fmt.Errorf("a truncated record: %q has no file:line", clip(pending.Function))
		case strings.HasPrefix(line, "...") && strings.HasSuffix(line, "elided..."),
			strings.HasPrefix(line, "[originating from goroutine "),
			strings.Contains(line, "stack unavailable"):
			continue
		case strings.HasPrefix(line, "created by "):
			name, _, _ := strings.Cut(strings.TrimPrefix(line, "created by "), " in goroutine ")
			pending, created = &Frame{Function: name}, true
		default:
			name, ok := funcName(line)
			if !ok {
				return nil, fmt.Errorf("expected a function line, got %q", clip(line))
			}
			pending, created = &Frame{Function: name}, false
		}
	}
	if pending != nil {
		return nil, fmt.Errorf("a truncated record: %q has no file:line", clip(pending.Function))
	}
	if len(st.frames) == 0 {
		return nil, errors.New("not a goroutine stack")
	}
	return st, nil
}

// funcName is the function of a frame's function line: the line without
// its argument list ("main.(*T).m(0xc000010000, ...)" is "main.(*T).m").
// The name stays as the runtime prints it, with the dots of an import
// path's last element escaped ("gopkg.in/yaml%2ev3.F"), as leakcheck
// keeps it: unescaped, the package could not be told from the function.
func funcName(line string) (string, bool) {
	if !strings.HasSuffix(line, ")") {
		return "", false
	}
	i := strings.LastIndex(line, "(")
	if i <= 0 || strings.ContainsAny(line[:i], " \t") {
		return "", false
	}
	return line[:i], true
}

// fileLine reads a frame's file line: "\t/path/file.go:12 +0x1d".
func fileLine(line string) (file string, n int, ok bool) {
	line = strings.TrimPrefix(line, "\t")
	for _, suffix := range []string{" +0x", " fp="} { // " +0x1d", " fp=... sp=... pc=..."
		if i := strings.Index(line, suffix); i >= 0 {
			line = line[:i]
		}
	}
	i := strings.LastIndex(line, ":")
	if i <= 0 {
		return "", 0, false
	}
	n, err := strconv.Atoi(line[i+1:])
	if err != nil || n < 0 {
		return "", 0, false
	}
	return line[:i], n, true
}

// cutState returns a wait reason without the decorations the runtime
// adds to it, and whether one of them was " (leaked)".
func cutState(state string) (string, bool) {
	leaked := false
	for {
		switch {
		case strings.HasSuffix(state, " (leaked)"):
			state, leaked = strings.TrimSuffix(state, " (leaked)"), true
		case strings.HasSuffix(state, " (scan)"):
			state = strings.TrimSuffix(state, " (scan)")
		case strings.HasSuffix(state, " (durable)"):
			state = strings.TrimSuffix(state, " (durable)")
		default:
			return state, leaked
		}
	}
}

// readLine returns the next line with its newline, however long.
func readLine(br *bufio.Reader) ([]byte, error) {
	line, err := br.ReadSlice('\n')
	if err != bufio.ErrBufferFull {
		return line, err
	}
	long := append([]byte(nil), line...)
	for err == bufio.ErrBufferFull {
		line, err = br.ReadSlice('\n')
		long = append(long, line...)
	}
	return long, err
}

// clip shortens s for an error message.
func clip(s string) string {
	if len(s) > 80 {
		return s[:77] + "..."
	}
	return s
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
