/* partial: meta columns of partial files, and strict typed reading of the rest. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxerr.h"
#include "parse.h"
#include "partial.h"

static const char *const meta_cols[] = { "partial_tool", "partial_mode", "partial_version" };

void
cx_partial_write_header(struct cx_csvout *out, const struct cx_partial_meta *m,
    const char *const *cols, size_t ncols)
{
	char name[256];

	for (size_t i = 0; i < 3; i++)
		cx_csvout_str(out, meta_cols[i]);
	for (size_t i = 0; i < m->nopts; i++) {
		snprintf(name, sizeof name, "%s%s", CX_PARTIAL_OPT_PREFIX, m->optname[i]);
		cx_csvout_str(out, name);
	}
	for (size_t i = 0; i < ncols; i++)
		cx_csvout_str(out, cols[i]);
	cx_csvout_endrow(out);
}

void
cx_partial_write_meta(struct cx_csvout *out, const struct cx_partial_meta *m)
{
	cx_csvout_str(out, m->tool);
	cx_csvout_str(out, m->mode);
	cx_csvout_llong(out, m->version);
	for (size_t i = 0; i < m->nopts; i++)
		cx_csvout_str(out, m->optval[i]);
}

void
cx_partial_init(struct cx_partial_in *p)
{
	memset(p, 0, sizeof *p);
}

void
cx_partial_fini(struct cx_partial_in *p)
{
	for (size_t i = 0; i < p->nopts; i++) {
		free(p->optname[i]);
		if (p->optval)
			free(p->optval[i]);
	}
	free(p->optname);
	free(p->optval);
	memset(p, 0, sizeof *p);
}

int
cx_partial_open(struct cx_partial_in *p, const struct cx_csvin *in,
    const char *tool, const char *mode)
{
	size_t n = cx_csvin_ncols(in), plen = strlen(CX_PARTIAL_OPT_PREFIX), k;

	p->in = in;
	p->tool = tool;
	p->mode = mode;
	for (size_t i = 0; i < 3; i++)
		if (i >= n || strcmp(cx_csvin_colname(in, i), meta_cols[i]) != 0) {
			snprintf(p->msg, sizeof p->msg,
			    "%s: not a partial file (no %s column; make one with %s %s --partial)",
			    cx_csvin_path(in), meta_cols[i], tool, mode);
			return CX_EDATA;
		}
	for (k = 3; k < n && strncmp(cx_csvin_colname(in, k), CX_PARTIAL_OPT_PREFIX, plen) == 0; k++)
		;
	p->nmeta = k;
	p->nopts = k - 3;
	p->optname = calloc(p->nopts ? p->nopts : 1, sizeof *p->optname);
	if (p->optname == NULL)
		return CX_ENOMEM;
	for (size_t i = 0; i < p->nopts; i++)
		if ((p->optname[i] = strdup(cx_csvin_colname(in, 3 + i) + plen)) == NULL)
			return CX_ENOMEM;
	return 0;
}

int
cx_partial_bad(struct cx_partial_in *p, const struct cx_record *r, int col, const char *reason)
{
	snprintf(p->msg, sizeof p->msg, "%s:%lu: %s: \"%.100s\" %s", cx_csvin_path(p->in),
	    r->line, cx_csvin_colname(p->in, (size_t)col), r->field[col], reason);
	return CX_EDATA;
}

int
cx_partial_is_header(const struct cx_partial_in *p, const struct cx_record *r)
{
	if (r->nfield != cx_csvin_ncols(p->in))
		return 0;
	for (size_t i = 0; i < r->nfield; i++)
		if (strcmp(r->field[i], cx_csvin_colname(p->in, i)) != 0)
			return 0;
	return 1;
}

int
cx_partial_row(struct cx_partial_in *p, const struct cx_record *r, int version)
{
	char vbuf[32];

	if (r->nfield < p->nmeta)
		return cx_partial_bad(p, r, 0, "starts a row that is too short");

	if (strcmp(r->field[0], p->tool) != 0 || strcmp(r->field[1], p->mode) != 0) {
		snprintf(p->msg, sizeof p->msg,
		    "%s:%lu: a partial of %.40s %.40s, not of %s %s: cannot merge",
		    cx_csvin_path(p->in), r->line, r->field[0], r->field[1], p->tool, p->mode);
		return CX_EDATA;
	}
	snprintf(vbuf, sizeof vbuf, "%d", version);
	if (strcmp(r->field[2], vbuf) != 0) {
		snprintf(p->msg, sizeof p->msg,
		    "%s:%lu: partial_version: \"%.40s\" is not the version this program reads (%d)",
		    cx_csvin_path(p->in), r->line, r->field[2], version);
		return CX_EDATA;
	}
	if (p->optval == NULL) {
		p->optval = calloc(p->nopts ? p->nopts : 1, sizeof *p->optval);
		if (p->optval == NULL)
			return CX_ENOMEM;
		for (size_t i = 0; i < p->nopts; i++)
			if ((p->optval[i] = strdup(r->field[3 + i])) == NULL)
				return CX_ENOMEM;
		return 0;
	}
	for (size_t i = 0; i < p->nopts; i++)
		if (strcmp(r->field[3 + i], p->optval[i]) != 0) {
			snprintf(p->msg, sizeof p->msg,
			    "%s:%lu: made with %s \"%.60s\", not \"%.60s\" as the partials before it: "
			    "cannot merge", cx_csvin_path(p->in), r->line, p->optname[i],
			    r->field[3 + i], p->optval[i]);
			return CX_EDATA;
		}
	return 0;
}

const char *
cx_partial_opt(const struct cx_partial_in *p, const char *name)
{
	if (p->optval == NULL)
		return NULL;
	for (size_t i = 0; i < p->nopts; i++)
		if (strcmp(p->optname[i], name) == 0)
			return p->optval[i];
	return NULL;
}

int
cx_partial_has_opt(const struct cx_partial_in *p, const char *name)
{
	for (size_t i = 0; i < p->nopts; i++)
		if (strcmp(p->optname[i], name) == 0)
			return 1;
	return 0;
}

int
cx_partial_u64(struct cx_partial_in *p, const struct cx_record *r, int col, uint64_t *out)
{
	const char *s = r->field[col];
	char *end;

	if (*s < '0' || *s > '9')
		return cx_partial_bad(p, r, col, "is not a count");
	errno = 0;
	*out = strtoull(s, &end, 10);
	if (errno || *end)
		return cx_partial_bad(p, r, col, "is not a count");
	return 0;
}

int
cx_partial_i64(struct cx_partial_in *p, const struct cx_record *r, int col, int64_t *out)
{
	long long v;

	if (cx_parse_llong(r->field[col], &v) != NULL)
		return cx_partial_bad(p, r, col, "is not an integer");
	*out = v;
	return 0;
}

int
cx_partial_double(struct cx_partial_in *p, const struct cx_record *r, int col, double *out)
{
	const char *why = cx_parse_double(r->field[col], out);

	return why ? cx_partial_bad(p, r, col, why) : 0;
}

const char *
cx_partial_error(const struct cx_partial_in *p)
{
	return p->msg;
}
