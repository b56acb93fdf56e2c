package dump

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// This file reads the debug=1 form of the goroutine and goroutineleak
// profiles (runtime/pprof's printCountProfile):
//
//	goroutine profile: total 7
//	4 @ 0x489f6e 0x4195bc 0x4191b7 0x674b8b 0x491681
//	# labels: {"worker":"1"}
//	#	0x674b8a	main.First.func1+0x4a	/src/main.go:27
//
//	3 @ ...
//
// one block per distinct stack: its count, its PCs, and for each PC
// outside the runtime a "#" line with the function and file:line. It is
// parsed by hand: github.com/google/pprof/profile reads this legacy form
// too, but keeps only the "@" addresses and drops the "#" lines, the only
// symbols there are without the binary. The form has no wait reasons,
// ages or "created by" lines.

func parseDebug1(br *bufio.Reader, s *Snapshot, progress func(int)) error {
	var (
		lineNo int
		total  int
		sum    int
		cur    *record
	)
	flush := func() {
		if cur != nil {
			s.add(cur)
			sum += cur.count
			cur = nil
		}
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
		text := strings.TrimRight(string(line), "\r\n")
		switch {
		case lineNo == 1:
			m := debug1Header.FindStringSubmatch(text)
			if m == nil {
				return fmt.Errorf("line 1: expected \"goroutine profile: total N\", got %q", clip(text))
			}
			switch m[1] {
			case "goroutine":
				s.Form = FormDebug1
			case "goroutineleak":
				s.Form = FormLeakText
			default:
				return fmt.Errorf("a debug=1 %s profile, not a goroutine profile: expected \"goroutine profile: total N\"", m[1])
			}
			n, err := strconv.Atoi(m[2])
			if err != nil {
				return fmt.Errorf("line 1: bad total %q", m[2])
			}
			total = n
		case text == "":
			flush()
		case strings.HasPrefix(text, "# labels:"):
			// pprof labels: not part of the grouping
		case strings.HasPrefix(text, "#"):
			if cur == nil {
				return fmt.Errorf("line %d: a frame line outside a stack: expected \"N @ 0x...\" first", lineNo)
			}
			f, ok := debug1Frame(text)
			if !ok {
				return fmt.Errorf("line %d: expected \"#\\t0xPC\\tfunction+0xOFF\\tfile:line\", got %q", lineNo, clip(text))
			}
			cur.frames = append(cur.frames, f)
		default:
			count, _, ok := strings.Cut(text, " @")
			n, err := strconv.Atoi(count)
			if !ok || err != nil || n <= 0 {
				return fmt.Errorf("line %d: expected \"N @ 0x...\" (a stack and its count), got %q", lineNo, clip(text))
			}
			flush()
			cur = &record{count: n, minutes: -1, proven: s.Form == FormLeakText}
			if progress != nil && lineNo%4096 == 0 {
				progress(s.Goroutines)
			}
		}
		if err == io.EOF {
			break
		}
	}
	flush()
	if sum != total {
		return fmt.Errorf("truncated: the header says %d goroutines, the stacks count %d", total, sum)
	}
	return nil
}

// debug1Frame parses "#\t0x674b8a\tmain.First.func1+0x4a\t/src/main.go:27"
// (tabwriter may put several tabs between the columns).
func debug1Frame(text string) (Frame, bool) {
	var cols []string
	for c := range strings.SplitSeq(strings.TrimPrefix(text, "#"), "\t") {
		if c = strings.TrimSpace(c); c != "" {
			cols = append(cols, c)
		}
	}
	if len(cols) != 3 || !strings.HasPrefix(cols[0], "0x") {
		return Frame{}, false
	}
	fn := cols[1]
	if i := strings.LastIndex(fn, "+0x"); i > 0 {
		fn = fn[:i]
	}
	i := strings.LastIndexByte(cols[2], ':')
	if i < 0 {
		return Frame{}, false
	}
	line, err := strconv.Atoi(cols[2][i+1:])
	if err != nil {
		return Frame{}, false
	}
	return Frame{Function: fn, File: cols[2][:i], Line: line}, true
}
