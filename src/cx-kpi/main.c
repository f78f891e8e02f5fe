/*
 * cx-kpi: contact-centre KPIs from call-detail records (summary, merge),
 * Erlang B/C/A staffing (erlang) and model-against-actual (plan).
 * This file: options, their checks, and the dispatch to the modes.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvpar.h"
#include "cxerr.h"
#include "csvin.h"
#include "parse.h"
#include "period.h"
#include "kpi.h"

const char *const sl_formula_names[SL_NFORMULAS] = {
	"with-abandoned", "answered-only", "offered",
	"ignore-abandoned", "with-short-abandons", "ignore-short-abandons",
};

enum {
	OPT_AGENTS = CHAR_MAX + 1, OPT_AHT, OPT_ATTRIBUTE, OPT_BY, OPT_CALLS,
	OPT_CALLS_COL, OPT_COL, OPT_FRACTIONAL, OPT_ID, OPT_INTERVAL, OPT_MAX_ABANDON,
	OPT_MAX_ASA, OPT_MAX_BLOCKING, OPT_MAX_OCCUPANCY, OPT_MODEL, OPT_PARTIAL,
	OPT_PATIENCE, OPT_PERIOD, OPT_REJECTS, OPT_REPEAT_WINDOW, OPT_SHORT_ABANDON,
	OPT_SHRINKAGE, OPT_SL, OPT_SL_FORMULA, OPT_TARGET_SL, OPT_THREADS, OPT_VERSION,
	OPT_LAST
};

static const struct option longopts[] = {
	{ "agents",		required_argument,	NULL, OPT_AGENTS },
	{ "aht",		required_argument,	NULL, OPT_AHT },
	{ "attribute",		required_argument,	NULL, OPT_ATTRIBUTE },
	{ "by",			required_argument,	NULL, OPT_BY },
	{ "calls",		required_argument,	NULL, OPT_CALLS },
	{ "calls-col",		required_argument,	NULL, OPT_CALLS_COL },
	{ "col",		required_argument,	NULL, OPT_COL },
	{ "delimiter",		required_argument,	NULL, 'd' },
	{ "fractional",		no_argument,		NULL, OPT_FRACTIONAL },
	{ "help",		no_argument,		NULL, 'h' },
	{ "id",			required_argument,	NULL, OPT_ID },
	{ "interval",		required_argument,	NULL, OPT_INTERVAL },
	{ "max-abandon",	required_argument,	NULL, OPT_MAX_ABANDON },
	{ "max-asa",		required_argument,	NULL, OPT_MAX_ASA },
	{ "max-blocking",	required_argument,	NULL, OPT_MAX_BLOCKING },
	{ "max-occupancy",	required_argument,	NULL, OPT_MAX_OCCUPANCY },
	{ "model",		required_argument,	NULL, OPT_MODEL },
	{ "output",		required_argument,	NULL, 'o' },
	{ "partial",		no_argument,		NULL, OPT_PARTIAL },
	{ "patience",		required_argument,	NULL, OPT_PATIENCE },
	{ "period",		required_argument,	NULL, OPT_PERIOD },
	{ "quiet",		no_argument,		NULL, 'q' },
	{ "rejects",		required_argument,	NULL, OPT_REJECTS },
	{ "repeat-window",	required_argument,	NULL, OPT_REPEAT_WINDOW },
	{ "short-abandon",	required_argument,	NULL, OPT_SHORT_ABANDON },
	{ "shrinkage",		required_argument,	NULL, OPT_SHRINKAGE },
	{ "sl",			required_argument,	NULL, OPT_SL },
	{ "sl-formula",		required_argument,	NULL, OPT_SL_FORMULA },
	{ "target-sl",		required_argument,	NULL, OPT_TARGET_SL },
	{ "threads",		required_argument,	NULL, OPT_THREADS },
	{ "version",		no_argument,		NULL, OPT_VERSION },
	{ NULL,			0,			NULL, 0 }
};

#define S	MODE_SUMMARY
#define E	MODE_ERLANG
#define P	MODE_PLAN
#define M	MODE_MERGE
/* Which modes each long-only option applies to (checked after the loop). */
static const struct {
	int		 opt;
	int		 modes;
} applies[] = {
	{ OPT_AGENTS, E }, { OPT_AHT, E }, { OPT_ATTRIBUTE, S | P },
	{ OPT_BY, S | P }, { OPT_CALLS, E }, { OPT_CALLS_COL, E },
	{ OPT_COL, S | P | E }, { 'd', S | P | E }, { OPT_FRACTIONAL, E },
	{ OPT_ID, E }, { OPT_INTERVAL, E }, { OPT_MAX_ABANDON, E | P },
	{ OPT_MAX_ASA, E | P }, { OPT_MAX_BLOCKING, E }, { OPT_MAX_OCCUPANCY, E | P },
	{ OPT_MODEL, E | P }, { OPT_PARTIAL, S }, { OPT_PATIENCE, E },
	{ OPT_PERIOD, S | P }, { OPT_REJECTS, S | P | E },
	{ OPT_REPEAT_WINDOW, S }, { OPT_SHORT_ABANDON, S | P },
	{ OPT_SHRINKAGE, E | P }, { OPT_SL, S | E | P }, { OPT_SL_FORMULA, S | P },
	{ OPT_TARGET_SL, E | P }, { OPT_THREADS, S | P },
};
#undef S
#undef E
#undef P
#undef M

static const struct {
	const char	*name;
	enum kpi_mode	 mode;
	const char	*help;
} modes[] = {
	{ "summary",	MODE_SUMMARY,	"KPIs per --by group and --period from call records (default)" },
	{ "erlang",	MODE_ERLANG,	"Erlang B/C/A staffing for one interval or a stream of intervals" },
	{ "plan",	MODE_PLAN,	"required agents per period from call records, against the observed" },
	{ "merge",	MODE_MERGE,	"combine summary --partial files into the single-run answer" },
};

static _Noreturn void
usage(int status)
{
	if (status != CX_EXIT_OK) {
		fprintf(stderr, "usage: cx-kpi [summary|erlang|plan|merge] [OPTIONS] [FILE...]\n"
		    "Try 'cx-kpi --help' for more information.\n");
		exit(CX_EXIT_USAGE);
	}
	printf("Usage: cx-kpi [MODE] [OPTIONS] [FILE...]\n"
	    "Contact-centre KPIs from canonical call records, and Erlang staffing.\n\nModes:\n");
	for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
		printf("  %-9s %s\n", modes[i].name, modes[i].help);
	printf("\nsummary and plan:\n"
	    "  --by COL[,COL]         one row per group (e.g. queue,agent_id)\n"
	    "  --period P             " CX_PERIOD_NAMES "\n"
	    "  --sl T[,T...]          service-level thresholds in seconds (default 20)\n"
	    "  --sl-formula F         with-abandoned|answered-only|offered|ignore-abandoned|\n"
	    "                         with-short-abandons|ignore-short-abandons\n"
	    "                         (default ignore-abandoned)\n"
	    "  --short-abandon S      abandons after a wait <= S s are short (default 5)\n"
	    "  --attribute A          arrival (default) or event (answer/abandon time)\n"
	    "  --repeat-window W      repeat contacts within W (24h, 7d); needs time order\n"
	    "  --partial              write mergeable sufficient statistics (summary)\n"
	    "  --threads N            read a large file on N threads (default: the\n"
	    "                         processors, at most 8; 1 reads it in one pass)\n"
	    "erlang and plan:\n"
	    "  --model b|c|a          Erlang B, C (default) or A (default with --patience)\n"
	    "  --calls N --interval D --aht S   one interval (D: 15min, 30min, 900s)\n"
	    "  --patience S           mean patience in seconds (Erlang A)\n"
	    "  --target-sl X          service level to reach at --sl T (default 0.8)\n"
	    "  --max-asa S, --max-occupancy X, --max-abandon X, --max-blocking X\n"
	    "  --shrinkage X          heads = agents / (1 - X) (default 0)\n"
	    "  --agents N             evaluate N agents instead of searching\n"
	    "  --fractional           fractional agents (continuous Erlang B or C)\n"
	    "  --calls-col C, --id COL[,COL]   columns of an interval stream\n"
	    "common:\n"
	    "  -o, --output FILE      write the result to FILE (whole or not at all)\n"
	    "  -d, --delimiter C      input delimiter (default ,)\n"
	    "  --col CANON=ACTUAL     read column ACTUAL as CANON\n"
	    "  --rejects FILE         bad rows go to FILE instead of stopping\n"
	    "  -q, --quiet            no progress or counts on stderr\n"
	    "  -h, --help, --version\n\n"
	    "Examples:\n"
	    "  cx-ingest --schema calls cdr.csv | cx-kpi --by queue --period week --sl 20,30\n"
	    "  cx-kpi erlang --calls 100 --interval 30min --aht 180 --shrinkage 0.3\n"
	    "  cx-kpi erlang --interval 5min --aht 240 --id day,interval_start \\\n"
	    "      bank_calls_5min.csv\n\n"
	    "See cx-kpi(1).\n");
	exit(CX_EXIT_OK);
}

/* Split a comma list in place (arg is kept by the caller). */
static char **
split_list(char *arg, size_t *n, const char *option)
{
	char **v = NULL, *p;
	size_t k = 0;

	for (p = strtok(arg, ","); p; p = strtok(NULL, ",")) {
		v = cx_xrealloc(v, (k + 1) * sizeof *v);
		v[k++] = p;
	}
	if (k == 0)
		cx_errx(CX_EXIT_USAGE, "%s: needs at least one column name", option);
	*n = k;
	return v;
}

static double
opt_duration(const char *arg, const char *option)
{
	double s;

	if (cx_period_parse_duration(arg, &s) != NULL)
		cx_errx(CX_EXIT_USAGE, "%s: \"%s\" is not a duration (e.g. 30min, 1h, 900s)",
		    option, arg);
	return s;
}

int
main(int argc, char *argv[])
{
	static struct kpi_opts o = {
		.short_abandon = 5, .nsl = 0, .formula = SL_IGNORE_ABANDONED,
		.model = MODEL_C, .calls = -1, .aht = -1, .interval = -1,
		.patience = -1, .target_sl = 0.8, .max_asa = -1, .max_occupancy = -1,
		.max_abandon = -1, .max_blocking = -1, .shrinkage = 0, .agents = -1,
	};
	char seen[OPT_LAST] = { 0 };
	const char *out = NULL, *why;
	char **files;
	size_t nfiles;
	int ch, rc;

	cx_setprogname(argv[0]);
	o.mode = MODE_SUMMARY;
	if (argc > 1 && argv[1][0] != '-') {
		for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++)
			if (strcmp(argv[1], modes[i].name) == 0) {
				o.mode = modes[i].mode;
				argv++;
				argc--;
				break;
			}
	}
	while ((ch = getopt_long(argc, argv, "d:ho:q", longopts, NULL)) != -1) {
		if (ch > 0 && ch < OPT_LAST)
			seen[ch] = 1;
		switch (ch) {
		case 'd':	o.delim = cx_opt_delim(optarg, "--delimiter"); break;
		case 'h':	usage(CX_EXIT_OK);
		case 'o':	out = optarg; break;
		case 'q':	o.quiet = 1; break;
		case OPT_AGENTS:
			o.agents = cx_opt_llong(optarg, "--agents", 0, 1000000);
			break;
		case OPT_AHT:	o.aht = cx_opt_double(optarg, "--aht", 1e-9, 1e9); break;
		case OPT_ATTRIBUTE:
			if (strcmp(optarg, "arrival") == 0)
				o.attribute_event = 0;
			else if (strcmp(optarg, "event") == 0)
				o.attribute_event = 1;
			else
				cx_errx(CX_EXIT_USAGE, "--attribute: \"%s\" is not arrival or event",
				    optarg);
			break;
		case OPT_BY:	o.by = split_list(optarg, &o.nby, "--by"); break;
		case OPT_CALLS:	o.calls = cx_opt_double(optarg, "--calls", 0, 1e12); break;
		case OPT_CALLS_COL: o.calls_col = optarg; break;
		case OPT_COL:
			o.renames = cx_xrealloc(o.renames, (o.nrenames + 1) * sizeof *o.renames);
			if ((why = cx_rename_parse(optarg, &o.renames[o.nrenames])) != NULL)
				cx_errx(CX_EXIT_USAGE, "--col: \"%s\" %s", optarg, why);
			o.nrenames++;
			break;
		case OPT_FRACTIONAL: o.fractional = 1; break;
		case OPT_ID:	o.id = split_list(optarg, &o.nid, "--id"); break;
		case OPT_INTERVAL: o.interval = opt_duration(optarg, "--interval"); break;
		case OPT_MAX_ABANDON:
			o.max_abandon = cx_opt_double(optarg, "--max-abandon", 0, 1);
			break;
		case OPT_MAX_ASA: o.max_asa = cx_opt_double(optarg, "--max-asa", 0, 1e9); break;
		case OPT_MAX_BLOCKING:
			o.max_blocking = cx_opt_double(optarg, "--max-blocking", 1e-12, 1);
			break;
		case OPT_MAX_OCCUPANCY:
			o.max_occupancy = cx_opt_double(optarg, "--max-occupancy", 1e-9, 1);
			break;
		case OPT_MODEL:
			o.model_set = 1;
			if (strcmp(optarg, "b") == 0 || strcmp(optarg, "erlang-b") == 0)
				o.model = MODEL_B;
			else if (strcmp(optarg, "c") == 0 || strcmp(optarg, "erlang-c") == 0)
				o.model = MODEL_C;
			else if (strcmp(optarg, "a") == 0 || strcmp(optarg, "erlang-a") == 0)
				o.model = MODEL_A;
			else
				cx_errx(CX_EXIT_USAGE, "--model: \"%s\" is not b, c or a", optarg);
			break;
		case OPT_PARTIAL: o.partial = 1; break;
		case OPT_THREADS:
			o.threads = (size_t)cx_opt_llong(optarg, "--threads", 1, 64);
			break;
		case OPT_PATIENCE:
			o.patience = cx_opt_double(optarg, "--patience", 1e-9, 1e9);
			break;
		case OPT_PERIOD:
			if ((why = cx_period_parse(optarg, &o.period)) != NULL)
				cx_errx(CX_EXIT_USAGE, "--period: \"%s\" %s", optarg, why);
			break;
		case OPT_REJECTS: o.rejects = optarg; break;
		case OPT_REPEAT_WINDOW:
			o.repeat_window = opt_duration(optarg, "--repeat-window");
			break;
		case OPT_SHORT_ABANDON:
			o.short_abandon = cx_opt_double(optarg, "--short-abandon", 0, 1e9);
			break;
		case OPT_SHRINKAGE:
			o.shrinkage = cx_opt_double(optarg, "--shrinkage", 0, 0.99);
			break;
		case OPT_SL: {
			char *p;
			o.nsl = 0;
			for (p = strtok(optarg, ","); p; p = strtok(NULL, ",")) {
				if (o.nsl == KPI_MAX_SL)
					cx_errx(CX_EXIT_USAGE, "--sl: at most %d thresholds",
					    KPI_MAX_SL);
				o.sl[o.nsl] = cx_opt_double(p, "--sl", 0, 1e7);
				for (size_t k = 0; k < o.nsl; k++)
					if (o.sl[k] == o.sl[o.nsl])
						cx_errx(CX_EXIT_USAGE, "--sl: \"%s\" is given twice", p);
				o.nsl++;
			}
			if (o.nsl == 0)
				cx_errx(CX_EXIT_USAGE, "--sl: needs at least one threshold");
			break;
		}
		case OPT_SL_FORMULA: {
			size_t k;
			for (k = 0; k < SL_NFORMULAS; k++)
				if (strcmp(optarg, sl_formula_names[k]) == 0)
					break;
			if (k == SL_NFORMULAS)
				cx_errx(CX_EXIT_USAGE, "--sl-formula: \"%s\" is not one of "
				    "with-abandoned, answered-only, offered, ignore-abandoned, "
				    "with-short-abandons, ignore-short-abandons", optarg);
			o.formula = (enum sl_formula)k;
			break;
		}
		case OPT_TARGET_SL:
			o.target_sl = cx_opt_double(optarg, "--target-sl", 1e-9, 0.999999);
			break;
		case OPT_VERSION: cx_version(); exit(CX_EXIT_OK);
		default:	usage(CX_EXIT_USAGE);
		}
	}
	files = argv + optind;
	nfiles = (size_t)(argc - optind);

	/* Every cross-option check lives here. */
	for (size_t i = 0; i < sizeof applies / sizeof applies[0]; i++)
		if (seen[applies[i].opt] && !(applies[i].modes & (int)o.mode)) {
			const char *name = "-d";
			for (size_t k = 0; longopts[k].name; k++)
				if (longopts[k].val == applies[i].opt)
					name = longopts[k].name;
			for (size_t k = 0; k < sizeof modes / sizeof modes[0]; k++)
				if (modes[k].mode == o.mode)
					cx_errx(CX_EXIT_USAGE, "--%s does not apply to %s",
					    name, modes[k].name);
		}
	if (o.nby > 64)
		cx_errx(CX_EXIT_USAGE, "--by: at most 64 columns");
	if (o.nsl == 0) {
		o.sl[0] = 20;
		o.nsl = 1;
	}
	if (o.mode == MODE_PLAN && o.period == CX_PERIOD_NONE)
		cx_errx(CX_EXIT_USAGE, "plan needs --period (15min, 30min, hour or day)");
	if (o.mode == MODE_PLAN && o.period > CX_PERIOD_DAY)
		cx_errx(CX_EXIT_USAGE, "plan: --period %s is too long for a stationary model; "
		    "use 15min, 30min, hour or day", cx_period_name(o.period));
	if (o.mode == MODE_ERLANG) {
		if (!o.model_set && o.patience > 0)
			o.model = MODEL_A;
		if (o.model != MODEL_A && o.patience > 0)
			cx_errx(CX_EXIT_USAGE, "--patience applies to --model a only");
		if (o.model == MODEL_A && o.patience < 0 && o.calls >= 0)
			cx_errx(CX_EXIT_USAGE, "erlang: --model a needs --patience");
		if (o.interval < 0)
			cx_errx(CX_EXIT_USAGE, "erlang: --interval is required (e.g. --interval 30min)");
		if (o.calls >= 0 && nfiles > 0)
			cx_errx(CX_EXIT_USAGE, "erlang: --calls describes one interval; "
			    "it cannot be combined with an input file");
		if (o.calls >= 0 && o.aht < 0)
			cx_errx(CX_EXIT_USAGE, "erlang: --calls needs --aht");
		if (o.model == MODEL_B && (seen[OPT_MAX_ASA] || seen[OPT_TARGET_SL] ||
		    seen[OPT_MAX_ABANDON]))
			cx_errx(CX_EXIT_USAGE, "erlang: --model b loses calls instead of queueing "
			    "them: use --max-blocking, not service-level targets");
		if (o.model != MODEL_B && seen[OPT_MAX_BLOCKING])
			cx_errx(CX_EXIT_USAGE, "--max-blocking applies to --model b only");
		if (o.model != MODEL_A && seen[OPT_MAX_ABANDON])
			cx_errx(CX_EXIT_USAGE, "--max-abandon applies to --model a only");
		if (o.model == MODEL_B && o.max_blocking < 0)
			o.max_blocking = 0.01;
		if (o.agents >= 0 && o.fractional)
			cx_errx(CX_EXIT_USAGE, "--agents and --fractional cannot be combined");
		if (o.fractional && o.model == MODEL_A)
			cx_errx(CX_EXIT_USAGE, "--fractional applies to --model b and c (Erlang A has no continuous form here)");
	}
	if (o.mode == MODE_PLAN && o.model_set && o.model == MODEL_B)
		cx_errx(CX_EXIT_USAGE, "plan: --model b does not model waiting calls; use c or a");
	if (o.mode == MODE_MERGE && nfiles == 0)
		cx_errx(CX_EXIT_USAGE, "merge needs one or more partial files");
	if (o.threads == 0)
		o.threads = cx_csvpar_default_threads();

	switch (o.mode) {
	case MODE_SUMMARY:	rc = kpi_summary(&o, files, nfiles, out); break;
	case MODE_MERGE:	rc = kpi_merge(&o, files, nfiles, out); break;
	case MODE_PLAN:		rc = kpi_plan(&o, files, nfiles, out); break;
	default:		rc = kpi_erlang(&o, files, nfiles, out); break;
	}
	free(o.by);
	free(o.id);
	free(o.renames);
	return rc;
}
