#!/usr/bin/env bash
# bench/run.sh: time `go vet -vettool=leakvet` against plain `go vet` and
# against a no-op vet tool (bench/noop), in the same run, with a cold vet
# cache and a warm build cache. See bench/README.md.
set -euo pipefail

readonly QUICK_PKGS="context sync time io os/exec net net/http net/http/httputil database/sql"
readonly TOOLS=(vet noop leakvet)

usage() {
	cat <<'EOF'
usage: bench/run.sh [--quick | --std | --pkgs "PKGS..."] [--dir DIR] [-n N]
                    [--leakvet BIN | --shim] [--no-verify] [--keep]

  --quick        vet a slice of std (default):
                 context sync time io os/exec net net/http net/http/httputil database/sql
  --std          vet all of std (minutes per run on 2 cores)
  --pkgs "P..."  vet these package patterns (space-separated)
  --dir DIR      run inside DIR (e.g. another module); packages default to ./...
  -n N           timed rounds (default 3); each round runs every tool once
  --leakvet BIN  time this leakvet binary instead of building ./cmd/leakvet
  --shim         time unitchecker.Main(leakvet.Analyzers()...) instead of
                 ./cmd/leakvet (the default when ./cmd/leakvet has no main
                 package yet, e.g. in early commits)
  --no-verify    skip the untimed -x run that checks the cache set-up
  --keep         keep the temporary directory (binaries, warm cache)

Results are printed and written to bench/out/<timestamp>-<mode>/.
EOF
}

die() {
	printf 'bench: error: %s\n' "$*" >&2
	exit 1
}

note() {
	printf 'bench: %s\n' "$*" >&2
}

mode=quick
pkgs=$QUICK_PKGS
pkgs_set=0
dir=""
rounds=3
leakvet_arg=""
shim=0
verify=1
keep=0

while (($# > 0)); do
	case $1 in
	--quick) mode=quick pkgs=$QUICK_PKGS pkgs_set=1 ;;
	--std) mode=std pkgs=std pkgs_set=1 ;;
	--pkgs)
		(($# >= 2)) || die "--pkgs needs an argument"
		mode=custom pkgs=$2 pkgs_set=1
		shift
		;;
	--dir)
		(($# >= 2)) || die "--dir needs an argument"
		dir=$2
		shift
		;;
	-n)
		(($# >= 2)) || die "-n needs an argument"
		rounds=$2
		shift
		;;
	--leakvet)
		(($# >= 2)) || die "--leakvet needs an argument"
		leakvet_arg=$2
		shift
		;;
	--shim) shim=1 ;;
	--no-verify) verify=0 ;;
	--keep) keep=1 ;;
	-h | --help)
		usage
		exit 0
		;;
	*)
		usage >&2
		die "unknown argument: $1"
		;;
	esac
	shift
done

[[ $rounds =~ ^[1-9][0-9]*$ ]] || die "-n wants a positive integer, got '$rounds'"

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rundir=$root
if [[ -n $dir ]]; then
	[[ -d $dir ]] || die "--dir $dir: not a directory"
	rundir=$(cd "$dir" && pwd)
	if ((pkgs_set == 0)); then
		mode=dir pkgs=./...
	fi
fi
read -r -a pkg_args <<<"$pkgs"
((${#pkg_args[@]} > 0)) || die "no packages to vet"

command -v go >/dev/null || die "go not found in PATH"
# Never let a go.mod toolchain line switch toolchains mid-benchmark.
export GOTOOLCHAIN=local
gotooldir=$(go env GOTOOLDIR)

have_time=0
if [[ -x /usr/bin/time ]] && /usr/bin/time -f '%e' true 2>/dev/null; then
	have_time=1
else
	note "/usr/bin/time (GNU) not usable: timing with bash's time keyword, no peak RSS"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/leakvet-bench.XXXXXX")
cleanup() {
	if ((keep)); then
		note "kept $work"
	else
		rm -rf "$work"
	fi
}
trap cleanup EXIT

stamp=$(date -u +%Y%m%dT%H%M%SZ)
outdir=$root/bench/out/$stamp-$mode
mkdir -p "$outdir/diag"

# The tools are built from the worktree as it is now: record its state before
# building (others may commit or edit while the benchmark runs).
commit=$(git -C "$root" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
dirty=$(git -C "$root" status --porcelain -- . ':!bench' 2>/dev/null | wc -l)
if ((dirty > 0)); then
	commit+=" + $dirty uncommitted paths outside bench/:"
	commit+=$(git -C "$root" status --porcelain -- . ':!bench' | awk 'NR <= 8 { printf " %s", $2 } NR == 9 { printf " ..." }')
fi

# ---------------------------------------------------------------------------
# Build the tools (with the user's normal GOCACHE: this is not measured).

mkdir -p "$work/bin"

# go_build OUT ARGS... builds in $root. If the module's go.sum lacks entries
# (early commits: x/tools' unitchecker needs golang.org/x/sync), it retries
# with a private copy of go.mod/go.sum (-modfile) so the worktree is never
# written to.
go_build() {
	local out=$1
	shift
	if (cd "$root" && go build -o "$out" "$@") 2>"$work/build.log"; then
		return 0
	fi
	if grep -Eq 'missing go.sum entry|updates to go.mod needed|no required module provides' "$work/build.log"; then
		note "go.mod/go.sum incomplete for $*; building with a private -modfile copy"
		mkdir -p "$work/modfile"
		cp "$root/go.mod" "$work/modfile/go.mod"
		if [[ -f $root/go.sum ]]; then cp "$root/go.sum" "$work/modfile/go.sum"; fi
		if (cd "$root" && go build -modfile="$work/modfile/go.mod" -mod=mod -o "$out" "$@") 2>"$work/build.log"; then
			return 0
		fi
	fi
	cat "$work/build.log" >&2
	return 1
}

note "building bench/noop"
go_build "$work/bin/noop" ./bench/noop || die "cannot build ./bench/noop"

leakvet_kind=""
if [[ -n $leakvet_arg ]]; then
	[[ -x $leakvet_arg ]] || die "--leakvet $leakvet_arg: not an executable"
	cp "$leakvet_arg" "$work/bin/leakvet"
	leakvet_kind="given binary $leakvet_arg"
elif ((shim == 0)) && [[ $(cd "$root" && go list -f '{{.Name}}' ./cmd/leakvet 2>/dev/null || true) == main ]]; then
	note "building ./cmd/leakvet"
	go_build "$work/bin/leakvet" ./cmd/leakvet ||
		die "./cmd/leakvet is a main package but does not build (use --shim or --leakvet BIN to time something else)"
	leakvet_kind="./cmd/leakvet"
else
	# --shim, or no command yet (early commits): time the analyzers the
	# command runs, via unitchecker.Main(leakvet.Analyzers()...). The binary
	# is still named leakvet, so its log prefix is "leakvet: " too.
	if ((shim)); then
		why="--shim"
	else
		why="./cmd/leakvet has no main package"
		note "$why yet; timing a shim over leakvet.Analyzers()"
	fi
	mkdir -p "$work/shim"
	cat >"$work/shim/main.go" <<'EOF'
package main

import (
	"golang.org/x/tools/go/analysis/unitchecker"

	"github.com/leakvet/leakvet"
)

func main() { unitchecker.Main(leakvet.Analyzers()...) }
EOF
	go_build "$work/bin/leakvet" "$work/shim/main.go" || die "cannot build the leakvet shim"
	leakvet_kind="SHIM unitchecker.Main(leakvet.Analyzers()...) ($why)"
fi

for t in noop leakvet; do
	"$work/bin/$t" -V=full >/dev/null || die "$t -V=full failed: not a vet tool?"
done

# vet_cmd TOOL: the go vet command line for TOOL, in the array vet_argv.
vet_cmd() {
	vet_argv=(go vet)
	if [[ $1 != vet ]]; then
		vet_argv+=("-vettool=$work/bin/$1")
	fi
}

# ---------------------------------------------------------------------------
# Warm the build cache once. `go list -export -deps -test` compiles (and
# caches) export data for every package go vet will need, including test
# variants and their dependencies, but runs no vet tool, so the warm cache
# holds no vet results for any tool. (`go vet` would cache its results,
# keyed by the tool's -V=full ID; `go build` misses the test variants.)

master=$work/gocache-warm
note "warming $master: go list -export -deps -test ${pkg_args[*]}"
warm_start=$(date +%s.%N)
(cd "$rundir" && GOCACHE=$master go list -export -deps -test "${pkg_args[@]}") >/dev/null 2>"$work/warm.log" ||
	{
		cat "$work/warm.log" >&2
		die "warming the build cache failed"
	}
warm_end=$(date +%s.%N)
warm_s=$(awk -v a="$warm_start" -v b="$warm_end" 'BEGIN { printf "%.1f", b - a }')
cache_mb=$(du -sm "$master" | cut -f1)
note "warm-up took ${warm_s}s; warm cache is ${cache_mb} MB"

# fresh_cache: a fresh copy of the warm cache at $work/gocache-run. The sync
# keeps the write-back of the copy (1.5 GB for std) out of the timed run.
fresh_cache() {
	rm -rf "$work/gocache-run"
	cp -a "$master" "$work/gocache-run"
	sync
}

# ---------------------------------------------------------------------------
# Verify (untimed, also serves as a warm-up of the OS page cache): with -x,
# on a fresh copy, each tool must run the vet tool at least once and run no
# compiler; and a second noop run on the same cache must run no vet tool,
# which shows cmd/go does cache vet results and the per-run copy is needed.

verify_report=""
if ((verify)); then
	for t in "${TOOLS[@]}"; do
		fresh_cache
		vet_cmd "$t"
		xlog=$outdir/diag/verify-$t.txt
		(cd "$rundir" && GOCACHE=$work/gocache-run "${vet_argv[@]}" -x "${pkg_args[@]}") >"$xlog" 2>&1 || true
		if [[ $t == vet ]]; then toolpath=$gotooldir/vet; else toolpath=$work/bin/$t; fi
		nvet=$(grep -F -- "$toolpath " "$xlog" | grep -c 'vet\.cfg' || true)
		ncomp=$(grep -Ec -- "$gotooldir/(compile|asm|cgo|link) " "$xlog" || true)
		verify_report+="$(printf '  %-8s fresh copy: %5d vet tool runs, %3d compile/asm/cgo/link runs' "$t" "$nvet" "$ncomp")"$'\n'
		((nvet > 0)) || die "verify: $t ran no vet tool on a fresh cache copy: vet results leaked into the warm cache (see $xlog)"
		if ((ncomp > 0)); then
			note "WARNING: $t compiled $ncomp things on a warm cache copy; build time is inside every timed run (see $xlog)"
		fi
		if [[ $t == noop ]]; then
			(cd "$rundir" && GOCACHE=$work/gocache-run "${vet_argv[@]}" -x "${pkg_args[@]}") >"$xlog.again" 2>&1 || true
			nagain=$(grep -F -- "$toolpath " "$xlog.again" | grep -c 'vet\.cfg' || true)
			verify_report+="$(printf '  %-8s same cache again: %5d vet tool runs (0 = cmd/go cached the vet results)' noop "$nagain")"$'\n'
		fi
	done
	rm -f "$outdir"/diag/verify-*.txt*
else
	verify_report="  (skipped: --no-verify)"$'\n'
fi

# ---------------------------------------------------------------------------
# Timed rounds. Each round runs every tool once, on its own fresh copy of the
# warm cache; the starting tool rotates so that no tool is always first.

samples=$outdir/samples.tsv
printf 'round\tslot\ttool\twall_s\tcpu_s\tmaxrss_kb\texit\tdiag_lines\tlines\n' >"$samples"

# failure_line FILE: the first line of FILE (go vet's output) that is not
# part of ordinary findings: "# pkg" headers, "file.go:L:C: msg" lines, their
# indented continuations, and "go: downloading" chatter. Empty if none.
failure_line() {
	grep -Ev '^# |^[^[:space:]]+\.go:[0-9]+(:[0-9]+)?: |^[[:space:]]|^go: downloading |^$' "$1" | head -n 1 || true
}

run_one() {
	local round=$1 slot=$2 t=$3
	local diag=$outdir/diag/r$round-$t.txt tf=$work/time.out rc=0
	fresh_cache
	vet_cmd "$t"
	local start end
	start=$(date +%s.%N)
	if ((have_time)); then
		(cd "$rundir" && GOCACHE=$work/gocache-run /usr/bin/time -o "$tf" -f '%U %S %M' \
			"${vet_argv[@]}" "${pkg_args[@]}") >"$diag" 2>&1 || rc=$?
	else
		(
			cd "$rundir"
			TIMEFORMAT='%U %S -'
			{ time GOCACHE=$work/gocache-run "${vet_argv[@]}" "${pkg_args[@]}" >"$diag" 2>&1; } 2>"$tf"
		) || rc=$?
	fi
	end=$(date +%s.%N)
	local u s m
	read -r u s m < <(tail -n 1 "$tf")
	local wall cpu lines findings
	wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
	cpu=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
	if [[ $m == - ]]; then m=NA; fi
	lines=$(wc -l <"$diag")
	findings=$(grep -Ec '^[^[:space:]]+\.go:[0-9]+(:[0-9]+)?: ' "$diag" || true)
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$slot" "$t" "$wall" "$cpu" "$m" "$rc" "$findings" "$lines" >>"$samples"
	note "round $round: $(printf '%-8s' "$t") ${wall}s wall, ${cpu}s cpu, exit $rc, $findings diag lines"

	# go vet exits 1 both for findings and for failures; a failure shows up
	# as an exit status >= 2 (signal, time(1) trouble), as a line that is
	# not a diagnostic ("vet: ...", "leakvet: ...", "go: ...", "panic: ...",
	# "fatal error: ..."), or as exit 1 with no diagnostics at all.
	local bad=""
	if ((rc >= 2)); then
		bad="exit status $rc"
	elif [[ -n $(failure_line "$diag") ]]; then
		bad="non-diagnostic output: $(failure_line "$diag")"
	elif ((rc == 1 && findings == 0)); then
		bad="exit status 1 without any diagnostics"
	fi
	if [[ -n $bad ]]; then
		head -n 20 "$diag" >&2
		die "round $round: go vet with $t failed ($bad); full output in $diag"
	fi
}

# The 1-minute load average before and after the timed rounds: on a shared
# machine, anything well above the CPU count means the wall times are noisy.
load_start=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo NA)
bench_start=$(date +%s.%N)
for ((r = 1; r <= rounds; r++)); do
	for ((k = 0; k < ${#TOOLS[@]}; k++)); do
		i=$(((r - 1 + k) % ${#TOOLS[@]}))
		run_one "$r" "$((k + 1))" "${TOOLS[$i]}"
	done
done
bench_end=$(date +%s.%N)
bench_s=$(awk -v a="$bench_start" -v b="$bench_end" 'BEGIN { printf "%.0f", b - a }')
load_end=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo NA)

# ---------------------------------------------------------------------------
# Report.

# col TOOL FIELD: the values of column FIELD (1-based) for TOOL, one a line.
col() {
	awk -F '\t' -v t="$1" -v f="$2" 'NR > 1 && $3 == t { print $f }' "$samples"
}

# median: the median of the numbers on stdin ("NA" if none are numeric).
median() {
	{ grep -E '^[0-9.]+$' || true; } | sort -g | awk '{ v[NR] = $1 }
		END {
			if (NR == 0) { print "NA"; exit }
			if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2
		}'
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (a == "NA" || b == "NA" || b == 0) print "NA"; else printf "%.2f", a / b }'
}

declare -A med_wall med_cpu med_rss
for t in "${TOOLS[@]}"; do
	med_wall[$t]=$(col "$t" 4 | median)
	med_cpu[$t]=$(col "$t" 5 | median)
	med_rss[$t]=$(col "$t" 6 | median)
done


report=$outdir/results.txt
{
	echo "leakvet benchmark: cold vet cache, warm build cache"
	echo "date:      $(date -u '+%Y-%m-%d %H:%M:%SZ')"
	echo "commit:    $commit"
	echo "go:        $(go version | cut -d' ' -f3-)"
	echo "machine:   $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ //' || echo unknown)"
	echo "mode:      $mode ($rounds rounds) in $rundir"
	echo "packages:  ${pkg_args[*]}"
	echo "leakvet:   $leakvet_kind"
	echo "warm-up:   ${warm_s}s (go list -export -deps -test), warm cache ${cache_mb} MB"
	echo "timed:     ${bench_s}s for $((rounds * ${#TOOLS[@]})) runs (plus a cache copy before each)"
	echo "load:      1-min load average $load_start before the timed runs, $load_end after ($(nproc) CPUs)"
	echo "verify:"
	printf '%s' "$verify_report"
	echo
	printf '%-8s %10s %10s %10s %10s %12s %10s\n' tool "wall med" "wall min" "wall max" "cpu med" "peak RSS MB" "diag lines"
	for t in "${TOOLS[@]}"; do
		wmin=$(col "$t" 4 | sort -g | sed -n '1p')
		wmax=$(col "$t" 4 | sort -g | sed -n '$p')
		rss=${med_rss[$t]}
		[[ $rss != NA ]] && rss=$(awk -v k="$rss" 'BEGIN { printf "%.0f", k / 1024 }')
		fnd=$(col "$t" 8 | sort -n | uniq | paste -sd/ -)
		printf '%-8s %9.2fs %9.2fs %9.2fs %9.2fs %12s %10s\n' "$t" "${med_wall[$t]}" "$wmin" "$wmax" "${med_cpu[$t]}" "$rss" "$fnd"
	done
	echo
	echo "ratios of medians      wall    cpu"
	printf '  leakvet/vet        %6s %6s\n' "$(ratio "${med_wall[leakvet]}" "${med_wall[vet]}")" "$(ratio "${med_cpu[leakvet]}" "${med_cpu[vet]}")"
	printf '  leakvet/noop       %6s %6s\n' "$(ratio "${med_wall[leakvet]}" "${med_wall[noop]}")" "$(ratio "${med_cpu[leakvet]}" "${med_cpu[noop]}")"
	printf '  vet/noop           %6s %6s\n' "$(ratio "${med_wall[vet]}" "${med_wall[noop]}")" "$(ratio "${med_cpu[vet]}" "${med_cpu[noop]}")"
	echo "above the noop floor (seconds)"
	for t in vet leakvet; do
		printf '  %-18s %6s %6s\n' "$t-noop" \
			"$(awk -v a="${med_wall[$t]}" -v b="${med_wall[noop]}" 'BEGIN { printf "%+.2f", a - b }')" \
			"$(awk -v a="${med_cpu[$t]}" -v b="${med_cpu[noop]}" 'BEGIN { printf "%+.2f", a - b }')"
	done
	echo
	echo "peak RSS = largest single process in the go vet tree (go or one vet tool run), not a sum"
	echo "diag lines = lines of go vet output shaped like file.go:L:C: (findings plus their related-information lines); distinct counts across rounds"
	echo
	echo "raw samples ($samples):"
	column -t -s $'\t' "$samples" 2>/dev/null || cat "$samples"
} >"$report"

cat "$report"
note "results in $outdir"
