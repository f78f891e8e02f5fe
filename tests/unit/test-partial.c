/* test-partial: lib/partial.h: write a partial, read it back, refuse mismatches. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "csvin.h"
#include "csvout.h"
#include "cxerr.h"
#include "partial.h"

static char path[64];

static void
write_partial(const char *sl, long long count, const char *dbl)
{
	static const char *const names[] = { "period", "sl" };
	const char *vals[] = { "day", sl };
	static const char *const cols[] = { "by:queue", "n", "sum" };
	struct cx_partial_meta m = { "cx-test", "summary", 1, 2, names, vals };
	FILE *fp = fopen(path, "w");
	struct cx_csvout *w = cx_csvout_new(fp, 0);

	cx_partial_write_header(w, &m, cols, 3);
	cx_partial_write_meta(w, &m);
	cx_csvout_str(w, "sales, east");
	cx_csvout_llong(w, count);
	cx_csvout_str(w, dbl);
	cx_csvout_endrow(w);
	cx_partial_write_meta(w, &m);
	cx_csvout_str(w, "support");
	cx_csvout_llong(w, 3);
	cx_csvout_str(w, "0.5");
	cx_csvout_endrow(w);
	cx_csvout_flush(w);
	cx_csvout_free(w);
	fclose(fp);
}

/* Read path as a partial of cx-test summary; returns the first failing status. */
static int
read_partial(const char *tool, int version, uint64_t *n, double *sum, char *msg)
{
	struct cx_csvin_opts o = { 0 };
	struct cx_csvin *in = cx_csvin_new(&o);
	char *paths[] = { path };
	struct cx_partial_in p;
	struct cx_record r;
	int rc;

	cx_partial_init(&p);
	if ((rc = cx_csvin_open(in, paths, 1)) == 0 &&
	    (rc = cx_partial_open(&p, in, tool, "summary")) == 0) {
		*n = 0;
		*sum = 0;
		while ((rc = cx_csvin_next(in, &r)) > 0) {
			uint64_t k;
			double d;
			if (cx_partial_is_header(&p, &r))
				continue;
			if ((rc = cx_partial_row(&p, &r, version)) != 0 ||
			    (rc = cx_partial_u64(&p, &r, (int)p.nmeta + 1, &k)) != 0 ||
			    (rc = cx_partial_double(&p, &r, (int)p.nmeta + 2, &d)) != 0)
				break;
			*n += k;
			*sum += d;
		}
		if (rc == 0) {
			CHECK_INT(p.nopts, 2);
			CHECK_STR(cx_partial_opt(&p, "sl"), "10 20");
			CHECK(cx_partial_opt(&p, "nothing") == NULL);
			CHECK(cx_partial_has_opt(&p, "period"));
		}
	}
	snprintf(msg, 512, "%s", rc ? cx_partial_error(&p) : "");
	cx_partial_fini(&p);
	cx_csvin_free(in);
	return rc;
}

static void
test_round_trip(void)
{
	uint64_t n = 0;
	double sum = 0;
	char msg[512];

	write_partial("10 20", 4, "1.25");
	CHECK_INT(read_partial("cx-test", 1, &n, &sum, msg), 0);
	CHECK_INT(n, 7);
	CHECK(sum == 1.75);
	/* two partials concatenated with cat: the second header is skipped */
	{
		char cmd[512];
		snprintf(cmd, sizeof cmd, "cat %s %s > %s.2 && mv %s.2 %s", path, path, path,
		    path, path);
		CHECK(system(cmd) == 0);
		CHECK_INT(read_partial("cx-test", 1, &n, &sum, msg), 0);
		CHECK_INT(n, 14);
	}
}

static void
test_refusals(void)
{
	uint64_t n;
	double sum;
	char msg[512];

	write_partial("10 20", 4, "1.25");
	CHECK_INT(read_partial("cx-other", 1, &n, &sum, msg), CX_EDATA);
	CHECK(strstr(msg, "a partial of cx-test summary, not of cx-other summary") != NULL);
	CHECK_INT(read_partial("cx-test", 2, &n, &sum, msg), CX_EDATA);
	CHECK(strstr(msg, "partial_version: \"1\" is not the version this program reads (2)") != NULL);
	write_partial("10 20", -4, "1.25");
	CHECK_INT(read_partial("cx-test", 1, &n, &sum, msg), CX_EDATA);
	CHECK(strstr(msg, ":2: n: \"-4\" is not a count") != NULL);
	write_partial("10 20", 4, "nan");
	CHECK_INT(read_partial("cx-test", 1, &n, &sum, msg), CX_EDATA);
	CHECK(strstr(msg, ":2: sum: \"nan\"") != NULL);
	/* a second row made with other options */
	{
		FILE *fp;
		write_partial("10 20", 4, "1.25");
		fp = fopen(path, "a");
		fputs("cx-test,summary,1,day,30,support,1,1\n", fp);
		fclose(fp);
		CHECK_INT(read_partial("cx-test", 1, &n, &sum, msg), CX_EDATA);
		CHECK(strstr(msg, ":4: made with sl \"30\", not \"10 20\"") != NULL);
	}
	/* not a partial at all */
	{
		FILE *fp = fopen(path, "w");
		fputs("queue,n\nsales,1\n", fp);
		fclose(fp);
		CHECK_INT(read_partial("cx-test", 1, &n, &sum, msg), CX_EDATA);
		CHECK(strstr(msg, "not a partial file (no partial_tool column") != NULL);
	}
}

int
main(void)
{
	int fd;

	snprintf(path, sizeof path, "/tmp/test-partial.XXXXXX");
	if ((fd = mkstemp(path)) == -1)
		return 3;
	close(fd);
	RUN(test_round_trip);
	RUN(test_refusals);
	unlink(path);
	return check_done();
}
