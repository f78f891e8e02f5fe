/*
 * cx-clv score: per customer P(alive), expected transactions and the
 * probability of at least one purchase in --horizon periods, expected mean
 * spend (Gamma-Gamma) and CLV = margin x spend x discounted expected
 * transactions.  Streams: one input row, one output row.
 */
#include <math.h>
#include <stdlib.h>

#include "clv.h"
#include "cxerr.h"

/* Expected transactions in (T, T+H], each period's increment discounted by
 * (1+d)^-k; without a discount this is condexp(H), which the caller already
 * has in eH (condexp is the costliest call per customer: not twice). */
static double
discounted(const struct clv_fitted *f, double x, double tx, double T, double H, double d,
    double eH)
{
	double prev = 0, sum = 0, k;

	if (d == 0)
		return eH;
	for (k = 1; k - 1 < H; k++) {
		double t = k < H ? k : H;
		double e = f->tx->condexp(f->txpar, x, tx, T, t);

		sum += (e - prev) / pow(1 + d, k);
		prev = e;
	}
	return sum;
}

int
clv_score(const struct clv_opts *o, char **paths, size_t npaths)
{
	static const char *const head[] = { "customer_id", "p_alive", "expected_transactions",
		"p_purchase", "expected_spend", "clv" };
	struct clv_fitted f;
	struct cx_csvin *in;
	struct cx_record rec;
	struct cx_outfile of;
	struct cx_csvout *w;
	int cid, cx, ctx, cT, cz = -1, rc;
	unsigned long rows = 0, nread = 0, rejected;
	struct clv_rowerr re;
	double H = o->horizon;

	clv_read_model(o->model_file, &f);
	if (f.tx->discrete && H != floor(H))
		cx_errx(CX_EXIT_USAGE, "--horizon: \"%g\" must be a whole number of opportunities for bgbb", H);
	{
		/* scoring a customer costs about as much as parsing its row, so
		 * parsing in a second thread pays here (lib/csvin.h) */
		struct clv_opts ro = *o;

		ro.read_thread = 1;
		in = clv_open_input(&ro, paths, npaths);
	}
	cid = clv_need_column(in, "customer_id", 1);
	cx = clv_need_column(in, "x", 1);
	ctx = clv_need_column(in, "t_x", 1);
	cT = clv_need_column(in, f.tx->discrete ? "n" : "T", 1);
	if (f.has_spend)
		cz = clv_need_column(in, "mean_spend", 1);
	w = clv_output_open(&of, o->out);
	cx_csvout_row(w, head, 6);
	clv_rowerr_open(&re, o->rejects, in);
	while ((rc = cx_csvin_next(in, &rec)) == 1) {
		double x, tx, T, z = NAN, pa, e, spend = NAN;

		nread++;
		if (rec.nfield != cx_csvin_ncols(in)) {
			clv_rowerr(&re, &rec, "%zu fields, expected %zu", rec.nfield, cx_csvin_ncols(in));
			continue;
		}
		if (clv_row_double(&re, &rec, cx, &x, 0) < 0 ||
		    clv_row_double(&re, &rec, ctx, &tx, 0) < 0 ||
		    clv_row_double(&re, &rec, cT, &T, 0) < 0)
			continue;
		if (x < 0 || x != floor(x)) {
			clv_rowerr(&re, &rec, "x: \"%s\" is not a count", rec.field[cx]);
			continue;
		}
		if (T < 0 || tx < 0 || tx > T || (x == 0 && tx != 0)) {
			clv_rowerr(&re, &rec, "t_x: \"%s\" is not a recency for x = %s, T = %s",
			    rec.field[ctx], rec.field[cx], rec.field[cT]);
			continue;
		}
		if (f.has_spend && x > 0) {
			int k = clv_row_double(&re, &rec, cz, &z, 1);

			if (k < 0)
				continue;
			if (k == 0)
				z = NAN;
		}
		pa = f.tx->palive(f.txpar, x, tx, T);
		e = f.tx->condexp(f.txpar, x, tx, T, H);
		cx_csvout_field(w, rec.field[cid], rec.len[cid]);
		cx_csvout_double(w, pa);
		cx_csvout_double(w, e);
		if (f.tx->ppurchase)
			cx_csvout_double(w, f.tx->ppurchase(f.txpar, x, tx, T, H));
		else
			cx_csvout_empty(w);
		if (f.has_spend) {
			spend = clv_gg_expected(f.gg, x, z > 0 ? z : NAN);
			cx_csvout_double(w, spend);
			cx_csvout_double(w, o->margin * spend *
			    discounted(&f, x, tx, T, H, o->discount, e));
		} else {
			cx_csvout_empty(w);
			cx_csvout_empty(w);
		}
		cx_csvout_endrow(w);
		rows++;
	}
	if (rc < 0)
		clv_input_fail(in, rc);
	rejected = clv_rowerr_close(&re);
	cx_csvin_free(in);
	clv_output_close(&of, w, o->out);
	if (!o->quiet)
		cx_warnx("read %lu rows, rejected %lu, scored %lu customers with %s", nread,
		    rejected, rows, f.tx->name);
	return CX_EXIT_OK;
}
