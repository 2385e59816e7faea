/* call_sock.c — the sockets family: socketpair, sendto, recv and shutdown on UNIX-domain
 * socket pairs (sock.h), numbered and shared through the descriptor table like pipes.
 *
 * The trace shows a socket call as the scenario wrote it, its result with the data quoted
 * and cut after 40 bytes, and the pair's state after it: "[sock#1 stream: 5|0 bytes unread,
 * 768|0 in send buffers]", the first number of each pair being the end socketpair returned
 * first (sv[0], VAR.r), the second the other (sv[1], VAR.w). The send-buffer counts are what
 * decides when a sender blocks.
 *
 * The design choice to know: a blocked sendto or recv sleeps on its end's one wait list, and
 * every sleeper of the end is woken at once, as the kernel's socket wait queues are not
 * exclusive; the woken call runs its exec again and finds its socket again through its
 * descriptor, which nobody else can close (descriptor tables are per task). A stream send
 * keeps what it moved in t->io_done, as a pipe write does.
 *
 * Names (bind, connect, sendto's to=) are call_sock_addr.c's: abstract ones, and paths that
 * are socket files in the model's file system.
 *
 * Cross-check: each call is the system call of the same name (sendto is send(2) without
 * to=, sendto(2) with it; recv from is recvfrom(2)) on the worker's real sockets
 * (sim/real/real_sock.c); recv's bytes, whether its sender was named, and socketpair's
 * second descriptor are compared besides the result.
 */
#include "calls/call_sock_int.h"

#include <signal.h>
#include <string.h>
#include <sys/socket.h>

#include "msgsim/kernel/sock.h"

#include "engine/interp_int.h"
#include "lang/scn_int.h"
#include "real/xcheck_int.h"

/* ---- The pair's state, for the trace ---- */

static SimSock *end_a(const SimSock *s)
{
	return &s->pair->end[0];
}

/* "[sock#1 stream: 5|0 bytes unread, 768|0 in send buffers]" into buf. */
static const char *sock_state(const SimSock *s, char *buf, gsize size)
{
	if (!s)
		return NULL;
	const SimSock *a = end_a(s), *b = &s->pair->end[1];
	g_snprintf(buf, size,
		   "[%s %s: %" G_GUINT64_FORMAT "|%" G_GUINT64_FORMAT
		   " bytes unread, %" G_GSIZE_FORMAT "|%" G_GSIZE_FORMAT " in send buffers]",
		   s->pair->name, sim_sock_type_name(s->type), a->rcv_bytes, b->rcv_bytes, a->wmem,
		   b->wmem);
	return buf;
}

/* ---- What the call asked for ---- */

static const char *msg_flag_words(guint fl, char *buf, gsize size)
{
	g_snprintf(buf, size, "%s%s%s%s", fl & SIM_MSG_DONTWAIT ? " dontwait" : "",
		   fl & SIM_MSG_NOSIGNAL ? " nosignal" : "", fl & SIM_MSG_PEEK ? " peek" : "",
		   fl & SIM_MSG_TRUNC ? " trunc" : "");
	return buf;
}

static void socketpair_text(GString *s, const SimTraceEvent *ev)
{
	const SimStmt *st = ev->stmt;
	g_string_append_printf(s, "socketpair %s%s", sim_sock_type_name(st->sock.type),
			       st->sock.flags & SIM_O_NONBLOCK ? " nonblock" : "");
}

/* The data as sent (counts[0] its bytes), and value the bytes asked for. */
static void sendto_text(GString *s, const SimTraceEvent *ev)
{
	char fl[64];
	g_string_append_printf(s, "sendto %s", ev->object);
	if (ev->text) {
		sim_trace_putc(s, ' ');
		sim_trace_quote_cut(s, ev->text, (gsize)ev->counts[0]);
	}
	g_string_append_printf(s, " size=%" G_GINT64_FORMAT "%s", ev->value,
			       msg_flag_words(ev->stmt->sock.flags, fl, sizeof(fl)));
	if (ev->stmt->sock.to) {
		sim_trace_puts(s, " to=");
		sim_trace_quote(s, ev->stmt->sock.to, strlen(ev->stmt->sock.to));
	}
}

static void recv_text(GString *s, const SimTraceEvent *ev)
{
	char fl[64];
	g_string_append_printf(s, "recv %s size=%" G_GINT64_FORMAT "%s%s", ev->object,
			       ev->stmt->sock.size,
			       msg_flag_words(ev->stmt->sock.flags, fl, sizeof(fl)),
			       ev->stmt->sock.flags & SIM_RECV_FROM ? " from" : "");
}

static const char *const how_words[] = { "rd", "wr", "rdwr" };

static void shutdown_text(GString *s, const SimTraceEvent *ev)
{
	int how = ev->stmt->sock.how;
	g_string_append_printf(s, "shutdown %s ", ev->object);
	if (how >= 0 && how < 3)
		g_string_append(s, how_words[how]);
	else
		g_string_append_printf(s, "%d", how);
}

/* ---- What came of it ---- */

static void state_tail(GString *s, const SimTraceEvent *ev)
{
	if (ev->detail) {
		sim_trace_putc(s, ' ');
		sim_trace_puts(s, ev->detail);
	}
}

static void socketpair_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	if (sim_call_result_head(s, ev, arrow))
		g_string_append_printf(s, ", fds %" G_GINT64_FORMAT " %" G_GINT64_FORMAT, ev->ret,
				       ev->value);
	state_tail(s, ev);
}

static void sendto_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	if (ev->blocked) {
		sim_trace_blocks(s, ev);
		if (ev->ret > 0)
			g_string_append_printf(
				s, " (%" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " bytes sent)",
				ev->ret, ev->value);
	} else if (sim_call_result_head(s, ev, arrow)) {
		g_string_append_printf(s, ", %" G_GINT64_FORMAT, ev->ret);
		if (ev->ret < ev->value)
			g_string_append_printf(s, " of %" G_GINT64_FORMAT, ev->value);
		sim_trace_puts(s, ev->value == 1 ? " byte" : " bytes");
	}
	state_tail(s, ev);
}

/* ret is recv's result; counts[0] the bytes copied (fewer with MSG_TRUNC on a record). */
static void recv_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	if (sim_call_result_head(s, ev, arrow)) {
		if (ev->ret == 0 && ev->stmt->sock.size > 0 && !ev->text) {
			sim_trace_puts(s, ", 0 bytes: end of file");
		} else {
			g_string_append_printf(s, ", %" G_GINT64_FORMAT " %s", ev->ret,
					       ev->ret == 1 ? "byte" : "bytes");
			if (ev->text && ev->counts[0]) {
				sim_trace_puts(s, ": ");
				sim_trace_quote_cut(s, ev->text, (gsize)ev->counts[0]);
			}
		}
		/* recvfrom's address: the sender's name when it sent, or none. */
		if (ev->stmt->kind == SIM_STMT_RECV && (ev->stmt->sock.flags & SIM_RECV_FROM) &&
		    ev->text) {
			sim_trace_puts(s, " from ");
			if (ev->msg_from)
				sim_trace_quote(s, ev->msg_from, strlen(ev->msg_from));
			else
				sim_trace_puts(s, "an unnamed socket");
		}
	}
	state_tail(s, ev);
}

static void plain_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	sim_call_result_head(s, ev, arrow);
	state_tail(s, ev);
}

/* socket, listen: the keyword and what they were given. */
static void socket_text(GString *s, const SimTraceEvent *ev)
{
	const SimStmt *st = ev->stmt;
	g_string_append_printf(s, "socket %s%s", sim_sock_type_name(st->sock.type),
			       st->sock.flags & SIM_O_NONBLOCK ? " nonblock" : "");
}

static void listen_text(GString *s, const SimTraceEvent *ev)
{
	g_string_append_printf(s, "listen %s backlog=%" G_GINT64_FORMAT, ev->object,
			       ev->stmt->sock.backlog);
}

/* bind, connect: the descriptor and the name, as written ("@name"). */
static void named_text(GString *s, const SimTraceEvent *ev)
{
	g_string_append_printf(s, "%s %s ", sim_call_desc(ev->stmt->kind)->name, ev->object);
	sim_trace_quote(s, ev->stmt->text.literal, strlen(ev->stmt->text.literal));
}

static void accept_text(GString *s, const SimTraceEvent *ev)
{
	g_string_append_printf(s, "accept %s", ev->object);
}

/* socket, accept: the new descriptor. */
static void fd_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	if (sim_call_result_head(s, ev, arrow))
		g_string_append_printf(s, ", fd %" G_GINT64_FORMAT, ev->ret);
	state_tail(s, ev);
}

/* ---- JSON ---- */

static void socketpair_json(GString *s, const SimTraceEvent *ev)
{
	sim_call_json_ret(s, ev);
	if (!ev->err)
		sim_trace_json_int(s, "fd2", ev->value);
}

static void recv_json(GString *s, const SimTraceEvent *ev)
{
	sim_call_json_ret(s, ev);
	if (!ev->blocked && ev->text)
		sim_trace_json_str(s, "data", ev->text, (gssize)ev->counts[0]);
	if (!ev->blocked && ev->text && ev->stmt->kind == SIM_STMT_RECV &&
	    (ev->stmt->sock.flags & SIM_RECV_FROM))
		sim_trace_json_str(s, "from", ev->msg_from ? ev->msg_from : "", -1);
}

static gboolean sock_nowait(const SimStmt *st)
{
	return (st->sock.flags & SIM_MSG_DONTWAIT) != 0;
}

/* ---- Parsing ---- */

static const SimSockArgs sock_defaults = { .size = -1 };

static const OptSpec socketpair_opts[] = {
	FLAG_OPT("nonblock", ST(sock.flags), SIM_O_NONBLOCK),
	OPTS_END,
};

/* socketpair stream|dgram|seqpacket [nonblock] -> VAR */
static gboolean socketpair_parse(Parser *p, SimStmt *st)
{
	st->sock = sock_defaults;
	const Tok *t = tok(p);
	st->sock.type = t->kind == TOK_WORD ? sim_sock_type_by_name(t->text) : -1;
	if (st->sock.type < 0)
		return scn_expected(p, "a socket type after 'socketpair': stream, dgram or "
				       "seqpacket");
	advance(p);
	StmtOpts so = { .o = { .what = "socketpair", .specs = socketpair_opts },
			.role = ROLE_PIPE };
	if (!scn_take_stmt_opts(p, st, &so))
		return FALSE;
	if (!so.arrow.line)
		return scn_expected(p, "'-> VAR' after 'socketpair' (the pair's ends are VAR.r "
				       "and VAR.w, sv[0] and sv[1])");
	return TRUE;
}

/* to="NAME": sendto's address, "@name" or a path, kept interned (a statement owns no
 * pointer of its family's). */
static gboolean take_dest(Parser *p, Opts *o, int k, void *obj)
{
	SimStmt *st = obj;
	(void)o, (void)k;
	const Tok *t = tok(p);
	if (t->kind != TOK_STRING || !t->text[0] || !strcmp(t->text, "@") || strchr(t->text, '$'))
		return scn_expected(p, "a socket name after 'to=': an abstract one like "
				       "\"@server\" or a path like \"/tmp/server.sock\"");
	st->sock.to = g_intern_string(t->text);
	advance(p);
	return TRUE;
}

static const OptSpec sendto_opts[] = {
	INT_OPT("size", ST(sock.size), 0, G_MAXINT32), /* seen[0]: the check below */
	FLAG_OPT("dontwait", ST(sock.flags), SIM_MSG_DONTWAIT),
	FLAG_OPT("nosignal", ST(sock.flags), SIM_MSG_NOSIGNAL),
	TAKE_OPT("to", take_dest),
	OPTS_END,
};

/* sendto D TEXT [size=N] [dontwait] [nosignal]  or  sendto D size=N ... */
static gboolean sendto_parse(Parser *p, SimStmt *st)
{
	st->sock = sock_defaults;
	g_autofree char *ctx = NULL;
	if (!scn_take_fd(p, st, "sendto", &ctx))
		return FALSE;
	StmtOpts so = { .o = { .what = "sendto", .specs = sendto_opts },
			.role = -1,
			.text_ctx = ctx };
	if (!scn_take_stmt_opts(p, st, &so))
		return FALSE;
	if (!so.text && !so.o.seen[0].line)
		return scn_expected(p, "a text in double quotes or size=N %s", ctx);
	return TRUE;
}

static const OptSpec recv_opts[] = {
	INT_OPT("size", ST(sock.size), 0, G_MAXINT32),
	FLAG_OPT("dontwait", ST(sock.flags), SIM_MSG_DONTWAIT),
	FLAG_OPT("peek", ST(sock.flags), SIM_MSG_PEEK),
	FLAG_OPT("trunc", ST(sock.flags), SIM_MSG_TRUNC),
	FLAG_OPT("from", ST(sock.flags), SIM_RECV_FROM),
	OPTS_END,
};

/* recv D [size=N] [dontwait] [peek] [trunc] [-> VAR] */
static gboolean recv_parse(Parser *p, SimStmt *st)
{
	st->sock = sock_defaults;
	st->sock.size = 4096;
	if (!scn_take_fd(p, st, "recv", NULL))
		return FALSE;
	StmtOpts so = { .o = { .what = "recv", .specs = recv_opts }, .role = ROLE_MESSAGE };
	return scn_take_stmt_opts(p, st, &so);
}

/* shutdown D rd|wr|rdwr (or a number: the kernel's answer to a bad one is EINVAL) */
static gboolean shutdown_parse(Parser *p, SimStmt *st)
{
	st->sock = sock_defaults;
	if (!scn_take_fd(p, st, "shutdown", NULL))
		return FALSE;
	const Tok *t = tok(p);
	for (int i = 0; i < 3; i++) {
		if (is_word(t, how_words[i])) {
			st->sock.how = i;
			advance(p);
			return TRUE;
		}
	}
	gint64 how = 0;
	if (t->kind == TOK_WORD && g_ascii_isdigit(t->text[0]) &&
	    scn_take_int(p, "how", "after 'shutdown D'", 0, G_MAXINT32, &how)) {
		st->sock.how = (int)how;
		return TRUE;
	}
	return scn_expected(p, "rd, wr or rdwr after 'shutdown D' (SHUT_RD, SHUT_WR, SHUT_RDWR)");
}

static const OptSpec socket_opts[] = {
	FLAG_OPT("nonblock", ST(sock.flags), SIM_O_NONBLOCK),
	OPTS_END,
};

/* socket stream|dgram|seqpacket [nonblock] -> VAR */
static gboolean socket_parse(Parser *p, SimStmt *st)
{
	st->sock = sock_defaults;
	const Tok *t = tok(p);
	st->sock.type = t->kind == TOK_WORD ? sim_sock_type_by_name(t->text) : -1;
	if (st->sock.type < 0)
		return scn_expected(p, "a socket type after 'socket': stream, dgram or seqpacket");
	advance(p);
	StmtOpts so = { .o = { .what = "socket", .specs = socket_opts }, .role = ROLE_FD };
	if (!scn_take_stmt_opts(p, st, &so))
		return FALSE;
	if (!so.arrow.line)
		return scn_expected(p, "'-> VAR' after 'socket' (the variable holds the "
				       "descriptor)");
	return TRUE;
}

/* bind D "@name", connect D "@name": an abstract name (the kernel's leading NUL, written
 * '@'); bind D "PATH", connect D "PATH": a socket file (call_sock_addr.c). */
static gboolean named_parse(Parser *p, SimStmt *st)
{
	const char *word = st->kind == SIM_STMT_BIND ? "bind" : "connect";
	st->sock = sock_defaults;
	g_autofree char *ctx = NULL;
	if (!scn_take_fd(p, st, word, &ctx))
		return FALSE;
	const Tok *t = tok(p);
	if (t->kind != TOK_STRING || !t->text[0] || !strcmp(t->text, "@") || strchr(t->text, '$'))
		return scn_expected(p,
				    "a socket name %s: an abstract one like \"@server\" or a "
				    "path like \"/tmp/server.sock\" (no $ in it)",
				    ctx);
	return scn_take_text(p, ctx, &st->text);
}

static const OptSpec listen_opts[] = {
	INT_OPT("backlog", ST(sock.backlog), G_MININT32, G_MAXINT32),
	OPTS_END,
};

/* listen D [backlog=N] */
static gboolean listen_parse(Parser *p, SimStmt *st)
{
	st->sock = sock_defaults;
	st->sock.backlog = 128;
	if (!scn_take_fd(p, st, "listen", NULL))
		return FALSE;
	StmtOpts so = { .o = { .what = "listen", .specs = listen_opts }, .role = -1 };
	return scn_take_stmt_opts(p, st, &so);
}

/* accept D [-> VAR] */
static gboolean accept_parse(Parser *p, SimStmt *st)
{
	st->sock = sock_defaults;
	if (!scn_take_fd(p, st, "accept", NULL))
		return FALSE;
	static const OptSpec none[] = { OPTS_END };
	StmtOpts so = { .o = { .what = "accept", .specs = none }, .role = ROLE_FD };
	return scn_take_stmt_opts(p, st, &so);
}

/* ---- Execution ---- */

/* The socket behind st's descriptor, or NULL with *err: EBADF when it is not open,
 * ENOTSOCK when it is not a socket (sockfd_lookup). */
/* The description a send or recv works through: the one a blocked call of a threaded task
 * holds (io_file, as fdget holds it: another thread may have closed the descriptor since),
 * else its descriptor's. */
static SimFile *call_file(const SimTask *t, const SimStmt *st)
{
	return t->io_file ? t->io_file : sim_fdt_get(&t->fdt, sim_interp_fd(t, st));
}

static SimSock *sock_of(const SimTask *t, const SimStmt *st, int *err)
{
	SimFile *f = call_file(t, st);
	*err = !f ? EBADF : f->kind != SIM_FILE_SOCK ? ENOTSOCK : 0;
	return *err ? NULL : f->sock;
}

static gboolean nonblocking(const SimTask *t, const SimStmt *st, guint flags)
{
	SimFile *f = call_file(t, st);
	return (f && (f->flags & SIM_O_NONBLOCK)) || (flags & SIM_MSG_DONTWAIT);
}

/* flags: the call's SIM_MSG_* (st->sock.flags for send and recv; read and write have none
 * of their own). */
static SimSockCtx sock_ctx(SimWorld *w, const SimTask *t, const SimStmt *st, guint flags)
{
	return (SimSockCtx){ .wake = &w->wake,
			     .flags = flags,
			     .nonblock = nonblocking(t, st, flags),
			     .signal_pending = t->sig_pending != 0 };
}

static const char *fd_word(SimWorld *w, const SimTask *t, const SimStmt *st)
{
	return sim_interp_fd_word(w, t, st, w->word, sizeof(w->word));
}

/* One traced event of a socket call: ret its result, value the bytes asked for, text and
 * tlen the data shown. */
typedef struct SockEv {
	SimTraceKind kind;
	const SimSock *s;
	int err;
	const char *why; /* blocked: why */
	gint64 ret, value;
	const char *text;
	gsize tlen;
} SockEv;

/* from: recv from's sender name, or NULL. */
static void trace_sock_from(SimWorld *w, const SimTask *t, const SimStmt *st, const SockEv *e,
			    const char *from)
{
	char state[160];
	SimTraceEvent ev;
	sim_interp_call_event_init(&ev, w, e->kind, t, st,
				   st->kind == SIM_STMT_SOCKETPAIR || st->kind == SIM_STMT_SOCKET
					   ? NULL
					   : fd_word(w, t, st),
				   NULL, e->err, e->why, -1);
	ev.ret = e->ret;
	ev.value = e->value;
	ev.text = e->text;
	ev.counts[0] = (gint64)e->tlen;
	ev.detail = sock_state(e->s, state, sizeof(state));
	ev.msg_from = from;
	sim_world_emit(w, &ev);
}

static void trace_sock(SimWorld *w, const SimTask *t, const SimStmt *st, const SockEv *e)
{
	trace_sock_from(w, t, st, e, NULL);
}

gsize sim_world_sock_put(SimWorld *w, SimSock *s, SimWakeList *wake)
{
	gsize freed = 0;
	sim_sock_addr_unbind(w, s);
	if (wake) {
		SimSockCtx c = { .wake = wake };
		sim_sock_close(s, &c);
		freed = c.pairs_freed * sizeof(SimSockPair);
	} else {
		/* The run is over: no effects, nobody to wake; what a listener never accepted
		 * goes with it. */
		s->closed = TRUE;
		SimSock *e;
		while ((e = g_queue_pop_head(&s->accq))) {
			e->closed = TRUE;
			if (sim_sock_pair_closed(e->pair))
				sim_sock_pair_free(e->pair);
		}
	}
	if (!sim_sock_pair_closed(s->pair))
		return freed;
	sim_sock_pair_free(s->pair);
	return freed + sizeof(SimSockPair);
}

static void socketpair_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	int fd0 = sim_fdt_alloc(&t->fdt, 0), fd1 = -1, err = 0;
	if (fd0 >= 0)
		fd1 = sim_fdt_alloc(&t->fdt, fd0 + 1);
	SimSockPair *sp = NULL;
	if (fd0 < 0 || fd1 < 0) {
		err = EMFILE;
	} else {
		char name[32];
		g_snprintf(name, sizeof(name), "sock#%u", ++w->n_socks);
		sp = sim_sock_pair_new(name, st->sock.type);
		sp->end[0].uid = sp->end[1].uid = t->cred.uid;
		sp->end[0].backlog = sp->end[1].backlog = w->ipcns.limits.max_dgram_qlen;
		w->mem += sizeof(SimSockPair);
		guint nb = st->sock.flags & SIM_O_NONBLOCK;
		for (int i = 0; i < 2; i++) {
			SimFile *f = sim_world_file_new(w, (SimFile){ .kind = SIM_FILE_SOCK,
								      .sock = &sp->end[i],
								      .flags = SIM_O_RDWR | nb,
								      .refs = 1 });
			sim_world_fd_install(w, t, i ? fd1 : fd0, f);
		}
	}
	SimVar *v = &t->vars[st->var];
	v->num = err ? -1 : fd0;
	v->num2 = err ? -1 : fd1;
	if (w->trace)
		trace_sock(w, t, st,
			   &(SockEv){ SIM_TR_CALL, sp ? &sp->end[0] : NULL, err, NULL, fd0, fd1,
				      NULL, 0 });
	sim_interp_finish(w, t, st, err, fd0);
}

/* A sendto's bytes: its text (literal, or expanded into scratch) and its size. */
static gsize send_src(SimWorld *w, const SimTask *t, const SimStmt *st, SimSockSrc *src)
{
	*src = (SimSockSrc){ NULL, 0 };
	if (st->text.literal) {
		src->text = st->text.literal;
		src->len = st->text.literal_len;
	} else if (st->text.n_parts) {
		sim_interp_expand(w, t, &st->text);
		src->text = w->scratch->str;
		src->len = w->scratch->len;
	}
	return st->sock.size >= 0 ? (gsize)st->sock.size : src->len;
}

/* A call that must wait on socket s: trace it and put the task to sleep. */
static void block_on_sock(SimWorld *w, SimTask *t, const SimStmt *st, const SockEv *e)
{
	sim_interp_blocked(w, st);
	if (w->trace)
		trace_sock(w, t, st, e);
	SIM_CHECK(sim_sock_check(e->s));
	sim_world_block(w, t, -1, e->s->pair->name, e->why);
	sim_world_wake_all(w, t, NULL);
}

/* A woken call: it was interrupted by a caught signal (restart it or fail with EINTR), or
 * it looks again. Returns TRUE when the call starts over from its first check. */
static gboolean interrupted(SimWorld *w, SimTask *t, int *err)
{
	*err = 0;
	if (!t->sig_pending)
		return FALSE;
	if (sim_interp_no_restart(t)) {
		*err = EINTR;
		return FALSE;
	}
	sim_interp_run_handlers(w, t);
	return TRUE;
}

/* The start of a call that may have slept: a new one is started and charged; a woken one
 * takes up again, after a handler's body when one runs first (FALSE: return now, the call
 * comes back), or as a new try when a signal interrupted it (*resuming FALSE; *err EINTR
 * without SA_RESTART). */
static gboolean enter(SimWorld *w, SimTask *t, const SimStmt *st, gboolean *resuming, int *err)
{
	*resuming = t->resuming;
	*err = 0;
	if (!*resuming) {
		sim_interp_started(w, st);
		sim_world_charge(w, w->scn->cost_syscall);
		return TRUE;
	}
	t->resuming = FALSE;
	if (sim_sigbody_restart_first(w, t))
		return FALSE; /* a handler's body runs first, then the call takes up again */
	if (interrupted(w, t, err))
		*resuming = FALSE;
	return TRUE;
}

/* send(2) of src's bytes repeated to n, with flags; write on a socket comes here too. */
/* sendto's address: a stream socket refuses one (unix_stream_sendmsg: EISCONN connected,
 * else EOPNOTSUPP), a seqpacket one drops it, a datagram one sends there; a name too long
 * for a sockaddr_un is EINVAL before anything. */
static int sendto_dest(SimWorld *w, const SimTask *t, SimSock *s, const char *to,
		       SimSockDest *dest, SimSockCtx *c)
{
	if (s->type == SIM_SOCK_STREAM)
		return s->state == SIM_SOCK_CONNECTED ? EISCONN : EOPNOTSUPP;
	if (s->type != SIM_SOCK_DGRAM)
		return 0;
	dest->given = TRUE;
	dest->to = sim_sock_addr_find(w, t, s->type, to, &dest->err);
	c->dest = dest;
	return dest->err == EINVAL ? EINVAL : 0;
}

static void send_core(SimWorld *w, SimTask *t, const SimStmt *st, const SimSockSrc *srcp,
		      gsize n, guint flags)
{
	gboolean resuming = t->resuming;
	SimSockSrc src = *srcp;
	gsize done = resuming ? t->io_done : 0;
	int err = 0;
	gboolean stop = FALSE; /* a signal ended a stream send that had moved bytes */
	guint8 yielded = t->yielded;
	/* Whether the call's first line is in the trace already (it slept once): its end is
	 * then a return. A send that only stopped between buffers has shown nothing yet. */
	gboolean shown = resuming && yielded != SIM_YIELD_UNSHOWN;
	t->yielded = 0;
	if (yielded) {
		t->resuming = FALSE; /* it never slept: a signal waits for its end, as the
				      * kernel's loop looks at one only when it would sleep */
	} else if (resuming && done && t->sig_pending) {
		t->resuming = FALSE;
		stop = TRUE; /* it returns their count; the handler runs on the way out */
	} else if (!enter(w, t, st, &resuming, &err)) {
		return;
	}
	if (!resuming)
		sim_world_file_release(w, t); /* a restarted call looks its descriptor up again */
	int lookup = 0;
	SimSock *s = sock_of(t, st, &lookup);
	if (!err)
		err = lookup;
	SimSockCtx c = sock_ctx(w, t, st, flags);
	SimSockDest dest = { 0 };
	if (s && !err && !stop && st->kind == SIM_STMT_SENDTO && st->sock.to)
		err = sendto_dest(w, t, s, st->sock.to, &dest, &c);
	c.split = w->stepped;
	if (s && !err && !stop)
		err = sim_sock_send(s, &c, &t->waiter, &src, n, &done);
	if (c.yielded) {
		/* Between two buffers: the task stays ready in the call, and whoever steps next
		 * (this send going on, or the reader it woke) is the explorer's choice. */
		t->io_done = done;
		t->resuming = TRUE;
		t->yielded = shown ? SIM_YIELD_SHOWN : SIM_YIELD_UNSHOWN;
		sim_world_file_hold(t, call_file(t, st));
		SIM_CHECK(sim_sock_check(s));
		sim_world_wake_all(w, t, NULL);
		return;
	}
	if (err == SIM_BLOCKED) {
		gboolean qfull = dest.to && t->waiter.queue == &dest.to->peer_wait;
		t->io_done = done;
		sim_world_file_hold(t, call_file(t, st));
		block_on_sock(w, t, st,
			      &(SockEv){ SIM_TR_CALL, qfull ? dest.to : s, 0,
					 qfull ? "receiver's queue full" : "send buffer full",
					 (gint64)done, (gint64)n, src.text, src.len });
		return;
	}
	t->io_done = 0;
	if (done) {
		t->n_sent++;
		sim_world_charge(w, sim_interp_cost(w, 0, done));
	}
	if (w->trace)
		trace_sock(w, t, st,
			   &(SockEv){ shown ? SIM_TR_RETURN : SIM_TR_CALL, s, err, NULL,
				      (gint64)done, (gint64)n, src.text, src.len });
	sim_interp_finish(w, t, st, err, (gint64)done);
	SIM_CHECK(!s || sim_sock_check(s));
	sim_world_file_release(w, t); /* may close the socket: s is not read after it */
	sim_world_wake_all(w, t, NULL);
	if (c.sigpipe)
		sim_world_signal(w, t, SIGPIPE);
}

static void sendto_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	SimSockSrc src;
	gsize n = send_src(w, t, st, &src);
	send_core(w, t, st, &src, n, st->sock.flags);
}

/* What a recv got, kept as a message when the statement has a variable. */
static void keep_bytes(SimWorld *w, SimTask *t, const SimStmt *st, GString *out)
{
	if (st->var >= 0 || t->received) {
		sim_interp_keep_bytes(w, t, st, out->str, out->len, out->len);
	} else {
		t->n_received++;
		sim_world_charge(w, sim_interp_cost(w, 0, out->len));
		if (w->out.text) { /* a hook wants the bytes even when nobody keeps them */
			w->out.got = TRUE;
			g_string_assign(w->out.text, out->str);
			w->out.size = out->len;
		}
	}
}

/* recv(2) of up to size bytes with flags; read on a socket comes here too. */
static void recv_core(SimWorld *w, SimTask *t, const SimStmt *st, gint64 size, guint flags)
{
	gboolean resuming;
	GString *out = w->scratch;
	int err;
	gsize ret = 0;
	g_string_truncate(out, 0);
	if (!enter(w, t, st, &resuming, &err))
		return;
	if (!resuming)
		sim_world_file_release(w, t); /* a restarted call looks its descriptor up again */
	int lookup = 0;
	SimSock *s = sock_of(t, st, &lookup);
	if (!err)
		err = lookup;
	SimSockCtx c = sock_ctx(w, t, st, flags);
	if (s && !err)
		err = sim_sock_recv(s, &c, &t->waiter, (gsize)size, out, &ret);
	if (err == SIM_BLOCKED) {
		sim_world_file_hold(t, call_file(t, st));
		block_on_sock(w, t, st,
			      &(SockEv){ SIM_TR_CALL, s, 0, "nothing to read", 0, size,
					 NULL, 0 });
		return;
	}
	g_autofree char *from = g_steal_pointer(&c.from);
	if (!err && (out->len || (s && s->type != SIM_SOCK_STREAM && ret)))
		keep_bytes(w, t, st, out);
	w->out.type = from != NULL; /* the cross-check compares whether the sender is named */
	if (w->trace) {
		/* A record of 0 bytes is data, not the end of file: show it as such. */
		const char *text = !err && (out->len ||
					    (s && s->type != SIM_SOCK_STREAM && size > 0 &&
					     ret == 0 && !(s->shut & SIM_SOCK_RCV_SHUTDOWN)))
					   ? out->str
					   : NULL;
		trace_sock_from(w, t, st,
				&(SockEv){ resuming ? SIM_TR_RETURN : SIM_TR_CALL, s, err, NULL,
					   (gint64)ret, size, text, out->len },
				from);
	}
	if (st->kind == SIM_STMT_READ && st->file.fill >= 0 && !err) /* read D fill=B */
		sim_interp_untouched(w, t, st, st->file.size - (gint64)ret);
	sim_interp_finish(w, t, st, err, (gint64)ret);
	SIM_CHECK(!s || sim_sock_check(s));
	sim_world_file_release(w, t); /* may close the socket: s is not read after it */
	sim_world_wake_all(w, t, NULL);
}

static void recv_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	recv_core(w, t, st, st->sock.size, st->sock.flags);
}

gboolean sim_call_sock_reads_now(const SimTask *t, const SimStmt *st, gint64 ret)
{
	gint64 size;
	if (st->kind == SIM_STMT_RECV && !(st->sock.flags & SIM_MSG_PEEK))
		size = st->sock.size;
	else if (st->kind == SIM_STMT_READ)
		size = st->file.size;
	else
		return FALSE;
	int lookup = 0;
	const SimSock *s = sock_of(t, st, &lookup);
	if (!s || lookup || s->type != SIM_SOCK_STREAM || !s->rcv_bytes)
		return FALSE;
	return ret == MIN(size, (gint64)s->rcv_bytes); /* a stream recv takes what is there */
}

/* read and write on a socket descriptor are recv and send with no flags (sock_read_iter,
 * sock_write_iter); O_NONBLOCK, or RWF_NOWAIT, makes them MSG_DONTWAIT. A read of 0 bytes
 * returns 0 before it looks at the socket at all, where a write of 0 bytes is a send of 0
 * (an empty datagram, or EPIPE on a stream that is shut for sending). */
void sim_call_sock_read(SimWorld *w, SimTask *t, const SimStmt *st)
{
	if (st->file.size == 0 && !t->resuming) {
		sim_interp_started(w, st);
		sim_world_charge(w, w->scn->cost_syscall);
		if (w->trace)
			trace_sock(w, t, st, &(SockEv){ SIM_TR_CALL, NULL, 0, NULL, 0, 0, NULL, 0 });
		sim_interp_finish(w, t, st, 0, 0);
		return;
	}
	recv_core(w, t, st, st->file.size, st->file.nowait ? SIM_MSG_DONTWAIT : 0);
}

void sim_call_sock_write(SimWorld *w, SimTask *t, const SimStmt *st, const char *text,
			 gsize len, gsize n)
{
	SimSockSrc src = { text, len };
	send_core(w, t, st, &src, n, st->file.nowait ? SIM_MSG_DONTWAIT : 0);
}

static void shutdown_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	int err = 0;
	SimSock *s = sock_of(t, st, &err);
	if (s) {
		SimSockCtx c = { .wake = &w->wake };
		err = sim_sock_shutdown(s, &c, st->sock.how);
	}
	if (w->trace)
		trace_sock(w, t, st, &(SockEv){ SIM_TR_CALL, s, err, NULL, 0, 0, NULL, 0 });
	sim_interp_returned(w, t, st, err);
	SIM_CHECK(!s || sim_sock_check(s));
	sim_world_wake_all(w, t, NULL);
}

/* A sendto or recv whose task dies: kill took it off the wait list already; a stream send
 * that moved bytes leaves them where they are, as the kernel does. */
static void sock_abandon(SimWorld *w, SimTask *t, const SimStmt *st)
{
	(void)st;
	g_assert(t->waiter.queue == NULL);
	t->io_done = 0;
	t->yielded = 0;
	sim_world_file_release(w, t);
}

/* -- socket, bind, listen, accept, connect -- */

static void socket_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	int fd = sim_fdt_alloc(&t->fdt, 0), err = fd < 0 ? EMFILE : 0;
	SimSockPair *sp = NULL;
	if (!err) {
		char name[32];
		g_snprintf(name, sizeof(name), "sock#%u", ++w->n_socks);
		sp = sim_sock_new(name, st->sock.type);
		sp->end[0].uid = t->cred.uid;
		/* unix_create1: sk_max_ack_backlog is net.unix.max_dgram_qlen until a listen */
		sp->end[0].backlog = sp->end[1].backlog = w->ipcns.limits.max_dgram_qlen;
		w->mem += sizeof(SimSockPair);
		SimFile *f = sim_world_file_new(
			w, (SimFile){ .kind = SIM_FILE_SOCK,
				      .sock = &sp->end[0],
				      .flags = SIM_O_RDWR | (st->sock.flags & SIM_O_NONBLOCK),
				      .refs = 1 });
		sim_world_fd_install(w, t, fd, f);
	}
	if (st->var >= 0)
		t->vars[st->var].num = err ? -1 : fd;
	if (w->trace)
		trace_sock(w, t, st,
			   &(SockEv){ SIM_TR_CALL, sp ? &sp->end[0] : NULL, err, NULL, fd, 0, NULL,
				      0 });
	sim_interp_finish(w, t, st, err, err ? -1 : fd);
}

static void bind_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	int err = 0;
	SimSock *s = sock_of(t, st, &err);
	if (s)
		err = sim_sock_addr_bind(w, t, s, st->text.literal);
	if (w->trace)
		trace_sock(w, t, st, &(SockEv){ SIM_TR_CALL, s, err, NULL, 0, 0, NULL, 0 });
	sim_interp_returned(w, t, st, err);
}

static void listen_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	int err = 0;
	SimSock *s = sock_of(t, st, &err);
	if (s) {
		SimSockCtx c = { .wake = &w->wake };
		err = sim_sock_listen(s, &c, st->sock.backlog);
	}
	if (w->trace)
		trace_sock(w, t, st, &(SockEv){ SIM_TR_CALL, s, err, NULL, 0, 0, NULL, 0 });
	sim_interp_returned(w, t, st, err);
	sim_world_wake_all(w, t, NULL);
}

/* accept4: the descriptor is looked up, then a free number taken (EMFILE), then the
 * connection; a woken accept looks again. */
static void accept_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	gboolean resuming;
	int err;
	if (!enter(w, t, st, &resuming, &err))
		return;
	int lookup = 0, fd = -1;
	SimSock *s = sock_of(t, st, &lookup), *got = NULL;
	if (!err)
		err = lookup;
	if (!err && (fd = sim_fdt_alloc(&t->fdt, 0)) < 0)
		err = EMFILE;
	SimSockCtx c = sock_ctx(w, t, st, st->sock.flags);
	if (!err)
		err = sim_sock_accept(s, &c, &t->waiter, &got);
	if (err == SIM_BLOCKED) {
		block_on_sock(w, t, st,
			      &(SockEv){ SIM_TR_CALL, s, 0, "no connection", 0, 0, NULL, 0 });
		return;
	}
	if (got) {
		got->uid = t->cred.uid; /* accept's new socket is the acceptor's */
		SimFile *f = sim_world_file_new(w, (SimFile){ .kind = SIM_FILE_SOCK,
							      .sock = got,
							      .flags = SIM_O_RDWR,
							      .refs = 1 });
		sim_world_fd_install(w, t, fd, f);
	}
	if (st->var >= 0)
		t->vars[st->var].num = err ? -1 : fd;
	if (w->trace)
		trace_sock(w, t, st,
			   &(SockEv){ resuming ? SIM_TR_RETURN : SIM_TR_CALL, got ? got : s, err,
				      NULL, err ? -1 : fd, 0, NULL, 0 });
	sim_interp_finish(w, t, st, err, err ? -1 : fd);
	sim_world_wake_all(w, t, NULL);
}

static void connect_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	gboolean resuming;
	int err;
	if (!enter(w, t, st, &resuming, &err))
		return;
	int lookup = 0;
	SimSock *s = sock_of(t, st, &lookup), *to = NULL;
	if (!err)
		err = lookup;
	SimSockCtx c = sock_ctx(w, t, st, st->sock.flags);
	if (!err) {
		/* unix_find_other comes first: a name nobody has, ECONNREFUSED; a path's
		 * own errors (ENOENT, EACCES, EPROTOTYPE). */
		to = sim_sock_addr_find(w, t, s->type, st->text.literal, &err);
		if (!err && s->type == SIM_SOCK_DGRAM)
			err = sim_sock_dgram_connect(s, to);
		else if (!err)
			err = sim_sock_connect(s, to, &c, &t->waiter);
	}
	if (err == SIM_BLOCKED) {
		block_on_sock(w, t, st,
			      &(SockEv){ SIM_TR_CALL, to, 0, "backlog full", 0, 0, NULL, 0 });
		return;
	}
	if (w->trace)
		trace_sock(w, t, st,
			   &(SockEv){ resuming ? SIM_TR_RETURN : SIM_TR_CALL, s, err, NULL, 0, 0,
				      NULL, 0 });
	sim_interp_returned(w, t, st, err);
	sim_world_wake_all(w, t, NULL);
}

/* ---- Footprint ---- */

static void socketpair_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st,
				 SimFootprint *fp)
{
	(void)w, (void)st;
	sim_call_fp_self(fp, t, FALSE);
	sim_footprint_add(fp, SIM_OBJ_FDT, (guint64)t->id, TRUE);
}

/* sendto, recv, shutdown: the pair behind the descriptor, which they all change (a peek
 * changes nothing, but reads what the others change). */
static void sock_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st, SimFootprint *fp)
{
	(void)w;
	sim_call_fp_self(fp, t, FALSE);
	sim_footprint_add(fp, SIM_OBJ_FDT, (guint64)t->id, FALSE);
	const SimFile *f = sim_fdt_get(&t->fdt, sim_interp_fd(t, st));
	gboolean changes = !(st->kind == SIM_STMT_RECV && (st->sock.flags & SIM_MSG_PEEK));
	if (f && f->kind == SIM_FILE_SOCK)
		sim_call_fp_file(fp, f, changes);
	else
		sim_footprint_add(fp, SIM_OBJ_PIPE, SIM_OBJ_ALL, changes);
	/* A datagram socket of its own sends to, and frees the buffers of, sockets of other
	 * pairs (an address, its peer, the senders of what it reads): all of them, then. */
	if (f && f->kind == SIM_FILE_SOCK && f->sock->type == SIM_SOCK_DGRAM && f->sock->pair->solo)
		sim_footprint_add(fp, SIM_OBJ_PIPE, SIM_OBJ_ALL, changes);
	if (st->kind == SIM_STMT_SENDTO && st->sock.to)
		sim_footprint_add(fp, SIM_OBJ_PATH, g_str_hash(st->sock.to), FALSE);
}

/* bind, connect: the socket's pair and the name (as a path-kind object: names and paths
 * never meet). A connect also changes the listener's queue, which it reaches by the name:
 * every pair stands for it, conservatively. */
static void named_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st,
			    SimFootprint *fp)
{
	sock_footprint(w, t, st, fp);
	sim_footprint_add(fp, SIM_OBJ_PATH, g_str_hash(st->text.literal), TRUE);
	if (st->kind == SIM_STMT_CONNECT)
		sim_footprint_add(fp, SIM_OBJ_PIPE, SIM_OBJ_ALL, TRUE);
}

/* accept: the listener's pair, the connection it takes (whose pair is another: all of
 * them, conservatively) and a new descriptor. */
static void accept_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st,
			     SimFootprint *fp)
{
	sock_footprint(w, t, st, fp);
	sim_footprint_add(fp, SIM_OBJ_FDT, (guint64)t->id, TRUE);
	sim_footprint_add(fp, SIM_OBJ_PIPE, SIM_OBJ_ALL, TRUE);
}

/* ---- Deadlock report ---- */

/* A socket call's wait object is its pair, which the report knows as a pipe-kind object
 * but cannot name yet: it reaches no pipe, so it never counts as the releaser of a task
 * stuck on a pipe. */
static gboolean sock_reaches(const SimWorld *w, const SimTask *t, const SimStmt *st,
			     const SimObjRef *obj)
{
	(void)w, (void)t, (void)st, (void)obj;
	return FALSE;
}

/* ---- Cross-check ---- */

/* socketpair, socket: the type, with SOCK_NONBLOCK when the scenario asks for it. */
static gboolean typed_replay(SimReplay *r)
{
	r->c->op = r->st->kind == SIM_STMT_SOCKETPAIR ? SIM_REAL_SOCKETPAIR : SIM_REAL_SOCKET;
	r->c->a[1] = r->st->sock.type | (r->st->sock.flags & SIM_O_NONBLOCK ? SOCK_NONBLOCK : 0);
	return TRUE;
}

/* send(2): the text repeated to the size asked ('x' when there is no text), as the model
 * sends it. */
static gboolean sendto_replay(SimReplay *r)
{
	xc_replay_fd(r, SIM_REAL_SEND);
	if (!xc_replay_bytes(r, r->st->sock.size, "send"))
		return FALSE;
	r->c->a[2] = r->st->sock.flags;
	const char *to = r->st->sock.to;
	if (to) {
		/* sendto(2): the address after the bytes (a[3] of them), with a[4] 1 for an
		 * abstract name (its '@' dropped) and 2 for a path (made the sandbox's). */
		g_autoptr(GString) name = g_string_new(sim_sock_name_is_abstract(to) ? to + 1 : to);
		if (!sim_sock_name_is_abstract(to))
			sim_real_sandbox_encode_path(name);
		r->c->a[3] = (gint64)r->data->len;
		r->c->a[4] = sim_sock_name_is_abstract(to) ? 1 : 2;
		g_string_append_len(r->data, name->str, (gssize)name->len);
	}
	return TRUE;
}

static gboolean recv_replay(SimReplay *r)
{
	xc_replay_fd(r, SIM_REAL_RECV);
	r->c->a[1] = r->st->sock.size;
	r->c->a[2] = r->st->sock.flags & ~SIM_RECV_FROM;
	r->c->a[3] = (r->st->sock.flags & SIM_RECV_FROM) != 0; /* recvfrom with an address */
	return TRUE;
}

static gboolean shutdown_replay(SimReplay *r)
{
	xc_replay_fd(r, SIM_REAL_SHUTDOWN);
	r->c->a[1] = r->st->sock.how;
	return TRUE;
}

/* bind, connect: an abstract name without its '@', which the worker makes the run's own;
 * a path (a[1] = 1) made one name in the run's sandbox directory, as mkfifo's is. */
static gboolean named_replay(SimReplay *r)
{
	const char *name = r->st->text.literal;
	xc_replay_fd(r, r->st->kind == SIM_STMT_BIND ? SIM_REAL_BIND : SIM_REAL_CONNECT);
	if (sim_sock_name_is_abstract(name)) {
		g_string_assign(r->data, name + 1);
		return TRUE;
	}
	g_string_assign(r->data, name);
	sim_real_sandbox_encode_path(r->data);
	r->c->a[1] = 1;
	return TRUE;
}

static gboolean listen_replay(SimReplay *r)
{
	xc_replay_fd(r, SIM_REAL_LISTEN);
	r->c->a[1] = r->st->sock.backlog;
	return TRUE;
}

static gboolean accept_replay(SimReplay *r)
{
	return xc_replay_fd(r, SIM_REAL_ACCEPT);
}

static void socketpair_model_cell(SimModelCell *mc)
{
	xc_model_ret2(mc, "fd2", mc->t->vars[mc->st->var].num2);
}

static void socketpair_kernel_cell(SimKernelCell *kc)
{
	xc_kernel_ret2(kc, "fd2");
}

/* recv from: whether the sender had a name is compared besides the bytes (the names
 * themselves are the run's own on the kernel's side). */
static void recv_model_cell(SimModelCell *mc)
{
	xc_model_data(mc);
	if (mc->st->kind == SIM_STMT_RECV && (mc->st->sock.flags & SIM_RECV_FROM))
		xc_model_ret2(mc, "named", sim_world_call_out(mc->w)->type);
}

/* With MSG_TRUNC a record's recv returns more than it copied: the bytes compared are those
 * copied, at most the buffer's size. */
static void recv_kernel_cell(SimKernelCell *kc)
{
	SimRealResult copied = *kc->r;
	copied.ret = MIN(copied.ret, kc->st->sock.size);
	const SimRealResult *r = kc->r;
	kc->r = &copied;
	xc_kernel_data(kc);
	kc->r = r;
	if (kc->st->kind == SIM_STMT_RECV && (kc->st->sock.flags & SIM_RECV_FROM))
		xc_kernel_ret2(kc, "named");
}

/* ---- The rows ---- */

#define SOCK_ROW(k, word, text, result, json, ...)                                         \
	{                                                                                  \
		.kind = (k), .name = (word), .family = SIM_CALL_SOCK, .text_call = (text), \
		.text_result = (result), .json_result = (json), __VA_ARGS__                \
	}

const SimCallDesc sim_call_sock_rows[] = {
	SOCK_ROW(SIM_STMT_SOCKETPAIR, "socketpair", socketpair_text, socketpair_result,
		 socketpair_json, .exec = socketpair_exec, .parse = socketpair_parse,
		 .real_name = "socketpair", .replay = typed_replay,
		 .model_cell = socketpair_model_cell, .kernel_cell = socketpair_kernel_cell,
		 .footprint = socketpair_footprint),
	SOCK_ROW(SIM_STMT_SENDTO, "sendto", sendto_text, sendto_result, sim_call_json_ret,
		 .nowait = sock_nowait, .exec = sendto_exec, .abandon = sock_abandon,
		 .parse = sendto_parse, .real_name = "send", .replay = sendto_replay,
		 .xc_flags = SIM_CALL_XC_PATH, /* to= names an address of the run's own */
		 .footprint = sock_footprint, .blocks = TRUE, .wait_role = SIM_WAIT_PUTS,
		 .wait_obj = SIM_OBJ_PIPE, .reaches = sock_reaches),
	SOCK_ROW(SIM_STMT_RECV, "recv", recv_text, recv_result, recv_json, .nowait = sock_nowait,
		 .exec = recv_exec, .abandon = sock_abandon, .parse = recv_parse,
		 .real_name = "recv", .replay = recv_replay, .model_cell = recv_model_cell,
		 .kernel_cell = recv_kernel_cell, .footprint = sock_footprint, .blocks = TRUE,
		 .wait_role = SIM_WAIT_TAKES, .wait_obj = SIM_OBJ_PIPE, .reaches = sock_reaches),
	SOCK_ROW(SIM_STMT_SOCKET, "socket", socket_text, fd_result, sim_call_json_ret,
		 .exec = socket_exec, .parse = socket_parse, .real_name = "socket",
		 .replay = typed_replay, .footprint = socketpair_footprint),
	SOCK_ROW(SIM_STMT_BIND, "bind", named_text, plain_result, sim_call_json_ret,
		 .exec = bind_exec, .parse = named_parse, .real_name = "bind",
		 .xc_flags = SIM_CALL_XC_PATH, .replay = named_replay,
		 .footprint = named_footprint),
	SOCK_ROW(SIM_STMT_LISTEN, "listen", listen_text, plain_result, sim_call_json_ret,
		 .exec = listen_exec, .parse = listen_parse, .real_name = "listen",
		 .replay = listen_replay, .footprint = sock_footprint),
	SOCK_ROW(SIM_STMT_ACCEPT, "accept", accept_text, fd_result, sim_call_json_ret,
		 .exec = accept_exec, .abandon = sock_abandon, .parse = accept_parse,
		 .real_name = "accept4", .replay = accept_replay, .footprint = accept_footprint,
		 .blocks = TRUE, .wait_role = SIM_WAIT_TAKES, .wait_obj = SIM_OBJ_PIPE,
		 .reaches = sock_reaches),
	SOCK_ROW(SIM_STMT_CONNECT, "connect", named_text, plain_result, sim_call_json_ret,
		 .exec = connect_exec, .abandon = sock_abandon, .parse = named_parse,
		 .xc_flags = SIM_CALL_XC_PATH, .real_name = "connect", .replay = named_replay,
		 .footprint = named_footprint, .blocks = TRUE, .wait_role = SIM_WAIT_PUTS,
		 .wait_obj = SIM_OBJ_PIPE, .reaches = sock_reaches),
	SOCK_ROW(SIM_STMT_SHUTDOWN, "shutdown", shutdown_text, plain_result, sim_call_json_ret,
		 .exec = shutdown_exec, .parse = shutdown_parse, .real_name = "shutdown",
		 .replay = shutdown_replay, .footprint = sock_footprint),
};
const guint sim_call_sock_n_rows = G_N_ELEMENTS(sim_call_sock_rows);
