#!/bin/sh
# csv-spectrum: every case of the npm package csv-spectrum 2.0.0 (vendored in
# testdata/csv-spectrum/, see its README) read through lib/csvin must give the
# fields of its JSON expectation (converted once to testdata/csv-spectrum/expected/
# by tests/oracles/csv-spectrum/convert.js), and written back through lib/csvout
# and read again must give the same fields (spectrum-dump -r).
T=csv-spectrum
. "$(dirname "$0")/lib.sh"

D=testdata/csv-spectrum
DUMP=build/tests/spectrum-dump
[ -x "$DUMP" ] || { echo "FAIL $T: $DUMP not built"; fail=$((fail + 1)); tdone; exit 1; }

# spectrum CASE: the dump equals the converted JSON, and the round trip holds.
spectrum() {
	if "$DUMP" -r "$D/csvs/$1.csv" >"$TMPD/dump" 2>"$TMPD/err" &&
	    cmp -s "$D/expected/$1.expected" "$TMPD/dump"; then
		pass=$((pass + 1))
	else
		echo "FAIL $T/$1: dump or round trip differs from $D/expected/$1.expected"
		diff -u "$D/expected/$1.expected" "$TMPD/dump" | head -20
		sed 's/^/  stderr: /' "$TMPD/err" | head -5
		fail=$((fail + 1))
	fi
}

for c in comma_in_quotes empty empty_crlf escaped_quotes json newlines \
    newlines_crlf quotes_and_newlines simple simple_crlf utf8; do
	spectrum "$c"
done

# location_coordinates: the upstream expectation does not describe its own CSV
# (DESIGN.md, traps).  The JSON says the phone number is 1234567890 where the CSV
# has 2095257564, and the CSV's second field holds bare '"' characters inside an
# unquoted field, which strict CSV (libcsv CSV_STRICT, as DESIGN.md prescribes)
# rejects.  So we do not bend the reader to the JSON; we pin what it does: a data
# error (exit 1) naming the file and line 2 (location_coordinates.err).  Whether
# the header was dumped before the error depends on how far csvin parsed ahead,
# so stdout is not pinned; it must not pass for the JSON's fields, though.
tcase location_coordinates 1 "$DUMP $D/csvs/location_coordinates.csv"
check location_coordinates-is-not-the-json \
    "! $DUMP $D/csvs/location_coordinates.csv 2>/dev/null | cmp -s - $D/expected/location_coordinates.expected"

# Every case again from a gzip copy on standard input: same fields.
for c in comma_in_quotes empty empty_crlf escaped_quotes json newlines \
    newlines_crlf quotes_and_newlines simple simple_crlf utf8; do
	gzip -c "$D/csvs/$c.csv" >"$TMPD/$c.gz"
	check "$c-gzip-stdin" "$DUMP - <$TMPD/$c.gz | cmp -s - $D/expected/$c.expected"
done

# The CRLF cases must still hold CRLF after a checkout (testdata/csv-spectrum/
# .gitattributes); a converted file would make them test nothing.
check vendored-crlf "grep -q \"\$(printf '\\r')\" $D/csvs/newlines_crlf.csv"

tdone
