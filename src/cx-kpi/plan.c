/* cx-kpi plan: Erlang staffing per group and period from the calls themselves. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "cxerr.h"
#include "hashmap.h"
#include "kpi.h"

/*
 * plan: the model against the actual, per group and period.  Arrival rate =
 * offered / period length, AHT = handle time / answered, patience = total wait
 * of all calls / abandoned (the maximum-likelihood mean of an exponential
 * patience observed through censored waits); Erlang A when there were
 * abandons (or --model a), else Erlang C.
 */
int
kpi_plan(const struct kpi_opts *o, char **files, size_t nfiles, const char *out)
{
	static const char *const cols[] = { "calls", "aht", "patience", "traffic", "agents",
	    "heads", "p_wait", "service_level", "asa", "p_abandon", "observed_sl",
	    "observed_asa", "observed_abandon", "model" };
	struct kpi_opts mo = *o;
	struct groups g;
	struct kpi_out ko;
	size_t *ix, n;

	groups_init(&g, o);
	read_calls(&g, files, nfiles);
	if (!g.have_wait || !g.have_handle)
		cx_errx(CX_EXIT_DATA, "plan needs wait_s and talk_s (or hold_s, wrap_s) columns");
	ix = sorted_groups(&g);
	n = cx_hashmap_count(g.map);
	kpi_out_open(&ko, out);
	write_key_header(ko.csv, o);
	for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
		cx_csvout_str(ko.csv, cols[i]);
	cx_csvout_endrow(ko.csv);
	mo.agents = -1;
	for (size_t j = 0; j < n; j++) {
		const struct kpi_stats *s = cx_hashmap_value(g.map, ix[j]);
		size_t klen;
		const char *key = cx_hashmap_key(g.map, ix[j], &klen);
		double secs = cx_period_seconds(o->period, key_period(key, klen));
		double aht = cx_xsum_mean(&s->handle_sum, s->answered);
		double patience = s->abandoned ? cx_xsum_value(&s->wait_sum) / (double)s->abandoned
		    : NAN;
		struct erl_result r;
		struct cx_csvout *w = ko.csv;

		mo.model = (o->model_set && o->model == MODEL_A) || s->abandoned ? MODEL_A : MODEL_C;
		if (mo.model == MODEL_A && !(patience > 0))
			mo.model = MODEL_C;	/* abandons with no wait at all: no patience */
		write_keys(w, &g, ix[j]);
		cx_csvout_llong(w, (long long)s->offered);
		cx_csvout_double(w, aht);
		cx_csvout_double(w, mo.model == MODEL_A ? patience : NAN);
		if (!(aht > 0)) {
			/* nothing answered: no handle time to plan with */
			for (size_t k = 0; k < 7; k++)
				cx_csvout_empty(w);
		} else {
			erlang_staff(&mo, (double)s->offered, aht, secs, patience, &r);
			cx_csvout_double(w, r.traffic);
			cx_csvout_double(w, r.agents);
			cx_csvout_double(w, r.heads);
			cx_csvout_double(w, r.p_wait);
			cx_csvout_double(w, r.service_level);
			cx_csvout_double(w, r.asa);
			cx_csvout_double(w, r.p_abandon);
		}
		cx_csvout_double(w, kpi_service_level(s, o->formula, 0));
		cx_csvout_double(w, cx_xsum_mean(&s->wait_ans_sum, s->wait_ans_n));
		cx_csvout_double(w, ratio((double)s->abandoned, (double)s->offered));
		cx_csvout_str(w, mo.model == MODEL_A ? "erlang-a" : "erlang-c");
		cx_csvout_endrow(w);
	}
	free(ix);
	kpi_out_close(&ko);
	groups_fini(&g);
	return CX_EXIT_OK;
}
