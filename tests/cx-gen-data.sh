#!/bin/sh
# tests/cx-gen-data.sh: the deterministic data generator (scripts/cx-gen-data.c).
# Golden files pin the exact bytes (20 rows of each kind, clean and dirty, plus the
# checksums of larger runs), so a change of model or of platform arithmetic shows here.
T=cx-gen-data
. "$(dirname "$0")/lib.sh"

for k in calls orders surveys moments customers; do
	tcase "$k" 0 "cx-gen-data $k --rows 20"
	tcase "$k-dirty" 0 "cx-gen-data $k --rows 20 --seed 3 --dirty 0.5"
done
tcase cksum 0 'for k in calls orders surveys moments customers; do
	cx-gen-data $k --rows 20000 --seed 11 --dirty 0.02 | cksum; done'
tcase start-weekend 0 'cx-gen-data calls --rows 3 --start 2026-03-07'
tcase rows-0 0 'cx-gen-data customers --rows 0'
tcase help 0 'cx-gen-data --help'

check same-bytes '[ "$(cx-gen-data calls --rows 3000 --seed 5 | cksum)" = "$(cx-gen-data calls --seed 5 --rows 3000 | cksum)" ]'
check seed-differs '[ "$(cx-gen-data orders --seed 1 | cksum)" != "$(cx-gen-data orders --seed 2 | cksum)" ]'
check dirty-0-is-clean '[ "$(cx-gen-data surveys --dirty 0 | cksum)" = "$(cx-gen-data surveys | cksum)" ]'
for k in calls orders surveys moments customers; do
	check "rows-$k" "[ \$(cx-gen-data $k --rows 1234 | wc -l) = 1235 ]"
done
check version 'cx-gen-data --version | grep -q "^cx-gen-data (cxkit) "'
check default-rows '[ $(cx-gen-data moments | wc -l) = 1001 ]'
# the clean rows of a dirty run are the rows of the clean run
cx-gen-data calls --rows 2000 >"$TMPD/clean"
check dirty-keeps-clean-rows '[ $(cx-gen-data calls --rows 2000 --dirty 0.1 | grep -cxFf "$TMPD/clean") -gt 1700 ]'
check output-file 'cx-gen-data orders --rows 50 -o "$TMPD/o.csv" && cx-gen-data orders --rows 50 | cmp -s - "$TMPD/o.csv" && [ -z "$(ls "$TMPD" | grep "o.csv.")" ]'

tcase no-kind 2 'cx-gen-data --rows 5'
tcase bad-kind 2 'cx-gen-data call'
tcase extra-arg 2 'cx-gen-data calls orders'
tcase bad-rows 2 'cx-gen-data calls --rows 12x'
tcase neg-rows 2 'cx-gen-data calls --rows -5'
tcase big-rows 2 'cx-gen-data calls --rows 99999999999999999999'
tcase bad-seed 2 'cx-gen-data calls --seed 0x10'
tcase bad-dirty 2 'cx-gen-data calls --dirty 1,5'
tcase range-dirty 2 'cx-gen-data calls --dirty 1.5'
tcase bad-start 2 'cx-gen-data calls --start 2026-02-30'
tcase form-start 2 'cx-gen-data calls --start 5.1.2026'
tcase bad-option 2 'cx-gen-data calls --bogus 2>/dev/null'
tcase dev-full 3 'cx-gen-data calls --rows 100000 >/dev/full'
tcase bad-dir 3 'cx-gen-data calls -o /nonexistent/dir/x.csv'
tdone
