/*
 * parse: strict, locale-independent parsing of one field's text.
 * Every function takes a NUL-terminated field and returns NULL on success or a
 * static reason ("is not a number") that the caller prints after the quoted value:
 *   cx-TOOL: FILE:LINE: COLUMN: "12,5O" is not a number
 * An empty field is never parsed as 0: callers test for "" first and treat it as
 * missing (or as an error, for required fields).
 */
#ifndef CX_PARSE_H
#define CX_PARSE_H

/* A finite decimal number as strtod reads it in the C locale, digits only:
 * [+-](digits[.[digits]] | .digits)[(e|E)[+-]digits].  Rejects nan, inf,
 * hex, leading or trailing spaces, "1,5", "12abc" and values that overflow. */
const char	*cx_parse_double(const char *s, double *out);

/* Like cx_parse_double, and also reports whether the text was a plain decimal
 * (-?digits[.digits]) that can be copied to canonical output unchanged. */
const char	*cx_parse_decimal(const char *s, double *out, int *plain);

/* A decimal integer in the range of long long. */
const char	*cx_parse_llong(const char *s, long long *out);

/* A 0/1 flag.  With lenient != 0 also yes/no, true/false, y/n (any case). */
const char	*cx_parse_flag(const char *s, int lenient, int *out);

/* A duration in seconds: a number ("95", "95.5") or mm:ss / hh:mm:ss
 * (minutes and seconds below 60 where they are not the leading part).
 * Negative plain numbers parse; range checks belong to the caller. */
const char	*cx_parse_duration(const char *s, double *out);

/*
 * Option helpers for src/: parse an option argument strictly and return the
 * value, or print "cx-TOOL: OPTION: "value" reason" and exit CX_EXIT_USAGE.
 */
double		 cx_opt_double(const char *arg, const char *option, double lo, double hi);
long long	 cx_opt_llong(const char *arg, const char *option, long long lo, long long hi);
/* A single delimiter character: "," ";" "|" "tab" "\t". */
int		 cx_opt_delim(const char *arg, const char *option);

#endif /* CX_PARSE_H */
