#!/bin/sh
# Every command in the EXAMPLES (.EX ... .EE) of every man page runs and exits 0,
# in a scratch folder holding testdata/man-examples/ and the shared data files.
T=man-examples
. "$(dirname "$0")/lib.sh"
work=$TMPD/work
mkdir -p "$work"
cp testdata/man-examples/* "$work"/ 2>/dev/null
gzip -dc testdata/cdnow/CDNOW_master.txt.gz >"$work/CDNOW_master.txt"
for f in "$SHARED"/data/*/*; do
	[ -f "$f" ] && [ ! -e "$work/$(basename "$f")" ] && ln -s "$f" "$work/$(basename "$f")"
done
for page in man/*.1; do
	# one command per line inside .EX/.EE; roff escapes undone
	sed -n '/^\.EX/,/^\.EE/{/^\.E[XE]/d;p}' "$page" | sed 's/\\-/-/g; s/\\e/\\/g' >"$TMPD/examples"
	n=0
	while IFS= read -r cmd; do
		n=$((n + 1))
		[ -n "$cmd" ] || continue
		check "$(basename "$page")-example-$n" "cd '$work' && $cmd"
	done <"$TMPD/examples"
done
tdone
