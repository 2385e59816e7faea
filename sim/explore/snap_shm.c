/* snap_shm.c — XSI shared memory segments saved and put back in place, for snap.c, and
 * their part of the state digest, for state.c.
 *
 * The design choice to know: as with the semaphore sets, a segment stays in the
 * namespace's list for the whole run (a removed one is only marked gone), so every segment
 * keeps its address and only its contents are copied back; the attachments point at
 * segments, so they come back right without a rewrite. A segment made after the save is
 * freed at the restore, and a segment whose bytes were first touched after the save loses
 * them (its bytes are made, zero, at the first use). The attachments are small arrays per
 * task, copied whole. Left out of the digest: the segments' atime, dtime and ctime, clock
 * readings that only `ipcs` prints, never an outcome.
 */
#include "explore/snap_shm.h"

#include <string.h>

#include "explore/snap_sem.h"

gboolean snap_shm_fits(const SimStmt *st)
{
	(void)st; /* every call of the family: its state is the segments and the attachments */
	return TRUE;
}

static void arrays(SnapShm *s)
{
	if (s->segs)
		return;
	s->segs = g_array_new(FALSE, FALSE, sizeof(SimShmSeg));
	s->bytes = g_string_new(NULL);
	s->maps = g_array_new(FALSE, FALSE, sizeof(SimShmMaps));
	s->attach = g_array_new(FALSE, FALSE, sizeof(SimShmMap));
}

static guint seg_index(const SimShmNs *ns, const SimShmSeg *seg)
{
	for (guint k = 0; k < ns->all->len; k++)
		if (g_ptr_array_index(ns->all, k) == seg)
			return k;
	g_assert_not_reached();
}

void snap_shm_save(SnapShm *s, const SimWorld *w)
{
	const SimShmNs *ns = &w->shmns;
	arrays(s);
	snap_ids_keep(&s->ids, &ns->ids);
	s->shm_tot = ns->shm_tot;
	s->n_segs = ns->all->len;
	g_array_set_size(s->segs, 0);
	g_string_truncate(s->bytes, 0);
	for (guint i = 0; i < ns->all->len; i++) {
		SimShmSeg c = *(const SimShmSeg *)g_ptr_array_index(ns->all, i);
		if (c.data) {
			gsize n = (gsize)(c.pages * SIM_SHM_PAGE);
			gsize at = s->bytes->len;
			g_string_append_len(s->bytes, (const char *)c.data, (gssize)n);
			c.data = GSIZE_TO_POINTER(at + 1);
		}
		g_array_append_val(s->segs, c);
	}
	g_array_set_size(s->maps, 0);
	g_array_set_size(s->attach, 0);
	for (guint i = 0; i < w->n_tasks; i++) {
		SimShmMaps m = w->shm_maps[i];
		if (m.maps) {
			guint first = s->attach->len;
			for (guint k = 0; k < m.maps->len; k++) {
				SimShmMap a = g_array_index(m.maps, SimShmMap, k);
				a.seg = GUINT_TO_POINTER(seg_index(ns, a.seg) + 1);
				g_array_append_val(s->attach, a);
			}
			m.maps = GUINT_TO_POINTER(first + 1); /* 1 + where they start */
		}
		g_array_append_val(s->maps, m);
	}
}

/* Task i's attachments as saved (n of them from first), in its array. */
static void put_maps(const SnapShm *s, SimWorld *w, guint i, const SimShmMaps *saved, guint n)
{
	SimShmMaps *m = &w->shm_maps[i];
	GArray *maps = m->maps;
	*m = *saved;
	m->maps = maps;
	if (!saved->maps) { /* none then: NULL, which fork and the next address read */
		if (maps)
			g_array_unref(maps);
		m->maps = NULL;
		return;
	}
	if (!m->maps)
		m->maps = g_array_new(FALSE, FALSE, sizeof(SimShmMap));
	g_array_set_size(m->maps, 0);
	guint first = GPOINTER_TO_UINT(saved->maps) - 1;
	for (guint k = 0; k < n; k++) {
		SimShmMap a = g_array_index(s->attach, SimShmMap, first + k);
		a.seg = g_ptr_array_index(w->shmns.all, GPOINTER_TO_UINT(a.seg) - 1);
		g_array_append_val(m->maps, a);
	}
}

void snap_shm_restore(const SnapShm *s, SimWorld *w)
{
	SimShmNs *ns = &w->shmns;
	for (guint i = s->n_segs; i < ns->all->len; i++) { /* made after the save */
		SimShmSeg *seg = g_ptr_array_index(ns->all, i);
		g_free(seg->data);
		g_free(seg);
	}
	g_ptr_array_set_size(ns->all, (gint)s->n_segs);
	snap_ids_put(&s->ids, &ns->ids);
	ns->shm_tot = s->shm_tot;
	for (guint i = 0; i < s->n_segs; i++) {
		SimShmSeg *seg = g_ptr_array_index(ns->all, i);
		guint8 *data = seg->data;
		*seg = g_array_index(s->segs, SimShmSeg, i);
		gsize n = (gsize)(seg->pages * SIM_SHM_PAGE);
		if (!seg->data) {
			g_free(data);
			continue;
		}
		gsize at = GPOINTER_TO_SIZE(seg->data) - 1;
		seg->data = data ? data : g_malloc(n);
		memcpy(seg->data, s->bytes->str + at, n);
	}
	/* Each task's attachments lie one after another in s->attach: a task's count is where
	 * the next task with any starts (or the end). */
	for (guint i = 0; i < w->n_tasks; i++) {
		const SimShmMaps *saved = &g_array_index(s->maps, SimShmMaps, i);
		guint n = 0;
		if (saved->maps) {
			guint first = GPOINTER_TO_UINT(saved->maps) - 1, end = s->attach->len;
			for (guint k = i + 1; k < w->n_tasks && end == s->attach->len; k++) {
				const SimShmMaps *o = &g_array_index(s->maps, SimShmMaps, k);
				if (o->maps)
					end = GPOINTER_TO_UINT(o->maps) - 1;
			}
			n = end - first;
		}
		put_maps(s, w, i, saved, n);
	}
}

void snap_shm_clear(SnapShm *s)
{
	g_free(s->ids.slots);
	g_free(s->ids.slot_seq);
	if (s->segs) {
		g_array_unref(s->segs);
		g_string_free(s->bytes, TRUE);
		g_array_unref(s->maps);
		g_array_unref(s->attach);
	}
	memset(s, 0, sizeof(*s));
}

/* ---- The digest part ---- */

static guint64 hash_seg(guint64 h, const SimShmSeg *seg)
{
	const SimIpcPerm *p = &seg->perm;
	h = snap_hash_word(h, (guint64)p->key);
	h = snap_hash_word(h, (guint64)(guint32)p->id | (guint64)p->mode << 32);
	h = snap_hash_word(h, (guint64)p->uid ^ (guint64)p->gid << 20 ^ (guint64)p->cuid << 40 ^
				      (guint64)p->cgid << 52);
	h = snap_hash_word(h, (guint64)seg->segsz);
	h = snap_hash_word(h, (guint64)seg->nattch | (guint64)(guint32)seg->cpid << 32);
	h = snap_hash_word(
		h, (guint64)(guint32)seg->lpid | (guint64)(seg->has_atime != 0) << 32 |
			   (guint64)(seg->has_dtime != 0) << 33 | (guint64)(seg->dest != 0) << 34 |
			   (guint64)(seg->gone != 0) << 35 | (guint64)(seg->locked != 0) << 36);
	if (!seg->data)
		return snap_hash_word(h, 0x6e6f2064617461);
	gsize n = (gsize)(seg->pages * SIM_SHM_PAGE);
	for (gsize i = 0; i + 8 <= n; i += 8) {
		guint64 word;
		memcpy(&word, seg->data + i, 8);
		h = snap_hash_word(h, word);
	}
	return h;
}

guint64 snap_shm_digest(const SimWorld *w)
{
	const SimShmNs *ns = &w->shmns;
	guint64 h = G_GUINT64_CONSTANT(0x73686d73656773);
	if (!ns->all->len)
		return h;
	for (guint i = 0; i < ns->all->len; i++)
		h = hash_seg(h, g_ptr_array_index(ns->all, i));
	const SimIpcIds *ids = &ns->ids;
	h = snap_hash_word(h, ids->in_use | (guint64)(guint32)ids->last_idx << 32);
	h = snap_hash_word(h, ids->seq | (guint64)ids->next_idx << 32);
	h = snap_hash_word(h, (guint64)ns->shm_tot);
	for (guint i = 0; i < w->n_tasks; i++) {
		const SimShmMaps *m = &w->shm_maps[i];
		h = snap_hash_word(h, (guint64)m->next);
		h = snap_hash_word(h, (guint64)m->racy_addr ^ (guint64)m->racy_len << 48);
		h = snap_hash_word(h, m->racy_seen ^ (guint64)(m->racy_set != 0));
		for (guint k = 0; m->maps && k < m->maps->len; k++) {
			const SimShmMap *a = &g_array_index(m->maps, SimShmMap, k);
			h = snap_hash_word(h, (guint64)a->addr);
			h = snap_hash_word(h, seg_index(ns, a->seg) | (guint64)(a->rdonly != 0)
									      << 32);
		}
	}
	return h;
}
