/*
 * cx-ingest: exported call records, orders, surveys and moment ratings into the
 * canonical CSV schemas of DESIGN.md.  Every row is written or rejected with a
 * reason that names the column; counts reconcile on stderr.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvin.h"
#include "csvout.h"
#include "cxerr.h"
#include "cxtime.h"
#include "hashmap.h"
#include "outfile.h"
#include "parse.h"
#include "progress.h"
#include "rejects.h"

/* What a canonical column holds, and so how it is checked and written. */
enum ftype {
	F_TEXT,		/* copied as is */
	F_TIME,		/* ISO 8601 UTC out */
	F_DATE,		/* YYYY-MM-DD out */
	F_DURATION,	/* seconds >= 0; mm:ss and hh:mm:ss accepted */
	F_COUNT,	/* integer >= 0 */
	F_FLAG,		/* 0/1; yes/no, true/false, y/n accepted */
	F_NUMBER,	/* any finite number */
	F_NONNEG,	/* number >= 0 */
	F_NPS,		/* integer 0..10 */
	F_CSAT,		/* integer 1..5 */
	F_CES		/* integer 1..7 */
};

struct colspec {
	const char	*name;
	enum ftype	 type;
	int		 column_required;	/* must be in the header */
	int		 value_required;	/* must not be empty */
};

struct schema {
	const char		*name;
	const struct colspec	*cols;
	size_t			 ncols;
	const char		*dedupe_key;	/* NULL: identical rows */
	const char		*help;
};

static const struct colspec calls_cols[] = {
	{ "call_id",	 F_TEXT,     1, 1 },
	{ "customer_id", F_TEXT,     1, 0 },	/* empty = unidentified caller */
	{ "start",	 F_TIME,     1, 1 },
	{ "channel",	 F_TEXT,     0, 0 },
	{ "queue",	 F_TEXT,     0, 0 },
	{ "agent_id",	 F_TEXT,     0, 0 },
	{ "wait_s",	 F_DURATION, 0, 0 },
	{ "talk_s",	 F_DURATION, 0, 0 },
	{ "hold_s",	 F_DURATION, 0, 0 },
	{ "wrap_s",	 F_DURATION, 0, 0 },
	{ "transfers",	 F_COUNT,    0, 0 },
	{ "abandoned",	 F_FLAG,     0, 0 },
	{ "resolved",	 F_FLAG,     0, 0 },
};
static const struct colspec orders_cols[] = {
	{ "customer_id", F_TEXT,   1, 1 },
	{ "date",	 F_DATE,   1, 1 },
	{ "amount",	 F_NUMBER, 1, 1 },
	{ "order_id",	 F_TEXT,   0, 0 },
};
static const struct colspec surveys_cols[] = {
	{ "customer_id", F_TEXT, 1, 1 },
	{ "date",	 F_DATE, 1, 1 },
	{ "call_id",	 F_TEXT, 0, 0 },
	{ "nps",	 F_NPS,  0, 0 },
	{ "csat",	 F_CSAT, 0, 0 },
	{ "ces",	 F_CES,  0, 0 },
};
static const struct colspec moments_cols[] = {
	{ "interaction_id", F_TEXT,   1, 1 },
	{ "t",		    F_NONNEG, 1, 1 },
	{ "score",	    F_NUMBER, 1, 1 },
};

#define NCOLS(a)	(sizeof (a) / sizeof (a)[0])
static const struct schema schemas[] = {
	{ "calls",   calls_cols,   NCOLS(calls_cols),   "call_id", "one row per contact" },
	{ "orders",  orders_cols,  NCOLS(orders_cols),  NULL,      "one row per purchase" },
	{ "surveys", surveys_cols, NCOLS(surveys_cols), NULL,      "one row per survey response" },
	{ "moments", moments_cols, NCOLS(moments_cols), NULL,      "one row per moment of an interaction" },
};
#define MAXCOLS	16	/* at least the widest schema */

enum {
	OPT_COL = CHAR_MAX + 1, OPT_COLUMNS, OPT_DEDUPE, OPT_NO_HEADER, OPT_REJECTS,
	OPT_SCHEMA, OPT_TIME_FORMAT, OPT_TZ, OPT_VERSION, OPT_WS
};
static const struct option longopts[] = {
	{ "col",		required_argument,	NULL, OPT_COL },
	{ "columns",		required_argument,	NULL, OPT_COLUMNS },
	{ "dedupe",		no_argument,		NULL, OPT_DEDUPE },
	{ "delimiter",		required_argument,	NULL, 'd' },
	{ "help",		no_argument,		NULL, 'h' },
	{ "no-header",		no_argument,		NULL, OPT_NO_HEADER },
	{ "output",		required_argument,	NULL, 'o' },
	{ "quiet",		no_argument,		NULL, 'q' },
	{ "rejects",		required_argument,	NULL, OPT_REJECTS },
	{ "schema",		required_argument,	NULL, OPT_SCHEMA },
	{ "time-format",	required_argument,	NULL, OPT_TIME_FORMAT },
	{ "tz",			required_argument,	NULL, OPT_TZ },
	{ "version",		no_argument,		NULL, OPT_VERSION },
	{ "ws",			no_argument,		NULL, OPT_WS },
	{ NULL,			0,			NULL, 0 }
};

struct ingest_opts {
	const struct schema	*schema;
	struct cx_csvin_opts	 in;
	struct cx_rename	*renames;
	const char		*output;
	const char		*rejects;
	const char		*time_format;
	const char		*tz;
	int			 dedupe;
	int			 quiet;
};

/* Per-run state: the column map and the scratch text of one normalised row. */
struct ingest {
	const struct ingest_opts *o;
	struct cx_csvin		*in;
	struct cx_csvout	*out;
	struct cx_timefmt	 tf;
	struct cx_hashmap	*seen;		/* --dedupe: key -> first line */
	int			 src[MAXCOLS];	/* input index of each canonical column */
	size_t			*extras;	/* input indexes of the other columns */
	size_t			 nextras;
	size_t			 ninput;
	int			 key_col;	/* canonical index of the dedupe key, or -1 */
	const char		*text[MAXCOLS];	/* what to write per canonical column */
	size_t			 tlen[MAXCOLS];
	char			 scratch[MAXCOLS][CX_TIME_BUFSZ];
	char			*keybuf;	/* whole-row dedupe key */
	size_t			 keycap;
	char			 reason[512];
};

static _Noreturn void
usage(int status)
{
	size_t i;

	if (status != CX_EXIT_OK) {
		fprintf(stderr, "usage: cx-ingest --schema calls|orders|surveys|moments [OPTIONS] [FILE...]\n"
		    "Try 'cx-ingest --help' for more information.\n");
		exit(status);
	}
	printf("usage: cx-ingest --schema SCHEMA [OPTIONS] [FILE...]\n"
	    "Turn exported records into cxkit's canonical CSV. FILEs (default stdin, plain\n"
	    "or gzip) are read in order as one stream; bad rows stop the run, or go to\n"
	    "--rejects with the line and the reason.\n\nSchemas:\n");
	for (i = 0; i < NCOLS(schemas); i++)
		printf("  %-9s %s\n", schemas[i].name, schemas[i].help);
	printf("\nOptions:\n"
	    "  --schema NAME        the canonical schema to write (required)\n"
	    "  --col CANON=ACTUAL   read canonical column CANON from input column ACTUAL\n"
	    "  -d, --delimiter C    input field delimiter (default ,; 'tab' for tabs)\n"
	    "  --ws                 fields separated by runs of blanks (fixed-width text)\n"
	    "  --no-header          the input has no header row; name columns with --columns\n"
	    "  --columns A,B,C      column names for --no-header input\n"
	    "  --time-format FMT    strptime format of times and dates (default ISO 8601)\n"
	    "  --tz ZONE            times without an offset are local to ZONE (IANA name)\n"
	    "  --dedupe             reject repeated call_id (calls) or identical rows\n"
	    "  --rejects FILE       write bad rows there (with line,reason) and go on\n"
	    "  -o, --output FILE    write here (appears whole or not at all)\n"
	    "  -q, --quiet          no progress and no counts on stderr\n"
	    "  -h, --help           this help;   --version  the version\n"
	    "\nExamples:\n"
	    "  zcat calls.csv.gz | cx-ingest --schema calls --rejects bad.csv > calls.csv\n"
	    "  cx-ingest --schema orders --ws --time-format %%Y%%m%%d \\\n"
	    "      --col amount=dollar_value CDNOW_master.txt > orders.csv\n"
	    "  cx-ingest --schema calls -d ';' --time-format '%%d/%%m/%%Y %%H:%%M' \\\n"
	    "      --tz Europe/Paris --col start=Date --col call_id=Id export.csv\n"
	    "\nSee cx-ingest(1).\n");
	exit(CX_EXIT_OK);
}

static const struct schema *
find_schema(const char *name)
{
	size_t i;

	for (i = 0; i < NCOLS(schemas); i++)
		if (strcmp(schemas[i].name, name) == 0)
			return &schemas[i];
	cx_warnx("--schema: \"%s\" is not a schema (calls, orders, surveys, moments)", name);
	usage(CX_EXIT_USAGE);
}

static void
warn_cb(void *ctx, const char *msg)
{
	(void)ctx;
	cx_warnx("%s", msg);
}

/* A value for a message: quoted, shortened, on one line. */
static const char *
shown(const char *s, char *buf, size_t size)
{
	size_t i, n = 0;

	for (i = 0; s[i] != '\0' && n + 4 < size; i++)
		buf[n++] = (s[i] == '\n' || s[i] == '\r') ? ' ' : s[i];
	if (s[i] != '\0' && n >= 3) {
		buf[n - 3] = buf[n - 2] = buf[n - 1] = '.';
	}
	buf[n] = '\0';
	return buf;
}

static int
bad(struct ingest *g, const char *col, const char *value, const char *why)
{
	char v[80];

	snprintf(g->reason, sizeof g->reason, "%s: \"%s\" %s", col, shown(value, v, sizeof v), why);
	return -1;
}

/* Check one field and set what to write for it.  0, or -1 with g->reason. */
static int
check_field(struct ingest *g, size_t k, const struct colspec *c, char *s, size_t len)
{
	const char *why = NULL;
	char *buf = g->scratch[k];
	double d;
	long long n;
	int64_t ms;
	int32_t days;
	int plain = 0, flag;

	g->text[k] = s;
	g->tlen[k] = len;
	if (len == 0) {
		if (c->value_required) {
			snprintf(g->reason, sizeof g->reason, "%s: required field is empty", c->name);
			return -1;
		}
		return 0;
	}
	switch (c->type) {
	case F_TEXT:
		return 0;
	case F_TIME:
		if ((why = cx_timefmt_time(&g->tf, s, &ms)) != NULL)
			return bad(g, c->name, s, why);
		/* already "YYYY-MM-DDTHH:MM:SSZ": keep the bytes, skip formatting */
		if (!(len == 20 && s[10] == 'T' && s[19] == 'Z' && g->tf.format == NULL)) {
			g->tlen[k] = (size_t)cx_format_time(ms, buf);
			g->text[k] = buf;
		}
		return 0;
	case F_DATE:
		if ((why = cx_timefmt_date(&g->tf, s, &days)) != NULL)
			return bad(g, c->name, s, why);
		g->tlen[k] = (size_t)cx_format_date(days, buf);
		g->text[k] = buf;
		return 0;
	case F_DURATION:
		/* plain seconds are the common case; clock forms go the long way */
		if (cx_parse_decimal(s, &d, &plain) != NULL) {
			if ((why = cx_parse_duration(s, &d)) != NULL)
				return bad(g, c->name, s, why);
			plain = 0;
		}
		if (d < 0)
			return bad(g, c->name, s, "is negative");
		break;
	case F_COUNT:
		if ((why = cx_parse_llong(s, &n)) != NULL)
			return bad(g, c->name, s, why);
		if (n < 0)
			return bad(g, c->name, s, "is negative");
		if (s[0] == '+' || (s[0] == '0' && len > 1) || s[0] == '-') {
			g->tlen[k] = (size_t)snprintf(buf, CX_TIME_BUFSZ, "%lld", n);
			g->text[k] = buf;
		}
		return 0;
	case F_FLAG:
		if ((why = cx_parse_flag(s, 1, &flag)) != NULL)
			return bad(g, c->name, s, why);
		g->text[k] = flag ? "1" : "0";
		g->tlen[k] = 1;
		return 0;
	case F_NUMBER:
	case F_NONNEG:
		if ((why = cx_parse_decimal(s, &d, &plain)) != NULL)
			return bad(g, c->name, s, why);
		if (c->type == F_NONNEG && d < 0)
			return bad(g, c->name, s, "is negative");
		break;
	case F_NPS:
	case F_CSAT:
	case F_CES: {
		static const int lo[] = { 0, 1, 1 }, hi[] = { 10, 5, 7 };
		int r = c->type - F_NPS;

		if ((why = cx_parse_llong(s, &n)) != NULL)
			return bad(g, c->name, s, why);
		if (n < lo[r] || n > hi[r]) {
			char range[32];

			snprintf(range, sizeof range, "is outside %d..%d", lo[r], hi[r]);
			return bad(g, c->name, s, range);
		}
		if (len != 1 && !(len == 2 && s[0] == '1')) {	/* not already "7" or "10" */
			g->tlen[k] = (size_t)snprintf(buf, CX_TIME_BUFSZ, "%lld", n);
			g->text[k] = buf;
		}
		return 0;
	}
	}
	/* numbers: a plain decimal is already canonical; anything else is rewritten */
	if (!plain) {
		g->tlen[k] = (size_t)cx_format_double(d, buf);
		g->text[k] = buf;
	}
	return 0;
}

/* --dedupe: 0 if this row is new (and remembered), -1 with g->reason if not. */
static int
check_duplicate(struct ingest *g, const struct cx_record *rec)
{
	const char *key;
	size_t len, i;
	unsigned long *first;
	int isnew;

	if (g->key_col >= 0) {
		key = g->text[g->key_col];
		len = g->tlen[g->key_col];
	} else {
		/* the whole normalised row, each field length-prefixed */
		len = 0;
		for (i = 0; i < g->o->schema->ncols + g->nextras; i++) {
			const char *t = i < g->o->schema->ncols ? g->text[i] : rec->field[g->extras[i - g->o->schema->ncols]];
			size_t tl = i < g->o->schema->ncols ? g->tlen[i] : rec->len[g->extras[i - g->o->schema->ncols]];

			if (len + tl + sizeof tl > g->keycap) {
				g->keycap = (len + tl + sizeof tl) * 2;
				g->keybuf = cx_xrealloc(g->keybuf, g->keycap);
			}
			memcpy(g->keybuf + len, &tl, sizeof tl);
			memcpy(g->keybuf + len + sizeof tl, t, tl);
			len += tl + sizeof tl;
		}
		key = g->keybuf;
	}
	if ((first = cx_hashmap_put(g->seen, key, len, &isnew)) == NULL)
		cx_errx(CX_EXIT_SYSTEM, "out of memory");
	if (isnew) {
		*first = rec->line;
		return 0;
	}
	if (g->key_col >= 0) {
		char v[80];

		snprintf(g->reason, sizeof g->reason, "%s: \"%s\" repeats line %lu",
		    g->o->schema->cols[g->key_col].name, shown(key, v, sizeof v), *first);
	} else {
		snprintf(g->reason, sizeof g->reason, "row repeats line %lu", *first);
	}
	return -1;
}

/* Check a whole record; 0 if it may be written, -1 with g->reason. */
static int
check_record(struct ingest *g, const struct cx_record *rec)
{
	const struct schema *s = g->o->schema;
	size_t k;

	if (rec->nfield != g->ninput) {
		snprintf(g->reason, sizeof g->reason, "row has %zu field%s, the header has %zu",
		    rec->nfield, rec->nfield == 1 ? "" : "s", g->ninput);
		return -1;
	}
	for (k = 0; k < s->ncols; k++) {
		if (g->src[k] < 0) {
			g->text[k] = "";
			g->tlen[k] = 0;
		} else if (check_field(g, k, &s->cols[k], rec->field[g->src[k]], rec->len[g->src[k]]) != 0) {
			return -1;
		}
	}
	return g->o->dedupe ? check_duplicate(g, rec) : 0;
}

static void
write_record(struct ingest *g, const struct cx_record *rec)
{
	size_t k;

	if (rec->clean) {
		/* nothing here needs quotes: what we normalised never does, and the
		 * reader says the record's own fields do not either */
		cx_csvout_raw_fields(g->out, g->text, g->tlen, g->o->schema->ncols);
		for (k = 0; k < g->nextras; k++)
			cx_csvout_raw(g->out, rec->field[g->extras[k]], rec->len[g->extras[k]]);
	} else {
		for (k = 0; k < g->o->schema->ncols; k++)
			cx_csvout_field(g->out, g->text[k], g->tlen[k]);
		for (k = 0; k < g->nextras; k++)
			cx_csvout_field(g->out, rec->field[g->extras[k]], rec->len[g->extras[k]]);
	}
	cx_csvout_endrow(g->out);
}

/* Map canonical columns to input columns and write the output header. */
static void
map_columns(struct ingest *g)
{
	const struct schema *s = g->o->schema;
	size_t i, k;

	g->ninput = cx_csvin_ncols(g->in);
	g->key_col = -1;
	for (k = 0; k < s->ncols; k++) {
		g->src[k] = cx_csvin_column(g->in, s->cols[k].name);
		if (g->src[k] < 0 && s->cols[k].column_required)
			cx_errx(CX_EXIT_DATA, "%s: no column \"%s\", which the %s schema requires (name it with --col %s=ACTUAL)",
			    cx_csvin_path(g->in), s->cols[k].name, s->name, s->cols[k].name);
		if (s->dedupe_key && strcmp(s->cols[k].name, s->dedupe_key) == 0)
			g->key_col = (int)k;
		cx_csvout_str(g->out, s->cols[k].name);
	}
	g->extras = cx_xcalloc(g->ninput, sizeof *g->extras);
	for (i = 0; i < g->ninput; i++) {
		int mapped = 0;

		for (k = 0; !mapped && k < s->ncols; k++)
			mapped = g->src[k] == (int)i;
		if (!mapped) {
			g->extras[g->nextras++] = i;
			cx_csvout_str(g->out, cx_csvin_colname(g->in, i));
		}
	}
	cx_csvout_endrow(g->out);
}

/* Read, check, write.  Returns the exit status. */
static int
ingest_run(const struct ingest_opts *o, char **files, size_t nfiles)
{
	struct ingest g;
	struct cx_outfile out;
	struct cx_rejects rj;
	struct cx_record rec;
	struct cx_progress prog;
	unsigned long long nread = 0, nwritten = 0;
	const char *why;
	int rc;

	memset(&g, 0, sizeof g);
	g.o = o;
	if ((why = cx_timefmt_init(&g.tf, o->time_format, o->tz)) != NULL)
		cx_errx(CX_EXIT_USAGE, "--tz: \"%s\" %s", o->tz, why);
	if ((g.in = cx_csvin_new(&o->in)) == NULL)
		cx_errx(CX_EXIT_SYSTEM, "out of memory");
	if ((rc = cx_csvin_open(g.in, files, nfiles)) != 0)
		cx_errx(cx_exit_status(rc), "%s", cx_csvin_error(g.in));
	if (cx_outfile_open(&out, o->output) != 0)
		cx_err(CX_EXIT_SYSTEM, "%s", o->output);
	if ((g.out = cx_csvout_new(out.fp, ',')) == NULL)
		cx_errx(CX_EXIT_SYSTEM, "out of memory");
	if (o->rejects && cx_rejects_open(&rj, o->rejects, g.in) != 0)
		cx_err(CX_EXIT_SYSTEM, "%s", o->rejects);
	if (o->dedupe && (g.seen = cx_hashmap_new(sizeof(unsigned long))) == NULL)
		cx_errx(CX_EXIT_SYSTEM, "out of memory");
	map_columns(&g);
	cx_progress_init(&prog, o->quiet);

	while ((rc = cx_csvin_next(g.in, &rec)) == 1) {
		nread++;
		cx_progress_tick(&prog, nread, cx_csvin_bytes(g.in));
		if (check_record(&g, &rec) == 0) {
			write_record(&g, &rec);
			nwritten++;
		} else if (o->rejects) {
			cx_rejects_write(&rj, &rec, g.reason);
		} else {
			cx_progress_done(&prog);
			cx_outfile_abort(&out);
			cx_errx(CX_EXIT_DATA, "%s:%lu: %s", cx_csvin_path(g.in), rec.line, g.reason);
		}
	}
	cx_progress_done(&prog);
	if (rc < 0) {
		cx_outfile_abort(&out);
		if (o->rejects)
			cx_rejects_abort(&rj);
		cx_errx(cx_exit_status(rc), "%s", cx_csvin_error(g.in));
	}
	/* the rejects first: if they cannot be written, -o leaves no file either */
	if (o->rejects && cx_rejects_commit(&rj) != 0) {
		cx_outfile_abort(&out);
		cx_err(CX_EXIT_SYSTEM, "%s: write error", o->rejects);
	}
	if (cx_csvout_flush(g.out) != 0 || cx_outfile_commit(&out) != 0) {
		cx_outfile_abort(&out);
		cx_err(CX_EXIT_SYSTEM, "%s: write error", o->output ? o->output : "stdout");
	}
	if (!o->quiet)
		cx_warnx("read %llu rows, wrote %llu, rejected %llu", nread, nwritten, nread - nwritten);
	cx_csvout_free(g.out);
	cx_csvin_free(g.in);
	cx_hashmap_free(g.seen);
	free(g.extras);
	free(g.keybuf);
	return CX_EXIT_OK;
}

int
main(int argc, char *argv[])
{
	struct ingest_opts o;
	const char *why;
	size_t nren = 0;
	int ch;

	cx_setprogname(argv[0]);
	opterr = 0;	/* our own message, with our own program name */
	memset(&o, 0, sizeof o);
	o.renames = cx_xcalloc((size_t)argc, sizeof *o.renames);
	while ((ch = getopt_long(argc, argv, "d:ho:q", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':		o.in.delim = cx_opt_delim(optarg, "-d"); break;
		case 'h':		usage(CX_EXIT_OK);
		case 'o':		o.output = optarg; break;
		case 'q':		o.quiet = 1; break;
		case OPT_COL:
			if ((why = cx_rename_parse(optarg, &o.renames[nren])) != NULL)
				cx_errx(CX_EXIT_USAGE, "--col: \"%s\" %s", optarg, why);
			nren++;
			break;
		case OPT_COLUMNS:	o.in.columns = optarg; break;
		case OPT_DEDUPE:	o.dedupe = 1; break;
		case OPT_NO_HEADER:	o.in.no_header = 1; break;
		case OPT_REJECTS:	o.rejects = optarg; break;
		case OPT_SCHEMA:	o.schema = find_schema(optarg); break;
		case OPT_TIME_FORMAT:	o.time_format = optarg; break;
		case OPT_TZ:		o.tz = optarg; break;
		case OPT_VERSION:	cx_version(); exit(CX_EXIT_OK);
		case OPT_WS:		o.in.ws = 1; break;
		default:
			cx_warnx("%s: unknown option or missing argument", argv[optind - 1]);
			usage(CX_EXIT_USAGE);
		}
	}
	argc -= optind;
	argv += optind;

	/* every cross-option check lives here */
	if (o.schema == NULL) {
		cx_warnx("--schema is required");
		usage(CX_EXIT_USAGE);
	}
	if (o.in.ws && o.in.delim)
		cx_errx(CX_EXIT_USAGE, "--ws and -d cannot be used together");
	if (o.in.no_header && o.in.columns == NULL)
		cx_errx(CX_EXIT_USAGE, "--no-header needs --columns to name the columns");
	if (o.in.columns && !o.in.no_header)
		cx_errx(CX_EXIT_USAGE, "--columns is only for input without a header (--no-header)");
	if (o.time_format && o.time_format[0] == '\0')
		cx_errx(CX_EXIT_USAGE, "--time-format: the format is empty");
	if (o.output && o.rejects && strcmp(o.output, o.rejects) == 0 && strcmp(o.output, "-") != 0)
		cx_errx(CX_EXIT_USAGE, "-o and --rejects name the same file");
	o.in.renames = o.renames;
	o.in.nrenames = nren;
	o.in.warn = warn_cb;

	ch = ingest_run(&o, argv, (size_t)argc);
	free(o.renames);
	return ch;
}
