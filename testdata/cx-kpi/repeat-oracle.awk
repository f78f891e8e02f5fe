# repeat-oracle.awk: the repeat-contact rule of cx-kpi(1), written out
# independently for the tests: contact i of a customer is a first contact iff
# the previous one is absent or more than W seconds earlier; a first contact is
# repeated iff the next one is at most W later; one with no next contact whose
# start + W is past the last start in the data is unknown.  Counted per value of
# column `by`, for canonical UTC times (YYYY-MM-DDTHH:MM:SSZ) in time order.
#   awk -F, -v w=SECONDS -v by=queue -f repeat-oracle.awk calls.csv
# prints by,first_contacts,repeated,repeat_unknown sorted by the group.
function days(y, m, d) {	# days since 1970-01-01 (Howard Hinnant's algorithm)
	y -= m <= 2
	era = int((y >= 0 ? y : y - 399) / 400)
	yoe = y - era * 400
	doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
	doe = yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy
	return era * 146097 + doe - 719468
}
NR == 1 {
	for (i = 1; i <= NF; i++)
		col[$i] = i
	next
}
{
	s = $col["start"]
	t = days(substr(s, 1, 4) + 0, substr(s, 6, 2) + 0, substr(s, 9, 2) + 0) * 86400 + \
	    substr(s, 12, 2) * 3600 + substr(s, 15, 2) * 60 + substr(s, 18, 2)
	if (t > end)
		end = t
	n++
	tm[n] = t
	grp[n] = $col[by]
	seen[$col[by]] = 1
	c = $col["customer_id"]
	if (c == "")
		next
	if (c in last) {
		nxt[last[c]] = n
		first[n] = t - tm[last[c]] > w
	} else
		first[n] = 1
	last[c] = n
}
END {
	for (i = 1; i <= n; i++) {
		if (!first[i])
			continue
		g = grp[i]
		f[g]++
		if (i in nxt) {
			if (tm[nxt[i]] - tm[i] <= w)
				r[g]++
		} else if (tm[i] + w > end)
			u[g]++
	}
	for (g in seen)
		printf "%s,%d,%d,%d\n", g, f[g], r[g], u[g] | "sort"
}
