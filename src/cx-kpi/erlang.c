/*
 * cx-kpi erlang: Erlang B, C and A staffing.
 * Erlang B comes from its recursion B(n) = A B(n-1) / (n + A B(n-1)), never
 * from factorials or powers, so it stays exact past 170 agents (tested to
 * 10,000 against GNU Octave's queueing package).  Erlang C follows from B:
 * C = n B / (n - A (1 - B)).  Erlang A (M/M/n+M, Palm 1943; Garnett, Mandelbaum
 * and Reiman 2002) is the birth-death chain with abandonment rate theta per
 * waiting call; its service level uses the closed form below (see erlang_a()).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_gamma.h>

#include "cxerr.h"
#include "parse.h"
#include "kpi.h"

#define MAX_AGENTS	10000000L

double
erlang_b(double a, long n)
{
	double b = 1;

	for (long k = 1; k <= n; k++)
		b = a * b / ((double)k + a * b);
	return b;
}

/* Erlang C metrics for n agents given B(n); traffic a < n. */
static void
erlang_c_from_b(double a, double n, double b, double aht, double t, struct erl_result *r)
{
	double c = n * b / (n - a * (1 - b));

	r->p_wait = c;
	r->service_level = 1 - c * exp(-(n - a) * t / aht);
	r->asa = c * aht / (n - a);
	r->occupancy = a / n;
	r->p_abandon = NAN;
	r->unstable = 0;
}

/*
 * Erlang A for n agents: lambda arrivals/s, mu = 1/aht, theta = 1/patience.
 * Relative to pi_n, the states n+j have q_j = prod_{k=1..j} lambda/(n mu + k theta);
 * pi_n = 1 / (1/B + S - 1) with S = sum q_j.  A call arriving to j waiting calls
 * is served within t with probability
 *   n mu / (n mu + (j+1) theta) * I_{1-exp(-theta t)}(j+1, n mu/theta + 1)
 * (the hypoexponential wait with rates n mu + k theta, tilted by its own
 * abandonment clock, is -log of a Beta variable: I is the regularised incomplete
 * beta function).  service_level = fraction of all calls answered within t;
 * asa = mean wait of all calls (answered or not) = E[queue] / lambda (Little).
 */
static void
erlang_a(double lambda, double aht, double patience, long n, double b, double t,
    struct erl_result *r)
{
	double mu = 1 / aht, theta = 1 / patience, nm = (double)n * mu;
	double q = 1, s = 1, e = 0, sl = 0, pin;
	double mode = (lambda - nm) / theta;
	/* I_x(a, bb) for a = 1, 2, ... by I_x(a+1, bb) = I_x(a, bb) - tt_a with
	 * tt_a = Gamma(a+bb) / (Gamma(a+1) Gamma(bb)) x^a (1-x)^bb (Abramowitz and
	 * Stegun 26.5.16); 1 - x = exp(-theta t), (1-x)^bb = exp(-(n mu + theta) t). */
	double bb = nm / theta + 1, x = -expm1(-theta * t);
	double ia = -expm1(-(nm + theta) * t), tt = bb * x * exp(-(nm + theta) * t);

	if (n > 0)
		sl = nm / (nm + theta) * ia;
	for (long j = 1; ; j++) {
		q *= lambda / (nm + (double)j * theta);
		s += q;
		e += (double)j * q;
		if (n > 0) {
			/* I_x(j+1, bb) from I_x(j, bb) */
			ia -= tt;
			tt *= ((double)j + bb) / ((double)j + 1) * x;
			if (ia < 0)
				ia = 0;
			sl += q * nm / (nm + (double)(j + 1) * theta) * ia;
		}
		if ((double)j > mode && q < 1e-17 * s)
			break;
	}
	pin = b > 0 ? 1 / (1 / b + s - 1) : 0;
	r->p_wait = pin * s;
	r->asa = pin * e / lambda;
	r->p_abandon = theta * pin * e / lambda;
	r->service_level = (1 - r->p_wait) + pin * sl;
	r->occupancy = n > 0 ? lambda * aht * (1 - r->p_abandon) / (double)n : NAN;
	r->unstable = 0;
}

/* Continuous Erlang B for real x agents: 1/B = e^A A^-x Gamma(x+1, A). */
static double
erlang_b_real(double a, double x)
{
	gsl_sf_result q;

	if (gsl_sf_gamma_inc_Q_e(x + 1, a, &q) != GSL_SUCCESS || q.val <= 0)
		return 0;
	return exp(x * log(a) - a - gsl_sf_lngamma(x + 1)) / q.val;
}

static int
meets(const struct kpi_opts *o, const struct erl_result *r)
{
	if (o->model == MODEL_B)
		return r->p_wait <= o->max_blocking &&
		    (o->max_occupancy < 0 || r->occupancy <= o->max_occupancy);
	if (r->unstable)
		return 0;
	if (r->service_level < o->target_sl)
		return 0;
	if (o->max_asa >= 0 && r->asa > o->max_asa)
		return 0;
	if (o->max_occupancy >= 0 && r->occupancy > o->max_occupancy)
		return 0;
	if (o->model == MODEL_A && o->max_abandon >= 0 && r->p_abandon > o->max_abandon)
		return 0;
	return 1;
}

/* Metrics of x agents, x real, by the continuous Erlang B (B and C). */
static void
evaluate_real(const struct kpi_opts *o, double a, double aht, double x, struct erl_result *r)
{
	double b = erlang_b_real(a, x);

	if (o->model == MODEL_B) {
		r->p_wait = b;
		r->occupancy = a * (1 - b) / x;
	} else
		erlang_c_from_b(a, x, b, aht, o->sl[0], r);
	r->agents = x;
}

/* --fractional: bisect the continuous model between n - 1 (for Erlang C at
 * least the traffic a) and n, the fewest whole agents that meet the targets. */
static void
fractional(const struct kpi_opts *o, double a, double aht, long n, struct erl_result *r)
{
	double lo = (double)n - 1, hi = (double)n;
	struct erl_result rr;

	if (o->model == MODEL_C)
		lo = fmax(a, lo);
	for (int it = 0; it < 200 && hi - lo > 1e-12 * hi; it++) {
		double mid = (lo + hi) / 2;

		rr = *r;
		evaluate_real(o, a, aht, mid, &rr);
		if (meets(o, &rr))
			hi = mid;
		else
			lo = mid;
	}
	if (hi < (double)n)
		evaluate_real(o, a, aht, hi, r);
}

/* Metrics of n agents, given b = B(n) at traffic a. */
static void
evaluate(const struct kpi_opts *o, double a, double lambda, double aht, double patience,
    long n, double b, struct erl_result *r)
{
	double t = o->sl[0];

	r->agents = (double)n;
	r->unstable = 0;
	switch (o->model) {
	case MODEL_B:
		r->p_wait = b;
		r->service_level = r->asa = r->p_abandon = NAN;
		r->occupancy = n > 0 ? a * (1 - b) / (double)n : NAN;
		break;
	case MODEL_C:
		if (a >= (double)n) {
			/* unstable: the queue grows without bound */
			r->unstable = 1;
			r->p_wait = 1;
			r->service_level = 0;
			r->asa = NAN;
			r->occupancy = 1;
			r->p_abandon = NAN;
		} else
			erlang_c_from_b(a, (double)n, b, aht, t, r);
		break;
	default:
		erlang_a(lambda, aht, patience, n, b, t, r);
		break;
	}
}

void
erlang_staff(const struct kpi_opts *o, double calls, double aht, double interval_s,
    double patience, struct erl_result *r)
{
	double lambda = calls / interval_s, a = lambda * aht, b = 1;
	long n = 0;

	gsl_set_error_handler_off();
	memset(r, 0, sizeof *r);
	r->traffic = a;
	if (calls == 0) {
		r->agents = r->heads = 0;
		r->p_wait = 0;
		r->service_level = o->model == MODEL_B ? NAN : 1;
		r->asa = o->model == MODEL_B ? NAN : 0;
		r->occupancy = NAN;
		r->p_abandon = o->model == MODEL_A ? 0 : NAN;
		return;
	}
	if (o->agents >= 0) {
		evaluate(o, a, lambda, aht, patience, (long)o->agents,
		    erlang_b(a, (long)o->agents), r);
	} else {
		/* Erlang C needs n > a; B and A start from 0 agents. */
		if (o->model == MODEL_C) {
			n = (long)floor(a) + 1;
			b = erlang_b(a, n);
		} else if (o->model == MODEL_A) {
			/* Answered within T <= answered = throughput / lambda <= n / a:
			 * fewer than a * target agents cannot meet the target. */
			n = (long)floor(a * o->target_sl);
			b = erlang_b(a, n);
		}
		for (;;) {
			evaluate(o, a, lambda, aht, patience, n, b, r);
			if (meets(o, r))
				break;
			if (n >= MAX_AGENTS) {
				r->unmet = 1;
				break;
			}
			n++;
			b = a * b / ((double)n + a * b);
		}
		if (o->fractional && !r->unmet && n > 0)
			fractional(o, a, aht, n, r);
	}
	r->traffic = a;
	if (o->fractional)
		r->heads = r->agents / (1 - o->shrinkage);
	else
		/* 14 / 0.7 is 20.000000000000004 in binary: forgive the last bits */
		r->heads = ceil(r->agents / (1 - o->shrinkage) * (1 - 1e-12));
}

static const char *
status(const struct erl_result *r)
{
	return r->no_aht ? "no-aht" : r->unmet ? "unmet" : r->unstable ? "unstable" : "ok";
}

static void
write_result(struct cx_csvout *w, const struct kpi_opts *o, double calls, double aht,
    const struct erl_result *r)
{
	cx_csvout_double(w, calls);
	cx_csvout_double(w, aht);
	cx_csvout_double(w, r->traffic);
	cx_csvout_double(w, r->agents);
	cx_csvout_double(w, r->heads);
	cx_csvout_double(w, r->p_wait);
	cx_csvout_double(w, r->service_level);
	cx_csvout_double(w, r->asa);
	cx_csvout_double(w, r->occupancy);
	if (o->model == MODEL_A)
		cx_csvout_double(w, r->p_abandon);
	cx_csvout_str(w, status(r));
	cx_csvout_endrow(w);
}

int
kpi_erlang(const struct kpi_opts *o, char **files, size_t nfiles, const char *out)
{
	struct kpi_out ko;
	struct erl_result r;
	unsigned long nunstable = 0, nunmet = 0, nnoaht = 0;

	kpi_out_open(&ko, out);
	{
		static const char *const cols[] = { "interval", "calls", "aht", "traffic",
		    "agents", "heads", "p_wait", "service_level", "asa", "occupancy" };
		for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
			cx_csvout_str(ko.csv, cols[i]);
		if (o->model == MODEL_A)
			cx_csvout_str(ko.csv, "p_abandon");
		cx_csvout_str(ko.csv, "status");
		cx_csvout_endrow(ko.csv);
	}
	if (o->calls >= 0) {
		erlang_staff(o, o->calls, o->aht, o->interval, o->patience, &r);
		cx_csvout_str(ko.csv, "1");
		write_result(ko.csv, o, o->calls, o->aht, &r);
		nunstable += r.unstable;
		nunmet += r.unmet;
	} else {
		struct kpi_in ki;
		struct cx_record rec;
		int ccol, acol, ncol, pcol = -1, *idc;
		size_t nid = o->nid;
		const char *why;
		static const char *const idnames[] = { "period", "interval", "interval_start" };

		kpi_in_open(&ki, o, files, nfiles);
		if (o->calls_col)
			ccol = kpi_in_column(&ki, o->calls_col, 1, "named by --calls-col");
		else if ((ccol = cx_csvin_column(ki.in, "calls")) < 0)
			ccol = kpi_in_column(&ki, "offered", 1,
			    "an interval stream needs calls or offered; or name it with --calls-col");
		acol = o->aht >= 0 ? -1 : kpi_in_column(&ki, "aht", 1,
		    "give --aht or an aht column");
		/* an agents column is evaluated instead of searched */
		ncol = o->agents >= 0 ? -1 : cx_csvin_column(ki.in, "agents");
		if (o->model == MODEL_A && o->patience < 0)
			pcol = kpi_in_column(&ki, "patience", 1,
			    "--model a needs --patience or a patience column");
		idc = cx_xcalloc(nid ? nid : 1, sizeof *idc);
		if (nid) {
			for (size_t i = 0; i < nid; i++)
				idc[i] = kpi_in_column(&ki, o->id[i], 1, "named by --id");
		} else {
			for (size_t i = 0; i < 3 && nid == 0; i++)
				if ((idc[0] = cx_csvin_column(ki.in, idnames[i])) >= 0)
					nid = 1;
		}
		while (kpi_in_next(&ki, &rec) > 0) {
			double calls, aht = o->aht, patience = o->patience;
			struct kpi_opts ro = *o;
			if ((size_t)ccol >= rec.nfield || rec.len[ccol] == 0) {
				kpi_in_bad(&ki, &rec, ccol, "is empty");
				continue;
			}
			if ((why = cx_parse_double(rec.field[ccol], &calls)) != NULL) {
				kpi_in_bad(&ki, &rec, ccol, why);
				continue;
			}
			if (calls < 0) {
				kpi_in_bad(&ki, &rec, ccol, "is negative");
				continue;
			}
			if (acol >= 0) {
				if ((size_t)acol >= rec.nfield || rec.len[acol] == 0) {
					/* summary leaves aht empty where nothing was
					 * answered: such an interval is not staffed */
					aht = NAN;
				} else if ((why = cx_parse_duration(rec.field[acol], &aht)) != NULL) {
					kpi_in_bad(&ki, &rec, acol, why);
					continue;
				} else if (!(aht > 0) && calls > 0) {
					kpi_in_bad(&ki, &rec, acol, "is not positive");
					continue;
				}
			}
			if (ncol >= 0 && (size_t)ncol < rec.nfield && rec.len[ncol]) {
				long long na;
				if ((why = cx_parse_llong(rec.field[ncol], &na)) != NULL) {
					kpi_in_bad(&ki, &rec, ncol, why);
					continue;
				}
				if (na < 0 || na > MAX_AGENTS) {
					kpi_in_bad(&ki, &rec, ncol, "is out of range");
					continue;
				}
				ro.agents = na;
			}
			if (pcol >= 0) {
				if ((size_t)pcol >= rec.nfield || rec.len[pcol] == 0 ||
				    (why = cx_parse_duration(rec.field[pcol], &patience)) != NULL ||
				    !(patience > 0)) {
					kpi_in_bad(&ki, &rec, pcol, "is not a positive duration");
					continue;
				}
			}
			if (calls > 0 && isnan(aht)) {
				memset(&r, 0, sizeof r);
				r.traffic = r.agents = r.heads = r.p_wait = NAN;
				r.service_level = r.asa = r.occupancy = r.p_abandon = NAN;
				r.no_aht = 1;
				nnoaht++;
			} else
				erlang_staff(&ro, calls, calls > 0 ? aht : 1, o->interval, patience, &r);
			if (nid == 0)
				cx_csvout_llong(ko.csv, (long long)ki.nread);
			else if (nid == 1)
				cx_csvout_field(ko.csv, rec.field[idc[0]], rec.len[idc[0]]);
			else {
				char buf[256];
				size_t len = 0;
				for (size_t i = 0; i < nid; i++)
					len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%.60s",
					    i ? " " : "", (size_t)idc[i] < rec.nfield ?
					    rec.field[idc[i]] : "");
				cx_csvout_str(ko.csv, buf);
			}
			write_result(ko.csv, o, calls, aht, &r);
			nunstable += r.unstable;
			nunmet += r.unmet;
		}
		kpi_in_close(&ki);
		free(idc);
	}
	if (nunstable && !o->quiet)
		cx_warnx("%lu interval%s with traffic at or above the agents: unstable under "
		    "Erlang C (the queue grows without bound)", nunstable, nunstable > 1 ? "s" : "");
	if (nnoaht && !o->quiet)
		cx_warnx("%lu interval%s with calls but an empty aht: not staffed (give --aht)",
		    nnoaht, nnoaht > 1 ? "s" : "");
	if (nunmet && !o->quiet)
		cx_warnx("%lu interval%s where no staffing up to %ld agents meets the targets",
		    nunmet, nunmet > 1 ? "s" : "", MAX_AGENTS);
	return kpi_out_close(&ko);
}
