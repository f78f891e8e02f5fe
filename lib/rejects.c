/* rejects: the bad rows, as read, with the line they came from and why. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cxerr.h"
#include "rejects.h"

/* Write name, with leading underscores added while the input has a column of
 * that name, so that the rejects file never has two columns of one name. */
static void
unique_name(struct cx_csvout *w, const struct cx_csvin *in, const char *name)
{
	char buf[64];
	size_t n = strlen(name);

	memcpy(buf, name, n + 1);
	while (cx_csvin_column(in, buf) >= 0 && n + 1 < sizeof buf) {
		memmove(buf + 1, buf, ++n);
		buf[0] = '_';
	}
	cx_csvout_str(w, buf);
}

int
cx_rejects_open(struct cx_rejects *rj, const char *path, const struct cx_csvin *in)
{
	size_t i;

	rj->count = 0;
	rj->ncols = cx_csvin_ncols(in);
	if (cx_outfile_open(&rj->out, path) != 0)
		return -1;
	if ((rj->csv = cx_csvout_new(rj->out.fp, ',')) == NULL) {
		cx_outfile_abort(&rj->out);
		errno = ENOMEM;
		return -1;
	}
	unique_name(rj->csv, in, "line");
	unique_name(rj->csv, in, "reason");
	for (i = 0; i < rj->ncols; i++)
		cx_csvout_str(rj->csv, cx_csvin_colname(in, i));
	cx_csvout_endrow(rj->csv);
	return 0;
}

void
cx_rejects_write(struct cx_rejects *rj, const struct cx_record *rec, const char *reason)
{
	size_t i;

	/* line and reason come first, so that they stay under their names even
	 * when the row itself is ragged; its fields follow exactly as read */
	cx_csvout_llong(rj->csv, (long long)rec->line);
	cx_csvout_str(rj->csv, reason);
	for (i = 0; i < rec->nfield; i++)
		cx_csvout_field(rj->csv, rec->field[i], rec->len[i]);
	cx_csvout_endrow(rj->csv);
	rj->count++;
}
int
cx_rejects_commit(struct cx_rejects *rj)
{
	int rc = cx_csvout_flush(rj->csv) == 0 ? 0 : -1, saved = errno;

	cx_csvout_free(rj->csv);
	rj->csv = NULL;
	if (rc != 0) {
		cx_outfile_abort(&rj->out);
		errno = saved;
		return -1;
	}
	return cx_outfile_commit(&rj->out);
}

void
cx_rejects_abort(struct cx_rejects *rj)
{
	cx_csvout_free(rj->csv);
	rj->csv = NULL;
	cx_outfile_abort(&rj->out);
}
