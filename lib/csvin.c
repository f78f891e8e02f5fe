/*
 * csvin: records from one or more files over libcsv (strict mode) and zlib.
 *
 * Bytes come from read(2); gzip is recognised by its magic bytes and inflated
 * here (not with gzread, which treats a truncated stream as a normal end of file
 * and stops at bytes it does not recognise).  The decompressed text is fed to
 * libcsv one physical line at a time, so that every record knows the line it
 * starts on; libcsv calls back with fields and record ends, which we copy into a
 * small queue that cx_csvin_next() hands out.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <csv.h>
#include <zlib.h>

#include "csvin.h"
#include "cxerr.h"

#define RAWBUF	(256 * 1024)
#define TEXTBUF	(256 * 1024)

struct queued {
	size_t		first, n;	/* fields [first, first + n) */
	unsigned long	line;
	int		clean;
};

struct cx_csvin {
	struct cx_csvin_opts opts;
	struct csv_parser csv;
	int		 csv_ready;

	/* inputs */
	char *const	*paths;
	size_t		 npaths, cur;
	int		 fd;
	const char	*name;		/* for messages */
	int		 at_eof;	/* current file fully fed, csv_fini done */
	int		 all_done;
	uint64_t	 bytes;

	/* raw bytes and gzip */
	unsigned char	*raw;
	size_t		 rawlen, rawpos;
	int		 raw_eof;
	int		 gz;		/* 1: inflating */
	int		 gz_end;	/* the last member ended cleanly */
	z_stream	 zs;
	int		 zs_ready;

	/* text: decompressed bytes being fed */
	char		*text;
	size_t		 textlen, textpos;
	int		 first_text;	/* BOM check pending */
	unsigned long	 line;		/* physical line the next record starts on */
	int		 last_term;	/* terminator of the previous callback */
	int		 quotes;	/* a '"' was seen in this file: fields may be quoted */
	int		 unclean;	/* the record being built has a field needing quotes */
	int		 ws_inquote;	/* ws mode: inside a quoted field */

	/* fields of queued records and of the record being built */
	char		*fbuf;
	size_t		 flen, fcap;
	size_t		*foff, *flens;
	size_t		 nf, nfcap;
	size_t		 cur_first;
	struct queued	*q;
	size_t		 nq, qpos, qcap;
	int		 oom;
	unsigned long	 nl_in_fields;	/* newlines inside the record's fields */

	/* delivered record */
	char		**fieldp;
	size_t		 fieldpcap;

	/* header */
	char		**names;	/* after renames */
	char		**raw_names;	/* as in the first file */
	size_t		 ncols;
	int		 header_pending;

	char		 errbuf[1024];
};

static int
fail(struct cx_csvin *r, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->errbuf, sizeof r->errbuf, fmt, ap);
	va_end(ap);
	return code;
}

static int
no_spaces(unsigned char c)
{
	(void)c;
	return 0;	/* keep blanks: libcsv trims them by default */
}

struct cx_csvin *
cx_csvin_new(const struct cx_csvin_opts *opts)
{
	struct cx_csvin *r = calloc(1, sizeof *r);

	if (r == NULL)
		return NULL;
	if (opts != NULL)
		r->opts = *opts;
	if (r->opts.delim == 0)
		r->opts.delim = ',';
	r->fd = -1;
	r->raw = malloc(RAWBUF);
	r->text = malloc(TEXTBUF);
	if (r->raw == NULL || r->text == NULL) {
		cx_csvin_free(r);
		return NULL;
	}
	return r;
}

/* libcsv callbacks: copy one field; close one record. */
static void
on_field(void *s, size_t len, void *ctx)
{
	struct cx_csvin *r = ctx;

	if (s == NULL)		/* ws mode: an empty run between blanks */
		return;
	if (r->flen + len + 1 > r->fcap) {
		size_t cap = r->fcap ? r->fcap : 4096;
		char *p;

		while (cap < r->flen + len + 1)
			cap *= 2;
		if ((p = realloc(r->fbuf, cap)) == NULL) {
			r->oom = 1;
			return;
		}
		r->fbuf = p;
		r->fcap = cap;
	}
	if (r->nf == r->nfcap) {
		size_t cap = r->nfcap ? r->nfcap * 2 : 256;
		size_t *o = realloc(r->foff, cap * sizeof *o), *l;

		if (o == NULL) {
			r->oom = 1;
			return;
		}
		r->foff = o;
		if ((l = realloc(r->flens, cap * sizeof *l)) == NULL) {
			r->oom = 1;
			return;
		}
		r->flens = l;
		r->nfcap = cap;
	}
	memcpy(r->fbuf + r->flen, s, len);
	r->fbuf[r->flen + len] = '\0';
	/* Before the first '"' of a file no field can be quoted, so none holds
	 * a newline, a quote or the delimiter; after it we look. */
	if (r->quotes) {
		const unsigned char *p = s, *e = p + len;

		for (; p < e; p++) {
			if (*p == '\n')
				r->nl_in_fields++;
			if (*p == '\n' || *p == '\r' || *p == '"' || *p == ',')
				r->unclean = 1;
		}
	}
	r->foff[r->nf] = r->flen;
	r->flens[r->nf] = len;
	r->nf++;
	r->flen += len + 1;
}

/*
 * With CSV_REPALL_NL libcsv reports every unquoted CR and LF, blank lines
 * included, so we can count physical lines while feeding whole chunks: LF ends
 * a line, so does CR unless the LF of a CRLF pair follows.
 */
static void
on_record(int c, void *ctx)
{
	struct cx_csvin *r = ctx;
	unsigned long start = r->line;
	int crlf = c == '\n' && r->last_term == '\r' && r->nf == r->cur_first;

	r->last_term = c;
	r->line += r->nl_in_fields + ((c == '\n' && !crlf) || c == '\r');
	r->nl_in_fields = 0;
	if (r->nf == r->cur_first)	/* a blank line, or blanks only in ws mode */
		return;
	if (r->nq == r->qcap) {
		size_t cap = r->qcap ? r->qcap * 2 : 16;
		struct queued *q = realloc(r->q, cap * sizeof *q);

		if (q == NULL) {
			r->oom = 1;
			return;
		}
		r->q = q;
		r->qcap = cap;
	}
	r->q[r->nq].first = r->cur_first;
	r->q[r->nq].n = r->nf - r->cur_first;
	r->q[r->nq].line = start;
	/* unquoted comma-separated fields cannot hold a comma, quote or newline */
	r->q[r->nq].clean = !r->unclean && !r->opts.ws && r->opts.delim == ',';
	r->unclean = 0;
	r->nq++;
	r->cur_first = r->nf;
}

/* Drop delivered records, keeping the fields of a record still being built. */
static void
compact(struct cx_csvin *r)
{
	size_t base = r->cur_first < r->nf ? r->foff[r->cur_first] : r->flen, i;

	if (r->cur_first > 0 || base > 0) {
		memmove(r->fbuf, r->fbuf + base, r->flen - base);
		r->flen -= base;
		for (i = r->cur_first; i < r->nf; i++) {
			r->foff[i - r->cur_first] = r->foff[i] - base;
			r->flens[i - r->cur_first] = r->flens[i];
		}
		r->nf -= r->cur_first;
		r->cur_first = 0;
	}
	r->nq = r->qpos = 0;
}

static void
close_input(struct cx_csvin *r)
{
	if (r->fd > 0)
		close(r->fd);
	r->fd = -1;
	if (r->zs_ready)
		inflateEnd(&r->zs);
	r->zs_ready = 0;
}

static int
open_input(struct cx_csvin *r)
{
	const char *path = r->npaths ? r->paths[r->cur] : NULL;

	close_input(r);
	if (path == NULL || strcmp(path, "-") == 0) {
		r->fd = 0;
		r->name = "stdin";
	} else {
		r->name = path;
		/* an input we cannot read is bad data (exit 1), as DESIGN.md says */
		if ((r->fd = open(path, O_RDONLY)) == -1)
			return fail(r, CX_EDATA, "%s: %s", path, strerror(errno));
	}
	if (r->csv_ready)
		csv_free(&r->csv);
	if (csv_init(&r->csv, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL |
	    (r->opts.ws ? CSV_EMPTY_IS_NULL : 0)) != 0)
		return fail(r, CX_ENOMEM, "out of memory");
	r->csv_ready = 1;
	csv_set_delim(&r->csv, (unsigned char)(r->opts.ws ? ' ' : r->opts.delim));
	csv_set_space_func(&r->csv, no_spaces);
	csv_set_blk_size(&r->csv, 1024);
	r->rawlen = r->rawpos = 0;
	r->raw_eof = 0;
	r->gz = -1;		/* not known until the first bytes are in */
	r->gz_end = 0;
	r->textlen = r->textpos = 0;
	r->first_text = 1;
	r->line = 1;
	r->last_term = 0;
	r->quotes = r->unclean = r->ws_inquote = 0;
	r->nl_in_fields = 0;
	r->at_eof = 0;
	r->header_pending = !r->opts.no_header;
	return 0;
}

/* More raw bytes; 0, or CX_EDATA.  Sets raw_eof at end of file. */
static int
read_raw(struct cx_csvin *r)
{
	ssize_t n;

	if (r->rawpos > 0) {
		memmove(r->raw, r->raw + r->rawpos, r->rawlen - r->rawpos);
		r->rawlen -= r->rawpos;
		r->rawpos = 0;
	}
	do
		n = read(r->fd, r->raw + r->rawlen, RAWBUF - r->rawlen);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return fail(r, CX_EDATA, "%s: read error: %s", r->name, strerror(errno));
	if (n == 0)
		r->raw_eof = 1;
	r->rawlen += (size_t)n;
	r->bytes += (uint64_t)n;
	return 0;
}

static int
is_gzip_magic(const unsigned char *p)
{
	return p[0] == 0x1f && p[1] == 0x8b;
}

/* Inflate into text; 0 with textlen possibly 0 at the end, or CX_E*. */
static int
inflate_some(struct cx_csvin *r)
{
	int rc, e;

	for (;;) {
		if (r->gz_end) {
			/* A member ended: another may follow (concatenated .gz). */
			while (r->rawlen - r->rawpos < 2 && !r->raw_eof)
				if ((e = read_raw(r)) != 0)
					return e;
			if (r->rawlen - r->rawpos == 0)
				return 0;
			if (r->rawlen - r->rawpos < 2 || !is_gzip_magic(r->raw + r->rawpos)) {
				if (r->opts.warn) {
					char msg[512];

					snprintf(msg, sizeof msg, "%s: ignoring data after the end of the gzip stream", r->name);
					r->opts.warn(r->opts.warn_ctx, msg);
				}
				r->rawpos = r->rawlen;
				r->raw_eof = 1;
				return 0;
			}
			if (inflateReset(&r->zs) != Z_OK)
				return fail(r, CX_EDATA, "%s: corrupt gzip data", r->name);
			r->gz_end = 0;
		}
		if (r->rawpos == r->rawlen) {
			if (r->raw_eof)
				return fail(r, CX_EDATA, "%s: truncated gzip stream (unexpected end of data)", r->name);
			if ((e = read_raw(r)) != 0)
				return e;
			if (r->rawlen == 0 && r->raw_eof)
				return fail(r, CX_EDATA, "%s: truncated gzip stream (unexpected end of data)", r->name);
			continue;
		}
		r->zs.next_in = r->raw + r->rawpos;
		r->zs.avail_in = (uInt)(r->rawlen - r->rawpos);
		r->zs.next_out = (Bytef *)r->text + r->textlen;
		r->zs.avail_out = (uInt)(TEXTBUF - r->textlen);
		rc = inflate(&r->zs, Z_NO_FLUSH);
		r->rawpos = r->rawlen - r->zs.avail_in;
		r->textlen = TEXTBUF - r->zs.avail_out;
		if (rc == Z_STREAM_END)
			r->gz_end = 1;
		else if (rc == Z_NEED_DICT || rc == Z_DATA_ERROR)
			return fail(r, CX_EDATA, "%s: corrupt gzip data: %s", r->name,
			    r->zs.msg ? r->zs.msg : "bad data");
		else if (rc == Z_MEM_ERROR)
			return fail(r, CX_ENOMEM, "out of memory");
		if (r->textlen > 0)
			return 0;
	}
}

/* Append decompressed or plain bytes to text; textlen unchanged at the end. */
static int
more_text(struct cx_csvin *r)
{
	int e;

	if (r->gz == -1) {
		while (r->rawlen < 2 && !r->raw_eof)
			if ((e = read_raw(r)) != 0)
				return e;
		r->gz = r->rawlen >= 2 && is_gzip_magic(r->raw);
		if (r->gz) {
			memset(&r->zs, 0, sizeof r->zs);
			if (inflateInit2(&r->zs, 15 + 16) != Z_OK)
				return fail(r, CX_ENOMEM, "out of memory");
			r->zs_ready = 1;
		}
	}
	if (r->gz)
		return inflate_some(r);
	if (r->rawpos < r->rawlen) {
		/* the bytes read to look for the gzip magic */
		size_t n = r->rawlen - r->rawpos;

		memcpy(r->text + r->textlen, r->raw + r->rawpos, n);
		r->textlen += n;
		r->rawpos = r->rawlen;
	} else if (!r->raw_eof) {
		ssize_t n;

		do
			n = read(r->fd, r->text + r->textlen, TEXTBUF - r->textlen);
		while (n == -1 && errno == EINTR);
		if (n == -1)
			return fail(r, CX_EDATA, "%s: read error: %s", r->name, strerror(errno));
		if (n == 0)
			r->raw_eof = 1;
		r->textlen += (size_t)n;
		r->bytes += (uint64_t)n;
	}
	return 0;
}

/* Refill text (after it was all fed).  0 with textlen 0 means end of file. */
static int
fill_text(struct cx_csvin *r)
{
	int e;

	r->textlen = r->textpos = 0;
	if ((e = more_text(r)) != 0)
		return e;
	if (r->first_text && r->textlen > 0) {
		/* a pipe may hand over fewer than 3 bytes: gather the BOM's length */
		while (r->textlen < 3 && memcmp(r->text, "\xef\xbb\xbf", r->textlen) == 0) {
			size_t have = r->textlen;

			if ((e = more_text(r)) != 0)
				return e;
			if (r->textlen == have)
				break;		/* the input ended */
		}
		r->first_text = 0;
		if (r->textlen >= 3 && memcmp(r->text, "\xef\xbb\xbf", 3) == 0)
			r->textpos = 3;
	}
	return 0;
}

/* Feed the text read so far to libcsv; 0 or CX_E*. */
static int
feed_text(struct cx_csvin *r)
{
	char *start = r->text + r->textpos;
	size_t n = r->textlen - r->textpos;

	if (r->opts.ws) {
		/* blank runs are the delimiter: tabs outside quotes become spaces */
		size_t i;

		for (i = 0; i < n; i++)
			if (start[i] == '"')
				r->ws_inquote = !r->ws_inquote;
			else if (start[i] == '\t' && !r->ws_inquote)
				start[i] = ' ';
	}
	if (!r->quotes)
		r->quotes = memchr(start, '"', n) != NULL;
	/* Our keep-blanks hook costs a call per byte in some parser states; a
	 * chunk without blanks parses the same with libcsv's built-in test. */
	if (!r->opts.ws)
		csv_set_space_func(&r->csv, memchr(start, ' ', n) || memchr(start, '\t', n) ? no_spaces : NULL);
	if (csv_parse(&r->csv, start, n, on_field, on_record, r) != n) {
		int e = csv_error(&r->csv);

		if (e == CSV_ENOMEM || e == CSV_ETOOBIG)
			return fail(r, CX_ENOMEM, "%s:%lu: out of memory", r->name, r->line);
		return fail(r, CX_EDATA, "%s:%lu: malformed CSV: a quote inside an unquoted field or text after a closing quote",
		    r->name, r->line);
	}
	if (r->oom)
		return fail(r, CX_ENOMEM, "out of memory");
	r->textpos = r->textlen;
	return 0;
}

static void
free_names(char **v, size_t n)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static char *
dup_str(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);

	return p ? memcpy(p, s, n) : NULL;
}

/* Names from --columns for input without a header. */
static int
names_from_list(struct cx_csvin *r)
{
	const char *s = r->opts.columns ? r->opts.columns : "";
	size_t n = 1, i = 0;
	const char *p;

	for (p = s; *p; p++)
		n += *p == ',';
	if ((r->raw_names = calloc(n, sizeof *r->raw_names)) == NULL)
		return fail(r, CX_ENOMEM, "out of memory");
	r->ncols = n;
	for (p = s;; p++) {
		const char *q = strchr(p, ',');
		size_t len = q ? (size_t)(q - p) : strlen(p);

		if ((r->raw_names[i] = malloc(len + 1)) == NULL)
			return fail(r, CX_ENOMEM, "out of memory");
		memcpy(r->raw_names[i], p, len);
		r->raw_names[i++][len] = '\0';
		if (q == NULL)
			break;
		p = q;
	}
	return 0;
}

/* The first file's header sets the names; later headers must match it. */
static int
take_header(struct cx_csvin *r, const struct queued *q)
{
	size_t i;

	if (r->raw_names != NULL) {
		for (i = 0; i < q->n || i < r->ncols; i++) {
			const char *got = i < q->n ? r->fbuf + r->foff[q->first + i] : "(none)";
			const char *want = i < r->ncols ? r->raw_names[i] : "(none)";

			if (i >= q->n || i >= r->ncols || strcmp(got, want) != 0)
				return fail(r, CX_EDATA, "%s:%lu: header differs from %s: column %zu is \"%s\", expected \"%s\"",
				    r->name, q->line, r->paths[0], i + 1, got, want);
		}
		return 0;
	}
	if ((r->raw_names = calloc(q->n, sizeof *r->raw_names)) == NULL)
		return fail(r, CX_ENOMEM, "out of memory");
	r->ncols = q->n;
	for (i = 0; i < q->n; i++)
		if ((r->raw_names[i] = dup_str(r->fbuf + r->foff[q->first + i])) == NULL)
			return fail(r, CX_ENOMEM, "out of memory");
	return 0;
}

/* Apply --col renames and check for duplicates, once, after the first header. */
static int
name_columns(struct cx_csvin *r)
{
	size_t i, j;

	if ((r->names = calloc(r->ncols, sizeof *r->names)) == NULL)
		return fail(r, CX_ENOMEM, "out of memory");
	for (i = 0; i < r->ncols; i++)
		if ((r->names[i] = dup_str(r->raw_names[i])) == NULL)
			return fail(r, CX_ENOMEM, "out of memory");
	for (j = 0; j < r->opts.nrenames; j++) {
		const struct cx_rename *rn = &r->opts.renames[j];

		for (i = 0; i < r->ncols; i++)
			if (strcmp(r->raw_names[i], rn->actual) == 0)
				break;
		if (i == r->ncols)
			return fail(r, CX_EDATA, "%s: --col %s=%s: no column \"%s\" in the header",
			    r->name, rn->canonical, rn->actual, rn->actual);
		free(r->names[i]);
		if ((r->names[i] = dup_str(rn->canonical)) == NULL)
			return fail(r, CX_ENOMEM, "out of memory");
	}
	for (i = 0; i < r->ncols; i++)
		for (j = i + 1; j < r->ncols; j++)
			if (strcmp(r->names[i], r->names[j]) == 0)
				return fail(r, CX_EDATA, "%s:%lu: duplicate column name \"%s\" (columns %zu and %zu)",
				    r->name, r->opts.no_header ? 0UL : 1UL, r->names[i], i + 1, j + 1);
	return 0;
}

/* Advance the parser until a record is queued or input ends.  1, 0 or CX_E*. */
static int
pump(struct cx_csvin *r)
{
	int e;

	for (;;) {
		if (r->qpos < r->nq)
			return 1;
		if (r->all_done)
			return 0;
		compact(r);
		if (r->at_eof) {
			if (r->cur + 1 >= r->npaths) {
				r->all_done = 1;
				return 0;
			}
			r->cur++;
			if ((e = open_input(r)) != 0)
				return e;
			continue;
		}
		if (r->textpos < r->textlen) {
			if ((e = feed_text(r)) != 0)
				return e;
			continue;
		}
		if ((e = fill_text(r)) != 0)
			return e;
		if (r->textlen == 0) {
			if (csv_fini(&r->csv, on_field, on_record, r) != 0)
				return fail(r, CX_EDATA, "%s:%lu: unterminated quoted field (the record starting on this line never ends)",
				    r->name, r->line);
			if (r->oom)
				return fail(r, CX_ENOMEM, "out of memory");
			r->at_eof = 1;
		}
	}
}

int
cx_csvin_open(struct cx_csvin *r, char *const paths[], size_t npaths)
{
	int e;

	r->paths = paths;
	r->npaths = npaths;
	r->cur = 0;
	if ((e = open_input(r)) != 0)
		return e;
	if (r->opts.no_header) {
		if ((e = names_from_list(r)) != 0)
			return e;
	} else {
		if ((e = pump(r)) < 0)
			return e;
		if (e == 0)
			return fail(r, CX_EDATA, "%s: no header line (the input is empty)", r->name);
		if ((e = take_header(r, &r->q[r->qpos++])) != 0)
			return e;
		r->header_pending = 0;
	}
	return name_columns(r);
}

int
cx_csvin_next(struct cx_csvin *r, struct cx_record *rec)
{
	const struct queued *q;
	size_t i;
	int e;

	for (;;) {
		if ((e = pump(r)) <= 0)
			return e;
		q = &r->q[r->qpos++];
		if (r->header_pending) {	/* a later file's header */
			r->header_pending = 0;
			if ((e = take_header(r, q)) != 0)
				return e;
			continue;
		}
		break;
	}
	if (q->n > r->fieldpcap) {
		size_t cap = r->fieldpcap ? r->fieldpcap : 16;
		char **p;

		while (cap < q->n)
			cap *= 2;
		if ((p = realloc(r->fieldp, cap * sizeof *p)) == NULL)
			return fail(r, CX_ENOMEM, "out of memory");
		r->fieldp = p;
		r->fieldpcap = cap;
	}
	for (i = 0; i < q->n; i++)
		r->fieldp[i] = r->fbuf + r->foff[q->first + i];
	rec->field = r->fieldp;
	rec->len = r->flens + q->first;
	rec->nfield = q->n;
	rec->line = q->line;
	rec->clean = q->clean;
	return 1;
}

size_t
cx_csvin_ncols(const struct cx_csvin *r)
{
	return r->ncols;
}

const char *
cx_csvin_colname(const struct cx_csvin *r, size_t i)
{
	return i < r->ncols ? r->names[i] : NULL;
}

int
cx_csvin_column(const struct cx_csvin *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->ncols; i++)
		if (strcmp(r->names[i], name) == 0)
			return (int)i;
	return -1;
}

const char *
cx_csvin_path(const struct cx_csvin *r)
{
	return r->name ? r->name : "stdin";
}

const char *
cx_csvin_error(const struct cx_csvin *r)
{
	return r->errbuf;
}

uint64_t
cx_csvin_bytes(const struct cx_csvin *r)
{
	return r->bytes;
}

void
cx_csvin_free(struct cx_csvin *r)
{
	if (r == NULL)
		return;
	close_input(r);
	if (r->csv_ready)
		csv_free(&r->csv);
	free_names(r->names, r->ncols);
	free_names(r->raw_names, r->ncols);
	free(r->raw);
	free(r->text);
	free(r->fbuf);
	free(r->foff);
	free(r->flens);
	free(r->q);
	free(r->fieldp);
	free(r);
}

const char *
cx_rename_parse(char *arg, struct cx_rename *rn)
{
	char *eq = strchr(arg, '=');

	if (eq == NULL || eq == arg || eq[1] == '\0')
		return "is not CANONICAL=ACTUAL";
	*eq = '\0';
	rn->canonical = arg;
	rn->actual = eq + 1;
	return NULL;
}
