/*
 * csvcount: the benchmark baseline.  A bare libcsv pass (strict mode, as csvin
 * uses) over the same bytes, counting fields and records and doing nothing else;
 * gzip input is inflated with zlib's gzread.  Not installed.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <csv.h>
#include <zlib.h>

static unsigned long long nfields, nrecords;

static void on_field(void *s, size_t n, void *ctx) { (void)s; (void)n; (void)ctx; nfields++; }
static void on_record(int c, void *ctx) { (void)c; (void)ctx; nrecords++; }

int
main(int argc, char *argv[])
{
	static char buf[256 * 1024];
	struct csv_parser p;
	gzFile gz;
	int n;

	gz = argc > 1 ? gzopen(argv[1], "rb") : gzdopen(0, "rb");
	if (gz == NULL || csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		fprintf(stderr, "csvcount: cannot open input\n");
		return 3;
	}
	gzbuffer(gz, sizeof buf);
	while ((n = gzread(gz, buf, sizeof buf)) > 0)
		if (csv_parse(&p, buf, (size_t)n, on_field, on_record, NULL) != (size_t)n) {
			fprintf(stderr, "csvcount: %s\n", csv_strerror(csv_error(&p)));
			return 1;
		}
	csv_fini(&p, on_field, on_record, NULL);
	csv_free(&p);
	gzclose(gz);
	printf("%llu records, %llu fields\n", nrecords, nfields);
	return 0;
}
