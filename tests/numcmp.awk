# numcmp.awk: compare the numbers of a tested CSV table with a reference table
# (an R or Octave oracle's output, or an expected file), for every tool's tests.
#   awk -v tol=1e-9 [-v keys=a,b] [-v map=ref=got,...] [-v only=1] [-v floor=1e-14] \
#       -f tests/numcmp.awk REF.csv GOT.csv
# Columns are matched by header name; map renames reference columns to the
# tested table's names.  With keys, rows are matched by the key columns and
# every reference row must be found; without, rows are compared in order and
# the row counts must be equal.  With only=1 just the columns named in map are
# compared; otherwise every reference column present in both (with keys) or
# every reference column (without keys: a missing one is a mismatch).
# Numbers agree when |a - b| <= tol * max(|a|, |b|) or |a - b| <= floor
# (default 1e-300; an absolute floor for values that are zero in exact
# arithmetic); "", NA and NaN all mean missing and must agree; other text must
# be equal.  Prints "ok N values" or each mismatch (at most 20); exits 1 on any.
BEGIN {
	FS = ","
	nk = split(keys, K, ",")
	nm = split(map, M, ",")
	for (i = 1; i <= nm; i++) { split(M[i], kv, "="); ren[kv[1]] = kv[2]; listed[kv[2]] = 1 }
	if (floor == "") floor = 1e-300
}
function miss(v) { return v == "" || v == "NA" || v == "NaN" }
function isnum(v) { return v ~ /^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/ || v == "Inf" || v == "-Inf" }
function norm(v) { return isnum(v) ? sprintf("%.12g", v + 0) : v }
function abs(x) { return x < 0 ? -x : x }
function report(msg) { if (err++ < 20) print msg }
FNR == 1 {
	f++
	for (i = 1; i <= NF; i++) {
		n = $i
		if (f == 1 && (n in ren)) n = ren[n]
		col[f, n] = i; name[f, i] = n
	}
	nf[f] = NF
	next
}
{
	if (nk == 0)
		key = FNR
	else {
		key = ""
		for (k = 1; k <= nk; k++) {
			if (!((f, K[k]) in col)) { print "no key column " K[k] " in file " f; bad = 1; exit 1 }
			key = key SUBSEP norm($(col[f, K[k]]))
		}
	}
	if (f == 1) { nr++; rk[nr] = key; for (i = 1; i <= NF; i++) ref[key, name[1, i]] = $i }
	else { ng++; seen[key] = 1; for (i = 1; i <= NF; i++) got[key, name[2, i]] = $i }
}
END {
	if (bad) exit 1
	if (nk == 0 && nr != ng) report("rows: " ng ", want " nr)
	for (r = 1; r <= nr; r++) {
		key = rk[r]; pk = key; gsub(SUBSEP, " ", pk)
		if (!(key in seen)) { report("missing row " pk); continue }
		for (i = 1; i <= nf[1]; i++) {
			n = name[1, i]
			if (only && !(n in listed)) continue
			if (!((2, n) in col)) {
				if (nk == 0 || only) report("row " pk ": no column " n)
				continue
			}
			a = ref[key, n]; b = got[key, n]; cmpd++
			if (miss(a) || miss(b)) {
				if (!(miss(a) && miss(b))) report("row " pk " " n ": got " b ", want " a)
				continue
			}
			if (isnum(a) && isnum(b)) {
				d = abs(a - b); m = abs(a) > abs(b) ? abs(a) : abs(b)
				if (d <= tol * m || d <= floor) continue
			} else if (a == b)
				continue
			report("row " pk " " n ": got " b ", want " a)
		}
	}
	if (err) { print err " mismatches"; exit 1 }
	print "ok " cmpd " values"
}
