/*
 * cxerr: program name, err(3)-style messages and exit codes shared by every tool.
 * Only src/ calls the functions that print or exit; lib/ modules return CX_E* codes
 * and keep a message, so that a tool can route a row to --rejects and choose the exit.
 */
#ifndef CX_CXERR_H
#define CX_CXERR_H

#include <stddef.h>

/* Exit statuses (DESIGN.md, "Command-line conventions"). */
enum {
	CX_EXIT_OK	= 0,	/* success; bad rows, if any, went to --rejects */
	CX_EXIT_DATA	= 1,	/* bad data, unreadable or truncated input, nothing usable */
	CX_EXIT_USAGE	= 2,	/* wrong usage */
	CX_EXIT_SYSTEM	= 3,	/* I/O or memory */
	CX_EXIT_NOCONV	= 4	/* a model did not converge */
};

/* Status codes returned by lib/ functions: 0 is success, negatives are failures. */
enum {
	CX_EDATA	= -1,	/* the input is malformed (message says where) */
	CX_ESYS		= -2,	/* read/write failed; errno is meaningful */
	CX_ENOMEM	= -3	/* allocation failed */
};

/* Map a CX_E* code to the exit status a tool should use. */
int		 cx_exit_status(int cx_error);

void		 cx_setprogname(const char *argv0);	/* keeps the basename */
const char	*cx_progname(void);

/* "cx-TOOL: message: strerror(errno)" then exit(status). */
_Noreturn void	 cx_err(int status, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
/* "cx-TOOL: message" then exit(status). */
_Noreturn void	 cx_errx(int status, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
void		 cx_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void		 cx_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print "cx-TOOL (cxkit) VERSION" on stdout. */
void		 cx_version(void);

/* Allocation that exits with CX_EXIT_SYSTEM and a message on failure (src/ only). */
void		*cx_xmalloc(size_t);
void		*cx_xcalloc(size_t, size_t);
void		*cx_xrealloc(void *, size_t);
char		*cx_xstrdup(const char *);

#endif /* CX_CXERR_H */
