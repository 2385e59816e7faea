/* pipeuser.c — fs/pipe.c's per-user pipe accounting: account_pipe_buffers and the two
 * too_many_pipe_buffers checks, as alloc_pipe_info and pipe_set_size use them.
 *
 * The design choice to know: the table charges first and checks the new total, then undoes
 * the charge on a refusal, in the kernel's order, so that a refused call leaves the total as
 * it found it (the kernel's out_revert_acct).
 */
#include "msgsim/kernel/pipeuser.h"

void sim_pipe_users_init(SimPipeUsers *u, gint64 soft, gint64 hard)
{
	u->pages = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_free);
	u->soft = soft;
	u->hard = hard;
}

void sim_pipe_users_clear(SimPipeUsers *u)
{
	g_clear_pointer(&u->pages, g_hash_table_unref);
}

guint64 sim_pipe_users_total(const SimPipeUsers *u, gint64 uid)
{
	const guint64 *n = g_hash_table_lookup(u->pages, &uid);
	return n ? *n : 0;
}

/* account_pipe_buffers: the user's total after `old` pages are replaced by `new`. */
static guint64 account(SimPipeUsers *u, gint64 uid, guint old, guint new_pages)
{
	guint64 *n = g_hash_table_lookup(u->pages, &uid);
	if (!n) {
		gint64 *key = g_new(gint64, 1);
		*key = uid;
		n = g_new0(guint64, 1);
		g_hash_table_insert(u->pages, key, n);
	}
	g_assert(*n >= old);
	*n = *n - old + new_pages;
	return *n;
}

static gboolean too_many(gint64 limit, guint64 total)
{
	return limit > 0 && total > (guint64)limit;
}

guint sim_pipe_users_alloc(SimPipeUsers *u, gint64 uid, gboolean privileged, guint want)
{
	guint got = want;
	guint64 total = account(u, uid, 0, got);
	if (too_many(u->soft, total) && !privileged) {
		total = account(u, uid, got, SIM_PIPE_MIN_DEF_BUFFERS);
		got = SIM_PIPE_MIN_DEF_BUFFERS;
	}
	if (too_many(u->hard, total) && !privileged) {
		account(u, uid, got, 0);
		return 0;
	}
	return got;
}

int sim_pipe_users_resize(SimPipeUsers *u, gint64 uid, gboolean privileged, guint old,
			  guint want)
{
	guint64 total = account(u, uid, old, want);
	if (want > old && (too_many(u->hard, total) || too_many(u->soft, total)) && !privileged) {
		account(u, uid, want, old);
		return EPERM;
	}
	return 0;
}

void sim_pipe_users_free(SimPipeUsers *u, gint64 uid, guint n)
{
	account(u, uid, n, 0);
}
