# cx-churn-numcmp.awk: compare a cx-churn CSV table with an R reference table.
#   awk -v tol=1e-9 -v keys=group,time [-v map=group=sex] -f tests/cx-churn-numcmp.awk R.csv OURS.csv
# Columns are matched by header name (map renames a reference column); rows by
# the key columns.  Only columns present in both files are compared; every
# reference row must be found.  Numbers agree when |a - b| <= tol * max(|a|, |b|)
# or |a - b| <= 1e-14 (absolute floor for values that are zero in exact
# arithmetic); "", NA and NaN are all "missing" and must agree.  Text must be
# equal.  Prints "ok N values" or each mismatch; exits 1 on any mismatch.
BEGIN { FS = ","; nk = split(keys, K, ","); nm = split(map, M, ",")
	for (i = 1; i <= nm; i++) { split(M[i], kv, "="); ren[kv[1]] = kv[2] } }
function miss(v) { return v == "" || v == "NA" || v == "NaN" }
function isnum(v) { return v ~ /^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/ || v == "Inf" || v == "-Inf" }
function norm(v) { return isnum(v) ? sprintf("%.12g", v + 0) : v }
function abs(x) { return x < 0 ? -x : x }
FNR == 1 { f++; for (i = 1; i <= NF; i++) { n = $i; if (f == 1 && (n in ren)) n = ren[n]; col[f, n] = i; name[f, i] = n }; nf[f] = NF; next }
{
	key = ""
	for (k = 1; k <= nk; k++) {
		if (!((f, K[k]) in col)) { print "no key column " K[k] " in file " f; bad = 1; exit 1 }
		key = key SUBSEP norm($(col[f, K[k]]))
	}
	if (f == 1) { nr++; rk[nr] = key; for (i = 1; i <= NF; i++) ref[key, name[1, i]] = $i }
	else { seen[key] = 1; for (i = 1; i <= NF; i++) got[key, name[2, i]] = $i }
}
END {
	if (bad) exit 1
	for (r = 1; r <= nr; r++) {
		key = rk[r]
		if (!(key in seen)) { gsub(SUBSEP, " ", key); print "missing row" key; err++; continue }
		for (i = 1; i <= nf[1]; i++) {
			n = name[1, i]
			if (!((2, n) in col)) continue
			a = ref[key, n]; b = got[key, n]; cmpd++
			if (miss(a) || miss(b)) { if (!(miss(a) && miss(b))) { pk = key; gsub(SUBSEP, " ", pk); print "row" pk " " n ": R " a " ours " b; err++ }; continue }
			if (isnum(a) && isnum(b)) {
				d = abs(a - b); m = abs(a) > abs(b) ? abs(a) : abs(b)
				if (d <= tol * m || d <= 1e-14) continue
			} else if (a == b) continue
			pk = key; gsub(SUBSEP, " ", pk); print "row" pk " " n ": R " a " ours " b; err++
		}
	}
	if (err) { print err " mismatches"; exit 1 }
	print "ok " cmpd " values"
}
