package dump

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"regexp"
	"unicode/utf8"
)

// maxProfileBytes bounds the protobuf profile read into memory (the
// format is not streamable); a goroutine profile groups identical stacks,
// so even a million goroutines make a few megabytes.
const maxProfileBytes = 1 << 30

// Parse reads one source, detecting its form from the data, and returns
// its goroutines grouped. name names the source in errors. progress, if
// not nil, is called now and then with the goroutines read so far.
//
// Every error is one line that names the source and says what was
// expected; Parse never panics, whatever the input (see FuzzParse).
func Parse(r io.Reader, name string, progress func(int)) (*Snapshot, error) {
	s := newSnapshot(name)
	err := parse(bufio.NewReaderSize(r, 64<<10), s, progress, 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return s, nil
}

// debug1Header matches the first line of the debug=1 form: "goroutine
// profile: total 12".
var debug1Header = regexp.MustCompile(`^(\S+) profile: total (\d+)\r?$`)

func parse(br *bufio.Reader, s *Snapshot, progress func(int), depth int) error {
	head, err := br.Peek(512)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return fmt.Errorf("reading: %v", truncatedGzip(err))
	}
	if len(head) == 0 {
		return errors.New("empty: expected a goroutine dump or profile")
	}
	if len(head) >= 2 && head[0] == 0x1f && head[1] == 0x8b {
		if depth > 0 {
			return errors.New("gzip inside gzip: expected a gzipped goroutine dump or profile")
		}
		zr, err := gzip.NewReader(br)
		if err != nil {
			return fmt.Errorf("bad gzip data: %v", err)
		}
		defer zr.Close()
		return parse(bufio.NewReaderSize(zr, 64<<10), s, progress, depth+1)
	}
	if isBinary(head) {
		data, err := io.ReadAll(io.LimitReader(br, maxProfileBytes+1))
		if err != nil {
			return fmt.Errorf("reading: %v", truncatedGzip(err))
		}
		if len(data) > maxProfileBytes {
			return fmt.Errorf("binary data over %d MiB: expected a pprof goroutine profile", maxProfileBytes>>20)
		}
		return parseProfile(data, s)
	}
	text := bytes.TrimLeft(head, " \t\r\n\ufeff")
	if len(text) > 0 && text[0] == '<' || bytes.Contains(bytes.ToLower(head), []byte("<html")) {
		return errors.New("an HTML page, not a goroutine dump: expected a /debug/pprof/goroutine or goroutineleak URL (with ?debug=1, ?debug=2 or none)")
	}
	firstLine, _, _ := bytes.Cut(text, []byte("\n"))
	if m := debug1Header.FindSubmatch(firstLine); m != nil {
		return parseDebug1(br, s, progress)
	}
	return parseText(br, s, progress)
}

// isBinary reports whether the start of a source is binary data, such as
// the protobuf form (whose first byte is the tag of field 1, 0x0a), rather
// than text.
func isBinary(head []byte) bool {
	for _, b := range head {
		if b < 0x20 && b != '\t' && b != '\n' && b != '\r' || b == 0x7f {
			return true
		}
	}
	// The last rune may be cut by the peek.
	for i := 0; i < 4 && len(head) > 0; i++ {
		if utf8.Valid(head) {
			return false
		}
		head = head[:len(head)-1]
	}
	return !utf8.Valid(head)
}

// truncatedGzip says what an unexpected EOF of a gzip stream means.
func truncatedGzip(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("truncated gzip data")
	}
	return err
}
