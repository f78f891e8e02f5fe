# demo step: cx-ingest on generated calls with defects, and on the CDNOW file.
echo "== cx-ingest: 5,000 generated calls, 1% of them defective =="
cx-gen-data calls --rows 5000 --dirty 0.01 --seed 7 > "$DEMO/raw_calls.csv"
cx-ingest --schema calls --dedupe --rejects "$DEMO/rejects.csv" "$DEMO/raw_calls.csv" > "$DEMO/calls.csv"
head -4 "$DEMO/calls.csv" | cut -c1-110
echo "-- first rejects (row as read, then line and reason):"
sed -n "2,4p" "$DEMO/rejects.csv" | cut -c1-150
echo
echo "== cx-ingest: the CDNOW master file as shipped (gzip, blank-separated, CRLF) =="
cx-ingest --schema orders --ws --time-format %Y%m%d --col amount=dollar_value \
	testdata/cdnow/CDNOW_master.txt.gz > "$DEMO/cdnow_orders.csv"
head -4 "$DEMO/cdnow_orders.csv"
