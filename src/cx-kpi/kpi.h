/*
 * cx-kpi internals: options shared by the modes (main.c), per-group call
 * statistics (summary.c) and the Erlang models (erlang.c).  Private to cx-kpi.
 */
#ifndef KPI_H
#define KPI_H

#include <stddef.h>
#include <stdint.h>

#include "accum.h"
#include "csvin.h"
#include "csvout.h"
#include "hist.h"
#include "outfile.h"
#include "period.h"
#include "rejects.h"

#define KPI_MAX_SL		16
#define KPI_PARTIAL_VERSION	2
/* --threads: parts smaller than this are not worth cutting */
#define KPI_MIN_PART		(8u << 20)

enum kpi_mode { MODE_SUMMARY = 1, MODE_ERLANG = 2, MODE_PLAN = 4, MODE_MERGE = 8 };

/* --sl-formula, in the order of the issue and the man page. */
enum sl_formula {
	SL_WITH_ABANDONED,	/* (answered in T + abandoned in T) / offered */
	SL_ANSWERED_ONLY,	/* answered in T / answered */
	SL_OFFERED,		/* answered in T / offered */
	SL_IGNORE_ABANDONED,	/* answered in T / (offered - abandoned in T) */
	SL_WITH_SHORT,		/* (answered in T + short abandons) / offered */
	SL_IGNORE_SHORT,	/* answered in T / (offered - short abandons) */
	SL_NFORMULAS
};

enum erl_model { MODEL_B, MODEL_C, MODEL_A };

struct kpi_opts {
	enum kpi_mode	 mode;
	/* reading */
	int		 delim;
	struct cx_rename *renames;
	size_t		 nrenames;
	const char	*rejects;
	int		 quiet;
	/* summary and plan */
	char		**by;
	size_t		 nby;
	enum cx_period	 period;
	int		 attribute_event;
	double		 short_abandon;
	double		 sl[KPI_MAX_SL];
	size_t		 nsl;
	enum sl_formula	 formula;
	double		 repeat_window;		/* seconds; 0 = off */
	int		 partial;
	size_t		 threads;		/* --threads: parts of a large file read at once */
	/* erlang and plan */
	enum erl_model	 model;
	int		 model_set;
	double		 calls, aht, interval, patience;	/* < 0: not given */
	double		 target_sl, max_asa, max_occupancy, max_abandon, max_blocking;
	double		 shrinkage;
	long long	 agents;				/* < 0: search */
	int		 fractional;
	const char	*calls_col;
	char		**id;
	size_t		 nid;
};

extern const char *const sl_formula_names[SL_NFORMULAS];

/* Per (group, period) statistics of the calls: the one struct that a single
 * run fills, a partial writes and a merge adds up, so the three cannot drift. */
struct kpi_stats {
	uint64_t	offered, answered, abandoned, short_abandoned, other, no_customer;
	uint64_t	wait_n, wait_ans_n, wait_ab_n;
	struct cx_xsum	wait_sum, wait_ans_sum, wait_ab_sum;
	double		wait_max;			/* valid when wait_n > 0 */
	struct cx_hist	wait_hist;			/* whole seconds, all offered */
	uint64_t	talk_n, hold_n, wrap_n;
	struct cx_xsum	talk_sum, hold_sum, wrap_sum, handle_sum;	/* answered calls */
	uint64_t	transfer_n, transferred;
	uint64_t	resolved_n, resolved;
	uint64_t	first_contacts, repeated, repeat_unknown;
	int64_t		start_max;			/* latest start (ms); valid when offered > 0 */
	uint64_t	ans_in[KPI_MAX_SL], ab_in[KPI_MAX_SL];
	size_t		gidx;		/* the group's own index (not merged) */
};

/* io.c: the input (with --rejects) and the output of every mode. */

struct kpi_in {
	struct cx_csvin		*in;
	struct cx_rejects	 rj;
	int			 use_rj, quiet;
	unsigned long		 nread, nused;
	/* a worker's part (read_calls): a bad row is not reported; the part is
	 * given up and the main reader reads it again, in order */
	int			 speculative;
};
/* Open the inputs (exits with a message on failure). */
void	kpi_in_open(struct kpi_in *, const struct kpi_opts *, char **files, size_t n);
/* Column index, or exit 1 "FILE: no column NAME" when required and absent. */
int	kpi_in_column(struct kpi_in *, const char *name, int required, const char *why);
/* Next record: 1, 0 at the end; exits on a read error. */
int	kpi_in_next(struct kpi_in *, struct cx_record *);
/* A bad field: with --rejects the row goes there and 0 is returned (skip it);
 * otherwise the message is printed and the tool exits 1. */
int	kpi_in_bad(struct kpi_in *, const struct cx_record *, int col, const char *reason);
/* Commit the rejects, print the counts (with --rejects), free. */
void	kpi_in_close(struct kpi_in *);

struct kpi_out {
	struct cx_outfile	 of;
	struct cx_csvout	*csv;
};
void	kpi_out_open(struct kpi_out *, const char *path);
int	kpi_out_close(struct kpi_out *);	/* CX_EXIT_OK, or exit 3 with a message */

/*
 * --repeat-window (man page): contact i of a customer is a first contact iff
 * the previous one is absent or more than W earlier; a first contact is
 * repeated iff the next one is at most W later, and unknown when there is no
 * next one and its start + W is past the last start in the data.  Each
 * contact's status depends on its neighbours only, so a run (a shard) leaves per
 * customer just a boundary: a struct kpi_seg.  A single run (one contact at a
 * time) and merge (one partial's run at a time) resolve through cust_join();
 * --partial builds each customer's run with run_add() in summary.c.
 */
struct cust {
	int64_t		last;		/* start of the latest contact (ms) */
	uint32_t	lgroup;		/* index of its group */
	uint8_t		pending;	/* it is a first contact not yet followed */
	uint8_t		open;		/* --partial: the run holds one contact, whose
					 * status needs the run before it */
	uint8_t		ffollowed;	/* --partial: the first contact of the run is
					 * followed within W */
};
/* --partial: a customer's run also keeps its first contact. */
struct cust_run {
	struct cust	c;
	int64_t		first;		/* start of the run's first contact (ms) */
	uint64_t	contacts;
	uint32_t	fgroup;
};
/* A run of contacts of one customer, as a partial file keeps it: the first
 * contact (first, fgroup), the last (last, lgroup), and when it holds two or
 * more (multi): whether the first is followed within W (ffollowed) and whether
 * the last is a first contact not followed (lpending). */
struct kpi_seg {
	int64_t		first, last;
	uint32_t	fgroup, lgroup;
	int		multi, ffollowed, lpending;
};

/* Groups keyed by the --by values (each as a 4-byte length and the bytes) and
 * the period start (8 bytes). */
struct groups {
	const struct kpi_opts	*o;
	struct cx_hashmap	*map;		/* key -> struct kpi_stats */
	struct cx_hashmap	*cust;		/* customer_id -> struct cust */
	int64_t			 data_end;	/* latest start seen (after read_calls) */
	int64_t			 win;		/* --repeat-window in ms */
	int			 have_wait, have_handle;
	char			 day[11];	/* "YYYY-MM-DDT" of the last slow-parsed time */
	int64_t			 day_ms;
	int			 day_ok;
	char			*key;
	size_t			 keycap;
	int			 runs;		/* customers kept as runs (struct
						 * cust_run): --partial, a part */
};

/* summary.c: the groups, the reading of call records, the KPI table. */
void	groups_init(struct groups *, const struct kpi_opts *);
/* The same, with customers kept as runs (a part read by another thread). */
void	groups_init_runs(struct groups *, const struct kpi_opts *);
void	groups_fini(struct groups *);
/* The stats of (by values, period start), created zeroed when new. */
struct kpi_stats *group_get(struct groups *, const char *const *val, const size_t *vlen,
	    int64_t pstart);
const char *key_field(const char *key, size_t i, size_t *len);	/* i-th --by value */
int64_t	key_period(const char *key, size_t keylen);
void	stats_merge(struct kpi_stats *dst, const struct kpi_stats *src);
/* Add src's groups into dst; map[i] is the index in dst of src's group i
 * (map may be NULL). */
void	groups_merge(struct groups *dst, const struct groups *src, uint32_t *map);
double	ratio(double num, double den);			/* NaN when den <= 0 */
void	read_calls(struct groups *, char **files, size_t nfiles);
/* Put the run s after what cu knows of the customer (have: cu holds at least
 * one contact; else cu is filled), counting first contacts and repeats in the
 * groups of g. */
void	cust_join(struct groups *, struct cust *cu, int have, const struct kpi_seg *s);
/* Count a customer whose last contact is a first contact with no next one as
 * repeat_unknown when its window runs past g->data_end. */
void	cust_finish(struct groups *, const struct cust *cu);
size_t	*sorted_groups(const struct groups *);		/* malloc'd output order */
void	write_keys(struct cx_csvout *, const struct groups *, size_t i);
void	write_key_header(struct cx_csvout *, const struct kpi_opts *);
void	write_summary(const struct groups *, const char *out);
int	kpi_summary(const struct kpi_opts *, char **files, size_t nfiles, const char *out);
double	kpi_service_level(const struct kpi_stats *, enum sl_formula, size_t k);

/* merge.c */
void	kpi_write_partial(const struct groups *, const char *out);
int	kpi_merge(const struct kpi_opts *, char **files, size_t nfiles, const char *out);

/* plan.c */
int	kpi_plan(const struct kpi_opts *, char **files, size_t nfiles, const char *out);

/* erlang.c */
struct erl_result {
	double	traffic, agents, heads;
	double	p_wait, service_level, asa, occupancy, p_abandon;
	int	unstable;	/* Erlang C with traffic >= agents */
	int	unmet;		/* no staffing up to the limit meets the targets */
	int	no_aht;		/* calls but no handle time (nothing answered) */
};
double	erlang_b(double traffic, long n);
/* Staff (opts->agents < 0) or evaluate one interval.  T is the SL threshold. */
void	erlang_staff(const struct kpi_opts *, double calls, double aht, double interval_s,
	    double patience, struct erl_result *);
int	kpi_erlang(const struct kpi_opts *, char **files, size_t nfiles, const char *out);

#endif /* KPI_H */
