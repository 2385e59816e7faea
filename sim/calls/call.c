/* call.c — the call table: the families' rows assembled into one array indexed by kind.
 *
 * The design choice to know: the rows live with their families (sim/calls/call_<family>.c), so a
 * family is read in one file; this file only puts them in kind order, once, and checks that
 * the pieces fit (every kind exactly one row, keywords unique, every row a parse hook and a
 * footprint, every row that blocks a wait role). Assembly happens on the first question,
 * under g_once, so no start-up hook is needed and any thread may ask. The parser finds rows
 * by keyword in an index sorted by name, built with the table: a binary search, and no
 * allocation.
 */
#include "calls/call_int.h"

#include <stdlib.h>
#include <string.h>

typedef struct Family {
	const SimCallDesc *rows;
	const guint *n_rows;
} Family;

static const SimCallDesc *by_kind[SIM_CALL_N_KINDS];
static guint rows_of[SIM_CALL_N_KINDS]; /* how many rows claimed each kind (1 when sound) */
static guint stray;			/* rows whose kind is out of range */
static const SimCallDesc *by_name[SIM_CALL_N_KINDS]; /* the rows with a keyword, sorted by it */
static guint n_named;

/* Appends one problem to why, when the caller wants to know. */
static void say(GString *why, const char *what, guint kind)
{
	if (why)
		g_string_append_printf(why, "%s%s %u", why->len ? "; " : "", what, kind);
}

/* The table's invariant, on the table as assembled so far (assemble calls it from inside
 * the g_once, where sim_call_table_check would wait for itself). */
static gboolean check_table(GString *why)
{
	gboolean ok = stray == 0;
	if (stray)
		say(why, "rows with a kind out of range:", stray);
	for (guint k = 0; k < SIM_CALL_N_KINDS; k++) {
		const SimCallDesc *d = by_kind[k];
		if (rows_of[k] != 1) {
			say(why, rows_of[k] ? "more than one row for kind" : "no row for kind", k);
			ok = FALSE;
		}
		if (!d)
			continue;
		if (!d->name || !*d->name || (guint)d->family >= SIM_CALL_N_FAMILIES) {
			say(why, "no keyword or no family for kind", k);
			ok = FALSE;
		}
		if (!d->parse) {
			say(why, "no parse hook for kind", k);
			ok = FALSE;
		}
		if (!d->footprint) {
			say(why, "no footprint for kind", k);
			ok = FALSE;
		}
		if (d->blocks && d->wait_role == SIM_WAIT_NONE) {
			say(why, "no wait role for the blocking kind", k);
			ok = FALSE;
		}
		for (guint j = 0; j < k && d->name; j++) {
			if (by_kind[j] && by_kind[j]->name &&
			    strcmp(by_kind[j]->name, d->name) == 0) {
				say(why, "keyword shared with an earlier row by kind", k);
				ok = FALSE;
			}
		}
	}
	return ok;
}

static int compare_names(const void *a, const void *b)
{
	const SimCallDesc *const *x = a, *const *y = b;
	return strcmp((*x)->name, (*y)->name);
}

/* The keyword index: every assembled row that has a keyword, sorted by it. */
static void index_names(void)
{
	for (guint k = 0; k < SIM_CALL_N_KINDS; k++)
		if (by_kind[k] && by_kind[k]->name)
			by_name[n_named++] = by_kind[k];
	qsort(by_name, n_named, sizeof(by_name[0]), compare_names);
}

static void assemble(void)
{
	const Family families[] = {
		{ sim_call_control_rows, &sim_call_control_n_rows },
		{ sim_call_mbox_rows, &sim_call_mbox_n_rows },
		{ sim_call_sysv_rows, &sim_call_sysv_n_rows },
		{ sim_call_posix_rows, &sim_call_posix_n_rows },
		{ sim_call_file_rows, &sim_call_file_n_rows },
		{ sim_call_fd_rows, &sim_call_fd_n_rows },
		{ sim_call_seek_rows, &sim_call_seek_n_rows },
		{ sim_call_poll_rows, &sim_call_poll_n_rows },
		{ sim_call_stat_rows, &sim_call_stat_n_rows },
		{ sim_call_cred_rows, &sim_call_cred_n_rows },
		{ sim_call_alarm_rows, &sim_call_alarm_n_rows },
		{ sim_call_exec_rows, &sim_call_exec_n_rows },
		{ sim_call_procfs_rows, &sim_call_procfs_n_rows },
		{ sim_call_proc_rows, &sim_call_proc_n_rows },
		{ sim_call_thread_rows, &sim_call_thread_n_rows },
		{ sim_call_sem_rows, &sim_call_sem_n_rows },
		{ sim_call_shm_rows, &sim_call_shm_n_rows },
		{ sim_call_ipcrm_rows, &sim_call_ipcrm_n_rows },
		{ sim_call_sock_rows, &sim_call_sock_n_rows },
		{ sim_call_alpc_rows, &sim_call_alpc_n_rows },
	};
	for (guint f = 0; f < G_N_ELEMENTS(families); f++) {
		for (guint i = 0; i < *families[f].n_rows; i++) {
			const SimCallDesc *d = &families[f].rows[i];
			if ((guint)d->kind >= SIM_CALL_N_KINDS) {
				stray++;
				continue;
			}
			if (rows_of[d->kind]++ == 0)
				by_kind[d->kind] = d;
		}
	}
	index_names();
#ifdef MSGSIM_DEBUG
	g_assert(check_table(NULL));
#endif
}

static void ensure_table(void)
{
	static gsize done = 0;
	if (g_once_init_enter(&done)) {
		assemble();
		g_once_init_leave(&done, 1);
	}
}

const SimCallDesc *sim_call_desc(SimStmtKind kind)
{
	g_return_val_if_fail((guint)kind < SIM_CALL_N_KINDS, NULL);
	ensure_table();
	return by_kind[kind];
}

static int compare_key(const void *key, const void *row)
{
	return strcmp(key, (*(const SimCallDesc *const *)row)->name);
}

const SimCallDesc *sim_call_by_name(const char *name)
{
	g_return_val_if_fail(name != NULL, NULL);
	ensure_table();
	const SimCallDesc *const *row =
		bsearch(name, by_name, n_named, sizeof(by_name[0]), compare_key);
	return row ? *row : NULL;
}

const char *sim_call_family_name(SimCallFamily family)
{
	static const char *const names[] = {
		[SIM_CALL_CONTROL] = "control", [SIM_CALL_MBOX] = "mailboxes",
		[SIM_CALL_SYSV] = "System V",	[SIM_CALL_POSIX] = "POSIX",
		[SIM_CALL_FILE] = "files",	[SIM_CALL_PROC] = "processes",
		[SIM_CALL_SEM] = "semaphores",	[SIM_CALL_SHM] = "shared memory",
		[SIM_CALL_SOCK] = "sockets",	[SIM_CALL_ALPC] = "ALPC ports",
	};
	g_return_val_if_fail((guint)family < SIM_CALL_N_FAMILIES, NULL);
	return names[family];
}

void sim_call_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st, SimFootprint *fp)
{
	g_return_if_fail(w != NULL && t != NULL && st != NULL && fp != NULL);
	sim_footprint_init(fp);
	const SimCallDesc *d = sim_call_desc(st->kind);
	if (d && d->footprint)
		d->footprint(w, t, st, fp);
	else
		fp->everything = TRUE; /* a row without one (the table check says so) */
	/* A thread's descriptor table is its process's (thread.c): the rows name the task's
	 * own, and here it becomes the one the calls really share. */
	for (guint i = 0; i < fp->n; i++)
		if (fp->refs[i].kind == SIM_OBJ_FDT && fp->refs[i].id < w->n_tasks)
			fp->refs[i].id = (guint64)w->tasks[fp->refs[i].id].group;
}

/* ---- Deadlock report ---- */

SimCallWaitRole sim_call_wait_role(const SimStmt *st, SimObjKind kind)
{
	if (!st)
		return SIM_WAIT_NONE;
	const SimCallDesc *d = sim_call_desc(st->kind);
	return d->wait_role != SIM_WAIT_NONE && d->wait_obj == kind ? d->wait_role : SIM_WAIT_NONE;
}

gboolean sim_call_reaches(const SimWorld *w, const SimTask *t, const SimStmt *st,
			  SimCallWaitRole role, const SimObjRef *obj)
{
	g_return_val_if_fail(w != NULL && t != NULL && st != NULL && obj != NULL, FALSE);
	if (!(sim_call_wait_role(st, obj->kind) & role))
		return FALSE;
	const SimCallDesc *d = sim_call_desc(st->kind);
	return !d->reaches || d->reaches(w, t, st, obj);
}

const SimStmt *sim_call_stmt_of(const SimStmt *st, SimCallFamily fam)
{
	g_assert(sim_call_desc(st->kind)->family == fam);
	return st;
}

gboolean sim_call_table_check(GString *why)
{
	ensure_table();
	return check_table(why);
}

/* ---- Trace hooks more than one family uses ---- */

/* A call that failed returned -1, as every system call does in C, whatever the event's
 * ret holds (a byte count of 0, a negative errno): the errno goes in a field of its own,
 * as a number (its name is in "result"). */
void sim_call_json_ret(GString *s, const SimTraceEvent *ev)
{
	if (ev->blocked)
		return;
	if (ev->err) {
		sim_trace_json_int(s, "ret", -1);
		sim_trace_json_int(s, "errno", ev->err);
		return;
	}
	sim_trace_json_int(s, "ret", ev->ret);
}

gboolean sim_call_result_head(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	if (ev->blocked) {
		sim_trace_blocked(s, ev);
		return FALSE;
	}
	sim_trace_puts(s, arrow);
	sim_trace_result(s, ev->err);
	return !ev->err;
}

void sim_call_text_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	sim_call_result_head(s, ev, arrow);
}
