/*
 * fuzz-replay: run a libFuzzer target's LLVMFuzzerTestOneInput over the kept
 * inputs of tests/fuzz (seeds/NAME/ and crashes-found/NAME-*) without libFuzzer,
 * so that `make check` (and SANITIZE=1) replays them on every build.  Included
 * by tests/unit/test-fuzz-NAME.c after the target's source.  A broken promise
 * aborts the binary: run-all then reports it as broken.
 * Only fuzz-csvin is replayed here: it uses lib/'s public headers alone, while
 * fuzz-ingest includes src/cx-ingest.c and would break the build whenever
 * cx-ingest's internals change (tests/fuzz/run replays it instead).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static int
replay_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *buf;
	long n;

	if (fp == NULL || fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0)
		return -1;
	rewind(fp);
	buf = malloc((size_t)n + 1);
	if (fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		free(buf);
		fclose(fp);
		return -1;
	}
	fclose(fp);
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	free(buf);
	return 0;
}

/* Every regular file in dir whose name starts with prefix ("" for all). */
static int
replay_dir(const char *dir, const char *prefix)
{
	char path[4096];
	struct dirent *de;
	DIR *d = opendir(dir);
	int n = 0;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);

		if (de->d_name[0] == '.' || strncmp(de->d_name, prefix, strlen(prefix)) != 0 ||
		    (len > 3 && strcmp(de->d_name + len - 3, ".md") == 0))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		CHECK_REPORT(replay_file(path) == 0, "cannot read %s", path);
		n++;
	}
	closedir(d);
	return n;
}

static int
replay_main(const char *name)
{
	char dir[256], prefix[64];
	int n;

	snprintf(dir, sizeof dir, "tests/fuzz/seeds/%s", name);
	n = replay_dir(dir, "");
	CHECK_REPORT(n > 0, "no seeds in %s (run from the repository root)", dir);
	if (n > 0)
		printf("ok replayed %d seeds of %s\n", n, name);
	snprintf(prefix, sizeof prefix, "%s-", name);
	n = replay_dir("tests/fuzz/crashes-found", prefix);
	CHECK(n >= 0);
	if (n >= 0)
		printf("ok replayed %d kept inputs of %s\n", n, name);
	return check_done();
}
