/* cx-kpi io: inputs with --rejects, and outputs that appear whole or not at all. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxerr.h"
#include "kpi.h"

void
kpi_in_open(struct kpi_in *ki, const struct kpi_opts *o, char **files, size_t n)
{
	struct cx_csvin_opts co = { .delim = o->delim, .renames = o->renames,
	    .nrenames = o->nrenames };
	int rc;

	ki->quiet = o->quiet;
	ki->nread = ki->nused = 0;
	ki->use_rj = 0;
	ki->speculative = 0;
	if ((ki->in = cx_csvin_new(&co)) == NULL)
		cx_errx(CX_EXIT_SYSTEM, "out of memory");
	if ((rc = cx_csvin_open(ki->in, files, n)) != 0)
		cx_errx(cx_exit_status(rc), "%s", cx_csvin_error(ki->in));
	if (o->rejects != NULL) {
		if (cx_rejects_open(&ki->rj, o->rejects, ki->in) != 0)
			cx_err(CX_EXIT_SYSTEM, "%s", o->rejects);
		ki->use_rj = 1;
	}
}

int
kpi_in_column(struct kpi_in *ki, const char *name, int required, const char *why)
{
	int c = cx_csvin_column(ki->in, name);

	if (c < 0 && required) {
		if (ki->use_rj)
			cx_rejects_abort(&ki->rj);
		cx_errx(CX_EXIT_DATA, "%s: no column \"%s\" (%s; --col %s=NAME reads another)",
		    cx_csvin_path(ki->in), name, why, name);
	}
	return c;
}

int
kpi_in_next(struct kpi_in *ki, struct cx_record *r)
{
	int rc = cx_csvin_next(ki->in, r);

	if (rc < 0) {
		if (ki->use_rj)
			cx_rejects_abort(&ki->rj);
		cx_errx(cx_exit_status(rc), "%s", cx_csvin_error(ki->in));
	}
	if (rc > 0)
		ki->nread++;
	return rc;
}

int
kpi_in_bad(struct kpi_in *ki, const struct cx_record *r, int col, const char *reason)
{
	char msg[256];
	const char *name = col >= 0 ? cx_csvin_colname(ki->in, (size_t)col) : "row";
	const char *val = col >= 0 && (size_t)col < r->nfield ? r->field[col] : "";

	if (ki->speculative)
		return 0;
	snprintf(msg, sizeof msg, "%s: \"%.80s\" %s", name, val, reason);
	if (ki->use_rj) {
		cx_rejects_write(&ki->rj, r, msg);
		return 0;
	}
	cx_errx(CX_EXIT_DATA, "%s:%lu: %s", cx_csvin_path(ki->in), r->line, msg);
}

void
kpi_in_close(struct kpi_in *ki)
{
	if (ki->use_rj) {
		unsigned long nrej = ki->rj.count;
		if (cx_rejects_commit(&ki->rj) != 0)
			cx_err(CX_EXIT_SYSTEM, "rejects file");
		if (!ki->quiet)
			cx_warnx("read %lu rows, used %lu, rejected %lu", ki->nread,
			    ki->nread - nrej, nrej);
	}
	cx_csvin_free(ki->in);
	ki->in = NULL;
}

void
kpi_out_open(struct kpi_out *ko, const char *path)
{
	if (cx_outfile_open(&ko->of, path) != 0)
		cx_err(CX_EXIT_SYSTEM, "%s", path);
	if ((ko->csv = cx_csvout_new(ko->of.fp, ',')) == NULL) {
		cx_outfile_abort(&ko->of);
		cx_errx(CX_EXIT_SYSTEM, "out of memory");
	}
}

int
kpi_out_close(struct kpi_out *ko)
{
	char name[512];

	snprintf(name, sizeof name, "%s", ko->of.path ? ko->of.path : "standard output");

	if (cx_csvout_flush(ko->csv) != 0) {
		int saved = errno;
		cx_csvout_free(ko->csv);
		cx_outfile_abort(&ko->of);
		errno = saved;
		cx_err(CX_EXIT_SYSTEM, "write error on %s", name);
	}
	cx_csvout_free(ko->csv);
	if (cx_outfile_commit(&ko->of) != 0)
		cx_err(CX_EXIT_SYSTEM, "write error on %s", name);
	return CX_EXIT_OK;
}
