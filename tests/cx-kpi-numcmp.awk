# tests/cx-kpi-numcmp.awk: compare named numeric columns of two CSV files row by
# row to a relative tolerance.  awk -v cols=a:b,c:d -v tol=1e-12 -f THIS ref.csv got.csv
# (cols pairs a reference column with a column of the tested output).  Prints the
# worst relative error and exits 1 if it is above tol or the row counts differ.
BEGIN { FS = ","; n = split(cols, pairs, ",") }
FNR == 1 {
	for (i = 1; i <= NF; i++) idx[FILENAME == ARGV[1] ? "r" : "g", $i] = i
	next
}
FILENAME == ARGV[1] { ref[FNR] = $0; nref = FNR; next }
{
	ngot = FNR
	split(ref[FNR], rv, ",")
	for (k = 1; k <= n; k++) {
		split(pairs[k], ab, ":")
		r = rv[idx["r", ab[1]]] + 0; g = $(idx["g", ab[2]]) + 0
		d = r - g; if (d < 0) d = -d
		s = r < 0 ? -r : r
		e = s > 1e-300 ? d / s : d
		if (e > worst) { worst = e; where = FNR ": " ab[2] " " g " vs " r }
	}
}
END {
	printf("worst relative error %.3g at line %s\n", worst, where)
	if (nref != ngot) { print "row counts differ: " nref " vs " ngot; exit 1 }
	exit (worst > tol) ? 1 : 0
}
