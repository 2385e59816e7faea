/* call_poll.c — the files family's readiness calls: poll and select (fs/select.c).
 *
 * Each descriptor's readiness is its file's poll method, as Linux 6.x writes it:
 *   pipe, FIFO    pipe_poll: a reader sees POLLIN|POLLRDNORM while a slot holds data and
 *                 POLLHUP when no writer is left (a FIFO opened O_RDONLY|O_NONBLOCK with no
 *                 writer only once one has come since); a writer sees POLLOUT|POLLWRNORM
 *                 while a slot is free and POLLERR when no reader is left
 *   POSIX queue   mqueue_poll_file: POLLIN|POLLRDNORM with a message queued, POLLOUT|
 *                 POLLWRNORM while it is not full, whatever the descriptor's access mode
 *   stream socket unix_poll: POLLERR for a pending error, POLLHUP when both directions are
 *                 shut or it is unconnected, POLLRDHUP|POLLIN|POLLRDNORM when its reading
 *                 side is shut, POLLIN with a buffer (or a connection) queued, and
 *                 POLLOUT|POLLWRNORM|POLLWRBAND while what it sent and its peer has not read
 *                 takes at most a quarter of its send buffer (not on a listener)
 *   dgram,        unix_dgram_poll: the same, but an unconnected datagram socket is no
 *   seqpacket     POLLHUP (an unconnected seqpacket one is)
 * poll keeps of each mask the events asked plus POLLERR and POLLHUP; a descriptor that is
 * not open gives POLLNVAL and a negative one is skipped; the result counts the entries with
 * something to show. select puts a descriptor in its read set for POLLIN, POLLRDNORM,
 * POLLRDBAND, POLLHUP or POLLERR, in its write set for POLLOUT, POLLWRNORM, POLLWRBAND or
 * POLLERR, in its except set for POLLPRI, and counts the bits; a descriptor of a set that
 * is not open is EBADF.
 *
 * The one design choice to know: a blocked poll is not put on the wait queues of the
 * objects it watches. It sleeps on one queue of the world's (w->pollers), and after every
 * step each task there is asked again and woken once something it watches is ready
 * (sim_call_poll_recheck). A step is the only place where an object changes, so this wakes
 * a poller exactly when the kernel's wake-ups on pipe->rd_wait, info->wait_q or the
 * socket's sk_sleep would, without a wait entry per descriptor; and like the kernel's
 * do_poll, a woken poller scans again and sleeps again when what woke it is gone.
 */
#define _GNU_SOURCE /* POLLRDHUP */

#include "calls/call_int.h"

#include <errno.h>
#include <poll.h>
#include <string.h>

#include "engine/interp_int.h"
#include "msgsim/kernel/pipe.h"
#include "lang/scn_int.h"
#include "real/xcheck_int.h"

#include "msgsim/kernel/mqueue.h"
#include "msgsim/kernel/sock.h"

/* select's sets, as fs/select.c's POLLIN_SET, POLLOUT_SET and POLLEX_SET. */
#define IN_SET (POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR)
#define OUT_SET (POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR)
#define EX_SET (POLLPRI)

/* ---- Readiness ---- */

static guint pipe_mask(const SimFile *f)
{
	const SimPipe *p = f->pipe;
	guint acc = f->flags & (SIM_O_RDONLY | SIM_O_WRONLY | SIM_O_RDWR), m = 0;
	if (acc != SIM_O_WRONLY) {
		if (sim_pipe_used(p))
			m |= POLLIN | POLLRDNORM;
		if (!p->writers && f->poll_wver != p->w_counter)
			m |= POLLHUP;
	}
	if (acc != SIM_O_RDONLY) {
		if (sim_pipe_used(p) < p->max_usage)
			m |= POLLOUT | POLLWRNORM;
		if (!p->readers)
			m |= POLLERR;
	}
	return m;
}

static guint mq_mask(const SimMqueue *q)
{
	guint m = q->curmsgs ? POLLIN | POLLRDNORM : 0;
	if ((gint64)q->curmsgs < q->maxmsg)
		m |= POLLOUT | POLLWRNORM;
	return m;
}

/* unix_poll and unix_dgram_poll; sk_wmem_alloc counts one more than the buffers sent. */
static guint sock_mask(const SimSock *s)
{
	guint m = 0;
	gboolean listening = s->state == SIM_SOCK_LISTENING;
	if (s->err)
		m |= POLLERR;
	if (s->shut == (SIM_SOCK_RCV_SHUTDOWN | SIM_SOCK_SEND_SHUTDOWN))
		m |= POLLHUP;
	if (s->shut & SIM_SOCK_RCV_SHUTDOWN)
		m |= POLLRDHUP | POLLIN | POLLRDNORM;
	if (s->rcvq.length || (listening && s->accq.length))
		m |= POLLIN | POLLRDNORM;
	if (s->state == SIM_SOCK_UNCONNECTED && s->type != SIM_SOCK_DGRAM)
		m |= POLLHUP;
	if (!listening && ((guint64)s->wmem + 1) * 4 <= (guint64)s->sndbuf)
		m |= POLLOUT | POLLWRNORM | POLLWRBAND;
	return m;
}

/* Everything the file's poll method reports, as if every event were asked. */
static guint file_mask(const SimFile *f)
{
	switch (f->kind) {
	case SIM_FILE_PIPE:
		return pipe_mask(f);
	case SIM_FILE_MQ:
		return mq_mask(f->mq);
	case SIM_FILE_SOCK:
		return sock_mask(f->sock);
	}
	return 0;
}

/* The descriptor entry e of st names for t: -1 for a variable that holds no descriptor. */
static gint64 entry_fd(const SimTask *t, const SimPollFd *e)
{
	if (e->ep.kind == SIM_EP_FDNUM)
		return e->ep.index;
	const SimVar *v = &t->vars[e->ep.index];
	return e->ep.fd_end == SIM_FD_WRITE ? v->num2 : v->num;
}

static const SimFile *entry_file(const SimTask *t, const SimPollFd *e)
{
	gint64 fd = entry_fd(t, e);
	return fd >= 0 && fd <= G_MAXINT ? sim_fdt_get(&t->fdt, fd) : NULL;
}

/* What entry i of a poll shows: its revents. */
static guint poll_revents(const SimTask *t, const SimPollFd *e)
{
	gint64 fd = entry_fd(t, e);
	if (fd < 0 || fd > G_MAXINT32)
		return 0; /* the kernel reads an int: a negative one is skipped */
	const SimFile *f = sim_fdt_get(&t->fdt, fd);
	if (!f)
		return POLLNVAL;
	return file_mask(f) & (((guint)e->events & 0xffff) | POLLERR | POLLHUP);
}

/* Was entry i's descriptor, in set `bit`, already counted by an earlier entry (the same
 * descriptor written twice in one set is one bit of it)? */
static gboolean counted_before(const SimTask *t, const SimStmt *st, guint i, guint bit)
{
	gint64 fd = entry_fd(t, &st->poll.fds[i]);
	for (guint j = 0; j < i; j++)
		if ((st->poll.fds[j].events & bit) && entry_fd(t, &st->poll.fds[j]) == fd)
			return TRUE;
	return FALSE;
}

/* What entry i of a select shows: the sets it is ready in (SIM_SELECT_*), each once. */
static guint select_ready(const SimTask *t, const SimStmt *st, guint i)
{
	const SimPollFd *e = &st->poll.fds[i];
	const SimFile *f = entry_file(t, e);
	if (!f)
		return 0; /* closed while it slept: do_select skips it */
	guint m = file_mask(f), r = 0;
	static const guint sets[] = { IN_SET, OUT_SET, EX_SET };
	for (guint k = 0; k < 3; k++) {
		guint bit = 1u << k;
		if ((e->events & bit) && (m & sets[k]) && !counted_before(t, st, i, bit))
			r |= bit;
	}
	return r;
}

/* One scan of every entry: each one's answer in out[i] (may be NULL), and the call's
 * count (entries with revents for poll, bits for select). */
static gint64 scan(const SimTask *t, const SimStmt *st, guint *out)
{
	gint64 count = 0;
	for (guint i = 0; i < st->poll.n; i++) {
		guint r = st->kind == SIM_STMT_POLL ? poll_revents(t, &st->poll.fds[i])
						    : select_ready(t, st, i);
		if (out)
			out[i] = r;
		count += st->kind == SIM_STMT_POLL ? (r != 0) : __builtin_popcount(r);
	}
	return count;
}

/* The checks before the first scan: poll's nfds against RLIMIT_NOFILE (EINVAL); select's
 * timeout (EINVAL: a negative timeval) and its descriptors (EBADF: max_select_fd). */
static int precheck(const SimTask *t, const SimStmt *st)
{
	if (st->kind == SIM_STMT_POLL)
		return (gint64)st->poll.n > t->fdt.nofile ? EINVAL : 0;
	if (!st->poll.forever && st->poll.timeout < 0)
		return EINVAL;
	for (guint i = 0; i < st->poll.n; i++)
		if (!entry_file(t, &st->poll.fds[i]))
			return EBADF;
	return 0;
}

void sim_call_poll_recheck(SimWorld *w, const SimTask *waker)
{
	SimWaiter *x = sim_waitq_first(&w->pollers), *next;
	for (; x; x = next) {
		next = x->next;
		const SimTask *t = &w->tasks[x->task];
		if (scan(t, t->prog->code[t->pc].stmt, NULL) > 0)
			sim_waitq_wake(&w->wake, x, 0);
	}
	sim_world_wake_all(w, waker, NULL);
}

gboolean sim_call_has_deadline(const SimStmt *st)
{
	const SimCallDesc *d = sim_call_desc(st->kind);
	if (!(d->xc_flags & SIM_CALL_XC_TIMED))
		return FALSE;
	if (st->kind == SIM_STMT_POLL || st->kind == SIM_STMT_SELECT)
		return st->poll.timeout > 0 && !(st->kind == SIM_STMT_SELECT && st->poll.forever);
	SimTimeoutKind k = d->family == SIM_CALL_SEM
				   ? SIM_STMT_ARGS(st, SIM_CALL_SEM, sem).timeout
				   : SIM_STMT_ARGS(st, SIM_CALL_POSIX, mq).timeout;
	return k == SIM_TIMEOUT_RELATIVE || k == SIM_TIMEOUT_ABSOLUTE;
}

guint sim_call_poll_files(const SimTask *t, const SimStmt *st, const SimFile **out, guint max)
{
	guint n = 0;
	for (guint i = 0; i < st->poll.n && n < max; i++) {
		const SimFile *f = entry_file(t, &st->poll.fds[i]);
		if (f)
			out[n++] = f;
	}
	return n;
}

/* ---- Parsing ---- */

/* The event bits by the names the scenario and the trace write. */
static const struct {
	guint bit;
	const char *name;
} event_names[] = {
	{ POLLIN, "POLLIN" },	      { POLLPRI, "POLLPRI" },	    { POLLOUT, "POLLOUT" },
	{ POLLERR, "POLLERR" },	      { POLLHUP, "POLLHUP" },	    { POLLNVAL, "POLLNVAL" },
	{ POLLRDNORM, "POLLRDNORM" }, { POLLRDBAND, "POLLRDBAND" }, { POLLWRNORM, "POLLWRNORM" },
	{ POLLWRBAND, "POLLWRBAND" }, { POLLMSG, "POLLMSG" },	    { POLLRDHUP, "POLLRDHUP" },
};

static const char *const set_names[] = { "read", "write", "except" };

/* One descriptor of a list: a number, an integer variable or a pipe end, as the file calls
 * take it (scn_take_fd), but never an expression (its value would have no field to go to). */
static gboolean take_entry_fd(Parser *p, SimStmt *st, const char *how, SimEndpoint *ep)
{
	if (scn_at_expr(p))
		return scn_expected(p,
				    "a descriptor in the list of '%s': a number, a variable "
				    "or a pipe end (an expression is not taken here)",
				    how);
	SimEndpoint keep = st->ep;
	gboolean ok = scn_take_fd(p, st, how, NULL);
	*ep = st->ep;
	st->ep = keep;
	/* A select set is an fd_set: a bit per descriptor from 0, and FD_SET(-1) is undefined
	 * in C, so no program hands the kernel a negative one to refuse. poll's list holds
	 * ints, and skips a negative one. */
	if (ok && st->kind == SIM_STMT_SELECT && ep->kind == SIM_EP_FDNUM && ep->index < 0)
		return scn_fail_at(p, ep->loc, E_MISUSE,
				   "descriptor %d in select's %s set: an fd_set holds descriptors "
				   "from 0 up (FD_SET of a negative one is undefined in C), so "
				   "no select call can name it; poll skips a negative descriptor",
				   ep->index, how);
	return ok;
}

/* EVENTS: names joined by '|' (POLLIN|POLLOUT), or a number from 0 to 0xffff. */
static gboolean take_events(Parser *p, gint64 *out)
{
	*out = 0;
	for (;;) {
		const Tok *t = tok(p);
		gint64 v = -1;
		for (guint i = 0; t->kind == TOK_WORD && i < G_N_ELEMENTS(event_names); i++)
			if (strcmp(t->text, event_names[i].name) == 0)
				v = event_names[i].bit;
		if (v >= 0)
			advance(p);
		else if (!is_number_word(t))
			return scn_expected(p, "poll events after the descriptor: POLLIN, POLLOUT, "
					       "POLLPRI, POLLRDHUP ... joined by '|', or a number");
		else if (!scn_take_int(p, "events", "in the list of 'poll'", 0, 0xffff, &v))
			return FALSE;
		*out |= v;
		if (!is_char(tok(p), '|'))
			return TRUE;
		advance(p);
	}
}

/* '[' ITEM {',' ITEM} ']' with each ITEM a descriptor, and for poll its events, appended to
 * fds; `set` is the select set the list is (0 for poll). */
static gboolean take_list(Parser *p, SimStmt *st, const char *how, guint set, GArray *fds)
{
	if (!is_char(tok(p), '['))
		return scn_expected(p, "'[' to open the descriptors of '%s'%s", how,
				    set ? "" : ", as in poll [p.r POLLIN, q POLLOUT]");
	advance(p);
	for (guint n = 0; !is_char(tok(p), ']'); n++) {
		if (n && !is_char(tok(p), ','))
			return scn_expected(p, "',' or ']' in the list of '%s'", how);
		if (n)
			advance(p);
		SimPollFd e = { .events = set };
		if (!take_entry_fd(p, st, how, &e.ep) || (!set && !take_events(p, &e.events)))
			return FALSE;
		g_array_append_val(fds, e);
	}
	advance(p);
	return TRUE;
}

/* timeout=MS: an int of milliseconds, as both calls' C callers write it. */
static gboolean take_timeout(Parser *p, Opts *o, int k, void *obj)
{
	(void)o, (void)k;
	SimStmt *st = obj;
	const Tok *t = tok(p);
	if (!is_number_word(t) && !at_negative(p))
		return scn_expected(p, "a whole number of milliseconds after 'timeout='");
	SimTime unit;
	if (is_number_word(t) && strspn(t->text, "0123456789") < strlen(t->text) &&
	    sim_time_parse(t->text, &unit))
		return scn_fail_tok(p, t, E_NUMBER,
				    "bad timeout '%s': expected a whole number of milliseconds, "
				    "as poll(2) and select(2) take them (-1: for ever)",
				    t->text);
	gint64 v;
	if (!scn_take_int(p, "timeout", "", G_MININT32, G_MAXINT32, &v))
		return FALSE;
	st->poll.timeout = v;
	return TRUE;
}

static const OptSpec poll_opts[] = {
	TAKE_OPT("timeout", take_timeout),
	OPTS_END,
};

static gboolean finish_list(SimStmt *st, GArray *fds)
{
	st->poll.n = fds->len;
	st->poll.fds = (SimPollFd *)(void *)g_array_free(fds, FALSE);
	return TRUE;
}

/* poll [D EVENTS, ...] [timeout=MS] [-> VAR] */
static gboolean poll_parse(Parser *p, SimStmt *st)
{
	st->poll = (SimPollArgs){ .timeout = -1 };
	GArray *fds = g_array_new(FALSE, TRUE, sizeof(SimPollFd));
	if (!take_list(p, st, "poll", 0, fds)) {
		g_array_free(fds, TRUE);
		return FALSE;
	}
	finish_list(st, fds);
	StmtOpts so = { .o = { .what = "poll", .specs = poll_opts }, .role = ROLE_MESSAGE };
	return scn_take_stmt_opts(p, st, &so);
}

/* read=[...], write=[...], except=[...]: each set at most once (the option table says so). */
static gboolean take_set(Parser *p, Opts *o, int k, void *obj)
{
	SimStmt *st = obj;
	guint set = k == 0 ? SIM_SELECT_READ : k == 1 ? SIM_SELECT_WRITE : SIM_SELECT_EXCEPT;
	GArray *fds = g_array_new(FALSE, TRUE, sizeof(SimPollFd));
	if (st->poll.n)
		g_array_append_vals(fds, st->poll.fds, st->poll.n);
	g_clear_pointer(&st->poll.fds, g_free);
	st->poll.n = 0;
	gboolean ok = take_list(p, st, o->specs[k].name, set, fds);
	finish_list(st, fds);
	return ok;
}

static const OptSpec select_opts[] = {
	TAKE_OPT("read", take_set),
	TAKE_OPT("write", take_set),
	TAKE_OPT("except", take_set),
	TAKE_OPT("timeout", take_timeout),
	OPTS_END,
};

/* select [read=[D, ...]] [write=[...]] [except=[...]] [timeout=MS] [-> VAR] */
static gboolean select_parse(Parser *p, SimStmt *st)
{
	st->poll = (SimPollArgs){ .timeout = 0 };
	StmtOpts so = { .o = { .what = "select", .specs = select_opts }, .role = ROLE_MESSAGE };
	if (!scn_take_stmt_opts(p, st, &so))
		return FALSE;
	st->poll.forever = so.o.seen[3].line == 0;
	/* The read set first, then write, then except, whatever order they were written in:
	 * the order the trace shows them and the answer follows. */
	g_autofree SimPollFd *by_set = g_new(SimPollFd, MAX(st->poll.n, 1));
	guint n = 0;
	for (guint bit = 1; bit <= SIM_SELECT_EXCEPT; bit <<= 1)
		for (guint i = 0; i < st->poll.n; i++)
			if (st->poll.fds[i].events == bit)
				by_set[n++] = st->poll.fds[i];
	if (n)
		memcpy(st->poll.fds, by_set, n * sizeof(*by_set));
	return TRUE;
}

/* ---- Texts ---- */

static void events_text(GString *s, guint v)
{
	gsize start = s->len;
	for (guint i = 0; i < G_N_ELEMENTS(event_names); i++) {
		if (!(v & event_names[i].bit))
			continue;
		if (s->len > start)
			g_string_append_c(s, '|');
		g_string_append(s, event_names[i].name);
		v &= ~event_names[i].bit;
	}
	if (v)
		g_string_append_printf(s, "%s%#x", s->len > start ? "|" : "", v);
	else if (s->len == start)
		g_string_append_c(s, '0');
}

static void sets_text(GString *s, guint v)
{
	gsize start = s->len;
	for (guint k = 0; k < 3; k++)
		if (v & (1u << k))
			g_string_append_printf(s, "%s%s", s->len > start ? "|" : "", set_names[k]);
	if (s->len == start)
		g_string_append_c(s, '0');
}

/* An entry's word as written ("p.r", "4"). */
static const char *entry_word(const SimWorld *w, const SimTask *t, const SimPollFd *e, char *buf,
			      gsize size)
{
	static const char *const ends[] = {
		[SIM_FD_PLAIN] = "", [SIM_FD_READ] = ".r", [SIM_FD_WRITE] = ".w"
	};
	(void)w;
	if (e->ep.kind == SIM_EP_FDNUM)
		g_snprintf(buf, size, "%d", e->ep.index);
	else
		g_snprintf(buf, size, "%s%s", t->prog->body->vars[e->ep.index].name,
			   ends[e->ep.fd_end]);
	return buf;
}

/* The call as asked: "[p.r POLLIN, 4 POLLOUT] timeout=100", or for select
 * "read=[p.r] write=[p.w] timeout=0". */
static void args_text(GString *s, const SimWorld *w, const SimTask *t, const SimStmt *st)
{
	char buf[80];
	if (st->kind == SIM_STMT_POLL) {
		g_string_append_c(s, '[');
		for (guint i = 0; i < st->poll.n; i++) {
			const SimPollFd *e = &st->poll.fds[i];
			g_string_append_printf(s, "%s%s ", i ? ", " : "",
					       entry_word(w, t, e, buf, sizeof(buf)));
			events_text(s, (guint)e->events);
		}
		g_string_append_printf(s, "] timeout=%" G_GINT64_FORMAT, st->poll.timeout);
		return;
	}
	gsize start = s->len;
	for (guint k = 0; k < 3; k++) {
		guint n = 0;
		for (guint i = 0; i < st->poll.n; i++) {
			const SimPollFd *e = &st->poll.fds[i];
			if (!(e->events & (1u << k)))
				continue;
			if (n++)
				g_string_append(s, ", ");
			else
				g_string_append_printf(s, "%s%s=[", s->len > start ? " " : "",
						       set_names[k]);
			g_string_append(s, entry_word(w, t, e, buf, sizeof(buf)));
		}
		if (n)
			g_string_append_c(s, ']');
	}
	if (!st->poll.forever)
		g_string_append_printf(s, "%stimeout=%" G_GINT64_FORMAT, s->len > start ? " " : "",
				       st->poll.timeout);
}

/* What each entry shows, in the order written: "POLLIN|POLLHUP, 0" (poll) or
 * "read, 0, write|except" (select). The same text is the variable's and the cross-check's. */
static void answer_text(GString *s, const SimStmt *st, const guint *r)
{
	for (guint i = 0; i < st->poll.n; i++) {
		if (i)
			g_string_append(s, ", ");
		if (st->kind == SIM_STMT_POLL)
			events_text(s, r[i]);
		else
			sets_text(s, r[i]);
	}
}

/* ---- Trace ---- */

/* ev->text: the arguments (args_text); ev->detail: the answer (answer_text). */
static void poll_text(GString *s, const SimTraceEvent *ev)
{
	g_string_append_printf(s, "%s %s", ev->stmt->kind == SIM_STMT_POLL ? "poll" : "select",
			       ev->text ? ev->text : "");
}

static void poll_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	if (sim_call_result_head(s, ev, arrow))
		g_string_append_printf(s, ", %" G_GINT64_FORMAT " ready: [%s]", ev->ret,
				       ev->detail ? ev->detail : "");
}

static void poll_json_call(GString *s, const SimTraceEvent *ev)
{
	if (ev->text)
		sim_trace_json_str(s, "args", ev->text, -1);
}

static void poll_json_result(GString *s, const SimTraceEvent *ev)
{
	sim_call_json_ret(s, ev);
	if (!ev->blocked && !ev->err && ev->detail)
		sim_trace_json_str(s, "ready", ev->detail, -1);
}

/* ---- Execution ---- */

/* The deadline of this call, from now: SIM_TIME_MAX to wait for ever. */
static SimTime deadline_of(SimWorld *w, const SimTask *t, const SimStmt *st)
{
	gboolean forever = st->kind == SIM_STMT_POLL ? st->poll.timeout < 0 : st->poll.forever;
	if (forever)
		return SIM_TIME_MAX;
	return sim_world_later(w, t, st, sim_time_mul(SIM_MS, (guint64)MAX(st->poll.timeout, 0)));
}

static void trace_poll(SimWorld *w, SimTraceKind kind, const SimTask *t, const SimStmt *st, int err,
		       const char *blocked, gint64 ret, const char *answer)
{
	g_autoptr(GString) args = g_string_new(NULL);
	args_text(args, w, t, st);
	SimTraceEvent ev;
	sim_interp_call_event_init(&ev, w, kind, t, st, NULL, NULL, err, blocked, -1);
	ev.text = args->str;
	ev.detail = answer;
	ev.ret = ret;
	sim_world_emit(w, &ev);
}

/* The answer is kept: in VAR (and the received list) with `-> VAR`, and for a cross-check
 * in the world's record of what the call gave. */
static void keep_answer(SimWorld *w, SimTask *t, const SimStmt *st, const GString *answer)
{
	if (st->var >= 0) {
		sim_interp_keep_bytes(w, t, st, answer->str, answer->len, answer->len);
	} else if (w->out.text) {
		w->out.got = TRUE;
		g_string_assign(w->out.text, answer->str);
		w->out.size = answer->len;
	}
}

/* poll and select, as do_poll and do_select loop: scan; something ready, a signal or the
 * deadline ends the call; otherwise sleep until a step changes what it watches. */
static void poll_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	gboolean resuming = t->resuming;
	int woke = 0, err = 0;
	if (resuming) {
		t->resuming = FALSE;
		woke = t->waiter.result;
	} else {
		sim_interp_started(w, st);
		sim_world_charge(w, w->scn->cost_syscall);
		err = precheck(t, st);
		t->deadline = err ? SIM_TIME_MAX : deadline_of(w, t, st);
	}
	g_autofree guint *r = g_new0(guint, MAX(st->poll.n, 1));
	gint64 count = err ? -1 : scan(t, st, r);
	if (!err && !count && woke == EINTR)
		err = EINTR; /* a handler is to run: poll is never restarted with one */
	if (!err && !count && woke != ETIMEDOUT && t->deadline > sim_world_now(w)) {
		const char *why = "nothing ready";
		sim_interp_blocked(w, st);
		if (w->trace)
			trace_poll(w, SIM_TR_CALL, t, st, 0, why, 0, NULL);
		sim_waitq_sleep(&w->pollers, &t->waiter);
		sim_world_block(w, t, -1, st->kind == SIM_STMT_POLL ? "poll" : "select", why);
		if (t->deadline != SIM_TIME_MAX)
			sim_world_timeout(w, t, t->deadline);
		return;
	}
	t->deadline = SIM_TIME_MAX;
	if (err)
		count = -1;
	g_autoptr(GString) answer = g_string_new(NULL);
	if (!err)
		answer_text(answer, st, r);
	if (w->trace)
		trace_poll(w, resuming ? SIM_TR_RETURN : SIM_TR_CALL, t, st, err, NULL, count,
			   answer->str);
	if (!err)
		keep_answer(w, t, st, answer);
	sim_interp_finish(w, t, st, err, count);
}

/* ---- Cross-check ---- */

/* data: each entry's descriptor and events (poll) or sets (select), two int32 each; a[0]
 * the count of entries, a[3] the time left in ns (-1: none; SIM_REAL_TIMEOUT_INVALID: a
 * negative select timeout). */
static gboolean poll_replay(SimReplay *r)
{
	const SimStmt *st = r->st;
	r->c->op = st->kind == SIM_STMT_POLL ? SIM_REAL_POLL : SIM_REAL_SELECT;
	r->c->a[0] = st->poll.n;
	for (guint i = 0; i < st->poll.n; i++) {
		/* A variable holding a negative descriptor (a failed open's -1): the model says
		 * EBADF, but no fd_set can carry it to the kernel, so nothing there to compare. */
		gint64 fd = entry_fd(r->t, &st->poll.fds[i]);
		if (st->kind == SIM_STMT_SELECT && fd < 0) {
			xc_refuse(r->xc,
				  "select with descriptor %" G_GINT64_FORMAT
				  " in a set: no fd_set can hold a negative descriptor (FD_SET "
				  "of one is undefined in C), so the kernel has no such call; the "
				  "model's EBADF for it is its own",
				  fd);
			return FALSE;
		}
		gint32 two[2] = { (gint32)entry_fd(r->t, &st->poll.fds[i]),
				  (gint32)st->poll.fds[i].events };
		if (entry_fd(r->t, &st->poll.fds[i]) > G_MAXINT32)
			two[0] = -1;
		g_string_append_len(r->data, (const char *)two, sizeof(two));
	}
	gboolean forever = st->kind == SIM_STMT_POLL ? st->poll.timeout < 0 : st->poll.forever;
	if (forever)
		r->c->a[3] = -1;
	else if (st->poll.timeout < 0)
		r->c->a[3] = SIM_REAL_TIMEOUT_INVALID;
	else if (st->poll.timeout == 0)
		r->c->a[3] = 0;
	else
		r->c->a[3] = xc_real_timeout(r->xc, r->w, r->t, SIM_TIMEOUT_RELATIVE,
					     sim_time_mul(SIM_MS, (guint64)st->poll.timeout));
	return TRUE;
}

static void poll_model_cell(SimModelCell *mc)
{
	const SimCallOut *out = sim_world_call_out(mc->w);
	if (mc->m->err)
		return;
	mc->m->extra = g_string_new(" [");
	g_string_append(mc->m->extra, out->got ? out->text->str : "");
	g_string_append_c(mc->m->extra, ']');
}

/* The worker's answer: one int32 per entry, its revents or its sets. */
static void poll_kernel_cell(SimKernelCell *kc)
{
	const SimStmt *st = kc->st;
	if (kc->r->err)
		return;
	g_autofree guint *r = g_new0(guint, MAX(st->poll.n, 1));
	for (guint i = 0; i < st->poll.n && kc->data && (i + 1) * 4 <= kc->r->len; i++) {
		gint32 v;
		memcpy(&v, kc->data + i * 4, 4);
		r[i] = (guint)v;
	}
	kc->k->extra = g_string_new(" [");
	answer_text(kc->k->extra, st, r);
	g_string_append_c(kc->k->extra, ']');
}

/* ---- Footprint ---- */

/* It changes nothing; it reads its descriptor table and every object it watches. */
static void poll_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st, SimFootprint *fp)
{
	(void)w;
	sim_call_fp_self(fp, t, FALSE);
	sim_footprint_add(fp, SIM_OBJ_FDT, (guint64)t->id, FALSE);
	for (guint i = 0; i < st->poll.n; i++) {
		const SimFile *f = entry_file(t, &st->poll.fds[i]);
		if (f)
			sim_call_fp_file(fp, f, FALSE);
	}
}

/* ---- The rows ---- */

/* Both may block, on no object the deadlock report names (they watch several): their role
 * is toward the run's output, which no blocked call waits on, so they release nobody. */
#define POLL_ROW(k, word, parser, real)                                                       \
	{                                                                                     \
		.kind = (k), .name = (word), .family = SIM_CALL_FILE, .text_call = poll_text, \
		.text_result = poll_result, .json_call = poll_json_call,                      \
		.json_result = poll_json_result, .parse = (parser), .exec = poll_exec,        \
		.real_name = (real), .xc_flags = SIM_CALL_XC_TIMED, .replay = poll_replay,    \
		.model_cell = poll_model_cell, .kernel_cell = poll_kernel_cell,               \
		.footprint = poll_footprint, .blocks = TRUE, .wait_role = SIM_WAIT_TAKES,     \
		.wait_obj = SIM_OBJ_OUTPUT                                                    \
	}

const SimCallDesc sim_call_poll_rows[] = {
	POLL_ROW(SIM_STMT_POLL, "poll", poll_parse, "poll"),
	POLL_ROW(SIM_STMT_SELECT, "select", select_parse, "select"),
};
const guint sim_call_poll_n_rows = G_N_ELEMENTS(sim_call_poll_rows);
