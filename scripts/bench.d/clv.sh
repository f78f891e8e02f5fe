#!/bin/sh
# bench.d/clv.sh: cx-clv fit (BG/NBD) at 1e5 and 1e6 simulated customers, time and
# peak RSS, next to the R fit of tests/oracles/cx-clv/bench-fit.R timed in the
# same run (when Rscript is installed); score throughput against a bare CSV pass.
#   BENCH_CLV_R_BIG=0 skips the (slow) R fit at 1e6.
set -e
. scripts/bench-lib.sh
BENCH_DIR=${BENCH_DIR:-build/bench}
mkdir -p "$BENCH_DIR"
P=r=0.243,alpha=4.414,a=0.793,b=2.426
for n in 100000 1000000; do
	f=$BENCH_DIR/clv_sim_$n.csv
	[ -s "$f" ] || cx-clv simulate --model bgnbd --params $P --n $n --T 39 --cohort 12 \
	    --spend p=6.25,q=3.74,gamma=15.44 --seed 1 -o "$f"
done
echo "== cx-clv: BG/NBD fit on simulated customers (CDNOW parameters, 12-week cohort) =="
for n in 100000 1000000; do
	f=$BENCH_DIR/clv_sim_$n.csv
	t=$(bench_time 1 cx-clv fit -q "$f")
	rss=$(bench_rss cx-clv fit -q "$f")
	printf '  clv: fit bgnbd %8d customers  %8.3f s  %8s kB peak RSS\n' "$n" "$t" "$rss"
	eval "t_c_$n=$t"
	tg=$(bench_time 1 cx-clv fit -q --spend gamma-gamma "$f")
	printf '  clv: fit bgnbd + gamma-gamma %8d  %8.3f s\n' "$n" "$tg"
done
if command -v Rscript >/dev/null 2>&1; then
	for n in 100000 1000000; do
		if [ "$n" = 1000000 ] && [ "${BENCH_CLV_R_BIG:-1}" = 0 ]; then
			echo "  R fit at 1e6 skipped (BENCH_CLV_R_BIG=0)"; continue
		fi
		f=$BENCH_DIR/clv_sim_$n.csv
		t=$(bench_time 1 Rscript tests/oracles/cx-clv/bench-fit.R "$f")
		printf '  clv: R optim fit (whole script) %8d  %8.3f s\n' "$n" "$t"
		eval "tc=\$t_c_$n"
		bench_ratio "clv: cx-clv fit speed-up over R at $n [>= 20]" "$t" "$tc"
	done
	echo "  R estimates at 1e5: $(Rscript tests/oracles/cx-clv/bench-fit.R "$BENCH_DIR/clv_sim_100000.csv")"
	echo "  cx-clv estimates at 1e5: $(cx-clv fit -q "$BENCH_DIR/clv_sim_100000.csv" | awk -F, 'NR > 1 { printf "%.6f ", $2 }')"
else
	echo "  Rscript not installed: R baseline skipped (apt-get install r-base-core)"
fi
echo "== cx-clv: score throughput (1e6 customers, horizon 39) =="
f=$BENCH_DIR/clv_sim_1000000.csv
cx-clv fit -q --spend gamma-gamma "$f" > "$BENCH_DIR/clv_model.csv"
t_s=$(bench_time 3 cx-clv score -q --model "$BENCH_DIR/clv_model.csv" --horizon 39 "$f")
t_sd=$(bench_time 1 cx-clv score -q --model "$BENCH_DIR/clv_model.csv" --horizon 39 --discount 0.01 "$f")
t_cnt=$(bench_time 3 build/tests/csvcount "$f")
printf '  clv: score %8.3f s  %10.0f customers/s [target >= 1e6]\n' "$t_s" "$(echo "1000000 / $t_s" | bc -l)"
printf '  clv: score --discount (39 steps) %8.3f s  %10.0f customers/s\n' "$t_sd" "$(echo "1000000 / $t_sd" | bc -l)"
bench_ratio "clv: score time / bare libcsv pass (tests/csvcount)" "$t_s" "$t_cnt"
echo "  peak RSS of score: $(bench_rss cx-clv score -q --model "$BENCH_DIR/clv_model.csv" "$f") kB (flat: streams)"
