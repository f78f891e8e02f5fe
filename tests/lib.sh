# tests/lib.sh: the table-driven tool test harness, sourced by tests/cx-NAME.sh.
#
#   tcase NAME STATUS 'COMMAND'
# runs COMMAND with sh from the repository root, bin/ first on PATH, LC_ALL=C,
# and checks its exit status; then compares stdout with testdata/$T/NAME.out and
# stderr with testdata/$T/NAME.err where those files exist ($T is set by the
# script, e.g. T=cx-ingest).  UPDATE=1 writes the expected files instead (review
# the diff before committing).  VALGRIND=1 runs each bin/cx-* under valgrind.
# The script ends with `tdone`, which prints "N passed, N failed".
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 3
export LC_ALL=C
export TZ=UTC
SHARED=${SHARED:-$TOP/../shared}
export SHARED
TMPD=$(mktemp -d)
trap 'rm -rf "$TMPD"' EXIT
export TMPD
pass=0 fail=0

if [ "${VALGRIND:-}" = 1 ]; then
	# Wrap every tool: exit 99 on a leak or memory error ("possibly lost" is
	# not one, and not shown: a process killed by SIGPIPE leaves its reader
	# thread's stack so).  valgrind finds the program by its bare name on
	# PATH, so argv[0] (and getopt's messages) stay as in a plain run.
	mkdir -p "$TMPD/vg"
	for b in "$TOP"/bin/cx-*; do
		n=$(basename "$b")
		printf '#!/bin/sh\nPATH="%s:$PATH" exec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect %s "$@"\n' "$TOP/bin" "$n" >"$TMPD/vg/$n"
		chmod +x "$TMPD/vg/$n"
	done
	PATH="$TMPD/vg:$TOP/bin:$PATH"
else
	PATH="$TOP/bin:$PATH"
fi
export PATH

tcase() {
	name=$1 want=$2 cmd=$3
	exp="testdata/$T/$name"
	sh -c "$cmd" >"$TMPD/out" 2>"$TMPD/err" </dev/null
	got=$?
	if [ "${UPDATE:-}" = 1 ]; then
		[ -s "$TMPD/out" ] && cp "$TMPD/out" "$exp.out"
		[ -s "$TMPD/err" ] && cp "$TMPD/err" "$exp.err"
	fi
	ok=1
	if [ "$got" != "$want" ]; then
		echo "FAIL $T/$name: exit $got, expected $want"; ok=0
	fi
	for s in out err; do
		if [ -f "$exp.$s" ] && ! cmp -s "$exp.$s" "$TMPD/$s"; then
			echo "FAIL $T/$name: std$s differs from $exp.$s"
			diff -u "$exp.$s" "$TMPD/$s" | head -20
			ok=0
		fi
	done
	if [ $ok = 0 ] && [ ! -f "$exp.err" ]; then
		head -5 "$TMPD/err" | sed 's/^/  stderr: /'
	fi
	if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
}

# check NAME 'SHELL CONDITION': a plain assertion counted like a case.
check() {
	if sh -c "$2" >/dev/null 2>&1; then pass=$((pass + 1))
	else echo "FAIL $T/$1: $2"; fail=$((fail + 1)); fi
}

tdone() {
	echo "$T: $pass passed, $fail failed"
	[ "$fail" = 0 ]
}
