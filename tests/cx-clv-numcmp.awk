# cx-clv-numcmp.awk: compare two CSV tables cell by cell, in order.
#   awk -v tol=1e-9 -f tests/cx-clv-numcmp.awk WANT.csv GOT.csv
# Both files must have the same number of rows and fields (headers included).
# Numbers agree when |a - b| <= tol * max(|a|, |b|) or |a - b| <= 1e-300;
# any other text must be equal.  Prints "ok N numbers" or each mismatch
# (exit 1).
BEGIN { FS = "," }
function isnum(v) { return v ~ /^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/ }
function abs(x) { return x < 0 ? -x : x }
FNR == NR { nw = FNR; want[FNR] = $0; next }
{
	ng = FNR
	nf = split(want[FNR], w, ",")
	if (nf != NF) { print "line " FNR ": " NF " fields, want " nf; bad++; next }
	for (i = 1; i <= NF; i++) {
		a = w[i]; b = $i
		if (isnum(a) && isnum(b)) {
			d = abs(a - b); m = abs(a) > abs(b) ? abs(a) : abs(b)
			if (d > tol * m && d > 1e-300) { print "line " FNR " field " i ": " b " vs " a; bad++ }
			n++
		} else if (a != b) { print "line " FNR " field " i ": \"" b "\" vs \"" a "\""; bad++ }
	}
}
END {
	if (ng != nw) { print ng " lines, want " nw; bad++ }
	if (bad) exit 1
	print "ok " n " numbers"
}
