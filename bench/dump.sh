#!/usr/bin/env bash
# bench/dump.sh: time and peak RSS of 'leakvet dump' on a 100,000-goroutine
# debug=2 text dump and on its protobuf goroutine profile, against
# 'go tool pprof -top' on the same profile (median of N runs each), then
# one streaming run on a 1,000,000-goroutine text dump piped from the
# generator. See bench/README.md ("leakvet dump").
#
#   bench/dump.sh [-n RUNS] [--goroutines N] [--big N] [--keep]
set -euo pipefail
cd "$(dirname "$0")/.."

runs=5 goroutines=100000 big=1000000 keep=
while [ $# -gt 0 ]; do
	case $1 in
	-n) runs=$2; shift 2 ;;
	--goroutines) goroutines=$2; shift 2 ;;
	--big) big=$2; shift 2 ;;
	--keep) keep=1; shift ;;
	*) echo "usage: bench/dump.sh [-n RUNS] [--goroutines N] [--big N] [--keep]" >&2; exit 2 ;;
	esac
done

if [ ! -x /usr/bin/time ] || ! command -v bc >/dev/null; then
	echo "bench/dump.sh needs GNU time and bc (Debian: apt-get install time bc)" >&2
	exit 2
fi

tmp=$(mktemp -d)
if [ -z "$keep" ]; then trap 'rm -rf "$tmp"' EXIT; else echo "keeping $tmp"; fi
go build -o "$tmp/leakvet" ./cmd/leakvet
go build -o "$tmp/leakvet-dump" ./cmd/leakvet-dump # leakvet dump runs it
go build -o "$tmp/dumpgen" ./bench/dumpgen
"$tmp/dumpgen" -n "$goroutines" -o "$tmp/dump.txt" -pb "$tmp/dump.pb.gz"
echo "inputs: $goroutines goroutines: debug=2 text $(du -h "$tmp/dump.txt" | cut -f1), protobuf $(du -h "$tmp/dump.pb.gz" | cut -f1)"
echo "$(go version); $(nproc) CPUs"

# measure NAME CMD...: runs CMD $runs times, prints the median wall time,
# the median CPU time (user+sys: steadier than wall on a shared machine)
# and the median peak RSS.
measure() {
	local name=$1
	shift
	local times=() cpus=() rss=()
	for _ in $(seq "$runs"); do
		/usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "$@" >/dev/null 2>"$tmp/stderr" || {
			# leakvet dump exits 1 on a leak: the generated dumps have none
			cat "$tmp/stderr" >&2
			exit 1
		}
		read -r t u s m <"$tmp/time"
		times+=("$t")
		cpus+=("$(echo "$u + $s" | bc)")
		rss+=("$m")
	done
	median() { printf '%s\n' "$@" | sort -g | sed -n "$((($# + 1) / 2))p"; }
	printf '%-40s %8.2f s %8.2f s %10d KiB   (n=%d; wall: %s)\n' "$name" \
		"$(median "${times[@]}")" "$(median "${cpus[@]}")" "$(median "${rss[@]}")" "$runs" "${times[*]}"
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '%-40s %10s %10s %14s\n' "command" "wall" "cpu" "peak RSS"
measure "leakvet dump dump.txt (debug=2)" "$tmp/leakvet" dump -top 0 "$tmp/dump.txt"
measure "leakvet dump dump.pb.gz (protobuf)" "$tmp/leakvet" dump -top 0 "$tmp/dump.pb.gz"
measure "go tool pprof -top dump.pb.gz" go tool pprof -top "$tmp/dump.pb.gz"
# go tool pprof runs a cached binary through the go command: time that
# binary itself too, to leave the go command out.
pprof=$(go tool -n pprof)
measure "pprof -top dump.pb.gz (the binary)" "$pprof" -top "$tmp/dump.pb.gz"

if [ "$big" -gt 0 ]; then
	echo
	echo "streaming: $big goroutines of debug=2 text piped from the generator into 'leakvet dump -'"
	bytes=$("$tmp/dumpgen" -n "$big" -o /dev/stdout | wc -c)
	# leakvet's own time and RSS; its wall time includes waiting for the
	# generator, its CPU time does not.
	"$tmp/dumpgen" -n "$big" -o /dev/stdout | /usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "$tmp/leakvet" dump -top 3 - >"$tmp/big.txt"
	read -r t u s m <"$tmp/time"
	printf 'input %d MiB; leakvet dump: %.2f s wall, %.2f s cpu, peak RSS %d KiB\n' $((bytes >> 20)) "$t" "$(echo "$u + $s" | bc)" "$m"
	tail -n 1 "$tmp/big.txt"
fi
