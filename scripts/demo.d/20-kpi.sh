#!/bin/sh
# Demo: contact-centre KPIs and Erlang staffing with cx-kpi.
echo "== cx-kpi: how fast do we answer, who gives up, how many agents do we need =="
cx-gen-data calls --rows 20000 --seed 7 > "$DEMO/kpi_calls.csv"
echo "-- daily KPIs per queue (first rows, some columns):"
cx-kpi --by queue --period day --sl 20,30 --repeat-window 24h "$DEMO/kpi_calls.csv" > "$DEMO/kpi.csv"
head -4 "$DEMO/kpi.csv" | cut -d, -f1-8,12,14,20,28-
echo "-- the same from two halves, merged: identical bytes?"
head -10001 "$DEMO/kpi_calls.csv" | cx-kpi --by queue --period day --sl 20,30 --partial > "$DEMO/a.part"
(head -1 "$DEMO/kpi_calls.csv"; tail -n +10002 "$DEMO/kpi_calls.csv") | cx-kpi --by queue --period day --sl 20,30 --partial > "$DEMO/b.part"
cx-kpi --by queue --period day --sl 20,30 "$DEMO/kpi_calls.csv" > "$DEMO/kpi1.csv"
cx-kpi merge "$DEMO/a.part" "$DEMO/b.part" | cmp - "$DEMO/kpi1.csv" && echo "   yes"
echo "-- Call Centre Helper's example: 100 calls / 30 min, AHT 180 s, 80/20, 30% shrinkage:"
cx-kpi erlang --calls 100 --interval 30min --aht 180 --shrinkage 0.3
echo "-- the same with callers who hang up after 60 s on average (Erlang A):"
cx-kpi erlang --calls 100 --interval 30min --aht 180 --patience 60
echo "-- a staffing table for the bank's 5-minute arrivals (first rows):"
cx-kpi erlang --interval 5min --aht 240 --shrinkage 0.35 --id day,interval_start \
	"${SHARED:-../shared}/data/kpi/bank_calls_5min.csv" | head -4
echo "-- model against actual, per hour (first rows, some columns):"
cx-kpi plan --period hour --by queue "$DEMO/kpi_calls.csv" | head -4 | cut -d, -f1-3,5,7,10,12,13,15
