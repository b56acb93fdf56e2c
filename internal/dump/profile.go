package dump

import (
	"bytes"
	"fmt"

	"github.com/google/pprof/profile"
)

// parseProfile reads the protobuf form of the goroutine and goroutineleak
// profiles. Their samples are stacks with a count; they carry no wait
// reasons (inferred from the runtime frames, see inferState), ages or
// "created by" frames. Every goroutine of a goroutineleak profile is one
// the GC proved leaked.
func parseProfile(data []byte, s *Snapshot) (err error) {
	defer func() {
		// The protobuf decoder is third-party code fed with any bytes;
		// FuzzParse found it sound, and this keeps a bug in it an error.
		if r := recover(); r != nil {
			err = fmt.Errorf("bad protobuf data (%v): expected a pprof goroutine profile", r)
		}
	}()
	p, err := profile.Parse(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("not a pprof profile (%s): expected a goroutine dump or profile", oneLine(err.Error()))
	}
	if len(p.SampleType) != 1 {
		return fmt.Errorf("a profile of %d sample types: expected a goroutine profile (one, goroutine/count)", len(p.SampleType))
	}
	switch typ := p.SampleType[0].Type; typ {
	case "goroutine":
		s.Form = FormProfile
	case "goroutineleak":
		s.Form = FormLeak
	default:
		return fmt.Errorf("a %s profile, not a goroutine profile: expected /debug/pprof/goroutine or goroutineleak", typ)
	}
	for _, smp := range p.Sample {
		if len(smp.Value) != 1 {
			return fmt.Errorf("a sample with %d values: expected a goroutine count", len(smp.Value))
		}
		r := record{count: int(smp.Value[0]), minutes: -1, proven: s.Form == FormLeak}
		for _, loc := range smp.Location {
			if len(loc.Line) == 0 { // not symbolized: the address is all there is
				r.frames = append(r.frames, Frame{Function: fmt.Sprintf("0x%x", loc.Address)})
				continue
			}
			// Line[0] is the innermost of the functions inlined at loc.
			for _, ln := range loc.Line {
				f := Frame{Line: int(ln.Line)}
				if ln.Function != nil {
					f.Function, f.File = ln.Function.Name, ln.Function.Filename
				}
				r.frames = append(r.frames, f)
			}
		}
		r.state = inferState(r.frames)
		s.add(&r)
	}
	return nil
}
