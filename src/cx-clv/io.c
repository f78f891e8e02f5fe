/* cx-clv io: input columns, strict fields, outputs, fitted-model files, patterns. */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "clv.h"
#include "cxerr.h"
#include "hashmap.h"
#include "parse.h"

static void
warn_cb(void *ctx, const char *msg)
{
	(void)ctx;
	cx_warnx("%s", msg);
}

struct cx_csvin *
clv_open_input(const struct clv_opts *o, char **paths, size_t npaths)
{
	struct cx_csvin_opts co = { 0 };
	struct cx_csvin *in;
	int rc;

	co.delim = o->delim;
	co.renames = o->rename;
	co.nrenames = o->nrename;
	co.warn = warn_cb;
	co.thread = o->read_thread;
	if ((in = cx_csvin_new(&co)) == NULL)
		cx_errx(CX_EXIT_SYSTEM, "out of memory");
	if ((rc = cx_csvin_open(in, paths, npaths)) != 0)
		clv_input_fail(in, rc);
	return in;
}

void
clv_input_fail(struct cx_csvin *in, int rc)
{
	cx_errx(cx_exit_status(rc), "%s", cx_csvin_error(in));
}

int
clv_need_column(struct cx_csvin *in, const char *name, int required)
{
	int c = cx_csvin_column(in, name);

	if (c < 0 && required)
		cx_errx(CX_EXIT_DATA, "%s: no column \"%s\" (use --col %s=NAME)",
		    cx_csvin_path(in), name, name);
	return c;
}

/* 1 = value, 0 = empty (when allowed); a bad field stops with exit 1. */
int
clv_field_double(struct cx_csvin *in, const struct cx_record *rec, int col,
    double *v, int allow_empty)
{
	const char *s = rec->field[col], *why;

	if (s[0] == '\0') {
		if (allow_empty)
			return 0;
		cx_errx(CX_EXIT_DATA, "%s:%lu: %s: empty field", cx_csvin_path(in),
		    rec->line, cx_csvin_colname(in, col));
	}
	if ((why = cx_parse_double(s, v)) != NULL)
		cx_errx(CX_EXIT_DATA, "%s:%lu: %s: \"%s\" %s", cx_csvin_path(in),
		    rec->line, cx_csvin_colname(in, col), s, why);
	return 1;
}

struct cx_csvout *
clv_output_open(struct cx_outfile *of, const char *path)
{
	struct cx_csvout *w;

	if (cx_outfile_open(of, path) != 0)
		cx_err(CX_EXIT_SYSTEM, "%s", path ? path : "stdout");
	if ((w = cx_csvout_new(of->fp, ',')) == NULL)
		cx_errx(CX_EXIT_SYSTEM, "out of memory");
	return w;
}

void
clv_output_close(struct cx_outfile *of, struct cx_csvout *w, const char *path)
{
	int rc = cx_csvout_flush(w);
	int saved = errno;

	cx_csvout_free(w);
	if (rc != 0) {
		cx_outfile_abort(of);
		errno = saved;
		cx_err(CX_EXIT_SYSTEM, "%s", path ? path : "stdout");
	}
	if (cx_outfile_commit(of) != 0)
		cx_err(CX_EXIT_SYSTEM, "%s", path ? path : "stdout");
}

/* A fitted model: rows term,estimate,...,model.  The first model that is not
 * gamma-gamma is the transaction model. */
void
clv_read_model(const char *path, struct clv_fitted *f)
{
	struct clv_opts o = { 0 };
	struct cx_csvin *in;
	struct cx_record rec;
	char *paths[1];
	int cterm, cest, cmodel, rc;
	unsigned seen_tx = 0, seen_gg = 0;
	size_t i;

	memset(f, 0, sizeof *f);
	paths[0] = (char *)path;
	in = clv_open_input(&o, paths, 1);
	cterm = clv_need_column(in, "term", 1);
	cest = clv_need_column(in, "estimate", 1);
	cmodel = clv_need_column(in, "model", 1);
	while ((rc = cx_csvin_next(in, &rec)) == 1) {
		const struct clv_model *m = clv_model_find(rec.field[cmodel]);
		double v;

		if (m == NULL)
			cx_errx(CX_EXIT_DATA, "%s:%lu: model: \"%s\" is not a model of cx-clv",
			    path, rec.line, rec.field[cmodel]);
		if (m->spend) {
			f->has_spend = 1;
		} else if (f->tx == NULL) {
			f->tx = m;
		} else if (f->tx != m) {
			cx_errx(CX_EXIT_DATA, "%s:%lu: model: \"%s\" after \"%s\": one transaction model per file",
			    path, rec.line, m->name, f->tx->name);
		}
		for (i = 0; i < m->npar; i++)
			if (strcmp(rec.field[cterm], m->term[i]) == 0)
				break;
		if (i == m->npar)
			cx_errx(CX_EXIT_DATA, "%s:%lu: term: \"%s\" is not a parameter of %s",
			    path, rec.line, rec.field[cterm], m->name);
		clv_field_double(in, &rec, cest, &v, 0);
		if (!(v > 0))
			cx_errx(CX_EXIT_DATA, "%s:%lu: estimate: \"%s\" is not positive",
			    path, rec.line, rec.field[cest]);
		if (m->spend) {
			f->gg[i] = v;
			seen_gg |= 1u << i;
		} else {
			f->txpar[i] = v;
			seen_tx |= 1u << i;
		}
	}
	if (rc < 0)
		clv_input_fail(in, rc);
	cx_csvin_free(in);
	if (f->tx == NULL)
		cx_errx(CX_EXIT_DATA, "%s: no transaction model (bgnbd, mbgnbd, pnbd or bgbb)", path);
	if (seen_tx != (1u << f->tx->npar) - 1)
		cx_errx(CX_EXIT_DATA, "%s: %s: a parameter is missing", path, f->tx->name);
	if (f->has_spend && seen_gg != 7u)
		cx_errx(CX_EXIT_DATA, "%s: gamma-gamma: a parameter is missing", path);
}

/* "r=0.243,alpha=4.414,..." for every term of m.  0 or -1 (message printed by caller). */
int
clv_parse_params(const char *text, const struct clv_model *m, double *par)
{
	char buf[512], *tok, *save = NULL;
	unsigned seen = 0;
	size_t i;

	if (strlen(text) >= sizeof buf)
		return -1;
	strcpy(buf, text);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		double v;

		if (eq == NULL)
			return -1;
		*eq = '\0';
		for (i = 0; i < m->npar; i++)
			if (strcmp(tok, m->term[i]) == 0)
				break;
		if (i == m->npar || cx_parse_double(eq + 1, &v) != NULL || !(v > 0))
			return -1;
		par[i] = v;
		seen |= 1u << i;
	}
	return seen == (1u << m->npar) - 1 ? 0 : -1;
}

/* Patterns are appended unmerged here; clv_data_finish() merges duplicates. */
void
clv_data_add(struct clv_data *d, double x, double tx, double T, double z, double w)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 1024;
		d->x = cx_xrealloc(d->x, d->cap * sizeof *d->x);
		d->tx = cx_xrealloc(d->tx, d->cap * sizeof *d->tx);
		d->T = cx_xrealloc(d->T, d->cap * sizeof *d->T);
		d->w = cx_xrealloc(d->w, d->cap * sizeof *d->w);
		d->z = cx_xrealloc(d->z, d->cap * sizeof *d->z);
	}
	d->x[d->n] = x;
	d->tx[d->n] = tx;
	d->T[d->n] = T;
	d->z[d->n] = z;
	d->w[d->n] = w;
	d->n++;
}

/* Merge identical (x, t_x, T, z) patterns (first occurrence order, so the
 * result is deterministic) and tabulate x.  The pattern table is sized once
 * from n (no rehashing) and holds each pattern's index with 32 bits of its
 * hash, so that a probe reads the pattern arrays only when the hashes agree:
 * at a million mostly distinct customers this is a fraction of the reading. */
static void
pattern_key(const struct clv_data *d, size_t i, double *key)
{
	key[0] = d->x[i];
	key[1] = d->tx[i];
	key[2] = d->T[i];
	key[3] = d->z[i];
	if (key[3] != key[3])
		key[3] = 0;	/* NaN bytes differ; spend unused then */
}

/* Same bytes (as the key always compared: -0 is not 0 here). */
static int
pattern_same(const struct clv_data *d, size_t i, const double *key)
{
	double k2[4];

	pattern_key(d, i, k2);
	return memcmp(key, k2, sizeof k2) == 0;
}

#define PBLOCK	16
void
clv_data_finish(struct clv_data *d)
{
	struct slot { uint32_t h, idx; } *tab;	/* idx + 1; 0 = empty */
	double key[PBLOCK][4];
	uint64_t hv[PBLOCK];
	size_t i, b, k = 0, cap = 64, mask;
	double maxx = 0;

	if (d->n >= UINT32_MAX)
		cx_errx(CX_EXIT_SYSTEM, "out of memory: more than 2^32 patterns");
	while (cap < 2 * d->n)
		cap *= 2;
	mask = cap - 1;
	tab = cx_xcalloc(cap, sizeof *tab);
	for (b = 0; b < d->n; b += PBLOCK) {
		/* hash a block and prefetch its slots (the table is far larger
		 * than the caches), then insert the block in order */
		size_t e = d->n - b < PBLOCK ? d->n - b : PBLOCK;

		for (i = 0; i < e; i++) {
			pattern_key(d, b + i, key[i]);
			hv[i] = cx_hash_bytes(key[i], sizeof key[i]);
			__builtin_prefetch(&tab[(size_t)hv[i] & mask]);
		}
		for (i = 0; i < e; i++) {
			uint32_t h = (uint32_t)(hv[i] >> 32);
			size_t j = (size_t)hv[i] & mask, src = b + i;

			for (;; j = (j + 1) & mask) {
				if (tab[j].idx == 0) {
					tab[j].h = h;
					tab[j].idx = (uint32_t)k + 1;
					d->x[k] = d->x[src];
					d->tx[k] = d->tx[src];
					d->T[k] = d->T[src];
					d->z[k] = d->z[src];
					d->w[k] = d->w[src];
					k++;
					break;
				}
				if (tab[j].h == h && pattern_same(d, tab[j].idx - 1, key[i])) {
					d->w[tab[j].idx - 1] += d->w[src];
					break;
				}
			}
		}
	}
	free(tab);
	d->n = k;
	d->nobs = 0;
	d->nx = 0;
	d->xi = cx_xrealloc(d->xi, (d->n ? d->n : 1) * sizeof *d->xi);
	for (i = 0; i < d->n; i++)
		maxx = signbit(d->x[i]) ? HUGE_VAL : fmax(maxx, d->x[i]);	/* -0: as bytes, below */
	if (maxx <= 65536) {
		/* x are whole numbers (the reader checks): a direct index */
		size_t *at = cx_xcalloc((size_t)maxx + 1, sizeof *at);	/* slot + 1 */

		for (i = 0; i < d->n; i++) {
			size_t xv = (size_t)d->x[i];

			if (at[xv] == 0) {
				at[xv] = ++d->nx;
				d->xv = cx_xrealloc(d->xv, d->nx * sizeof *d->xv);
				d->xw = cx_xrealloc(d->xw, d->nx * sizeof *d->xw);
				d->xv[d->nx - 1] = d->x[i];
				d->xw[d->nx - 1] = 0;
			}
			d->xw[at[xv] - 1] += d->w[i];
			d->xi[i] = at[xv] - 1;
			d->nobs += d->w[i];
		}
		free(at);
	} else {
		struct cx_hashmap *h = cx_hashmap_new(sizeof(size_t));

		if (h == NULL)
			cx_errx(CX_EXIT_SYSTEM, "out of memory");
		for (i = 0; i < d->n; i++) {
			int isnew;
			size_t *slot = cx_hashmap_put(h, (const char *)&d->x[i], sizeof(double), &isnew);

			if (slot == NULL)
				cx_errx(CX_EXIT_SYSTEM, "out of memory");
			if (isnew) {
				*slot = d->nx++;
				d->xv = cx_xrealloc(d->xv, d->nx * sizeof *d->xv);
				d->xw = cx_xrealloc(d->xw, d->nx * sizeof *d->xw);
				d->xv[*slot] = d->x[i];
				d->xw[*slot] = 0;
			}
			d->xw[*slot] += d->w[i];
			d->xi[i] = *slot;
			d->nobs += d->w[i];
		}
		cx_hashmap_free(h);
	}
	d->scratch = cx_xcalloc(d->nx * 8 + 1, sizeof *d->scratch);
	d->lz = cx_xcalloc(d->n + 1, sizeof *d->lz);
	for (i = 0; i < d->n; i++)
		d->lz[i] = d->z[i] > 0 ? log(d->z[i]) : NAN;
}

void
clv_data_free(struct clv_data *d)
{
	free(d->x);
	free(d->tx);
	free(d->T);
	free(d->w);
	free(d->z);
	free(d->xv);
	free(d->xw);
	free(d->xi);
	free(d->scratch);
	free(d->lz);
	memset(d, 0, sizeof *d);
}

void
clv_par2(void *(*fn)(void *), void *a0, void *a1)
{
	pthread_t t;

	if (pthread_create(&t, NULL, fn, a1) != 0) {
		fn(a0);
		fn(a1);
		return;
	}
	fn(a0);
	pthread_join(t, NULL);
}

double
clv_log1pexp(double v)
{
	return v > 0 ? v + log1p(exp(-v)) : log1p(exp(v));
}

double
clv_expm1_ratio(double k, double L)
{
	return k == 0 ? -L : -expm1(k * L) / k;
}

void
clv_rowerr_open(struct clv_rowerr *e, const char *path, struct cx_csvin *in)
{
	memset(e, 0, sizeof *e);
	e->in = in;
	e->path = path;
	if (path == NULL)
		return;
	if (cx_rejects_open(&e->rj, path, in) != 0)
		cx_err(CX_EXIT_SYSTEM, "%s", path);
	e->on = 1;
}

int
clv_rowerr(struct clv_rowerr *e, const struct cx_record *rec, const char *fmt, ...)
{
	char reason[512];
	va_list ap;

	if (e->speculative)
		return 1;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	if (!e->on)
		cx_errx(CX_EXIT_DATA, "%s:%lu: %s", cx_csvin_path(e->in), rec->line, reason);
	cx_rejects_write(&e->rj, rec, reason);
	return 1;
}

int
clv_row_double(struct clv_rowerr *e, const struct cx_record *rec, int col, double *v,
    int allow_empty)
{
	const char *s = rec->field[col], *why;

	if (s[0] == '\0') {
		if (allow_empty)
			return 0;
		clv_rowerr(e, rec, "%s: empty field", cx_csvin_colname(e->in, col));
		return -1;
	}
	if ((why = cx_parse_double(s, v)) != NULL) {
		clv_rowerr(e, rec, "%s: \"%s\" %s", cx_csvin_colname(e->in, col), s, why);
		return -1;
	}
	return 1;
}

unsigned long
clv_rowerr_close(struct clv_rowerr *e)
{
	if (!e->on)
		return 0;
	if (cx_rejects_commit(&e->rj) != 0)
		cx_err(CX_EXIT_SYSTEM, "%s", e->path);
	e->on = 0;
	return e->rj.count;
}
