#!/bin/sh
# cx-churn bench: km and Cox (Efron) on generated customers (integer day
# durations, 5 covariates: plan, region, tenure_calls, monthly_spend, age)
# against R's survfit and coxph timed in the same run (the R calls alone, data
# already loaded; skipped with a note when R or survival is missing).  The cox
# ratio uses our run with --summary, since coxph also computes the concordance.
#   CHURN_ROWS  customers (default 10000000)
. scripts/bench-lib.sh
BENCH_DIR=${BENCH_DIR:-build/bench}
n=${CHURN_ROWS:-10000000}
f=$BENCH_DIR/customers_$n.csv
mkdir -p "$BENCH_DIR"
[ -s "$f" ] || cx-gen-data customers --rows "$n" -o "$f"
echo "== cx-churn: $n customers, $(bench_mb "$f") MB =="
covs=plan,region,tenure_calls,monthly_spend,age
t_km=$(bench_time 3 cx-churn km --time duration_days --event churned "$f")
m_km=$(bench_rss cx-churn km --time duration_days --event churned "$f")
bench_line "km (end to end, with CSV parsing)" "$t_km" "$(bench_mb "$f")"
t_lr=$(bench_time 1 cx-churn logrank --time duration_days --event churned --by plan "$f")
bench_line "logrank --by plan" "$t_lr" "$(bench_mb "$f")"
t_cox=$(bench_time 1 cx-churn cox --time duration_days --event churned --covariates $covs "$f")
m_cox=$(bench_rss cx-churn cox --time duration_days --event churned --covariates $covs "$f")
bench_line "cox efron, 5 covariates (8 terms)" "$t_cox" "$(bench_mb "$f")"
t_cs=$(bench_time 1 cx-churn cox --time duration_days --event churned --covariates $covs --summary /dev/null "$f")
bench_line "cox efron + concordance (--summary)" "$t_cs" "$(bench_mb "$f")"
echo "churn: km peak RSS  $m_km kB"
echo "churn: cox peak RSS  $m_cox kB"
if ! command -v Rscript >/dev/null 2>&1 || ! Rscript -e 'library(survival)' >/dev/null 2>&1; then
	echo "churn: R with survival not installed: R ratios skipped"
	exit 0
fi
r=$BENCH_DIR/churn-r.txt
Rscript -e '
suppressMessages(library(survival))
f <- commandArgs(TRUE)[1]
d <- if (requireNamespace("data.table", quietly = TRUE)) data.table::fread(f, data.table = FALSE) else
  read.csv(f, colClasses = c("character", "character", "numeric", "integer", "character",
    "character", "numeric", "numeric", "numeric"))
invisible(gc(reset = TRUE))
t1 <- system.time(fit <- survfit(Surv(duration_days, churned) ~ 1, data = d))[["elapsed"]]
m1 <- sum(gc()[, 6])
invisible(gc(reset = TRUE))
t2 <- system.time(cf <- coxph(Surv(duration_days, churned) ~ plan + region + tenure_calls +
  monthly_spend + age, data = d, ties = "efron"))[["elapsed"]]
m2 <- sum(gc()[, 6])
cat(t1, m1, t2, m2, "\n")' "$f" >"$r" 2>/dev/null || { echo "churn: R failed: R ratios skipped"; exit 0; }
read -r rt_km rm_km rt_cox rm_cox <"$r"
echo "churn: R survfit  $rt_km s (max memory while fitting ${rm_km} MB above the data)"
echo "churn: R coxph efron  $rt_cox s (max memory while fitting ${rm_cox} MB above the data)"
bench_ratio "churn: km speed-up over R survfit alone (goal >= 10)" "$rt_km" "$t_km"
bench_ratio "churn: cox speed-up over R coxph alone (goal >= 5)" "$rt_cox" "$t_cs"
printf '  %-56s %6.2f\n' "churn: R coxph memory / cx-churn cox peak RSS (goal >= 10)" \
    "$(echo "$rm_cox * 1024 / $m_cox" | bc -l)"
