/*
 * csvin: records from one or more files over libcsv (strict mode) and zlib.
 *
 * Bytes come from read(2); gzip is recognised by its magic bytes and inflated
 * here (not with gzread, which treats a truncated stream as a normal end of file
 * and stops at bytes it does not recognise).  The decompressed text is fed to
 * libcsv a chunk at a time; libcsv calls back with fields and record ends,
 * which we copy into a batch: the records of one chunk of one file.
 *
 * With opts.thread, reading, inflating and parsing (the producer) run in a
 * thread of their own while the caller consumes the previous batch.  It pays
 * only for a caller whose work per record outweighs the parsing (see
 * csvin.h): the records cross between the cores' caches.
 * Three batches circulate (one being filled, one ready, one being read), so
 * memory stays bounded.  Everything the caller sees -- records, errors,
 * warnings, byte counts, file names -- travels inside the batches, in order,
 * so the results are those of a single-threaded read; without the thread
 * the same code runs inline.  CXKIT_READER_THREAD=0 or =1 in the environment
 * turns the thread off or on for every reader.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <csv.h>
#include <zlib.h>

#include "csvin.h"
#include "cxerr.h"
#include "joiner.h"

#define RAWBUF	(256 * 1024)
#define TEXTBUF	(256 * 1024)

#define NBATCH	3
#define MSGSZ	1024

/* batch.end and finished: the reader stopped at its limit (cx_csvin_limit) */
#define PAUSED	2

struct queued {
	size_t		first, n;	/* fields [first, first + n) */
	unsigned long	line;
	int		clean;
	int		header;		/* a later file's header line */
};

/* The records parsed from one chunk of text, and what the caller must learn
 * when it reaches them. */
struct batch {
	char		*fbuf;		/* field bytes, each NUL-terminated */
	size_t		 flen, fcap;
	size_t		*foff, *flens;
	size_t		 nf, nfcap;
	struct queued	*q;
	size_t		 nq, qcap;
	const char	*name;		/* the file the records come from */
	uint64_t	 bytes;		/* input bytes consumed when it was filled */
	int		 end;		/* 0 more follow, 1 end of input, CX_E* error */
	char		*msg;		/* the error's message (MSGSZ) */
	char		*warn;		/* a warning to pass on first, or "" (MSGSZ) */
};

struct cx_csvin {
	struct cx_csvin_opts opts;

	/* ---- producer: only the reader thread touches these once it runs ---- */
	struct csv_parser csv;
	int		 csv_ready;
	char *const	*paths;
	size_t		 npaths, cur;
	int		 fd;
	const char	*name;		/* for messages */
	int		 at_eof;	/* current file fully fed, csv_fini done */
	int		 all_done;
	uint64_t	 bytes;
	unsigned char	*raw;
	size_t		 rawlen, rawpos;
	int		 raw_eof;
	int		 gz;		/* 1: inflating */
	int		 gz_end;	/* the last member ended cleanly */
	z_stream	 zs;
	int		 zs_ready;
	char		*text;
	size_t		 textlen, textpos;
	int		 first_text;	/* BOM check pending */
	unsigned long	 line;		/* physical line the next record starts on */
	int		 last_term;	/* terminator of the previous callback */
	int		 quotes;	/* a '"' was seen in this file: fields may be quoted */
	int		 unclean;	/* the record being built has a field needing quotes */
	int		 ws_inquote;	/* ws mode: inside a quoted field */
	int		 header_pending;/* the next record is a file's header */
	struct batch	*b;		/* being filled */
	size_t		 cur_first;	/* first field of the record being built */
	int		 oom;
	unsigned long	 nl_in_fields;	/* newlines inside the record's fields */
	uint64_t	 limit;		/* pause at this byte of the file; 0: none */
	unsigned long	 nterm;		/* record-end callbacks so far */
	int		 boundary;	/* the pause fell between two records */
	atomic_int	 cancel;	/* cx_csvin_cancel: stop at the next chunk */
	char		 perr[MSGSZ];	/* the producer's message */

	/* ---- shared, under mu ---- */
	struct batch	 batch[NBATCH];
	struct batch	*ready[NBATCH], *spare[NBATCH];
	size_t		 nready, nspare;
	int		 stop;		/* the consumer is done: the thread must end */
	int		 threaded, thread_live;
	struct cx_joiner joiner;	/* the thread, joined at exit too */
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;

	/* ---- consumer: the caller's side ---- */
	struct batch	*out;		/* being read, or NULL */
	size_t		 qpos;
	const char	*out_name;
	uint64_t	 out_bytes;
	int		 finished;	/* 1 at end of input, CX_E* after an error */
	char		**fieldp;
	size_t		 fieldpcap;
	char		**names;	/* after renames */
	char		**raw_names;	/* as in the first file */
	size_t		 ncols;
	char		 errbuf[MSGSZ];
};

/*
 * Failures: the producer's message (fail) travels in the batch to the
 * consumer; the consumer's own (cfail: headers, the caller's calls) goes
 * straight to errbuf.  Two buffers, so that a reader thread never writes the
 * one the caller reads.
 */
#define fail(r, code, ...)	(snprintf((r)->perr, MSGSZ, __VA_ARGS__), (code))
#define cfail(r, code, ...)	(snprintf((r)->errbuf, MSGSZ, __VA_ARGS__), (code))

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
	const char *env = getenv("CXKIT_READER_THREAD");
	size_t i;

	if (r == NULL)
		return NULL;
	if (opts != NULL)
		r->opts = *opts;
	if (r->opts.delim == 0)
		r->opts.delim = ',';
	r->fd = -1;
	/* CXKIT_READER_THREAD=0 or =1 overrides the caller, for tests and timing */
	r->threaded = env != NULL && strcmp(env, "0") == 0 ? 0 :
	    env != NULL && strcmp(env, "1") == 0 ? 1 : r->opts.thread;
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->cv, NULL);
	r->raw = malloc(RAWBUF);
	r->text = malloc(TEXTBUF);
	for (i = 0; i < NBATCH; i++) {
		r->batch[i].msg = malloc(MSGSZ);
		r->batch[i].warn = malloc(MSGSZ);
		if (r->batch[i].msg == NULL || r->batch[i].warn == NULL)
			break;
		r->batch[i].warn[0] = '\0';
		if (i > 0)
			r->spare[r->nspare++] = &r->batch[i];
	}
	r->b = &r->batch[0];
	if (r->raw == NULL || r->text == NULL || i < NBATCH) {
		cx_csvin_free(r);
		return NULL;
	}
	return r;
}

/* Room for n more field bytes (NULs included) and k more fields in b. */
static int
reserve(struct batch *b, size_t n, size_t k)
{
	if (b->flen + n > b->fcap) {
		size_t cap = b->fcap ? b->fcap : 4096;
		char *p;

		while (cap < b->flen + n)
			cap *= 2;
		if ((p = realloc(b->fbuf, cap)) == NULL)
			return -1;
		b->fbuf = p;
		b->fcap = cap;
	}
	if (b->nf + k > b->nfcap) {
		size_t cap = b->nfcap ? b->nfcap : 256, *o, *l;

		while (cap < b->nf + k)
			cap *= 2;
		if ((o = realloc(b->foff, cap * sizeof *o)) == NULL)
			return -1;
		b->foff = o;
		if ((l = realloc(b->flens, cap * sizeof *l)) == NULL)
			return -1;
		b->flens = l;
		b->nfcap = cap;
	}
	return 0;
}

/* libcsv callbacks: copy one field; close one record. */
static void
on_field(void *s, size_t len, void *ctx)
{
	struct cx_csvin *r = ctx;
	struct batch *b = r->b;
	char *d;

	if (s == NULL)		/* ws mode: an empty run between blanks */
		return;
	if ((b->flen + len + 1 > b->fcap || b->nf == b->nfcap) && reserve(b, len + 1, 1) != 0) {
		r->oom = 1;
		return;
	}
	d = b->fbuf + b->flen;
	memcpy(d, s, len);
	d[len] = '\0';
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
	b->foff[b->nf] = b->flen;
	b->flens[b->nf] = len;
	b->nf++;
	b->flen += len + 1;
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
	struct batch *b = r->b;
	unsigned long start = r->line;
	int crlf = c == '\n' && r->last_term == '\r' && b->nf == r->cur_first;

	r->nterm++;
	r->last_term = c;
	r->line += r->nl_in_fields + ((c == '\n' && !crlf) || c == '\r');
	r->nl_in_fields = 0;
	if (b->nf == r->cur_first)	/* a blank line, or blanks only in ws mode */
		return;
	if (b->nq == b->qcap) {
		size_t cap = b->qcap ? b->qcap * 2 : 16;
		struct queued *q = realloc(b->q, cap * sizeof *q);

		if (q == NULL) {
			r->oom = 1;
			return;
		}
		b->q = q;
		b->qcap = cap;
	}
	b->q[b->nq].first = r->cur_first;
	b->q[b->nq].n = b->nf - r->cur_first;
	b->q[b->nq].line = start;
	/* unquoted comma-separated fields cannot hold a comma, quote or newline */
	b->q[b->nq].clean = !r->unclean && !r->opts.ws && r->opts.delim == ',';
	b->q[b->nq].header = r->header_pending;
	r->header_pending = 0;
	r->unclean = 0;
	b->nq++;
	r->cur_first = b->nf;
}

/* A warning for the caller, delivered before the records that follow it. */
static void
warn(struct cx_csvin *r, const char *msg)
{
	snprintf(r->b->warn, MSGSZ, "%s", msg);
}

/*
 * Hand the filled batch over (end: 0 more follow, 1 end of input, CX_E*) and
 * take a spare one, moving the fields of a record still being built into it.
 * -1 when the consumer has stopped.
 */
static int
publish(struct cx_csvin *r, int end)
{
	struct batch *b = r->b, *nb;
	size_t base, i, n;

	b->end = end;
	b->name = r->name;
	b->bytes = r->bytes;
	if (end < 0) {
		b->nq = 0;	/* the failing chunk's records are not handed out */
		snprintf(b->msg, MSGSZ, "%s", r->perr);
	}
	if (end != 0 && end != PAUSED) {	/* the last one: nothing more to fill */
		pthread_mutex_lock(&r->mu);
		r->ready[r->nready++] = b;
		r->b = NULL;
		pthread_cond_broadcast(&r->cv);
		pthread_mutex_unlock(&r->mu);
		return 0;
	}
	pthread_mutex_lock(&r->mu);
	while (r->nspare == 0 && !r->stop)
		pthread_cond_wait(&r->cv, &r->mu);
	if (r->stop) {
		pthread_mutex_unlock(&r->mu);
		return -1;
	}
	nb = r->spare[--r->nspare];
	pthread_mutex_unlock(&r->mu);

	nb->flen = nb->nf = nb->nq = 0;
	nb->warn[0] = '\0';
	n = b->nf - r->cur_first;
	if (n > 0) {
		base = b->foff[r->cur_first];
		if (reserve(nb, b->flen - base, n) != 0)
			r->oom = 1;
		else {
			memcpy(nb->fbuf, b->fbuf + base, b->flen - base);
			for (i = 0; i < n; i++) {
				nb->foff[i] = b->foff[r->cur_first + i] - base;
				nb->flens[i] = b->flens[r->cur_first + i];
			}
			nb->flen = b->flen - base;
			nb->nf = n;
		}
	}
	r->cur_first = 0;
	r->b = nb;

	pthread_mutex_lock(&r->mu);
	r->ready[r->nready++] = b;
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
	return 0;
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

/* read(2), the one place where the reader thread may be cancelled: a caller
 * that stops early must not wait for input that may never come. */
static ssize_t
read_fd(struct cx_csvin *r, void *buf, size_t n)
{
	ssize_t got;
	int old;

	pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, &old);
	do
		got = read(r->fd, buf, n);
	while (got == -1 && errno == EINTR);
	pthread_setcancelstate(old, NULL);
	return got;
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
	n = read_fd(r, r->raw + r->rawlen, RAWBUF - r->rawlen);
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
				char msg[512];

				snprintf(msg, sizeof msg, "%s: ignoring data after the end of the gzip stream", r->name);
				warn(r, msg);
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
		size_t room = TEXTBUF - r->textlen;
		ssize_t n;

		if (r->limit != 0 && r->limit - r->bytes < room)
			room = (size_t)(r->limit - r->bytes);
		n = read_fd(r, r->text + r->textlen, room);
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
	size_t n = r->textlen - r->textpos, last;
	unsigned long before = 0;

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
	/* Text that ends at the limit ends with a newline (cx_csvin_split chose
	 * it so): fed on its own, it ends a record unless it lies inside quotes. */
	last = r->limit != 0 && r->bytes == r->limit && n > 0;
	if (csv_parse(&r->csv, start, n - last, on_field, on_record, r) != n - last ||
	    (last && (before = r->nterm,
	    csv_parse(&r->csv, start + n - 1, 1, on_field, on_record, r) != 1))) {
		int e = csv_error(&r->csv);

		if (e == CSV_ENOMEM || e == CSV_ETOOBIG)
			return fail(r, CX_ENOMEM, "%s:%lu: out of memory", r->name, r->line);
		return fail(r, CX_EDATA, "%s:%lu: malformed CSV: a quote inside an unquoted field or text after a closing quote",
		    r->name, r->line);
	}
	if (r->oom)
		return fail(r, CX_ENOMEM, "out of memory");
	if (last)
		r->boundary = r->nterm != before;
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
		return cfail(r, CX_ENOMEM, "out of memory");
	r->ncols = n;
	for (p = s;; p++) {
		const char *q = strchr(p, ',');
		size_t len = q ? (size_t)(q - p) : strlen(p);

		if ((r->raw_names[i] = malloc(len + 1)) == NULL)
			return cfail(r, CX_ENOMEM, "out of memory");
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
take_header(struct cx_csvin *r, const struct batch *b, const struct queued *q)
{
	size_t i;

	if (r->raw_names != NULL) {
		for (i = 0; i < q->n || i < r->ncols; i++) {
			const char *got = i < q->n ? b->fbuf + b->foff[q->first + i] : "(none)";
			const char *want = i < r->ncols ? r->raw_names[i] : "(none)";

			if (i >= q->n || i >= r->ncols || strcmp(got, want) != 0)
				return cfail(r, CX_EDATA, "%s:%lu: header differs from %s: column %zu is \"%s\", expected \"%s\"",
				    b->name, q->line, r->paths[0], i + 1, got, want);
		}
		return 0;
	}
	if ((r->raw_names = calloc(q->n, sizeof *r->raw_names)) == NULL)
		return cfail(r, CX_ENOMEM, "out of memory");
	r->ncols = q->n;
	for (i = 0; i < q->n; i++)
		if ((r->raw_names[i] = dup_str(b->fbuf + b->foff[q->first + i])) == NULL)
			return cfail(r, CX_ENOMEM, "out of memory");
	return 0;
}

/* Apply --col renames and check for duplicates, once, after the first header. */
static int
name_columns(struct cx_csvin *r)
{
	size_t i, j;

	if ((r->names = calloc(r->ncols, sizeof *r->names)) == NULL)
		return cfail(r, CX_ENOMEM, "out of memory");
	for (i = 0; i < r->ncols; i++)
		if ((r->names[i] = dup_str(r->raw_names[i])) == NULL)
			return cfail(r, CX_ENOMEM, "out of memory");
	for (j = 0; j < r->opts.nrenames; j++) {
		const struct cx_rename *rn = &r->opts.renames[j];

		for (i = 0; i < r->ncols; i++)
			if (strcmp(r->raw_names[i], rn->actual) == 0)
				break;
		if (i == r->ncols)
			return cfail(r, CX_EDATA, "%s: --col %s=%s: no column \"%s\" in the header",
			    r->out_name, rn->canonical, rn->actual, rn->actual);
		free(r->names[i]);
		if ((r->names[i] = dup_str(rn->canonical)) == NULL)
			return cfail(r, CX_ENOMEM, "out of memory");
	}
	for (i = 0; i < r->ncols; i++)
		for (j = i + 1; j < r->ncols; j++)
			if (strcmp(r->names[i], r->names[j]) == 0)
				return cfail(r, CX_EDATA, "%s:%lu: duplicate column name \"%s\" (columns %zu and %zu)",
				    r->out_name, r->opts.no_header ? 0UL : 1UL, r->names[i], i + 1, j + 1);
	return 0;
}

/* ---- producer ---- */

/*
 * Parse until the batch being filled holds records, or the input ends or
 * fails.  1 (records), 0 (end of all input) or CX_E*.
 */
static int
produce(struct cx_csvin *r)
{
	int e;

	for (;;) {
		if (r->oom)
			return fail(r, CX_ENOMEM, "out of memory");
		if (r->b->nq > 0)
			return 1;
		if (atomic_load_explicit(&r->cancel, memory_order_relaxed))
			return fail(r, CX_EDATA, "%s: reading cancelled", r->name);
		if (r->all_done)
			return 0;
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
		if (r->limit != 0 && r->bytes == r->limit)
			return PAUSED;
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

/* Fill and hand over one batch: 0, or -1 when there will be no other. */
static int
produce_batch(struct cx_csvin *r)
{
	int e = produce(r);

	if (publish(r, e == PAUSED ? PAUSED : e > 0 ? 0 : e == 0 ? 1 : e) != 0)
		return -1;
	return e > 0 ? 0 : -1;
}

/* The reader thread.  It can be cancelled only while blocked in read(2) (see
 * read_fd); everywhere else it notices stop when it hands a batch over. */
static void *
reader(void *arg)
{
	struct cx_csvin *r = arg;

	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
	while (produce_batch(r) == 0)
		continue;
	return NULL;
}

/* ---- consumer ---- */

/* The next filled batch: the ready one, or one parsed now without a thread. */
static struct batch *
next_batch(struct cx_csvin *r)
{
	struct batch *b;

	if (!r->thread_live && r->nready == 0)
		(void)produce_batch(r);
	pthread_mutex_lock(&r->mu);
	while (r->nready == 0)
		pthread_cond_wait(&r->cv, &r->mu);
	b = r->ready[0];
	r->nready--;
	memmove(r->ready, r->ready + 1, r->nready * sizeof *r->ready);
	pthread_mutex_unlock(&r->mu);
	return b;
}

/* Give the batch that has been read back to the producer. */
static void
release(struct cx_csvin *r)
{
	if (r->out == NULL)
		return;
	pthread_mutex_lock(&r->mu);
	r->spare[r->nspare++] = r->out;
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
	r->out = NULL;
}

/* The next record in input order, or NULL at the end (r->finished: 1 for the
 * end of the input, CX_E* for an error, its message in errbuf). */
static const struct queued *
take(struct cx_csvin *r)
{
	for (;;) {
		if (r->out != NULL && r->qpos < r->out->nq)
			return &r->out->q[r->qpos++];
		if (r->finished != 0)
			return NULL;
		if (r->out != NULL && r->out->end != 0) {
			r->finished = r->out->end;
			if (r->finished < 0)
				snprintf(r->errbuf, sizeof r->errbuf, "%s", r->out->msg);
			return NULL;
		}
		release(r);
		r->out = next_batch(r);
		r->qpos = 0;
		r->out_name = r->out->name;
		r->out_bytes = r->out->bytes;
		if (r->out->warn[0] != '\0' && r->opts.warn != NULL)
			r->opts.warn(r->opts.warn_ctx, r->out->warn);
	}
}

/*
 * Tools exit(3) on bad data without freeing their reader; the thread is then
 * stopped and joined at exit (lib/joiner.h).
 */
/* Tell the thread to end: wake it if it waits for a spare batch, cancel it
 * if it sits in read(2). */
static void
tell_stop(void *arg)
{
	struct cx_csvin *r = arg;

	pthread_mutex_lock(&r->mu);
	r->stop = 1;
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
	pthread_cancel(r->joiner.thread);
}

int
cx_csvin_open(struct cx_csvin *r, char *const paths[], size_t npaths)
{
	const struct queued *q;
	int e;

	r->paths = paths;
	r->npaths = npaths;
	r->cur = 0;
	if ((e = open_input(r)) != 0)
		return cfail(r, e, "%s", r->perr);
	r->out_name = r->name;
	if (r->opts.no_header) {
		if ((e = names_from_list(r)) != 0)
			return e;
	} else {
		if ((q = take(r)) == NULL) {
			if (r->finished < 0)
				return r->finished;
			return cfail(r, CX_EDATA, "%s: no header line (the input is empty)", r->out_name);
		}
		if ((e = take_header(r, r->out, q)) != 0)
			return e;
	}
	if ((e = name_columns(r)) != 0)
		return e;
	/* Without a thread (or if one cannot be had) the same code runs inline. */
	if (r->threaded && r->finished == 0 && !(r->out != NULL && r->out->end != 0) &&
	    pthread_create(&r->joiner.thread, NULL, reader, r) == 0) {
		r->thread_live = 1;
		r->joiner.stop = tell_stop;
		r->joiner.arg = r;
		cx_joiner_add(&r->joiner);
	}
	return 0;
}

int
cx_csvin_next(struct cx_csvin *r, struct cx_record *rec)
{
	const struct queued *q;
	const struct batch *b;
	size_t i;
	int e;

	for (;;) {
		if ((q = take(r)) == NULL)
			return r->finished < 0 ? r->finished : 0;
		if (q->header) {	/* a later file's header */
			if ((e = take_header(r, r->out, q)) != 0)
				return e;
			continue;
		}
		break;
	}
	b = r->out;
	if (q->n > r->fieldpcap) {
		size_t cap = r->fieldpcap ? r->fieldpcap : 16;
		char **p;

		while (cap < q->n)
			cap *= 2;
		if ((p = realloc(r->fieldp, cap * sizeof *p)) == NULL)
			return cfail(r, CX_ENOMEM, "out of memory");
		r->fieldp = p;
		r->fieldpcap = cap;
	}
	for (i = 0; i < q->n; i++)
		r->fieldp[i] = b->fbuf + b->foff[q->first + i];
	rec->field = r->fieldp;
	rec->len = b->flens + q->first;
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
	return r->out_name ? r->out_name : "stdin";
}

const char *
cx_csvin_error(const struct cx_csvin *r)
{
	return r->errbuf;
}

uint64_t
cx_csvin_bytes(const struct cx_csvin *r)
{
	return r->out_bytes;
}

/* ---- parts: one large file read by several threads ---- */

/* A reader that can stop at a byte offset: inline, on one plain regular file. */
static int
can_pause(const struct cx_csvin *r)
{
	return !r->threaded && !r->thread_live && r->npaths <= 1 && r->fd > 0 &&
	    r->gz == 0 && !r->opts.ws && r->finished >= 0;
}

/* The offset just past the first LF at or after off, or 0 if none before size. */
static uint64_t
after_newline(int fd, uint64_t off, uint64_t size)
{
	char buf[64 * 1024];

	while (off < size) {
		ssize_t n = pread(fd, buf, sizeof buf, (off_t)off);
		const char *nl;

		if (n <= 0)
			return 0;
		if ((nl = memchr(buf, '\n', (size_t)n)) != NULL)
			return off + (uint64_t)(nl - buf) + 1 < size ? off + (uint64_t)(nl - buf) + 1 : 0;
		off += (uint64_t)n;
	}
	return 0;
}

size_t
cx_csvin_split(struct cx_csvin *r, size_t want, uint64_t min_part, uint64_t *off)
{
	struct stat st;
	uint64_t size;
	size_t k, i, n = 1;

	if (want < 2 || !can_pause(r) || r->finished != 0 || r->at_eof ||
	    fstat(r->fd, &st) != 0 || !S_ISREG(st.st_mode))
		return 1;
	size = (uint64_t)st.st_size;
	k = min_part > 0 && size / min_part < want ? (size_t)(size / min_part) : want;
	off[0] = 0;
	for (i = 1; i < k; i++) {
		uint64_t from = size / k * i, at;

		/* past what was read already, and past the previous part */
		if (from < r->bytes)
			from = r->bytes;
		if (from < off[n - 1] + 1)
			from = off[n - 1] + 1;
		if ((at = after_newline(r->fd, from, size)) == 0)
			break;
		off[n++] = at;
	}
	off[n] = size;
	return n;
}

int
cx_csvin_limit(struct cx_csvin *r, uint64_t off)
{
	if (!can_pause(r) || (off != 0 && off <= r->bytes && r->finished != PAUSED))
		return cfail(r, CX_ESYS, "cx_csvin_limit: the reader cannot stop there");
	r->limit = off;
	if (r->finished == PAUSED) {
		r->finished = 0;
		r->out->end = 0;
	}
	return 0;
}

void
cx_csvin_cancel(struct cx_csvin *r)
{
	atomic_store(&r->cancel, 1);
}

int
cx_csvin_paused(const struct cx_csvin *r)
{
	return r->finished != PAUSED ? 0 : r->boundary ? 1 : 2;
}

unsigned long
cx_csvin_line(const struct cx_csvin *r)
{
	return r->line;
}

int
cx_csvin_seek(struct cx_csvin *r, uint64_t off, unsigned long line)
{
	if (cx_csvin_paused(r) != 1 || lseek(r->fd, (off_t)off, SEEK_SET) == -1)
		return cfail(r, CX_ESYS, "cx_csvin_seek: the reader is not paused between records");
	/* paused at off, as if it had read up to there */
	r->bytes = r->limit = off;
	r->textlen = r->textpos = 0;
	r->line = line;
	return 0;
}

struct cx_csvin *
cx_csvin_part(const struct cx_csvin *whole, uint64_t begin, uint64_t end)
{
	struct cx_csvin *r;
	size_t i;

	/* whole's options, file name and columns only: they do not change
	 * while whole reads, so any thread may call this */
	if ((r = cx_csvin_new(&whole->opts)) == NULL)
		return NULL;
	r->threaded = 0;
	r->paths = whole->paths + whole->cur;
	r->npaths = 1;
	if (open_input(r) != 0 || lseek(r->fd, (off_t)begin, SEEK_SET) == -1)
		goto bad;
	r->out_name = r->name;
	r->bytes = begin;
	r->gz = 0;
	r->first_text = 0;
	r->header_pending = 0;
	r->last_term = '\n';
	r->limit = end;
	r->raw_names = calloc(whole->ncols, sizeof *r->raw_names);
	r->names = calloc(whole->ncols, sizeof *r->names);
	if (r->raw_names == NULL || r->names == NULL)
		goto bad;
	r->ncols = whole->ncols;
	for (i = 0; i < r->ncols; i++)
		if ((r->raw_names[i] = dup_str(whole->raw_names[i])) == NULL ||
		    (r->names[i] = dup_str(whole->names[i])) == NULL)
			goto bad;
	return r;
bad:
	cx_csvin_free(r);
	return NULL;
}

void
cx_csvin_free(struct cx_csvin *r)
{
	size_t i;

	if (r == NULL)
		return;
	if (r->thread_live) {	/* the caller may stop before the end */
		cx_joiner_remove(&r->joiner);
		tell_stop(r);
		pthread_join(r->joiner.thread, NULL);
	}
	close_input(r);
	if (r->csv_ready)
		csv_free(&r->csv);
	free_names(r->names, r->ncols);
	free_names(r->raw_names, r->ncols);
	free(r->raw);
	free(r->text);
	for (i = 0; i < NBATCH; i++) {
		struct batch *b = &r->batch[i];

		free(b->fbuf);
		free(b->foff);
		free(b->flens);
		free(b->q);
		free(b->msg);
		free(b->warn);
	}
	free(r->fieldp);
	pthread_mutex_destroy(&r->mu);
	pthread_cond_destroy(&r->cv);
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
