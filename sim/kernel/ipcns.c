/* ipcns.c — the IPC namespace: limits, cyclic id allocation, permission checks.
 *
 * The design choice to know: the slot table is indexed by the id's idx part exactly as
 * the kernel's idr is, so ids, their reuse after removal and the wrap into a new seq come
 * out as the real kernel prints them; a slot-array scan replaces the idr tree (linear in
 * the number of slots, at most 32768, and only on msgget and removal).
 */
#include "msgsim/kernel/ipcns.h"

#include <string.h>

void sim_ipcns_init(SimIpcNs *ns, const SimLimits *limits)
{
	memset(ns, 0, sizeof(*ns));
	ns->limits = *limits;
	ns->last_idx = -1;
	ns->max_idx_used = -1;
	ns->mq_names = g_hash_table_new(g_str_hash, g_str_equal);
	ns->mq_charge = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_free);
}

void sim_ipcns_clear(SimIpcNs *ns)
{
	g_clear_pointer(&ns->slots, g_free);
	g_clear_pointer(&ns->slot_seq, g_free);
	ns->n_slots = 0;
	g_clear_pointer(&ns->mq_names, g_hash_table_unref);
	g_clear_pointer(&ns->mq_charge, g_hash_table_unref);
}

gint64 sim_ipcns_mq_charged(const SimIpcNs *ns, gint64 uid)
{
	const gint64 *bytes = g_hash_table_lookup(ns->mq_charge, &uid);
	return bytes ? *bytes : 0;
}

void sim_ipcns_mq_charge(SimIpcNs *ns, gint64 uid, gint64 bytes)
{
	gint64 *have = g_hash_table_lookup(ns->mq_charge, &uid);
	if (!have) {
		have = g_new0(gint64, 1);
		g_hash_table_insert(ns->mq_charge, g_memdup2(&uid, sizeof(uid)), have);
	}
	*have += bytes;
	g_assert(*have >= 0);
}

static void grow(SimIpcNs *ns, guint need)
{
	if (need <= ns->n_slots)
		return;
	guint n = MAX(need, ns->n_slots * 2);
	n = MIN(MAX(n, 64u), (guint)SIM_IPC_MNI_MAX);
	ns->slots = g_renew(gpointer, ns->slots, n);
	memset(ns->slots + ns->n_slots, 0, (n - ns->n_slots) * sizeof(gpointer));
	ns->slot_seq = g_renew(guint, ns->slot_seq, n);
	memset(ns->slot_seq + ns->n_slots, 0, (n - ns->n_slots) * sizeof(guint));
	ns->n_slots = n;
}

/* First free index in [from, end), or -1. */
static int find_free(const SimIpcNs *ns, guint from, guint end)
{
	for (guint i = from; i < end; i++)
		if (i >= ns->n_slots || ns->slots[i] == NULL)
			return (int)i;
	return -1;
}

int sim_ipcns_alloc(SimIpcNs *ns, gpointer obj, guint *seq_out)
{
	if ((gint64)ns->in_use >= ns->limits.msgmni)
		return -1;
	/* ipc_idr_alloc: idr_alloc_cyclic over [0, max_idx). */
	guint max_idx = MIN(MAX(ns->in_use * 3 / 2, 64u), (guint)SIM_IPC_MNI_MAX);
	guint from = ns->next_idx < max_idx ? ns->next_idx : 0;
	int idx = find_free(ns, from, max_idx);
	if (idx < 0 && from > 0)
		idx = find_free(ns, 0, max_idx);
	if (idx < 0)
		return -1;
	if (idx <= ns->last_idx) {
		ns->seq++;
		if (ns->seq >= SIM_IPC_SEQ_MAX)
			ns->seq = 0;
	}
	ns->last_idx = idx;
	ns->next_idx = (guint)idx + 1;
	grow(ns, (guint)idx + 1);
	ns->slots[idx] = obj;
	ns->slot_seq[idx] = ns->seq;
	ns->in_use++;
	ns->max_idx_used = MAX(ns->max_idx_used, idx);
	*seq_out = ns->seq;
	return (int)(ns->seq * SIM_IPC_MNI_MAX) + idx;
}

void sim_ipcns_free(SimIpcNs *ns, int id)
{
	int idx = sim_ipcns_idx(id);
	g_assert(idx < (int)ns->n_slots && ns->slots[idx] != NULL);
	ns->slots[idx] = NULL;
	ns->in_use--;
	if (idx == ns->max_idx_used) {
		while (ns->max_idx_used >= 0 && ns->slots[ns->max_idx_used] == NULL)
			ns->max_idx_used--;
	}
}

gpointer sim_ipcns_lookup(const SimIpcNs *ns, int id)
{
	if (id < 0)
		return NULL;
	int idx = sim_ipcns_idx(id);
	if (idx >= (int)ns->n_slots || ns->slot_seq[idx] != (guint)(id / SIM_IPC_MNI_MAX))
		return NULL; /* a free slot gives NULL too: its object pointer is NULL */
	return ns->slots[idx];
}

gboolean sim_ipcns_denied(const SimIpcPerm *perm, const SimCred *cred, guint flag)
{
	guint requested = (flag >> 6) | (flag >> 3) | flag;
	guint granted = perm->mode;
	if (cred->uid == perm->cuid || cred->uid == perm->uid)
		granted >>= 6;
	else if (cred->gid == perm->cgid || cred->gid == perm->gid)
		granted >>= 3;
	return (requested & ~granted & 0007) && !(cred->caps & SIM_CAP_IPC_OWNER);
}

gboolean sim_ipcns_may_control(const SimIpcPerm *perm, const SimCred *cred)
{
	return cred->uid == perm->uid || cred->uid == perm->cuid ||
	       (cred->caps & SIM_CAP_SYS_ADMIN);
}

gint64 sim_ipcns_ftok(gint64 dev, gint64 ino, gint64 proj)
{
	return (gint64)((((guint64)proj & 0xff) << 24) | (((guint64)dev & 0xff) << 16) |
			((guint64)ino & 0xffff));
}
