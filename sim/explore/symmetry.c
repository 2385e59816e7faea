/* symmetry.c — interchangeable replicas, for the stateful search: which processes are
 * alike, the canonical order of a state's tasks, and the outcome set closed under their
 * permutations.
 *
 * The replicas of `process w[3]` run one body, and processes declared apart may run the
 * same statements (same_body). When nothing in the scenario can tell such processes
 * apart, a state and the same state with two of them swapped have the same futures up to
 * that swap, and so outcomes that differ only by it: the stateful search explores one
 * state of each such class (state.c, sim_state_digest_canon) and this file adds the
 * swapped outcomes at the end (sim_symmetry_close). For the bounded buffer of three
 * producers and three consumers that is up to 36 states for one.
 *
 * The design choice to know: symmetry is used only where it is provably sound, and the
 * test is on the scenario alone, before the search. Nothing may read which replica did
 * what: every statement of every body is a mailbox call on a declared mailbox without
 * to=, or a statement of the body's own family, or exit (no direct links, no replies, no
 * $m.from: a message's sender is never read; no kill, no fork, no other family); every
 * mailbox delivers to its first waiter; no expectation reads a replica's received list,
 * a label's results or an assert's (`expect run` lines do not count: explore leaves them
 * out); the processes of a group run the same statements and
 * share their attributes and their start, own no mailbox, start nobody, and their body
 * does not name $index or $self. An expectation that names a replica (state, exit) keeps
 * that replica out of its group. Anything else: no symmetry (sim_symmetry_new returns
 * NULL), and the search is as before.
 *
 * Tasks of a group are put in order of their local digests; two with equal local digests
 * are equal but for where they wait, so their places in a wait queue break the tie, and
 * the order is canonical: a state and any permutation of its replicas get one order.
 *
 * Cost: a group of k replicas whose outcomes all differ closes to k! outcomes (as the full
 * search would find them); alike lines (the common case) give one.
 */
#include "explore/explore_int.h"

#include <string.h>

#include "msgsim/lang/printf.h"

struct SimSymmetry {
	guint n_tasks;
	guint n_groups;
	guint *start;	     /* group g's members are members[start[g] .. start[g + 1]) */
	guint *members;	     /* by group, in id order */
	int *group;	     /* by task: its group, or -1 */
	guint *prog;	     /* by body (scn->bodies): the first body that is the same program */
	GHashTable *by_name; /* process name -> 1 + task id, for witnesses */
};

/* ---- What the scenario allows ---- */

static gboolean expr_names_index(const SimExpr *e)
{
	return e && (e->op == SIM_EXPR_INDEX || expr_names_index(e->a) || expr_names_index(e->b));
}

/* Whether a text names the process itself ($index, $self), or reads a sender ($m.from). */
static gboolean text_names(const SimText *t, gboolean *self, gboolean *from)
{
	for (guint i = 0; i < t->n_parts; i++) {
		const SimTextPart *p = &t->parts[i];
		if (p->kind == SIM_TEXT_INDEX || p->kind == SIM_TEXT_SELF ||
		    (p->kind == SIM_TEXT_EXPR && expr_names_index(p->expr)))
			*self = TRUE;
		if (p->kind == SIM_TEXT_VAR_FROM)
			*from = TRUE;
	}
	return *self || *from;
}

/* Whether st is a call the symmetry allows (see the header); *self when it names the
 * running process. Nested statements are walked by the caller. */
static gboolean stmt_allowed(const SimStmt *st, gboolean *self)
{
	const SimCallDesc *d = sim_call_desc(st->kind);
	gboolean from = FALSE;
	text_names(&st->text, self, &from);
	for (guint i = 0; st->dyn && i < st->dyn->n; i++)
		*self = *self || expr_names_index(st->dyn->ops[i].expr);
	if (d->family == SIM_CALL_MBOX)
		return !from && st->ep.kind == SIM_EP_MBOX &&
		       SIM_STMT_ARGS(st, SIM_CALL_MBOX, mbox).to < 0;
	if (st->kind == SIM_STMT_EXIT)
		return !from;
	if (d->family != SIM_CALL_CONTROL)
		return FALSE;
	*self = *self || expr_names_index(SIM_STMT_ARGS(st, SIM_CALL_CONTROL, ctl).cond);
	const SimPrintf *pf = st->kind == SIM_STMT_PRINT ? st->ctl.pf : NULL;
	for (guint i = 0; pf && i < pf->n_convs; i++) {
		*self = *self || expr_names_index(pf->convs[i].num);
		text_names(&pf->convs[i].text, self, &from);
	}
	return !from;
}

/* Every statement of block b allowed; *self when one names the running process. */
static gboolean block_allowed(const SimBlock *b, gboolean *self)
{
	for (guint i = 0; i < b->n_stmts; i++) {
		const SimStmt *st = &b->stmts[i];
		if (!stmt_allowed(st, self))
			return FALSE;
		const SimBlock *inner = sim_stmt_body(st);
		if (inner && !block_allowed(inner, self))
			return FALSE;
	}
	return TRUE;
}

/* Whether every expectation is blind to which replica is which; pinned[p] for a process
 * one names (it keeps its identity). */
static gboolean expects_allowed(const SimScenario *scn, gboolean *pinned)
{
	for (guint i = 0; i < scn->n_expects; i++) {
		const SimScnExpect *e = &scn->expects[i];
		if (e->mode == SIM_EXPECT_RUN) /* one schedule's: explore does not read it */
			continue;
		switch (e->kind) {
		case SIM_EXPECT_DEADLOCK:
		case SIM_EXPECT_NO_DEADLOCK:
		case SIM_EXPECT_OUTCOMES:
			break;
		case SIM_EXPECT_STATS: /* a mailbox's counts: the same whoever sent */
			if (e->mbox < 0 || e->by_key || e->sem || e->mq_name)
				return FALSE;
			break;
		case SIM_EXPECT_STATE:
		case SIM_EXPECT_EXIT:
			if (e->proc < 0)
				return FALSE;
			pinned[e->proc] = TRUE;
			break;
		default:
			return FALSE;
		}
	}
	return TRUE;
}

/* ---- Bodies that are the same program ----
 * Two processes declared apart may run the same statements (`process c1 { receive B }` and
 * `process c2 { receive B }`): equal kinds, operands, texts and nesting. The comparison is
 * conservative: what it does not know how to compare (run-time operands, labels, print
 * formats) makes two bodies differ. */

static gboolean same_expr(const SimExpr *a, const SimExpr *b)
{
	if (!a || !b)
		return a == b;
	return a->op == b->op && a->num == b->num && a->var == b->var && same_expr(a->a, b->a) &&
	       same_expr(a->b, b->b);
}

static gboolean same_text(const SimText *a, const SimText *b)
{
	if (!a->literal != !b->literal || a->n_parts != b->n_parts)
		return FALSE;
	if (a->literal)
		return a->literal_len == b->literal_len &&
		       memcmp(a->literal, b->literal, a->literal_len) == 0;
	for (guint i = 0; i < a->n_parts; i++) {
		const SimTextPart *p = &a->parts[i], *q = &b->parts[i];
		if (p->kind != q->kind || p->var != q->var || !same_expr(p->expr, q->expr) ||
		    !p->lit != !q->lit || p->lit_len != q->lit_len ||
		    (p->lit && memcmp(p->lit, q->lit, p->lit_len) != 0))
			return FALSE;
	}
	return TRUE;
}

static gboolean same_block(const SimBlock *a, const SimBlock *b);

/* Two statements of the kinds stmt_allowed lets through, alike in every operand. */
static gboolean same_stmt(const SimStmt *a, const SimStmt *b)
{
	if (a->kind != b->kind || a->label || b->label || a->dyn || b->dyn ||
	    a->ep.kind != b->ep.kind || a->ep.index != b->ep.index || a->var != b->var ||
	    !same_text(&a->text, &b->text))
		return FALSE;
	SimCallFamily f = sim_call_desc(a->kind)->family;
	if (f == SIM_CALL_MBOX) {
		const SimMboxArgs *x = &SIM_STMT_ARGS(a, SIM_CALL_MBOX, mbox);
		const SimMboxArgs *y = &SIM_STMT_ARGS(b, SIM_CALL_MBOX, mbox);
		return x->type == y->type && x->prio == y->prio && x->to == y->to &&
		       !x->nowait == !y->nowait;
	}
	if (a->kind == SIM_STMT_EXIT)
		return SIM_STMT_ARGS(a, SIM_CALL_PROC, proc).status ==
		       SIM_STMT_ARGS(b, SIM_CALL_PROC, proc).status;
	if (f != SIM_CALL_CONTROL)
		return FALSE;
	const SimControlArgs *x = &SIM_STMT_ARGS(a, SIM_CALL_CONTROL, ctl);
	const SimControlArgs *y = &SIM_STMT_ARGS(b, SIM_CALL_CONTROL, ctl);
	if (x->duration != y->duration || x->count != y->count || !x->uncond != !y->uncond ||
	    x->break_err != y->break_err || !same_expr(x->cond, y->cond) ||
	    (a->kind == SIM_STMT_PRINT && (x->pf || y->pf)))
		return FALSE;
	const SimBlock *ia = sim_stmt_body(a), *ib = sim_stmt_body(b);
	return !ia || same_block(ia, ib);
}

static gboolean same_block(const SimBlock *a, const SimBlock *b)
{
	if (a->n_stmts != b->n_stmts)
		return FALSE;
	for (guint i = 0; i < a->n_stmts; i++)
		if (!same_stmt(&a->stmts[i], &b->stmts[i]))
			return FALSE;
	return TRUE;
}

static gboolean same_body(const SimScnBody *a, const SimScnBody *b)
{
	if (a == b)
		return TRUE;
	if (a->n_vars != b->n_vars || a->max_depth != b->max_depth || !a->handler != !b->handler)
		return FALSE;
	for (guint i = 0; i < a->n_vars; i++)
		if (!a->vars[i].is_int != !b->vars[i].is_int ||
		    !a->vars[i].is_pipe != !b->vars[i].is_pipe)
			return FALSE;
	return same_block(&a->block, &b->block);
}

/* Whether p and q may be swapped: one program and the same attributes and start. */
static gboolean alike(const SimScnProc *p, const SimScnProc *q)
{
	return same_body(p->body, q->body) && p->priority == q->priority && p->start == q->start &&
	       p->start_time == q->start_time && p->uid == q->uid && p->gid == q->gid &&
	       p->caps == q->caps && p->nice == q->nice &&
	       p->rlimit_msgqueue == q->rlimit_msgqueue && p->rlimit_nofile == q->rlimit_nofile;
}

/* The processes that may be in a group: started at a time, owning no mailbox, starting
 * nobody, named by no expectation, with a body that does not name itself. */
static void candidates(const SimScenario *scn, gboolean *ok, const gboolean *pinned)
{
	for (guint i = 0; i < scn->n_procs; i++) {
		const SimScnProc *p = &scn->procs[i];
		gboolean self = FALSE;
		block_allowed(&p->body->block, &self);
		ok[i] = p->start == SIM_START_AT && !pinned[i] && !self;
	}
	for (guint i = 0; i < scn->n_procs; i++)
		if (scn->procs[i].start_after >= 0)
			ok[scn->procs[i].start_after] = FALSE;
	for (guint i = 0; i < scn->n_mboxes; i++)
		if (scn->mboxes[i].owner >= 0)
			ok[scn->mboxes[i].owner] = FALSE;
}

/* Whether the scenario as a whole allows symmetry (see the header). */
static gboolean scenario_allowed(const SimScenario *scn, gboolean *pinned)
{
	if (scn->n_sysvqs || scn->n_posixqs || scn->n_procs > SIM_EXPLORE_MAX_TASKS)
		return FALSE;
	for (guint i = 0; i < scn->n_mboxes; i++)
		if (scn->mboxes[i].deliver != SIM_DELIVER_FIRST_WAITER)
			return FALSE;
	for (guint b = 0; b < scn->n_bodies; b++) {
		gboolean self = FALSE;
		if (scn->bodies[b]->handler || !block_allowed(&scn->bodies[b]->block, &self))
			return FALSE;
	}
	return expects_allowed(scn, pinned);
}

SimSymmetry *sim_symmetry_new(const SimScenario *scn)
{
	guint n = scn->n_procs;
	g_autofree gboolean *pinned = g_new0(gboolean, n + 1);
	if (!scenario_allowed(scn, pinned))
		return NULL;
	g_autofree gboolean *ok = g_new0(gboolean, n + 1);
	candidates(scn, ok, pinned);
	SimSymmetry *s = g_new0(SimSymmetry, 1);
	s->n_tasks = n;
	s->group = g_new(int, n + 1);
	s->start = g_new0(guint, n + 2);
	s->members = g_new0(guint, n + 1);
	for (guint i = 0; i < n; i++)
		s->group[i] = -1;
	guint used = 0;
	for (guint i = 0; i < n; i++) {
		if (!ok[i] || s->group[i] >= 0)
			continue;
		guint k = 0;
		for (guint j = i + 1; j < n; j++)
			k += ok[j] && s->group[j] < 0 && alike(&scn->procs[i], &scn->procs[j]);
		if (!k)
			continue;
		s->start[s->n_groups] = used;
		s->members[used++] = i;
		s->group[i] = (int)s->n_groups;
		for (guint j = i + 1; j < n; j++)
			if (ok[j] && s->group[j] < 0 && alike(&scn->procs[i], &scn->procs[j])) {
				s->members[used++] = j;
				s->group[j] = (int)s->n_groups;
			}
		s->n_groups++;
	}
	s->start[s->n_groups] = used;
	if (!s->n_groups) {
		sim_symmetry_free(s);
		return NULL;
	}
	s->prog = g_new0(guint, scn->n_bodies + 1);
	for (guint b = 0; b < scn->n_bodies; b++) {
		s->prog[b] = b;
		for (guint a = 0; a < b && s->prog[b] == b; a++)
			if (s->prog[a] == a && same_body(scn->bodies[a], scn->bodies[b]))
				s->prog[b] = a;
	}
	s->by_name = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < n; i++)
		g_hash_table_insert(s->by_name, scn->procs[i].name, GUINT_TO_POINTER(i + 1));
	return s;
}

void sim_symmetry_free(SimSymmetry *s)
{
	if (!s)
		return;
	if (s->by_name)
		g_hash_table_unref(s->by_name);
	g_free(s->group);
	g_free(s->prog);
	g_free(s->start);
	g_free(s->members);
	g_free(s);
}

guint sim_symmetry_tasks(const SimSymmetry *s)
{
	return s ? s->start[s->n_groups] : 0;
}

guint sim_symmetry_prog(const SimSymmetry *s, guint body)
{
	return s->prog[body];
}

/* ---- The canonical order ---- */

void sim_symmetry_order(const SimSymmetry *s, const SimWorld *w, const guint64 *local, guint *order,
			guint *map)
{
	guint n = w->n_tasks;
	/* Where each task waits: its mailbox, which list, and its place there (0: nowhere). */
	guint64 pos[SIM_EXPLORE_MAX_TASKS];
	for (guint i = 0; i < n; i++) {
		order[i] = map[i] = i;
		pos[i] = 0;
	}
	for (guint i = 0; i < w->n_mboxes; i++) {
		const SimWaitQueue *q[2] = { &w->mboxes[i].senders, &w->mboxes[i].receivers };
		for (guint side = 0; side < 2; side++) {
			guint64 k = 0;
			for (const SimWaiter *wt = q[side]->head; wt; wt = wt->next)
				if (wt->task >= 0 && (guint)wt->task < n)
					pos[wt->task] =
						(guint64)i << 33 | (guint64)side << 32 | ++k;
		}
	}
	for (guint g = 0; g < s->n_groups; g++) {
		const guint *m = s->members + s->start[g];
		guint k = s->start[g + 1] - s->start[g];
		guint sorted[SIM_EXPLORE_MAX_TASKS];
		for (guint r = 0; r < k; r++) { /* insertion sort: groups are small */
			guint t = m[r], j = r;
			for (; j > 0; j--) {
				guint u = sorted[j - 1];
				if (local[u] < local[t] ||
				    (local[u] == local[t] && pos[u] <= pos[t]))
					break;
				sorted[j] = u;
			}
			sorted[j] = t;
		}
		for (guint r = 0; r < k; r++) {
			order[m[r]] = sorted[r];
			map[sorted[r]] = m[r];
		}
	}
}

/* ---- The outcome set closed under the permutations ---- */

/* The witness w with each task t's name replaced by the name of ren[t]. */
static char *rename_witness(const SimSymmetry *s, const SimScenario *scn, const char *w,
			    const guint *ren)
{
	GString *out = g_string_new(NULL);
	g_auto(GStrv) items = g_strsplit(w, ",", -1);
	for (guint i = 0; items[i]; i++) {
		if (i)
			g_string_append_c(out, ',');
		char *star = strchr(items[i], '*');
		g_autofree char *name =
			g_strndup(items[i], star ? (gsize)(star - items[i]) : strlen(items[i]));
		guint id = GPOINTER_TO_UINT(g_hash_table_lookup(s->by_name, name));
		if (!id) { /* a choice (?K), or the empty schedule */
			g_string_append(out, items[i]);
			continue;
		}
		g_string_append(out, scn->procs[ren[id - 1]].name);
		if (star)
			g_string_append(out, star);
	}
	return g_string_free(out, FALSE);
}

/* One arrangement of every group (cls: by task, the class of the line it gets) into an
 * outcome: src[t] is the task whose line t takes. */
static void add_arrangement(const SimSymmetry *s, const SimScenario *scn, GHashTable *by_text,
			    const SimOutcome *oc, char **lines, const char *tail, const guint *cls,
			    const guint *by_class)
{
	guint n = s->n_tasks;
	guint src[SIM_EXPLORE_MAX_TASKS], ren[SIM_EXPLORE_MAX_TASKS], next[SIM_EXPLORE_MAX_TASKS];
	for (guint i = 0; i < n; i++)
		src[i] = i;
	for (guint g = 0; g < s->n_groups; g++) {
		const guint *m = s->members + s->start[g];
		guint k = s->start[g + 1] - s->start[g];
		memset(next, 0, sizeof(next));
		for (guint r = 0; r < k; r++) { /* the class's members, each once, in order */
			guint c = cls[m[r]];
			src[m[r]] = by_class[s->start[g] + c + next[c]++];
		}
	}
	GString *text = g_string_new(NULL);
	for (guint i = 0; i < n; i++) {
		g_string_append(text, scn->procs[i].name);
		g_string_append(text, ": ");
		g_string_append(text, lines[src[i]]);
		g_string_append_c(text, '\n');
		ren[src[i]] = i;
	}
	g_string_append(text, tail);
	if (g_hash_table_contains(by_text, text->str)) {
		g_string_free(text, TRUE);
		return;
	}
	SimOutcome *o = g_new0(SimOutcome, 1);
	o->text = g_string_free(text, FALSE);
	o->hash = sim_outcome_hash(o->text);
	o->count = oc->count;
	o->deadlock = oc->deadlock;
	o->length = oc->length;
	o->witness = oc->witness ? rename_witness(s, scn, oc->witness, ren) : NULL;
	g_hash_table_insert(by_text, o->text, o);
}

/* The next arrangement of a[0..k) in lexicographic order (each distinct one once); FALSE
 * after the last, with a back at the first. */
static gboolean next_arrangement(guint *a, guint k)
{
	if (k < 2)
		return FALSE;
	guint i = k - 1;
	while (i > 0 && a[i - 1] >= a[i])
		i--;
	if (i > 0) {
		guint j = k - 1;
		while (a[j] <= a[i - 1])
			j--;
		guint t = a[i - 1];
		a[i - 1] = a[j];
		a[j] = t;
	}
	for (guint l = i, r = k - 1; l < r; l++, r--) {
		guint t = a[l];
		a[l] = a[r];
		a[r] = t;
	}
	return i > 0;
}

static int by_line(gconstpointer a, gconstpointer b, gpointer data)
{
	char **lines = data;
	return strcmp(lines[*(const guint *)a], lines[*(const guint *)b]);
}

/* Every arrangement of oc's lines among the members of each group. */
static void close_one(const SimSymmetry *s, const SimScenario *scn, GHashTable *by_text,
		      const SimOutcome *oc)
{
	guint n = s->n_tasks;
	char *lines[SIM_EXPLORE_MAX_TASKS];
	const char *p = oc->text;
	g_autoptr(GPtrArray) own = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < n; i++) { /* "NAME: LINE\n" per task, in id order */
		gsize len = strlen(scn->procs[i].name);
		const char *eol = strchr(p, '\n');
		if (!eol || strncmp(p, scn->procs[i].name, len) != 0 || strncmp(p + len, ": ", 2))
			return; /* not a line per task: nothing to permute (never expected) */
		lines[i] = g_strndup(p + len + 2, (gsize)(eol - p - (gssize)len - 2));
		g_ptr_array_add(own, lines[i]);
		p = eol + 1;
	}
	/* by_class: per group, its members sorted by line. A line's class is its first place
	 * in that order, so that a class's members follow it there; an arrangement gives each
	 * place in the group (a member, in id order) a class, and starts sorted (the first in
	 * lexicographic order). */
	guint by_class[SIM_EXPLORE_MAX_TASKS], cls[SIM_EXPLORE_MAX_TASKS];
	guint arr[SIM_EXPLORE_MAX_TASKS];
	for (guint g = 0; g < s->n_groups; g++) {
		guint b = s->start[g], k = s->start[g + 1] - b;
		memcpy(by_class + b, s->members + b, k * sizeof(guint));
		g_qsort_with_data(by_class + b, (gint)k, sizeof(guint), by_line, lines);
		for (guint r = 0; r < k; r++) {
			guint c = r;
			while (c > 0 &&
			       strcmp(lines[by_class[b + c - 1]], lines[by_class[b + r]]) == 0)
				c--;
			arr[b + r] = c;
		}
	}
	/* An odometer over the groups' arrangements. */
	for (;;) {
		for (guint g = 0; g < s->n_groups; g++)
			for (guint r = s->start[g]; r < s->start[g + 1]; r++)
				cls[s->members[r]] = arr[r];
		add_arrangement(s, scn, by_text, oc, lines, p, cls, by_class);
		guint g = 0;
		while (g < s->n_groups &&
		       !next_arrangement(arr + s->start[g], s->start[g + 1] - s->start[g]))
			g++;
		if (g == s->n_groups)
			return;
	}
}

static gint by_text(gconstpointer a, gconstpointer b)
{
	const SimOutcome *x = *(const SimOutcome *const *)a, *y = *(const SimOutcome *const *)b;
	return strcmp(x->text, y->text);
}

void sim_symmetry_close(const SimSymmetry *s, const SimScenario *scn, GHashTable *by_text_tbl)
{
	if (!s)
		return;
	/* In text order, so that which outcome lends its count and witness to a permutation
	 * found only through it does not depend on the hash table's order. */
	g_autoptr(GPtrArray) found = g_ptr_array_new();
	GHashTableIter it;
	gpointer v;
	g_hash_table_iter_init(&it, by_text_tbl);
	while (g_hash_table_iter_next(&it, NULL, &v))
		g_ptr_array_add(found, v);
	g_ptr_array_sort(found, by_text);
	for (guint i = 0; i < found->len; i++)
		close_one(s, scn, by_text_tbl, g_ptr_array_index(found, i));
}
