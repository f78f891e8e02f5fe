/*
 * score: per-customer risk from a model saved by `cox --model`: the linear
 * predictor relative to the model's baseline customer (numeric covariates at
 * their means, factors at the reference level), the relative risk, and
 * survival exp(-H0(h) r) at each --horizon, H0 the saved baseline cumulative
 * hazard (a step function: the value at the last time <= h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csvin.h"
#include "cxerr.h"
#include "parse.h"
#include "churn.h"

struct term {
	char	*col;		/* input column */
	char	*level;		/* NULL for a numeric term */
	double	 beta, mean;
	int	 idx;
};

struct model {
	struct term	*t;
	size_t		 nt, tcap;
	double		*bt, *bh;	/* baseline times and cumulative hazard */
	size_t		 nb, bcap;
};

static struct term *
find_term(struct model *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->nt; i++) {
		char buf[4096];
		if (m->t[i].level)
			snprintf(buf, sizeof(buf), "%s=%s", m->t[i].col, m->t[i].level);
		else
			snprintf(buf, sizeof(buf), "%s", m->t[i].col);
		if (strcmp(buf, name) == 0)
			return &m->t[i];
	}
	return NULL;
}

static void
model_read(struct model *m, const char *path)
{
	struct cx_csvin_opts co = { 0 };
	struct cx_csvin *in = cx_csvin_new(&co);
	struct cx_record r;
	char *paths[1] = { (char *)path };
	int rc, ck, cn, ct, cv, iscox = 0;

	if (in == NULL)
		cx_errx(CX_EXIT_SYSTEM, "out of memory");
	if ((rc = cx_csvin_open(in, paths, 1)) < 0)
		cx_errx(cx_exit_status(rc), "%s", cx_csvin_error(in));
	ck = cx_csvin_column(in, "kind");
	cn = cx_csvin_column(in, "name");
	ct = cx_csvin_column(in, "time");
	cv = cx_csvin_column(in, "value");
	if (ck < 0 || cn < 0 || ct < 0 || cv < 0)
		cx_errx(CX_EXIT_DATA, "%s: not a cx-churn model (needs kind,name,time,value)", path);
	while ((rc = cx_csvin_next(in, &r)) == 1) {
		const char *k = r.field[ck], *nm = r.field[cn], *why;
		double v = 0, t = 0;
		if (strcmp(k, "meta") == 0) {
			if (strcmp(nm, "model") == 0 && strcmp(r.field[cv], "cox") == 0)
				iscox = 1;
			continue;
		}
		if ((why = cx_parse_double(r.field[cv], &v)) != NULL)
			cx_errx(CX_EXIT_DATA, "%s:%lu: value: \"%s\" %s", path, r.line, r.field[cv], why);
		if (strcmp(k, "coef") == 0) {
			struct term *tt;
			const char *eq = strchr(nm, '=');
			m->t = churn_xgrow(m->t, &m->tcap, m->nt + 1, sizeof(struct term));
			tt = &m->t[m->nt++];
			memset(tt, 0, sizeof(*tt));
			tt->col = eq ? strndup(nm, (size_t)(eq - nm)) : cx_xstrdup(nm);
			tt->level = eq ? cx_xstrdup(eq + 1) : NULL;
			if (tt->col == NULL)
				cx_errx(CX_EXIT_SYSTEM, "out of memory");
			tt->beta = v;
		} else if (strcmp(k, "mean") == 0) {
			struct term *tt = find_term(m, nm);
			if (tt == NULL)
				cx_errx(CX_EXIT_DATA, "%s:%lu: mean of unknown term \"%s\"", path, r.line, nm);
			tt->mean = v;
		} else if (strcmp(k, "basehaz") == 0) {
			if ((why = cx_parse_double(r.field[ct], &t)) != NULL)
				cx_errx(CX_EXIT_DATA, "%s:%lu: time: \"%s\" %s", path, r.line, r.field[ct], why);
			m->bt = churn_xgrow(m->bt, &m->bcap, m->nb + 1, sizeof(double));
			m->bh = cx_xrealloc(m->bh, m->bcap * sizeof(double));
			m->bt[m->nb] = t;
			m->bh[m->nb++] = v;
		} else {
			cx_errx(CX_EXIT_DATA, "%s:%lu: unknown kind \"%s\"", path, r.line, k);
		}
	}
	if (rc < 0)
		cx_errx(cx_exit_status(rc), "%s", cx_csvin_error(in));
	if (!iscox || m->nt == 0)
		cx_errx(CX_EXIT_DATA, "%s: not a cx-churn cox model", path);
	cx_csvin_free(in);
}

static double
cumhaz_at(const struct model *m, double h)
{
	size_t lo = 0, hi = m->nb;

	while (lo < hi) {	/* first index with time > h */
		size_t mid = (lo + hi) / 2;
		if (m->bt[mid] <= h)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo == 0 ? 0 : m->bh[lo - 1];
}

int
mode_score(const struct churn_opts *o, char **paths, size_t npaths)
{
	struct model m = { 0 };
	struct cx_csvin_opts co = { .delim = o->delim };
	struct cx_csvin *in;
	struct cx_record r;
	struct cx_csvout *out;
	double *H;
	size_t i;
	int rc, idc = -1;
	char name[64];

	model_read(&m, o->model_file);
	H = cx_xmalloc(o->nhorizon * sizeof(double));
	for (i = 0; i < o->nhorizon; i++)
		H[i] = cumhaz_at(&m, o->horizon[i]);
	if ((in = cx_csvin_new(&co)) == NULL)
		cx_errx(CX_EXIT_SYSTEM, "out of memory");
	if ((rc = cx_csvin_open(in, paths, npaths)) < 0)
		cx_errx(cx_exit_status(rc), "%s", cx_csvin_error(in));
	for (i = 0; i < m.nt; i++)
		if ((m.t[i].idx = cx_csvin_column(in, m.t[i].col)) < 0)
			cx_errx(CX_EXIT_DATA, "%s: no column \"%s\" (the model needs it)",
			    cx_csvin_path(in), m.t[i].col);
	if (o->id_col && (idc = cx_csvin_column(in, o->id_col)) < 0)
		cx_errx(CX_EXIT_DATA, "%s: no column \"%s\"", cx_csvin_path(in), o->id_col);
	out = churn_out();
	if (o->id_col)
		cx_csvout_str(out, o->id_col);
	cx_csvout_str(out, "linear_predictor");
	cx_csvout_str(out, "relative_risk");
	for (i = 0; i < o->nhorizon; i++) {
		char hb[32];
		cx_format_double(o->horizon[i], hb);
		snprintf(name, sizeof(name), "survival_%s", hb);
		cx_csvout_str(out, name);
	}
	cx_csvout_endrow(out);
	while ((rc = cx_csvin_next(in, &r)) == 1) {
		double lp = 0, rr;
		int miss = 0;
		for (i = 0; i < m.nt; i++) {
			const char *s = (size_t)m.t[i].idx < r.nfield ? r.field[m.t[i].idx] : "";
			double v;
			const char *why;
			if (*s == '\0') {
				miss = 1;
				break;
			}
			if (m.t[i].level) {
				v = strcmp(s, m.t[i].level) == 0;
			} else if ((why = cx_parse_double(s, &v)) != NULL) {
				cx_errx(CX_EXIT_DATA, "%s:%lu: %s: \"%s\" %s", cx_csvin_path(in), r.line,
				    m.t[i].col, s, why);
			}
			lp += (v - m.t[i].mean) * m.t[i].beta;
		}
		if (idc >= 0)
			cx_csvout_str(out, (size_t)idc < r.nfield ? r.field[idc] : "");
		if (miss) {
			/* a missing covariate gives an empty score, never a guess */
			for (i = 0; i < 2 + o->nhorizon; i++)
				cx_csvout_empty(out);
			cx_csvout_endrow(out);
			continue;
		}
		rr = exp(lp);
		cx_csvout_double(out, lp);
		cx_csvout_double(out, rr);
		for (i = 0; i < o->nhorizon; i++)
			cx_csvout_double(out, exp(-H[i] * rr));
		cx_csvout_endrow(out);
	}
	if (rc < 0)
		cx_errx(cx_exit_status(rc), "%s", cx_csvin_error(in));
	cx_csvin_free(in);
	for (i = 0; i < m.nt; i++) {
		free(m.t[i].col);
		free(m.t[i].level);
	}
	free(m.t); free(m.bt); free(m.bh); free(H);
	return CX_EXIT_OK;
}
