#!/bin/sh
# bench: cx-kpi summary on the generated calls file against the bare libcsv pass
# (build/tests/csvcount, one thread) and Miller's stats1, timed in the same run;
# cx-kpi by default reads the file in parts on every processor (--threads), and
# once more in one pass (--threads 1); erlang on a year of 15-minute intervals
# (35,040 rows).  Run by scripts/bench (make bench)
# with bin/ on PATH and BENCH_DIR, BENCH_ROWS set.
set -e
. scripts/bench-lib.sh
BENCH_DIR=${BENCH_DIR:-build/bench}
BENCH_ROWS=${BENCH_ROWS:-10000000}
calls=$BENCH_DIR/calls_$BENCH_ROWS.csv
[ -s "$calls" ] || cx-gen-data calls --rows "$BENCH_ROWS" -o "$calls"
mb=$(bench_mb "$calls")
echo "== cx-kpi: summary on $BENCH_ROWS calls ($mb MB), erlang on 35,040 intervals =="
t_count=$(bench_time 3 build/tests/csvcount "$calls")
t_kpi=$(bench_time 3 cx-kpi --by queue "$calls")
t_kpi1=$(bench_time 3 cx-kpi --by queue --threads 1 "$calls")
t_kpi_p=$(bench_time 1 cx-kpi --by queue --period 15min --sl 20,30 "$calls")
t_kpi_part=$(bench_time 1 cx-kpi --by queue --period 15min --partial "$calls")
bench_line "bare libcsv pass (tests/csvcount)" "$t_count" "$mb"
bench_line "kpi: cx-kpi --by queue ($(nproc) processors)" "$t_kpi" "$mb"
bench_line "kpi: cx-kpi --by queue --threads 1" "$t_kpi1" "$mb"
bench_line "kpi: cx-kpi --by queue --period 15min" "$t_kpi_p" "$mb"
bench_line "kpi: cx-kpi ... --partial" "$t_kpi_part" "$mb"
if command -v mlr >/dev/null 2>&1; then
	t_mlr=$(bench_time 1 mlr --icsv --ocsv stats1 -a count,mean,p90 -f wait_s,talk_s -g queue "$calls")
	bench_line "kpi: mlr stats1 count,mean,p90 -g queue" "$t_mlr" "$mb"
fi
# A year of 15-minute intervals with a daily arrival profile.
ivals=$BENCH_DIR/kpi_intervals.csv
[ -s "$ivals" ] || awk 'BEGIN { print "interval,calls,aht"
	for (i = 0; i < 35040; i++) { h = (i % 96) / 4
		c = (h >= 8 && h < 20) ? int(40 + 160 * sin((h - 8) / 12 * 3.14159265)) : 5
		printf "%d,%d,%d\n", i, c, 180 + (i % 7) * 10 } }' > "$ivals"
t_erl=$(bench_time 3 cx-kpi erlang --interval 15min "$ivals")
t_erla=$(bench_time 1 cx-kpi erlang --interval 15min --patience 90 "$ivals")
printf '  %-44s %8.3f s\n' "kpi: erlang C, 35,040 intervals [< 1 s]" "$t_erl"
printf '  %-44s %8.3f s\n' "kpi: erlang A, 35,040 intervals" "$t_erla"
echo "-- ratios (target in brackets)"
bench_ratio "kpi: summary vs bare libcsv pass [>= 0.75]" "$t_count" "$t_kpi"
bench_ratio "kpi: summary --threads 1 vs bare libcsv pass" "$t_count" "$t_kpi1"
if [ -n "${t_mlr:-}" ]; then
	bench_ratio "kpi: summary speed-up over mlr stats1 [>= 5]" "$t_mlr" "$t_kpi"
else
	echo "  mlr not installed: skipped (apt-get install miller)"
fi
echo "-- peak RSS"
echo "  kpi: --by queue, $BENCH_ROWS rows: $(bench_rss cx-kpi --by queue "$calls") kB"
echo "  kpi: --by queue --period 15min: $(bench_rss cx-kpi --by queue --period 15min "$calls") kB"
