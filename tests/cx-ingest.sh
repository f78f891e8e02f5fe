#!/bin/sh
# cx-ingest: canonical output, every rejection reason, every error message and
# exit status.  Expected stdout/stderr: testdata/cx-ingest/NAME.out/.err.
T=cx-ingest
. "$(dirname "$0")/lib.sh"
D=testdata/cx-ingest
# bundled copies, so that a clone without ../shared tests the same bytes
CDM=testdata/cdnow/CDNOW_master.txt.gz
CDS=testdata/cx-clv/data/CDNOW_sample.txt

# --- canonical output ------------------------------------------------------
tcase calls 0 "cx-ingest --schema calls $D/calls.csv"
tcase calls-stdin 0 "cx-ingest --schema calls - < $D/calls.csv"
tcase calls-quiet 0 "cx-ingest -q --schema calls $D/calls.csv"
tcase calls-rejects 0 "cx-ingest --schema calls --dedupe --rejects $TMPD/rj.csv $D/calls_bad.csv && cat $TMPD/rj.csv"
tcase surveys-rejects 0 "cx-ingest --schema surveys --dedupe --rejects - $D/surveys.csv -o $TMPD/s.csv && cat $TMPD/s.csv"
tcase rejects-name-clash 0 "cx-ingest --schema moments --rejects $TMPD/rj.csv $D/reason_col.csv && cat $TMPD/rj.csv"
tcase moments-rejects 0 "cx-ingest --schema moments --rejects $TMPD/rj.csv $D/moments.csv && cat $TMPD/rj.csv"
tcase local-time 0 "cx-ingest --schema calls -d ';' --time-format '%d/%m/%Y %H:%M' --tz Europe/Paris --col call_id=Id --col customer_id=Cust --col start=Date --rejects $TMPD/rj.csv $D/local.csv && cat $TMPD/rj.csv"
tcase bom-crlf 0 "cx-ingest --schema moments $D/bom_crlf.csv"
tcase gzip 0 "cx-ingest --schema moments $D/moments.csv.gz.bin --rejects /dev/null"
tcase multimember 0 "cx-ingest --schema moments $D/multimember.gz.bin"
tcase two-files 0 "cx-ingest --schema moments $D/bom_crlf.csv $D/bom_crlf.csv"
tcase no-header 0 "cx-ingest --schema moments --ws --no-header --columns interaction_id,t,score $D/noheader.txt"
tcase output-file 0 "cx-ingest -q --schema moments -o $TMPD/o.csv $D/bom_crlf.csv && cat $TMPD/o.csv && ! ls $TMPD | grep tmp"
# The CDNOW master file as shipped (blank-separated, CRLF, leading blanks).
tcase cdnow-master 0 "cx-ingest --schema orders --ws --time-format %Y%m%d --col amount=dollar_value $CDM | sed -n '1,3p;\$p'"
tcase cdnow-master-count 0 "cx-ingest -q --schema orders --ws --time-format %Y%m%d --col amount=dollar_value $CDM | wc -l"
tcase cdnow-sample 0 "cx-ingest --schema orders --ws --no-header --columns master_id,customer_id,date,cds,amount --time-format %Y%m%d $CDS | sed -n '1,3p;\$p'"
if [ -f "$SHARED/data/clv/CDNOW_master.txt" ]; then
	ING="cx-ingest -q --schema orders --ws --time-format %Y%m%d --col amount=dollar_value"
	check cdnow-shared-same "$ING $CDM > $TMPD/m.csv && $ING $SHARED/data/clv/CDNOW_master.txt | cmp -s - $TMPD/m.csv"
fi
tcase help 0 "cx-ingest --help | head -3"
tcase version 0 "cx-ingest --version"

# --- data errors: exit 1, file:line: column: message -------------------------
tcase err-first-bad-row 1 "cx-ingest --schema calls $D/calls_bad.csv"
tcase err-missing-column 1 "cx-ingest --schema calls $D/moments.csv"
tcase err-col-absent 1 "cx-ingest --schema moments --col t=time $D/moments.csv"
tcase err-dup-column 1 "cx-ingest --schema moments $D/dupcol.csv"
tcase err-header-differs 1 "cx-ingest --schema moments $D/bom_crlf.csv $D/otherhdr.csv"
tcase err-empty 1 "cx-ingest --schema moments $D/empty.csv"
tcase err-no-file 1 "cx-ingest --schema moments $D/no-such-file.csv"
tcase err-unterminated 1 "cx-ingest --schema moments $D/unterminated.csv"
tcase err-badquote 1 "cx-ingest --schema moments $D/badquote.csv"
tcase err-ragged 1 "cx-ingest --schema moments $D/ragged.csv"
tcase err-truncated-gzip 1 "cx-ingest --schema calls $D/truncated.gz.bin"
tcase err-corrupt-gzip 1 "cx-ingest --schema moments $D/corrupt.gz.bin"
tcase warn-trailing-gzip 0 "cx-ingest --schema moments $D/trailing.gz.bin --rejects /dev/null"
tcase err-output-partial 1 "cx-ingest --schema calls -o $TMPD/partial.csv $D/calls_bad.csv; s=\$?; ls $TMPD | grep -c partial; exit \$s"

# --- system errors: exit 3 ----------------------------------------------------
tcase err-full-stdout 3 "cx-ingest --schema moments $D/bom_crlf.csv > /dev/full"
tcase err-full-output 3 "cx-ingest --schema moments -o /dev/full $D/bom_crlf.csv"
tcase err-full-rejects 3 "cx-ingest --schema moments --rejects /dev/full $D/moments.csv"
tcase err-output-dir 3 "cx-ingest --schema moments -o no/such/dir.csv $D/moments.csv"
check sigpipe-quiet "cx-ingest -q --schema orders --ws --time-format %Y%m%d --col amount=dollar_value $CDM 2>$TMPD/pipe.err | head -1 >/dev/null; test ! -s $TMPD/pipe.err"

# --- usage errors: exit 2 -----------------------------------------------------
tcase usage-no-schema 2 "cx-ingest $D/moments.csv"
tcase usage-bad-schema 2 "cx-ingest --schema people"
tcase usage-bad-option 2 "cx-ingest --schema calls --frobnicate"
tcase usage-ws-and-d 2 "cx-ingest --schema calls --ws -d ';'"
tcase usage-no-header-alone 2 "cx-ingest --schema calls --no-header"
tcase usage-columns-alone 2 "cx-ingest --schema calls --columns a,b"
tcase usage-empty-format 2 "cx-ingest --schema calls --time-format ''"
tcase usage-same-output 2 "cx-ingest --schema calls -o x.csv --rejects x.csv"
tcase usage-bad-col 2 "cx-ingest --schema calls --col start"
tcase usage-bad-delim 2 "cx-ingest --schema calls -d ab"
tcase usage-bad-tz 2 "cx-ingest --schema calls --tz Mars/Olympus $D/calls.csv"
tcase usage-tz-folder 2 "cx-ingest --schema calls --tz Europe $D/calls.csv"

# --- man page examples run ----------------------------------------------------
check man-page "test -f man/cx-ingest.1"
tdone
