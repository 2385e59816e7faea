/* explore.c — the search: executions replayed from a stack of decisions, reduced with
 * wake-up trees (optimal DPOR, wakeup.c) or source sets, and sleep sets, over the calls'
 * footprints (see explore.h).
 *
 * The design choice to know: a decision point is a node on one stack, and an execution is
 * the path of nodes from the bottom. A new execution replays the stack, whose top node has
 * just changed its decision, and pushes new nodes past it. Happens-before is kept as a
 * vector clock per step (the index + 1 of the latest step of each task that precedes it);
 * a race is a pair of dependent steps of two tasks with no happens-before between them,
 * found when the later one runs, and it adds a task (source sets) or a sequence (a
 * wake-up tree's branch) to the earlier one's node. The clocks, the races and the
 * source-set rule are race.c's, which explore --exec shares.
 *
 * Costs: every step compares its footprint with the earlier steps it is not ordered after
 * (linear in the execution's length); a race computes the initials of the reversed order
 * (quadratic in the steps between the two). Executions of a few hundred steps keep both
 * small next to making the world.
 *
 * Alarms, time abstracted: a pending alarm's SIGALRM may come between any two steps, so
 * it is a step of its own, of a thread of its own (task i's alarm is procs + i, which is
 * why such a scenario takes at most half the task bits), with the footprint of what the
 * signal reaches; a step that takes a task's own pending alarm away tries the alarm first.
 *
 * The stateful search over a world of mailboxes walks the same stack without replaying:
 * a node that branches keeps a snapshot of its state (snap.c), and a branch restores it
 * (walk()); elsewhere it replays as above. Pending alarms are steps there too (walk_visit).
 */
#include "explore/explore_int.h"
#include "explore/wakeup.h"
#include "explore/ample.h"

#include <signal.h>
#include <string.h>

#include "msgsim/output/report.h"
#include "msgsim/calls/call.h"
#include "msgsim/explore/race.h"
#include "explore/snap_sig.h"

typedef struct Node {
	SimDecision d;	   /* the decision taken here in the current execution */
	guint n_values;	   /* VALUE: how many choices there are */
	guint64 enabled;   /* STEP: the tasks that could step here */
	guint64 backtrack; /* STEP: the tasks to start from here, the explored ones included */
	guint64 done;	   /* STEP: the tasks whose orders from here are all explored */
	guint64 sleep;	   /* STEP: the tasks whose orders from here are covered elsewhere */
	guint64 spent;	   /* STEP: the depth bound's units spent up to this node's step */
	/* Optimal DPOR (see "Wake-up trees" below) */
	SimWut *wut;	/* STEP: the branches to explore from here, leftmost first */
	SimWut *slept;	/* STEP: a flat list of the footprints of the tasks asleep or done */
	SimWut *pass;	/* VALUE: the tree the next STEP node starts with, for every value */
} Node;

typedef struct Explorer {
	const SimScenario *scn;
	const SimExploreOptions *o;
	SimExploreResult *r;
	guint n;	 /* tasks, and with alarms their alarms (procs + i: task i's SIGALRM) */
	guint procs;	 /* the scenario's processes */
	gboolean alarms; /* time abstracted with alarms: each pending one is a step of its own */
	gboolean reduce; /* DPOR on (no_reduction off) */
	gboolean optimal; /* with wake-up trees (dpor_source off) */
	gboolean stateful; /* prune states seen before (SimExploreOptions.stateful) */
	SimStateSet seen;  /* stateful: the digests of the states explored */
	int senders;	   /* stateful: sim_state_needs_senders, -1 until known */
	SimSymmetry *sym;  /* stateful: interchangeable replicas (symmetry.c), or NULL */
	gboolean eager;	   /* stateful walk: woken calls finish at once (resuming()) */
	gboolean gap;	   /* the walk stopped where the digest cannot go either (walk()) */
	guint64 quiet_end; /* stateful walk: the tasks whose end is taken at once too */
	guint64 ends;	   /* stateful walk: executions ended, and the clock at the last */
	gint64 last_now;   /* of every 64th (walk_branch) */
	/* Stateful walk, persistent sets (ample.c): the summaries, or NULL when off; by
	 * depth, each state's digest and whether one step alone was taken there; the digest
	 * seen_before() took last. */
	SimAmple *ample;
	GArray *stack; /* StackState */
	guint64 last_h;
	gboolean last_digested;
	GArray *nodes;	 /* Node: the decisions of the current execution */
	guint pos;	 /* the next node the execution reaches */
	guint first_new; /* the first node whose decision changed for this execution */
	guint last_step; /* the last STEP node of the replayed prefix (or 0) */
	gboolean broken; /* a replay did not meet the same decision (a bug): give up */
	SimRaceLog log;	 /* the current execution's steps, their clocks (race.h) */
	guint64 next_sleep; /* the sleep set the next new STEP node starts with */
	SimFootprint *sleep_fp; /* optimal: by task, its next step's footprint where it went */
	guint64 sleep_fp_set;	/* to sleep (child_sleep) */
	guint *v_ev;		/* optimal: a race's reversing sequence, as event indices */
	guint *v_task;
	const SimFootprint **v_fp;
	guint v_cap;		/* the room in v_ev, v_task and v_fp */
	SimRecorder rec;
	/* A target (SimExploreOptions.target): the outcome looked for, or NULL; prune: the
	 * search gives up an execution that leaves it (off); found: one ended with it. */
	SimOutcomeTarget *target;
	gboolean prune, off, found;
	/* A guide (SimExploreOptions.guide): by task, where its steps come in it (guide_at[t]
	 * holds guide_n[t] positions), and the steps each task has taken so far. */
	guint **guide_at, *guide_n, *taken;
	SimOutcomeSet *set; /* the outcomes found (outset.c) */
	guint *ids;
	GString *text;
	gint64 t0, next_progress;
} Explorer;

#define BIT(i) (G_GUINT64_CONSTANT(1) << (i))

/* The call hook with a target: the recorder's, then whether the task that made the call
 * can still end as the target says (off when not). */
static void target_hook(void *data, SimWorld *w, const SimTask *t, const SimStmt *st,
			SimCallPhase phase)
{
	Explorer *x = data;
	sim_recorder_hook(&x->rec, w, t, st, phase);
	if (phase != SIM_CALL_STARTED && phase != SIM_CALL_BLOCKED &&
	    !sim_outcome_target_fits(x->target, t, x->rec.calls[t->id]))
		x->off = TRUE;
}

/* The world's call hook: the recorder, or with a target that prunes, target_hook. */
static SimCallHook call_hook(Explorer *x)
{
	if (x->prune)
		return (SimCallHook){ target_hook, x };
	return (SimCallHook){ sim_recorder_hook, &x->rec };
}

static SimWut *take_guide(Explorer *x, guint pos);
/* A state on the walk's depth-first stack, for the cycle proviso (proviso()). */
typedef struct StackState {
	guint64 h;	    /* its digest */
	gboolean digested;  /* h is valid */
	gboolean alone;	    /* a step that may close a cycle was taken alone there, not widened yet */
} StackState;

static Node *node_at(Explorer *x, guint i)
{
	return &g_array_index(x->nodes, Node, i);
}

static guint lowest(guint64 mask)
{
	return (guint)__builtin_ctzll(mask);
}

/* ---- Choices inside a step (deliver=random, a random pick) ---- */

static guint choose_value(void *data, guint n)
{
	Explorer *x = data;
	if (n <= 1)
		return 0;
	if (x->pos < x->nodes->len) {
		Node *nd = node_at(x, x->pos++);
		if (nd->d.kind != SIM_DECIDE_VALUE || nd->n_values != n) {
			x->broken = TRUE;
			return 0;
		}
		return nd->d.value;
	}
	Node nd = { .d = { SIM_DECIDE_VALUE, 0 }, .n_values = n };
	if (x->optimal)
		nd.pass = take_guide(x, x->pos);
	g_array_append_val(x->nodes, nd);
	x->pos++;
	x->r->stats.states++;
	return 0;
}

/* ---- Footprints and races ---- */

/* The outcome leaves out what the processes print (outcome.c), so the order of two prints
 * is no difference worth a second execution: the output is not an object here. */
static void drop_output(SimFootprint *fp)
{
	guint k = 0;
	guint32 written = 0;
	for (guint i = 0; i < fp->n; i++) {
		if (fp->refs[i].kind == SIM_OBJ_OUTPUT)
			continue;
		if ((fp->written >> i) & 1u)
			written |= 1u << k;
		fp->parts[k] = fp->parts[i];
		fp->refs[k++] = fp->refs[i];
	}
	fp->n = k;
	fp->written = written;
}

/* What t's SIGALRM coming now changes: with its default action, all that t's end does; caught
 * or ignored, t itself and, when t is blocked, what its call waits on (the waiter leaves
 * it, EINTR or to start over); a body runs later, in t's own steps. */
static void alarm_footprint(SimWorld *w, const SimTask *t, SimFootprint *fp)
{
	sim_footprint_init(fp);
	if (t->sigact[SIGALRM] == SIM_SIG_DEFAULT || w->tasks[t->group].threaded) {
		sim_call_footprint_end(w, t, fp);
		return;
	}
	sim_footprint_add(fp, SIM_OBJ_TASK, (guint64)t->id, TRUE);
	const SimStmt *at = t->state == SIM_STATE_BLOCKED ? t->prog->code[t->pc].stmt : NULL;
	if (!at)
		return;
	SimFootprint in;
	sim_call_footprint(w, t, at, &in);
	fp->everything = fp->everything || in.everything;
	for (guint i = 0; i < in.n; i++)
		sim_footprint_add(fp, in.refs[i].kind, in.refs[i].id, TRUE);
}

/* What task id's next step reads and changes in w now; every step reads its own task, so
 * that a kill of it (which writes the task) is dependent with it. An id from procs on is
 * task id - procs's alarm coming: its SIGALRM reaches what a kill of the task reaches. */
static void step_footprint(SimWorld *w, guint procs, guint id, SimFootprint *fp)
{
	if (id >= procs) {
		alarm_footprint(w, &w->tasks[id - procs], fp);
		sim_footprint_add(fp, SIM_OBJ_TASK, id, FALSE);
		drop_output(fp);
		return;
	}
	const SimTask *t = &w->tasks[id];
	const SimStmt *st = sim_world_next_stmt(w, id);
	if (st) {
		sim_call_footprint(w, t, st, fp);
	} else {
		sim_footprint_init(fp);
		sim_call_footprint_end(w, t, fp);
	}
	sim_footprint_add(fp, SIM_OBJ_TASK, id, FALSE);
	/* A pending alarm is a step of its own (procs + id), which the task's steps may
	 * cancel or replace: they write it. */
	if (t->alarm_at != SIM_TIME_MAX)
		sim_footprint_add(fp, SIM_OBJ_TASK, procs + id, TRUE);
	drop_output(fp);
}

/* Adds tasks to what nd starts from: with wake-up trees, each as a branch of one step
 * (dependent with everything) unless a branch starts with it already. This is source-set
 * behaviour, the fallback wherever a step kind breaks what optimal DPOR assumes (a kill, an
 * alarm taken away, a race whose reversal no enabled task can start): those places try
 * every such task from there, as the source sets do, and may explore a class twice. */
static void branch(Explorer *x, Node *nd, guint64 tasks)
{
	nd->backtrack |= tasks;
	if (!x->optimal)
		return;
	tasks &= ~nd->done & ~nd->sleep;
	while (tasks) {
		guint p = lowest(tasks);
		tasks &= tasks - 1;
		sim_wut_add_leaf(&nd->wut, p, NULL);
	}
}

/* ---- Wake-up trees (optimal DPOR) ----
 * A race (i, j) asks for the sequence v of the steps after i that do not happen after it,
 * then j, to be run from i's node (Abdulla et al., POPL 2014): unless a task asleep or
 * done there is a weak initial of v (it can start v, or commutes with all of it), v goes
 * into that node's wake-up tree, where a branch that v can follow up to reordering of
 * independent steps already covers it (wakeup.c). A new node starts with the subtree
 * under the step its parent took, and takes its leftmost branch first. */

static gboolean v_before(void *data, guint a, guint b)
{
	Explorer *x = data;
	return sim_race_hb(&x->log, x->v_ev[a], x->v_ev[b]);
}

static void race_optimal(Explorer *x, guint i, guint j, guint64 init)
{
	if (x->v_cap < x->log.n_events) { /* v holds at most every event */
		x->v_cap = x->log.cap_events;
		x->v_ev = g_renew(guint, x->v_ev, x->v_cap);
		x->v_task = g_renew(guint, x->v_task, x->v_cap);
		x->v_fp = g_renew(const SimFootprint *, x->v_fp, x->v_cap);
	}
	Node *nd = node_at(x, x->log.events[i].node);
	guint n = 0;
	for (guint k = i + 1; k <= j; k++)
		if (k == j || !sim_race_hb(&x->log, i, k))
			x->v_ev[n++] = k;
	/* An initial that is enabled at i's node goes first: nothing of v before it happens
	 * before it, so v with it moved to the front is the same class. j's task first where
	 * it can be, as the source sets choose: a later race whose reversal is j's step alone
	 * then finds it covered (j's footprint there is unknown, see below, so a branch that
	 * started with another task would not cover it). */
	guint first = init & BIT(x->log.events[j].task) ? x->log.events[j].task : G_MAXUINT;
	for (guint k = 0; k < n; k++) {
		guint e = x->v_ev[k];
		if (!(init & BIT(x->log.events[e].task)) ||
		    (first != G_MAXUINT && x->log.events[e].task != first))
			continue;
		memmove(x->v_ev + 1, x->v_ev, k * sizeof(guint));
		x->v_ev[0] = e;
		break;
	}
	/* A footprint depends on the state (a semop on a removed set reads the namespace, on a
	 * live one it writes the set). The steps of v before j commute with i, so they touch
	 * what they touched here wherever v puts them; j does not (it races with i), and what
	 * it touches before i is unknown: it stands as dependent with everything, in the
	 * tests below and in the tree, until a run takes it there (keep_root_fp). Without
	 * this, a branch or a sleeper that commutes with j's step after i could be taken to
	 * cover an order where it does not commute with j. */
	static const SimFootprint unknown = { .everything = TRUE };
	for (guint k = 0; k < n; k++) {
		x->v_task[k] = x->log.events[x->v_ev[k]].task;
		x->v_fp[k] = x->v_ev[k] == j ? &unknown : &x->log.events[x->v_ev[k]].fp;
	}
	SimWutSeq v = { n, x->v_task, x->v_fp, v_before, x };
	guint64 asleep = (nd->sleep | nd->done) & ~BIT(nd->d.value);
	while (asleep) {
		guint q = lowest(asleep);
		asleep &= asleep - 1;
		gboolean initial = FALSE;
		if (sim_wut_first_of(&v, NULL, q, &initial) >= 0) {
			if (initial)
				return;
			continue;
		}
		const SimWut *s = sim_wut_find(nd->slept, q);
		if (s && sim_wut_independent(&s->fp, &v, NULL))
			return;
	}
	if (sim_wut_insert(&nd->wut, &v))
		nd->backtrack |= BIT(x->v_task[0]);
}

/* Race (i, j): make sure the node of i starts, or has started, some reversal. */
static void race(void *data, guint i, guint j)
{
	Explorer *x = data;
	const SimRaceLog *log = &x->log;
	Node *nd = node_at(x, log->events[i].node);
	guint64 init = sim_race_initials(log, i, j) & nd->enabled;
	if (!init) {
		branch(x, nd, nd->enabled & ~nd->sleep);
		return;
	}
	if (x->optimal) {
		race_optimal(x, i, j, init);
		return;
	}
	nd->backtrack = sim_race_backtrack(nd->enabled, nd->backtrack, nd->sleep, init,
					   log->events[j].task);
}

/* Records step j (task t, in node idx) with its clock; races with earlier steps are
 * looked for when its node is new in this execution. */
static void add_event(Explorer *x, guint t, guint idx, const SimFootprint *fp)
{
	sim_race_log_add(&x->log, t, idx, fp, idx >= x->first_new ? race : NULL, x);
}

/* The sleep set of the node after idx, whose step t has footprint fp: the tasks asleep or
 * done at idx whose next steps commute with t's. */
static guint64 child_sleep(Explorer *x, SimWorld *w, const Node *nd, guint t,
			   const SimFootprint *fp)
{
	guint64 cand = (nd->sleep | nd->done) & nd->enabled & ~BIT(t), out = 0;
	SimFootprint other;
	x->sleep_fp_set = 0;
	while (cand) {
		guint p = lowest(cand);
		cand &= cand - 1;
		step_footprint(w, x->procs, p, &other);
		if (sim_footprint_conflicts(&other, fp))
			continue;
		out |= BIT(p);
		/* With wake-up trees, a race asks whether a sleeper commutes with its
		 * reversal: its footprint is kept with the node (race_optimal). */
		if (x->optimal) {
			x->sleep_fp[p] = other;
			x->sleep_fp_set |= BIT(p);
		}
	}
	return out;
}

/* ---- One execution ---- */

typedef enum { END_DONE, END_REDUNDANT, END_CUT, END_BROKEN, END_MERGED, END_OFF } EndKind;

/* Stateful: TRUE when the state before a new node was explored before (cut here). Only
 * new nodes are looked up: a replayed one is on the stack, its state recorded. */
static gboolean seen_before(Explorer *x, SimWorld *w)
{
	guint64 h;
	if (!x->stateful || x->pos < x->nodes->len)
		return FALSE;
	if (x->senders < 0)
		x->senders = sim_state_needs_senders(w);
	gboolean digested = x->sym ? sim_state_digest_canon(w, &x->rec, x->sym, &h)
				   : sim_state_digest(w, &x->rec, x->senders, &h);
	x->last_h = h;
	x->last_digested = digested;
	if (!digested)
		return FALSE;
	return !sim_state_set_add(&x->seen, h);
}

/* The wake-up tree a new node at pos starts with: the subtree under the step its parent
 * took, moved out of a STEP parent (the search never inserts under the branch it is in:
 * a race's reversal never starts with the task whose step it reverses), copied from a
 * VALUE parent, which hands the same tree to the node after each of its values. */
static SimWut *take_guide(Explorer *x, guint pos)
{
	if (!pos)
		return NULL;
	Node *p = node_at(x, pos - 1);
	if (p->d.kind == SIM_DECIDE_VALUE)
		return sim_wut_copy(p->pass);
	SimWut *r = sim_wut_find(p->wut, p->d.value);
	if (!r)
		return NULL;
	SimWut *g = r->child;
	r->child = NULL;
	return g;
}

/* Where the branch of t in nd's tree was put in with no footprint (a new node's own
 * choice, a fallback), the step's own, so that insertions can tell it commutes. */
static void keep_root_fp(Node *nd, guint t, const SimFootprint *fp)
{
	SimWut *r = sim_wut_find(nd->wut, t);
	if (r && r->fp.everything && !fp->everything) {
		r->fp = *fp;
		sim_wut_widen(&r->fp);
	}
}

/* A new node's wake-up tree and sleepers' footprints. A branch whose task cannot step
 * here or is asleep (the footprints, taken in another execution, misjudged an order)
 * is dropped, and every task awake is tried instead: source-set behaviour. */
static void new_node_tree(Explorer *x, Node *nd)
{
	nd->wut = take_guide(x, x->pos);
	gboolean missed = FALSE;
	for (SimWut **link = &nd->wut; *link;) {
		guint t = (*link)->task;
		if ((nd->enabled & BIT(t)) && !(nd->sleep & BIT(t))) {
			link = &(*link)->next;
			continue;
		}
		SimWut *gone = *link;
		*link = gone->next;
		gone->next = NULL;
		sim_wut_free(gone);
		missed = TRUE;
	}
	if (missed)
		branch(x, nd, nd->enabled & ~nd->sleep);
	guint64 s = nd->sleep & x->sleep_fp_set;
	while (s) {
		guint p = lowest(s);
		s &= s - 1;
		sim_wut_add_leaf(&nd->slept, p, &x->sleep_fp[p]);
	}
}

/* Whether fp commutes with every step of the tree t (one whose footprint is unknown,
 * never). */
static gboolean tree_commutes(const SimWut *t, const SimFootprint *fp)
{
	for (; t; t = t->next)
		if (t->fp.everything || sim_footprint_conflicts(&t->fp, fp) ||
		    !tree_commutes(t->child, fp))
			return FALSE;
	return TRUE;
}

/* The task an unguided node would take (the one that stepped last, while it can) goes
 * first where its step commutes with every step of the tree (each path p.v is then v.p,
 * an extension of v's order): the tree goes below it, and an execution a tree guides
 * reads like a run to blocking too, as the unguided ones do. */
static void go_on_first(Explorer *x, SimWorld *w, Node *nd, guint prev)
{
	if (!nd->wut || sim_wut_find(nd->wut, prev))
		return;
	SimFootprint fp;
	step_footprint(w, x->procs, prev, &fp);
	if (fp.everything || !tree_commutes(nd->wut, &fp))
		return;
	SimWut *top = NULL;
	sim_wut_add_leaf(&top, prev, &fp);
	top->child = nd->wut;
	nd->wut = top;
}

static void node_clear(gpointer data)
{
	Node *nd = data;
	sim_wut_free(nd->wut);
	sim_wut_free(nd->slept);
	sim_wut_free(nd->pass);
	nd->wut = nd->slept = nd->pass = NULL;
}

/* The task a new node steps first: with a guide, the one of avail whose next step comes
 * soonest in it; else, with a target, one whose next result there is an error
 * (sim_outcome_target_next_fails); else the task that stepped last while it can (the
 * first execution reads like a run to blocking, and so do witnesses), else the lowest.
 * Only the first branch is chosen so: the others follow in task order, as ever. */
static guint first_task(Explorer *x, SimWorld *w, guint64 avail, int prev)
{
	guint best = G_MAXUINT, pick = 0;
	for (guint64 m = x->guide_at ? avail : 0; m; m &= m - 1) {
		guint p = lowest(m);
		if (p < x->procs && x->taken[p] < x->guide_n[p] &&
		    x->guide_at[p][x->taken[p]] < best) {
			best = x->guide_at[p][x->taken[p]];
			pick = p;
		}
	}
	if (best != G_MAXUINT)
		return pick;
	for (guint64 m = x->prune ? avail : 0; m; m &= m - 1) {
		guint p = lowest(m);
		if (p < x->procs &&
		    sim_outcome_target_next_fails(x->target, &w->tasks[p], x->rec.calls[p]))
			return p;
	}
	return prev >= 0 && (avail & BIT(prev)) ? (guint)prev : lowest(avail);
}

/* The guide's positions by task (x->guide_at), from o->guide; none when it does not parse. */
static void guide_new(Explorer *x)
{
	if (!x->o->guide || !x->target)
		return;
	g_autoptr(SimSchedule) s = sim_schedule_parse(x->scn, x->o->guide, NULL);
	if (!s)
		return;
	guint n;
	const SimDecision *d = sim_schedule_decisions(s, &n);
	x->guide_at = g_new0(guint *, x->procs + 1);
	x->guide_n = g_new0(guint, x->procs + 1);
	x->taken = g_new0(guint, x->procs + 1);
	for (guint i = 0; i < n; i++)
		if (d[i].kind == SIM_DECIDE_STEP && d[i].value < x->procs)
			x->guide_n[d[i].value]++;
	for (guint t = 0; t < x->procs; t++)
		x->guide_at[t] = g_new(guint, x->guide_n[t] + 1);
	g_autofree guint *k = g_new0(guint, x->procs + 1);
	for (guint i = 0; i < n; i++)
		if (d[i].kind == SIM_DECIDE_STEP && d[i].value < x->procs)
			x->guide_at[d[i].value][k[d[i].value]++] = i;
}

static void guide_free(Explorer *x)
{
	for (guint t = 0; x->guide_at && t < x->procs; t++)
		g_free(x->guide_at[t]);
	g_free(x->guide_at);
	g_free(x->guide_n);
	g_free(x->taken);
}

/* The guide's count of the steps each task took in the nodes below depth. */
static void guide_recount(Explorer *x, guint depth)
{
	if (!x->guide_at)
		return;
	memset(x->taken, 0, x->procs * sizeof(guint));
	for (guint i = 0; i < depth; i++) {
		const Node *nd = node_at(x, i);
		if (nd->d.kind == SIM_DECIDE_STEP && nd->d.value < x->procs)
			x->taken[nd->d.value]++;
	}
}

/* The node for the next step: replayed, or new (its task chosen). FALSE: every task that
 * could step is asleep, so this execution is covered by another. */
static gboolean next_node(Explorer *x, SimWorld *w, guint64 mask, int prev, guint *task)
{
	if (x->pos < x->nodes->len) {
		Node *nd = node_at(x, x->pos);
		if (nd->d.kind != SIM_DECIDE_STEP || !(mask & BIT(nd->d.value))) {
			x->broken = TRUE;
			return FALSE;
		}
		*task = nd->d.value;
		return TRUE;
	}
	Node nd = { .d = { SIM_DECIDE_STEP, 0 }, .enabled = mask };
	nd.sleep = x->reduce ? x->next_sleep & mask : 0;
	nd.backtrack = x->reduce ? 0 : mask;
	guint64 avail = mask & ~nd.sleep;
	if (!avail)
		return FALSE;
	*task = first_task(x, w, avail, prev);
	if (x->optimal) {
		new_node_tree(x, &nd);
		go_on_first(x, w, &nd, *task);
		if (nd.wut) /* the leftmost branch first */
			*task = nd.wut->task;
		else if (mask & (mask - 1)) /* where only one task can step, no other branch */
			sim_wut_add_leaf(&nd.wut, *task, NULL);
	}
	nd.d.value = *task;
	nd.backtrack |= BIT(*task);
	g_array_append_val(x->nodes, nd);
	x->r->stats.states++;
	return TRUE;
}

/* What a step from a state where n tasks could step costs of the depth bound, in units
 * of 1/SIM_EXPLORE_FORCED_PER_STEP step: a whole step where it is a decision, one unit
 * where only one task can step. A run of one process alone (65537 writes that fill a
 * pipe) makes no decision, and the bound, there to cut executions that choices keep
 * going, would cut it long before its end; a loop of one process that never ends is
 * still cut, at 16 times the bound (the memory an execution holds grows with its steps). */
static inline guint64 step_cost(guint n)
{
	return n > 1 ? SIM_EXPLORE_FORCED_PER_STEP : 1;
}

static EndKind step_all(Explorer *x, SimWorld *w)
{
	guint depth = 0, max_depth = x->o->max_depth ? x->o->max_depth : SIM_EXPLORE_DEFAULT_DEPTH;
	guint64 spent = 0; /* the depth bound's units (step_cost) */
	guint64 before = 0;
	int prev = -1;
	for (;;) {
		guint n = sim_world_steppable(w, x->ids);
		if (x->alarms && w->halt == SIM_RUN_DONE) {
			guint na = sim_world_alarms(w, x->ids + n);
			for (guint i = n; i < n + na; i++)
				x->ids[i] += x->procs;
			n += na;
		}
		guint64 mask = 0;
		for (guint i = 0; i < n; i++)
			mask |= BIT(x->ids[i]);
		/* A step that made another task able to step (a start after it, a fork) is
		 * dependent with that task's steps, which its objects may not show. */
		guint64 fresh = mask & ~before & ~(prev >= 0 ? BIT(prev) : 0);
		if (x->reduce && fresh && x->log.n_events)
			for (guint p = 0; p < x->n; p++)
				if (fresh & BIT(p))
					sim_footprint_add(&x->log.events[x->log.n_events - 1].fp,
							  SIM_OBJ_TASK, p, TRUE);
		/* A step that took another task's next step away (a kill) races with that step,
		 * which will never show up as an event to race with, nor show which later steps
		 * it depends on: so every task that could step before the killer (but those
		 * asleep there, covered elsewhere) is tried first from the killer's node. */
		guint64 gone = before & ~mask & ~(prev >= 0 ? BIT(prev) : 0);
		/* A task's own alarm that its step cancelled or replaced (or its end took away)
		 * never shows up as an event either: the alarm is tried before that step, and
		 * its races with the task's earlier steps reach the earlier places. */
		if (x->reduce && x->alarms && prev >= 0 && (guint)prev < x->procs &&
		    (gone & BIT(x->procs + (guint)prev)) && x->log.n_events) {
			Node *at = node_at(x, x->log.events[x->log.n_events - 1].node);
			guint64 own = BIT(x->procs + (guint)prev) & at->enabled & ~at->sleep;
			branch(x, at, own);
			gone &= ~BIT(x->procs + (guint)prev);
		}
		/* An alarm whose default action ended its task: that task's step is tried before
		 * it (the alarm writes the task, which every step of it reads). */
		if (x->reduce && x->alarms && prev >= 0 && (guint)prev >= x->procs &&
		    gone == BIT((guint)prev - x->procs) && x->log.n_events) {
			Node *at = node_at(x, x->log.events[x->log.n_events - 1].node);
			branch(x, at, gone & at->enabled & ~at->sleep);
			gone = 0;
		}
		if (x->reduce && gone && x->log.n_events) {
			Node *at = node_at(x, x->log.events[x->log.n_events - 1].node);
			branch(x, at, at->enabled & ~at->sleep);
		}
		before = mask;
		if (!n)
			return END_DONE;
		spent += step_cost(n);
		if (spent > (guint64)max_depth * SIM_EXPLORE_FORCED_PER_STEP)
			return END_CUT;
		guint t, idx = x->pos;
		if (seen_before(x, w))
			return END_MERGED;
		if (!next_node(x, w, mask, prev, &t))
			return x->broken ? END_BROKEN : END_REDUNDANT;
		x->pos++;
		if (x->reduce) {
			SimFootprint fp;
			step_footprint(w, x->procs, t, &fp);
			if (idx >= x->last_step)
				x->next_sleep = child_sleep(x, w, node_at(x, idx), t, &fp);
			if (x->optimal)
				keep_root_fp(node_at(x, idx), t, &fp);
			add_event(x, t, idx, &fp);
		}
		x->off = FALSE;
		if (x->guide_at && t < x->procs)
			x->taken[t]++;
		gboolean ok = t >= x->procs ? sim_world_fire_alarm(w, t - x->procs)
					    : sim_world_step(w, t);
		x->r->stats.calls++;
		depth++;
		x->r->stats.max_depth_seen = MAX(x->r->stats.max_depth_seen, depth);
		if (x->broken)
			return END_BROKEN;
		if (x->off)
			return END_OFF;
		if (!ok)
			return END_DONE;
		prev = (int)t;
	}
}

/* The schedule text of the current execution. */
static char *witness(Explorer *x)
{
	g_autoptr(GString) s = g_string_new(NULL);
	SimDecision *d = g_new(SimDecision, x->nodes->len + 1);
	for (guint i = 0; i < x->nodes->len; i++)
		d[i] = node_at(x, i)->d;
	sim_schedule_format(x->scn, x->o->timing == SIM_TIMING_STRICT, d, x->nodes->len, s);
	g_free(d);
	return g_string_free(g_steal_pointer(&s), FALSE);
}

static void keep_witness(Explorer *x, char **w, guint *len)
{
	if (*w && *len <= x->nodes->len)
		return;
	g_free(*w);
	*w = witness(x);
	*len = x->nodes->len;
}

/* Each expectation's verdict in this execution; a plain one means always. */
static void tally(Explorer *x, SimWorld *w)
{
	for (guint i = 0; i < x->scn->n_expects; i++) {
		const SimScnExpect *e = &x->scn->expects[i];
		if (e->kind == SIM_EXPECT_OUTCOMES)
			continue;
		SimExpectTally *t = &x->r->tallies[i];
		if (sim_report_expectation(w, e, NULL)) {
			t->held++;
			keep_witness(x, &t->held_witness, &t->held_length);
		} else {
			t->failed++;
			keep_witness(x, &t->failed_witness, &t->failed_length);
		}
	}
}

static void record(Explorer *x, SimWorld *w)
{
	SimRunStatus st = sim_world_status(w);
	x->r->stats.executions++;
	x->r->deadlocks += st == SIM_RUN_DEADLOCK;
	x->r->rail_stops += st != SIM_RUN_DONE && st != SIM_RUN_DEADLOCK;
	g_string_truncate(x->text, 0);
	sim_outcome_text(w, &x->rec, x->text);
	if (x->target && strcmp(x->text->str, sim_outcome_target_text(x->target)) == 0)
		x->found = TRUE;
	SimOutcome *oc = sim_outcome_set_get(x->set, x->text->str, st == SIM_RUN_DEADLOCK);
	oc->count++;
	keep_witness(x, &oc->witness, &oc->length);
	tally(x, w);
}

static EndKind execute(Explorer *x)
{
	SimWorldOptions wo = { .max_steps = x->o->max_steps,
			       .max_memory = x->o->max_memory,
			       .hook = call_hook(x),
			       .choose = choose_value,
			       .choose_data = x };
	sim_recorder_reset(&x->rec);
	guide_recount(x, 0);
	x->pos = 0;
	sim_race_log_reset(&x->log);
	x->next_sleep = 0;
	x->last_step = 0;
	for (guint i = x->nodes->len; i-- > 0;)
		if (node_at(x, i)->d.kind == SIM_DECIDE_STEP) {
			x->last_step = i;
			break;
		}
	g_autoptr(SimWorld) w = sim_world_new(x->scn, &wo);
	EndKind end = END_DONE;
	if (x->o->timing == SIM_TIMING_STRICT) {
		sim_world_run(w);
		guint64 steps = sim_world_steps(w);
		x->r->stats.calls += steps;
		x->r->stats.max_depth_seen =
			MAX(x->r->stats.max_depth_seen, (guint)MIN(steps, G_MAXUINT));
	} else if (w->setup_what) { /* the memory rail stopped the world being made */
		sim_world_step_end(w);
	} else {
		end = step_all(x, w);
		if (end == END_DONE)
			sim_world_step_end(w);
	}
	if (x->broken)
		end = END_BROKEN;
	if (end == END_DONE)
		record(x, w);
	else if (end == END_REDUNDANT)
		x->r->stats.redundant++;
	else if (end == END_CUT)
		x->r->stats.depth_cut++;
	else if (end == END_MERGED)
		x->r->stats.merged++;
	else if (end == END_OFF)
		x->r->stats.off_target++;
	return end;
}

/* Optimal: the branch of node top just explored is done (its task asleep for the rest,
 * with its step's footprint), and the leftmost one left is next; FALSE when none is. */
static gboolean next_branch(Explorer *x, guint top)
{
	Node *nd = node_at(x, top);
	guint t = nd->d.value;
	nd->done |= BIT(t);
	/* Its step: events are in node order (a run of 65537 steps pops as many nodes). */
	guint lo = 0, hi = x->log.n_events;
	while (lo < hi) {
		guint mid = lo + (hi - lo) / 2;
		if (x->log.events[mid].node < top)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < x->log.n_events && x->log.events[lo].node == top)
		sim_wut_add_leaf(&nd->slept, t, &x->log.events[lo].fp);
	sim_wut_remove(&nd->wut, t);
	while (nd->wut && ((nd->done | nd->sleep) & BIT(nd->wut->task)))
		sim_wut_remove(&nd->wut, nd->wut->task);
	if (!nd->wut)
		return FALSE;
	nd->d.value = nd->wut->task;
	x->first_new = top;
	return TRUE;
}

/* Moves the stack to the next execution's decisions; FALSE when none is left. */
static gboolean backtrack(Explorer *x)
{
	while (x->nodes->len) {
		guint top = x->nodes->len - 1;
		Node *nd = node_at(x, top);
		if (nd->d.kind == SIM_DECIDE_VALUE) {
			if (nd->d.value + 1 < nd->n_values) {
				nd->d.value++;
				x->first_new = top;
				return TRUE;
			}
		} else if (x->optimal) {
			if (next_branch(x, top))
				return TRUE;
		} else {
			nd->done |= BIT(nd->d.value);
			guint64 todo = nd->backtrack & ~nd->done & ~nd->sleep;
			if (todo) {
				nd->d.value = lowest(todo);
				x->first_new = top;
				return TRUE;
			}
		}
		g_array_set_size(x->nodes, top);
	}
	return FALSE;
}

/* ---- The search ---- */


/* A bound that stops the search now, or NULL. */
static const char *bound_hit(Explorer *x, gint64 now)
{
	const SimExploreStats *s = &x->r->stats;
	guint64 runs = s->executions + s->redundant + s->depth_cut + s->merged + s->off_target;
	if (x->o->max_executions && runs >= x->o->max_executions)
		return "--max-executions";
	if (x->o->max_seconds > 0 && (double)(now - x->t0) / 1e6 >= x->o->max_seconds)
		return "--max-time";
	return NULL;
}

/* ---- The stateful search: a depth-first walk with snapshots (snap.c) ----
 * The walk search() makes with --stateful, in the same order (the task that stepped last
 * first, then the others by id), with the same counts, outcomes and witnesses; only a
 * branch starts from its node's snapshot instead of replaying its prefix in a fresh
 * world. A scenario or a state that a snapshot cannot hold ends the walk (WALK_CANNOT),
 * and the search starts again by replay. */

typedef enum { WALK_DONE, WALK_STOPPED, WALK_CANNOT } WalkEnd;

/* A choice among several (deliver=random) would need a node of its own: not here. */
static guint refuse_choice(void *data, guint n)
{
	Explorer *x = data;
	if (n > 1)
		x->broken = TRUE;
	return 0;
}

/* The cycle proviso (SPIN's): the step taken alone at depth - 1 led back to a state on
 * the depth-first stack, so it closed a cycle along which other tasks' steps could be
 * put off for ever; that state is expanded in full after all (its other tasks become
 * branches, from the snapshot walk_all() kept for it). ample.c's argument needs no
 * proviso to keep the end states, the outcomes; the proviso keeps the search from
 * leaving any enabled step unexplored round a cycle, as the full walk does. */
static void proviso(Explorer *x, guint depth)
{
	if (!depth || !x->last_digested)
		return;
	StackState *up = &g_array_index(x->stack, StackState, depth - 1);
	if (!up->alone)
		return;
	for (guint k = 0; k < depth; k++) {
		const StackState *s = &g_array_index(x->stack, StackState, k);
		if (s->digested && s->h == x->last_h) {
			Node *nd = node_at(x, depth - 1);
			nd->backtrack |= nd->enabled;
			up->alone = FALSE;
			x->r->stats.widened++;
			return;
		}
	}
}

/* The state w is in, at depth: FALSE when the execution ends here (recorded or counted),
 * TRUE with the tasks that can step (mask) when it is a new state. */
static gboolean walk_visit(Explorer *x, SimWorld *w, guint depth, guint64 *mask)
{
	guint max_depth = x->o->max_depth ? x->o->max_depth : SIM_EXPLORE_DEFAULT_DEPTH;
	guint n = sim_world_steppable(w, x->ids);
	*mask = 0;
	for (guint i = 0; i < n; i++)
		*mask |= BIT(x->ids[i]);
	/* A pending alarm's SIGALRM: a step of its own (procs + i), as in step_all(). */
	if (x->alarms && w->halt == SIM_RUN_DONE) {
		guint na = sim_world_alarms(w, x->ids + n);
		for (guint i = n; i < n + na; i++)
			*mask |= BIT(x->ids[i] + x->procs);
		n += na;
	}
	if (!n) {
		sim_world_step_end(w);
		record(x, w);
		return FALSE;
	}
	guint64 spent = (depth ? node_at(x, depth - 1)->spent : 0) + step_cost(n);
	if (spent > (guint64)max_depth * SIM_EXPLORE_FORCED_PER_STEP) {
		x->r->stats.depth_cut++;
		return FALSE;
	}
	x->pos = x->nodes->len;
	x->last_digested = FALSE;
	if (seen_before(x, w)) {
		x->r->stats.merged++;
		proviso(x, depth);
		return FALSE;
	}
	return TRUE;
}

/* Task t steps from node idx; FALSE when the execution ended there (a guard rail: it is
 * recorded) or the step needed a choice (x->broken). */
static gboolean walk_step(Explorer *x, SimWorld *w, guint idx, guint t)
{
	x->off = FALSE;
	if (x->guide_at && t < x->procs)
		x->taken[t]++;
	gboolean ok = t >= x->procs ? sim_world_fire_alarm(w, t - x->procs) : sim_world_step(w, t);
	x->r->stats.calls++;
	x->r->stats.max_depth_seen = MAX(x->r->stats.max_depth_seen, idx + 1);
	if (x->off && !x->broken) { /* no end of this execution can be the target */
		x->r->stats.off_target++;
		return FALSE;
	}
	if (!ok && !x->broken) {
		sim_world_step_end(w);
		record(x, w);
	}
	return ok && !x->broken;
}

/* The next branch: its node's state restored, its first step taken (alive: the execution
 * goes on). FALSE when none is left, or a bound stops the walk (cut_by). */
static gboolean walk_branch(Explorer *x, SimWorld *w, GPtrArray *snaps, guint *depth,
			    int *prev, gboolean *alive)
{
	/* The clock is read every 64 ends: an end costs about a microsecond here, and the
	 * clock a good part of that. */
	static const gint64 not_yet = -1;
	gint64 now = (++x->ends & 63) == 0 ? g_get_monotonic_time() : not_yet;
	if (now == not_yet)
		now = x->last_now;
	x->last_now = now;
	x->r->stats.seconds = (double)(now - x->t0) / 1e6;
	if (x->o->progress && now >= x->next_progress) {
		x->o->progress(x->o->progress_data, &x->r->stats);
		x->next_progress = now + G_USEC_PER_SEC;
	}
	while (x->nodes->len && !x->found) {
		guint top = x->nodes->len - 1;
		Node *nd = node_at(x, top);
		nd->done |= BIT(nd->d.value);
		guint64 todo = nd->backtrack & ~nd->done;
		if (!todo) {
			g_array_set_size(x->nodes, top);
			continue;
		}
		x->r->cut_by = bound_hit(x, now);
		if (x->r->cut_by)
			return FALSE;
		nd->d.value = lowest(todo);
		sim_snap_restore(g_ptr_array_index(snaps, top), w, &x->rec);
		guide_recount(x, top);
		*depth = top + 1;
		*prev = (int)nd->d.value;
		*alive = walk_step(x, w, top, nd->d.value);
		return TRUE;
	}
	return FALSE;
}

/* A task of mask whose blocked call was woken and only waits to finish, or -1.
 *
 * Finishing it is a step of its own (it records the call's result, and a receive stores
 * the message it was handed), but one that reads and writes nothing of any other task or
 * object: the message is already in its waiter, and in a world of mailboxes alone nothing
 * can take it back (no signal, no kill). Such a step commutes with every other and stays
 * possible until taken, so the orders that put it later reach the same states and the same
 * ends (a persistent set of one step, which keeps every end state even where states are
 * cut, Valmari's stubborn sets): the walk takes it at once and tries no other order there.
 * Not where an expectation reads a statement's results (labels, asserts): replicas share
 * their statements' records, and the last finish would be the one they read. */
static int resuming(const SimWorld *w, guint64 mask, guint64 quiet_end)
{
	while (mask) {
		guint p = lowest(mask);
		mask &= mask - 1;
		/* A waiter still listed (a SysV sender woken to look again) is not done yet:
		 * its finish reads the queue again, and an IPC_RMID can still fail it. */
		if (w->tasks[p].resuming && !w->tasks[p].waiter.queue)
			return (int)p;
		const SimStmt *st = sim_world_next_stmt(w, p);
		/* An end that gives SEM_UNDO adjustments back or drops attachments changes
		 * a set or a segment that others read: not quiet. */
		if ((quiet_end & BIT(p)) && !st && !w->tasks[p].sem_undo &&
		    !(w->shm_maps && w->shm_maps[p].maps && w->shm_maps[p].maps->len))
			return (int)p;
		/* A compute, a sleep or a print reads and writes only its own task (time is
		 * abstracted, the output is no part of an outcome): the same argument holds. */
		if (st && (st->kind == SIM_STMT_COMPUTE || st->kind == SIM_STMT_SLEEP ||
			   st->kind == SIM_STMT_PRINT))
			return (int)p;
	}
	return -1;
}

/* The tasks whose end (their exit after the last statement) touches nothing but
 * themselves, so that resuming() may take it at once like a woken call's finish: an exit
 * destroys the mailboxes its task owns and its inbox, and starts the tasks declared after
 * it, so only a task that owns none, starts none, was not forked, in a scenario where no
 * call reaches a process's inbox (a direct send or receive, a reply). An exit also closes
 * its descriptors, which ends its mq_notify registration and may free an unlinked queue's
 * charges: none is quiet where POSIX queues are (declared, or opened by a call). */
static guint64 quiet_ends(const SimWorld *w)
{
	if (w->mqueues->len)
		return 0;
	for (guint i = 0; i < w->n_tasks; i++) {
		const SimProgram *p = w->tasks[i].prog;
		for (guint k = 0; k < p->n_code; k++) {
			const SimStmt *st = p->code[k].stmt;
			SimCallFamily f = st ? sim_call_desc(st->kind)->family : SIM_CALL_CONTROL;
			if ((f == SIM_CALL_MBOX && st->ep.kind != SIM_EP_MBOX) || f == SIM_CALL_POSIX)
				return 0;
		}
	}
	guint64 out = 0;
	for (guint i = 0; i < w->n_tasks; i++) {
		const SimTask *t = &w->tasks[i];
		if (t->first_owned < 0 && t->first_after < 0 && t->proc->start != SIM_START_FORK)
			out |= BIT(i);
	}
	return out;
}

/* Whether a statement of w's bodies is of the files', the processes' or the sockets'
 * family. Their finishes do not commute with every other step, so resuming() may not take
 * them at once: a woken pipe read or write does its operation again when its task runs, so
 * does a woken socket call (and a stream send that stopped between two buffers goes on
 * only after its woken reader may have run), a woken wait looks at the children again,
 * and a kill can end a task before its woken call finishes; an exit closes descriptors
 * and wakes a parent's wait. */
static gboolean files_or_procs(const SimWorld *w)
{
	for (guint i = 0; i < w->n_tasks; i++) {
		const SimProgram *p = w->tasks[i].prog;
		for (guint k = 0; k < p->n_code; k++) {
			const SimStmt *st = p->code[k].stmt;
			SimCallFamily f = st ? sim_call_desc(st->kind)->family : SIM_CALL_CONTROL;
			if (f == SIM_CALL_FILE || f == SIM_CALL_PROC || f == SIM_CALL_SOCK)
				return TRUE;
		}
	}
	return FALSE;
}

/* The step explored alone at a state where the tasks of mask can step, if any (*t, and
 * *branches that one task): a woken call's finish or a quiet end (resuming()), or a step
 * that no other task can interfere with (ample.c). TRUE when that step may close a cycle
 * of states, so that the proviso must be able to widen the state (it keeps a snapshot):
 * every call but a compute, a sleep or a print adds to its task's line, which is in the
 * digest and only grows, so that a cycle is made of those three alone. */
static gboolean take_alone(Explorer *x, SimWorld *w, guint64 mask, guint *t, guint64 *branches)
{
	int r = x->eager ? resuming(w, mask, x->quiet_end) : -1;
	if (r < 0 && x->ample && (mask & (mask - 1))) {
		r = sim_ample_pick(x->ample, w, mask);
		x->r->stats.alone += r >= 0;
	}
	if (r < 0)
		return FALSE;
	*t = (guint)r;
	*branches = BIT(*t);
	const SimStmt *st = sim_world_next_stmt(w, *t);
	return (mask & (mask - 1)) && st &&
	       (st->kind == SIM_STMT_COMPUTE || st->kind == SIM_STMT_SLEEP ||
		st->kind == SIM_STMT_PRINT);
}

static WalkEnd walk_all(Explorer *x, SimWorld *w)
{
	g_autoptr(GPtrArray) snaps = g_ptr_array_new_with_free_func((GDestroyNotify)sim_snap_free);
	guint depth = 0;
	int prev = -1;
	gboolean alive = TRUE;
	for (;;) {
		guint64 mask;
		if (alive && walk_visit(x, w, depth, &mask)) {
			guint t = first_task(x, w, mask, prev);
			guint64 branches = mask;
			gboolean cyclic = take_alone(x, w, mask, &t, &branches);
			StackState ss = { x->last_h, x->last_digested, cyclic };
			if (x->stack->len <= depth)
				g_array_set_size(x->stack, depth + 1);
			g_array_index(x->stack, StackState, depth) = ss;
			Node nd = { .d = { SIM_DECIDE_STEP, t }, .enabled = mask, .backtrack = branches };
			nd.spent = (depth ? node_at(x, depth - 1)->spent : 0) +
				   step_cost((mask & (mask - 1)) ? 2 : 1);
			g_array_append_val(x->nodes, nd);
			x->r->stats.states++;
			/* Only a node with another branch comes back to its state, and only such a
			 * node gets a snapshot: a run of forced steps (65537 writes of one
			 * process) would otherwise hold one per step. */
			if ((branches & (branches - 1)) || cyclic) {
				if (snaps->len < x->nodes->len)
					g_ptr_array_set_size(snaps, (gint)x->nodes->len);
				SimSnap **slot = (SimSnap **)&g_ptr_array_index(snaps, depth);
				if (!*slot)
					*slot = sim_snap_new(w);
				if (!sim_snap_save(*slot, w, &x->rec)) {
					guint64 h;
					x->gap = !sim_state_digest(w, &x->rec, TRUE, &h);
					return WALK_CANNOT;
				}
			}
			alive = walk_step(x, w, depth, t);
			depth++;
			prev = (int)t;
		} else if (!walk_branch(x, w, snaps, &depth, &prev, &alive)) {
			return x->r->cut_by ? WALK_STOPPED : WALK_DONE;
		}
		if (x->broken)
			return WALK_CANNOT;
	}
}

/* Whether two tasks run one body (replicas, `process p[2]`): they share its statements'
 * records, which label expectations and asserts read, so that a woken call's finish writes
 * what another task's steps write too (see resuming()). Each body run by one task alone,
 * the finish touches only its own task's records. */
static gboolean shared_bodies(const SimWorld *w)
{
	for (guint i = 0; i < w->n_tasks; i++)
		for (guint k = 0; k < i; k++)
			if (w->tasks[i].prog == w->tasks[k].prog)
				return TRUE;
	return FALSE;
}

/* Whether w's bodies make calls on objects the digest never covers (ALPC ports): a replay
 * that prunes by digest would prune nothing once they exist. (Sockets it covers: a poll on
 * one stops the walk, which cannot snapshot a poller, but the replay prunes wherever no
 * poller waits.) */
static gboolean families_beyond_digest(const SimWorld *w)
{
	for (guint i = 0; i < w->n_tasks; i++) {
		const SimProgram *p = w->tasks[i].prog;
		for (guint k = 0; k < p->n_code; k++) {
			const SimStmt *st = p->code[k].stmt;
			SimCallFamily f = st ? sim_call_desc(st->kind)->family : SIM_CALL_CONTROL;
			if (f == SIM_CALL_ALPC)
				return TRUE;
		}
	}
	return FALSE;
}

/* Whether an expectation reads the records of statements that replicas share. */
static gboolean labels_shared(const Explorer *x, const SimWorld *w)
{
	for (guint i = 0; i < x->scn->n_expects; i++) {
		SimExpectKind k = x->scn->expects[i].kind;
		if ((k == SIM_EXPECT_LABEL || k == SIM_EXPECT_ASSERT) && shared_bodies(w))
			return TRUE;
	}
	return FALSE;
}

/* The stateful walk over one world; WALK_CANNOT leaves the result to be reset. */
static WalkEnd walk(Explorer *x)
{
	SimWorldOptions wo = { .max_steps = x->o->max_steps,
			       .max_memory = x->o->max_memory,
			       .hook = call_hook(x),
			       .choose = refuse_choice,
			       .choose_data = x };
	sim_recorder_reset(&x->rec);
	guide_recount(x, 0);
	g_autoptr(SimWorld) w = sim_world_new(x->scn, &wo);
	if (w->setup_what)
		return WALK_CANNOT;
	if (!sim_snap_fits(w)) {
		x->gap = families_beyond_digest(w);
		return WALK_CANNOT;
	}
	/* A notification's signal can end a task whose woken call is not finished yet, and a
	 * thread it starts ends with its process: such a finish does not commute with them. */
	x->eager = !x->o->no_eager && !files_or_procs(w) && !snap_sig_notifies(w);
	x->quiet_end = quiet_ends(w);
	if (labels_shared(x, w))
		x->eager = FALSE;
	/* Persistent sets (ample.c, which also minds the records that labels read). Not with
	 * alarms: a SIGALRM may come between any two steps and reach its task wherever it
	 * is, which neither a step taken alone here nor ample.c's futures account for. */
	x->ample = !x->o->no_eager && !x->o->no_ample && !x->alarms ? sim_ample_new(w) : NULL;
	x->eager = x->eager && !x->alarms;
	x->stack = g_array_new(FALSE, TRUE, sizeof(StackState));
	WalkEnd end = walk_all(x, w);
	sim_ample_free(x->ample);
	x->ample = NULL;
	g_array_unref(x->stack);
	x->stack = NULL;
	return end;
}

/* Back to nothing explored, for the search by replay after a walk that could not go on. */
static void walk_undo(Explorer *x)
{
	sim_outcome_set_reset(x->set);
	for (guint i = 0; i < x->r->n_tallies; i++) {
		g_free(x->r->tallies[i].held_witness);
		g_free(x->r->tallies[i].failed_witness);
		memset(&x->r->tallies[i], 0, sizeof(SimExpectTally));
	}
	memset(&x->r->stats, 0, sizeof(x->r->stats));
	x->r->deadlocks = x->r->rail_stops = 0;
	x->r->cut_by = NULL;
	x->found = FALSE;
	g_array_set_size(x->nodes, 0);
	sim_state_set_clear(&x->seen);
	sim_state_set_init(&x->seen);
	x->broken = FALSE;
}

static void search(Explorer *x)
{
	guint64 runs = 0;
	for (;;) {
		if (execute(x) == END_BROKEN) {
			g_warning("explore: a replay took another path; the search stops");
			x->r->cut_by = "a replay that did not repeat";
			return;
		}
		runs++;
		if (x->found)
			return;
		gint64 now = g_get_monotonic_time();
		x->r->stats.seconds = (double)(now - x->t0) / 1e6;
		if (x->o->progress && now >= x->next_progress) {
			x->o->progress(x->o->progress_data, &x->r->stats);
			x->next_progress = now + G_USEC_PER_SEC;
		}
		if (!backtrack(x))
			return;
		x->r->cut_by = bound_hit(x, now);
		if (x->r->cut_by)
			return;
	}
}

/* The digest leaves out the order of first returns and the clock: no pruning when an
 * expectation reads either. */
static gboolean stateful_fits(const SimScenario *scn, const SimExploreOptions *o)
{
	if (!o->stateful || o->timing != SIM_TIMING_ANY)
		return FALSE;
	for (guint i = 0; i < scn->n_expects; i++)
		if (scn->expects[i].kind == SIM_EXPECT_ORDER || scn->expects[i].kind == SIM_EXPECT_TIME)
			return FALSE;
	/* A world the digest cannot cover from the start (SysV or POSIX queues declared,
	 * descriptors) would gain nothing, and full expansion without pruning costs more than
	 * DPOR: keep DPOR there. */
	SimRecorder rec;
	sim_recorder_init(&rec, scn->n_procs);
	SimWorldOptions wo = { .max_steps = o->max_steps, .max_memory = o->max_memory };
	g_autoptr(SimWorld) w = sim_world_new(scn, &wo);
	guint64 h;
	gboolean fits = !w->setup_what && sim_state_digest(w, &rec, TRUE, &h);
	sim_recorder_clear(&rec);
	return fits;
}

gboolean sim_explore_run(const SimScenario *scn, const SimExploreOptions *o, SimExploreResult *r,
			 GError **error)
{
	g_return_val_if_fail(scn != NULL && o != NULL && r != NULL, FALSE);
	memset(r, 0, sizeof(*r));
	if (scn->n_procs > SIM_EXPLORE_MAX_TASKS) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
			    "%s: cannot explore %u processes (at most %d)", scn->file, scn->n_procs,
			    SIM_EXPLORE_MAX_TASKS);
		return FALSE;
	}
	/* Untimed, every step may come at any moment, and so may a pending alarm's SIGALRM:
	 * it is a step of its own (task i's alarm is step procs + i), which needs twice the
	 * task bits; with the clock kept, it comes when it is due. */
	gboolean alarms = o->timing == SIM_TIMING_ANY && sim_call_alarm_used(scn);
	if (alarms && scn->n_procs > SIM_EXPLORE_MAX_TASKS / 2) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
			    "%s: cannot explore %u processes with alarms (at most %d: each "
			    "alarm is a step of its own)",
			    scn->file, scn->n_procs, SIM_EXPLORE_MAX_TASKS / 2);
		return FALSE;
	}
	Explorer x = { .scn = scn,
		       .o = o,
		       .r = r,
		       .n = scn->n_procs * (alarms ? 2 : 1),
		       .procs = scn->n_procs,
		       .alarms = alarms };
	x.stateful = stateful_fits(scn, o);
	r->stateful = x.stateful;
	x.reduce = !o->no_reduction && o->timing == SIM_TIMING_ANY && !x.stateful;
	x.optimal = x.reduce && !o->dpor_source;
	sim_state_set_init(&x.seen);
	x.senders = -1;
	if (x.stateful && !o->no_symmetry && !o->target)
		x.sym = sim_symmetry_new(scn);
	x.target = o->target ? sim_outcome_target_new(o->target, x.n) : NULL;
	/* Giving up an execution that left the target is sound where the search prunes by
	 * state and expands every task (or a persistent set) at each: what it gives up holds
	 * no end with the target. DPOR finds races along the executions it runs to their end,
	 * so there the search runs whole and stops at the target only. */
	x.prune = x.target && x.stateful;
	guide_new(&x);
	r->symmetric = sim_symmetry_tasks(x.sym);
	x.nodes = g_array_new(FALSE, FALSE, sizeof(Node));
	g_array_set_clear_func(x.nodes, node_clear);
	x.sleep_fp = g_new(SimFootprint, x.n + 1);
	sim_race_log_init(&x.log, MAX(x.n, 1u));
	x.ids = g_new(guint, 2 * x.procs + 1);
	x.text = g_string_new(NULL);
	x.set = sim_outcome_set_new();
	sim_recorder_init(&x.rec, x.n);
	r->tallies = g_new0(SimExpectTally, scn->n_expects + 1);
	r->n_tallies = scn->n_expects;
	x.t0 = g_get_monotonic_time();
	x.last_now = x.t0;
	x.next_progress = x.t0 + G_USEC_PER_SEC;
	WalkEnd walked = x.stateful && !o->no_snapshots ? walk(&x) : WALK_CANNOT;
	if (walked == WALK_CANNOT) {
		walk_undo(&x);
		/* Where what stopped the walk (an ALPC port, a handler running) is beyond the
		 * digest too, a replay that prunes only where it can digest would try every
		 * order everywhere else: DPOR does not. Where the digest goes on (ipcs, a
		 * random choice), the stateful replay prunes as before. */
		if (x.stateful && !o->no_snapshots && x.gap) {
			x.stateful = r->stateful = FALSE;
			x.prune = FALSE;
			x.reduce = !o->no_reduction;
			x.optimal = x.reduce && !o->dpor_source;
			sim_symmetry_free(x.sym);
			x.sym = NULL;
			r->symmetric = 0;
		}
		search(&x);
	}
	r->stats.seconds = (double)(g_get_monotonic_time() - x.t0) / 1e6;
	r->found = x.found;
	r->complete = !x.found && r->cut_by == NULL && r->stats.depth_cut == 0;
	/* Each permutation of an outcome found is reachable, cut search or not. */
	sim_symmetry_close(x.sym, scn, sim_outcome_set_table(x.set));
	sim_symmetry_free(x.sym);
	sim_outcome_set_finish(x.set, r);
	sim_recorder_clear(&x.rec);
	sim_outcome_target_free(x.target);
	guide_free(&x);
	sim_state_set_clear(&x.seen);
	g_string_free(x.text, TRUE);
	g_array_unref(x.nodes);
	sim_race_log_clear(&x.log);
	g_free(x.v_ev);
	g_free(x.v_task);
	g_free(x.v_fp);
	g_free(x.sleep_fp);
	g_free(x.ids);
	return TRUE;
}

void sim_explore_result_clear(SimExploreResult *r)
{
	if (!r)
		return;
	if (r->outcomes)
		g_ptr_array_unref(r->outcomes);
	r->outcomes = NULL;
	for (guint i = 0; r->tallies && i < r->n_tallies; i++) {
		g_free(r->tallies[i].held_witness);
		g_free(r->tallies[i].failed_witness);
	}
	g_free(r->tallies);
	r->tallies = NULL;
}

gboolean sim_explore_expect_holds(const SimExploreResult *r, const SimScenario *scn, guint i)
{
	const SimScnExpect *e = &scn->expects[i];
	const SimExpectTally *t = &r->tallies[i];
	if (e->kind == SIM_EXPECT_OUTCOMES)
		return r->complete && r->outcomes->len == (guint)e->outcomes;
	if (e->mode == SIM_EXPECT_RUN) /* one schedule's: not a claim about the others */
		return TRUE;
	if (e->mode == SIM_EXPECT_POSSIBLE)
		return t->held > 0;
	return t->failed == 0;
}
