# demo step: cx-clv on the CDNOW master file as shipped -- ingest, summary,
# BG/NBD + Gamma-Gamma fit, scores, and the holdout check of Fader, Hardie and Lee.
echo "== cx-clv: CDNOW (23,570 customers), calibration to 1997-09-30, holdout to 1998-06-30 =="
cx-ingest -q --schema orders --ws --time-format %Y%m%d --col amount=dollar_value \
	testdata/cdnow/CDNOW_master.txt.gz > "$DEMO/cdnow_orders.csv"
cx-clv summary -q --calibration-end 1997-09-30 --holdout-end 1998-06-30 \
	"$DEMO/cdnow_orders.csv" > "$DEMO/clv_summary.csv"
head -3 "$DEMO/clv_summary.csv"
echo "-- fit (BG/NBD and Gamma-Gamma), then the model figures:"
cx-clv fit -q --spend gamma-gamma --glance "$DEMO/clv_glance.csv" "$DEMO/clv_summary.csv" > "$DEMO/clv_model.csv"
cut -d, -f1-3,6 "$DEMO/clv_model.csv"
cut -d, -f1-4,7,8 "$DEMO/clv_glance.csv"
echo "-- the five customers worth most over the next 52 weeks (1% discount a week, 30% margin):"
cx-clv score -q --model "$DEMO/clv_model.csv" --horizon 52 --discount 0.01 --margin 0.3 \
	"$DEMO/clv_summary.csv" | sort -t, -k6,6 -g -r | head -5
echo "-- holdout check (39 weeks): mean holdout purchases by calibration frequency"
cx-clv validate -q --model "$DEMO/clv_model.csv" --calibration-end 1997-09-30 \
	--glance "$DEMO/clv_validate.csv" "$DEMO/cdnow_orders.csv"
cat "$DEMO/clv_validate.csv"
