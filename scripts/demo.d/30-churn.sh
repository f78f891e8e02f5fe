#!/bin/sh
# Demo: retention of R's lung data set with cx-churn (curves, test, drivers).
D=testdata/cx-churn
echo "== cx-churn: how long do customers stay, who leaves faster, and why =="
echo "-- median time to churn by group (quantiles):"
cx-churn quantiles --time time --event status --by sex --probs 0.5 $D/lung.csv
echo "-- do the groups differ? (log-rank):"
cx-churn logrank --time time --event status --by sex $D/lung.csv
echo "-- drivers (Cox, Efron ties):"
cx-churn cox --time time --event status --covariates age,sex,ph.ecog -q $D/lung.csv | cut -d, -f1-4
