package dump

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/maruel/panicparse/v2/stack"
)

// This file reads the debug=2 text form: runtime.Stack(buf, true) as
// /debug/pprof/goroutine?debug=2 (and goroutineleak?debug=2) serves it,
// and the tracebacks of SIGQUIT and panics, which print the same records
// after a preamble ("SIGQUIT: quit", "panic: ...") and, under
// GOTRACEBACK=crash, before a register dump.
//
// The lines of a record are parsed by panicparse (stack.ScanSnapshot),
// which knows the traceback's variants: "gp=... m=..." headers,
// "fp= sp= pc=" suffixes, elided frames, unavailable stacks, " in
// goroutine N" after "created by", wait reasons with "N minutes".
// What this file does itself, and why:
//
//   - Splitting the stream into records. ScanSnapshot keeps every
//     goroutine of a dump in memory (Snapshot.Goroutines) before
//     returning, and a dump of a million goroutines is gigabytes of them;
//     so records are fed to it in batches of about batchBytes, and each
//     batch's goroutines are folded into groups and dropped.
//   - Truncation. ScanSnapshot ends quietly on a record cut after a
//     function line; a dump served by /debug/pprof/goroutine?debug=2 is
//     cut at 64 MiB. A record that does not end in a file:line (or an
//     "unavailable" line) is reported as truncated here.
//   - " (leaked)" and other decorations. panicparse keeps them in
//     Signature.State ("chan send (leaked)"); they are cut here, and
//     "(leaked)" marks the goroutine proven.
//   - " in goroutine N" after "created by": panicparse cuts it from
//     Func.Name but leaves it in Func.Complete, the name used here.
//   - Goroutine 0 (an M's scheduler stack in a SIGQUIT dump) is no
//     goroutine and is skipped.

// batchBytes is about how much record text is handed to panicparse at a
// time: memory for a batch's goroutines, and few calls.
const batchBytes = 1 << 20

// recordHeader matches a goroutine header the way panicparse's own
// reRoutineHeader does, to split records: "goroutine 7 [chan send, 2
// minutes]:", "goroutine 7 gp=0x... m=nil [running]:".
var recordHeader = regexp.MustCompile(`^goroutine \d+(?: gp=[^ ]+ m=[^ ]+(?: mp=[^ ]+)?)? \[[^\]]+\]:$`)

// parseText reads records from br until EOF, folding each into s.
func parseText(br *bufio.Reader, s *Snapshot, progress func(int)) error {
	var (
		batch      bytes.Buffer
		starts     []int // the line of each record in batch
		lineNo     int
		inRecord   bool
		lastLine   string // the last non-empty line of the current record
		suffixLine int    // the first line of text after the records, if any
		records    int
	)
	flush := func() error {
		if batch.Len() == 0 {
			return nil
		}
		err := parseBatch(batch.Bytes(), starts, s)
		batch.Reset()
		starts = starts[:0]
		if progress != nil {
			progress(s.Goroutines)
		}
		return err
	}
	endRecord := func() error {
		inRecord = false
		batch.WriteByte('\n')
		if !strings.HasPrefix(lastLine, "\t") && !strings.HasPrefix(lastLine, " ") {
			return fmt.Errorf("line %d: truncated goroutine record (started at line %d): expected a file:line after %q "+
				"(/debug/pprof/goroutine?debug=2 stops at 64 MiB; the debug=1 and protobuf forms do not)",
				lineNo, starts[len(starts)-1], clip(lastLine))
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
		if line[len(line)-1] != '\n' { // the last line, cut
			if inRecord {
				return fmt.Errorf("line %d: truncated goroutine record (started at line %d): the data ends in the middle of a line",
					lineNo, starts[len(starts)-1])
			}
			line = append(line, '\n')
		}
		text := strings.TrimRight(string(line), "\r\n")
		switch {
		case recordHeader.MatchString(text):
			if suffixLine > 0 {
				return fmt.Errorf("line %d: a goroutine record after other text at line %d: expected one goroutine dump, not a mix", lineNo, suffixLine)
			}
			if inRecord {
				if err := endRecord(); err != nil {
					return err
				}
			}
			if batch.Len() >= batchBytes {
				if err := flush(); err != nil {
					return err
				}
			}
			inRecord, lastLine = true, text
			records++
			starts = append(starts, lineNo)
			batch.WriteString(text)
			batch.WriteByte('\n')
		case text == "":
			if inRecord {
				if err := endRecord(); err != nil {
					return err
				}
			}
		case inRecord:
			lastLine = text
			batch.WriteString(text)
			batch.WriteByte('\n')
		case records > 0 && suffixLine == 0:
			suffixLine = lineNo // a register dump, "exit status 2"...
		}
		if err == io.EOF {
			break
		}
	}
	if inRecord {
		if err := endRecord(); err != nil {
			return err
		}
	}
	if records == 0 {
		return errors.New("no goroutine records: expected a goroutine dump (\"goroutine 1 [running]:\" records, as debug=2 or a SIGQUIT prints), " +
			"a \"goroutine profile: total N\" debug=1 dump, or a protobuf profile")
	}
	s.Form = FormText
	return flush()
}

// parseBatch parses whole records with panicparse and folds them into s.
func parseBatch(data []byte, starts []int, s *Snapshot) error {
	opts := &stack.Opts{} // no path guessing, no source reading, no argument naming: the dump is from elsewhere
	snap, rest, err := stack.ScanSnapshot(bytes.NewReader(data), io.Discard, opts)
	at := func() int {
		i := 0
		if snap != nil {
			i = max(len(snap.Goroutines)-1, 0)
		}
		return starts[min(i, len(starts)-1)]
	}
	if err != nil && err != io.EOF {
		return fmt.Errorf("goroutine record at line %d: %s", at(), oneLine(err.Error()))
	}
	if len(bytes.TrimSpace(rest)) > 0 {
		first, _, _ := bytes.Cut(bytes.TrimSpace(rest), []byte("\n"))
		return fmt.Errorf("goroutine record at line %d: unexpected line %q", at(), clip(string(first)))
	}
	if snap == nil {
		return nil
	}
	if snap.IsRace() {
		return errors.New("a race detector report, not a goroutine dump")
	}
	for _, g := range snap.Goroutines {
		if g.ID == 0 {
			continue // an M's g0 in a SIGQUIT dump, not a goroutine
		}
		r := record{count: 1, minutes: g.SleepMax}
		r.state, r.proven = cutState(g.State)
		for _, c := range g.Stack.Calls {
			r.frames = append(r.frames, Frame{Function: c.Func.Complete, File: c.RemoteSrcPath, Line: c.Line})
		}
		if len(g.CreatedBy.Calls) > 0 {
			c := g.CreatedBy.Calls[0]
			fn, _, _ := strings.Cut(c.Func.Complete, " in goroutine ")
			r.createdBy = Frame{Function: fn, File: c.RemoteSrcPath, Line: c.Line}
		}
		s.add(&r)
	}
	return nil
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
