/* call_alpc.c — the ALPC ports family: the lecture's connection ports, communication port
 * pairs and request/reply over them (kernel/alpc.h), with no Linux counterpart.
 *
 * The trace shows a call as the scenario wrote it, what it got (a handle, a message with
 * its sender, a status) and the object's state after it: "[port srv: 1 pending]" for a
 * connection port, "[alpc#1 open: 0|1 requests, section#1 5000 bytes]" for a pair, the
 * first count the server's end, the second the client's. A message that went through the
 * pair's section says so ("via section#1").
 *
 * The design choice to know: a call that waits sleeps on its own end's (or port's) wait
 * list and, woken, looks again from where it stopped, never from the start: a send that
 * waits for its reply has already sent its request, and a connect already queued its
 * request (the world's space keeps which pair each connecting task waits on). A caught
 * signal runs its handler and the wait goes on, as an ALPC wait that is not alertable.
 *
 * Cross-check: every row names the NT call it stands for, and says that it cannot be
 * replayed, so the rest of a mixed scenario is still compared.
 */
#include "calls/call_int.h"

#include <errno.h>
#include <string.h>

#include "msgsim/kernel/alpc.h"

#include "engine/interp_int.h"
#include "lang/scn_int.h"

/* ---- What the call asked for ---- */

static void section_word(GString *s, gint64 section)
{
	if (section)
		g_string_append_printf(s, " via section#%" G_GINT64_FORMAT, section);
}

/* alpc_create "name", alpc_connect "name" "text" size=N */
static void named_text(GString *s, const SimTraceEvent *ev)
{
	const SimStmt *st = ev->stmt;
	g_string_append_printf(s, "%s ", sim_call_desc(st->kind)->name);
	sim_trace_quote(s, st->alpc.name, strlen(st->alpc.name));
	if (st->kind == SIM_STMT_ALPC_CONNECT) {
		sim_trace_putc(s, ' ');
		sim_trace_quote_cut(s, ev->text ? ev->text : "", (gsize)ev->counts[0]);
		g_string_append_printf(s, " size=%" G_GINT64_FORMAT, ev->value);
	}
}

/* alpc_send H "text" size=N [via section#N], alpc_reply likewise */
static void sending_text(GString *s, const SimTraceEvent *ev)
{
	g_string_append_printf(s, "%s %s ", sim_call_desc(ev->stmt->kind)->name, ev->object);
	sim_trace_quote_cut(s, ev->text ? ev->text : "", (gsize)ev->counts[0]);
	g_string_append_printf(s, " size=%" G_GINT64_FORMAT, ev->value);
	section_word(s, ev->counts[1]);
}

/* alpc_accept H [refuse], alpc_receive H, alpc_close H */
static void handle_text(GString *s, const SimTraceEvent *ev)
{
	g_string_append_printf(s, "%s %s%s", sim_call_desc(ev->stmt->kind)->name, ev->object,
			       ev->stmt->kind == SIM_STMT_ALPC_ACCEPT && ev->stmt->alpc.refuse
				       ? " refuse"
				       : "");
}

/* ---- What came of it ---- */

static void state_tail(GString *s, const SimTraceEvent *ev)
{
	if (ev->detail) {
		sim_trace_putc(s, ' ');
		sim_trace_puts(s, ev->detail);
	}
}

static void plain_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	sim_call_result_head(s, ev, arrow);
	state_tail(s, ev);
}

/* create, connect: the new handle. */
static void handle_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	if (sim_call_result_head(s, ev, arrow))
		g_string_append_printf(s, ", handle %" G_GINT64_FORMAT, ev->ret);
	state_tail(s, ev);
}

/* A message got: its bytes, what it says and who sent it. */
static void got_msg(GString *s, const SimTraceEvent *ev)
{
	const SimMsg *m = ev->msg;
	if (!m)
		return;
	g_string_append_printf(s, "%" G_GSIZE_FORMAT " %s: ", (gsize)m->size,
			       m->size == 1 ? "byte" : "bytes");
	sim_trace_quote_cut(s, m->text, m->len);
	if (ev->msg_from) {
		sim_trace_puts(s, " from ");
		sim_trace_puts(s, ev->msg_from);
	}
	section_word(s, ev->counts[2]);
}

/* accept: the server's handle and the connection message, or that it refused it. */
static void accept_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	if (sim_call_result_head(s, ev, arrow)) {
		if (ev->stmt->alpc.refuse)
			sim_trace_puts(s, ", refused ");
		else
			g_string_append_printf(s, ", handle %" G_GINT64_FORMAT ", ", ev->ret);
		got_msg(s, ev);
	}
	state_tail(s, ev);
}

/* send (its reply), receive (the request). */
static void msg_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	if (sim_call_result_head(s, ev, arrow)) {
		sim_trace_puts(s, ", ");
		got_msg(s, ev);
	}
	state_tail(s, ev);
}

/* The message got is in the generic fields ("text", "from"); its section, if it had one. */
static void msg_json(GString *s, const SimTraceEvent *ev)
{
	sim_call_json_ret(s, ev);
	if (ev->counts[2])
		sim_trace_json_int(s, "section", ev->counts[2]);
}

/* What a call asked for: the port's name, the message it sends and its section. */
static void ask_json(GString *s, const SimTraceEvent *ev)
{
	const SimStmt *st = ev->stmt;
	if (st->kind == SIM_STMT_ALPC_CREATE || st->kind == SIM_STMT_ALPC_CONNECT)
		sim_trace_json_str(s, "name", st->alpc.name, -1);
	if (st->kind == SIM_STMT_ALPC_CONNECT || st->kind == SIM_STMT_ALPC_SEND ||
	    st->kind == SIM_STMT_ALPC_REPLY) {
		sim_trace_json_str(s, "data", ev->text ? ev->text : "", (gssize)ev->counts[0]);
		sim_trace_json_int(s, "size", ev->value);
	}
	if (ev->counts[1])
		sim_trace_json_int(s, "sent_section", ev->counts[1]);
	if (st->kind == SIM_STMT_ALPC_ACCEPT && st->alpc.refuse)
		sim_trace_json_int(s, "refuse", 1);
}

/* ---- Parsing ---- */

static const SimAlpcArgs alpc_defaults = { .size = -1 };

static const OptSpec size_opts[] = {
	INT_OPT("size", ST(alpc.size), 0, SIM_ALPC_SECTION_MAX + 1),
	OPTS_END,
};

/* The connection port's name, in double quotes, into st->alpc.name. */
static gboolean take_name(Parser *p, SimStmt *st, const char *how)
{
	const Tok *t = tok(p);
	if (t->kind != TOK_STRING || !t->text[0] || strchr(t->text, '$') ||
	    strlen(t->text) > SIM_ALPC_NAME_MAX)
		return scn_expected(p,
				    "a connection port's name in double quotes after '%s' (1 "
				    "to %d characters, no '$')",
				    how, SIM_ALPC_NAME_MAX);
	g_strlcpy(st->alpc.name, t->text, sizeof(st->alpc.name));
	advance(p);
	return TRUE;
}

/* alpc_create "name" -> VAR */
static gboolean create_parse(Parser *p, SimStmt *st)
{
	st->alpc = alpc_defaults;
	if (!take_name(p, st, "alpc_create"))
		return FALSE;
	static const OptSpec none[] = { OPTS_END };
	StmtOpts so = { .o = { .what = "alpc_create", .specs = none }, .role = ROLE_FD };
	if (!scn_take_stmt_opts(p, st, &so))
		return FALSE;
	if (!so.arrow.line)
		return scn_expected(p, "'-> VAR' after 'alpc_create' (the variable holds the "
				       "connection port's handle)");
	return TRUE;
}

/* alpc_connect "name" [TEXT] [size=N] -> VAR */
static gboolean connect_parse(Parser *p, SimStmt *st)
{
	st->alpc = alpc_defaults;
	if (!take_name(p, st, "alpc_connect"))
		return FALSE;
	StmtOpts so = { .o = { .what = "alpc_connect", .specs = size_opts },
			.role = ROLE_FD,
			.text_ctx = "after 'alpc_connect \"name\"'" };
	if (!scn_take_stmt_opts(p, st, &so))
		return FALSE;
	if (!so.arrow.line)
		return scn_expected(p, "'-> VAR' after 'alpc_connect' (the variable holds the "
				       "client's communication port handle)");
	return TRUE;
}

static const OptSpec accept_opts[] = {
	BOOL_OPT("refuse", ST(alpc.refuse)),
	OPTS_END,
};

/* alpc_accept H [refuse] [-> VAR] */
static gboolean accept_parse(Parser *p, SimStmt *st)
{
	st->alpc = alpc_defaults;
	if (!scn_take_fd(p, st, "alpc_accept", NULL))
		return FALSE;
	StmtOpts so = { .o = { .what = "alpc_accept", .specs = accept_opts }, .role = ROLE_FD };
	return scn_take_stmt_opts(p, st, &so);
}

/* alpc_send H TEXT [size=N] [-> VAR], alpc_reply H TEXT [size=N] */
static gboolean sending_parse(Parser *p, SimStmt *st)
{
	const char *how = sim_call_desc(st->kind)->name;
	st->alpc = alpc_defaults;
	g_autofree char *ctx = NULL;
	if (!scn_take_fd(p, st, how, &ctx))
		return FALSE;
	StmtOpts so = { .o = { .what = how, .specs = size_opts },
			.role = st->kind == SIM_STMT_ALPC_SEND ? ROLE_MESSAGE : -1,
			.text_ctx = ctx };
	if (!scn_take_stmt_opts(p, st, &so))
		return FALSE;
	if (!so.text && !so.o.seen[0].line)
		return scn_expected(p, "a text in double quotes or size=N %s", ctx);
	return TRUE;
}

/* alpc_receive H [-> VAR], alpc_close H */
static gboolean handle_parse(Parser *p, SimStmt *st)
{
	const char *how = sim_call_desc(st->kind)->name;
	st->alpc = alpc_defaults;
	if (!scn_take_fd(p, st, how, NULL))
		return FALSE;
	static const OptSpec none[] = { OPTS_END };
	StmtOpts so = { .o = { .what = how, .specs = none },
			.role = st->kind == SIM_STMT_ALPC_RECEIVE ? ROLE_MESSAGE : -1 };
	return scn_take_stmt_opts(p, st, &so);
}

/* ---- Execution ---- */

static SimAlpcSpace *space(SimWorld *w)
{
	if (!w->alpc)
		w->alpc = sim_alpc_space_new();
	return w->alpc;
}

/* One traced event of an ALPC call: ret its result; the message it sent (text, tlen, size,
 * its section) or got (got: its sender, text and section). */
typedef struct AlpcEv {
	SimTraceKind kind;
	int err;
	const char *why; /* blocked: why */
	gint64 ret;
	const char *detail;
	const char *text;
	gsize tlen;
	gint64 size;
	guint sent_section;
	const SimMsg *got; /* its sender is the event's msg_from */
	guint got_section;
} AlpcEv;

static void trace_alpc(SimWorld *w, const SimTask *t, const SimStmt *st, const AlpcEv *e)
{
	SimTraceEvent ev;
	gboolean named = st->kind == SIM_STMT_ALPC_CREATE || st->kind == SIM_STMT_ALPC_CONNECT;
	sim_interp_call_event_init(
		&ev, w, e->kind, t, st,
		named ? st->alpc.name : sim_interp_fd_word(w, t, st, w->word, sizeof(w->word)),
		e->err ? NULL : e->got, e->err, e->why, -1);
	ev.ret = e->ret;
	ev.detail = e->detail;
	ev.text = e->text;
	ev.counts[0] = (gint64)e->tlen;
	ev.value = e->size;
	ev.counts[1] = e->sent_section;
	ev.counts[2] = e->got_section;
	sim_world_emit(w, &ev);
}

/* The message st carries from t: its text (literal or expanded) cut or padded to size=. */
static SimAlpcMsg *msg_of(SimWorld *w, const SimTask *t, const SimStmt *st)
{
	gsize len = 0;
	const char *text = sim_interp_text(w, t, &st->text, &len);
	gsize size = st->alpc.size >= 0 ? (gsize)st->alpc.size : len;
	return sim_alpc_msg_new(t->id, text, len, size);
}

/* A message got, as the model's messages are: its sender in `from`, for the trace and the
 * statement's variable (sim_interp_keep_received takes it). */
static SimMsg *got_msg_of(SimWorld *w, const SimTask *t, const SimAlpcMsg *am)
{
	SimMsg *m = sim_msg_pool_get(&w->pool);
	m->from = am->from;
	m->to = t->id;
	m->type = 0;
	m->prio = 0;
	m->seq = w->msg_seq++;
	sim_msg_own_text(&w->pool, m, am->text, am->len);
	m->size = am->size;
	m->len = (guint32)am->len;
	return m;
}

/* What st sends, for the trace: its text as it expands now (a waiting task's variables
 * have not changed since it sent it). */
static void sent_text(SimWorld *w, const SimTask *t, const SimStmt *st, AlpcEv *e)
{
	gsize len = 0;
	const char *text = sim_interp_text(w, t, &st->text, &len);
	e->size = st->alpc.size >= 0 ? st->alpc.size : (gint64)len;
	e->text = text;
	e->tlen = MIN(len, (gsize)e->size);
}

/* The communication port behind st's handle, or NULL with *err (EBADF). */
static SimAlpcEnd *end_of(SimWorld *w, const SimTask *t, const SimStmt *st, int *err)
{
	SimAlpcHandle *h = sim_alpc_handle(w->alpc, sim_interp_fd(t, st), t->id);
	*err = h && h->end ? 0 : EBADF;
	return *err ? NULL : h->end;
}

/* Starts a call or resumes it; a caught signal runs its handler and the wait goes on. */
static gboolean begin(SimWorld *w, SimTask *t, const SimStmt *st)
{
	gboolean resuming = t->resuming;
	if (resuming) {
		t->resuming = FALSE;
		if (t->sig_pending)
			sim_interp_run_handlers(w, t);
	} else {
		sim_interp_started(w, st);
		sim_world_charge(w, w->scn->cost_syscall);
	}
	return resuming;
}

/* A call that must wait on `name`: trace it and put the task to sleep. */
static void block(SimWorld *w, SimTask *t, const SimStmt *st, const AlpcEv *e, const char *name)
{
	sim_interp_blocked(w, st);
	if (w->trace)
		trace_alpc(w, t, st, e);
	sim_world_block(w, t, -1, name, e->why);
	sim_world_wake_all(w, t, NULL);
}

static void create_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	begin(w, t, st);
	SimAlpcPort *port = NULL;
	int err = sim_alpc_create(space(w), st->alpc.name, t->id, &port);
	gint64 h = err ? -1 : sim_alpc_handle_new(w->alpc, t->id, port, NULL);
	if (!err)
		w->mem += sizeof(SimAlpcPort) + sizeof(SimAlpcHandle);
	if (st->var >= 0)
		t->vars[st->var].num = h;
	if (w->trace) {
		char state[96];
		trace_alpc(w, t, st,
			   &(AlpcEv){ .kind = SIM_TR_CALL, .err = err, .ret = h,
				      .detail = sim_alpc_port_state(port, state, sizeof(state)) });
	}
	sim_interp_finish(w, t, st, err, h);
}

static void connect_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	gboolean resuming = begin(w, t, st);
	SimAlpcSpace *sp = space(w);
	SimAlpcPair *pair = g_hash_table_lookup(sp->connecting, GINT_TO_POINTER(t->id));
	int err = 0;
	AlpcEv e = { .kind = resuming ? SIM_TR_RETURN : SIM_TR_CALL };
	if (!resuming) {
		SimAlpcMsg *m = msg_of(w, t, st);
		gsize size = m->size;
		/* The connection message travels in the port itself: no section yet. */
		err = size > SIM_ALPC_MSG_MAX ? EMSGSIZE
					      : sim_alpc_connect(sp, st->alpc.name, m, &w->wake, &pair);
		if (err == EMSGSIZE)
			sim_alpc_msg_free(m);
		if (pair) {
			t->n_sent++;
			w->mem += sizeof(SimAlpcPair) + size;
			g_hash_table_insert(sp->connecting, GINT_TO_POINTER(t->id), pair);
		}
	}
	if (pair)
		err = sim_alpc_connect_wait(pair, &t->waiter);
	sent_text(w, t, st, &e);
	char state[128];
	e.detail = sim_alpc_pair_state(pair, state, sizeof(state));
	if (err == SIM_BLOCKED) {
		e.why = "waiting for the server";
		block(w, t, st, &e, pair->name);
		return;
	}
	g_hash_table_remove(sp->connecting, GINT_TO_POINTER(t->id));
	gint64 h = -1;
	if (pair && !err) {
		h = sim_alpc_handle_new(sp, t->id, NULL, &pair->end[1]);
		w->mem += sizeof(SimAlpcHandle);
	} else if (pair) {
		pair->end[1].closed = TRUE;
	}
	if (st->var >= 0)
		t->vars[st->var].num = h;
	e.err = err;
	e.ret = h;
	if (w->trace)
		trace_alpc(w, t, st, &e);
	sim_interp_finish(w, t, st, err, h);
	sim_world_wake_all(w, t, NULL);
}

static void accept_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	gboolean resuming = begin(w, t, st);
	SimAlpcHandle *hd = sim_alpc_handle(w->alpc, sim_interp_fd(t, st), t->id);
	SimAlpcPort *port = hd ? hd->port : NULL;
	SimAlpcPair *pair = NULL;
	int err = port ? sim_alpc_accept(port, st->alpc.refuse, &t->waiter, &w->wake, &pair)
		       : EBADF;
	char state[128];
	AlpcEv e = { .kind = resuming ? SIM_TR_RETURN : SIM_TR_CALL, .err = err };
	if (err == SIM_BLOCKED) {
		e.err = 0;
		e.why = "no connection request";
		e.detail = sim_alpc_port_state(port, state, sizeof(state));
		block(w, t, st, &e, port->name);
		return;
	}
	gint64 h = -1;
	if (pair && !st->alpc.refuse) {
		h = sim_alpc_handle_new(w->alpc, t->id, NULL, &pair->end[0]);
		w->mem += sizeof(SimAlpcHandle);
	}
	if (st->var >= 0)
		t->vars[st->var].num = h;
	e.ret = st->alpc.refuse ? 0 : h;
	/* The connection message is shown, not kept: the variable holds the handle. */
	SimMsg *m = pair ? got_msg_of(w, t, pair->conn) : NULL;
	e.got = m;
	e.detail = sim_alpc_pair_state(pair, state, sizeof(state));
	if (w->trace)
		trace_alpc(w, t, st, &e);
	if (m)
		sim_msg_pool_put(&w->pool, m);
	sim_interp_finish(w, t, st, err, e.ret);
	sim_world_wake_all(w, t, NULL);
}

/* A request or reply got by st: traced, then kept (its sender in the variable's message). */
static void finish_got(SimWorld *w, SimTask *t, const SimStmt *st, AlpcEv *ev,
		       const SimAlpcEnd *e, SimAlpcMsg *am)
{
	SimMsg *m = am ? got_msg_of(w, t, am) : NULL;
	ev->got = m;
	ev->got_section = am && am->via_section ? e->pair->section : 0;
	ev->ret = am ? (gint64)am->size : -1;
	if (w->trace)
		trace_alpc(w, t, st, ev);
	if (m)
		sim_interp_keep_received(w, t, st, m);
	sim_alpc_msg_free(am);
	sim_interp_finish(w, t, st, ev->err, ev->ret);
	sim_world_wake_all(w, t, NULL);
}

static void send_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	gboolean resuming = begin(w, t, st);
	int err = 0;
	SimAlpcEnd *e = end_of(w, t, st, &err);
	AlpcEv ev = { .kind = resuming ? SIM_TR_RETURN : SIM_TR_CALL };
	if (e && !resuming) {
		SimAlpcMsg *m = msg_of(w, t, st);
		gboolean via = m->size > SIM_ALPC_MSG_MAX;
		gsize size = m->size;
		err = sim_alpc_send(w->alpc, e, m, &w->wake);
		t->n_sent += !err;
		if (!err && via)
			w->mem += size;
	}
	SimAlpcMsg *reply = NULL;
	if (e && !err)
		err = sim_alpc_wait_reply(e, &t->waiter, &reply);
	sent_text(w, t, st, &ev);
	/* The request went through the section when it was large, and a refused one did not. */
	ev.sent_section = e && ev.size > SIM_ALPC_MSG_MAX && e->pair->section &&
					  (!err || err == SIM_BLOCKED || resuming)
				  ? e->pair->section
				  : 0;
	char state[128];
	ev.detail = e ? sim_alpc_pair_state(e->pair, state, sizeof(state)) : NULL;
	if (err == SIM_BLOCKED) {
		ev.why = "waiting for the reply";
		block(w, t, st, &ev, e->pair->name);
		return;
	}
	ev.err = err;
	finish_got(w, t, st, &ev, e, reply);
}

static void receive_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	gboolean resuming = begin(w, t, st);
	int err = 0;
	SimAlpcEnd *e = end_of(w, t, st, &err);
	SimAlpcMsg *m = NULL;
	if (e)
		err = sim_alpc_receive(e, &t->waiter, &m);
	char state[128];
	AlpcEv ev = { .kind = resuming ? SIM_TR_RETURN : SIM_TR_CALL,
		      .detail = e ? sim_alpc_pair_state(e->pair, state, sizeof(state)) : NULL };
	if (err == SIM_BLOCKED) {
		ev.why = "no request";
		block(w, t, st, &ev, e->pair->name);
		return;
	}
	ev.err = err;
	finish_got(w, t, st, &ev, e, m);
}

static void reply_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	begin(w, t, st);
	int err = 0;
	SimAlpcEnd *e = end_of(w, t, st, &err);
	SimAlpcMsg *m = msg_of(w, t, st);
	gboolean via = m->size > SIM_ALPC_MSG_MAX;
	gsize size = m->size;
	if (e)
		err = sim_alpc_reply(w->alpc, e, m, &w->wake);
	else
		sim_alpc_msg_free(m);
	t->n_sent += e && !err;
	if (!err && via)
		w->mem += size;
	AlpcEv ev = { .kind = SIM_TR_CALL, .err = err };
	sent_text(w, t, st, &ev);
	char state[128];
	ev.sent_section = e && !err && via ? e->pair->section : 0;
	ev.detail = e ? sim_alpc_pair_state(e->pair, state, sizeof(state)) : NULL;
	if (w->trace)
		trace_alpc(w, t, st, &ev);
	sim_interp_returned(w, t, st, err);
	sim_world_wake_all(w, t, NULL);
}

/* "port srv destroyed with its server; 1 waiter(s) fail with ECONNABORTED", or for a
 * communication port "alpc#1 server port destroyed ...": what a handle's close killed. */
static void trace_death(SimWorld *w, const SimTask *t, const SimAlpcDeath *d, gboolean exiting)
{
	if (!w->trace)
		return;
	g_autofree char *name =
		d->port ? g_strdup_printf("port %s", d->port->name)
			: g_strdup_printf("%s %s port", d->end->pair->name,
					  d->end->side ? "client" : "server");
	const char *how = !exiting ? "by its close"
			  : d->port ? "with its server"
				    : d->end->side ? "with its client" : "with its server";
	SimTraceEvent ev = { .kind = SIM_TR_DESTROY,
			     .task = t->name,
			     .object = name,
			     .reason = how,
			     .err = d->err,
			     .value = d->failed };
	sim_world_emit(w, &ev);
}

typedef struct ExitCtx {
	SimWorld *w;
	const SimTask *t;
} ExitCtx;

static void died_at_exit(void *data, const SimAlpcDeath *d)
{
	const ExitCtx *x = data;
	trace_death(x->w, x->t, d, TRUE);
}

gboolean sim_world_alpc_exit(SimWorld *w, SimTask *t)
{
	ExitCtx x = { w, t };
	return sim_alpc_exit(w->alpc, t->id, &w->wake, died_at_exit, &x);
}

static void close_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	begin(w, t, st);
	gint64 h = sim_interp_fd(t, st);
	SimAlpcHandle *hd = sim_alpc_handle(w->alpc, h, t->id);
	int err = hd ? 0 : EBADF;
	SimAlpcDeath d;
	if (hd)
		sim_alpc_handle_close(w->alpc, h, &w->wake, &d);
	char state[128];
	AlpcEv ev = { .kind = SIM_TR_CALL, .err = err };
	if (hd)
		ev.detail = hd->port ? sim_alpc_port_state(hd->port, state, sizeof(state))
				     : sim_alpc_pair_state(hd->end->pair, state, sizeof(state));
	if (w->trace)
		trace_alpc(w, t, st, &ev);
	if (hd)
		trace_death(w, t, &d, FALSE);
	sim_interp_returned(w, t, st, err);
	sim_world_wake_all(w, t, NULL);
}

/* A task killed in a wait: kill took it off the wait list; a connect still pending leaves
 * its request behind, which the server's accept will find dead and pass over. */
static void alpc_abandon(SimWorld *w, SimTask *t, const SimStmt *st)
{
	(void)st;
	g_assert(t->waiter.queue == NULL);
	if (!w->alpc)
		return;
	SimAlpcPair *pair = g_hash_table_lookup(w->alpc->connecting, GINT_TO_POINTER(t->id));
	if (pair) {
		pair->end[1].closed = TRUE;
		g_hash_table_remove(w->alpc->connecting, GINT_TO_POINTER(t->id));
	}
}

/* ---- Footprint ---- */

/* Handles are numbered over the whole run: every call that makes one changes the count, so
 * two of them never commute. A path-kind object, under a name no path can have. */
#define HANDLES_ID ((guint64)0x616c7063u)

static void add_ptr(SimFootprint *fp, const void *obj, gboolean write)
{
	sim_footprint_add(fp, SIM_OBJ_PIPE, obj ? (guint64)(guintptr)obj : SIM_OBJ_ALL, write);
}

/* What handle h of t names: its port or pair, or every such object when it names none. */
static void fp_handle(const SimWorld *w, const SimTask *t, const SimStmt *st, SimFootprint *fp)
{
	SimAlpcHandle *hd = sim_alpc_handle(w->alpc, sim_interp_fd(t, st), t->id);
	if (!hd)
		add_ptr(fp, NULL, TRUE);
	else if (hd->port)
		add_ptr(fp, hd->port, TRUE);
	else
		add_ptr(fp, hd->end->pair, TRUE);
}

static void alpc_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st, SimFootprint *fp)
{
	sim_call_fp_self(fp, t, FALSE);
	switch (st->kind) {
	case SIM_STMT_ALPC_CREATE:
	case SIM_STMT_ALPC_CONNECT: {
		sim_footprint_add(fp, SIM_OBJ_PATH, HANDLES_ID, TRUE);
		sim_footprint_add(fp, SIM_OBJ_PATH, g_str_hash(st->alpc.name), TRUE);
		const SimAlpcPort *port =
			w->alpc ? g_hash_table_lookup(w->alpc->names, st->alpc.name) : NULL;
		const SimAlpcPair *pair =
			w->alpc ? g_hash_table_lookup(w->alpc->connecting, GINT_TO_POINTER(t->id))
				: NULL;
		if (port)
			add_ptr(fp, port, TRUE);
		if (pair)
			add_ptr(fp, pair, TRUE);
		break;
	}
	case SIM_STMT_ALPC_ACCEPT: {
		sim_footprint_add(fp, SIM_OBJ_PATH, HANDLES_ID, TRUE);
		fp_handle(w, t, st, fp);
		SimAlpcHandle *hd = sim_alpc_handle(w->alpc, sim_interp_fd(t, st), t->id);
		/* It answers the oldest request, whose client reads the answer. */
		if (hd && hd->port && hd->port->pending.head)
			add_ptr(fp, hd->port->pending.head->data, TRUE);
		else if (!hd)
			add_ptr(fp, NULL, TRUE);
		break;
	}
	default:
		fp_handle(w, t, st, fp);
		/* Closing a connection port frees its name for another alpc_create. */
		if (st->kind == SIM_STMT_ALPC_CLOSE)
			sim_footprint_add(fp, SIM_OBJ_PATH, SIM_OBJ_ALL, TRUE);
		break;
	}
}

void sim_call_alpc_footprint_end(const SimWorld *w, const SimTask *x, SimFootprint *fp)
{
	for (guint i = 0; w->alpc && i < w->alpc->handles->len; i++) {
		const SimAlpcHandle *hd = &g_array_index(w->alpc->handles, SimAlpcHandle, i);
		if (hd->closed || hd->owner != x->id)
			continue;
		if (hd->port) {
			add_ptr(fp, hd->port, TRUE);
			sim_footprint_add(fp, SIM_OBJ_PATH, g_str_hash(hd->port->name), TRUE);
			for (GList *l = hd->port->pending.head; l; l = l->next)
				add_ptr(fp, l->data, TRUE);
		} else {
			add_ptr(fp, hd->end->pair, TRUE);
		}
	}
}

/* ---- Deadlock report ---- */

/* The report knows these waits as pipe-kind objects it cannot name: no ALPC call counts as
 * the releaser of a task stuck on a pipe, and the task is named by its call's keyword. */
static gboolean alpc_reaches(const SimWorld *w, const SimTask *t, const SimStmt *st,
			     const SimObjRef *obj)
{
	(void)w, (void)t, (void)st, (void)obj;
	return FALSE;
}

/* ---- Cross-check ---- */

/* One reason for every call of the family, so that the report says it once. */
static char *alpc_unreplayable(const SimScenario *scn, const SimStmt *st)
{
	(void)scn, (void)st;
	return g_strdup("the alpc_* calls: ALPC ports are Windows' own, Linux has no counterpart");
}

/* ---- The rows ---- */

#define ALPC_ROW(k, word, nt, text, result, json, ...)                                     \
	{                                                                                  \
		.kind = (k), .name = (word), .family = SIM_CALL_ALPC, .text_call = (text), \
		.text_result = (result), .json_call = ask_json, .json_result = (json),     \
		.real_name = (nt),                                                         \
		.unreplayable = alpc_unreplayable, .footprint = alpc_footprint,            \
		__VA_ARGS__                                                                \
	}
/* A call that waits for another task's call: its role toward pipe-kind objects. */
#define WAITS(role) \
	.blocks = TRUE, .wait_role = (role), .wait_obj = SIM_OBJ_PIPE, .reaches = alpc_reaches

const SimCallDesc sim_call_alpc_rows[] = {
	ALPC_ROW(SIM_STMT_ALPC_CREATE, "alpc_create", "NtAlpcCreatePort", named_text,
		 handle_result, sim_call_json_ret, .parse = create_parse, .exec = create_exec),
	ALPC_ROW(SIM_STMT_ALPC_CONNECT, "alpc_connect", "NtAlpcConnectPort", named_text,
		 handle_result, sim_call_json_ret, .parse = connect_parse, .exec = connect_exec,
		 .abandon = alpc_abandon, WAITS(SIM_WAIT_PUTS)),
	ALPC_ROW(SIM_STMT_ALPC_ACCEPT, "alpc_accept", "NtAlpcAcceptConnectPort", handle_text,
		 accept_result, msg_json, .parse = accept_parse, .exec = accept_exec,
		 .abandon = alpc_abandon, WAITS(SIM_WAIT_TAKES)),
	ALPC_ROW(SIM_STMT_ALPC_SEND, "alpc_send", "NtAlpcSendWaitReceivePort", sending_text,
		 msg_result, msg_json, .parse = sending_parse, .exec = send_exec,
		 .abandon = alpc_abandon, WAITS(SIM_WAIT_BOTH)),
	ALPC_ROW(SIM_STMT_ALPC_RECEIVE, "alpc_receive", "NtAlpcSendWaitReceivePort",
		 handle_text, msg_result, msg_json, .parse = handle_parse, .exec = receive_exec,
		 .abandon = alpc_abandon, WAITS(SIM_WAIT_TAKES)),
	ALPC_ROW(SIM_STMT_ALPC_REPLY, "alpc_reply", "NtAlpcSendWaitReceivePort", sending_text,
		 plain_result, sim_call_json_ret, .parse = sending_parse, .exec = reply_exec),
	ALPC_ROW(SIM_STMT_ALPC_CLOSE, "alpc_close", "NtAlpcDisconnectPort", handle_text,
		 plain_result, sim_call_json_ret, .parse = handle_parse, .exec = close_exec),
};
const guint sim_call_alpc_n_rows = G_N_ELEMENTS(sim_call_alpc_rows);
