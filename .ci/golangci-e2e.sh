#!/usr/bin/env bash
# End-to-end test of the golangci-lint module plugin, run by .ci/run: builds
# golangci-lint v2 with leakvet's plugin compiled in (tools/gcl, the offline
# equivalent of 'golangci-lint custom') and runs it on the example module
# (cmd/leakvet/testdata/example) the way a user does. Asserts that every
# finding leakvet reports standalone appears, that //nolint:leakvet and the
# per-pass linters' //nolint:leakvet-NAME silence exactly one finding, that
# //leakvet:ignore works, and that settings reach the passes.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d "${TMPDIR:-/tmp}/leakvet-gcl-e2e.XXXXXX")
trap 'rm -rf "$work"' EXIT
export GOLANGCI_LINT_CACHE="$work/cache" GOWORK=off GITHUB_WORKSPACE=

fail() { echo "golangci-e2e: FAIL: $*" >&2; exit 1; }

echo "-- building golangci-lint with the leakvet plugin (tools/gcl)"
(cd tools/gcl && go build -o "$work/golangci-lint" .)
go build -o "$work/leakvet" ./cmd/leakvet
gcl=$work/golangci-lint

# The pass names, from leakvet itself: never a list kept here.
mapfile -t passes < <("$work/leakvet" -h | awk '/^Passes:/{p=1; next} p && /^  [a-z]/{print $1} p && /^Every pass/{exit}')
[ "${#passes[@]}" -gt 0 ] || fail "no passes in 'leakvet -h'"
echo "passes: ${passes[*]}"

# example writes a fresh copy of the example module to $work/ex.
example() {
	rm -rf "$work/ex"
	mkdir -p "$work/ex"
	cp cmd/leakvet/testdata/example/*.go "$work/ex/"
	cp cmd/leakvet/testdata/example/go.mod.txt "$work/ex/go.mod"
}

# lint runs golangci-lint in the example; its output is in $out, its exit
# status in $status.
lint() {
	set +e
	out=$(cd "$work/ex" && "$gcl" run --output.text.print-issued-lines=false --show-stats=false "$@" ./... 2>&1)
	status=$?
	set -e
}

# findings prints the main findings of golangci-lint's output (not the
# related information it reports as issues of their own).
findings() { grep -E '^[a-z]+\.go:[0-9]+:[0-9]+: ' <<<"$out" | grep -v '(related information)' || true; }
has() { grep -q -- "$1" <<<"$(findings)"; } # (no pipe into grep -q: pipefail)
count() { findings | wc -l; }

# standalone runs leakvet itself in the example; findings are no failure.
standalone() { (cd "$work/ex" && "$work/leakvet" "$@" ./...) || true; }

config_all() {
	cat >"$work/ex/.golangci.yml" <<YAML
version: "2"
linters:
  default: none
  enable: [leakvet]
  settings:
    custom:
      leakvet:
        type: module
        description: goroutine leaks and lifecycle bugs (leakvet)
        settings:
$1
YAML
}

example
config_all "          {}"
want=$(standalone | grep -cv $'^\\./[^ ]*: \t' || true)
lint
echo "$out"
[ "$status" = 1 ] || fail "golangci-lint exited $status with findings, want 1"
got=$(count)
[ "$got" = "$want" ] || fail "golangci-lint reported $got findings, leakvet standalone $want"
for p in "${passes[@]}"; do
	[ -z "$(standalone -"$p")" ] && continue # no finding of this pass in the example
	has ": $p: " || fail "no $p finding under golangci-lint"
done

echo "-- as editors run it: JSON on stdout, exit 0 with issues (golangci-lint-langserver, vscode-go)"
json=$(cd "$work/ex" && "$gcl" run --output.json.path=stdout --show-stats=false --issues-exit-code=0 ./...) || fail "editor-style run failed"
[ "$(grep -o '"FromLinter":"leakvet"' <<<"$json" | wc -l)" -ge "$want" ] || fail "editor-style JSON lacks the findings: $json"

# The discarded cancel: its line, from leakvet's own output.
line=$(standalone | grep -m1 'is discarded' | cut -d: -f1,2)
file=${line%%:*}
file=${file#./}
n=${line##*:}
[ -n "$n" ] || fail "no discarded finding in the example"
silence() { # silence DIRECTIVE: put it on the discarded finding's line, replacing its comment
	example
	sed -i "${n}s|[[:space:]]*//.*\$||; ${n}s|\$| $1|" "$work/ex/$file"
}

echo "-- //nolint:leakvet silences the finding on its line, only that one"
silence "//nolint:leakvet // e2e: silenced on purpose"
config_all "          {}"
lint
got=$(count)
[ "$got" = $((want - 1)) ] || fail "with //nolint:leakvet: $got findings, want $((want - 1))"
has "^$file:$n:" && fail "//nolint:leakvet did not silence $file:$n"

echo "-- //leakvet:ignore works under golangci-lint"
silence "//leakvet:ignore ${passes[0]} e2e: silenced on purpose"
config_all "          {}"
lint
got=$(count)
[ "$got" = $((want - 1)) ] || fail "with //leakvet:ignore: $got findings, want $((want - 1))"

echo "-- settings reach the passes: disable, and a pass option"
example
config_all "          disable: [${passes[0]}]"
lint
has ": ${passes[0]}: " && fail "disable: [${passes[0]}] still reports ${passes[0]}"
[ "$(count)" -gt 0 ] || fail "disable: [${passes[0]}] reports nothing at all"
printf '\nfunc stale() {} //leakvet:ignore %s e2e: silences nothing\n' "${passes[0]}" >>"$work/ex/$file"
config_all "          ${passes[0]}:
            report-unused-ignores: true"
lint
grep -q "silences no ${passes[0]} finding here" <<<"$out" || fail "report-unused-ignores: true did not reach ${passes[0]}: $out"

echo "-- bad settings stop golangci-lint with leakvet's message"
config_all "          enable: [nosuchpass]"
lint
if [ "$status" = 0 ] || ! grep -q 'no pass named "nosuchpass"' <<<"$out"; then
	fail "bad settings: exit $status: $out"
fi

echo "-- one linter per pass: //nolint:leakvet-NAME silences that pass only"
per_pass() {
	{
		printf 'version: "2"\nlinters:\n  default: none\n  enable:\n'
		for p in "${passes[@]}"; do printf '    - leakvet-%s\n' "$p"; done
		printf '  settings:\n    custom:\n'
		for p in "${passes[@]}"; do
			printf '      leakvet-%s:\n        type: module\n        description: leakvet %s\n' "$p" "$p"
		done
	} >"$work/ex/.golangci.yml"
}
other=${passes[1]:-nosuch}
silence "//nolint:leakvet-$other // e2e: the wrong pass"
per_pass
lint
[ "$(count)" = "$want" ] || fail "//nolint:leakvet-$other silenced a ${passes[0]} finding: $out"
grep -q "^$file:$n:.*(leakvet-${passes[0]})\$" <<<"$out" || fail "the finding is not from linter leakvet-${passes[0]}: $out"
silence "//nolint:leakvet-${passes[0]} // e2e: the right pass"
per_pass
lint
[ "$(count)" = $((want - 1)) ] || fail "//nolint:leakvet-${passes[0]} did not silence exactly one finding: $out"

echo "-- SARIF from golangci-lint names the per-pass linters as rules"
lint --output.sarif.path="$work/gcl.sarif"
grep -q "\"ruleId\": *\"leakvet-${passes[0]}\"" "$work/gcl.sarif" || fail "no leakvet-${passes[0]} rule in golangci-lint's SARIF"

echo "golangci-e2e: ok"
