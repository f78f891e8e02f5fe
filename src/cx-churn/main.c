/*
 * cx-churn: retention curves, churn drivers and churn scoring (Kaplan-Meier,
 * quantiles, life tables, log-rank, Cox, logistic regression, score evaluation,
 * cohort triangles), matching R's survival package and stats::glm.
 */
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvout.h"
#include "cxerr.h"
#include "cxtime.h"
#include "outfile.h"
#include "partial.h"
#include "csvin.h"
#include "parse.h"
#include "churn.h"

static const struct {
	const char	*name;
	int		(*run)(const struct churn_opts *, char **, size_t);
	const char	*help;
} modes[] = {
	{ "km",		mode_km,	"Kaplan-Meier curve per --by group (or the --at table)" },
	{ "quantiles",	mode_quantiles,	"median and other quantiles with CIs; restricted mean (--tau)" },
	{ "lifetable",	mode_lifetable,	"churn rate per period (--width) with survival" },
	{ "logrank",	mode_logrank,	"k-group log-rank / Peto-Peto test (--rho)" },
	{ "cox",	mode_cox,	"proportional hazards regression on --covariates" },
	{ "score",	mode_score,	"risk and survival at --horizon from a saved --model" },
	{ "logit",	mode_logit,	"logistic regression of --event on --covariates" },
	{ "eval",	mode_eval,	"AUC, Brier, Hosmer-Lemeshow and gains of a --score column" },
	{ "cohort",	mode_cohort,	"retention triangle by signup month or week" },
	{ "merge",	NULL,		"combine --partial files into the single-run answer" },
};
#define NMODES (sizeof(modes) / sizeof(modes[0]))

enum {
	OPT_ADJUST = CHAR_MAX + 1, OPT_ASOF, OPT_AT, OPT_BINS, OPT_BY, OPT_CALIB, OPT_CI,
	OPT_CONF, OPT_COV, OPT_END, OPT_EVENT, OPT_EVENT_VALUE, OPT_GROUPS, OPT_HORIZON,
	OPT_ID, OPT_MAXITER, OPT_MODEL, OPT_PAIRWISE, OPT_PARTIAL, OPT_PERIOD, OPT_PLOT, OPT_PROBS, OPT_REF,
	OPT_REJECTS, OPT_RHO, OPT_SCORE, OPT_START, OPT_SUMMARY, OPT_TAU, OPT_TIES,
	OPT_TIME, OPT_UNIT, OPT_VERSION, OPT_WEIGHT, OPT_WIDTH, OPT_ZPH, OPT_X_SORTED
};
static const struct option longopts[] = {
	{ "adjust",	required_argument,	NULL, OPT_ADJUST },
	{ "asof",	required_argument,	NULL, OPT_ASOF },
	{ "at",		required_argument,	NULL, OPT_AT },
	{ "bins",	required_argument,	NULL, OPT_BINS },
	{ "by",		required_argument,	NULL, OPT_BY },
	{ "calibration", required_argument,	NULL, OPT_CALIB },
	{ "ci",		required_argument,	NULL, OPT_CI },
	{ "conf",	required_argument,	NULL, OPT_CONF },
	{ "covariates",	required_argument,	NULL, OPT_COV },
	{ "delimiter",	required_argument,	NULL, 'd' },
	{ "end",	required_argument,	NULL, OPT_END },
	{ "event",	required_argument,	NULL, OPT_EVENT },
	{ "event-value", required_argument,	NULL, OPT_EVENT_VALUE },
	{ "groups",	required_argument,	NULL, OPT_GROUPS },
	{ "help",	no_argument,		NULL, 'h' },
	{ "horizon",	required_argument,	NULL, OPT_HORIZON },
	{ "id",		required_argument,	NULL, OPT_ID },
	{ "maxiter",	required_argument,	NULL, OPT_MAXITER },
	{ "model",	required_argument,	NULL, OPT_MODEL },
	{ "output",	required_argument,	NULL, 'o' },
	{ "pairwise",	required_argument,	NULL, OPT_PAIRWISE },
	{ "partial",	no_argument,		NULL, OPT_PARTIAL },
	{ "period",	required_argument,	NULL, OPT_PERIOD },
	{ "plot",	required_argument,	NULL, OPT_PLOT },
	{ "probs",	required_argument,	NULL, OPT_PROBS },
	{ "quiet",	no_argument,		NULL, 'q' },
	{ "reference",	required_argument,	NULL, OPT_REF },
	{ "rejects",	required_argument,	NULL, OPT_REJECTS },
	{ "rho",	required_argument,	NULL, OPT_RHO },
	{ "score",	required_argument,	NULL, OPT_SCORE },
	{ "start",	required_argument,	NULL, OPT_START },
	{ "summary",	required_argument,	NULL, OPT_SUMMARY },
	{ "tau",	required_argument,	NULL, OPT_TAU },
	{ "ties",	required_argument,	NULL, OPT_TIES },
	{ "time",	required_argument,	NULL, OPT_TIME },
	{ "unit",	required_argument,	NULL, OPT_UNIT },
	{ "version",	no_argument,		NULL, OPT_VERSION },
	{ "weight",	required_argument,	NULL, OPT_WEIGHT },
	{ "width",	required_argument,	NULL, OPT_WIDTH },
	{ "x-sorted",	no_argument,		NULL, OPT_X_SORTED },
	{ "zph",	required_argument,	NULL, OPT_ZPH },
	{ NULL,		0,			NULL, 0 }
};

static struct cx_outfile mainout;
static struct cx_csvout *maincsv;

static _Noreturn void
usage(int status)
{
	size_t i;

	if (status != CX_EXIT_OK) {
		fprintf(stderr, "usage: cx-churn MODE [OPTIONS] [FILE...]\n"
		    "Try 'cx-churn --help' for more information.\n");
		exit(CX_EXIT_USAGE);
	}
	printf("usage: cx-churn MODE [OPTIONS] [FILE...]\n"
	    "Retention curves, churn drivers and churn scoring over a per-customer CSV.\n\nModes:\n");
	for (i = 0; i < NMODES; i++)
		printf("  %-10s %s\n", modes[i].name, modes[i].help);
	printf("\nInput:\n"
	    "  --time COL --event COL    duration and churn flag (0/1, yes/no)\n"
	    "  --event-value TEXT        the --event text that means churned\n"
	    "  --start COL --end COL     signup and churn dates (empty end = active)\n"
	    "  --asof DATE --unit U      censoring date; durations in day|week|month\n"
	    "  --weight COL              case weights   --by COL[,COL]  groups\n"
	    "  --covariates A,B          model terms (text columns become COL=LEVEL)\n"
	    "  --reference COL=LEVEL     dummy reference (default most frequent level)\n"
	    "Options:\n"
	    "  --ci log|log-log|plain --conf 0.95   km band      --at T1,T2  km ticks\n"
	    "  --probs 0.25,0.5,0.75 --tau T        quantiles    --width W   lifetable\n"
	    "  --rho R --groups F --pairwise F --adjust holm|bonferroni|none   logrank\n"
	    "  --ties efron|breslow --summary F --model F --zph F --maxiter N  cox/logit\n"
	    "  --model F --horizon H1,H2 --id COL  score\n"
	    "  --score COL --bins N --groups F --calibration F                     eval\n"
	    "  --period month|week                  cohort\n"
	    "  --plot FILE.png   draw the km curves or cohort lines with gnuplot\n"
	    "  --partial  mergeable counts (km, quantiles, lifetable, logrank, cohort);\n"
	    "             cx-churn merge FILE... prints the single-run answer\n"
	    "  -d C  delimiter   -o FILE  output   --rejects FILE   -q quiet   --version\n\n"
	    "Example:\n"
	    "  cx-churn km --time tenure --event churned --by plan customers.csv\n"
	    "  cx-churn cox --time tenure --event churned --covariates plan,age \\\n"
	    "      --summary fit.csv --model model.csv customers.csv > coef.csv\n\n"
	    "See cx-churn(1).\n");
	exit(CX_EXIT_OK);
}

/* Split a comma list into a NULL-terminated array (strings point into arg). */
static char **
split_list(char *arg, size_t *n, const char *opt)
{
	char **v = NULL, *p, *save = NULL;
	size_t cap = 0;

	*n = 0;
	for (p = strtok_r(arg, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		v = churn_xgrow(v, &cap, *n + 2, sizeof(char *));
		v[(*n)++] = p;
	}
	if (*n == 0)
		cx_errx(CX_EXIT_USAGE, "%s: empty list", opt);
	v[*n] = NULL;
	return v;
}

static double *
double_list(char *arg, size_t *n, const char *opt, double lo, double hi)
{
	char **s = split_list(arg, n, opt);
	double *v = cx_xmalloc(*n * sizeof(double));
	size_t i;

	for (i = 0; i < *n; i++)
		v[i] = cx_opt_double(s[i], opt, lo, hi);
	free(s);
	return v;
}

static int
pick(const char *arg, const char *opt, const char *const *names, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(arg, names[i]) == 0)
			return i;
	cx_errx(CX_EXIT_USAGE, "%s: \"%s\" is not one of the choices (see --help)", opt, arg);
}

struct cx_csvout *
churn_out(void)
{
	return maincsv;
}

void
churn_key_fields(struct cx_csvout *out, const char *key, size_t len, size_t nby)
{
	size_t i, s = 0, k = 0;

	if (nby == 0)
		return;
	for (i = 0; i <= len; i++)
		if (i == len || key[i] == '\x1f') {
			cx_csvout_field(out, key + s, i - s);
			s = i + 1;
			k++;
		}
	for (; k < nby; k++)
		cx_csvout_empty(out);
}

void
churn_header(struct cx_csvout *out, const char *const *names, size_t n)
{
	cx_csvout_row(out, names, n);
}

struct cx_csvout *
churn_side_open(const char *path, void **handle)
{
	struct cx_outfile *of = cx_xcalloc(1, sizeof(*of));
	struct cx_csvout *c;

	if (cx_outfile_open(of, path) != 0)
		cx_err(CX_EXIT_SYSTEM, "%s", path);
	if ((c = cx_csvout_new(of->fp, 0)) == NULL)
		cx_errx(CX_EXIT_SYSTEM, "out of memory");
	*handle = of;
	return c;
}

void
churn_side_close(struct cx_csvout *c, void *handle, const char *path)
{
	struct cx_outfile *of = handle;

	if (cx_csvout_flush(c) != 0) {
		cx_outfile_abort(of);
		cx_err(CX_EXIT_SYSTEM, "%s", path);
	}
	cx_csvout_free(c);
	if (cx_outfile_commit(of) != 0)
		cx_err(CX_EXIT_SYSTEM, "%s", path);
	free(of);
}

static const char *units[] = { "day", "week", "month" };
static const char *cis[] = { "log", "log-log", "plain" };
static const char *tiesn[] = { "efron", "breslow" };
static const char *adj[] = { "holm", "bonferroni", "none" };
static const char *periods[] = { "month", "week" };
static double defprobs[] = { 0.25, 0.5, 0.75 };

static void
parse_opts(int argc, char *argv[], struct churn_opts *o, const char **out, int *maxiter_set)
{
	const char *why;
	int ch;

	while ((ch = getopt_long(argc, argv, "d:ho:q", longopts, NULL)) != -1) {
		if (ch > CHAR_MAX && ch - CHAR_MAX - 1 < NOPTS && optarg)
			o->raw[ch - CHAR_MAX - 1] = cx_xstrdup(optarg);	/* lists are split in place */
		switch (ch) {
		case 'd':		o->delim = cx_opt_delim(optarg, "-d"); break;
		case 'h':		usage(CX_EXIT_OK);
		case 'o':		*out = optarg; break;
		case 'q':		o->quiet = 1; break;
		case OPT_ADJUST:	o->adjust = pick(optarg, "--adjust", adj, 3); break;
		case OPT_ASOF:
			if ((why = cx_parse_date(optarg, &o->asof)) != NULL)
				cx_errx(CX_EXIT_USAGE, "--asof: \"%s\" %s", optarg, why);
			o->has_asof = 1;
			break;
		case OPT_AT:		o->at = double_list(optarg, &o->nat, "--at", 0, 1e300); break;
		case OPT_BINS:		o->bins = (int)cx_opt_llong(optarg, "--bins", 2, 1000); break;
		case OPT_BY:		o->by = split_list(optarg, &o->nby, "--by"); break;
		case OPT_CALIB:		o->calib_file = optarg; break;
		case OPT_CI:		o->ci = pick(optarg, "--ci", cis, 3); break;
		case OPT_CONF:		o->conf = cx_opt_double(optarg, "--conf", 0.5, 0.9999); break;
		case OPT_COV:		o->cov = split_list(optarg, &o->ncov, "--covariates"); break;
		case OPT_END:		o->end_col = optarg; break;
		case OPT_EVENT:		o->event_col = optarg; break;
		case OPT_EVENT_VALUE:	o->event_value = optarg; break;
		case OPT_GROUPS:	o->groups_file = optarg; break;
		case OPT_HORIZON:	o->horizon = double_list(optarg, &o->nhorizon, "--horizon", 0, 1e300); break;
		case OPT_ID:		o->id_col = optarg; break;
		case OPT_MAXITER:	o->maxiter = (int)cx_opt_llong(optarg, "--maxiter", 1, 10000); *maxiter_set = 1; break;
		case OPT_MODEL:		o->model_file = optarg; break;
		case OPT_PAIRWISE:	o->pairwise_file = optarg; break;
		case OPT_PARTIAL:	o->partial = 1; break;
		case OPT_PLOT:		o->plot_file = optarg; break;
		case OPT_PERIOD:	o->period_week = pick(optarg, "--period", periods, 2); break;
		case OPT_PROBS:		o->probs = double_list(optarg, &o->nprobs, "--probs", 0, 1); break;
		case OPT_REF:		o->ref = split_list(optarg, &o->nref, "--reference"); break;
		case OPT_REJECTS:	o->rejects = optarg; break;
		case OPT_RHO:		o->rho = cx_opt_double(optarg, "--rho", 0, 100); break;
		case OPT_SCORE:		o->score_col = optarg; break;
		case OPT_START:		o->start_col = optarg; break;
		case OPT_SUMMARY:	o->summary_file = optarg; break;
		case OPT_TAU:		o->tau = cx_opt_double(optarg, "--tau", 0, 1e300); o->has_tau = 1; break;
		case OPT_TIES:		o->ties = pick(optarg, "--ties", tiesn, 2); break;
		case OPT_TIME:		o->time_col = optarg; break;
		case OPT_UNIT:		o->unit = pick(optarg, "--unit", units, 3); break;
		case OPT_VERSION:	cx_version(); exit(CX_EXIT_OK);
		case OPT_WEIGHT:	o->weight_col = optarg; break;
		case OPT_WIDTH:		o->width = cx_opt_double(optarg, "--width", 1e-300, 1e300); break;
		case OPT_ZPH:		o->zph_file = optarg; break;
		case OPT_X_SORTED:	o->x_sorted = 1; break;
		default:		usage(CX_EXIT_USAGE);
		}
	}
}

/* Every cross-option check lives here and nowhere else (m: index in modes[]). */
static void
check_opts(struct churn_opts *o, size_t m, int *maxiter_set)
{
	size_t i;

	/* every cross-option check lives here */
	if (m == 7) {		/* eval */
		if (!o->score_col)
			cx_errx(CX_EXIT_USAGE, "eval needs --score COL");
		if (!o->event_col)
			cx_errx(CX_EXIT_USAGE, "eval needs --event COL");
	} else if (m == 8) {	/* cohort */
		if (!o->start_col || !o->end_col)
			cx_errx(CX_EXIT_USAGE, "cohort needs --start COL and --end COL");
		if (!o->has_asof)
			cx_errx(CX_EXIT_USAGE, "cohort needs --asof DATE");
	} else if (m == 6) {	/* logit */
		if (!o->event_col)
			cx_errx(CX_EXIT_USAGE, "logit needs --event COL");
		if (o->ncov == 0)
			cx_errx(CX_EXIT_USAGE, "logit needs --covariates");
	} else if (m == 5) {	/* score */
		if (!o->model_file)
			cx_errx(CX_EXIT_USAGE, "score needs --model FILE");
		if (o->nhorizon == 0)
			cx_errx(CX_EXIT_USAGE, "score needs --horizon T[,T...]");
	} else {
		if (o->time_col && o->start_col)
			cx_errx(CX_EXIT_USAGE, "--time and --start cannot be used together");
		if (!o->time_col && !o->start_col)
			cx_errx(CX_EXIT_USAGE, "%s needs --time COL (or --start/--end dates)", o->mode);
		if (o->start_col && !o->end_col)
			cx_errx(CX_EXIT_USAGE, "--start needs --end");
		if (!o->start_col && !o->event_col)
			cx_errx(CX_EXIT_USAGE, "%s needs --event COL", o->mode);
		if (m == 4 && o->ncov == 0)
			cx_errx(CX_EXIT_USAGE, "cox needs --covariates");
	}
	if (o->partial && !(m <= 3 || m == 8))
		cx_errx(CX_EXIT_USAGE, "--partial applies to km, quantiles, lifetable, logrank and cohort");
	if (o->plot_file && !(m == 0 || m == 8))
		cx_errx(CX_EXIT_USAGE, "--plot applies to km and cohort");
	if (o->plot_file && o->nat)
		cx_errx(CX_EXIT_USAGE, "--plot draws the whole curve: drop --at");
	if (o->plot_file && o->partial)
		cx_errx(CX_EXIT_USAGE, "--plot and --partial cannot be used together");
	if (o->end_col && !o->start_col)
		cx_errx(CX_EXIT_USAGE, "--end needs --start");
	if (o->unit != UNIT_DAY && !o->start_col)
		cx_errx(CX_EXIT_USAGE, "--unit applies to durations from --start/--end dates");
	if (o->event_value && !o->event_col)
		cx_errx(CX_EXIT_USAGE, "--event-value needs --event");
	if (o->nat && m != 0)
		cx_errx(CX_EXIT_USAGE, "--at applies to km");
	if (o->has_tau && m != 1)
		cx_errx(CX_EXIT_USAGE, "--tau applies to quantiles");
	if (o->rho != 0 && m != 3)
		cx_errx(CX_EXIT_USAGE, "--rho applies to logrank");
	if ((o->groups_file && m != 3 && m != 7) || (o->pairwise_file && m != 3))
		cx_errx(CX_EXIT_USAGE, "--groups applies to logrank and eval, --pairwise to logrank");
	if (o->nby && (m == 4 || m == 5 || m == 6))
		cx_errx(CX_EXIT_USAGE, "--by does not apply to %s (use --covariates)", o->mode);
	if (o->ncov && !(m == 4 || m == 6))
		cx_errx(CX_EXIT_USAGE, "--covariates applies to cox and logit");
	if (o->zph_file && m != 4)
		cx_errx(CX_EXIT_USAGE, "--zph applies to cox");
	if (o->nref && !(m == 4 || m == 6))
		cx_errx(CX_EXIT_USAGE, "--reference applies to cox and logit");
	if (*maxiter_set && !(m == 4 || m == 6))
		cx_errx(CX_EXIT_USAGE, "--maxiter applies to cox and logit");
	if (m == 6 && !*maxiter_set)
		o->maxiter = 25;		/* glm.control() */
	for (i = 0; i < o->nref; i++)
		if (strchr(o->ref[i], '=') == NULL)
			cx_errx(CX_EXIT_USAGE, "--reference: \"%s\" is not COL=LEVEL", o->ref[i]);

}

/* The names of the options a partial file records (opt_NAME), in enum order. */
static const struct {
	int		 opt;
	const char	*name;
} popt[] = {
	{ OPT_ADJUST, "adjust" }, { OPT_ASOF, "asof" }, { OPT_AT, "at" }, { OPT_BY, "by" },
	{ OPT_CI, "ci" }, { OPT_CONF, "conf" }, { OPT_END, "end" }, { OPT_EVENT, "event" },
	{ OPT_EVENT_VALUE, "event-value" }, { OPT_PERIOD, "period" }, { OPT_PROBS, "probs" },
	{ OPT_RHO, "rho" }, { OPT_START, "start" }, { OPT_TAU, "tau" }, { OPT_TIME, "time" },
	{ OPT_UNIT, "unit" }, { OPT_WEIGHT, "weight" }, { OPT_WIDTH, "width" },
};
#define NPOPT (sizeof(popt) / sizeof(popt[0]))

void
churn_partial_meta(const struct churn_opts *o, struct cx_partial_meta *pm,
    const char **names, const char **vals)
{
	size_t i, k = 0;

	for (i = 0; i < NPOPT; i++) {
		const char *v = o->raw[popt[i].opt - CHAR_MAX - 1];
		names[k] = popt[i].name;
		vals[k] = v ? v : "";
		k++;
	}
	pm->tool = "cx-churn";
	pm->mode = o->mode;
	pm->version = 1;
	pm->nopts = k;
	pm->optname = names;
	pm->optval = vals;
}

/*
 * merge: the mode and its options come from the partial files (their opt_
 * columns are replayed through parse_opts), so the merged answer is the one a
 * single run with those options gives.  Only -o, -q, --groups and --pairwise
 * may be given here.
 */
static char **merge_argv;

static size_t
merge_setup(struct churn_opts *o, char **paths, size_t npaths)
{
	struct cx_csvin_opts co = { 0 };
	struct cx_csvin *in = cx_csvin_new(&co);
	struct cx_record r;
	char **av, *buf;
	size_t m, i, n, na = 1;
	int rc, dummy = 0;
	const char *dout = NULL;

	if (npaths == 0)
		cx_errx(CX_EXIT_USAGE, "merge needs one or more partial files");
	if (in == NULL)
		cx_errx(CX_EXIT_SYSTEM, "out of memory");
	if ((rc = cx_csvin_open(in, paths, 1)) < 0)
		cx_errx(cx_exit_status(rc), "%s", cx_csvin_error(in));
	if (cx_csvin_ncols(in) < 3 || strcmp(cx_csvin_colname(in, 1), "partial_mode") != 0)
		cx_errx(CX_EXIT_DATA, "%s: not a partial file (make one with cx-churn MODE --partial)",
		    paths[0]);
	if ((rc = cx_csvin_next(in, &r)) != 1)
		cx_errx(CX_EXIT_DATA, "%s: an empty partial file", paths[0]);
	for (m = 0; m < NMODES - 1; m++)
		if (strcmp(r.field[1], modes[m].name) == 0)
			break;
	if (m == NMODES - 1 || strcmp(r.field[0], "cx-churn") != 0)
		cx_errx(CX_EXIT_DATA, "%s:%lu: a partial of %s %s: cx-churn cannot merge it",
		    paths[0], r.line, r.field[0], r.field[1]);
	n = cx_csvin_ncols(in);
	av = cx_xcalloc(n + 2, sizeof(char *));
	av[0] = (char *)"cx-churn";
	for (i = 3; i < n && i < r.nfield; i++) {
		const char *name = cx_csvin_colname(in, i);
		if (strncmp(name, "opt_", 4) != 0)
			break;
		if (*r.field[i] == '\0')
			continue;
		buf = cx_xmalloc(strlen(name) + strlen(r.field[i]) + 4);
		sprintf(buf, "--%s=%s", name + 4, r.field[i]);
		av[na++] = buf;
	}
	o->mode = modes[m].name;
	optind = 0;
	parse_opts((int)na, av, o, &dout, &dummy);
	merge_argv = av;	/* the options point into these strings: keep them */
	cx_csvin_free(in);
	o->merging = 1;
	return m;
}

int
main(int argc, char *argv[])
{
	struct churn_opts o = { .ci = CI_LOG, .conf = 0.95, .width = 1, .maxiter = 20,
	    .bins = 10, .probs = defprobs, .nprobs = 3, .adjust = ADJ_HOLM };
	const char *out = NULL;
	int rc, maxiter_set = 0;
	size_t m;

	cx_setprogname(argv[0]);
	if (argc < 2)
		usage(CX_EXIT_USAGE);
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)
		usage(CX_EXIT_OK);
	if (strcmp(argv[1], "--version") == 0) {
		cx_version();
		return CX_EXIT_OK;
	}
	for (m = 0; m < NMODES; m++)
		if (strcmp(argv[1], modes[m].name) == 0)
			break;
	if (m == NMODES)
		cx_errx(CX_EXIT_USAGE, "unknown mode \"%s\" (km, quantiles, lifetable, logrank, "
		    "cox, score, logit, eval, cohort, merge)", argv[1]);
	o.mode = modes[m].name;
	argc--;
	argv++;
	argv[0] = (char *)"cx-churn";	/* getopt's messages name the program */
	parse_opts(argc, argv, &o, &out, &maxiter_set);
	argc -= optind;
	argv += optind;
	if (modes[m].run == NULL) {	/* merge */
		size_t k;
		for (k = 0; k < NPOPT; k++)
			if (o.raw[popt[k].opt - CHAR_MAX - 1] || o.partial || maxiter_set || o.ncov ||
			    o.plot_file)
				cx_errx(CX_EXIT_USAGE, "merge takes its options from the partial files "
				    "(only -o, -q, --groups and --pairwise here)");
		if (o.summary_file || o.model_file || o.zph_file || o.calib_file || o.rejects ||
		    o.delim || o.nref)
			cx_errx(CX_EXIT_USAGE, "merge takes its options from the partial files "
			    "(only -o, -q, --groups and --pairwise here)");
		m = merge_setup(&o, argv, (size_t)argc);
	}
	check_opts(&o, m, &maxiter_set);

	signal(SIGPIPE, SIG_DFL);
	if (cx_outfile_open(&mainout, out) != 0)
		cx_err(CX_EXIT_SYSTEM, "%s", out);
	if ((maincsv = cx_csvout_new(mainout.fp, 0)) == NULL)
		cx_errx(CX_EXIT_SYSTEM, "out of memory");
	rc = modes[m].run(&o, argv, (size_t)argc);
	if (cx_csvout_flush(maincsv) != 0) {
		cx_outfile_abort(&mainout);
		cx_err(CX_EXIT_SYSTEM, "%s", out ? out : "stdout");
	}
	cx_csvout_free(maincsv);
	if (rc != CX_EXIT_OK) {
		cx_outfile_abort(&mainout);
		return rc;
	}
	if (cx_outfile_commit(&mainout) != 0)
		cx_err(CX_EXIT_SYSTEM, "%s", out ? out : "stdout");
	for (m = 0; m < NOPTS; m++)
		free((char *)o.raw[m]);
	if (merge_argv) {
		for (m = 1; merge_argv[m]; m++)
			free(merge_argv[m]);
		free(merge_argv);
	}
	free(o.by); free(o.cov); free(o.ref);
	if (o.at) free(o.at);
	if (o.probs != defprobs) free(o.probs);
	free(o.horizon);
	return CX_EXIT_OK;
}
