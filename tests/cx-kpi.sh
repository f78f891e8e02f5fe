#!/bin/sh
# cx-kpi: summary (every service-level formula on ICMI's example), periods and
# groups, repeat contacts, --partial/merge identity, Erlang B/C/A against
# published numbers and the Octave oracles, plan, and every error message.
# Expected stdout/stderr: testdata/cx-kpi/NAME.out/.err.
T=cx-kpi
. "$(dirname "$0")/lib.sh"
D=testdata/cx-kpi
C=$D/calls.csv
awk -f tests/cx-kpi-icmi.awk >"$TMPD/icmi.csv"
I=$TMPD/icmi.csv

# --- summary ----------------------------------------------------------------
tcase summary 0 "cx-kpi $C"
tcase summary-mode 0 "cx-kpi summary $C"
tcase summary-stdin 0 "cx-kpi - < $C"
tcase summary-gzip 0 "gzip -c $C > $TMPD/c.gz && cx-kpi $TMPD/c.gz"
tcase week-queue 0 "cx-kpi --by queue --period week --repeat-window 24h --sl 10,20 $C"
tcase by-agent-day 0 "cx-kpi --by queue,agent_id --period day $C"
tcase 15min-arrival 0 "cx-kpi --period 15min $C"
tcase 15min-event 0 "cx-kpi --period 15min --attribute event $C"
tcase 30min 0 "cx-kpi --period 30min --by queue $C"
tcase hour 0 "cx-kpi --period hour $C"
tcase month 0 "cx-kpi --period month $C"
tcase quarter 0 "cx-kpi --period quarter $C"
tcase year 0 "cx-kpi --period year --short-abandon 0 $C"
tcase repeat-7d 0 "cx-kpi --by queue --repeat-window 7d $C"
tcase rename 0 "sed '1s/wait_s/waited/' $C | cx-kpi --col wait_s=waited --by queue"
tcase semicolon 0 "tr , ';' < $C | cx-kpi -d ';' --by queue"
tcase header-only 0 "head -1 $C | cx-kpi --by queue --period day"
tcase output-file 0 "cx-kpi -o $TMPD/o.csv $C && cat $TMPD/o.csv && ! ls $TMPD | grep tmp"
tcase help 0 "cx-kpi --help | head -3"
tcase version 0 "cx-kpi --version"
# ICMI's example: 83, 86, 81 and 83 percent for the first four formulas.
for f in with-abandoned answered-only offered ignore-abandoned with-short-abandons ignore-short-abandons; do
	tcase icmi-$f 0 "cx-kpi --sl-formula $f $I"
done
check icmi-percent "for f in with-abandoned answered-only offered ignore-abandoned; do cx-kpi --sl-formula \$f $I | awk -F, 'NR==2{printf \"%.0f \", \$NF*100}'; done | grep -qx '83 86 81 83 '"
tcase icmi-thresholds 0 "cx-kpi --sl 5,10,20,30 $I"

# --- partial and merge: the bytes of a single run ------------------------------
split_calls() {	# split_calls FILE: halves with headers into $TMPD/p1.csv, p2.csv
	head -1 "$1" >"$TMPD/p1.csv"; head -1 "$1" >"$TMPD/p2.csv"
	tail -n +2 "$1" | awk -v a="$TMPD/p1.csv" -v b="$TMPD/p2.csv" '{ print >> (NR % 2 ? a : b) }'
}
split_calls $C
for opts in "" "--by queue --period week --sl 10,20" "--by queue,agent_id --period 15min --attribute event" "--period day --sl-formula with-short-abandons --short-abandon 3"; do
	n=$((${n:-0} + 1))
	check merge-identical-$n "cx-kpi $opts $C > $TMPD/one.csv && cx-kpi $opts --partial $TMPD/p2.csv > $TMPD/b.part && cx-kpi $opts --partial -o $TMPD/a.part $TMPD/p1.csv && cx-kpi merge $TMPD/b.part $TMPD/a.part > $TMPD/two.csv && cmp $TMPD/one.csv $TMPD/two.csv"
done
check merge-icmi "cx-kpi --sl 10,20 $I > $TMPD/one.csv && split_calls() { :; } && cx-kpi --sl 10,20 --partial $I > $TMPD/i.part && cx-kpi merge $TMPD/i.part > $TMPD/two.csv && cmp $TMPD/one.csv $TMPD/two.csv"
check kpi-shards "scripts/kpi-shards 3 $I --sl 10,20 --period hour > $TMPD/sh.csv && cx-kpi --sl 10,20 --period hour $I | cmp - $TMPD/sh.csv"
tcase partial 0 "cx-kpi --by queue --period day --sl 10,20 --partial $C"
tcase merge 0 "cx-kpi --by queue --period day --sl 10,20 --partial $C > $TMPD/a.part && cx-kpi merge $TMPD/a.part $TMPD/a.part"
tcase merge-header-only 0 "head -1 $C | cx-kpi --partial --by queue > $TMPD/e.part && cx-kpi merge $TMPD/e.part"
check merge-cat "cx-kpi --by queue --partial $TMPD/p1.csv > $TMPD/c1.part && cx-kpi --by queue --partial $TMPD/p2.csv > $TMPD/c2.part && cat $TMPD/c1.part $TMPD/c2.part | cx-kpi merge - > $TMPD/cat.csv && cx-kpi --by queue $C | cmp - $TMPD/cat.csv"
tcase merge-gzip 0 "cx-kpi --partial --by queue $C | gzip -c > $TMPD/a.gz && cx-kpi merge $TMPD/a.gz"

# --- repeat contacts: the sliding rule, and --partial/merge with --repeat-window ---
# repeat.csv by hand, W = 1h, last start 13:30 (the rule of cx-kpi(1)):
#   A 09:00 q1 first, repeated (09:40); 09:40 and 10:30 are not first contacts
#     (each within 1h of the one before; the old rule, counting from the first
#     contact of an episode, made 10:30 a first contact); 12:00 q2 first, not
#     repeated.  C 09:00 q1 first, repeated by 10:00 (exactly 1h).  B 09:10 q2
#     first, not repeated.  F 11:00 q1 and 12:30 q1 first, not repeated (12:30 +
#     1h is not past 13:30: known).  G 11:15 q1 first, repeated by its second
#     contact at the same instant (q2).  E 12:45 q2 first, unknown.  D 13:00 q1
#     first, repeated by 13:30.  r04 has no customer.
#   q1: 6 first contacts, 4 repeated, 0 unknown: 0.6666666666666666
#   q2: 3 first contacts, 0 repeated, 1 unknown: 0 (of 2), repeat_unknown 1
R=$D/repeat.csv
tcase repeat-1h 0 "cx-kpi --by queue --repeat-window 1h $R"
tcase repeat-1h-hour 0 "cx-kpi --by queue --period hour --repeat-window 1h $R"
check repeat-hand "cx-kpi --by queue --repeat-window 1h $R | cut -d, -f1,19,20 | tr '\n' ' ' | grep -qx 'queue,repeat_rate,repeat_unknown q1,0.6666666666666666,0 q2,0,1 '"
check repeat-oracle-hand "awk -F, -v w=3600 -v by=queue -f $D/repeat-oracle.awk $R | tr '\n' ' ' | grep -qx 'q1,6,4,0 q2,3,0,1 '"
# Shards of whole lines: r01-r05, r06-r10, r11-r15.  A spans all three (its 10:30
# in shard 2 is within 1h of its 09:40 in shard 1), C's 10:00 in shard 2 is
# exactly 1h after its 09:00 in shard 1, E is unknown at the end.
cat >"$TMPD/rmerge.sh" <<'SH'
# rmerge.sh FILE N OPTIONS...: single run vs merge of N shards' partials, given in
# reverse order, then concatenated with cat and shuffled by line
f=$1 n=$2; shift 2
d=$(mktemp -d "$TMPD/rm.XXXXXX")
rows=$(($(wc -l < "$f") - 1))
tail -n +2 "$f" | awk -v dir="$d" -v per=$(( (rows + n - 1) / n )) -v hdr="$(head -1 "$f")" \
    '(NR - 1) % per == 0 { f = sprintf("%s/s%d.csv", dir, (NR - 1) / per); print hdr > f } { print > f }'
cx-kpi "$@" "$f" > "$d/one" || exit 1
for s in "$d"/s*.csv; do cx-kpi "$@" --partial -o "$s.part" "$s" || exit 1; done
cx-kpi merge $(ls -r "$d"/s*.part) | cmp - "$d/one" || exit 1
cat $(ls -r "$d"/s*.part) > "$d/all"
{ head -1 "$d/all"; tail -n +2 "$d/all" | awk 'BEGIN { srand(7) } { print rand() "\t" $0 }' |
    sort | cut -f2-; } | cx-kpi merge - | cmp - "$d/one"
SH
n=0
for c in "3 1h --by queue" "2 30min --by queue" "4 2h --by queue" "3 1h --by queue --period hour" \
    "4 24h --by queue --period hour" "3 2h --period 30min --by queue,call_id"; do
	n=$((n + 1))
	set -- $c
	check merge-repeat-$n "sh $TMPD/rmerge.sh $R $1 --repeat-window $2 $(shift 2; echo "$@")"
done
check merge-repeat-calls "sh $TMPD/rmerge.sh $C 3 --by queue,agent_id --period week --repeat-window 24h --sl 10,20 && sh $TMPD/rmerge.sh $C 4 --period day --repeat-window 7d"
check kpi-shards-repeat "scripts/kpi-shards 3 $R --by queue --repeat-window 1h > $TMPD/sh.csv && cx-kpi --by queue --repeat-window 1h $R | cmp - $TMPD/sh.csv"
# Generated calls (time-sorted): the single run against the rule written out in
# awk, and against merges of shards.
cx-gen-data calls --rows 10000 --seed 11 >"$TMPD/g.csv"
check repeat-oracle-generated "for w in 600 86400; do awk -F, -v w=\$w -v by=queue -f $D/repeat-oracle.awk $TMPD/g.csv > $TMPD/o && cx-kpi --by queue --repeat-window \${w}s $TMPD/g.csv | awk -F, 'NR==FNR { f[\$1] = \$2; r[\$1] = \$3; u[\$1] = \$4; next } FNR > 1 { d = f[\$1] - u[\$1]; if (\$20 != u[\$1] || (d > 0 ? (\$19 - r[\$1] / d)^2 > 1e-30 : \$19 != \"\")) bad = 1; n++ } END { exit bad || n != 5 }' $TMPD/o - || exit 1; done"
check merge-repeat-generated "sh $TMPD/rmerge.sh $TMPD/g.csv 4 --by queue --period hour --repeat-window 1h"
check kpi-shards-generated "scripts/kpi-shards 3 $TMPD/g.csv --by queue,agent_id --period week --repeat-window 24h > $TMPD/sh.csv && cx-kpi --by queue,agent_id --period week --repeat-window 24h $TMPD/g.csv | cmp - $TMPD/sh.csv"
tcase partial-repeat 0 "cx-kpi --by queue --period hour --repeat-window 1h --partial $R"
# --threads: a file read in parts at once gives the bytes of one pass --
# output, partials, rejects, counts and the first error's line.  CXKIT_PART_BYTES
# cuts these small files into parts (the first 256 kB always go to the first).
P="env CXKIT_PART_BYTES=1 cx-kpi --threads 5"
for opts in "" "--by queue,agent_id --period hour --sl 10,20" "--by queue --period 15min --attribute event" "--by channel --partial"; do
	n=$((${n:-0} + 1))
	check threads-identical-$n "cx-kpi --threads 1 $opts $TMPD/g.csv > $TMPD/one.csv && $P $opts $TMPD/g.csv > $TMPD/par.csv && cmp $TMPD/one.csv $TMPD/par.csv"
done
# bad rows in several parts; quoted newlines (cuts may fall inside them); CRLF
awk -F, -v OFS=, 'NR > 1 && NR % 1999 == 0 { $7 = "soon" } { print }' $TMPD/g.csv >"$TMPD/gbad.csv"
awk -F, -v OFS=, 'NR > 1 && NR % 7 == 0 { $5 = "\"" $5 "\nnorth\"" } { print }' $TMPD/g.csv >"$TMPD/gq.csv"
sed 's/$/\r/' $TMPD/gq.csv >"$TMPD/gcrlf.csv"
check threads-rejects "cx-kpi --threads 1 --by queue --rejects $TMPD/r1.csv $TMPD/gbad.csv > $TMPD/one.csv 2> $TMPD/one.err && $P --by queue --rejects $TMPD/r5.csv $TMPD/gbad.csv > $TMPD/par.csv 2> $TMPD/par.err && cmp $TMPD/one.csv $TMPD/par.csv && cmp $TMPD/r1.csv $TMPD/r5.csv && cmp $TMPD/one.err $TMPD/par.err && grep -q 'rejected 5' $TMPD/par.err"
awk -F, -v OFS=, 'NR == 9000 { $3 = "2026-13-01T00:00:00Z" } { print }' $TMPD/g.csv >"$TMPD/glate.csv"
tcase threads-first-error 1 "cd $TMPD && $P --by queue gbad.csv"
tcase threads-late-error 1 "cd $TMPD && $P --by queue glate.csv"
check threads-quoted-newlines "cx-kpi --threads 1 --by queue $TMPD/gq.csv > $TMPD/one.csv && $P --by queue $TMPD/gq.csv > $TMPD/par.csv && cmp $TMPD/one.csv $TMPD/par.csv && grep -q north $TMPD/par.csv"
check threads-crlf "cx-kpi --threads 1 --by queue --period day $TMPD/gcrlf.csv > $TMPD/one.csv && $P --by queue --period day $TMPD/gcrlf.csv > $TMPD/par.csv && cmp $TMPD/one.csv $TMPD/par.csv && test \$(wc -l < $TMPD/par.csv) -gt 20"
for opts in "--by queue --repeat-window 1h" "--by queue,agent_id --period day --repeat-window 7d --sl 10,20"; do
	n=$((${n:-0} + 1))
	check threads-repeat-$n "cx-kpi --threads 1 $opts $TMPD/g.csv > $TMPD/one.csv && $P $opts $TMPD/g.csv > $TMPD/par.csv && cmp $TMPD/one.csv $TMPD/par.csv"
done
check threads-plan "cx-kpi plan --threads 1 --period hour --by queue $TMPD/g.csv > $TMPD/one.csv && env CXKIT_PART_BYTES=1 cx-kpi plan --threads 5 --period hour --by queue $TMPD/g.csv > $TMPD/par.csv && cmp $TMPD/one.csv $TMPD/par.csv"
check threads-repeat-partial "cx-kpi --threads 1 --repeat-window 1h --partial $TMPD/g.csv > $TMPD/one.csv && $P --repeat-window 1h --partial $TMPD/g.csv > $TMPD/par.csv && cmp $TMPD/one.csv $TMPD/par.csv"
# out of time order: customer of row 2 again at row 9000, earlier (across parts);
# a new customer at rows 9500 and 9501, the second earlier (inside one part)
awk -F, -v OFS=, 'NR == 2 { id = $2 } NR == 9000 { $2 = id; $3 = "2025-12-31T00:00:00Z" }
	NR == 9500 || NR == 9501 { $2 = "ZZ"; $3 = NR == 9500 ? "2026-06-01T00:00:00Z" : "2026-05-01T00:00:00Z" } { print }' $TMPD/g.csv >"$TMPD/gord.csv"
awk -F, -v OFS=, 'NR == 9000 { $2 = "ZZ" } { print }' $TMPD/gord.csv >"$TMPD/gord2.csv"
tcase threads-repeat-order 1 "cd $TMPD && $P --repeat-window 1h gord.csv"
tcase threads-repeat-order-in-part 1 "cd $TMPD && $P --repeat-window 1h gord2.csv"
tcase err-threads 2 "cx-kpi --threads 0 $C"
tcase err-threads-erlang 2 "cx-kpi erlang --threads 2 --calls 10 --interval 30min --aht 180"
# merge refuses what it cannot join
head -11 $R >"$TMPD/r1.csv"
{ head -1 $R; tail -n +12 $R; } >"$TMPD/r2.csv"
{ head -1 $R; sed -n '2,10p' $R; } >"$TMPD/t1.csv"
{ head -1 $R; tail -n +11 $R; } >"$TMPD/t2.csv"
{ head -1 $R; sed -n '2,5p;8p' $R; } >"$TMPD/ov1.csv"	# A from 09:00 to 10:30
{ head -1 $R; sed -n '6,7p;9,$p' $R; } >"$TMPD/ov2.csv"	# A from 09:40 to 12:00
for f in r1 r2 t1 t2 ov1 ov2; do
	cx-kpi --by queue --repeat-window 1h --partial -o "$TMPD/$f.part" "$TMPD/$f.csv"
done
cx-kpi --by queue --repeat-window 1h --partial $R >"$TMPD/rep.part"
cx-kpi --by queue --partial $R >"$TMPD/norep.part"
tcase err-merge-overlap 1 "cd $TMPD && cx-kpi merge ov2.part ov1.part"
tcase err-merge-same-instant 1 "cd $TMPD && cx-kpi merge t2.part t1.part"
# three partials each holding G at 11:15 (q1, q2, q1): any of them may be first
printf 'call_id,customer_id,start,queue,abandoned\nx1,G,2026-10-05T11:15:00Z,q1,0\n' >"$TMPD/g1.csv"
printf 'call_id,customer_id,start,queue,abandoned\nx2,G,2026-10-05T11:15:00Z,q2,0\n' >"$TMPD/g2.csv"
for f in g1 g2; do cx-kpi --by queue --repeat-window 1h --partial -o "$TMPD/$f.part" "$TMPD/$f.csv"; done
tcase err-merge-same-instant-3 1 "cd $TMPD && cx-kpi merge g1.part g2.part g1.part"
check merge-same-instant-same-group "cd $TMPD && cx-kpi merge g1.part g1.part > m.csv && cat g1.csv g1.csv | grep -v ^call_id | sed 1i\\call_id,customer_id,start,queue,abandoned | cx-kpi --by queue --repeat-window 1h | cmp - m.csv"
tcase err-merge-window 1 "cd $TMPD && cx-kpi merge r1.part norep.part"
tcase err-merge-window-value 1 "sed '2,\$s/,ignore-abandoned,3600,/,ignore-abandoned,x,/' $TMPD/rep.part | cx-kpi merge -"
tcase err-merge-window-nocols 1 "sed '2,\$s/,ignore-abandoned,,/,ignore-abandoned,3600,/' $TMPD/norep.part | cx-kpi merge -"
tcase err-merge-custcols 1 "cut -d, -f1-47 $TMPD/rep.part | cx-kpi merge -"
tcase err-merge-custcol 1 "sed '1s/,last_start,/,last_time,/' $TMPD/rep.part | cx-kpi merge -"
tcase err-merge-flag 1 "awk -F, -v OFS=, '\$43 == \"A\" { \$45 = 2 } 1' $TMPD/rep.part | cx-kpi merge -"
tcase err-merge-contacts 1 "awk -F, -v OFS=, '\$43 == \"A\" { \$48 = 0 } 1' $TMPD/rep.part | cx-kpi merge -"
tcase err-merge-last-before 1 "awk -F, -v OFS=, '\$43 == \"A\" { \$46 = 0 } 1' $TMPD/rep.part | cx-kpi merge -"
tcase err-merge-many-by 1 "printf 'partial_tool,partial_mode,partial_version%s,offered\n' \"\$(seq -f ',by:c%g' 65 | tr -d '\n')\" | cx-kpi merge -"

# --- Erlang: published numbers ----------------------------------------------------
# Call Centre Helper: 100 calls in 30 min, AHT 180 s, 80/20, 30% shrinkage.
tcase cch 0 "cx-kpi erlang --calls 100 --interval 30min --aht 180 --target-sl 0.8 --sl 20 --shrinkage 0.3"
check cch-digits "cx-kpi erlang --calls 100 --interval 30min --aht 180 --shrinkage 0.3 | awk -F, 'NR==2 && \$4==10 && \$5==14 && \$6==20 && sprintf(\"%.16g\",\$7)==\"0.1741319335950498\" && sprintf(\"%.16g\",\$8)==\"0.8883500191794669\" && sprintf(\"%.15g\",\$9)==\"7.83593701177724\"{ok=1} END{exit !ok}'"
# Erlang B tables: B(A=2, N=5) 0.0367, B(5, 10) 0.0184, B(10, 14) 0.0568.
check erlang-b-table "for c in '2 5' '5 10' '10 14'; do set -- \$c; cx-kpi erlang --model b --calls \$1 --interval 1h --aht 3600 --agents \$2 | awk -F, 'NR==2{printf \"%.4f \", \$7}'; done | grep -qx '0.0367 0.0184 0.0568 '"
tcase erlang-b-search 0 "cx-kpi erlang --model b --calls 10 --interval 1h --aht 3600 --max-blocking 0.01"
# GNU Octave queueing (tests/oracles/cx-kpi/erlang-bc.m) to 1e-12, up to 10,000 agents.
awk -F, 'NR==1{print "interval,calls,aht,agents"; next}{print NR-1 "," $1 ",3600," $2}' $D/oracle-erlang-bc.csv >"$TMPD/bc.csv"
check octave-erlang-b "cx-kpi erlang --model b --interval 1h $TMPD/bc.csv > $TMPD/b.out && awk -v map=erlang_b=p_wait -v only=1 -v tol=1e-12 -f tests/numcmp.awk $D/oracle-erlang-bc.csv $TMPD/b.out"
check octave-erlang-c "cx-kpi erlang --model c --interval 1h $TMPD/bc.csv > $TMPD/c.out && awk -v map=erlang_c=p_wait -v only=1 -v tol=1e-12 -f tests/numcmp.awk $D/oracle-erlang-bc.csv $TMPD/c.out"
# Erlang A against the brute-force birth-death oracle (tests/oracles/cx-kpi/erlang-a.m).
cut -d, -f1-5 $D/oracle-erlang-a.csv >"$TMPD/a.csv"
check oracle-erlang-a "cx-kpi erlang --model a --interval 30min --sl 20 $TMPD/a.csv > $TMPD/a.out && awk -v map=p_wait=p_wait,service_level=service_level,asa=asa,occupancy=occupancy,p_abandon=p_abandon -v only=1 -v tol=1e-10 -f tests/numcmp.awk $D/oracle-erlang-a.csv $TMPD/a.out"
tcase erlang-a 0 "cx-kpi erlang --calls 100 --interval 30min --aht 180 --patience 60"
tcase erlang-a-max-abandon 0 "cx-kpi erlang --calls 100 --interval 30min --aht 180 --patience 60 --target-sl 0.5 --max-abandon 0.01"
tcase erlang-max-asa 0 "cx-kpi erlang --calls 100 --interval 30min --aht 180 --max-asa 2"
tcase erlang-max-occupancy 0 "cx-kpi erlang --calls 100 --interval 30min --aht 180 --max-occupancy 0.6"
tcase erlang-fractional 0 "cx-kpi erlang --calls 100 --interval 30min --aht 180 --fractional --shrinkage 0.3"
check fractional-between "cx-kpi erlang --calls 100 --interval 30min --aht 180 --fractional | awk -F, 'NR==2 && \$5 > 13 && \$5 < 14 && \$8 >= 0.8 && \$8 < 0.8000001 {ok=1} END{exit !ok}'"
tcase unstable 0 "cx-kpi erlang --calls 100 --interval 30min --aht 180 --agents 10"
tcase large 0 "cx-kpi erlang --calls 9990 --interval 1h --aht 3600"
tcase zero-calls 0 "printf 'interval,calls\n1,0\n2,4\n' | cx-kpi erlang --interval 15min --aht 180"
tcase bank-stream 0 "head -6 testdata/man-examples/bank_calls_5min.csv | cx-kpi erlang --interval 5min --aht 240 --id day,interval_start --shrinkage 0.35"
tcase no-aht 0 "printf 'period,offered,aht\n1,3,\n2,0,\n3,5,100\n' | cx-kpi erlang --interval 15min --calls-col offered"
tcase summary-to-erlang 0 "cx-kpi --period 15min $C | cx-kpi erlang --interval 15min --calls-col offered"
tcase stream-rejects 0 "printf 'interval,calls,aht\n1,5,180\n2,x,180\n3,4,-1\n4,4,\n' | cx-kpi erlang --interval 15min --rejects $TMPD/r.csv && cat $TMPD/r.csv"

# --- plan ------------------------------------------------------------------------
tcase plan 0 "cx-kpi plan --period day --by queue $C"
tcase plan-icmi 0 "cx-kpi plan --period day $I"

# --- data errors: exit 1, FILE:LINE: COLUMN: message --------------------------------
bad() {	# bad NAME 'sed expression on calls.csv' [options]
	sed "$2" $C >"$TMPD/$1.csv"
	tcase err-$1 1 "cx-kpi ${3:-} < $TMPD/$1.csv"
}
bad number '2s/,12,300,/,12.5O,300,/'
bad negative '2s/,12,300,/,-12,300,/'
bad time '2s/2026-10-05T09:00:05Z/2026-02-30T09:00:05Z/'
bad empty-start '2s/2026-10-05T09:00:05Z//'
bad flag '2s/,0,0,1$/,0,2,1/'
bad transfers '2s/,30,0,0,1$/,30,x,0,1/'
bad resolved '2s/,0,0,1$/,0,0,yes/'
bad hold '2s/,300,0,30,/,300,1:75,30,/'
tcase err-no-start 1 "cut -d, -f1,2,4- $C | cx-kpi"
tcase err-no-abandoned 1 "cut -d, -f1-10 $C | cx-kpi"
tcase err-no-by 1 "cx-kpi --by region $C"
tcase err-no-customer 1 "cut -d, -f1,3- $C | cx-kpi --repeat-window 1d"
tcase err-unsorted 1 "{ sed -n 1p $C; sed -n 6p $C; sed -n 2p $C; } | cx-kpi --repeat-window 1d"
tcase err-missing-file 1 "cx-kpi nonexistent.csv"
tcase err-empty-file 1 "cx-kpi < /dev/null"
tcase err-truncated-gzip 1 "gzip -c $C | head -c 150 > $TMPD/t.gz && cx-kpi < $TMPD/t.gz"
tcase err-quote 1 "printf 'call_id,start,abandoned\nc1,2026-10-05T09:00:05Z,\"0\"x\n' | cx-kpi"
tcase rejects 0 "sed '2s/,12,300,/,12.5O,300,/;5s/,1,\$/,1,2/' $C | cx-kpi --rejects $TMPD/r.csv --by queue && cat $TMPD/r.csv"
tcase err-stream-calls 1 "printf 'interval,calls\n1,abc\n' | cx-kpi erlang --interval 15min --aht 100"
tcase err-stream-nocalls 1 "printf 'interval,n\n1,3\n' | cx-kpi erlang --interval 15min --aht 100"
tcase err-stream-noaht 1 "printf 'interval,calls\n1,3\n' | cx-kpi erlang --interval 15min"
tcase err-stream-patience 1 "printf 'interval,calls,aht,patience\n1,3,100,0\n' | cx-kpi erlang --model a --interval 15min"
tcase err-stream-nopatience 1 "printf 'interval,calls,aht\n1,3,100\n' | cx-kpi erlang --model a --interval 15min"
tcase err-stream-agents 1 "printf 'interval,calls,aht,agents\n1,3,100,-2\n' | cx-kpi erlang --interval 15min"
tcase err-overflow 1 "sed '2s/,12,300,/,12000000000000,300,/' $C | cx-kpi"
tcase err-merge-period 1 "cx-kpi --partial --period day $C | sed '2s/,day,/,fortnight,/' | cx-kpi merge -"
tcase err-merge-period-start 1 "cx-kpi --partial --period day $C | awk -F, -v OFS=, 'NR==2{\$10=\"x\"}1' | cx-kpi merge -"
tcase unmet 0 "cx-kpi erlang --model b --calls 1e9 --interval 1h --aht 3600"
tcase err-plan-nowait 1 "cut -d, -f1-5,7- $C | cx-kpi plan --period day"
# partial files that cannot be merged
cx-kpi --by queue --partial $C >"$TMPD/q.part"
cx-kpi --by queue --sl 30 --partial $C >"$TMPD/q30.part"
cx-kpi --by queue --short-abandon 3 --partial $C >"$TMPD/s3.part"
tcase err-merge-not-partial 1 "cx-kpi merge $C"
tcase err-merge-options 1 "cd $TMPD && cx-kpi merge q.part s3.part"
tcase err-merge-header 1 "cd $TMPD && cx-kpi merge q.part q30.part"
tcase err-merge-tool 1 "sed '2s/^cx-kpi,summary/cx-clv,summary/' $TMPD/q.part | cx-kpi merge -"
tcase err-merge-version 1 "sed '2s/^cx-kpi,summary,2,/cx-kpi,summary,9,/' $TMPD/q.part | cx-kpi merge -"
tcase err-merge-count 1 "awk -F, -v OFS=, 'NR==2{\$11=99}1' $TMPD/q.part | cx-kpi merge -"
tcase err-merge-hist 1 "awk -F, -v OFS=, 'NR==2{\$24=\"1:x\"}1' $TMPD/q.part | cx-kpi merge -"
tcase err-merge-hist-n 1 "awk -F, -v OFS=, 'NR==2{\$24=\"1:2\"}1' $TMPD/q.part | cx-kpi merge -"
tcase err-merge-sum 1 "awk -F, -v OFS=, 'NR==2{\$20=\"\"}1' $TMPD/q.part | cx-kpi merge -"
tcase err-merge-statcol 1 "sed '1s/,wait_n,/,waits,/' $TMPD/q.part | cx-kpi merge -"
tcase err-merge-threshold 1 "sed '1s/,answered_in_20,/,answered_by_20,/' $TMPD/q.part | cx-kpi merge -"
tcase err-merge-ragged 1 "sed '2s/\$/,1/' $TMPD/q.part | cx-kpi merge -"
tcase err-merge-overflow 1 "awk -F, -v OFS=, 'NR>1{\$20=\"9000000000000000000\"}1' $TMPD/q.part > $TMPD/big.part && cd $TMPD && cx-kpi merge big.part big.part"
tcase err-sum-overflow 1 "awk 'BEGIN{print \"start,abandoned,wait_s\"; for (i = 0; i < 10000; i++) print \"2026-10-05T09:00:00Z,0,999999999\"}' | cx-kpi"
tcase err-rejects-full 3 "sed '2s/,12,300,/,12.5O,300,/' $C | cx-kpi --rejects /dev/full"
tcase err-merge-short 1 "head -2 $TMPD/q.part | cut -d, -f1-20 | cx-kpi merge -"

# --- system errors: exit 3 -----------------------------------------------------------
tcase err-dev-full 3 "cx-kpi $C > /dev/full"
tcase err-dev-full-erlang 3 "cx-kpi erlang --calls 1 --interval 1h --aht 60 -o /dev/full"
tcase err-output-dir 3 "cx-kpi -o nodir/o.csv $C"

# --- usage errors: exit 2 ---------------------------------------------------------------
tcase use-unknown 2 "cx-kpi --frobnicate $C"
tcase use-period 2 "cx-kpi --period fortnight $C"
tcase use-sl 2 "cx-kpi --sl 20,abc $C"
tcase use-sl-twice 2 "cx-kpi --sl 20,20 $C"
tcase use-sl-many 2 "cx-kpi --sl 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17 $C"
tcase use-sl-empty 2 "cx-kpi --sl , $C"
tcase use-formula 2 "cx-kpi --sl-formula cisco $C"
tcase use-attribute 2 "cx-kpi --attribute answer $C"
tcase use-short 2 "cx-kpi --short-abandon -1 $C"
tcase use-window 2 "cx-kpi --repeat-window 3weeks $C"
tcase use-by-many 2 "cx-kpi --by \$(seq -s, 1 65) $C"
tcase use-blocking 2 "cx-kpi erlang --model b --max-blocking 2 --calls 1 --interval 1h --aht 60"
tcase use-by-empty 2 "cx-kpi --by , $C"
tcase use-col 2 "cx-kpi --col wait_s $C"
tcase use-delim 2 "cx-kpi -d ab $C"
tcase use-not-summary 2 "cx-kpi --patience 60 $C"
tcase use-not-erlang 2 "cx-kpi erlang --by queue --calls 1 --interval 1h --aht 60"
tcase use-not-merge 2 "cx-kpi merge --period day $TMPD/q.part"
tcase use-plan-period 2 "cx-kpi plan $C"
tcase use-plan-week 2 "cx-kpi plan --period week $C"
tcase use-plan-model-b 2 "cx-kpi plan --period day --model b $C"
tcase use-merge-nofile 2 "cx-kpi merge"
tcase use-interval 2 "cx-kpi erlang --calls 100 --aht 180"
tcase use-interval-bad 2 "cx-kpi erlang --calls 100 --aht 180 --interval 0min"
tcase use-calls-aht 2 "cx-kpi erlang --calls 100 --interval 30min"
tcase use-calls-file 2 "cx-kpi erlang --calls 100 --interval 30min --aht 180 $C"
tcase use-calls-neg 2 "cx-kpi erlang --calls -1 --interval 30min --aht 180"
tcase use-model 2 "cx-kpi erlang --model d --calls 1 --interval 1h --aht 60"
tcase use-model-a 2 "cx-kpi erlang --model a --calls 1 --interval 1h --aht 60"
tcase use-patience-c 2 "cx-kpi erlang --model c --patience 60 --calls 1 --interval 1h --aht 60"
tcase use-b-target 2 "cx-kpi erlang --model b --target-sl 0.9 --calls 1 --interval 1h --aht 60"
tcase use-blocking-c 2 "cx-kpi erlang --max-blocking 0.01 --calls 1 --interval 1h --aht 60"
tcase use-abandon-c 2 "cx-kpi erlang --max-abandon 0.01 --calls 1 --interval 1h --aht 60"
# continuous Erlang B: 0.0367 is met just below 5 agents; at B(2, 5) itself, at 5
check fractional-b "cx-kpi erlang --model b --calls 2 --interval 1h --aht 3600 --max-blocking 0.0367 --fractional | awk -F, 'NR==2 && \$5 > 4.99 && \$5 < 5 && (\$7 - 0.0367)^2 < 1e-24 {ok=1} END{exit !ok}'"
check fractional-b-integer "cx-kpi erlang --model b --calls 2 --interval 1h --aht 3600 --max-blocking 0.03669724770642201 --fractional | awk -F, 'NR==2 && (\$5 - 5)^2 < 1e-18 {ok=1} END{exit !ok}'"
tcase use-fractional-a 2 "cx-kpi erlang --fractional --patience 60 --calls 1 --interval 1h --aht 60"
tcase use-fractional-agents 2 "cx-kpi erlang --fractional --agents 3 --calls 1 --interval 1h --aht 60"
tcase use-target 2 "cx-kpi erlang --target-sl 1 --calls 1 --interval 1h --aht 60"
tcase use-shrinkage 2 "cx-kpi erlang --shrinkage 1 --calls 1 --interval 1h --aht 60"
tcase use-agents 2 "cx-kpi erlang --agents x --calls 1 --interval 1h --aht 60"
tcase use-occupancy 2 "cx-kpi erlang --max-occupancy 0 --calls 1 --interval 1h --aht 60"
tcase use-asa 2 "cx-kpi erlang --max-asa -3 --calls 1 --interval 1h --aht 60"
tcase use-aht 2 "cx-kpi erlang --aht 0 --calls 1 --interval 1h"
tdone
