#!/bin/sh
# pipeline_diff.sh: proves that two builds of bench_pipeline write the
# same log bytes (issue 8: "faster, not one byte different").
#
#   bench/pipeline_diff.sh OLD_BENCH NEW_BENCH [RECORDS] [CAPSULE]
#
# Each binary is copied to the same path and run there with address-space
# randomization off (setarch -R), so that its exe, argv and cwd and the
# addresses of the heap and stack are the same in both logs.  What still
# differs from run to run is masked before the diff: the genesis run_id and
# every hash (they chain on it), process start times, the final seal's
# time, and the addresses of
# the benchmark's own static data (numbers of 13 or more digits in "raw",
# hex addresses in args), which move with the binary's layout.  Both logs
# are then checked with `capsule verify` (CAPSULE, default ./capsule), so
# the hashes and their hex are checked too.  Exit 0: identical.
set -eu

old=$1
new=$2
records=${3:-3000}
capsule=${4:-./capsule}
dir=$(mktemp -d /tmp/pipeline_diff.XXXXXX)
trap 'rm -rf "$dir"' EXIT

run() {
	cp "$1" "$dir/bench_pipeline"
	(cd "$dir" && setarch "$(uname -m)" -R ./bench_pipeline "$records" \
		"$dir/pipeline.log" >/dev/null)
	"$capsule" verify "$dir/pipeline.log" >/dev/null
	sed -E -e 's/"(run_id|prev|hash)":"[0-9a-f]+"/"\1":"-"/g' \
	       -e 's/"start_time":"[^"]*"/"start_time":"-"/g' \
	       -e 's/"[0-9a-f]{64}"/"-"/g' \
	       -e '/"type":"seal"/s/"ts":"[^"]*"/"ts":"-"/' \
	       -e 's/[0-9]{13,}/N/g' -e 's/"0x[0-9a-f]{9,}"/"0xN"/g' \
	       "$dir/pipeline.log" >"$dir/$2"
	rm -f "$dir/pipeline.log"
}

run "$old" old.log
run "$new" new.log
lines=$(wc -l <"$dir/new.log")
if cmp -s "$dir/old.log" "$dir/new.log"; then
	echo "pipeline_diff: identical ($lines lines, both verified)"
else
	diff "$dir/old.log" "$dir/new.log" | head -20
	echo "pipeline_diff: DIFFERENT"
	exit 1
fi
