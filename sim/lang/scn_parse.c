/* scn_parse.c — the declarations and expectations of a scenario file, top to bottom.
 *
 * parse_decl dispatches on the first word of each declaration (decl_words); process bodies
 * are read by scn_parse_body with the statements of scn_stmt.c. As everywhere in the front
 * end, nothing is looked up while a declaration is being read: names are recorded where
 * they are used and resolved by scn_finish (scn_resolve.c) once the whole file has been read,
 * which is what lets a scenario use a name before it declares it.
 */
#include "lang/scn_int.h"

#include "msgsim/calls/call.h"
#include "msgsim/kernel/signal.h"

#include <signal.h>
#include <string.h>

/* ---- Declarations ---- */

/* The offset of a SimScenario field, for the option tables. */
#define SCN(field) G_STRUCT_OFFSET(SimScenario, field)

static gboolean take_quantum(Parser *p, Opts *o, int k, void *obj)
{
	SimScenario *scn = obj;
	const Tok *t = tok(p);
	(void)o, (void)k;
	if (!scn_take_time(p, "after 'quantum='", &scn->quantum))
		return FALSE;
	if (scn->quantum <= 0)
		return scn_fail_tok(p, t, E_NUMBER,
				    "bad quantum '%s': expected a time greater than 0", t->text);
	return TRUE;
}

/* scheduler rr takes a quantum, and every policy a seed (the random ones use it). */
static const OptSpec rr_opts[] = {
	TAKE_OPT("quantum", take_quantum),
	INT_OPT("seed", SCN(seed), 0, G_MAXINT64),
	OPTS_END,
};
static const OptSpec sched_opts[] = {
	INT_OPT("seed", SCN(seed), 0, G_MAXINT64),
	OPTS_END,
};

static gboolean parse_scheduler(Parser *p)
{
	static const char *const policies[] = { "fifo", "rr", "priority", "random", NULL };
	const Tok *kw = tok(p);
	SimScenario *scn = p->scn;
	if (p->sched_loc.line)
		return scn_fail_tok(p, kw, E_MISUSE,
				    "duplicate 'scheduler': already declared at %u:%u",
				    p->sched_loc.line, p->sched_loc.col);
	p->sched_loc = kw->loc;
	advance(p);
	const Tok *policy = tok(p);
	int pol = scn_take_choice(p, "scheduler", "after 'scheduler'", policies);
	if (pol < 0)
		return FALSE;
	scn->policy = (SimSchedPolicy)pol;
	g_autofree char *what = g_strdup_printf("scheduler %s", policies[pol]);
	Opts o = { .what = what, .specs = pol == SIM_SCHED_RR ? rr_opts : sched_opts };
	if (!scn_take_opts(p, &o, scn))
		return FALSE;
	scn->seed_set = o.seen[scn_opt_index(&o, "seed")].line != 0;
	if (pol == SIM_SCHED_RR && !o.seen[0].line)
		return scn_fail_at(p, policy->loc, E_SYNTAX,
				   "scheduler rr needs quantum=TIME, for example quantum=10us");
	return TRUE;
}

static const OptSpec cost_opts[] = {
	TIME_OPT("syscall", SCN(cost_syscall)),
	TIME_OPT("switch", SCN(cost_switch)),
	TIME_OPT("byte", SCN(cost_byte)),
	OPTS_END,
};

static gboolean parse_cost(Parser *p)
{
	const Tok *kw = tok(p);
	if (p->cost_loc.line)
		return scn_fail_tok(p, kw, E_MISUSE, "duplicate 'cost': already declared at %u:%u",
				    p->cost_loc.line, p->cost_loc.col);
	p->cost_loc = kw->loc;
	advance(p);
	Opts o = { .what = "cost", .specs = cost_opts };
	return scn_take_opts(p, &o, p->scn);
}

static gboolean parse_direct(Parser *p)
{
	const Tok *kw = tok(p);
	if (p->direct_loc.line)
		return scn_fail_tok(p, kw, E_MISUSE,
				    "duplicate 'direct': already declared at %u:%u",
				    p->direct_loc.line, p->direct_loc.col);
	p->direct_loc = kw->loc;
	advance(p);
	if (!is_word(tok(p), "capacity") || !is_char(peek(p, 1), '='))
		return scn_expected(p,
				    "capacity=0, capacity=N or capacity=unbounded after 'direct'");
	advance(p);
	advance(p);
	return scn_take_capacity(p, &p->scn->direct_capacity);
}

/* owner=PROC, or owner=system for a mailbox; obj is the mailbox being declared, the last. */
static gboolean take_owner(Parser *p, Opts *o, int k, void *obj)
{
	SimScnMbox *m = obj;
	const Tok *t = tok(p);
	g_autofree char *owner = NULL;
	SimLoc loc;
	(void)o, (void)k;
	if (is_word(t, "system") && m->is_port)
		return scn_fail_tok(
			p, t, E_MISUSE,
			"a port cannot be owned by the system: owner= needs a process (only "
			"the owner receives from a port)");
	if (is_word(t, "system")) {
		m->owner = -1;
		advance(p);
		return TRUE;
	}
	if (!scn_take_name(p,
			   m->is_port ? "a process name after 'owner='"
				      : "a process name or 'system' after 'owner='",
			   &owner, &loc))
		return FALSE;
	scn_add_ref(p, REF_OWNER, owner, loc, p->mboxes->len - 1, 0, "after 'owner='");
	return TRUE;
}

static gboolean take_mbox_capacity(Parser *p, Opts *o, int k, void *obj)
{
	(void)o, (void)k;
	return scn_take_capacity(p, &((SimScnMbox *)obj)->capacity);
}

#define MBOX(field) G_STRUCT_OFFSET(SimScnMbox, field)
G_STATIC_ASSERT(sizeof(SimOrder) == sizeof(int) && sizeof(SimDeliver) == sizeof(int));

/* A port has no deliver=: only its owner receives. */
static const OptSpec mbox_opts[] = {
	TAKE_OPT("capacity", take_mbox_capacity),
	TAKE_OPT("owner", take_owner),
	ENUM_OPT("order", MBOX(order), scn_order_names),
	ENUM_OPT("waiters", MBOX(waiters), scn_order_names),
	ENUM_OPT("deliver", MBOX(deliver), scn_deliver_names),
	OPTS_END,
};
static const OptSpec port_opts[] = {
	TAKE_OPT("capacity", take_mbox_capacity),
	TAKE_OPT("owner", take_owner),
	ENUM_OPT("order", MBOX(order), scn_order_names),
	ENUM_OPT("waiters", MBOX(waiters), scn_order_names),
	OPTS_END,
};

/* mailbox NAME [options] and port NAME owner=PROC [options]. */
static gboolean parse_mbox(Parser *p, gboolean is_port)
{
	g_autofree char *name = NULL;
	SimLoc loc;
	const char *what = is_port ? "port" : "mailbox";
	advance(p);
	if (!scn_take_name(p,
			   is_port ? "a port name after 'port'" : "a mailbox name after 'mailbox'",
			   &name, &loc) ||
	    !scn_not_reserved(p, name, loc, what))
		return FALSE;
	guint index = p->mboxes->len;
	SimScnMbox m = { .name = g_strdup(name),
			 .loc = loc,
			 .is_port = is_port,
			 .capacity = SIM_CAPACITY_UNBOUNDED,
			 .owner = -1,
			 .order = SIM_ORDER_FIFO,
			 .waiters = SIM_ORDER_FIFO,
			 .deliver = SIM_DELIVER_FIRST_WAITER };
	g_array_append_val(p->mboxes, m);
	if (!scn_declare(p, name, loc, NAME_MBOX, index))
		return FALSE;
	/* Reading the options adds no mailbox, so the pointer stays good. */
	Opts o = { .what = what, .specs = is_port ? port_opts : mbox_opts };
	if (!scn_take_opts(p, &o, &g_array_index(p->mboxes, SimScnMbox, index)))
		return FALSE;
	if (is_port && !o.seen[1].line)
		return scn_fail_at(
			p, loc, E_SYNTAX,
			"port '%s' needs owner=PROC: only its owner receives from a port", name);
	return TRUE;
}

/* What the options of `process NAME[N]` set, for every replica alike. */
typedef struct {
	SimScnProc proc; /* priority, start, start_time, uid, gid, caps, nice, rlimits */
	guint first, n;	 /* the replicas: a start=after(PROC) names them all */
} ProcOpts;

/* start=TIME or start=after(PROC) */
static gboolean take_start(Parser *p, Opts *o, int k, void *obj)
{
	ProcOpts *po = obj;
	g_autofree char *after = NULL;
	SimLoc loc;
	(void)o, (void)k;
	if (!is_word(tok(p), "after")) {
		po->proc.start = SIM_START_AT;
		return scn_take_time(p, "or after(PROC) after 'start='", &po->proc.start_time);
	}
	advance(p);
	if (!is_char(tok(p), '('))
		return scn_expected(p, "'(' after 'start=after'");
	advance(p);
	if (!scn_take_name(p, "a process name in 'start=after(...)'", &after, &loc))
		return FALSE;
	if (!is_char(tok(p), ')'))
		return scn_expected(p, "')' after 'start=after(%s'", after);
	advance(p);
	scn_add_ref(p, REF_AFTER, after, loc, po->first, po->n, "in 'start=after(...)'");
	po->proc.start = SIM_START_AFTER;
	return TRUE;
}

/* Reads a body into a new SimScnBody kept in p->bodies (so it is freed on any error), run by
 * the n_procs processes from `proc` on, declared as `name`. A fork body (`parent` not NULL)
 * starts with a copy of the parent's variable slots: same names, kinds and numbers. */
SimScnBody *scn_parse_body(Parser *p, const char *ctx, guint proc, guint n_procs, const char *name,
			   const BodyBuilder *parent)
{
	SimScnBody *body = g_new0(SimScnBody, 1);
	g_ptr_array_add(p->bodies, body);
	g_auto(BodyBuilder) b = { .index = p->bodies->len - 1,
				  .vars = scn_array_new(sizeof(VarInfo), scn_clear_var),
				  .slots = g_hash_table_new(g_str_hash, g_str_equal),
				  .counters = scn_array_new(sizeof(Counter), NULL),
				  .queues = scn_array_new(sizeof(QueueUse), scn_clear_queue_use),
				  .forks = scn_array_new(sizeof(guint), NULL),
				  .waits = scn_array_new(sizeof(WaitUse), scn_clear_wait_use),
				  .proc = proc,
				  .n_procs = n_procs,
				  .name = name };
	for (guint i = 0; parent && i < parent->vars->len; i++) {
		const VarInfo *from = &g_array_index(parent->vars, VarInfo, i);
		VarInfo v = { .name = g_strdup(from->name),
			      .assigned = from->assigned,
			      .is_int = from->is_int,
			      .role = from->role,
			      .set_loc = from->set_loc };
		scn_add_slot(&b, &v);
	}
	BodyProcs runs = { proc, n_procs };
	g_array_append_val(p->body_procs, runs);
	b.n_inherit = b.vars->len;
	b.handler = p->handler_next;
	p->handler_next = FALSE;
	BodyBuilder *outer = p->body;
	p->body = &b;
	gboolean ok = scn_parse_block(p, ctx, &body->block) && scn_finish_vars(p, &b, body);
	p->body = outer;
	return ok ? body : NULL;
}

/* caps=ipc_owner,sys_admin,sys_resource (any of them, comma-separated), caps=none, caps=all */
static gboolean take_caps(Parser *p, Opts *o, int k, void *obj)
{
	G_STATIC_ASSERT(SIM_CAP_IPC_OWNER == 1u << 0 && SIM_CAP_SYS_ADMIN == 1u << 1 &&
			SIM_CAP_SYS_RESOURCE == 1u << 2);
	guint *out = &((ProcOpts *)obj)->proc.caps;
	(void)o, (void)k;
	*out = 0;
	for (guint n = 0;; n++) {
		const Tok *t = tok(p);
		int c = scn_take_choice(p, "capability", n ? "after ','" : "after 'caps='",
					scn_cap_names);
		if (c < 0)
			return FALSE;
		if ((c == CAP_NONE || c == CAP_ALL) && (n > 0 || is_char(tok(p), ',')))
			return scn_fail_tok(p, t, E_SYNTAX,
					    "'%s' cannot be listed with other capabilities: write "
					    "caps=%s alone",
					    scn_cap_names[c], scn_cap_names[c]);
		if (c < CAP_NONE && (*out & (1u << c)))
			return scn_fail_tok(p, t, E_SYNTAX, "repeated capability '%s'",
					    scn_cap_names[c]);
		if (c == CAP_ALL)
			*out = SIM_CAP_IPC_OWNER | SIM_CAP_SYS_ADMIN | SIM_CAP_SYS_RESOURCE;
		else if (c < CAP_NONE)
			*out |= 1u << c;
		if (!is_char(tok(p), ','))
			return TRUE;
		advance(p);
	}
}

#define PROC(field) G_STRUCT_OFFSET(ProcOpts, proc.field)

static const OptSpec process_opts[] = {
	INT_OPT("priority", PROC(priority), G_MININT64, G_MAXINT64),
	TAKE_OPT("start", take_start),
	INT_OPT("uid", PROC(uid), 0, G_MAXINT64),
	INT_OPT("gid", PROC(gid), 0, G_MAXINT64),
	TAKE_OPT("caps", take_caps),
	INT_OPT("nice", PROC(nice), -20, 19),
	INT_OPT("rlimit_msgqueue", PROC(rlimit_msgqueue), 0, G_MAXINT64),
	INT_OPT("rlimit_nofile", PROC(rlimit_nofile), 0, G_MAXINT64),
	OPTS_END,
};
enum { K_PRIORITY = 0, K_CAPS = 4, K_NICE = 5 };

/* The options of a process; nice and priority would both set how the process is ordered
 * among waiters (nice: lower first), so it has one or the other. */
static gboolean take_process_opts(Parser *p, ProcOpts *po)
{
	Opts o = { .what = "process", .specs = process_opts };
	int k;
	while ((k = scn_take_opt(p, &o)) >= 0) {
		if (!scn_opt_value(p, &o, k, po))
			return FALSE;
		if ((k == K_NICE && o.seen[K_PRIORITY].line) ||
		    (k == K_PRIORITY && o.seen[K_NICE].line)) {
			SimLoc first_loc = o.seen[k == K_NICE ? K_PRIORITY : K_NICE];
			return scn_fail_at(
				p, o.seen[k], E_MISUSE,
				"'%s=' cannot be given with '%s=' (at %u:%u): a process has a "
				"nice value or a priority, not both",
				process_opts[k].name, k == K_NICE ? "priority" : "nice",
				first_loc.line, first_loc.col);
		}
	}
	if (k == OPT_ERR)
		return FALSE;
	/* Without caps=, root has what root has on the project's machines. */
	if (!o.seen[K_CAPS].line)
		po->proc.caps = po->proc.uid == 0 ? SIM_CAP_IPC_OWNER | SIM_CAP_SYS_ADMIN : 0;
	return TRUE;
}

/* process NAME [options] { ... } and process NAME[N] [options] { ... } */
static gboolean parse_process(Parser *p)
{
	g_autofree char *name = NULL;
	SimLoc loc;
	advance(p);
	if (!scn_take_name(p, "a process name after 'process'", &name, &loc) ||
	    !scn_not_reserved(p, name, loc, "process"))
		return FALSE;
	gint64 n = 1;
	gboolean replicated = is_char(tok(p), '[');
	if (replicated) {
		advance(p);
		if (!scn_take_int(p, "replica count", "after '['", 1, MAX_REPLICAS, &n))
			return FALSE;
		if (!is_char(tok(p), ']'))
			return scn_expected(p, "']' after the replica count");
		advance(p);
	}
	guint first = p->procs->len;
	if (first + (guint)n > SIM_SCN_MAX_PROCS)
		return scn_fail_at(
			p, loc, SIM_SCN_ERROR_LIMIT,
			"too many processes: '%s' makes %u, after %u already (a scenario "
			"may have at most %d, replicas and forked children included)",
			name, (guint)n, first, SIM_SCN_MAX_PROCS);
	for (guint i = 0; i < (guint)n; i++) {
		SimScnProc pr = { .loc = loc,
				  .start = SIM_START_AT,
				  .start_after = -1,
				  .parent = -1,
				  .replica = i };
		pr.name = replicated ? g_strdup_printf("%s%u", name, i) : g_strdup(name);
		g_array_append_val(p->procs, pr);
		if (!scn_declare(p, pr.name, loc, NAME_PROC, first + i))
			return FALSE;
	}
	/* Linux's default rlimits. */
	ProcOpts po = {
		.proc = { .start = SIM_START_AT, .rlimit_msgqueue = 819200, .rlimit_nofile = 1024 },
		.first = first,
		.n = (guint)n
	};
	if (!take_process_opts(p, &po))
		return FALSE;
	/* Set before the body is read: a fork in it copies them. */
	for (guint i = 0; i < (guint)n; i++) {
		SimScnProc *pr = &g_array_index(p->procs, SimScnProc, first + i);
		pr->priority = po.proc.priority;
		pr->start = po.proc.start;
		pr->start_time = po.proc.start_time;
		pr->uid = po.proc.uid;
		pr->gid = po.proc.gid;
		pr->caps = po.proc.caps;
		pr->nice = po.proc.nice;
		pr->rlimit_msgqueue = po.proc.rlimit_msgqueue;
		pr->rlimit_nofile = po.proc.rlimit_nofile;
	}
	g_autofree char *ctx = g_strdup_printf("to start the body of process '%s'", name);
	SimScnBody *body = scn_parse_body(p, ctx, first, (guint)n, name, NULL);
	if (!body)
		return FALSE;
	for (guint i = 0; i < (guint)n; i++)
		g_array_index(p->procs, SimScnProc, first + i).body = body;
	return TRUE;
}

/* ---- SysV declarations ---- */

/* sysctl [msgmax=N] [msgmnb=N] [msgmni=N] [mq_msg_max=N] [mq_msgsize_max=N] [mq_queues_max=N]
 * [mq_msg_default=N] [mq_msgsize_default=N]: the IPC namespace's limits. Its option table is
 * made from sim_limits_table, so each limit has the kernel's range and its field there. */
static gboolean parse_sysctl(Parser *p)
{
	OptSpec specs[SIM_LIMIT_COUNT + 3] = { OPTS_END };
	const Tok *kw = tok(p);
	for (guint i = 0; i < SIM_LIMIT_COUNT; i++) {
		const SimLimitInfo *row = &sim_limits_table[i];
		specs[i] = (OptSpec)INT_OPT(row->name, row->offset, row->min, row->max);
	}
	/* The machine's per-user pipe limits (unsigned longs in pages): not the namespace's. */
	specs[SIM_LIMIT_COUNT] = (OptSpec)INT_OPT(
		"pipe_user_pages_soft", G_STRUCT_OFFSET(SimLimits, pipe_user_pages_soft), 0, G_MAXINT64);
	specs[SIM_LIMIT_COUNT + 1] = (OptSpec)INT_OPT(
		"pipe_user_pages_hard", G_STRUCT_OFFSET(SimLimits, pipe_user_pages_hard), 0, G_MAXINT64);
	specs[SIM_LIMIT_COUNT + 2] = (OptSpec)OPTS_END;
	if (p->sysctl_loc.line)
		return scn_fail_tok(p, kw, E_MISUSE,
				    "duplicate 'sysctl': already declared at %u:%u",
				    p->sysctl_loc.line, p->sysctl_loc.col);
	p->sysctl_loc = kw->loc;
	advance(p);
	Opts o = { .what = "sysctl", .specs = specs };
	if (!scn_take_opts(p, &o, &p->scn->limits))
		return FALSE;
	for (guint i = 0; i < SIM_LIMIT_COUNT; i++) {
		p->sysctl_seen[i] = o.seen[i];
		if (o.seen[i].line)
			p->scn->limits.set |= SIM_LIMIT_BIT(i);
	}
	p->scn->limits.pipe_user_set = o.seen[SIM_LIMIT_COUNT].line || o.seen[SIM_LIMIT_COUNT + 1].line;
	return TRUE;
}

/* key= of the `sysv queue` being declared, the last one. */
static gboolean take_sysvq_key(Parser *p, Opts *o, int k, void *obj)
{
	(void)o, (void)k;
	return scn_take_key(p, REF_FTOK_QUEUE, p->sysvqs->len - 1, &((SimScnSysvQueue *)obj)->key);
}

#define SYSVQ(field) G_STRUCT_OFFSET(SimScnSysvQueue, field)
static const OptSpec sysvq_opts[] = {
	TAKE_OPT("key", take_sysvq_key),
	MODE_OPT("perm", SYSVQ(perm)),
	INT_OPT("uid", SYSVQ(uid), 0, G_MAXINT64),
	INT_OPT("gid", SYSVQ(gid), 0, G_MAXINT64),
	OPTS_END,
};

/* sysv queue NAME key=K|private|ftok("PATH", ID) [perm=MODE] [uid=N] [gid=N] */
static gboolean parse_sysvq(Parser *p)
{
	g_autofree char *name = NULL;
	SimLoc loc;
	advance(p);
	if (!is_word(tok(p), "queue"))
		return scn_expected(p, "'queue' after 'sysv'");
	advance(p);
	if (!scn_take_name(p, "a queue name after 'sysv queue'", &name, &loc) ||
	    !scn_not_reserved(p, name, loc, "SysV queue"))
		return FALSE;
	guint index = p->sysvqs->len;
	SimScnSysvQueue q = {
		.name = g_strdup(name), .loc = loc, .key = { SIM_KEY_PRIVATE, 0, -1 }, .perm = 0666
	};
	g_array_append_val(p->sysvqs, q);
	if (!scn_declare(p, name, loc, NAME_SYSVQ, index))
		return FALSE;
	Opts o = { .what = "sysv queue", .specs = sysvq_opts };
	if (!scn_take_opts(p, &o, &g_array_index(p->sysvqs, SimScnSysvQueue, index)))
		return FALSE;
	if (!o.seen[0].line)
		return scn_fail_at(
			p, loc, E_SYNTAX,
			"sysv queue '%s' needs key=K, key=private or key=ftok(\"PATH\", ID)", name);
	return TRUE;
}

/* ---- POSIX declarations ---- */

/* The name of a `posix queue` or of an expectation must be one a queue can have: mq_open
 * refuses the others. The checks come in the order the kernel makes them. */
static gboolean check_mq_name(Parser *p, const Tok *t)
{
	const char *name = t->text, *rest = name + 1;
	if (name[0] != '/')
		return scn_fail_tok(
			p, t, E_NAME,
			"bad POSIX queue name \"%s\": it must start with '/' (mq_open refuses "
			"it with EINVAL)",
			name);
	if (!*rest)
		return scn_fail_tok(p, t, E_NAME,
				    "bad POSIX queue name \"/\": the name after the '/' is missing "
				    "(mq_open refuses it with ENOENT)");
	if (strchr(rest, '/'))
		return scn_fail_tok(
			p, t, E_NAME,
			"bad POSIX queue name \"%s\": only its first character may be '/' "
			"(mq_open refuses it with EACCES)",
			name);
	if (strcmp(rest, ".") == 0 || strcmp(rest, "..") == 0)
		return scn_fail_tok(p, t, E_NAME,
				    "bad POSIX queue name \"%s\": \".\" and \"..\" cannot be names "
				    "(mq_open refuses it with EACCES)",
				    name);
	if (strlen(rest) > MQ_NAME_MAX)
		return scn_fail_tok(p, t, E_NAME,
				    "bad POSIX queue name: %" G_GSIZE_FORMAT
				    " bytes after the '/', more than %d (mq_open refuses it with "
				    "ENAMETOOLONG)",
				    strlen(rest), MQ_NAME_MAX);
	return TRUE;
}

#define POSIXQ(field) G_STRUCT_OFFSET(SimScnPosixQueue, field)
static const OptSpec posixq_opts[] = {
	INT_OPT("maxmsg", POSIXQ(maxmsg), 1, G_MAXINT64),
	INT_OPT("msgsize", POSIXQ(msgsize), 1, G_MAXINT64),
	MODE_OPT("perm", POSIXQ(perm)),
	INT_OPT("uid", POSIXQ(uid), 0, G_MAXINT64),
	INT_OPT("gid", POSIXQ(gid), 0, G_MAXINT64),
	OPTS_END,
};

/* posix queue "/NAME" [maxmsg=N] [msgsize=N] [perm=MODE] [uid=N] [gid=N] */
static gboolean parse_posixq(Parser *p)
{
	advance(p);
	if (!is_word(tok(p), "queue"))
		return scn_expected(p, "'queue' after 'posix'");
	advance(p);
	const Tok *t = tok(p);
	if (t->kind != TOK_STRING)
		return scn_expected(
			p, "a queue name in double quotes, like \"/q\", after 'posix queue'");
	if (!check_mq_name(p, t))
		return FALSE;
	guint seen = GPOINTER_TO_UINT(g_hash_table_lookup(p->posixq_index, t->text));
	if (seen) {
		const SimScnPosixQueue *q = &g_array_index(p->posixqs, SimScnPosixQueue, seen - 1);
		return scn_fail_tok(p, t, E_NAME,
				    "duplicate posix queue \"%s\": already declared at %u:%u",
				    t->text, q->loc.line, q->loc.col);
	}
	guint index = p->posixqs->len;
	g_hash_table_insert(p->posixq_index, g_strdup(t->text), GUINT_TO_POINTER(index + 1));
	SimScnPosixQueue q = {
		.name = g_strdup(t->text), .loc = t->loc, .maxmsg = -1, .msgsize = -1, .perm = 0600
	};
	PosixInfo info = { { 0, 0 }, { 0, 0 } };
	g_array_append_val(p->posixqs, q);
	g_array_append_val(p->pq_info, info);
	advance(p);
	Opts o = { .what = "posix queue", .specs = posixq_opts };
	if (!scn_take_opts(p, &o, &g_array_index(p->posixqs, SimScnPosixQueue, index)))
		return FALSE;
	PosixInfo *pi = &g_array_index(p->pq_info, PosixInfo, index);
	pi->maxmsg_loc = o.seen[0];
	pi->msgsize_loc = o.seen[1];
	return TRUE;
}

static const OptSpec file_opts[] = {
	INT_OPT("dev", G_STRUCT_OFFSET(SimScnFile, dev), 0, G_MAXINT64),
	INT_OPT("ino", G_STRUCT_OFFSET(SimScnFile, ino), 0, G_MAXINT64),
	OPTS_END,
};

/* file "PATH" [dev=N] [ino=N]: what stat(2) says of a file that ftok keys name. */
static gboolean parse_file(Parser *p)
{
	advance(p);
	const Tok *t = tok(p);
	if (t->kind != TOK_STRING)
		return scn_expected(p, "a file path in double quotes after 'file'");
	if (!*t->text)
		return scn_fail_tok(p, t, E_SYNTAX, "a file path cannot be empty");
	guint seen = GPOINTER_TO_UINT(g_hash_table_lookup(p->file_index, t->text));
	if (seen) {
		const SimScnFile *f = &g_array_index(p->files, SimScnFile, seen - 1);
		return scn_fail_tok(p, t, E_NAME,
				    "duplicate file \"%s\": already declared at %u:%u", t->text,
				    f->loc.line, f->loc.col);
	}
	guint index = p->files->len;
	g_hash_table_insert(p->file_index, g_strdup(t->text), GUINT_TO_POINTER(index + 1));
	SimScnFile f = { g_strdup(t->text), t->loc, 1, 0x1000 + (gint64)index };
	g_array_append_val(p->files, f);
	advance(p);
	Opts o = { .what = "file", .specs = file_opts };
	return scn_take_opts(p, &o, &g_array_index(p->files, SimScnFile, index));
}

static const OptSpec user_opts[] = {
	INT_OPT("uid", G_STRUCT_OFFSET(SimScnUser, uid), 0, G_MAXINT64),
	OPTS_END,
};

/* user NAME uid=N: a name for ipcs. Users have a name space of their own; uid 0 is root. */
static gboolean parse_user(Parser *p)
{
	SimScnUser u = { .uid = -1 };
	advance(p);
	if (!scn_take_name(p, "a user name after 'user'", &u.name, &u.loc))
		return FALSE;
	g_autofree char *name = u.name; /* u is appended with its own copy */
	guint seen = GPOINTER_TO_UINT(g_hash_table_lookup(p->user_index, name));
	if (seen) {
		const SimScnUser *old = &g_array_index(p->users, SimScnUser, seen - 1);
		return scn_fail_at(p, u.loc, E_NAME,
				   "duplicate user '%s': already declared at %u:%u", name,
				   old->loc.line, old->loc.col);
	}
	Opts o = { .what = "user", .specs = user_opts };
	if (!scn_take_opts(p, &o, &u))
		return FALSE;
	if (!o.seen[0].line)
		return scn_fail_at(p, u.loc, E_SYNTAX, "user '%s' needs uid=N", name);
	gboolean root = strcmp(name, "root") == 0;
	if (u.uid == 0 && !root)
		return scn_fail_at(p, o.seen[0], E_NAME,
				   "uid 0 is always the user 'root': it cannot also be called '%s'",
				   name);
	if (root && u.uid != 0)
		return scn_fail_at(p, u.loc, E_NAME,
				   "the user 'root' is always uid 0, not uid=%" G_GINT64_FORMAT,
				   u.uid);
	seen = GPOINTER_TO_UINT(g_hash_table_lookup(p->uid_index, &u.uid));
	if (seen) {
		const SimScnUser *old = &g_array_index(p->users, SimScnUser, seen - 1);
		return scn_fail_at(p, o.seen[0], E_NAME,
				   "duplicate uid %" G_GINT64_FORMAT
				   ": user '%s' already has it (declared at %u:%u)",
				   u.uid, old->name, old->loc.line, old->loc.col);
	}
	guint index = p->users->len;
	g_hash_table_insert(p->user_index, g_strdup(name), GUINT_TO_POINTER(index + 1));
	g_hash_table_insert(p->uid_index, g_memdup2(&u.uid, sizeof(u.uid)),
			    GUINT_TO_POINTER(index + 1));
	u.name = g_strdup(name);
	g_array_append_val(p->users, u);
	return TRUE;
}

/* ---- Expectations ---- */

/* The items of `received [ITEM, ...]` (or {...}: `close` is the closing bracket), with
 * ITEM := [TYPE] "text" [from PROC]. */
static gboolean parse_items(Parser *p, GArray *msgs, guint index, char close)
{
	if (is_char(tok(p), close)) {
		advance(p);
		return TRUE;
	}
	for (;;) {
		SimExpectMsg m = { NULL, -1, -1, 0, NULL };
		if ((is_number_word(tok(p)) || scn_at_value(p)) &&
		    !scn_take_int(p, "type", "in the list after 'received'", 0, G_MAXINT64,
				  &m.type))
			return FALSE;
		if (tok(p)->kind != TOK_STRING && tok(p)->kind != TOK_BYTES && !scn_at_bytes_gen(p))
			return scn_expected(p, "a message text in double quotes in the list after "
					       "'received'");
		if (!scn_take_expect_bytes(p, &m.text, &m.len, &m.shown))
			return FALSE;
		g_array_append_val(msgs, m);
		if (is_word(tok(p), "from")) {
			g_autofree char *from = NULL;
			SimLoc loc;
			advance(p);
			if (!scn_take_proc_name(p, "a process name after 'from'", &from, &loc))
				return FALSE;
			scn_add_ref(p, REF_EXPECT_FROM, from, loc, index, msgs->len - 1,
				    "after 'from'");
		}
		if (is_char(tok(p), close)) {
			advance(p);
			return TRUE;
		}
		if (!is_char(tok(p), ','))
			return scn_expected(p, "',' or '%c' in the list after 'received'", close);
		advance(p);
	}
}

/* received [ITEM, ...] (in this order), received {ITEM, ...} (in any order) or received
 * count=N (so many messages, whatever they are). */
static gboolean parse_received(Parser *p, SimScnExpect *e, guint index)
{
	advance(p);
	if (is_word(tok(p), "count") && is_char(peek(p, 1), '=')) {
		advance(p);
		advance(p);
		return scn_take_int(p, "count", "after 'received count='", 0, G_MAXINT64, &e->count);
	}
	if (!is_char(tok(p), '[') && !is_char(tok(p), '{'))
		return scn_expected(p, "'[', '{' or count=N after 'received'");
	e->unordered = is_char(tok(p), '{');
	advance(p);
	g_autoptr(GArray) msgs = g_array_new(FALSE, TRUE, sizeof(SimExpectMsg));
	gboolean ok = parse_items(p, msgs, index, e->unordered ? '}' : ']');
	/* The expectation owns the texts even on error, so they are freed with it. */
	e->msgs = scn_steal_array(&msgs, &e->n_msgs);
	return ok;
}

/* One statistic of an expectation being read: the expectation and the statistic's place. */
typedef struct {
	SimExpectStat stat;
	guint index; /* the expectation */
	guint n;     /* the statistic */
} StatRead;

/* lspid=PROC|none, lrpid=PROC|none, notify_pid=PROC|none: the process is looked up at the
 * end. */
static gboolean take_pid_stat(Parser *p, Opts *o, int k, void *obj)
{
	StatRead *r = obj;
	const Tok *t = tok(p);
	const char *ctx = k == SIM_STAT_LSPID	? "after 'lspid='"
			  : k == SIM_STAT_LRPID ? "after 'lrpid='"
			  : k == SIM_STAT_PID	? "after 'pid='"
						: "after 'notify_pid='";
	(void)o;
	if (!scn_at_proc_name(p, t))
		return scn_expected(p, "a process name or none %s", ctx);
	r->stat.value = -1;
	if (!is_word(t, "none"))
		scn_add_ref(p, REF_EXPECT_PID, t->text, t->loc, r->index, r->n, ctx);
	advance(p);
	return TRUE;
}

/* destroyed=, removed=, unlinked=: yes or no. */
static gboolean take_yes_no(Parser *p, Opts *o, int k, void *obj)
{
	static const char *const yes_no[] = { "no", "yes", NULL };
	g_autofree char *ctx = g_strdup_printf("after '%s='", o->specs[k].name);
	int v = scn_take_choice(p, o->specs[k].name, ctx, yes_no);
	((StatRead *)obj)->stat.value = v;
	return v >= 0;
}

#define STAT_INT(n) INT_OPT(n, G_STRUCT_OFFSET(StatRead, stat.value), 0, G_MAXINT64)
/* In SimStatKey order, like scn_stat_names. */
static const OptSpec stat_opts[] = {
	STAT_INT("qnum"),
	STAT_INT("sent"),
	STAT_INT("received"),
	STAT_INT("max_qnum"),
	TAKE_OPT("destroyed", take_yes_no),
	STAT_INT("cbytes"),
	STAT_INT("qbytes"),
	TAKE_OPT("lspid", take_pid_stat),
	TAKE_OPT("lrpid", take_pid_stat),
	TAKE_OPT("removed", take_yes_no),
	STAT_INT("id"),
	MODE_OPT("mode", G_STRUCT_OFFSET(StatRead, stat.value)),
	STAT_INT("curmsgs"),
	STAT_INT("maxmsg"),
	STAT_INT("msgsize"),
	STAT_INT("qsize"),
	TAKE_OPT("notify_pid", take_pid_stat),
	TAKE_OPT("unlinked", take_yes_no),
	INT_OPT("key", G_STRUCT_OFFSET(StatRead, stat.value), 0, KEY_MAX),
	STAT_INT("uid"),
	STAT_INT("gid"),
	STAT_INT("cuid"),
	STAT_INT("cgid"),
	TIME_OPT("stime", G_STRUCT_OFFSET(StatRead, stat.value)),
	TIME_OPT("rtime", G_STRUCT_OFFSET(StatRead, stat.value)),
	TIME_OPT("ctime", G_STRUCT_OFFSET(StatRead, stat.value)),
	STAT_INT("val"),
	STAT_INT("ncnt"),
	STAT_INT("zcnt"),
	TAKE_OPT("pid", take_pid_stat),
	OPTS_END,
};
G_STATIC_ASSERT(G_N_ELEMENTS(stat_opts) == SIM_STAT_COUNT + 1);

/* KEY=VALUE ... of `expect MBOX|SYSVQ`, `expect key=K` and `expect "/name"`. Which keys the
 * object has is checked once its kind is known (scn_check_stats); an unknown key lists `keys`,
 * those of the kind the name has if it is declared already, as `what`. */
static gboolean parse_stats(Parser *p, SimScnExpect *e, guint index, const char *what,
			    const char *const *keys)
{
	Opts o = { .what = what, .specs = stat_opts };
	SimExpectStat stats[SIM_STAT_COUNT]; /* one of each at most */
	guint n = 0;
	int k;
	for (;;) {
		const Tok *t = tok(p);
		if (t->kind == TOK_WORD && is_char(peek(p, 1), '=') &&
		    scn_pick(t->text, scn_stat_names) < 0) {
			g_autofree char *list = scn_either(keys);
			return scn_fail_tok(p, t, E_SYNTAX,
					    "unknown option '%s' for %s (expected %s)", t->text,
					    what, list);
		}
		if ((k = scn_take_opt(p, &o)) < 0)
			break;
		StatRead r = { .stat = { .key = (SimStatKey)k }, .index = index, .n = n };
		if (!scn_opt_value(p, &o, k, &r))
			return FALSE;
		stats[n++] = r.stat;
	}
	if (k == OPT_ERR)
		return FALSE;
	ExpectInfo *info = &g_array_index(p->expect_info, ExpectInfo, index);
	for (guint i = 0; i < G_N_ELEMENTS(info->stat_loc); i++)
		info->stat_loc[i] = o.seen[i];
	e->stats = g_memdup2(stats, n * sizeof(*stats));
	e->n_stats = n;
	return TRUE;
}

/* The statistics of expectation `index` against `keys`, those its object has (a mailbox, a
 * SysV queue or a POSIX queue); `what` names the object in the error. */
gboolean scn_check_stats(Parser *p, const SimScnExpect *e, guint index, const char *const *keys,
			 const char *what)
{
	const ExpectInfo *info = &g_array_index(p->expect_info, ExpectInfo, index);
	for (guint i = 0; i < e->n_stats; i++) {
		const char *key = scn_stat_names[e->stats[i].key];
		if (scn_pick(key, keys) >= 0)
			continue;
		g_autofree char *list = scn_either(keys);
		return scn_fail_at(p, info->stat_loc[e->stats[i].key], E_MISUSE,
				   "%s has no statistic '%s' (expected %s)", what, key, list);
	}
	return TRUE;
}

/* expect key=K KEY=V ...: the live queue with key K at the end of the run. */
static gboolean parse_key_expect(Parser *p, SimScnExpect *e, guint index)
{
	const Tok *t = tok(p);
	gint64 key = 0;
	if (!is_number_word(t) && !at_negative(p) && !scn_at_value(p))
		return scn_expected(p, "a key number after 'expect key='");
	if (!scn_take_int_in(p, "key", "after 'expect key='", 1, KEY_MAX,
			     "a key from 1 to 0xffffffff (key 0 is IPC_PRIVATE: no queue has it)",
			     &key))
		return FALSE;
	if (!(tok(p)->kind == TOK_WORD && is_char(peek(p, 1), '=')))
		return scn_expected(p, "a statistic like qnum=N after 'expect key=%.*s'",
				    (int)(t->end - t->start), p->src + t->start);
	e->by_key = TRUE;
	e->key = key;
	return parse_stats(p, e, index, "SysV queue statistics", scn_sysvq_stat_names) &&
	       scn_check_stats(p, e, index, scn_sysvq_stat_names, "a SysV queue");
}

/* expect msqid=N KEY=V ...: the SysV queue that last had id N, even if removed since (ids
 * are the kernel's: msgsim exec's programs and `msgget ... -> q` see them). */
static gboolean parse_msqid_expect(Parser *p, SimScnExpect *e, guint index)
{
	const Tok *t = tok(p);
	if (!is_number_word(t) && !scn_at_value(p))
		return scn_expected(p, "a queue id after 'expect msqid='");
	if (!scn_take_int(p, "msqid", "after 'expect msqid='", 0, G_MAXINT32, &e->msqid))
		return FALSE;
	if (!(tok(p)->kind == TOK_WORD && is_char(peek(p, 1), '=')))
		return scn_expected(p, "a statistic like qnum=N after 'expect msqid=%" G_GINT64_FORMAT
				       "'", e->msqid);
	e->by_id = TRUE;
	return parse_stats(p, e, index, "SysV queue statistics", scn_sysvq_stat_names) &&
	       scn_check_stats(p, e, index, scn_sysvq_stat_names, "a SysV queue");
}

/* Whether NAME is a SysV queue declared so far: `expect sem key=...` is then its statistics. */
static gboolean is_sysvq_name(Parser *p, const char *name)
{
	const NameDef *d = g_hash_table_lookup(p->names, name);
	return d && d->kind == NAME_SYSVQ;
}

/* expect sem key=K NUM KEY=V ...: semaphore NUM of the live set with key K at the end of the
 * run. Sets have no declared names (semget makes them), so the key finds one, as for queues. */
static gboolean parse_sem_expect(Parser *p, SimScnExpect *e, guint index)
{
	gint64 key = 0, num = 0;
	if (!is_word(tok(p), "key") || !is_char(peek(p, 1), '='))
		return scn_expected(p, "key=K after 'expect sem'");
	advance(p);
	advance(p);
	const Tok *t = tok(p);
	if (!is_number_word(t) && !at_negative(p) && !scn_at_value(p))
		return scn_expected(p, "a key number after 'expect sem key='");
	if (!scn_take_int_in(p, "key", "after 'expect sem key='", 1, KEY_MAX,
			     "a key from 1 to 0xffffffff (key 0 is IPC_PRIVATE: no set has it)",
			     &key))
		return FALSE;
	t = tok(p);
	if (!is_number_word(t) && !at_negative(p) && !scn_at_value(p))
		return scn_expected(p, "a semaphore number after 'expect sem key=K'");
	if (!scn_take_int_in(p, "semaphore number", "after 'expect sem key=K'", 0, 65535,
			     "a semaphore number from 0 to 65535", &num))
		return FALSE;
	if (!(tok(p)->kind == TOK_WORD && is_char(peek(p, 1), '=')))
		return scn_expected(p, "a statistic like val=N after 'expect sem key=K NUM'");
	e->by_key = TRUE;
	e->key = key;
	e->sem = TRUE;
	e->sem_num = num;
	return parse_stats(p, e, index, "semaphore statistics", scn_sem_stat_names) &&
	       scn_check_stats(p, e, index, scn_sem_stat_names, "a semaphore");
}

/* expect "/name" KEY=V ...: the POSIX queue that last had the name at the end of the run. It
 * need not be declared (mq_open may create it), but it must be a name a queue can have. */
static gboolean parse_posixq_expect(Parser *p, SimScnExpect *e, guint index)
{
	const Tok *t = tok(p);
	if (!check_mq_name(p, t))
		return FALSE;
	e->mq_name = g_strdup(t->text);
	advance(p);
	if (!(tok(p)->kind == TOK_WORD && is_char(peek(p, 1), '=')))
		return scn_expected(p, "a statistic like curmsgs=N after 'expect \"%s\"'", t->text);
	g_autofree char *what = g_strdup_printf("POSIX queue \"%s\"", t->text);
	return parse_stats(p, e, index, "POSIX queue statistics", scn_posixq_stat_names) &&
	       scn_check_stats(p, e, index, scn_posixq_stat_names, what);
}

/* `then ok` or `then errno=E` after `blocked` (read): the call waited, then returned that. */
static gboolean take_then(Parser *p, SimScnExpect *e)
{
	advance(p);
	e->result = SIM_LABEL_BLOCKED_THEN;
	e->err = 0;
	if (is_word(tok(p), "ok")) {
		advance(p);
		return TRUE;
	}
	if (!is_word(tok(p), "errno") || !is_char(peek(p, 1), '='))
		return scn_expected(p, "ok or errno=NAME after 'blocked then'");
	advance(p);
	advance(p);
	return scn_take_errno(p, "after 'blocked then errno='", FALSE, &e->err);
}

/* expect [PROC]@LABEL [ok|blocked|blocked then ok|errno=E] [ret=N]: a result, a return value
 * or both, in either order; only ret=N leaves the result SIM_LABEL_ANY. PROC names one
 * replica of a replicated process (or a process): its own runs of the statement. */
/* `[PROC]@LABEL` after `before`: the second statement of an order. */
static gboolean parse_order(Parser *p, SimScnExpect *e, guint index)
{
	const Tok *t = tok(p);
	e->kind = SIM_EXPECT_ORDER;
	if (is_name_word(t) && is_char(peek(p, 1), '@') && peek(p, 1)->glued) {
		scn_add_ref(p, REF_EXPECT_PROC2, t->text, t->loc, index, 0, "before '@'");
		advance(p);
	}
	if (!is_char(tok(p), '@'))
		return scn_expected(p, "@LABEL or PROC@LABEL after 'before'");
	LabelRef r = { NULL, tok(p)->loc, index, TRUE };
	SimLoc name_loc;
	advance(p);
	if (!scn_take_name(p, "a label name after '@'", &r.name, &name_loc))
		return FALSE;
	g_array_append_val(p->label_refs, r);
	return TRUE;
}

/* `FIELD=VALUE` after `expect @L`: a field of the struct the call filled (outfield.h); the
 * resolver checks that the labelled call fills it. type= takes a file type's word. */
static gboolean take_out_field(Parser *p, GArray *fields, const SimOutField *f)
{
	SimExpectField x = { sim_out_field_index(f), 0, tok(p)->loc };
	advance(p);
	advance(p);
	if (f->format == SIM_OUT_FILETYPE) {
		const Tok *v = tok(p);
		if (!is_name_word(v) || !sim_out_filetype(v->text, &x.value))
			return scn_expected(p, "a file type after 'type=' (fifo, regular, socket, "
					       "dir, chr, blk or symlink)");
		advance(p);
	} else {
		g_autofree char *ctx = g_strdup_printf("after '%s='", f->name);
		if (!scn_take_int(p, f->name, ctx, G_MININT64, G_MAXINT64, &x.value))
			return FALSE;
	}
	g_array_append_val(fields, x);
	return TRUE;
}

static gboolean parse_label_expect(Parser *p, SimScnExpect *e, guint index)
{
	LabelRef r = { NULL, tok(p)->loc, index, FALSE };
	SimLoc name_loc, result = { 0, 0 }, ret = { 0, 0 };
	advance(p);
	if (!scn_take_name(p, "a label name after '@'", &r.name, &name_loc))
		return FALSE;
	g_array_append_val(p->label_refs, r);
	if (is_word(tok(p), "before")) {
		advance(p);
		return parse_order(p, e, index);
	}
	e->result = SIM_LABEL_ANY;
	e->untouched = -1;
	g_autoptr(GArray) fields = g_array_new(FALSE, FALSE, sizeof(SimExpectField));
	for (;;) {
		const Tok *t = tok(p);
		const SimOutField *f = is_name_word(t) && is_char(peek(p, 1), '=')
					       ? sim_out_field_lookup(t->text)
					       : NULL;
		if (f) {
			if (!take_out_field(p, fields, f))
				return FALSE;
			continue;
		}
		if (is_word(t, "untouched") && is_char(peek(p, 1), '=')) {
			/* a receive with fill=: the buffer's bytes past the data left as they were */
			advance(p);
			advance(p);
			if (!scn_take_int(p, "untouched", "after 'untouched='", 0, G_MAXINT64,
					  &e->untouched))
				return FALSE;
			continue;
		}
		gboolean is_ret = is_word(t, "ret") && is_char(peek(p, 1), '=');
		gboolean is_errno = is_word(t, "errno") && is_char(peek(p, 1), '=');
		if (!is_ret && !is_errno && !is_word(t, "ok") && !is_word(t, "blocked"))
			break;
		gboolean then = is_word(t, "blocked") && is_word(peek(p, 1), "then");
		if (is_ret && ret.line)
			return scn_fail_tok(p, t, E_SYNTAX,
					    "repeated 'ret=': already given at %u:%u", ret.line,
					    ret.col);
		if (!is_ret && result.line)
			return scn_fail_tok(p, t, E_SYNTAX,
					    "a second result '%s' (after the one at %u:%u): an "
					    "expectation checks one of ok, blocked or errno=NAME",
					    t->text, result.line, result.col);
		*(is_ret ? &ret : &result) = t->loc;
		advance(p);
		if (is_ret || is_errno)
			advance(p);
		if (then && !take_then(p, e))
			return FALSE;
		if (then)
			continue;
		if (is_ret) {
			if (!scn_take_int(p, "ret", "after 'ret='", G_MININT64, G_MAXINT64,
					  &e->ret))
				return FALSE;
			e->check_ret = TRUE;
		} else if (is_errno) {
			if (!scn_take_errno(p, "after 'errno='", FALSE, &e->err))
				return FALSE;
			/* errno=ok says the call succeeded: the same as plain `ok`. */
			e->result = e->err ? SIM_LABEL_ERRNO : SIM_LABEL_OK;
		} else {
			e->result = is_word(t, "ok") ? SIM_LABEL_OK : SIM_LABEL_BLOCKED;
		}
	}
	if (!result.line && !ret.line && e->untouched < 0 && fields->len == 0)
		return scn_expected(p, "ok, blocked, errno=NAME or ret=N after 'expect @%s'",
				    r.name);
	e->n_fields = fields->len;
	e->fields = (SimExpectField *)(void *)g_array_free(g_steal_pointer(&fields), FALSE);
	if (e->result == SIM_LABEL_ERRNO && e->check_ret && e->ret != -1)
		return scn_fail_at(p, ret, E_MISUSE,
				   "ret=%" G_GINT64_FORMAT
				   " cannot hold with errno=%s (at %u:%u): a "
				   "call that fails returns -1",
				   e->ret, sim_errno_name(e->err), result.line, result.col);
	return TRUE;
}

/* expect PROC exit=N  or  expect PROC killed=SIGNAME: how the process ended. */
static gboolean parse_exit_expect(Parser *p, SimScnExpect *e, guint index, const Tok *proc)
{
	const Tok *t = tok(p);
	gboolean killed = is_word(t, "killed");
	e->kind = SIM_EXPECT_EXIT;
	scn_add_ref(p, REF_EXPECT_PROC, proc->text, proc->loc, index, 0,
		    killed ? "before 'killed='" : "before 'exit='");
	advance(p);
	advance(p);
	const Tok *v = tok(p);
	if (!killed && !scn_take_int(p, "exit status", "after 'exit='", 0, 255, &e->exit_code))
		return FALSE;
	if (killed && !scn_take_signal(p, "after 'killed='", &e->exit_sig))
		return FALSE;
	/* Only a default action that terminates or dumps core ends a process. */
	if (killed && !sim_signal_default_kills(e->exit_sig))
		return scn_fail_tok(p, v, E_MISUSE,
				    "bad killed= signal '%s': it never ends a process (expected a "
				    "signal such as SIGTERM or SIGKILL)",
				    v->text);
	const Tok *n = tok(p);
	if ((is_word(n, "exit") || is_word(n, "killed")) && is_char(peek(p, 1), '='))
		return scn_fail_tok(p, n, E_SYNTAX,
				    "'%s=' cannot be given with '%s=' (at %u:%u): a process either "
				    "exits or is killed, once",
				    n->text, t->text, t->loc.line, t->loc.col);
	return TRUE;
}

#define SIGX(field) G_STRUCT_OFFSET(SimScnExpect, field)
static const OptSpec signal_opts[] = {
	INT_OPT("delivered", SIGX(delivered), 0, G_MAXINT64),
	INT_OPT("handled", SIGX(handled), 0, G_MAXINT64),
	OPTS_END,
};

/* expect PROC signal SIGNAME [delivered=N] [handled=N] (at least one): how often the signal
 * reached PROC, ignored or not, and how often PROC's handler for it ran. */
static gboolean parse_signal_expect(Parser *p, SimScnExpect *e, guint index, const Tok *proc)
{
	e->kind = SIM_EXPECT_SIGNAL;
	scn_add_ref(p, REF_EXPECT_PROC, proc->text, proc->loc, index, 0, "before 'signal'");
	advance(p);
	if (!scn_take_signal(p, "after 'signal'", &e->sig))
		return FALSE;
	Opts o = { .what = "a signal expectation", .specs = signal_opts };
	e->delivered = e->handled = -1;
	if (!scn_take_opts(p, &o, e))
		return FALSE;
	if (e->delivered < 0 && e->handled < 0)
		return scn_expected(p, "delivered=N or handled=N after 'expect %s signal %s'",
				    proc->text, sim_scn_signal_name(e->sig));
	return TRUE;
}

static gboolean parse_time_expect(Parser *p, SimScnExpect *e)
{
	static const char *const ops[] = { "==", "<", "<=", ">", ">=" };
	const Tok *t = tok(p);
	gboolean eq = is_char(peek(p, 1), '=') && peek(p, 1)->glued;
	if (is_char(t, '=') && eq)
		e->cmp = SIM_CMP_EQ;
	else if (is_char(t, '<'))
		e->cmp = eq ? SIM_CMP_LE : SIM_CMP_LT;
	else if (is_char(t, '>'))
		e->cmp = eq ? SIM_CMP_GE : SIM_CMP_GT;
	else
		return scn_expected(p, "a comparison (==, <, <=, > or >=) after 'expect time'");
	advance(p);
	if (eq)
		advance(p);
	g_autofree char *ctx = g_strdup_printf("after 'expect time %s'", ops[e->cmp]);
	return scn_take_time(p, ctx, &e->time);
}

/* ---- Expectations over all schedules (msgsim explore) ----
 * `expect always E`, `expect possible E`, `expect outcomes N`, `expect never deadlock`.
 * The words are not reserved: where a name could stand (`expect always received [...]`,
 * `expect always qnum=1`) they name a process or an object, as before. */
static gboolean names_something(Parser *p)
{
	const Tok *n1 = peek(p, 1), *n2 = peek(p, 2), *n3 = peek(p, 3);
	/* `time ==` is the time expectation (no object has a `time=` key) */
	gboolean time_eq = is_word(n1, "time") && is_char(n3, '=') && n3->glued;
	return (is_word(n1, "received") && is_char(n2, '[')) ||
	       (n1->kind == TOK_WORD && is_char(n2, '=') && !time_eq);
}

/* 1: the whole expectation was read; 0: a mode was read (or none), the expectation
 * follows; -1: an error. */
static int parse_over_schedules(Parser *p, SimScnExpect *e)
{
	const Tok *t = tok(p);
	if (is_word(t, "never") && is_word(peek(p, 1), "deadlock")) {
		e->kind = SIM_EXPECT_NO_DEADLOCK;
		e->mode = SIM_EXPECT_ALWAYS;
		advance(p);
		advance(p);
		return 1;
	}
	if (is_word(t, "outcomes") && !names_something(p)) {
		e->kind = SIM_EXPECT_OUTCOMES;
		advance(p);
		return scn_take_int(p, "outcome count", "after 'expect outcomes'", 1, G_MAXINT32,
				    &e->outcomes)
			       ? 1
			       : -1;
	}
	gboolean always = is_word(t, "always"), run = is_word(t, "run");
	if ((!always && !run && !is_word(t, "possible")) || names_something(p))
		return 0;
	e->mode = always ? SIM_EXPECT_ALWAYS : run ? SIM_EXPECT_RUN : SIM_EXPECT_POSSIBLE;
	advance(p);
	const Tok *n = tok(p);
	if (names_something(p))
		return 0;
	if (is_word(n, "always") || is_word(n, "possible") || is_word(n, "run") ||
	    is_word(n, "outcomes") || (is_word(n, "never") && is_word(peek(p, 1), "deadlock"))) {
		scn_expected(p, "an expectation after 'expect %s' (always, possible, run, "
				"outcomes and never do not combine)",
			     t->text);
		return -1;
	}
	return 0;
}

/* What follows `expect NAME` (t, the name, is read): a process's received, calls, exit=,
 * killed=, fd, signal or state=, or an object's statistics. */
static gboolean parse_named_expect(Parser *p, SimScnExpect *e, guint index, const Tok *t)
{
	const Tok *what = tok(p);
	if (is_word(what, "received") && !is_char(peek(p, 1), '=')) {
		e->kind = SIM_EXPECT_RECEIVED;
		scn_add_ref(p, REF_EXPECT_PROC, t->text, t->loc, index, 0, "before 'received'");
		return parse_received(p, e, index);
	}
	if ((is_word(what, "exit") || is_word(what, "killed")) && is_char(peek(p, 1), '='))
		return parse_exit_expect(p, e, index, t);
	if (is_word(what, "calls") && !is_char(peek(p, 1), '='))
		return scn_parse_calls_expect(p, e, index, t);
	if (is_word(what, "fd") && !is_char(peek(p, 1), '='))
		return scn_parse_mq_flags_expect(p, e, index, t);
	if (is_word(what, "signal") && !is_char(peek(p, 1), '='))
		return parse_signal_expect(p, e, index, t);
	if (is_word(what, "state") && is_char(peek(p, 1), '=')) {
		e->kind = SIM_EXPECT_STATE;
		scn_add_ref(p, REF_EXPECT_PROC, t->text, t->loc, index, 0, "before 'state='");
		advance(p);
		advance(p);
		int v = scn_take_choice(p, "state", "after 'state='", scn_state_names);
		e->state = (SimTaskState)MAX(v, 0);
		return v >= 0;
	}
	if (what->kind == TOK_WORD && is_char(peek(p, 1), '=')) {
		/* The keys are checked when the name is resolved; only the list of an unknown
		 * key uses what is known of the name so far. */
		const NameDef *d = g_hash_table_lookup(p->names, t->text);
		gboolean sysvq = d && d->kind == NAME_SYSVQ, mbox = d && d->kind == NAME_MBOX;
		e->kind = SIM_EXPECT_STATS;
		scn_add_ref(p, REF_EXPECT_MBOX, t->text, t->loc, index, 0, "before statistics");
		return parse_stats(p, e, index,
				   sysvq  ? "SysV queue statistics"
				   : mbox ? "mailbox statistics"
					  : "statistics",
				   sysvq  ? scn_sysvq_stat_names
				   : mbox ? scn_mbox_stat_names
					  : scn_named_stat_names);
	}
	return scn_expected(
		p,
		"received [...], state=STATE, exit=N, killed=SIGNAME or a statistic like "
		"qnum=N after 'expect %s'",
		t->text);
}

static gboolean parse_expect(Parser *p)
{
	guint index = p->expects->len;
	SimScnExpect blank = { .loc = tok(p)->loc,
			       .proc = -1,
			       .mbox = -1,
			       .sysvq = -1,
			       .exit_code = -1,
			       .count = -1,
			       .proc2 = -1 };
	ExpectInfo info = { 0 };
	g_array_append_val(p->expects, blank);
	g_array_append_val(p->expect_info, info);
	SimScnExpect *e = &g_array_index(p->expects, SimScnExpect, index);
	advance(p);
	int over = parse_over_schedules(p, e);
	if (over != 0)
		return over > 0;
	const Tok *t = tok(p);
	if (is_char(t, '@')) {
		e->kind = SIM_EXPECT_LABEL;
		return parse_label_expect(p, e, index);
	}
	if (is_name_word(t) && is_char(peek(p, 1), '@') && peek(p, 1)->glued) {
		e->kind = SIM_EXPECT_LABEL;
		scn_add_ref(p, REF_EXPECT_PROC, t->text, t->loc, index, 0, "before '@'");
		advance(p);
		return parse_label_expect(p, e, index);
	}
	if (is_word(t, "deadlock")) {
		e->kind = SIM_EXPECT_DEADLOCK;
		advance(p);
		return TRUE;
	}
	if (is_word(t, "no")) {
		e->kind = SIM_EXPECT_NO_DEADLOCK;
		advance(p);
		if (!is_word(tok(p), "deadlock"))
			return scn_expected(p, "'deadlock' after 'expect no'");
		advance(p);
		return TRUE;
	}
	if (is_word(t, "time")) {
		e->kind = SIM_EXPECT_TIME;
		advance(p);
		return parse_time_expect(p, e);
	}
	if ((is_word(t, "key") || is_word(t, "msqid")) && is_char(peek(p, 1), '=')) {
		gboolean by_id = is_word(t, "msqid");
		e->kind = SIM_EXPECT_STATS;
		advance(p);
		advance(p);
		return by_id ? parse_msqid_expect(p, e, index) : parse_key_expect(p, e, index);
	}
	if (t->kind == TOK_STRING) {
		e->kind = SIM_EXPECT_STATS;
		return parse_posixq_expect(p, e, index);
	}
	if (is_word(t, "sem") && (is_word(peek(p, 1), "key") || is_number_word(peek(p, 1))) &&
	    !is_sysvq_name(p, t->text)) {
		e->kind = SIM_EXPECT_STATS;
		advance(p);
		return parse_sem_expect(p, e, index);
	}
	if (is_word(t, "pipe") && scn_at_pipe_expect(p)) {
		e->kind = SIM_EXPECT_PIPE;
		return scn_parse_pipe_expect(p, e, index);
	}
	if (!scn_at_proc_name(p, t))
		return scn_expected(p, "%s",
				    scn_programs_mode(p)
					    ? "a program (its name or pid), a POSIX queue \"/name\", "
					      "key=K, msqid=N, deadlock, no deadlock or time after "
					      "'expect'"
					    : "a process, mailbox, port or SysV queue name, a POSIX "
					      "queue \"/name\", key=K, msqid=N, @label, deadlock, no "
					      "deadlock or time after 'expect'");
	advance(p);
	return parse_named_expect(p, e, index, t);
}

/* An expectation, and where its text is in the scenario file (for a quiz, which takes it
 * out); one in an included file keeps no place. */
static gboolean parse_expect_at(Parser *p)
{
	gsize start = tok(p)->start;
	gboolean here = loc_file(tok(p)->loc) == 0;
	guint index = p->expects->len;
	guint at = p->pos;
	if (!parse_expect(p) ||
	    !scn_programs_check(p, &g_array_index(p->expects, SimScnExpect, index),
				&g_array_index(p->toks, Tok, at + 1)))
		return FALSE;
	/* A question the author words for the quiz: `expect P3 received ["m0"] question "Who
	 * gets m0?"`. */
	if (is_word(tok(p), "question")) {
		advance(p);
		if (tok(p)->kind != TOK_STRING)
			return scn_expected(p, "the question's text in double quotes after 'question'");
		g_array_index(p->expects, SimScnExpect, index).question = g_strdup(tok(p)->text);
		advance(p);
	}
	if (here && p->pos > 0) {
		SimScnExpect *e = &g_array_index(p->expects, SimScnExpect, index);
		e->src_start = start;
		e->src_end = g_array_index(p->toks, Tok, p->pos - 1).end;
	}
	return TRUE;
}

/* ---- The file ---- */

static gboolean parse_decl(Parser *p)
{
	const Tok *t = tok(p);
	g_autofree char *list = scn_either(scn_decl_words);
	if (t->kind != TOK_WORD)
		return scn_expected(p, "a declaration (%s)", list);
	if (!scn_programs_decl(p, t))
		return FALSE;
	switch (scn_pick(t->text, scn_decl_words)) {
	case 0:
		return parse_scheduler(p);
	case 1:
		return parse_cost(p);
	case 2:
		return parse_direct(p);
	case 3:
		return parse_sysctl(p);
	case 4:
		return parse_mbox(p, FALSE);
	case 5:
		return parse_mbox(p, TRUE);
	case 6:
		return parse_sysvq(p);
	case 7:
		return parse_posixq(p);
	case 8:
		return parse_file(p);
	case 9:
		return parse_user(p);
	case 10:
		return parse_process(p);
	case 11:
		return parse_expect_at(p);
	case 12:
		return scn_parse_param(p);
	case 13:
		return scn_parse_include(p);
	default:
		break;
	}
	if (sim_call_by_name(t->text))
		return scn_fail_tok(
			p, t, E_SYNTAX,
			"'%s' is a statement: statements go inside 'process NAME { ... }'",
			t->text);
	g_autofree char *near = scn_did_you_mean(t->text, scn_decl_words);
	return scn_fail_tok(p, t, E_SYNTAX, "unknown declaration '%s' (expected %s)%s", t->text,
			    list, near);
}

SimScenario *scn_parse_all(Parser *p)
{
	if (!scn_check_text(p) || !scn_take_defines(p))
		return NULL;
	scn_lex(p);
	while (tok(p)->kind != TOK_EOF)
		if (!parse_decl(p))
			return NULL;
	if (!scn_check_defines(p))
		return NULL;
	return scn_finish(p);
}
