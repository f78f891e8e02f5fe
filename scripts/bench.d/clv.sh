#!/bin/sh
# bench.d/clv.sh: cx-clv fit (BG/NBD) at 1e5 and 1e6 simulated customers, time and
# peak RSS, next to the R fit of tests/oracles/cx-clv/bench-fit.R timed in the
# same run (when Rscript is installed); score throughput against a bare CSV pass;
# summary of 1e6 generated orders read in parts on every processor (the default)
# and in one pass (--threads 1), runs alternated.
#   BENCH_CLV_R_BIG=0 skips the (slow) R fit at 1e6.
set -e
. scripts/bench-lib.sh
BENCH_DIR=${BENCH_DIR:-build/bench}
mkdir -p "$BENCH_DIR"
P=r=0.243,alpha=4.414,a=0.793,b=2.426
# cpu CMD...: "wall cpu rss" of one run (cpu = user + sys seconds): shared
# machines are noisy, and CPU time is the steadier comparison.
cpu() {
	/usr/bin/time -f '%e %U %S %M' "$@" 2>&1 >/dev/null | tail -n 1 |
	    awk '{ printf "%.3f %.3f %d\n", $1, $2 + $3, $4 }'
}
for n in 100000 1000000; do
	f=$BENCH_DIR/clv_sim_$n.csv
	[ -s "$f" ] || cx-clv simulate --model bgnbd --params $P --n $n --T 39 --cohort 12 \
	    --spend p=6.25,q=3.74,gamma=15.44 --seed 1 -o "$f"
done
echo "== cx-clv: BG/NBD fit on simulated customers (CDNOW parameters, 12-week cohort) =="
for n in 100000 1000000; do
	f=$BENCH_DIR/clv_sim_$n.csv
	set -- $(cpu cx-clv fit -q "$f")
	printf '  clv: fit bgnbd %8d customers  %8.3f s wall  %8.3f s cpu  %8s kB peak RSS\n' "$n" "$1" "$2" "$3"
	eval "t_c_$n=$1 c_c_$n=$2"
	set -- $(cpu cx-clv fit -q --spend gamma-gamma "$f")
	printf '  clv: fit bgnbd + gamma-gamma %8d  %8.3f s wall  %8.3f s cpu\n' "$n" "$1" "$2"
done
set -- $(cpu cx-clv fit -q --model pnbd "$BENCH_DIR/clv_sim_100000.csv")
printf '  clv: fit pnbd (BG/NBD data) 100000  %8.3f s wall  %8.3f s cpu  %8s kB peak RSS\n' "$1" "$2" "$3"
if command -v Rscript >/dev/null 2>&1; then
	for n in 100000 1000000; do
		if [ "$n" = 1000000 ] && [ "${BENCH_CLV_R_BIG:-1}" = 0 ]; then
			echo "  R fit at 1e6 skipped (BENCH_CLV_R_BIG=0)"; continue
		fi
		f=$BENCH_DIR/clv_sim_$n.csv
		set -- $(cpu Rscript tests/oracles/cx-clv/bench-fit.R "$f")
		printf '  clv: R optim fit (whole script) %8d  %8.3f s wall  %8.3f s cpu  %8s kB\n' "$n" "$1" "$2" "$3"
		eval "tc=\$t_c_$n cc=\$c_c_$n"
		bench_ratio "clv: cx-clv fit speed-up over R at $n, wall [>= 20]" "$1" "$tc"
		bench_ratio "clv: cx-clv fit speed-up over R at $n, cpu [>= 20]" "$2" "$cc"
	done
	echo "  R estimates at 1e5: $(Rscript tests/oracles/cx-clv/bench-fit.R "$BENCH_DIR/clv_sim_100000.csv")"
	echo "  cx-clv estimates at 1e5: $(cx-clv fit -q "$BENCH_DIR/clv_sim_100000.csv" | awk -F, 'NR > 1 { printf "%.6f ", $2 }')"
else
	echo "  Rscript not installed: R baseline skipped (apt-get install r-base-core)"
fi
echo "== cx-clv: score throughput (1e6 customers, horizon 39) =="
f=$BENCH_DIR/clv_sim_1000000.csv
m=$BENCH_DIR/clv_model.csv
cx-clv fit -q --spend gamma-gamma "$f" > "$m"
# best wall of 3 (the reader thread parses beside the scoring), the CPU of one
# run, and the wall time with the reader thread off
t_s=$(bench_time 3 cx-clv score -q --model "$m" --horizon 39 "$f")
set -- $(cpu cx-clv score -q --model "$m" --horizon 39 "$f")
t_1=$(CXKIT_READER_THREAD=0 bench_time 1 cx-clv score -q --model "$m" --horizon 39 "$f")
printf '  clv: score %8.3f s wall %8.3f s cpu  %10.0f customers/s wall [target >= 1e6], %10.0f in one thread  %s kB peak RSS\n' \
    "$t_s" "$2" "$(echo "1000000 / $t_s" | bc -l)" "$(echo "1000000 / $t_1" | bc -l)" "$3"
set -- $(cpu cx-clv score -q --model "$m" --horizon 39 --discount 0.01 "$f")
printf '  clv: score --discount 0.01 (39 steps) %8.3f s wall %8.3f s cpu\n' "$1" "$2"
t_cnt=$(bench_time 3 build/tests/csvcount "$f")
bench_ratio "clv: score time / bare libcsv pass (tests/csvcount)" "$t_s" "$t_cnt"
echo "== cx-clv: summary of 1e6 generated orders, in parts (default --threads) and in one pass =="
f=$BENCH_DIR/clv_orders_1000000.csv
[ -s "$f" ] || cx-gen-data orders --rows 1000000 --seed 1 -o "$f"
mb=$(bench_mb "$f")
# alternate the two (on a shared machine a processor may run slower for a
# while); each line is one run: wall, cpu, peak RSS
for i in 1 2 3; do
	set -- $(cpu cx-clv summary -q "$f")
	printf '  clv: summary (default threads) run %d %8.3f s wall %8.3f s cpu %8.1f MB/s %8s kB peak RSS\n' \
	    "$i" "$1" "$2" "$(echo "$mb / $1" | bc -l)" "$3"
	set -- $(cpu cx-clv summary -q --threads 1 "$f")
	printf '  clv: summary --threads 1      run %d %8.3f s wall %8.3f s cpu %8.1f MB/s %8s kB peak RSS\n' \
	    "$i" "$1" "$2" "$(echo "$mb / $1" | bc -l)" "$3"
done
