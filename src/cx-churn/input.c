/*
 * input: the one reader behind every cx-churn mode.  Finds the named columns,
 * parses each row strictly (lib/parse, lib/cxtime) into a struct churn_row and
 * hands it to the mode; a bad row goes to --rejects or stops the run (exit 1).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csvin.h"
#include "cxerr.h"
#include "cxtime.h"
#include "parse.h"
#include "progress.h"
#include "rejects.h"
#include "churn.h"

struct colmap {
	int	time, event, start, end, weight, score, id;
	int	*by, *cov;
};

static int
need_col(struct cx_csvin *in, const char *name)
{
	int c = cx_csvin_column(in, name);

	if (c < 0)
		cx_errx(CX_EXIT_DATA, "%s: no column \"%s\"", cx_csvin_path(in), name);
	return c;
}

static int
opt_col(struct cx_csvin *in, const char *name)
{
	return name ? need_col(in, name) : -1;
}

static void
map_columns(struct churn_input *ci, struct cx_csvin *in, struct colmap *m)
{
	const struct churn_opts *o = ci->o;
	size_t i;

	m->time = m->event = m->start = m->end = -1;
	if (ci->need_time || ci->cohort) {
		if (o->start_col) {
			m->start = need_col(in, o->start_col);
			m->end = need_col(in, o->end_col);
		} else {
			m->time = need_col(in, o->time_col);
		}
	}
	if (ci->need_event && !o->start_col)
		m->event = need_col(in, o->event_col);
	else if (ci->need_event && o->event_col)
		m->event = need_col(in, o->event_col);
	m->weight = opt_col(in, o->weight_col);
	m->score = ci->need_score ? need_col(in, o->score_col) : -1;
	m->id = opt_col(in, o->id_col);
	m->by = cx_xcalloc(o->nby + 1, sizeof(int));
	for (i = 0; i < o->nby; i++)
		m->by[i] = need_col(in, o->by[i]);
	m->cov = cx_xcalloc(o->ncov + 1, sizeof(int));
	for (i = 0; i < o->ncov; i++)
		m->cov[i] = need_col(in, o->cov[i]);
}

/* Days from start to end expressed in the --unit. */
static double
days_to_unit(double d, int unit)
{
	switch (unit) {
	case UNIT_WEEK:		return d / 7;
	case UNIT_MONTH:	return d / (365.25 / 12);
	default:		return d;
	}
}

static char reasonbuf[512];

/* Parse one record; NULL or a reason (also in reasonbuf, with the column). */
static const char *
parse_row(struct churn_input *ci, const struct colmap *m, struct cx_record *r,
    struct churn_row *row, char **keybuf, size_t *keycap)
{
	const struct churn_opts *o = ci->o;
	const char *why, *col = NULL, *val = NULL;
	size_t i, klen = 0;

#define FIELD(c)	((size_t)(c) < r->nfield ? r->field[c] : "")
#define BAD(cname, v, reason)	do { col = (cname); val = (v); why = (reason); goto bad; } while (0)
	row->weight = 1;
	row->has_end = 0;
	if (m->time >= 0) {
		const char *s = FIELD(m->time);
		if (*s == '\0')
			BAD(o->time_col, s, "is missing");
		if ((why = cx_parse_double(s, &row->time)) != NULL)
			BAD(o->time_col, s, why);
		if (row->time < 0)
			BAD(o->time_col, s, "is negative");
	}
	if (m->start >= 0) {
		const char *s = FIELD(m->start), *e = FIELD(m->end);
		if (*s == '\0')
			BAD(o->start_col, s, "is missing");
		if ((why = cx_parse_date(s, &row->start)) != NULL)
			BAD(o->start_col, s, why);
		if (*e != '\0') {
			if ((why = cx_parse_date(e, &row->end)) != NULL)
				BAD(o->end_col, e, why);
			if (row->end < row->start)
				BAD(o->end_col, e, "is before the start date");
			row->has_end = !o->has_asof || row->end <= o->asof;
		}
		if (o->has_asof && row->start > o->asof)
			BAD(o->start_col, s, "is after --asof");
		if (!ci->cohort) {
			int32_t stop = row->has_end ? row->end : o->asof;
			if (!row->has_end && !o->has_asof)
				BAD(o->end_col, e, "is empty and no --asof date was given");
			row->time = days_to_unit((double)stop - row->start, o->unit);
			row->event = row->has_end;
		}
	}
	if (m->event >= 0) {
		const char *s = FIELD(m->event);
		if (*s == '\0')
			BAD(o->event_col, s, "is missing");
		if (o->event_value)
			row->event = strcmp(s, o->event_value) == 0;
		else if ((why = cx_parse_flag(s, 1, &row->event)) != NULL)
			BAD(o->event_col, s, "is not 0 or 1 (use --event-value for text)");
	}
	if (m->weight >= 0) {
		const char *s = FIELD(m->weight);
		if (*s == '\0')
			BAD(o->weight_col, s, "is missing");
		if ((why = cx_parse_double(s, &row->weight)) != NULL)
			BAD(o->weight_col, s, why);
		if (row->weight < 0)
			BAD(o->weight_col, s, "is negative");
	}
	if (m->score >= 0) {
		const char *s = FIELD(m->score);
		row->score = s;
		row->has_score = *s != '\0';
		if (row->has_score && (why = cx_parse_double(s, &row->scoreval)) != NULL)
			BAD(o->score_col, s, why);
	}
	row->id = m->id >= 0 ? FIELD(m->id) : NULL;
	for (i = 0; i < o->nby; i++) {
		const char *s = FIELD(m->by[i]);
		size_t l = strlen(s), need = klen + l + 1;
		*keybuf = churn_xgrow(*keybuf, keycap, need + 1, 1);
		if (i > 0)
			(*keybuf)[klen++] = '\x1f';
		memcpy(*keybuf + klen, s, l);
		klen += l;
	}
	*keybuf = churn_xgrow(*keybuf, keycap, klen + 1, 1);
	(*keybuf)[klen] = '\0';
	row->key = *keybuf;
	row->keylen = klen;
	for (i = 0; i < o->ncov; i++)
		row->covtext[i] = FIELD(m->cov[i]);
	return NULL;
bad:
	snprintf(reasonbuf, sizeof(reasonbuf), "%s: \"%s\" %s", col, val, why);
	return reasonbuf;
#undef FIELD
#undef BAD
}

void
churn_read(struct churn_input *ci, char **paths, size_t npaths,
    churn_row_fn fn, void *ctx)
{
	const struct churn_opts *o = ci->o;
	struct cx_csvin_opts copts = { .delim = o->delim };
	struct cx_csvin *in;
	struct cx_record rec;
	struct cx_rejects rj;
	struct cx_progress prog;
	struct colmap m;
	struct churn_row row;
	char *keybuf = NULL;
	size_t keycap = 0;
	int rc, have_rj = 0;

	if ((in = cx_csvin_new(&copts)) == NULL)
		cx_errx(CX_EXIT_SYSTEM, "out of memory");
	if ((rc = cx_csvin_open(in, paths, npaths)) < 0)
		cx_errx(cx_exit_status(rc), "%s", cx_csvin_error(in));
	map_columns(ci, in, &m);
	if (o->rejects) {
		if (cx_rejects_open(&rj, o->rejects, in) != 0)
			cx_err(CX_EXIT_SYSTEM, "%s", o->rejects);
		have_rj = 1;
	}
	memset(&row, 0, sizeof(row));
	row.covtext = cx_xcalloc(o->ncov + 1, sizeof(char *));
	cx_progress_init(&prog, o->quiet);
	while ((rc = cx_csvin_next(in, &rec)) == 1) {
		const char *why;
		ci->nread++;
		cx_progress_tick(&prog, ci->nread, cx_csvin_bytes(in));
		row.path = cx_csvin_path(in);
		row.line = rec.line;
		if ((why = parse_row(ci, &m, &rec, &row, &keybuf, &keycap)) != NULL) {
			if (!have_rj)
				cx_errx(CX_EXIT_DATA, "%s:%lu: %s", cx_csvin_path(in), rec.line, why);
			cx_rejects_write(&rj, &rec, why);
			ci->nrejected++;
			continue;
		}
		if (fn(ctx, &row) != 0) {
			/* the mode refused the row; it has printed why */
			exit(CX_EXIT_DATA);
		}
	}
	cx_progress_done(&prog);
	if (rc < 0)
		cx_errx(cx_exit_status(rc), "%s", cx_csvin_error(in));
	if (have_rj) {
		if (cx_rejects_commit(&rj) != 0)
			cx_err(CX_EXIT_SYSTEM, "%s", o->rejects);
		if (!o->quiet)
			cx_warnx("read %lu rows, used %lu, rejected %lu", ci->nread,
			    ci->nread - ci->nrejected, ci->nrejected);
	}
	if (ci->nread == ci->nrejected)
		cx_errx(CX_EXIT_DATA, "%s: no usable rows", cx_csvin_path(in));
	free(row.covtext);
	free(keybuf);
	free(m.by);
	free(m.cov);
	cx_csvin_free(in);
}

size_t
churn_key_split(const char *key, size_t len, char *buf, const char **vals, size_t nvals)
{
	size_t i, k = 0;

	memcpy(buf, key, len);
	buf[len] = '\0';
	if (nvals == 0)
		return 0;
	vals[k++] = buf;
	for (i = 0; i < len && k < nvals; i++)
		if (buf[i] == '\x1f') {
			buf[i] = '\0';
			vals[k++] = buf + i + 1;
		}
	return k;
}

void *
churn_xgrow(void *p, size_t *cap, size_t need, size_t size)
{
	size_t c = *cap ? *cap : 16;

	if (need <= *cap)
		return p;
	while (c < need)
		c *= 2;
	p = cx_xrealloc(p, c * size);
	*cap = c;
	return p;
}
