/* xcheck_users.c — the per-user pipe limits on the real kernel: the machine's values, and
 * users of the run's own.
 *
 * fs/pipe.c charges a pipe's pages to its maker's user_struct, found by the kernel's uid
 * (not by any namespace), and checks fs.pipe-user-pages-soft and -hard, which are the
 * machine's and in no namespace. The model starts every user at 0 pages. A scenario that
 * gives the two limits in its `sysctl` is cross-checked where the machine has the same
 * values (they are read, never written) and only then. Its users must start at 0 on the
 * kernel too, so each of its non-root uids runs as a uid of the run's own: one no process
 * on the machine has when the run picks it (a scan of /proc), taken from a high range at
 * an offset made of the coordinator's pid, so that two runs alive at once never share one.
 *
 * The one design choice to know: the model's uid is not translated back in results, so such
 * a scenario may only make calls that never show a uid or compare one with another
 * process's that keeps its own (pipes, FIFOs, descriptors, control flow: the list below).
 * Anything else makes it not cross-checkable, with the line. Root stays root: it is
 * privileged (sys_admin) and never limited.
 */
#include "real/xcheck_int.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SOFT_FILE "/proc/sys/fs/pipe-user-pages-soft"
#define HARD_FILE "/proc/sys/fs/pipe-user-pages-hard"
/* The run's uids: FRESH_BASE + (pid << 4 | k) + n * FRESH_STEP, below 2^31 for every pid
 * (pid_max is at most 2^22) and far above any account a machine hands out. */
#define FRESH_BASE 0x40000000
#define FRESH_STEP 0x4000000
#define FRESH_TRIES 8

/* The statements such a scenario may hold: none shows a uid (stat, si.uid, IPC
 * permissions, ipcs) or hands one to the kernel (setuid), and none needs an object whose
 * creator the run would not map (declared queues). FIFO permissions compare the caller's
 * uid with the owner's, both mapped alike. */
static gboolean kind_allowed(SimStmtKind k)
{
	switch (k) {
	case SIM_STMT_COMPUTE:
	case SIM_STMT_SLEEP:
	case SIM_STMT_PRINT:
	case SIM_STMT_EXIT:
	case SIM_STMT_REPEAT:
	case SIM_STMT_LOOP:
	case SIM_STMT_BREAK:
	case SIM_STMT_IF:
	case SIM_STMT_ELSE:
	case SIM_STMT_ASSERT:
	case SIM_STMT_LET:
	case SIM_STMT_PIPE:
	case SIM_STMT_CLOSE:
	case SIM_STMT_READ:
	case SIM_STMT_WRITE:
	case SIM_STMT_FCNTL:
	case SIM_STMT_IOCTL:
	case SIM_STMT_DUP:
	case SIM_STMT_DUP2:
	case SIM_STMT_DUP3:
	case SIM_STMT_MKFIFO:
	case SIM_STMT_OPEN:
	case SIM_STMT_UNLINK:
	case SIM_STMT_LSEEK:
	case SIM_STMT_PREAD:
	case SIM_STMT_PWRITE:
	case SIM_STMT_POLL:
	case SIM_STMT_SELECT:
		return TRUE;
	default:
		return FALSE;
	}
}

/* The first statement of b (or a body in it) that such a scenario may not hold, or NULL. */
static const SimStmt *first_not_allowed(const SimBlock *b)
{
	for (guint i = 0; i < b->n_stmts; i++) {
		const SimStmt *st = &b->stmts[i];
		if (!kind_allowed(st->kind))
			return st;
		const SimStmt *in = sim_stmt_body(st) ? first_not_allowed(sim_stmt_body(st)) : NULL;
		if (in)
			return in;
	}
	return NULL;
}

gboolean xc_pipe_limits_read(gint64 *soft, gint64 *hard)
{
	const char *files[2] = { SOFT_FILE, HARD_FILE };
	gint64 *out[2] = { soft, hard };
	for (guint i = 0; i < 2; i++) {
		g_autofree char *text = NULL;
		char *end = NULL;
		if (!g_file_get_contents(files[i], &text, NULL, NULL))
			return FALSE;
		*out[i] = g_ascii_strtoll(text, &end, 10);
		if (end == text || *out[i] < 0)
			return FALSE;
	}
	return TRUE;
}

/* The distinct non-root uids of the scenario's processes, in order of first use. */
static guint scenario_uids(const SimScenario *scn, gint64 *uids, guint max)
{
	guint n = 0;
	for (guint i = 0; i < scn->n_procs; i++) {
		gint64 u = scn->procs[i].uid;
		gboolean seen = u == 0;
		for (guint j = 0; j < n && !seen; j++)
			seen = uids[j] == u;
		if (!seen && n < max)
			uids[n] = u;
		n += !seen;
	}
	return n;
}

char *xc_pipe_users_unsupported(const SimScenario *scn)
{
	const SimLimits *l = &scn->limits;
	if (!l->pipe_user_set)
		return NULL;
	gint64 soft, hard;
	if (!xc_pipe_limits_read(&soft, &hard))
		return g_strdup("its sysctl gives the per-user pipe limits, and " SOFT_FILE
				" or " HARD_FILE " cannot be read");
	if (soft != l->pipe_user_pages_soft || hard != l->pipe_user_pages_hard)
		return g_strdup_printf(
			"fs.pipe-user-pages-soft and -hard are %" G_GINT64_FORMAT
			" and %" G_GINT64_FORMAT " on this machine where the scenario has %" G_GINT64_FORMAT
			" and %" G_GINT64_FORMAT ": they are the machine's own (in no namespace), "
			"which the cross-check never changes",
			soft, hard, l->pipe_user_pages_soft, l->pipe_user_pages_hard);
	if (scn->n_sysvqs || scn->n_posixqs || scn->n_mboxes)
		return g_strdup("its sysctl gives the per-user pipe limits, so its users run as "
				"uids of the run's own, and it declares queues, whose creators "
				"would keep the scenario's uids");
	for (guint i = 0; i < scn->n_bodies; i++) {
		const SimStmt *st = first_not_allowed(&scn->bodies[i]->block);
		if (st)
			return g_strdup_printf(
				"its sysctl gives the per-user pipe limits, so its users run as "
				"uids of the run's own, and line %u has %s, which only pipe, FIFO "
				"and descriptor calls may be beside (it could show the uid)",
				st->loc.line, sim_call_desc(st->kind)->name);
	}
	gint64 uids[XC_MAX_USERS];
	if (scenario_uids(scn, uids, XC_MAX_USERS) > XC_MAX_USERS)
		return g_strdup_printf("its sysctl gives the per-user pipe limits, so its users run "
				       "as uids of the run's own, and it has more than %d of them",
				       XC_MAX_USERS);
	return NULL;
}

/* Every uid a process on the machine has (real, effective, saved or file system), as far
 * as this process's /proc shows them. */
static GHashTable *uids_in_use(void)
{
	GHashTable *used = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
	DIR *d = opendir("/proc");
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		if (!g_ascii_isdigit(e->d_name[0]))
			continue;
		g_autofree char *path = g_strdup_printf("/proc/%s/status", e->d_name);
		g_autofree char *text = NULL;
		if (!g_file_get_contents(path, &text, NULL, NULL))
			continue;
		char *at = strstr(text, "\nUid:");
		if (!at)
			continue;
		at += 5;
		for (guint i = 0; i < 4; i++) {
			char *end = NULL;
			gint64 *u = g_new(gint64, 1);
			*u = g_ascii_strtoll(at, &end, 10);
			if (end == at) {
				g_free(u);
				break;
			}
			g_hash_table_add(used, u); /* an equal key already there is freed */
			at = end;
		}
	}
	if (d)
		closedir(d);
	return used;
}

gboolean xc_users_pick(Xc *xc)
{
	const SimScenario *scn = xc->scn;
	xc->n_users = 0;
	if (!scn->limits.pipe_user_set)
		return TRUE;
	gint64 uids[XC_MAX_USERS];
	guint n = MIN(scenario_uids(scn, uids, XC_MAX_USERS), XC_MAX_USERS);
	if (n == 0)
		return TRUE;
	g_autoptr(GHashTable) used = uids_in_use();
	GString *note = g_string_new(xc->shared_note);
	gint64 pid = (gint64)getpid() & 0x3fffff;
	for (guint k = 0; k < n; k++) {
		gint64 real = -1;
		for (guint t = 0; t < FRESH_TRIES && real < 0; t++) {
			gint64 c = FRESH_BASE + (pid << 4 | k) + (gint64)t * FRESH_STEP;
			if (!g_hash_table_contains(used, &c))
				real = c;
		}
		if (real < 0) {
			xc->unsupported = g_strdup_printf(
				"no uid of the run's own for uid %" G_GINT64_FORMAT
				": processes on the machine have all %d it tried",
				uids[k], FRESH_TRIES);
			g_string_free(note, TRUE);
			return FALSE;
		}
		xc->user_model[k] = uids[k];
		xc->user_real[k] = real;
		g_string_append_printf(note,
				       "# uid %" G_GINT64_FORMAT " runs as uid %" G_GINT64_FORMAT
				       ", which no process on the machine had: its pipe pages "
				       "start at 0, as in the model\n",
				       uids[k], real);
	}
	xc->n_users = n;
	g_free(xc->shared_note);
	xc->shared_note = g_string_free(note, FALSE);
	return TRUE;
}

gint64 xc_real_uid(const Xc *xc, gint64 uid)
{
	for (guint k = 0; k < xc->n_users; k++)
		if (xc->user_model[k] == uid)
			return xc->user_real[k];
	return uid;
}
