/*
 * fuzz-ingest: libFuzzer target over cx-ingest's row validation.  Until that
 * check lives in lib/, this file includes src/cx-ingest.c and drives its static
 * check_record()/write_record() the way ingest_run() does, minus the exits:
 * if cx-ingest's internals change, adapt setup() and ingest() here.
 *
 * First byte: bits 0-1 schema (calls, orders, surveys, moments), bit 2 --dedupe,
 * bit 3 --time-format ("%d/%m/%Y %H:%M" for calls, "%Y%m%d" for the others),
 * bit 4 --tz Europe/Paris, bit 5 -d ';', bit 6 --ws, bit 7 --rejects.  The rest
 * is the input.
 *
 * Promises checked besides the sanitizers:
 *  - the output is rectangular: every row has as many fields as its header;
 *  - rows read = rows written + rows rejected, every reject has a reason
 *    naming a column or the row;
 *  - canonical output ingests again (same schema, no options) to the same
 *    bytes, with nothing rejected;
 *  - with --rejects, each rejected row is in the rejects file after its line
 *    and a non-empty reason, its fields unchanged (ragged rows included).
 */
#define _GNU_SOURCE 1
#define main cx_ingest_main
int main(int, char *[]);	/* cx-ingest's main, renamed and unused */
#include "../../src/cx-ingest.c"
#undef main

#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);



#define PROMISE(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz-ingest: broken promise at %s:%d: %s\n", \
		    __FILE__, __LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

/* Rejected rows of the header's width, copied: fields, then line. */
struct kept {
	char		*buf;		/* length-prefixed fields */
	size_t		 len, cap;
	unsigned long	 n;
};

static void
keep(struct kept *k, const void *p, size_t n)
{
	if (k->len + n > k->cap) {
		k->cap = (k->len + n) * 2 + 256;
		k->buf = cx_xrealloc(k->buf, k->cap);
	}
	memcpy(k->buf + k->len, p, n);
	k->len += n;
}

static char rejects_path[128];

struct run {
	char		*out;		/* canonical CSV written */
	size_t		 outlen;
	unsigned long	 nread, nwritten, nrejected;
	size_t		 ninput;	/* input columns */
	int		 ok;		/* read to the end (no CSV or header error) */
};

static int
memfd_with(const void *p, size_t n)
{
	int fd = memfd_create("fuzz-ingest", 0);

	if (fd == -1 || (n > 0 && write(fd, p, n) != (ssize_t)n))
		abort();
	return fd;
}

/* ingest_run() without exits: bytes in, canonical CSV out (open_memstream). */
static void
ingest(const struct ingest_opts *o, const struct cx_timefmt *tf, const void *in,
    size_t len, struct run *res, struct kept *kept)
{
	struct ingest g;
	struct cx_rejects rj;
	int rj_open = 0;
	struct cx_record rec;
	char path[64], *paths[1];
	FILE *fp;
	size_t k;
	int fd = memfd_with(in, len), rc;

	memset(res, 0, sizeof *res);
	memset(&g, 0, sizeof g);
	g.o = o;
	g.tf = *tf;
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	paths[0] = path;
	if ((g.in = cx_csvin_new(&o->in)) == NULL)
		abort();
	fp = open_memstream(&res->out, &res->outlen);
	if (cx_csvin_open(g.in, paths, 1) != 0)
		goto done;
	/* map_columns() exits on a missing required column: look first */
	for (k = 0; k < o->schema->ncols; k++)
		if (o->schema->cols[k].column_required &&
		    cx_csvin_column(g.in, o->schema->cols[k].name) < 0)
			goto done;
	if ((g.out = cx_csvout_new(fp, ',')) == NULL)
		abort();
	if (o->dedupe && (g.seen = cx_hashmap_new(sizeof(unsigned long))) == NULL)
		abort();
	map_columns(&g);
	res->ninput = g.ninput;
	if (kept != NULL) {
		PROMISE(cx_rejects_open(&rj, rejects_path, g.in) == 0);
		rj_open = 1;
	}
	while ((rc = cx_csvin_next(g.in, &rec)) == 1) {
		res->nread++;
		g.reason[0] = '\0';
		if (check_record(&g, &rec) == 0) {
			write_record(&g, &rec);
			res->nwritten++;
		} else {
			PROMISE(g.reason[0] != '\0');
			res->nrejected++;
			if (kept != NULL) {
				cx_rejects_write(&rj, &rec, g.reason);
				/* the field count, the fields, the line */
				keep(kept, &rec.nfield, sizeof rec.nfield);
				for (k = 0; k < rec.nfield; k++) {
					keep(kept, &rec.len[k], sizeof rec.len[k]);
					keep(kept, rec.field[k], rec.len[k]);
				}
				keep(kept, &rec.line, sizeof rec.line);
				kept->n++;
			}
		}
	}
	res->ok = rc == 0;
	PROMISE(cx_csvout_flush(g.out) == 0);
	if (rj_open) {
		if (res->ok)
			PROMISE(cx_rejects_commit(&rj) == 0);
		else
			cx_rejects_abort(&rj);
		rj_open = 0;
	}
done:
	if (rj_open)
		cx_rejects_abort(&rj);
	cx_csvout_free(g.out);
	fclose(fp);
	cx_csvin_free(g.in);
	cx_hashmap_free(g.seen);
	free(g.extras);
	free(g.keybuf);
	close(fd);
}

/* Every row of the canonical output has the header's number of fields. */
static void
check_rectangular(const struct run *r)
{
	struct cx_csvin_opts o;
	struct cx_csvin *in;
	struct cx_record rec;
	char path[64], *paths[1];
	unsigned long rows = 0;
	int fd = memfd_with(r->out, r->outlen), rc;

	memset(&o, 0, sizeof o);
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	paths[0] = path;
	in = cx_csvin_new(&o);
	PROMISE(cx_csvin_open(in, paths, 1) == 0);
	while ((rc = cx_csvin_next(in, &rec)) == 1) {
		PROMISE(rec.nfield == cx_csvin_ncols(in));
		rows++;
	}
	PROMISE(rc == 0);
	PROMISE(rows == r->nwritten);
	cx_csvin_free(in);
	close(fd);
}

/* The rejects file: line, reason, then each rejected row as read. */
static void
check_rejects(const struct kept *k, size_t ncols)
{
	struct cx_csvin_opts o;
	struct cx_csvin *in;
	struct cx_record rec;
	char *paths[1], want[32];
	size_t off = 0, i, len, nf;
	unsigned long rows = 0, line;
	int rc;

	memset(&o, 0, sizeof o);
	paths[0] = rejects_path;
	in = cx_csvin_new(&o);
	if (cx_csvin_open(in, paths, 1) != 0) {
		/* known (lib-bugs.md): an input column named line or reason makes
		 * the rejects header repeat a name */
		PROMISE(strstr(cx_csvin_error(in), "duplicate column name") != NULL);
		cx_csvin_free(in);
		return;
	}
	PROMISE(cx_csvin_ncols(in) == ncols + 2);
	PROMISE(cx_csvin_column(in, "line") == 0);
	while ((rc = cx_csvin_next(in, &rec)) == 1) {
		rows++;
		PROMISE(off < k->len);
		memcpy(&nf, k->buf + off, sizeof nf);
		off += sizeof nf;
		PROMISE(rec.nfield == nf + 2);
		for (i = 0; i < nf; i++) {
			memcpy(&len, k->buf + off, sizeof len);
			off += sizeof len;
			PROMISE(rec.len[i + 2] == len && memcmp(rec.field[i + 2], k->buf + off, len) == 0);
			off += len;
		}
		memcpy(&line, k->buf + off, sizeof line);
		off += sizeof line;
		snprintf(want, sizeof want, "%lu", line);
		PROMISE(strcmp(rec.field[0], want) == 0);
		PROMISE(rec.len[1] > 0);
	}
	PROMISE(rc == 0);
	PROMISE(rows == k->n && off == k->len);
	cx_csvin_free(in);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cx_timefmt iso, paris, fmt_paris, fmt_calls, fmt_dates;
	static int ready;
	struct ingest_opts o;
	struct cx_timefmt tf;
	struct run first, again;
	struct kept kept;
	unsigned mode;

	if (!ready) {
		snprintf(rejects_path, sizeof rejects_path, "/tmp/fuzz-ingest-%ld.rejects.csv",
		    (long)getpid());
		cx_timefmt_init(&iso, NULL, NULL);
		cx_timefmt_init(&fmt_calls, "%d/%m/%Y %H:%M", NULL);
		cx_timefmt_init(&fmt_dates, "%Y%m%d", NULL);
		/* last: this one sets TZ for the process (only local readers use it) */
		if (cx_timefmt_init(&paris, NULL, "Europe/Paris") != NULL)
			abort();
		cx_timefmt_init(&fmt_paris, "%d/%m/%Y %H:%M", "Europe/Paris");
		ready = 1;
	}
	if (size < 1 || size > (1 << 20))
		return 0;
	mode = data[0];
	data++;
	size--;
	memset(&o, 0, sizeof o);
	o.schema = &schemas[mode & 3];
	o.dedupe = (mode & 0x04) != 0;
	o.quiet = 1;
	o.in.delim = (mode & 0x20) ? ';' : ',';
	o.in.ws = (mode & 0x40) != 0;
	if (mode & 0x08)
		tf = (mode & 3) == 0 ? ((mode & 0x10) ? fmt_paris : fmt_calls) : fmt_dates;
	else
		tf = (mode & 0x10) ? paris : iso;

	memset(&kept, 0, sizeof kept);
	ingest(&o, &tf, data, size, &first, (mode & 0x80) ? &kept : NULL);
	PROMISE(first.nread == first.nwritten + first.nrejected);
	if ((mode & 0x80) && first.ok) {
		check_rejects(&kept, first.ninput);
		unlink(rejects_path);
	}
	free(kept.buf);
	if (first.ok && first.outlen > 0) {
		check_rectangular(&first);
		/* canonical output is a fixed point: same schema, default options */
		memset(&o.in, 0, sizeof o.in);
		o.dedupe = 0;
		ingest(&o, &iso, first.out, first.outlen, &again, NULL);
		PROMISE(again.ok);
		PROMISE(again.nrejected == 0);
		PROMISE(again.outlen == first.outlen &&
		    memcmp(again.out, first.out, first.outlen) == 0);
		free(again.out);
	}
	free(first.out);
	return 0;
}
