/* scn_parse.c — the declarations and expectations of a scenario file, top to bottom.
 *
 * parse_decl dispatches on the first word of each declaration (decl_words); process bodies
 * are read by scn_parse_body with the statements of scn_stmt.c. As everywhere in the front
 * end, nothing is looked up while a declaration is being read: names are recorded where
 * they are used and resolved by scn_finish (scn_resolve.c) once the whole file has been read,
 * which is what lets a scenario use a name before it declares it.
 */
#include "scn_int.h"

#include <signal.h>
#include <string.h>

/* ---- Declarations ---- */

static gboolean parse_scheduler(Parser *p)
{
	static const char *const policies[] = { "fifo", "rr", "priority", "random", NULL };
	static const char *const rr_keys[] = { "quantum", "seed", NULL };
	static const char *const keys[] = { "seed", NULL };
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
	Opts o = { .what = what, .keys = pol == SIM_SCHED_RR ? rr_keys : keys };
	gboolean quantum = FALSE;
	int k;
	while ((k = scn_take_opt(p, &o)) >= 0) {
		if (strcmp(o.keys[k], "quantum") == 0) {
			const Tok *t = tok(p);
			if (!scn_take_time(p, "after 'quantum='", &scn->quantum))
				return FALSE;
			if (scn->quantum <= 0)
				return scn_fail_tok(
					p, t, E_NUMBER,
					"bad quantum '%s': expected a time greater than 0",
					t->text);
			quantum = TRUE;
		} else {
			gint64 seed = 0;
			if (!scn_take_int(p, "seed", "after 'seed='", 0, G_MAXINT64, &seed))
				return FALSE;
			scn->seed = (guint64)seed;
			scn->seed_set = TRUE;
		}
	}
	if (k == OPT_ERR)
		return FALSE;
	if (pol == SIM_SCHED_RR && !quantum)
		return scn_fail_at(p, policy->loc, E_SYNTAX,
				   "scheduler rr needs quantum=TIME, for example quantum=10us");
	return TRUE;
}

static gboolean parse_cost(Parser *p)
{
	static const char *const keys[] = { "syscall", "switch", "byte", NULL };
	const Tok *kw = tok(p);
	SimScenario *scn = p->scn;
	SimTime *fields[] = { &scn->cost_syscall, &scn->cost_switch, &scn->cost_byte };
	if (p->cost_loc.line)
		return scn_fail_tok(p, kw, E_MISUSE, "duplicate 'cost': already declared at %u:%u",
				    p->cost_loc.line, p->cost_loc.col);
	p->cost_loc = kw->loc;
	advance(p);
	Opts o = { .what = "cost", .keys = keys };
	int k;
	while ((k = scn_take_opt(p, &o)) >= 0) {
		g_autofree char *ctx = g_strdup_printf("after '%s='", keys[k]);
		if (!scn_take_time(p, ctx, fields[k]))
			return FALSE;
	}
	return k == OPT_END;
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

static gboolean parse_owner(Parser *p, guint index)
{
	SimScnMbox *m = &g_array_index(p->mboxes, SimScnMbox, index);
	const Tok *t = tok(p);
	g_autofree char *owner = NULL;
	SimLoc loc;
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
	scn_add_ref(p, REF_OWNER, owner, loc, index, 0, "after 'owner='");
	return TRUE;
}

/* mailbox NAME [options] and port NAME owner=PROC [options]. */
static gboolean parse_mbox(Parser *p, gboolean is_port)
{
	static const char *const mbox_keys[] = { "capacity", "owner",	"order",
						 "waiters",  "deliver", NULL };
	static const char *const port_keys[] = { "capacity", "owner", "order", "waiters", NULL };
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
	Opts o = { .what = what, .keys = is_port ? port_keys : mbox_keys };
	int k;
	while ((k = scn_take_opt(p, &o)) >= 0) {
		SimScnMbox *mb = &g_array_index(p->mboxes, SimScnMbox, index);
		const char *key = o.keys[k];
		gboolean ok = TRUE;
		int v = 0;
		if (strcmp(key, "capacity") == 0) {
			ok = scn_take_capacity(p, &mb->capacity);
		} else if (strcmp(key, "owner") == 0) {
			ok = parse_owner(p, index);
		} else if (strcmp(key, "order") == 0) {
			ok = (v = scn_take_choice(p, "order", "after 'order='", scn_order_names)) >=
			     0;
			mb->order = (SimOrder)v;
		} else if (strcmp(key, "waiters") == 0) {
			ok = (v = scn_take_choice(p, "waiters", "after 'waiters='",
						  scn_order_names)) >= 0;
			mb->waiters = (SimOrder)v;
		} else {
			ok = (v = scn_take_choice(p, "deliver", "after 'deliver='",
						  scn_deliver_names)) >= 0;
			mb->deliver = (SimDeliver)v;
		}
		if (!ok)
			return FALSE;
	}
	if (k == OPT_ERR)
		return FALSE;
	if (is_port && !o.seen[1].line)
		return scn_fail_at(
			p, loc, E_SYNTAX,
			"port '%s' needs owner=PROC: only its owner receives from a port", name);
	return TRUE;
}

static gboolean parse_start(Parser *p, guint first, guint n, SimStartKind *start, SimTime *at)
{
	g_autofree char *after = NULL;
	SimLoc loc;
	if (!is_word(tok(p), "after")) {
		*start = SIM_START_AT;
		return scn_take_time(p, "or after(PROC) after 'start='", at);
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
	scn_add_ref(p, REF_AFTER, after, loc, first, n, "in 'start=after(...)'");
	*start = SIM_START_AFTER;
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
	BodyBuilder *outer = p->body;
	p->body = &b;
	gboolean ok = scn_parse_block(p, ctx, &body->block) && scn_finish_vars(p, &b, body);
	p->body = outer;
	return ok ? body : NULL;
}

/* caps=ipc_owner,sys_admin,sys_resource (any of them, comma-separated), caps=none, caps=all */
static gboolean take_caps(Parser *p, guint *out)
{
	G_STATIC_ASSERT(SIM_CAP_IPC_OWNER == 1u << 0 && SIM_CAP_SYS_ADMIN == 1u << 1 &&
			SIM_CAP_SYS_RESOURCE == 1u << 2);
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

/* process NAME [options] { ... } and process NAME[N] [options] { ... } */
static gboolean parse_process(Parser *p)
{
	static const char *const keys[] = {
		"priority", "start",	       "uid",		"gid", "caps",
		"nice",	    "rlimit_msgqueue", "rlimit_nofile", NULL
	};
	enum { K_PRIORITY, K_START, K_UID, K_GID, K_CAPS, K_NICE, K_MSGQUEUE, K_NOFILE };
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
			"too many processes: '%s' makes %u, after %u already (a scenario may "
			"have at most %d, replicas and forked children included)",
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
	Opts o = { .what = "process", .keys = keys };
	gint64 priority = 0, uid = 0, gid = 0, nice = 0;
	gint64 rlimit_msgqueue = 819200, rlimit_nofile = 1024; /* Linux's defaults */
	SimStartKind start = SIM_START_AT;
	SimTime at = 0;
	guint caps = 0;
	int k;
	while ((k = scn_take_opt(p, &o)) >= 0) {
		gboolean ok = TRUE;
		if (k == K_PRIORITY)
			ok = scn_take_int(p, "priority", "after 'priority='", G_MININT64,
					  G_MAXINT64, &priority);
		else if (k == K_START)
			ok = parse_start(p, first, (guint)n, &start, &at);
		else if (k == K_UID)
			ok = scn_take_int(p, "uid", "after 'uid='", 0, G_MAXINT64, &uid);
		else if (k == K_GID)
			ok = scn_take_int(p, "gid", "after 'gid='", 0, G_MAXINT64, &gid);
		else if (k == K_CAPS)
			ok = take_caps(p, &caps);
		else if (k == K_NICE)
			ok = scn_take_int(p, "nice", "after 'nice='", -20, 19, &nice);
		else if (k == K_MSGQUEUE)
			ok = scn_take_int(p, "rlimit_msgqueue", "after 'rlimit_msgqueue='", 0,
					  G_MAXINT64, &rlimit_msgqueue);
		else
			ok = scn_take_int(p, "rlimit_nofile", "after 'rlimit_nofile='", 0,
					  G_MAXINT64, &rlimit_nofile);
		if (!ok)
			return FALSE;
		/* Both would set how the process is ordered among waiters (nice: lower first). */
		if ((k == K_NICE && o.seen[K_PRIORITY].line) ||
		    (k == K_PRIORITY && o.seen[K_NICE].line)) {
			SimLoc first_loc = o.seen[k == K_NICE ? K_PRIORITY : K_NICE];
			return scn_fail_at(
				p, o.seen[k], E_MISUSE,
				"'%s=' cannot be given with '%s=' (at %u:%u): a process has a "
				"nice value or a priority, not both",
				keys[k], k == K_NICE ? "priority" : "nice", first_loc.line,
				first_loc.col);
		}
	}
	if (k == OPT_ERR)
		return FALSE;
	/* Without caps=, root has what root has on the project's machines. */
	if (!o.seen[K_CAPS].line)
		caps = uid == 0 ? SIM_CAP_IPC_OWNER | SIM_CAP_SYS_ADMIN : 0;
	/* Set before the body is read: a fork in it copies them. */
	for (guint i = 0; i < (guint)n; i++) {
		SimScnProc *pr = &g_array_index(p->procs, SimScnProc, first + i);
		pr->priority = priority;
		pr->start = start;
		pr->start_time = at;
		pr->uid = uid;
		pr->gid = gid;
		pr->caps = caps;
		pr->nice = nice;
		pr->rlimit_msgqueue = rlimit_msgqueue;
		pr->rlimit_nofile = rlimit_nofile;
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
 * [mq_msg_default=N] [mq_msgsize_default=N]: the IPC namespace's limits, each within the
 * kernel's range as sim_limits_table gives it. */
static gboolean parse_sysctl(Parser *p)
{
	const char *keys[SIM_LIMIT_COUNT + 1] = { NULL };
	const Tok *kw = tok(p);
	for (guint i = 0; i < SIM_LIMIT_COUNT; i++)
		keys[i] = sim_limits_table[i].name;
	if (p->sysctl_loc.line)
		return scn_fail_tok(p, kw, E_MISUSE,
				    "duplicate 'sysctl': already declared at %u:%u",
				    p->sysctl_loc.line, p->sysctl_loc.col);
	p->sysctl_loc = kw->loc;
	advance(p);
	Opts o = { .what = "sysctl", .keys = keys };
	int k;
	while ((k = scn_take_opt(p, &o)) >= 0) {
		const SimLimitInfo *row = &sim_limits_table[k];
		g_autofree char *ctx = g_strdup_printf("after '%s='", row->name);
		gint64 v = 0;
		if (!scn_take_int(p, row->name, ctx, row->min, row->max, &v))
			return FALSE;
		sim_limits_set(&p->scn->limits, (SimLimitId)k, v);
	}
	for (guint i = 0; i < SIM_LIMIT_COUNT; i++)
		p->sysctl_seen[i] = o.seen[i];
	return k == OPT_END;
}

/* sysv queue NAME key=K|private|ftok("PATH", ID) [perm=MODE] [uid=N] [gid=N] */
static gboolean parse_sysvq(Parser *p)
{
	static const char *const keys[] = { "key", "perm", "uid", "gid", NULL };
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
	Opts o = { .what = "sysv queue", .keys = keys };
	int k;
	while ((k = scn_take_opt(p, &o)) >= 0) {
		SimScnSysvQueue *sq = &g_array_index(p->sysvqs, SimScnSysvQueue, index);
		gboolean ok;
		if (k == 0)
			ok = scn_take_key(p, REF_FTOK_QUEUE, index, &sq->key);
		else if (k == 1)
			ok = scn_take_mode(p, "perm", &sq->perm);
		else if (k == 2)
			ok = scn_take_int(p, "uid", "after 'uid='", 0, G_MAXINT64, &sq->uid);
		else
			ok = scn_take_int(p, "gid", "after 'gid='", 0, G_MAXINT64, &sq->gid);
		if (!ok)
			return FALSE;
	}
	if (k == OPT_ERR)
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

/* posix queue "/NAME" [maxmsg=N] [msgsize=N] [perm=MODE] [uid=N] [gid=N] */
static gboolean parse_posixq(Parser *p)
{
	static const char *const keys[] = { "maxmsg", "msgsize", "perm", "uid", "gid", NULL };
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
	for (guint i = 0; i < p->posixqs->len; i++) {
		const SimScnPosixQueue *q = &g_array_index(p->posixqs, SimScnPosixQueue, i);
		if (strcmp(q->name, t->text) == 0)
			return scn_fail_tok(
				p, t, E_NAME,
				"duplicate posix queue \"%s\": already declared at %u:%u", t->text,
				q->loc.line, q->loc.col);
	}
	guint index = p->posixqs->len;
	SimScnPosixQueue q = {
		.name = g_strdup(t->text), .loc = t->loc, .maxmsg = -1, .msgsize = -1, .perm = 0600
	};
	PosixInfo info = { { 0, 0 }, { 0, 0 } };
	g_array_append_val(p->posixqs, q);
	g_array_append_val(p->pq_info, info);
	advance(p);
	Opts o = { .what = "posix queue", .keys = keys };
	int k;
	while ((k = scn_take_opt(p, &o)) >= 0) {
		SimScnPosixQueue *pq = &g_array_index(p->posixqs, SimScnPosixQueue, index);
		gboolean ok;
		if (k == 0)
			ok = scn_take_int(p, "maxmsg", "after 'maxmsg='", 1, G_MAXINT64,
					  &pq->maxmsg);
		else if (k == 1)
			ok = scn_take_int(p, "msgsize", "after 'msgsize='", 1, G_MAXINT64,
					  &pq->msgsize);
		else if (k == 2)
			ok = scn_take_mode(p, "perm", &pq->perm);
		else if (k == 3)
			ok = scn_take_int(p, "uid", "after 'uid='", 0, G_MAXINT64, &pq->uid);
		else
			ok = scn_take_int(p, "gid", "after 'gid='", 0, G_MAXINT64, &pq->gid);
		if (!ok)
			return FALSE;
	}
	if (k == OPT_ERR)
		return FALSE;
	PosixInfo *pi = &g_array_index(p->pq_info, PosixInfo, index);
	pi->maxmsg_loc = o.seen[0];
	pi->msgsize_loc = o.seen[1];
	return TRUE;
}

/* file "PATH" [dev=N] [ino=N]: what stat(2) says of a file that ftok keys name. */
static gboolean parse_file(Parser *p)
{
	static const char *const keys[] = { "dev", "ino", NULL };
	advance(p);
	const Tok *t = tok(p);
	if (t->kind != TOK_STRING)
		return scn_expected(p, "a file path in double quotes after 'file'");
	if (!*t->text)
		return scn_fail_tok(p, t, E_SYNTAX, "a file path cannot be empty");
	for (guint i = 0; i < p->files->len; i++) {
		const SimScnFile *f = &g_array_index(p->files, SimScnFile, i);
		if (strcmp(f->path, t->text) == 0)
			return scn_fail_tok(p, t, E_NAME,
					    "duplicate file \"%s\": already declared at %u:%u",
					    t->text, f->loc.line, f->loc.col);
	}
	guint index = p->files->len;
	SimScnFile f = { g_strdup(t->text), t->loc, 1, 0x1000 + (gint64)index };
	g_array_append_val(p->files, f);
	advance(p);
	Opts o = { .what = "file", .keys = keys };
	int k;
	while ((k = scn_take_opt(p, &o)) >= 0) {
		SimScnFile *fl = &g_array_index(p->files, SimScnFile, index);
		g_autofree char *ctx = g_strdup_printf("after '%s='", keys[k]);
		if (!scn_take_int(p, keys[k], ctx, 0, G_MAXINT64, k == 0 ? &fl->dev : &fl->ino))
			return FALSE;
	}
	return k == OPT_END;
}

/* user NAME uid=N: a name for ipcs. Users have a name space of their own; uid 0 is root. */
static gboolean parse_user(Parser *p)
{
	static const char *const keys[] = { "uid", NULL };
	g_autofree char *name = NULL;
	SimLoc loc;
	advance(p);
	if (!scn_take_name(p, "a user name after 'user'", &name, &loc))
		return FALSE;
	for (guint i = 0; i < p->users->len; i++) {
		const SimScnUser *u = &g_array_index(p->users, SimScnUser, i);
		if (strcmp(u->name, name) == 0)
			return scn_fail_at(p, loc, E_NAME,
					   "duplicate user '%s': already declared at %u:%u", name,
					   u->loc.line, u->loc.col);
	}
	Opts o = { .what = "user", .keys = keys };
	gint64 uid = -1;
	int k;
	while ((k = scn_take_opt(p, &o)) >= 0)
		if (!scn_take_int(p, "uid", "after 'uid='", 0, G_MAXINT64, &uid))
			return FALSE;
	if (k == OPT_ERR)
		return FALSE;
	if (!o.seen[0].line)
		return scn_fail_at(p, loc, E_SYNTAX, "user '%s' needs uid=N", name);
	gboolean root = strcmp(name, "root") == 0;
	if (uid == 0 && !root)
		return scn_fail_at(p, o.seen[0], E_NAME,
				   "uid 0 is always the user 'root': it cannot also be called '%s'",
				   name);
	if (root && uid != 0)
		return scn_fail_at(p, loc, E_NAME,
				   "the user 'root' is always uid 0, not uid=%" G_GINT64_FORMAT,
				   uid);
	for (guint i = 0; i < p->users->len; i++) {
		const SimScnUser *u = &g_array_index(p->users, SimScnUser, i);
		if (u->uid == uid)
			return scn_fail_at(p, o.seen[0], E_NAME,
					   "duplicate uid %" G_GINT64_FORMAT
					   ": user '%s' already has it (declared at %u:%u)",
					   uid, u->name, u->loc.line, u->loc.col);
	}
	SimScnUser u = { g_strdup(name), loc, uid };
	g_array_append_val(p->users, u);
	return TRUE;
}

/* ---- Expectations ---- */

/* The items of `received [ITEM, ...]`, with ITEM := [TYPE] "text" [from PROC]. */
static gboolean parse_items(Parser *p, GArray *msgs, guint index)
{
	if (is_char(tok(p), ']')) {
		advance(p);
		return TRUE;
	}
	for (;;) {
		SimExpectMsg m = { NULL, -1, -1 };
		if (is_number_word(tok(p)) &&
		    !scn_take_int(p, "type", "in the list after 'received'", 0, G_MAXINT64,
				  &m.type))
			return FALSE;
		if (tok(p)->kind != TOK_STRING)
			return scn_expected(p, "a message text in double quotes in the list after "
					       "'received'");
		m.text = g_strdup(tok(p)->text);
		g_array_append_val(msgs, m);
		advance(p);
		if (is_word(tok(p), "from")) {
			g_autofree char *from = NULL;
			SimLoc loc;
			advance(p);
			if (!scn_take_name(p, "a process name after 'from'", &from, &loc))
				return FALSE;
			scn_add_ref(p, REF_EXPECT_FROM, from, loc, index, msgs->len - 1,
				    "after 'from'");
		}
		if (is_char(tok(p), ']')) {
			advance(p);
			return TRUE;
		}
		if (!is_char(tok(p), ','))
			return scn_expected(p, "',' or ']' in the list after 'received'");
		advance(p);
	}
}

static gboolean parse_received(Parser *p, SimScnExpect *e, guint index)
{
	advance(p);
	if (!is_char(tok(p), '['))
		return scn_expected(p, "'[' after 'received'");
	advance(p);
	g_autoptr(GArray) msgs = g_array_new(FALSE, TRUE, sizeof(SimExpectMsg));
	gboolean ok = parse_items(p, msgs, index);
	/* The expectation owns the texts even on error, so they are freed with it. */
	e->msgs = scn_steal_array(&msgs, &e->n_msgs);
	return ok;
}

/* lspid=PROC|none, lrpid=PROC|none, notify_pid=PROC|none: the process is looked up at the
 * end. */
static gboolean take_pid_stat(Parser *p, SimExpectStat *s, guint index, guint sub)
{
	const Tok *t = tok(p);
	const char *ctx = s->key == SIM_STAT_LSPID   ? "after 'lspid='"
			  : s->key == SIM_STAT_LRPID ? "after 'lrpid='"
						     : "after 'notify_pid='";
	if (!is_name_word(t))
		return scn_expected(p, "a process name or none %s", ctx);
	s->value = -1;
	if (!is_word(t, "none"))
		scn_add_ref(p, REF_EXPECT_PID, t->text, t->loc, index, sub, ctx);
	advance(p);
	return TRUE;
}

/* KEY=VALUE ... of `expect MBOX|SYSVQ`, `expect key=K` and `expect "/name"`. Which keys the object
 * has is checked once its kind is known (scn_check_stats); an unknown key lists `keys`, those of
 * the kind the name has if it is declared already, as `what`. */
static gboolean parse_stats(Parser *p, SimScnExpect *e, guint index, const char *what,
			    const char *const *keys)
{
	static const char *const yes_no[] = { "no", "yes", NULL };
	Opts o = { .what = what, .keys = scn_stat_names };
	SimExpectStat stats[SIM_STAT_UNLINKED + 1]; /* one of each at most */
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
		g_autofree char *ctx = g_strdup_printf("after '%s='", scn_stat_names[k]);
		SimExpectStat *s = &stats[n];
		gboolean ok = TRUE;
		int v = 0;
		s->key = (SimStatKey)k;
		if (k == SIM_STAT_DESTROYED || k == SIM_STAT_REMOVED || k == SIM_STAT_UNLINKED) {
			ok = (v = scn_take_choice(p, scn_stat_names[k], ctx, yes_no)) >= 0;
			s->value = v;
		} else if (k == SIM_STAT_LSPID || k == SIM_STAT_LRPID || k == SIM_STAT_NOTIFY_PID) {
			ok = take_pid_stat(p, s, index, n);
		} else if (k == SIM_STAT_MODE) {
			ok = scn_take_mode(p, "mode", &s->value);
		} else {
			ok = scn_take_int(p, scn_stat_names[k], ctx, 0, G_MAXINT64, &s->value);
		}
		if (!ok)
			return FALSE;
		n++;
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
	if (!is_number_word(t) && !at_negative(p))
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

/* expect @LABEL [ok|blocked|errno=E] [ret=N]: a result, a return value or both, in either
 * order; only ret=N leaves the result SIM_LABEL_ANY. */
static gboolean parse_label_expect(Parser *p, SimScnExpect *e, guint index)
{
	LabelRef r = { NULL, tok(p)->loc, index };
	SimLoc name_loc, result = { 0, 0 }, ret = { 0, 0 };
	advance(p);
	if (!scn_take_name(p, "a label name after '@'", &r.name, &name_loc))
		return FALSE;
	g_array_append_val(p->label_refs, r);
	e->result = SIM_LABEL_ANY;
	for (;;) {
		const Tok *t = tok(p);
		gboolean is_ret = is_word(t, "ret") && is_char(peek(p, 1), '=');
		gboolean is_errno = is_word(t, "errno") && is_char(peek(p, 1), '=');
		if (!is_ret && !is_errno && !is_word(t, "ok") && !is_word(t, "blocked"))
			break;
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
	if (!result.line && !ret.line)
		return scn_expected(p, "ok, blocked, errno=NAME or ret=N after 'expect @%s'",
				    r.name);
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
	if (e->exit_sig == SIGCHLD || e->exit_sig == SIGCONT || e->exit_sig == SIGSTOP)
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

static gboolean parse_expect(Parser *p)
{
	guint index = p->expects->len;
	SimScnExpect blank = {
		.loc = tok(p)->loc, .proc = -1, .mbox = -1, .sysvq = -1, .exit_code = -1
	};
	ExpectInfo info = { 0 };
	g_array_append_val(p->expects, blank);
	g_array_append_val(p->expect_info, info);
	SimScnExpect *e = &g_array_index(p->expects, SimScnExpect, index);
	advance(p);
	const Tok *t = tok(p);
	if (is_char(t, '@')) {
		e->kind = SIM_EXPECT_LABEL;
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
	if (is_word(t, "key") && is_char(peek(p, 1), '=')) {
		e->kind = SIM_EXPECT_STATS;
		advance(p);
		advance(p);
		return parse_key_expect(p, e, index);
	}
	if (t->kind == TOK_STRING) {
		e->kind = SIM_EXPECT_STATS;
		return parse_posixq_expect(p, e, index);
	}
	if (!is_name_word(t))
		return scn_expected(p,
				    "a process, mailbox, port or SysV queue name, a POSIX queue "
				    "\"/name\", key=K, @label, deadlock, no deadlock or time after "
				    "'expect'");
	advance(p);
	const Tok *what = tok(p);
	if (is_word(what, "received") && !is_char(peek(p, 1), '=')) {
		e->kind = SIM_EXPECT_RECEIVED;
		scn_add_ref(p, REF_EXPECT_PROC, t->text, t->loc, index, 0, "before 'received'");
		return parse_received(p, e, index);
	}
	if ((is_word(what, "exit") || is_word(what, "killed")) && is_char(peek(p, 1), '='))
		return parse_exit_expect(p, e, index, t);
	if (is_word(what, "state") && is_char(peek(p, 1), '=')) {
		e->kind = SIM_EXPECT_STATE;
		scn_add_ref(p, REF_EXPECT_PROC, t->text, t->loc, index, 0, "before 'state='");
		advance(p);
		advance(p);
		int v = scn_take_choice(p, "state", "after 'state='", scn_state_names);
		e->state = (SimTaskStateName)MAX(v, 0);
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

/* ---- The file ---- */

static gboolean parse_decl(Parser *p)
{
	const Tok *t = tok(p);
	g_autofree char *list = scn_either(scn_decl_words);
	if (t->kind != TOK_WORD)
		return scn_expected(p, "a declaration (%s)", list);
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
		return parse_expect(p);
	default:
		break;
	}
	if (scn_pick(t->text, scn_stmt_words) >= 0)
		return scn_fail_tok(
			p, t, E_SYNTAX,
			"'%s' is a statement: statements go inside 'process NAME { ... }'",
			t->text);
	return scn_fail_tok(p, t, E_SYNTAX, "unknown declaration '%s' (expected %s)", t->text,
			    list);
}

SimScenario *scn_parse_all(Parser *p)
{
	if (!scn_check_text(p))
		return NULL;
	scn_lex(p);
	while (tok(p)->kind != TOK_EOF)
		if (!parse_decl(p))
			return NULL;
	return scn_finish(p);
}
