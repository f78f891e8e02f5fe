/*
 * spectrum-dump: test helper (not installed) for tests/csv-spectrum.sh.  Reads a
 * CSV file through lib/csvin and prints every row, the header row first, one field
 * per line, C-escaped, a blank line after each record; the JSON expectations are
 * converted to the same text by tests/oracles/csv-spectrum/convert.js.
 * With -r it also writes the rows back through lib/csvout to a temporary file,
 * reads that again through csvin and requires identical fields (exit 1 if not).
 *
 * usage: spectrum-dump [-r] [-d CHAR] FILE
 * exit: 0 ok, 1 bad data or a round-trip mismatch, 2 usage, 3 system error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvin.h"
#include "csvout.h"
#include "cxerr.h"

/* One row copied out of the reader (its strings are only borrowed). */
struct row {
	size_t	  n;
	char	**f;
	size_t	 *len;
};

struct rows {
	struct row	*v;
	size_t		 n, cap;
};

static void
usage(void)
{
	fprintf(stderr, "usage: spectrum-dump [-r] [-d CHAR] FILE\n");
	exit(CX_EXIT_USAGE);
}

static void
dump_field(FILE *fp, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '\n':	fputs("\\n", fp); break;
		case '\r':	fputs("\\r", fp); break;
		case '\t':	fputs("\\t", fp); break;
		case '\\':	fputs("\\\\", fp); break;
		case '"':	fputs("\\\"", fp); break;
		default:
			if (c < 0x20 || c == 0x7f)
				fprintf(fp, "\\%03o", c);
			else
				fputc(c, fp);
		}
	}
	fputc('\n', fp);
}

static void
rows_add(struct rows *rs, char *const *f, const size_t *len, size_t n)
{
	struct row *r;
	size_t i;

	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? 2 * rs->cap : 16;
		rs->v = cx_xrealloc(rs->v, rs->cap * sizeof(*rs->v));
	}
	r = &rs->v[rs->n++];
	r->n = n;
	r->f = cx_xcalloc(n, sizeof(*r->f));
	r->len = cx_xcalloc(n, sizeof(*r->len));
	for (i = 0; i < n; i++) {
		r->f[i] = cx_xmalloc(len[i] + 1);
		memcpy(r->f[i], f[i], len[i]);
		r->f[i][len[i]] = '\0';
		r->len[i] = len[i];
	}
}

static void
rows_free(struct rows *rs)
{
	size_t i, j;

	for (i = 0; i < rs->n; i++) {
		for (j = 0; j < rs->v[i].n; j++)
			free(rs->v[i].f[j]);
		free(rs->v[i].f);
		free(rs->v[i].len);
	}
	free(rs->v);
	rs->v = NULL;
	rs->n = rs->cap = 0;
}

/*
 * Read path fully into rs (header names as row 0).  Returns 0 or the CX_E*
 * code; the message is copied to msg.
 */
static int
read_all(const char *path, int delim, struct rows *rs, char *msg, size_t msgsz)
{
	struct cx_csvin_opts o;
	struct cx_csvin *in;
	struct cx_record rec;
	char *paths[1];
	char **names;
	size_t *lens, i, n;
	int rc;

	memset(&o, 0, sizeof(o));
	o.delim = delim;
	if ((in = cx_csvin_new(&o)) == NULL)
		cx_errx(CX_EXIT_SYSTEM, "out of memory");
	paths[0] = (char *)path;
	if ((rc = cx_csvin_open(in, paths, 1)) == 0) {
		n = cx_csvin_ncols(in);
		names = cx_xcalloc(n, sizeof(*names));
		lens = cx_xcalloc(n, sizeof(*lens));
		for (i = 0; i < n; i++) {
			names[i] = (char *)cx_csvin_colname(in, i);
			lens[i] = strlen(names[i]);
		}
		rows_add(rs, names, lens, n);
		free(names);
		free(lens);
		while ((rc = cx_csvin_next(in, &rec)) == 1)
			rows_add(rs, rec.field, rec.len, rec.nfield);
	}
	if (rc < 0)
		snprintf(msg, msgsz, "%s", cx_csvin_error(in) ? cx_csvin_error(in) : "?");
	cx_csvin_free(in);
	return rc < 0 ? rc : 0;
}

static void
dump_rows(const struct rows *rs)
{
	size_t i, j;

	for (i = 0; i < rs->n; i++) {
		for (j = 0; j < rs->v[i].n; j++)
			dump_field(stdout, rs->v[i].f[j], rs->v[i].len[j]);
		putchar('\n');
	}
}

/* Write rs through csvout to a temporary file, read it back, compare. */
static int
round_trip(const struct rows *rs, int delim)
{
	struct rows back = { NULL, 0, 0 };
	struct cx_csvout *out;
	char tmp[4096], msg[1024];
	const char *dir;
	FILE *fp;
	size_t i, j;
	int fd, rc, bad = 0;

	dir = getenv("TMPDIR");
	snprintf(tmp, sizeof(tmp), "%s/spectrum-dump.XXXXXX", dir && *dir ? dir : "/tmp");
	if ((fd = mkstemp(tmp)) == -1 || (fp = fdopen(fd, "w")) == NULL)
		cx_err(CX_EXIT_SYSTEM, "%s", tmp);
	if ((out = cx_csvout_new(fp, delim)) == NULL)
		cx_errx(CX_EXIT_SYSTEM, "out of memory");
	for (i = 0; i < rs->n; i++) {
		for (j = 0; j < rs->v[i].n; j++)
			cx_csvout_field(out, rs->v[i].f[j], rs->v[i].len[j]);
		cx_csvout_endrow(out);
	}
	if (cx_csvout_flush(out) != 0 || fclose(fp) != 0)
		cx_err(CX_EXIT_SYSTEM, "%s", tmp);
	cx_csvout_free(out);

	rc = read_all(tmp, delim, &back, msg, sizeof(msg));
	if (rc < 0) {
		fprintf(stderr, "spectrum-dump: round trip: reading back: %s\n", msg);
		bad = 1;
	} else if (back.n != rs->n) {
		fprintf(stderr, "spectrum-dump: round trip: %zu rows written, %zu read back\n",
		    rs->n, back.n);
		bad = 1;
	}
	for (i = 0; !bad && i < rs->n; i++) {
		if (back.v[i].n != rs->v[i].n) {
			fprintf(stderr, "spectrum-dump: round trip: row %zu: %zu fields written, %zu read back\n",
			    i + 1, rs->v[i].n, back.v[i].n);
			bad = 1;
		}
		for (j = 0; !bad && j < rs->v[i].n; j++)
			if (back.v[i].len[j] != rs->v[i].len[j] ||
			    memcmp(back.v[i].f[j], rs->v[i].f[j], rs->v[i].len[j]) != 0) {
				fprintf(stderr, "spectrum-dump: round trip: row %zu field %zu differs\n",
				    i + 1, j + 1);
				bad = 1;
			}
	}
	if (bad)
		fprintf(stderr, "spectrum-dump: round trip file kept: %s\n", tmp);
	else
		unlink(tmp);
	rows_free(&back);
	return bad;
}

int
main(int argc, char *argv[])
{
	struct rows rs = { NULL, 0, 0 };
	char msg[1024];
	int ch, delim = 0, rt = 0, rc;

	cx_setprogname(argv[0]);
	while ((ch = getopt(argc, argv, "d:r")) != -1) {
		switch (ch) {
		case 'd':	delim = (unsigned char)optarg[0]; break;
		case 'r':	rt = 1; break;
		default:	usage();
		}
	}
	if (argc - optind != 1)
		usage();
	rc = read_all(argv[optind], delim, &rs, msg, sizeof(msg));
	/* Rows read before an error are printed too, so a test pins where it stopped. */
	dump_rows(&rs);
	if (fflush(stdout) != 0 || ferror(stdout))
		cx_err(CX_EXIT_SYSTEM, "stdout");
	if (rc < 0) {
		fprintf(stderr, "spectrum-dump: %s\n", msg);
		rows_free(&rs);
		return cx_exit_status(rc);
	}
	if (rt && round_trip(&rs, delim))
		rc = 1;
	rows_free(&rs);
	return rc;
}
