/*
 * test-csvpar: lib/csvpar.h and the parts of lib/csvin.h.  Files with quoted
 * newlines (so that cuts fall inside records), CRLF, blank lines and no final
 * newline are read in 2 to 16 parts of any size (the first 256 kB, read
 * when the reader opens, always go to the first part); the records, in order,
 * must be those of one pass, and every record the caller's reader reads must
 * carry the line number of one pass.  Workers that give up, late or at once,
 * leave their part to the caller's reader.
 */
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "csvin.h"
#include "csvpar.h"

static char tmpdir[4096], path[4200];

/* The records read, as "line|f1|f2|..." (line 0 when a worker read it). */
struct list {
	char	**rec;
	size_t	  n, cap;
};

static void
list_push(struct list *l, char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 1024;
		l->rec = realloc(l->rec, l->cap * sizeof *l->rec);
	}
	l->rec[l->n++] = s;
}

static void
list_add(struct list *l, unsigned long line, const struct cx_record *r)
{
	size_t len = 32, i;
	char *s;

	for (i = 0; i < r->nfield; i++)
		len += r->len[i] + 1;
	s = malloc(len);
	len = (size_t)sprintf(s, "%lu", line);
	for (i = 0; i < r->nfield; i++) {
		s[len++] = '|';
		memcpy(s + len, r->field[i], r->len[i]);
		len += r->len[i];
	}
	s[len] = '\0';
	list_push(l, s);
}

static void
list_free(struct list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->rec[i]);
	free(l->rec);
	memset(l, 0, sizeof *l);
}

/* How the workers behave. */
struct run {
	struct list	 main;		/* in file order, worker parts merged in */
	int		 give_up;	/* 1: a worker that meets "BAD" gives up;
					 * 2: every worker gives up at once;
					 * 3: the merge refuses every other part */
	int		 merged;	/* parts kept */
	int		 refused;	/* parts offered to the merge (give_up 3) */
	atomic_int	 read;		/* parts the workers read to the end */
};

static void
read_main(void *ctx, struct cx_csvin *in)
{
	struct run *run = ctx;
	struct cx_record r;

	while (cx_csvin_next(in, &r) > 0)
		list_add(&run->main, r.line, &r);
}

static void *
part_new(void *ctx)
{
	struct run *run = ctx;

	return run->give_up == 2 ? NULL : calloc(1, sizeof(struct list));
}

static int
part_read(void *ctx, void *st, struct cx_csvin *in)
{
	struct run *run = ctx;
	struct cx_record r;
	int rc;

	while ((rc = cx_csvin_next(in, &r)) > 0) {
		if (run->give_up == 1 && r.nfield > 0 && strcmp(r.field[0], "BAD") == 0)
			return -1;
		list_add(st, 0, &r);
	}
	if (rc == 0)
		atomic_fetch_add(&run->read, 1);
	return rc < 0 ? -1 : 0;
}

static int
part_merge(void *ctx, void *st)
{
	struct run *run = ctx;
	struct list *l = st;

	/* give_up 3: the merge refuses every other part */
	if (run->give_up == 3 && run->refused++ % 2 == 0)
		return -1;
	for (size_t i = 0; i < l->n; i++)
		list_push(&run->main, l->rec[i]);
	l->n = 0;
	run->merged++;
	return 0;
}

static void
part_free(void *ctx, void *st)
{
	(void)ctx;
	list_free(st);
	free(st);
}

static struct cx_csvin *open_reader(void);
static void read_main(void *, struct cx_csvin *);
static struct run one;		/* the file read in one pass */
static int cuts_clean;		/* no newline of the file lies inside quotes */

static void
write_file(const char *text)
{
	FILE *f = fopen(path, "wb");
	struct cx_csvin *in;

	fputs(text, f);
	fclose(f);
	list_free(&one.main);
	in = open_reader();
	read_main(&one, in);
	cx_csvin_free(in);
}

static struct cx_csvin *
open_reader(void)
{
	static char *paths[1] = { path };
	struct cx_csvin_opts o = { 0 };
	struct cx_csvin *in = cx_csvin_new(&o);

	if (cx_csvin_open(in, paths, 1) != 0) {
		printf("cannot open %s: %s\n", path, cx_csvin_error(in));
		exit(2);
	}
	return in;
}

/* Same records as one pass; main's lines right.  Returns the parts kept. */
static int
compare(const char *what, size_t threads, uint64_t min_part, int give_up)
{
	struct run par;
	struct cx_csvpar ops = { read_main, part_new, part_read, part_merge, part_free, NULL };
	struct cx_csvin *in;
	struct cx_record r;
	size_t i;
	int bad = 0, merged;

	memset(&par, 0, sizeof par);
	par.give_up = give_up;
	ops.ctx = &par;
	in = open_reader();
	CHECK(cx_csvpar_run(in, threads, min_part, &ops) == 0);
	CHECK(cx_csvin_next(in, &r) == 0);
	cx_csvin_free(in);

	if (par.main.n != one.main.n)
		bad = 1;
	for (i = 0; !bad && i < one.main.n; i++) {
		const char *a = one.main.rec[i], *b = par.main.rec[i];

		if (b[0] == '0')	/* a worker's record: no line number */
			a = strchr(a, '|'), b = strchr(b, '|');
		if (strcmp(a, b) != 0)
			bad = 1;
	}
	CHECK_REPORT(!bad, "%s: %zu threads, parts of %llu bytes, give_up %d: record %zu of %zu differs",
	    what, threads, (unsigned long long)min_part, give_up, i, one.main.n);
	/* with every cut between records, every part a worker read is kept */
	if (give_up == 0 && cuts_clean)
		CHECK_REPORT(par.merged == atomic_load(&par.read), "%s: %zu threads: %d parts kept of %d read",
		    what, threads, par.merged, atomic_load(&par.read));
	merged = par.merged;
	list_free(&par.main);
	return merged;
}

/* A random CSV text of n records; q: quoted newlines in one record in q. */
static char *
random_csv(unsigned seed, size_t n, int q, int crlf)
{
	size_t cap = 64 + n * 80, len = 0;
	char *s = malloc(cap);
	const char *eol = crlf ? "\r\n" : "\n";

	srand(seed);
	len += (size_t)sprintf(s + len, "a,b,c%s", eol);
	for (size_t i = 0; i < n; i++) {
		int kind = rand() % 10;

		if (q && rand() % q == 0)
			len += (size_t)sprintf(s + len, "%zu,\"two%slines, \"\"quoted\"\"\",x%s", i, eol, eol);
		else if (kind == 0)
			len += (size_t)sprintf(s + len, "%s", eol);	/* a blank line */
		else if (kind == 1)
			len += (size_t)sprintf(s + len, "BAD,%zu,y%s", i, eol);
		else
			len += (size_t)sprintf(s + len, "%zu,%d,\"%d\"%s", i, rand(), rand() % 1000, eol);
	}
	if (rand() % 2)
		len += (size_t)sprintf(s + len, "last,no,newline");
	s[len] = '\0';
	return s;
}

static void
test_random(void)
{
	static const size_t threads[] = { 2, 3, 5, 16 };
	static const uint64_t parts[] = { 1, 40000, 300000 };
	int kept = 0;

	for (unsigned seed = 1; seed <= 8; seed++) {
		char *text = random_csv(seed, 12000 + seed * 3037, seed % 4 == 0 ? 0 : (int)seed % 4 + 1,
		    seed % 3 == 2);

		cuts_clean = seed % 4 == 0;
		write_file(text);
		free(text);
		for (size_t t = 0; t < sizeof threads / sizeof threads[0]; t++)
			for (size_t p = 0; p < sizeof parts / sizeof parts[0]; p++)
				for (int g = 0; g <= 3; g++)
					kept += compare("random", threads[t], parts[p], g);
	}
	CHECK_REPORT(kept > 100, "only %d parts kept", kept);	/* the parallel path ran */
}

/* Every record spans two lines: most cuts fall inside quotes. */
static void
test_quoted_everywhere(void)
{
	size_t len = 0;
	char *s = malloc(1000000);

	len += (size_t)sprintf(s + len, "id,text\n");
	for (int i = 0; i < 25000; i++)
		len += (size_t)sprintf(s + len, "%d,\"line one\nline two\"\n", i);
	s[len] = '\0';
	write_file(s);
	free(s);
	cuts_clean = 0;
	compare("quoted", 4, 1000, 0);
	compare("quoted", 16, 1, 1);
}

/* A file smaller than two parts is read in one pass. */
static void
test_unsplittable(void)
{
	uint64_t off[4];
	struct cx_csvin *in;

	write_file("a,b\n1,2\n3,4\n");
	in = open_reader();
	CHECK_INT(cx_csvin_split(in, 3, 1000, off), 1);	/* smaller than a part */
	CHECK_INT(cx_csvin_split(in, 1, 1, off), 1);
	cx_csvin_free(in);
	CHECK_INT(compare("small", 4, 1000000, 0), 0);
}

/* The pieces: limit, pause, seek. */
static void
test_pause_and_seek(void)
{
	struct cx_csvin *in;
	struct cx_record r;

	write_file("h\n1\n\"2\n\"\n3\n4\n");	/* byte 7 is inside the quotes */
	in = open_reader();
	/* the whole (tiny) file was read at open: too late to stop inside it */
	CHECK(cx_csvin_limit(in, 5) != 0);

	/* parts from byte 2, "1\n\"2\n\"\n3\n4\n" */
	{
		struct cx_csvin *p = cx_csvin_part(in, 2, 7);

		CHECK(p != NULL);
		CHECK(cx_csvin_next(p, &r) == 1 && strcmp(r.field[0], "1") == 0 && r.line == 1);
		CHECK(cx_csvin_next(p, &r) == 0);
		CHECK_INT(cx_csvin_paused(p), 2);	/* stopped inside "2\n" */
		CHECK(cx_csvin_limit(p, 0) == 0);	/* resume to the end */
		CHECK(cx_csvin_next(p, &r) == 1 && strcmp(r.field[0], "2\n") == 0 && r.line == 2);
		CHECK(cx_csvin_next(p, &r) == 1 && strcmp(r.field[0], "3") == 0 && r.line == 4);
		CHECK(cx_csvin_next(p, &r) == 1 && strcmp(r.field[0], "4") == 0);
		CHECK(cx_csvin_next(p, &r) == 0);
		CHECK_INT(cx_csvin_paused(p), 0);
		cx_csvin_free(p);
	}
	{
		struct cx_csvin *p = cx_csvin_part(in, 2, 4);

		CHECK(cx_csvin_next(p, &r) == 1 && strcmp(r.field[0], "1") == 0);
		CHECK(cx_csvin_next(p, &r) == 0);
		CHECK_INT(cx_csvin_paused(p), 1);
		CHECK_INT(cx_csvin_line(p), 2);
		CHECK(cx_csvin_seek(p, 9, 7) == 0);	/* jump to "3\n" */
		CHECK_INT(cx_csvin_paused(p), 1);
		CHECK_INT(cx_csvin_line(p), 7);
		CHECK(cx_csvin_limit(p, 0) == 0);
		CHECK(cx_csvin_next(p, &r) == 1 && strcmp(r.field[0], "3") == 0 && r.line == 7);
		CHECK(cx_csvin_next(p, &r) == 1 && strcmp(r.field[0], "4") == 0 && r.line == 8);
		CHECK(cx_csvin_seek(p, 2, 1) != 0);	/* not paused */
		cx_csvin_free(p);
	}
	cx_csvin_free(in);
}

int
main(void)
{
	const char *t = getenv("TMPDIR");

	snprintf(tmpdir, sizeof tmpdir, "%s/test-csvpar.XXXXXX", t && *t ? t : "/tmp");
	if (mkdtemp(tmpdir) == NULL) {
		perror(tmpdir);
		return 2;
	}
	snprintf(path, sizeof path, "%s/in.csv", tmpdir);
	RUN(test_pause_and_seek);
	RUN(test_unsplittable);
	RUN(test_quoted_everywhere);
	RUN(test_random);
	list_free(&one.main);
	unlink(path);
	rmdir(tmpdir);
	return check_done();
}
