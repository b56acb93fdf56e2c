#!/usr/bin/env bash
# bench/corpus.sh: run leakvet over a pinned corpus of real Go modules and
# record its findings per module, so that two leakvet binaries can be
# compared finding for finding. See bench/README.md ("The comparison corpus").
#
# usage: bench/corpus.sh [--leakvet BIN] [--out DIR] [--work DIR]
#                        [--diff OLD_OUT] [-h] [-- LEAKVET_ARGS...]
#
#   --leakvet BIN  the leakvet binary to run (default: build ./cmd/leakvet
#                  from this worktree into a temporary directory)
#   --out DIR      where the findings go (default /tmp/corpus/out):
#                    DIR/<module>.txt  findings (stdout), module cache prefix
#                                      stripped, sorted
#                    DIR/<module>.err  stderr, prefix stripped
#                    DIR/all.txt       every module's findings, in corpus order
#                    DIR/summary.txt   the summary table (exit, seconds, count)
#                    DIR/modules.txt   the corpus module's build list
#   --work DIR     the corpus module (default /tmp/corpus/mod); created if
#                  absent, its requirements are (re)applied on every run
#   --diff OLD     after the run, diff -u OLD/all.txt DIR/all.txt and exit 1
#                  if they differ
#   -- ARGS...     passed to leakvet before the package pattern
#                  (e.g. -- -chanblock)
#
# Each module M is analyzed as `leakvet ARGS M/...` from the corpus module,
# with GOFLAGS=-mod=mod (tests included: leakvet's -test defaults to true).
# leakvet exits 1 when it has findings and 2 (or 3) when it fails; a module
# that fails is recorded in the summary and the run goes on. The script
# exits 0, 1 if --diff found a difference, 2 if it could not set up.
#
# Everything is resolved through the Go module proxy ($GOPROXY).
set -euo pipefail

# The corpus: analyzed modules, in this order. Versions are pinned; they are
# resolved together, with `go get` and no -u, so MVS must select exactly
# these (the script checks).
#
# Dropped: github.com/gorilla/websocket@v1.5.3. k8s.io/client-go@v0.37.2
# requires github.com/gorilla/websocket@v1.5.4-0.20250319132907-e064f32e3674,
# so v1.5.3 cannot be selected together with client-go.
readonly CORPUS=(
	k8s.io/client-go@v0.37.2
	sigs.k8s.io/controller-runtime@v0.25.3
	google.golang.org/grpc@v1.85.0
	go.mongodb.org/mongo-driver@v1.17.10
	github.com/prometheus/client_golang@v1.25.0
	golang.org/x/net@v0.63.0
	github.com/quic-go/quic-go@v0.65.0
	github.com/nats-io/nats.go@v1.56.0
	github.com/hashicorp/yamux@v0.1.2
	github.com/hashicorp/raft@v1.7.2
	github.com/segmentio/kafka-go@v0.4.51
	github.com/redis/go-redis/v9@v9.23.0
	github.com/IBM/sarama@v1.61.1
	go.etcd.io/etcd/client/v3@v3.7.3
	go.uber.org/zap@v1.28.0
)

# Required but not analyzed:
#   - the k8s.io staging modules at client-go's release, so that every
#     k8s.io/* module is at v0.37.2 (controller-runtime@v0.25.3 alone would
#     select k8s.io/apiextensions-apiserver v0.37.0);
#   - cloud.google.com/go past v0.34.0 (what an old golang.org/x/oauth2 in
#     the graph requires): v0.34.0 still contains compute/metadata, which is
#     now its own module, and grpc's test dependencies then fail with
#     "ambiguous import: found package cloud.google.com/go/compute/metadata
#     in multiple modules".
readonly ALIGN=(
	k8s.io/api@v0.37.2
	k8s.io/apimachinery@v0.37.2
	k8s.io/apiextensions-apiserver@v0.37.2
	cloud.google.com/go@v0.123.0
)

usage() {
	sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"
}

die() {
	printf 'corpus: error: %s\n' "$*" >&2
	exit 2
}

note() {
	printf 'corpus: %s\n' "$*" >&2
}

leakvet=""
out=/tmp/corpus/out
work=/tmp/corpus/mod
old=""
extra=()
while (($#)); do
	case "$1" in
	-h | -help | --help)
		usage
		exit 0
		;;
	--leakvet) leakvet="${2:?--leakvet needs a path}"; shift 2 ;;
	--leakvet=*) leakvet="${1#*=}"; shift ;;
	--out) out="${2:?--out needs a directory}"; shift 2 ;;
	--out=*) out="${1#*=}"; shift ;;
	--work) work="${2:?--work needs a directory}"; shift 2 ;;
	--work=*) work="${1#*=}"; shift ;;
	--diff) old="${2:?--diff needs a directory}"; shift 2 ;;
	--diff=*) old="${1#*=}"; shift ;;
	--)
		shift
		extra=("$@")
		break
		;;
	*)
		usage >&2
		die "unknown argument: $1"
		;;
	esac
done

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

if [[ -n "$old" && ! -f "$old/all.txt" ]]; then
	die "--diff $old: no $old/all.txt"
fi

# The leakvet binary. Built with the caller's environment, in the worktree:
# GOFLAGS=-mod=mod is only for the corpus module, never for the repo.
if [[ -z "$leakvet" ]]; then
	note "building ./cmd/leakvet from $repo"
	(cd "$repo" && go build -o "$tmp/leakvet" ./cmd/leakvet) || die "cannot build ./cmd/leakvet"
	leakvet="$tmp/leakvet"
fi
[[ -x "$leakvet" ]] || die "--leakvet $leakvet: not an executable"
leakvet="$(cd "$(dirname "$leakvet")" && pwd)/$(basename "$leakvet")"

mkdir -p "$out" "$work"
out="$(cd "$out" && pwd)"
work="$(cd "$work" && pwd)"
if [[ -n "$old" ]]; then
	old="$(cd "$old" && pwd)"
fi

# From here on, every go command works on the corpus module.
cd "$work"
export GOWORK=off
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-mod=mod"
modcache="$(go env GOMODCACHE)"
[[ -n "$modcache" ]] || die "go env GOMODCACHE is empty"

# strip: remove every occurrence of "$modcache/" (a literal string, not a
# regexp) from stdin.
strip() {
	awk -v p="$modcache/" '{
		s = ""
		while ((i = index($0, p)) > 0) {
			s = s substr($0, 1, i - 1)
			$0 = substr($0, i + length(p))
		}
		print s $0
	}'
}

# sortfindings: sort findings, keeping each one's related lines (leakvet
# prints them after it, as `file:line:col: \tmessage`) and any other
# continuation lines (e.g. -c context) with it. A finding starts at a line
# `file:line[:col]: message` whose message does not start with a tab.
# Byte order (LC_ALL=C), so that the result does not depend on the locale.
sortfindings() {
	awk '
		function flush() { if (rec != "") print rec; rec = "" }
		/^[^ \t].*:[0-9]+(:[0-9]+)?: [^\t]/ { flush(); rec = $0; next }
		{ rec = (rec == "" ? $0 : rec "\037" $0) }
		END { flush() }
	' | LC_ALL=C sort | tr '\037' '\n'
}

# count: the number of findings (not related lines) on stdin.
count() {
	grep -cE '^[^ 	].*:[0-9]+(:[0-9]+)?: [^	]' || true
}

# Set up the corpus module.
if [[ ! -f go.mod ]]; then
	note "creating the corpus module in $work"
	printf 'module corpus\n\ngo 1.26\n' >go.mod
	cat >doc.go <<'EOF'
// Package corpus is the module that bench/corpus.sh runs leakvet from. Its
// go.mod pins the corpus; it has no code of its own.
package corpus
EOF
fi
note "resolving ${#CORPUS[@]} modules (and ${#ALIGN[@]} alignment pins) through $(go env GOPROXY)"
go get "${CORPUS[@]}" "${ALIGN[@]}" 2>"$tmp/get.err" || {
	grep -v '^go: downloading ' "$tmp/get.err" >&2 || true
	die "go get failed in $work"
}
for mv in "${CORPUS[@]}" "${ALIGN[@]}"; do
	m="${mv%@*}" v="${mv#*@}"
	got="$(go list -m -f '{{.Version}}' "$m")"
	if [[ "$got" != "$v" ]]; then
		note "warning: $m: pinned $v, but MVS selects $got"
	fi
done
# Resolve each module's packages, test dependencies included, now, so that
# go.mod and go.sum are complete before leakvet runs, and stay unchanged.
note "resolving the packages (with test dependencies)"
for mv in "${CORPUS[@]}"; do
	go list -e -deps -test "${mv%@*}/..." >/dev/null 2>>"$tmp/list.err" || true
done
go list -m all >"$out/modules.txt"

# sanitize: a module path as a file name.
sanitize() {
	printf '%s' "$1" | tr '/@' '__'
}

{
	printf '# leakvet: %s\n' "$leakvet"
	printf '# version: %s\n' "$("$leakvet" version 2>&1 | head -1 || true)"
	printf '# go: %s\n' "$(go version)"
	printf '# args: %s\n' "${extra[*]:-}"
	printf '%-40s %-12s %4s %8s %8s\n' MODULE VERSION EXIT SECONDS FINDINGS
} >"$out/summary.txt"

: >"$out/all.txt"
total=0
failed=0
for mv in "${CORPUS[@]}"; do
	m="${mv%@*}"
	v="$(go list -m -f '{{.Version}}' "$m")"
	f="$out/$(sanitize "$m")"
	note "leakvet ${extra[*]:-}${extra[*]:+ }$m/..."
	start="$(date +%s.%N)"
	rc=0
	"$leakvet" "${extra[@]}" "$m/..." >"$tmp/stdout" 2>"$tmp/stderr" || rc=$?
	end="$(date +%s.%N)"
	secs="$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')"
	strip <"$tmp/stdout" | sortfindings >"$f.txt"
	strip <"$tmp/stderr" >"$f.err"
	cat "$f.txt" >>"$out/all.txt"
	n="$(count <"$f.txt")"
	total=$((total + n))
	if ((rc > 1)); then
		failed=$((failed + 1))
	fi
	printf '%-40s %-12s %4d %8s %8d\n' "$m" "$v" "$rc" "$secs" "$n" >>"$out/summary.txt"
done
printf '%-40s %-12s %4s %8s %8d\n' TOTAL "" "" "" "$total" >>"$out/summary.txt"

cat "$out/summary.txt"
if ((failed > 0)); then
	note "$failed module(s) exited with status 2 or more: see $out/*.err"
fi
note "findings in $out/all.txt"

if [[ -n "$old" ]]; then
	if diff -u "$old/all.txt" "$out/all.txt"; then
		note "no difference from $old/all.txt"
	else
		exit 1
	fi
fi
