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

	pp "github.com/maruel/panicparse/v2/stack"
)

// This file reads the debug=2 text form: runtime.Stack(buf, true) as
// /debug/pprof/goroutine?debug=2 (and goroutineleak?debug=2) serves it,
// and the tracebacks of SIGQUIT and panics, which print the same records
// after a preamble ("SIGQUIT: quit", "panic: ...") and, under
// GOTRACEBACK=crash, before a register dump.
//
// The stack of a record is parsed by panicparse (stack.ScanSnapshot),
// which knows the traceback's variants: "gp=... m=..." headers,
// "fp= sp= pc=" suffixes, elided frames, unavailable stacks, argument
// lists. What this file does itself, and why:
//
//   - Splitting the stream into records. ScanSnapshot keeps every
//     goroutine of a dump in memory (Snapshot.Goroutines) before
//     returning, and a dump of a million goroutines is gigabytes of them;
//     records are read one by one here and folded into groups.
//   - Parsing each distinct stack once. panicparse's regular expressions
//     cost about 3µs a line (80µs for a goroutine of 14 frames), and a
//     large dump is mostly the same few stacks with different argument
//     values and headers. A record's stack, with its argument lists and
//     "fp= sp= pc=" suffixes cut, keys a cache of parsed stacks (at most
//     maxStacks of them, so memory stays bounded on a dump of all-distinct
//     stacks, which is then parsed record by record).
//   - So the header of each record (id, wait reason, minutes), which
//     differs between goroutines of one stack, is parsed here, as
//     panicparse parses it (comma-separated decorations after the wait
//     reason, "N minutes" among them). " (leaked)", which panicparse
//     would keep in Signature.State, is cut and marks the goroutine
//     proven.
//   - Truncation. ScanSnapshot ends quietly on a record cut after a
//     function line; a dump served by /debug/pprof/goroutine?debug=2 is
//     cut at 64 MiB. A record that does not end in a file:line (or an
//     "unavailable" line) is reported as truncated here.
//   - " in goroutine N" after "created by": panicparse cuts it from
//     Func.Name but leaves it in Func.Complete, the name used here.
//   - Goroutine 0 (an M's scheduler stack in a SIGQUIT dump) is no
//     goroutine and is skipped.

// maxStacks bounds the cache of parsed stacks.
const maxStacks = 1 << 14

// recordHeader matches a goroutine header as panicparse's own
// reRoutineHeader does: "goroutine 7 [chan send, 2 minutes]:",
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
	// "chan send (leaked), 12 minutes, locked to thread", as panicparse
	// reads it.
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

// parseStack parses the body of a record with panicparse.
func parseStack(body string) (st *stack, err error) {
	defer func() {
		// panicparse v2.5.0 panics on some malformed function names
		// (Func.Init slices with an index that url.QueryUnescape moved:
		// "X0%00()"); FuzzParse found it. A bad line is an error here.
		if r := recover(); r != nil {
			st, err = nil, fmt.Errorf("a malformed stack (%v)", r)
		}
	}()
	opts := &pp.Opts{} // no path guessing, no source reading, no argument naming: the dump is from elsewhere
	snap, rest, err := pp.ScanSnapshot(strings.NewReader("goroutine 1 [running]:\n"+body+"\n"), io.Discard, opts)
	if err != nil && err != io.EOF {
		return nil, errors.New(oneLine(err.Error()))
	}
	if len(bytes.TrimSpace(rest)) > 0 {
		first, _, _ := bytes.Cut(bytes.TrimSpace(rest), []byte("\n"))
		return nil, fmt.Errorf("unexpected line %q", clip(string(first)))
	}
	if snap == nil || len(snap.Goroutines) != 1 {
		return nil, errors.New("not a goroutine stack")
	}
	g := snap.Goroutines[0]
	st = &stack{}
	for _, c := range g.Stack.Calls {
		st.frames = append(st.frames, Frame{Function: c.Func.Complete, File: c.RemoteSrcPath, Line: c.Line})
	}
	if len(g.CreatedBy.Calls) > 0 {
		c := g.CreatedBy.Calls[0]
		fn, _, _ := strings.Cut(c.Func.Complete, " in goroutine ")
		st.createdBy = Frame{Function: fn, File: c.RemoteSrcPath, Line: c.Line}
	}
	return st, nil
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
