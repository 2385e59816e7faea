/* ipcids.c — an XSI id space: cyclic index allocation, sequence numbers, key lookup.
 *
 * The design choice to know: the slot array is indexed by the id's idx part as the
 * kernel's idr is, so ids and their reuse come out as the real kernel prints them; a scan
 * of the slots stands in for the idr tree and the key hash (linear in the slots, at most
 * 32768, and only on get and removal).
 */
#include "msgsim/kernel/ipcids.h"

#include <string.h>

void sim_ipcids_init(SimIpcIds *ids)
{
	memset(ids, 0, sizeof(*ids));
	ids->last_idx = -1;
	ids->max_idx_used = -1;
}

void sim_ipcids_clear(SimIpcIds *ids)
{
	g_clear_pointer(&ids->slots, g_free);
	g_clear_pointer(&ids->slot_seq, g_free);
	ids->n_slots = 0;
}

static void grow(SimIpcIds *ids, guint need)
{
	if (need <= ids->n_slots)
		return;
	guint n = MIN(MAX(MAX(need, ids->n_slots * 2), 64u), (guint)SIM_IPC_MNI_MAX);
	ids->slots = g_renew(gpointer, ids->slots, n);
	memset(ids->slots + ids->n_slots, 0, (n - ids->n_slots) * sizeof(gpointer));
	ids->slot_seq = g_renew(guint, ids->slot_seq, n);
	memset(ids->slot_seq + ids->n_slots, 0, (n - ids->n_slots) * sizeof(guint));
	ids->n_slots = n;
}

static int find_free(const SimIpcIds *ids, guint from, guint end)
{
	for (guint i = from; i < end; i++)
		if (i >= ids->n_slots || ids->slots[i] == NULL)
			return (int)i;
	return -1;
}

int sim_ipcids_alloc(SimIpcIds *ids, gpointer obj, gint64 limit, guint *seq_out)
{
	if ((gint64)ids->in_use >= MIN(limit, (gint64)SIM_IPC_MNI_MAX))
		return -1;
	guint max_idx = MIN(MAX(ids->in_use * 3 / 2, 64u), (guint)SIM_IPC_MNI_MAX);
	guint from = ids->next_idx < max_idx ? ids->next_idx : 0;
	int idx = find_free(ids, from, max_idx);
	if (idx < 0 && from > 0)
		idx = find_free(ids, 0, max_idx);
	if (idx < 0)
		return -1;
	if (idx <= ids->last_idx && ++ids->seq >= SIM_IPC_SEQ_MAX)
		ids->seq = 0;
	ids->last_idx = idx;
	ids->next_idx = (guint)idx + 1;
	grow(ids, (guint)idx + 1);
	ids->slots[idx] = obj;
	ids->slot_seq[idx] = ids->seq;
	ids->in_use++;
	ids->max_idx_used = MAX(ids->max_idx_used, idx);
	*seq_out = ids->seq;
	return (int)(ids->seq * SIM_IPC_MNI_MAX) + idx;
}

void sim_ipcids_free(SimIpcIds *ids, int id)
{
	int idx = sim_ipcns_idx(id);
	g_assert(idx < (int)ids->n_slots && ids->slots[idx] != NULL);
	ids->slots[idx] = NULL;
	ids->in_use--;
	while (ids->max_idx_used >= 0 && ids->slots[ids->max_idx_used] == NULL)
		ids->max_idx_used--;
}

gpointer sim_ipcids_lookup(const SimIpcIds *ids, int id)
{
	if (id < 0)
		return NULL;
	int idx = sim_ipcns_idx(id);
	if (idx >= (int)ids->n_slots || ids->slot_seq[idx] != (guint)(id / SIM_IPC_MNI_MAX))
		return NULL;
	return ids->slots[idx];
}

gpointer sim_ipcids_lookup_idx(const SimIpcIds *ids, int id)
{
	if (id < 0)
		return NULL;
	int idx = sim_ipcns_idx(id);
	return idx < (int)ids->n_slots ? ids->slots[idx] : NULL;
}

gpointer sim_ipcids_find_key(const SimIpcIds *ids, gint64 key)
{
	for (guint i = 0; i < ids->n_slots; i++) {
		const SimIpcPerm *perm = ids->slots[i];
		if (perm && perm->key == key)
			return ids->slots[i];
	}
	return NULL;
}
