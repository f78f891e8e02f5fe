/* cx-clv: customer lifetime value with buy-till-you-die models; modes, options, usage. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clv.h"
#include "cxerr.h"
#include "cxtime.h"
#include "parse.h"

enum { M_SUMMARY = 1, M_MERGE = 2, M_FIT = 4, M_SCORE = 8, M_VALIDATE = 16, M_SIMULATE = 32 };
#define M_ALL 63

static const struct mode {
	const char	*name;
	int		 bit;
	int		(*run)(const struct clv_opts *, char **, size_t);
	const char	*help;
} modes[] = {
	{ "summary",	M_SUMMARY,	clv_summary,	"orders -> one row per customer: x, t_x, T, mean_spend" },
	{ "merge",	M_MERGE,	clv_merge,	"summary --partial files -> the summary a single run gives" },
	{ "fit",	M_FIT,		clv_fit,	"summary -> model parameters (tidy CSV that score reads)" },
	{ "score",	M_SCORE,	clv_score,	"summary + model -> P(alive), expected purchases, CLV" },
	{ "validate",	M_VALIDATE,	clv_validate,	"orders + model -> calibration/holdout comparison" },
	{ "simulate",	M_SIMULATE,	clv_simulate,	"parameters -> a synthetic customer summary" },
};
#define NMODES (sizeof modes / sizeof modes[0])

enum {
	OPT_CAL_END = CHAR_MAX + 1, OPT_COHORT, OPT_COL, OPT_DISCOUNT, OPT_GLANCE,
	OPT_HOLD_END, OPT_HOLDOUT, OPT_HORIZON, OPT_LEVEL, OPT_MARGIN, OPT_MAX_ITER,
	OPT_MAX_X, OPT_MODEL, OPT_N, OPT_PARAMS, OPT_PARTIAL, OPT_PLOT, OPT_REJECTS, OPT_SEED,
	OPT_SPEND, OPT_T, OPT_THREADS, OPT_TIME_FORMAT, OPT_TRACKING, OPT_UNIT, OPT_VERSION, OPT_X_GRADIENT
};

static const struct option longopts[] = {
	{ "calibration-end",	required_argument,	NULL, OPT_CAL_END },
	{ "cohort",		required_argument,	NULL, OPT_COHORT },
	{ "col",		required_argument,	NULL, OPT_COL },
	{ "delimiter",		required_argument,	NULL, 'd' },
	{ "discount",		required_argument,	NULL, OPT_DISCOUNT },
	{ "glance",		required_argument,	NULL, OPT_GLANCE },
	{ "help",		no_argument,		NULL, 'h' },
	{ "holdout",		required_argument,	NULL, OPT_HOLDOUT },
	{ "holdout-end",	required_argument,	NULL, OPT_HOLD_END },
	{ "horizon",		required_argument,	NULL, OPT_HORIZON },
	{ "level",		required_argument,	NULL, OPT_LEVEL },
	{ "margin",		required_argument,	NULL, OPT_MARGIN },
	{ "max-iter",		required_argument,	NULL, OPT_MAX_ITER },
	{ "max-x",		required_argument,	NULL, OPT_MAX_X },
	{ "model",		required_argument,	NULL, OPT_MODEL },
	{ "n",			required_argument,	NULL, OPT_N },
	{ "output",		required_argument,	NULL, 'o' },
	{ "params",		required_argument,	NULL, OPT_PARAMS },
	{ "partial",		no_argument,		NULL, OPT_PARTIAL },
	{ "plot",		required_argument,	NULL, OPT_PLOT },
	{ "quiet",		no_argument,		NULL, 'q' },
	{ "rejects",		required_argument,	NULL, OPT_REJECTS },
	{ "seed",		required_argument,	NULL, OPT_SEED },
	{ "spend",		required_argument,	NULL, OPT_SPEND },
	{ "T",			required_argument,	NULL, OPT_T },
	{ "threads",		required_argument,	NULL, OPT_THREADS },
	{ "time-format",	required_argument,	NULL, OPT_TIME_FORMAT },
	{ "tracking",		required_argument,	NULL, OPT_TRACKING },
	{ "unit",		required_argument,	NULL, OPT_UNIT },
	{ "version",		no_argument,		NULL, OPT_VERSION },
	{ "x-gradient",		required_argument,	NULL, OPT_X_GRADIENT },
	{ NULL,			0,			NULL, 0 }
};

/* Which modes take each option (checked in one place after parsing). */
static const struct { int opt; int modes; const char *name; } optmodes[] = {
	{ OPT_CAL_END,	M_SUMMARY | M_MERGE | M_VALIDATE,		"--calibration-end" },
	{ OPT_COHORT,	M_SIMULATE,			"--cohort" },
	{ OPT_DISCOUNT,	M_SCORE,			"--discount" },
	{ OPT_GLANCE,	M_FIT | M_VALIDATE,		"--glance" },
	{ OPT_HOLD_END,	M_SUMMARY | M_MERGE | M_VALIDATE,		"--holdout-end" },
	{ OPT_HOLDOUT,	M_SIMULATE,			"--holdout" },
	{ OPT_HORIZON,	M_SCORE,			"--horizon" },
	{ OPT_LEVEL,	M_FIT,				"--level" },
	{ OPT_MARGIN,	M_SCORE,			"--margin" },
	{ OPT_MAX_ITER,	M_FIT,				"--max-iter" },
	{ OPT_MAX_X,	M_VALIDATE,			"--max-x" },
	{ OPT_MODEL,	M_FIT | M_SCORE | M_VALIDATE | M_SIMULATE, "--model" },
	{ OPT_N,	M_SIMULATE,			"--n" },
	{ OPT_PARAMS,	M_SIMULATE,			"--params" },
	{ OPT_PARTIAL,	M_SUMMARY,			"--partial" },
	{ OPT_PLOT,	M_VALIDATE,			"--plot" },
	{ OPT_REJECTS,	M_SUMMARY | M_SCORE | M_VALIDATE,	"--rejects" },
	{ OPT_SEED,	M_SIMULATE,			"--seed" },
	{ OPT_SPEND,	M_FIT | M_SIMULATE,		"--spend" },
	{ OPT_T,	M_SIMULATE,			"--T" },
	{ OPT_THREADS,	M_SUMMARY | M_VALIDATE,		"--threads" },
	{ OPT_TIME_FORMAT, M_SUMMARY | M_VALIDATE,	"--time-format" },
	{ OPT_TRACKING,	M_VALIDATE,			"--tracking" },
	{ OPT_UNIT,	M_SUMMARY | M_VALIDATE | M_MERGE, "--unit" },
	{ OPT_X_GRADIENT, M_FIT,			"--x-gradient" },
};
#define NOPTMODES (sizeof optmodes / sizeof optmodes[0])

static _Noreturn void
usage(int status)
{
	size_t i;

	if (status != CX_EXIT_OK) {
		fprintf(stderr, "usage: cx-clv summary|merge|fit|score|validate|simulate [OPTIONS] [FILE...]\n"
		    "Try 'cx-clv --help' for more information.\n");
		exit(status);
	}
	printf("usage: cx-clv MODE [OPTIONS] [FILE...]\n"
	    "Buy-till-you-die customer models: who is still alive, how much will they buy.\n\n"
	    "Modes:\n");
	for (i = 0; i < NMODES; i++)
		printf("  %-9s %s\n", modes[i].name, modes[i].help);
	printf("\nCommon options:\n"
	    "  -o, --output FILE        write the result to FILE (whole or not at all)\n"
	    "  -d, --delimiter CHAR     input delimiter (default ,)\n"
	    "      --col CANON=ACTUAL   read column ACTUAL as CANON (repeatable)\n"
	    "  -q, --quiet              no counts on standard error\n"
	    "      --rejects FILE       bad rows to FILE (summary, score, validate)\n"
	    "summary, validate:\n"
	    "      --unit day|week|month          time unit of t_x and T (default week)\n"
	    "      --calibration-end DATE         last day of the calibration period\n"
	    "      --holdout-end DATE             last day of the holdout period\n"
	    "      --time-format FMT              strptime format of the date column\n"
	    "      --partial                      (summary) write mergeable customer-days\n"
	    "      --threads N                    read a large file on N threads (default:\n"
	    "                                     the processors, at most 8)\n"
	    "fit:\n"
	    "      --model bgnbd|mbgnbd|pnbd|bgbb transaction model (default bgnbd)\n"
	    "      --spend gamma-gamma            also fit the spend model on mean_spend\n"
	    "      --glance FILE                  model figures (log_lik, aic, bic, ...)\n"
	    "      --max-iter N, --level P        optimiser iterations, interval level\n"
	    "score:\n"
	    "      --model FILE                   a model written by fit\n"
	    "      --horizon T                    periods ahead (default 52)\n"
	    "      --discount D, --margin M       per-period discount rate, profit margin\n"
	    "validate:\n"
	    "      --model FILE, --tracking FILE, --glance FILE, --plot FILE.png, --max-x N\n"
	    "simulate:\n"
	    "      --model NAME|FILE --params k=v,... --n N --T LEN --cohort LEN\n"
	    "      --holdout LEN --spend p=..,q=..,gamma=.. --seed S\n"
	    "\nExample (CDNOW, weeks, calibration to 1997-09-30):\n"
	    "  cx-ingest --schema orders orders.csv \\\n"
	    "    | cx-clv summary --calibration-end 1997-09-30 > summary.csv\n"
	    "  cx-clv fit --model bgnbd --spend gamma-gamma summary.csv > model.csv\n"
	    "  cx-clv score --model model.csv --horizon 39 summary.csv > clv.csv\n"
	    "\nExit status: 0 ok, 1 bad data, 2 usage, 3 system error, 4 no convergence.\n"
	    "See cx-clv(1).\n");
	exit(CX_EXIT_OK);
}

static int32_t
opt_date(const char *arg, const char *option)
{
	int32_t d;
	const char *why = cx_parse_date(arg, &d);

	if (why != NULL)
		cx_errx(CX_EXIT_USAGE, "%s: \"%s\" %s", option, arg, why);
	return d;
}

int
main(int argc, char *argv[])
{
	static struct clv_opts o;
	const struct mode *mode = NULL;
	int seen[NOPTMODES] = { 0 }, ch;
	size_t i;

	cx_setprogname(argv[0]);
	o.unit = 7;
	o.unit_name = "week";
	o.model = &clv_bgnbd;
	o.level = 0.95;
	o.horizon = 52;
	o.margin = 1;
	o.max_x = 7;
	o.ncust = 1000;
	o.seed = 1;
	o.T = 39;
	if (argc > 1 && argv[1][0] != '-') {
		for (i = 0; i < NMODES; i++)
			if (strcmp(argv[1], modes[i].name) == 0)
				mode = &modes[i];
		if (mode == NULL) {
			cx_warnx("unknown mode \"%s\"", argv[1]);
			usage(CX_EXIT_USAGE);
		}
		argv[1] = argv[0];	/* getopt's messages name the program */
		argv++;
		argc--;
	}
	while ((ch = getopt_long(argc, argv, "d:ho:q", longopts, NULL)) != -1) {
		for (i = 0; i < NOPTMODES; i++)
			if (optmodes[i].opt == ch)
				seen[i] = 1;
		switch (ch) {
		case 'd':		o.delim = cx_opt_delim(optarg, "--delimiter"); break;
		case 'h':		usage(CX_EXIT_OK);
		case 'o':		o.out = optarg; break;
		case 'q':		o.quiet = 1; break;
		case OPT_CAL_END:	o.cal_end = opt_date(optarg, "--calibration-end"); o.has_cal_end = 1; break;
		case OPT_COHORT:	o.cohort = cx_opt_double(optarg, "--cohort", 0, 1e6); break;
		case OPT_COL:
			if (o.nrename == CLV_MAXRENAME)
				cx_errx(CX_EXIT_USAGE, "--col: more than %d renames", CLV_MAXRENAME);
			{
				const char *why = cx_rename_parse(optarg, &o.rename[o.nrename]);

				if (why)
					cx_errx(CX_EXIT_USAGE, "--col: \"%s\" %s", optarg, why);
			}
			o.nrename++;
			break;
		case OPT_DISCOUNT:	o.discount = cx_opt_double(optarg, "--discount", 0, 10); break;
		case OPT_GLANCE:	o.glance = optarg; break;
		case OPT_HOLD_END:	o.hold_end = opt_date(optarg, "--holdout-end"); o.has_hold_end = 1; break;
		case OPT_HOLDOUT:	o.holdout = cx_opt_double(optarg, "--holdout", 0, 1e6); break;
		case OPT_HORIZON:	o.horizon = cx_opt_double(optarg, "--horizon", 0, 1e6); break;
		case OPT_LEVEL:		o.level = cx_opt_double(optarg, "--level", 0.5, 0.9999); break;
		case OPT_MARGIN:	o.margin = cx_opt_double(optarg, "--margin", 0, 1e9); break;
		case OPT_MAX_ITER:	o.max_iter = (int)cx_opt_llong(optarg, "--max-iter", 1, 100000); break;
		case OPT_X_GRADIENT:	o.x_gradient = optarg; break;
		case OPT_MAX_X:		o.max_x = (int)cx_opt_llong(optarg, "--max-x", 1, 1000); break;
		case OPT_MODEL:		o.model_file = optarg; break;
		case OPT_N:		o.ncust = (long)cx_opt_llong(optarg, "--n", 1, 1000000000); break;
		case OPT_PARAMS:	o.params = optarg; break;
		case OPT_PARTIAL:	o.partial = 1; break;
		case OPT_PLOT:		o.plot = optarg; break;
		case OPT_REJECTS:	o.rejects = optarg; break;
		case OPT_SEED:		o.seed = (unsigned long)cx_opt_llong(optarg, "--seed", 0, 4294967295LL); break;
		case OPT_SPEND:		o.spend_params = optarg; o.spend = 1; break;
		case OPT_T:		o.T = cx_opt_double(optarg, "--T", 1e-9, 1e6); break;
		case OPT_THREADS:	o.threads = (size_t)cx_opt_llong(optarg, "--threads", 1, 64); break;
		case OPT_TIME_FORMAT:	o.time_format = optarg; break;
		case OPT_TRACKING:	o.tracking = optarg; break;
		case OPT_UNIT:
			if (strcmp(optarg, "day") == 0)
				o.unit = 1;
			else if (strcmp(optarg, "week") == 0)
				o.unit = 7;
			else if (strcmp(optarg, "month") == 0)
				o.unit = 365.25 / 12;
			else
				cx_errx(CX_EXIT_USAGE, "--unit: \"%s\" is not day, week or month", optarg);
			o.unit_name = optarg;
			break;
		case OPT_VERSION:	cx_version(); exit(CX_EXIT_OK);
		default:		usage(CX_EXIT_USAGE);
		}
	}
	argv += optind;
	argc -= optind;

	/* every cross-option check lives here */
	if (mode == NULL) {
		cx_warnx("no mode given");
		usage(CX_EXIT_USAGE);
	}
	for (i = 0; i < NOPTMODES; i++)
		if (seen[i] && !(optmodes[i].modes & mode->bit))
			cx_errx(CX_EXIT_USAGE, "%s: not an option of %s", optmodes[i].name, mode->name);
	if (mode->bit == M_FIT) {
		if (o.model_file && (o.model = clv_model_find(o.model_file)) == NULL)
			cx_errx(CX_EXIT_USAGE, "--model: \"%s\" is not bgnbd, mbgnbd, pnbd or bgbb",
			    o.model_file);
		if (o.model->spend)
			cx_errx(CX_EXIT_USAGE, "--model: use --spend gamma-gamma for the spend model");
		if (o.spend && strcmp(o.spend_params, "gamma-gamma") != 0)
			cx_errx(CX_EXIT_USAGE, "--spend: \"%s\" is not gamma-gamma", o.spend_params);
		if (o.spend && o.model->discrete)
			cx_errx(CX_EXIT_USAGE, "--spend: not with the discrete-time bgbb model");
	}
	if ((mode->bit & (M_SCORE | M_VALIDATE)) && o.model_file == NULL)
		cx_errx(CX_EXIT_USAGE, "%s needs --model FILE (written by cx-clv fit)", mode->name);
	if (mode->bit == M_SIMULATE) {
		if (o.model_file == NULL || o.params == NULL) {
			if (o.model_file == NULL || clv_model_find(o.model_file) != NULL)
				cx_errx(CX_EXIT_USAGE, "simulate needs --model NAME --params k=v,... or --model FILE");
		}
		if (argc > 0)
			cx_errx(CX_EXIT_USAGE, "simulate reads no input files");
	}
	if (o.rejects && strcmp(o.rejects, "-") == 0 && (o.out == NULL || strcmp(o.out, "-") == 0))
		cx_errx(CX_EXIT_USAGE, "--rejects -: standard output already has the result; use -o FILE");
	if (o.has_cal_end && o.has_hold_end && o.hold_end <= o.cal_end)
		cx_errx(CX_EXIT_USAGE, "--holdout-end must be after --calibration-end");
	if (mode->bit == M_VALIDATE && !o.has_cal_end)
		cx_errx(CX_EXIT_USAGE, "validate needs --calibration-end DATE");
	if (o.partial && (o.has_hold_end || o.has_cal_end))
		cx_errx(CX_EXIT_USAGE, "--partial: the periods are chosen at merge time; drop --calibration-end/--holdout-end");
	return mode->run(&o, argv, (size_t)argc);
}

const struct clv_model *
clv_model_find(const char *name)
{
	static const struct clv_model *const all[] = { &clv_bgnbd, &clv_mbgnbd, &clv_pnbd,
		&clv_bgbb, &clv_ggamma };
	size_t i;

	for (i = 0; i < sizeof all / sizeof all[0]; i++)
		if (strcmp(name, all[i]->name) == 0)
			return all[i];
	return NULL;
}
