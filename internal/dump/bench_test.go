package dump

import (
	"os"
	"testing"
)

// BenchmarkParseFile parses the file $LEAKVET_DUMP_BENCH (made by
// bench/dumpgen), for profiling; bench/dump.sh has the figures.
func BenchmarkParseFile(b *testing.B) {
	name := os.Getenv("LEAKVET_DUMP_BENCH")
	if name == "" {
		b.Skip("set LEAKVET_DUMP_BENCH to a dump file (go run ./bench/dumpgen)")
	}
	for b.Loop() {
		f, err := os.Open(name)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Parse(f, name, nil); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
}
