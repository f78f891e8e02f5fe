/*
 * outfile: write-then-rename, so that a reader never sees half a result and a
 * failed run leaves no file behind.  Devices and pipes (/dev/full, /dev/stdout,
 * a FIFO) cannot be renamed over, so they are written in place.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"

int
cx_outfile_open(struct cx_outfile *o, const char *path)
{
	struct stat st;
	size_t n;
	int fd;

	o->fp = NULL;
	o->path = o->tmp = NULL;
	if (path == NULL || strcmp(path, "-") == 0) {
		o->fp = stdout;
		return 0;
	}
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if ((o->fp = fopen(path, "w")) == NULL)
			return -1;
		return 0;
	}
	n = strlen(path);
	if ((o->path = strdup(path)) == NULL || (o->tmp = malloc(n + 16)) == NULL)
		goto fail;
	/* "PATH.tmp." and mkstemp's six template letters */
	snprintf(o->tmp, n + 16, "%s.tmp.", path);
	memset(o->tmp + n + 5, 'X', 6);
	o->tmp[n + 11] = '\0';
	if ((fd = mkstemp(o->tmp)) == -1)
		goto fail;
	/* mkstemp makes 0600 files; give the result the usual umask mode */
	{
		mode_t um = umask(0);

		umask(um);
		(void)fchmod(fd, 0666 & ~um);
	}
	if ((o->fp = fdopen(fd, "w")) == NULL) {
		int saved = errno;

		close(fd);
		unlink(o->tmp);
		errno = saved;
		goto fail;
	}
	return 0;
fail:
	{
		int saved = errno;

		free(o->path);
		free(o->tmp);
		o->path = o->tmp = NULL;
		errno = saved;
	}
	return -1;
}

int
cx_outfile_commit(struct cx_outfile *o)
{
	int rc = 0, saved = 0;

	if (o->fp == NULL)
		return 0;
	if (fflush(o->fp) != 0 || ferror(o->fp)) {
		rc = -1;
		saved = errno ? errno : EIO;
	}
	if (o->fp != stdout) {
		if (fclose(o->fp) != 0 && rc == 0) {
			rc = -1;
			saved = errno;
		}
	}
	o->fp = NULL;
	if (o->tmp != NULL) {
		if (rc == 0 && rename(o->tmp, o->path) != 0) {
			rc = -1;
			saved = errno;
		}
		if (rc != 0)
			unlink(o->tmp);
	}
	free(o->path);
	free(o->tmp);
	o->path = o->tmp = NULL;
	errno = saved;
	return rc;
}

void
cx_outfile_abort(struct cx_outfile *o)
{
	if (o->fp != NULL && o->fp != stdout)
		fclose(o->fp);
	o->fp = NULL;
	if (o->tmp != NULL)
		unlink(o->tmp);
	free(o->path);
	free(o->tmp);
	o->path = o->tmp = NULL;
}
