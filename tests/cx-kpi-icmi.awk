# tests/cx-kpi-icmi.awk: ICMI's service-level example as call records:
# 1000 answered (860 within 20 s), 60 abandoned (20 within 20 s, 8 of them within
# the 5 s short-abandon limit).  Run: awk -f tests/cx-kpi-icmi.awk
BEGIN {
	print "call_id,customer_id,start,queue,wait_s,talk_s,abandoned"
	for (i = 0; i < 1060; i++) {
		if (i < 860) { w = i % 21; ab = 0 }		# answered within 20 s (0..20)
		else if (i < 1000) { w = 21 + i % 100; ab = 0 }	# answered later
		else if (i < 1008) { w = (i % 5) + 1; ab = 1 }	# short abandons
		else if (i < 1020) { w = 6 + i % 15; ab = 1 }	# abandoned within 20 s
		else { w = 21 + i % 40; ab = 1 }		# abandoned later
		printf "c%04d,k%04d,2026-10-05T%02d:%02d:00Z,sales,%d,%s,%d\n", i, i, 8 + int(i / 120), int(i / 2) % 60, w, ab ? "" : 180, ab
	}
}
