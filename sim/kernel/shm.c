/* shm.c — XSI shared memory segments, as ipc/shm.c keeps them (see shm.h).
 *
 * The design choice to know: an attachment is a record in its process (SimShmMaps), not a
 * mapping: the segment's bytes live once, in the segment, and a load or a store finds the
 * attachment that holds its address and reads or writes the segment at the offset. So two
 * processes attached to one segment see each other's stores at once, as two mappings of
 * one shmem file do, and a segment is freed only when the last record of it goes.
 */
#include "msgsim/kernel/shm.h"

#include <string.h>

void sim_shmns_init(SimShmNs *ns)
{
	sim_ipcids_init(&ns->ids);
	ns->all = g_ptr_array_new();
	ns->shm_tot = 0;
}

void sim_shmns_clear(SimShmNs *ns)
{
	for (guint i = 0; ns->all && i < ns->all->len; i++) {
		SimShmSeg *seg = g_ptr_array_index(ns->all, i);
		g_free(seg->data);
		g_free(seg);
	}
	g_clear_pointer(&ns->all, g_ptr_array_unref);
	sim_ipcids_clear(&ns->ids);
}

void sim_shm_maps_clear(SimShmMaps *m)
{
	if (m->maps)
		g_array_unref(m->maps);
	m->maps = NULL;
}

SimShmSeg *sim_shm_lookup(const SimShmNs *ns, int id)
{
	SimShmSeg *seg = sim_ipcids_lookup(&ns->ids, id);
	return seg && seg->perm.id == id ? seg : NULL;
}

/* newseg */
static int newseg(SimShmNs *ns, const SimLimits *l, gint64 key, gint64 size, guint mode,
		  const SimCred *cred, int task, SimTime now, int *id_out)
{
	if (size < 1 || size > l->shmmax)
		return EINVAL;
	gint64 pages = size / SIM_SHM_PAGE + (size % SIM_SHM_PAGE != 0);
	if (ns->shm_tot + pages > l->shmall)
		return ENOSPC;
	SimShmSeg *seg = g_new0(SimShmSeg, 1);
	seg->perm = (SimIpcPerm){ .key = key,
				  .uid = cred->uid,
				  .gid = cred->gid,
				  .cuid = cred->uid,
				  .cgid = cred->gid,
				  .mode = mode & 0777 };
	int id = sim_ipcids_alloc(&ns->ids, seg, l->shmmni, &seg->perm.seq);
	if (id < 0) {
		g_free(seg);
		return ENOSPC;
	}
	seg->perm.id = id;
	seg->segsz = size;
	seg->pages = pages;
	/* The bytes are made when they are first needed: a large segment costs nothing until
	 * a store touches it, as the kernel's pages come on the first fault. */
	seg->cpid = task;
	seg->lpid = -1;
	seg->ctime = now;
	ns->shm_tot += pages;
	g_ptr_array_add(ns->all, seg);
	*id_out = id;
	return 0;
}

int sim_shm_get(SimShmNs *ns, const SimLimits *l, gint64 key, gint64 size, guint flags, guint mode,
		const SimCred *cred, int task, SimTime now, int *id_out)
{
	if (key == 0)
		return newseg(ns, l, key, size, mode, cred, task, now, id_out);
	SimShmSeg *seg = sim_ipcids_find_key(&ns->ids, key);
	if (!seg)
		return (flags & SIM_IPC_CREAT)
			       ? newseg(ns, l, key, size, mode, cred, task, now, id_out)
			       : ENOENT;
	if ((flags & SIM_IPC_CREAT) && (flags & SIM_IPC_EXCL))
		return EEXIST;
	if (seg->segsz < size)
		return EINVAL; /* shm_more_checks */
	if (sim_ipcns_denied(&seg->perm, cred, mode & 0777))
		return EACCES;
	*id_out = seg->perm.id;
	return 0;
}

static void destroy(SimShmNs *ns, SimShmSeg *seg)
{
	ns->shm_tot -= seg->pages;
	sim_ipcids_free(&ns->ids, seg->perm.id);
	seg->gone = TRUE;
	g_clear_pointer(&seg->data, g_free);
}

int sim_shm_attach(SimShmNs *ns, SimShmMaps *m, int id, gboolean rdonly, const SimCred *cred,
		   int task, SimTime now, gint64 *addr)
{
	SimShmSeg *seg = id < 0 ? NULL : sim_shm_lookup(ns, id);
	if (!seg)
		return EINVAL;
	if (sim_ipcns_denied(&seg->perm, cred, rdonly ? 0444 : 0666))
		return EACCES;
	if (!m->maps) {
		m->maps = g_array_new(FALSE, FALSE, sizeof(SimShmMap));
		m->next = SIM_SHM_BASE;
	}
	/* Each attachment gets its own pages, one page apart from the one before. */
	SimShmMap map = { m->next, seg, rdonly };
	m->next += (seg->pages + 1) * SIM_SHM_PAGE;
	g_array_append_val(m->maps, map);
	seg->nattch++;
	seg->atime = now;
	seg->has_atime = TRUE;
	seg->lpid = task;
	*addr = map.addr;
	return 0;
}

static void drop(SimShmNs *ns, SimShmSeg *seg, int task, SimTime now)
{
	seg->nattch--;
	seg->dtime = now;
	seg->has_dtime = TRUE;
	seg->lpid = task;
	if (seg->nattch == 0 && seg->dest)
		destroy(ns, seg);
}

int sim_shm_detach(SimShmNs *ns, SimShmMaps *m, gint64 addr, int task, SimTime now)
{
	for (guint i = 0; m->maps && i < m->maps->len; i++) {
		SimShmMap *map = &g_array_index(m->maps, SimShmMap, i);
		if (map->addr != addr)
			continue;
		SimShmSeg *seg = map->seg;
		g_array_remove_index(m->maps, i);
		drop(ns, seg, task, now);
		return 0;
	}
	return EINVAL;
}

void sim_shm_remove(SimShmNs *ns, SimShmSeg *seg)
{
	if (seg->nattch == 0) {
		destroy(ns, seg);
		return;
	}
	/* do_shm_rmid: marked, and out of the key's reach (ipc_set_key_private). */
	seg->dest = TRUE;
	seg->perm.key = 0;
}

void sim_shm_fork(SimShmMaps *child, const SimShmMaps *parent, int task, SimTime now)
{
	if (!parent->maps)
		return;
	child->maps = g_array_copy(parent->maps);
	child->next = parent->next;
	for (guint i = 0; i < child->maps->len; i++) {
		SimShmSeg *seg = g_array_index(child->maps, SimShmMap, i).seg;
		/* The child's vma open (shm_open), run by the forking parent: a new attachment
		 * of the same address. */
		seg->nattch++;
		seg->atime = now;
		seg->lpid = task;
	}
}

void sim_shm_exit(SimShmNs *ns, SimShmMaps *m, int task, SimTime now)
{
	while (m->maps && m->maps->len) {
		SimShmSeg *seg = g_array_index(m->maps, SimShmMap, 0).seg;
		g_array_remove_index(m->maps, 0);
		drop(ns, seg, task, now);
	}
}

guint8 *sim_shm_bytes(SimShmSeg *seg)
{
	g_return_val_if_fail(!seg->gone, NULL);
	if (!seg->data)
		seg->data = g_malloc0((gsize)(seg->pages * SIM_SHM_PAGE));
	return seg->data;
}

const SimShmMap *sim_shm_find(const SimShmMaps *m, gint64 addr, gint64 len)
{
	for (guint i = 0; m->maps && i < m->maps->len; i++) {
		const SimShmMap *map = &g_array_index(m->maps, SimShmMap, i);
		gint64 end = map->addr + map->seg->pages * SIM_SHM_PAGE;
		if (addr >= map->addr && len >= 0 && addr + len <= end)
			return map;
	}
	return NULL;
}

gboolean sim_shm_check(const SimShmSeg *seg)
{
	if (seg->gone)
		return seg->nattch == 0 && seg->data == NULL;
	if (seg->dest && (seg->nattch == 0 || seg->perm.key != 0))
		return FALSE;
	return seg->nattch >= 0 && seg->pages * SIM_SHM_PAGE >= seg->segsz;
}
