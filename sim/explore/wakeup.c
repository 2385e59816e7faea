/* wakeup.c — wake-up trees for optimal DPOR: insertion, copies, branches (see wakeup.h).
 *
 * The design choice to know: insertion walks the tree as Nidhugg's does, one level at a
 * time, taking at each level the leftmost child that the rest of the sequence can start
 * with up to reordering of independent steps (a weak initial); it never compares whole
 * sequences for equivalence, which keeps an insertion linear in the tree's depth times
 * the sequence's length.
 */
#include "explore/wakeup.h"

void sim_wut_free(SimWut *t)
{
	while (t) {
		SimWut *next = t->next;
		sim_wut_free(t->child);
		g_free(t);
		t = next;
	}
}

SimWut *sim_wut_copy(const SimWut *t)
{
	SimWut *head = NULL, **link = &head;
	for (; t; t = t->next) {
		SimWut *c = g_new(SimWut, 1);
		*c = *t;
		c->child = sim_wut_copy(t->child);
		c->next = NULL;
		*link = c;
		link = &c->next;
	}
	return head;
}

void sim_wut_widen(SimFootprint *fp)
{
	for (guint i = 0; i < fp->n; i++) {
		switch (fp->refs[i].kind) {
		case SIM_OBJ_SYSVQ:
		case SIM_OBJ_MQ:
		case SIM_OBJ_PIPE:
		case SIM_OBJ_SEM:
		case SIM_OBJ_SHM:
			fp->refs[i].id = SIM_OBJ_ALL;
			fp->parts[i] = (SimObjPart){ 0, 0 };
			break;
		default:
			break;
		}
	}
}

gboolean sim_wut_independent(const SimFootprint *fp, const SimWutSeq *seq, const gboolean *alive)
{
	for (guint k = 0; k < seq->n; k++)
		if ((!alive || alive[k]) && sim_footprint_conflicts(fp, seq->fp[k]))
			return FALSE;
	return TRUE;
}

int sim_wut_first_of(const SimWutSeq *seq, const gboolean *alive, guint task, gboolean *initial)
{
	for (guint k = 0; k < seq->n; k++) {
		if ((alive && !alive[k]) || seq->task[k] != task)
			continue;
		*initial = TRUE;
		for (guint l = 0; l < k && *initial; l++)
			if ((!alive || alive[l]) && seq->before(seq->data, l, k))
				*initial = FALSE;
		return (int)k;
	}
	return -1;
}

static SimWut *new_step(guint task, const SimFootprint *fp)
{
	SimWut *c = g_new0(SimWut, 1);
	c->task = task;
	if (fp) {
		c->fp = *fp;
		sim_wut_widen(&c->fp);
	} else {
		sim_footprint_init(&c->fp);
		c->fp.everything = TRUE;
	}
	return c;
}

/* The child of the list at *level that the alive rest of seq can start with, or NULL; the
 * step it stands for is taken out of alive when it is one of seq's. */
static SimWut *compatible(SimWut *level, const SimWutSeq *seq, gboolean *alive)
{
	for (SimWut *c = level; c; c = c->next) {
		gboolean initial = FALSE;
		int k = sim_wut_first_of(seq, alive, c->task, &initial);
		if (k >= 0) {
			if (!initial)
				continue;
			alive[k] = FALSE;
			return c;
		}
		if (sim_wut_independent(&c->fp, seq, alive))
			return c;
	}
	return NULL;
}

gboolean sim_wut_insert(SimWut **root, const SimWutSeq *seq)
{
	g_autofree gboolean *alive = g_new(gboolean, seq->n + 1);
	guint left = seq->n;
	for (guint k = 0; k < seq->n; k++)
		alive[k] = TRUE;
	SimWut **level = root;
	while (left) {
		SimWut *c = compatible(*level, seq, alive);
		if (!c)
			break;
		left = 0;
		for (guint k = 0; k < seq->n; k++)
			left += alive[k] ? 1u : 0u;
		if (!c->child) /* a leaf: what is below it will be explored whatever the rest */
			return FALSE;
		level = &c->child;
	}
	if (!left)
		return FALSE;
	while (*level)
		level = &(*level)->next;
	for (guint k = 0; k < seq->n; k++) {
		if (!alive[k])
			continue;
		*level = new_step(seq->task[k], seq->fp[k]);
		level = &(*level)->child;
	}
	return TRUE;
}

gboolean sim_wut_add_leaf(SimWut **root, guint task, const SimFootprint *fp)
{
	SimWut **level = root;
	for (; *level; level = &(*level)->next)
		if ((*level)->task == task)
			return FALSE;
	*level = new_step(task, fp);
	return TRUE;
}

SimWut *sim_wut_find(SimWut *root, guint task)
{
	for (; root; root = root->next)
		if (root->task == task)
			return root;
	return NULL;
}

void sim_wut_remove(SimWut **root, guint task)
{
	for (SimWut **link = root; *link; link = &(*link)->next) {
		if ((*link)->task != task)
			continue;
		SimWut *gone = *link;
		*link = gone->next;
		gone->next = NULL;
		sim_wut_free(gone);
		return;
	}
}
