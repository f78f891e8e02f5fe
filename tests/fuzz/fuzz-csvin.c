/*
 * fuzz-csvin: libFuzzer target over the CSV reader (lib/csvin, plain and gzip)
 * and the field parsers a row check uses (lib/parse, lib/cxtime), built and run
 * by tests/fuzz/run.  Not part of `make check`.
 *
 * The first input byte chooses the mode: bits 0-1 delimiter (, ; tab |), bits
 * 2-3 both set --ws, bit 4 no header (names a,b,c,d), bit 5 the rest is
 * gzip-compressed here before reading (so the fuzzer explores the text behind a
 * gzip layer too; raw inputs may be gzip themselves, including cut or corrupt
 * ones), bit 6 also read the text split at its first 0xff byte as two files.
 * The rest goes to a memfd that csvin opens by path.
 *
 * Besides the sanitizers, it aborts on broken promises:
 *  - fields are NUL-terminated at their length; lines never go backwards;
 *  - a record marked clean needs no quotes;
 *  - records written back through csvout read back identical (not in ws mode);
 *  - the gzip-wrapped copy of a plain input reads as the same records;
 *  - two files read as one stream give the records of each (headers agreeing);
 *  - a parsed number is finite and its canonical text reads back exactly;
 *  - a parsed time or date formats canonically and reads back the same.
 * Known lib bugs (tests/fuzz/crashes-found/README.md), while open, are stepped
 * around here so that a run can find new ones, unless FUZZ_STRICT=1 (which the
 * replay of crashes-found/ sets).  None is open now.
 */
#define _GNU_SOURCE 1
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <zlib.h>

#include "csvin.h"
#include "csvout.h"
#include "cxerr.h"
#include "cxtime.h"
#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int strict = -1;

#define PROMISE(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz-csvin: broken promise at %s:%d: %s\n", \
		    __FILE__, __LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

/* All records of one read, copied (header first). */
struct recs {
	char	*buf;		/* fields, each followed by NUL */
	size_t	 len, cap;
	size_t	*nf;		/* fields per record */
	size_t	 n, ncap;
	int	 rc;		/* 0 or the CX_E* that stopped the reading */
};

static void
put(struct recs *r, const void *p, size_t n)
{
	if (r->len + n > r->cap) {
		r->cap = (r->len + n) * 2 + 256;
		r->buf = cx_xrealloc(r->buf, r->cap);
	}
	memcpy(r->buf + r->len, p, n);
	r->len += n;
}

static void
add_record(struct recs *r, char *const *f, const size_t *len, size_t n)
{
	size_t i;

	if (r->n == r->ncap) {
		r->ncap = r->ncap ? r->ncap * 2 : 16;
		r->nf = cx_xrealloc(r->nf, r->ncap * sizeof *r->nf);
	}
	r->nf[r->n++] = n;
	for (i = 0; i < n; i++) {
		put(r, &len[i], sizeof len[i]);
		put(r, f[i], len[i]);
	}
}

static void
recs_free(struct recs *r)
{
	free(r->buf);
	free(r->nf);
	memset(r, 0, sizeof *r);
}

static int
recs_equal(const struct recs *a, const struct recs *b)
{
	return a->n == b->n && a->len == b->len &&
	    memcmp(a->nf, b->nf, a->n * sizeof *a->nf) == 0 &&
	    memcmp(a->buf, b->buf, a->len) == 0;
}

static int
memfd_with(const void *p, size_t n)
{
	int fd = memfd_create("fuzz-csvin", 0);

	if (fd == -1 || (n > 0 && write(fd, p, n) != (ssize_t)n))
		abort();
	return fd;
}

static void
fuzz_fields(char *s, size_t len)
{
	char buf[CX_TIME_BUFSZ], dbuf[32];
	double d, back;
	long long ll;
	int64_t ms, ms2;
	int32_t days, days2;
	int plain, flag;

	(void)len;
	if (cx_parse_decimal(s, &d, &plain) == NULL) {
		PROMISE(isfinite(d));
		cx_format_double(d, dbuf);
		PROMISE(cx_parse_double(dbuf, &back) == NULL && back == d);
		if (plain)	/* plain text is copied to output as canonical */
			PROMISE(strspn(s, "-0123456789.") == strlen(s));
	}
	if (cx_parse_llong(s, &ll) == NULL)
		PROMISE(cx_parse_double(s, &d) == NULL);
	if (cx_parse_flag(s, 1, &flag) == NULL)
		PROMISE(flag == 0 || flag == 1);
	if (cx_parse_duration(s, &d) == NULL)
		PROMISE(isfinite(d));
	if (cx_parse_time(s, &ms) == NULL) {
		int n = cx_format_time(ms, buf);

		PROMISE(n > 0 && n < CX_TIME_BUFSZ);
		/* years 0000..9999 read back (an offset can move a time out of them) */
		if (buf[0] >= '0' && buf[0] <= '9' && buf[4] == '-')
			PROMISE(cx_parse_time(buf, &ms2) == NULL && ms2 == ms);
	}
	if (cx_parse_date(s, &days) == NULL) {
		int n = cx_format_date(days, buf);

		PROMISE(n == 10);
		PROMISE(cx_parse_date(buf, &days2) == NULL && days2 == days);
		PROMISE(cx_parse_time(s, &ms) == NULL);
	}
	{
		static struct cx_timefmt ymd, dmy;
		static int ready;

		if (!ready) {
			cx_timefmt_init(&ymd, "%Y%m%d", NULL);
			cx_timefmt_init(&dmy, "%d/%m/%Y %H:%M", NULL);
			ready = 1;
		}
		if (cx_timefmt_date(&ymd, s, &days) == NULL) {
			cx_format_date(days, buf);
			PROMISE(cx_parse_date(buf, &days2) == NULL && days2 == days);
		}
		if (cx_timefmt_time(&dmy, s, &ms) == NULL)
			PROMISE(ms % 60000 == 0);
	}
}

/* Read the files behind fds (one stream) with opts; every record into out. */
static void
read_fds(const int *fds, size_t nfd, const struct cx_csvin_opts *o, struct recs *out,
    int parse_fields)
{
	struct cx_csvin *in = cx_csvin_new(o);
	struct cx_record rec;
	char path[2][64];
	char *paths[2];
	unsigned long last = 0;
	const char *file = NULL;
	size_t i;
	int rc;

	for (i = 0; i < nfd; i++) {
		lseek(fds[i], 0, SEEK_SET);
		snprintf(path[i], sizeof path[i], "/proc/self/fd/%d", fds[i]);
		paths[i] = path[i];
	}
	memset(out, 0, sizeof *out);
	if ((rc = cx_csvin_open(in, paths, nfd)) == 0) {
		size_t n = cx_csvin_ncols(in);
		char **names = cx_xcalloc(n, sizeof *names);
		size_t *lens = cx_xcalloc(n, sizeof *lens);

		PROMISE(n >= 1);
		for (i = 0; i < n; i++) {
			names[i] = (char *)cx_csvin_colname(in, i);
			PROMISE(names[i] != NULL);
			lens[i] = strlen(names[i]);
			PROMISE(cx_csvin_column(in, names[i]) == (int)i);
		}
		add_record(out, names, lens, n);
		free(names);
		free(lens);
		while ((rc = cx_csvin_next(in, &rec)) == 1) {
			PROMISE(rec.nfield >= 1);
			if (file != cx_csvin_path(in)) {	/* lines restart per file */
				file = cx_csvin_path(in);
				last = 0;
			}
			PROMISE(rec.line >= 1 && rec.line >= last);
			last = rec.line;
			for (i = 0; i < rec.nfield; i++) {
				PROMISE(rec.field[i][rec.len[i]] == '\0');
				if (rec.clean)
					PROMISE(memchr(rec.field[i], ',', rec.len[i]) == NULL &&
					    memchr(rec.field[i], '"', rec.len[i]) == NULL &&
					    memchr(rec.field[i], '\n', rec.len[i]) == NULL &&
					    memchr(rec.field[i], '\r', rec.len[i]) == NULL);
				if (parse_fields)
					fuzz_fields(rec.field[i], rec.len[i]);
			}
			add_record(out, rec.field, rec.len, rec.nfield);
		}
	}
	if (rc < 0)
		PROMISE(cx_csvin_error(in) != NULL && cx_csvin_error(in)[0] != '\0');
	out->rc = rc < 0 ? rc : 0;
	cx_csvin_free(in);
}

static void
read_fd(int fd, const struct cx_csvin_opts *o, struct recs *out, int parse_fields)
{
	read_fds(&fd, 1, o, out, parse_fields);
}

/* Append the records of src from index from on. */
static void
recs_append(struct recs *dst, const struct recs *src, size_t from)
{
	size_t i, j, off = 0, len;

	for (i = 0; i < src->n; i++) {
		if (i == from) {
			put(dst, src->buf + off, src->len - off);
			for (j = i; j < src->n; j++) {
				if (dst->n == dst->ncap) {
					dst->ncap = dst->ncap ? dst->ncap * 2 : 16;
					dst->nf = cx_xrealloc(dst->nf, dst->ncap * sizeof *dst->nf);
				}
				dst->nf[dst->n++] = src->nf[j];
			}
			return;
		}
		for (j = 0; j < src->nf[i]; j++) {
			memcpy(&len, src->buf + off, sizeof len);
			off += sizeof len + len;
		}
	}
}

/* The header (record 0) of a and b are equal. */
static int
same_header(const struct recs *a, const struct recs *b)
{
	struct recs ha, hb;
	int eq;

	memset(&ha, 0, sizeof ha);
	memset(&hb, 0, sizeof hb);
	recs_append(&ha, a, 0);
	recs_append(&hb, b, 0);
	/* cut both to their first record */
	ha.n = hb.n = 1;
	{
		size_t j, off = 0, len;

		for (j = 0; j < a->nf[0]; j++) {
			memcpy(&len, a->buf + off, sizeof len);
			off += sizeof len + len;
		}
		ha.len = off;
		off = 0;
		for (j = 0; j < b->nf[0]; j++) {
			memcpy(&len, b->buf + off, sizeof len);
			off += sizeof len + len;
		}
		hb.len = off;
	}
	eq = recs_equal(&ha, &hb);
	recs_free(&ha);
	recs_free(&hb);
	return eq;
}

/*
 * Two files as one stream: split the text at its first 0xff byte; reading both
 * together gives the records of each read alone (the second header dropped),
 * or, when the headers differ, a data error.
 */
static void
two_files(const uint8_t *data, size_t size, const struct cx_csvin_opts *o)
{
	const uint8_t *cut = memchr(data, 0xff, size);
	struct recs a, b, ab, want;
	int fds[2];

	if (cut == NULL)
		return;
	fds[0] = memfd_with(data, (size_t)(cut - data));
	fds[1] = memfd_with(cut + 1, size - (size_t)(cut - data) - 1);
	read_fd(fds[0], o, &a, 0);
	read_fd(fds[1], o, &b, 0);
	read_fds(fds, 2, o, &ab, 0);
	if (a.rc == 0 && b.rc == 0) {
		if (o->no_header || same_header(&a, &b)) {
			PROMISE(ab.rc == 0);
			memset(&want, 0, sizeof want);
			recs_append(&want, &a, 0);
			recs_append(&want, &b, 1);	/* names come from the options */
			PROMISE(recs_equal(&want, &ab));
			recs_free(&want);
		} else {
			PROMISE(ab.rc == CX_EDATA);
		}
	}
	recs_free(&a);
	recs_free(&b);
	recs_free(&ab);
	close(fds[0]);
	close(fds[1]);
}

/* gzip p into a new buffer (one member). */
static unsigned char *
gzip_bytes(const uint8_t *p, size_t n, size_t *outlen)
{
	z_stream zs;
	size_t cap = n + n / 100 + 64;
	unsigned char *out = cx_xmalloc(cap);

	memset(&zs, 0, sizeof zs);
	if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	zs.next_in = (Bytef *)(uintptr_t)p;
	zs.avail_in = (uInt)n;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
		abort();
	*outlen = cap - zs.avail_out;
	deflateEnd(&zs);
	return out;
}

/* Write recs back through csvout and read them again: the same fields. */
static void
round_trip(const struct recs *r, const struct cx_csvin_opts *o)
{
	struct recs back;
	struct cx_csvout *w;
	FILE *fp;
	size_t i, j, off = 0;
	int fd = memfd_create("fuzz-csvin-rt", 0), fd2;

	if (fd == -1 || (fd2 = dup(fd)) == -1 || (fp = fdopen(fd2, "w")) == NULL)
		abort();
	w = cx_csvout_new(fp, o->delim);
	for (i = 0; i < r->n; i++) {
		for (j = 0; j < r->nf[i]; j++) {
			size_t len;

			memcpy(&len, r->buf + off, sizeof len);
			cx_csvout_field(w, r->buf + off + sizeof len, len);
			off += sizeof len + len;
		}
		cx_csvout_endrow(w);
	}
	PROMISE(cx_csvout_flush(w) == 0);
	cx_csvout_free(w);
	fclose(fp);
	read_fd(fd, o, &back, 0);
	PROMISE(back.rc == 0);
	PROMISE(recs_equal(r, &back));
	recs_free(&back);
	close(fd);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int delims[] = { ',', ';', '\t', '|' };
	struct cx_csvin_opts o;
	struct recs plain, viagz;
	unsigned mode;
	int fd;

	if (strict < 0)
		strict = getenv("FUZZ_STRICT") != NULL;
	if (size < 1 || size > (1 << 20))
		return 0;
	mode = data[0];
	data++;
	size--;
	memset(&o, 0, sizeof o);
	o.delim = delims[mode & 3];
	o.ws = (mode & 0x0c) == 0x0c;
	if (mode & 0x10) {
		o.no_header = 1;
		o.columns = "a,b,c,d";
	}
	if (mode & 0x20) {
		/* the rest is text to read from behind a gzip layer */
		size_t glen;
		unsigned char *gz = gzip_bytes(data, size, &glen);

		fd = memfd_with(gz, glen);
		free(gz);
	} else {
		fd = memfd_with(data, size);
	}
	read_fd(fd, &o, &plain, 1);
	close(fd);
	/* a plain input and its gzip copy read as the same records */
	if (!(mode & 0x20) && (size < 2 || data[0] != 0x1f || data[1] != 0x8b)) {
		size_t glen;
		unsigned char *gz = gzip_bytes(data, size, &glen);

		fd = memfd_with(gz, glen);
		free(gz);
		read_fd(fd, &o, &viagz, 0);
		close(fd);
		PROMISE(viagz.rc == plain.rc);
		if (plain.rc == 0)
			PROMISE(recs_equal(&plain, &viagz));
		recs_free(&viagz);
	}
	/* written back, read again: same fields (ws mode has no quoting rules to
	 * round-trip through, and without a header the names are not in the data) */
	if (plain.rc == 0 && !o.ws && !o.no_header)
		round_trip(&plain, &o);
	recs_free(&plain);
	if ((mode & 0x40) && !(mode & 0x20))
		two_files(data, size, &o);
	return 0;
}
