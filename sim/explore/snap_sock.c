/* snap_sock.c — UNIX-domain socket pairs saved and made again, for snap.c, and their part
 * of the state digest, for snap_pipe.c's (which state.c mixes in).
 *
 * The design choice to know: a pair is one allocation holding both ends (sock.h), and
 * pairs come and go along a path as pipes do (socket, socketpair, accept's connection, the
 * last close), so the restore frees the world's and makes new ones from the copies, then
 * rewrites every pointer to an end: a peer, a listener's queued connections, a buffer's
 * sender (owner), the descriptions' sock (snap_pipe.c, through snap_sock_end), a socket
 * file's sock, the table of abstract names, and a blocked task's waiter queue (its wait
 * list is in the end; the waiter, in the task, does not move, so the lists are copied as
 * they are). Nothing else in a covered world holds an end: the pollers and a thread's held
 * description (io_file) are refused by snap_pipe.c. A socket file (SimFifo) stays in place
 * with the FIFOs, so an end's `file` is kept as it is.
 *
 * Which pairs there are is found by walking from the descriptor tables and the socket
 * files through what an end reaches (snap_sock_gather): a pair whose ends are all closed
 * still lives, doomed, while a buffer it sent sits on another socket's queue or another
 * datagram socket has it as peer, and it is reached there. The walk's order names the
 * pairs in the digest, so that two states that differ only in addresses or in the pairs'
 * trace names (sock#N, which no outcome shows) digest alike.
 *
 * Left out of the digest: the byte totals an end has sent and received (nothing reads
 * them) and the pair's name. Kept: whatever a later call's result can depend on, down to
 * a buffer's truesize (the sender's count decides when it sleeps) and the name a datagram
 * carries (recv from shows it).
 */
#include "explore/snap_sock.h"

#include <string.h>

#include "explore/snap_sem.h"

gboolean snap_sock_fits(const SimStmt *st)
{
	return sim_call_desc(st->kind)->family == SIM_CALL_SOCK;
}

/* ---- Which pairs there are ---- */

/* Appends sp to pairs when it is not there. A linear scan: a world holds a handful. */
static void add_pair(GPtrArray *pairs, const SimSockPair *sp)
{
	for (guint i = 0; i < pairs->len; i++)
		if (g_ptr_array_index(pairs, i) == sp)
			return;
	g_ptr_array_add(pairs, (gpointer)(guintptr)sp); /* kept, never written through */
}

guint snap_sock_ref(const GPtrArray *pairs, const SimSock *s)
{
	if (!s)
		return 0;
	for (guint i = 0; i < pairs->len; i++)
		if (g_ptr_array_index(pairs, i) == s->pair)
			return 1 + 2 * i + (s == &s->pair->end[1]);
	return 0;
}

/* Every pair reachable from the tables and the socket files, in the walk's order. */
static void reach(const SimWorld *w, GPtrArray *pairs)
{
	g_ptr_array_set_size(pairs, 0);
	if (!w->n_socks)
		return;
	for (guint i = 0; i < w->n_tasks; i++) {
		const SimFdTable *fdt = &w->tasks[i].fdt;
		for (guint fd = 0; fd < fdt->n; fd++) {
			const SimFile *f = fdt->fds[fd];
			if (f && f->kind == SIM_FILE_SOCK)
				add_pair(pairs, f->sock->pair);
		}
	}
	for (guint i = 0; i < w->fifos->len; i++) {
		const SimFifo *fi = g_ptr_array_index(w->fifos, i);
		if (fi->sock)
			add_pair(pairs, fi->sock->pair);
	}
	for (guint k = 0; k < pairs->len; k++) { /* the list grows as the walk goes */
		const SimSockPair *sp = g_ptr_array_index(pairs, k);
		for (guint e = 0; e < 2; e++) {
			const SimSock *s = &sp->end[e];
			if (s->peer)
				add_pair(pairs, s->peer->pair);
			for (const GList *l = s->accq.head; l; l = l->next)
				add_pair(pairs, ((const SimSock *)l->data)->pair);
			for (const GList *l = s->rcvq.head; l; l = l->next)
				add_pair(pairs, ((const SimSkb *)l->data)->owner->pair);
		}
	}
}

/* The end among pairs whose wait list (1) or peer_wait list (2) is q: its reference. */
static guint waits_on(const GPtrArray *pairs, const SimWaitQueue *q, guint *list)
{
	for (guint i = 0; q && i < pairs->len; i++) {
		SimSockPair *sp = g_ptr_array_index(pairs, i);
		for (guint e = 0; e < 2; e++) {
			*list = q == &sp->end[e].wait ? 1 : q == &sp->end[e].peer_wait ? 2 : 0;
			if (*list)
				return 1 + 2 * i + e;
		}
	}
	*list = 0;
	return 0;
}

/* Whether t is blocked in a socket call: one of the family's, or a read or write on a
 * socket (a file call that waits on no pipe). */
static gboolean in_sock_call(const SimTask *t)
{
	if (t->state != SIM_STATE_BLOCKED || !t->waiter.queue)
		return FALSE;
	const SimStmt *st = t->prog->code[t->pc].stmt; /* the call it is blocked in */
	SimCallFamily f = st ? sim_call_desc(st->kind)->family : SIM_CALL_CONTROL;
	return f == SIM_CALL_SOCK || (f == SIM_CALL_FILE && !t->wait_pipe);
}

gboolean snap_sock_gather(const SimWorld *w, GPtrArray *pairs)
{
	reach(w, pairs);
	if (!w->n_socks)
		return TRUE;
	if (w->sock_names) { /* a bound name is its socket's, which a descriptor holds */
		GHashTableIter it;
		gpointer v;
		g_hash_table_iter_init(&it, w->sock_names);
		while (g_hash_table_iter_next(&it, NULL, &v))
			if (!snap_sock_ref(pairs, v))
				return FALSE;
	}
	for (guint i = 0; i < w->n_tasks; i++) {
		guint list;
		const SimTask *t = &w->tasks[i];
		if (in_sock_call(t) && !waits_on(pairs, t->waiter.queue, &list))
			return FALSE;
	}
	return TRUE;
}

/* ---- The snapshot ---- */

static void arrays(SnapSock *s)
{
	if (s->pairs)
		return;
	s->pairs = g_array_new(FALSE, FALSE, sizeof(SimSockPair));
	s->ends = g_array_new(FALSE, FALSE, sizeof(SnapEnd));
	s->refs = g_array_new(FALSE, FALSE, sizeof(guint));
	s->skbs = g_array_new(FALSE, FALSE, sizeof(SimSkb));
	s->bytes = g_string_new(NULL);
	s->strs = g_string_new(NULL);
	s->bound = g_array_new(FALSE, FALSE, sizeof(guint));
	s->waits = g_array_new(FALSE, TRUE, sizeof(SnapSockWait));
	s->seen = g_ptr_array_new();
}

/* 1 + the offset of str (with its NUL) in s->strs, 0 for NULL. */
static gsize keep_str(SnapSock *s, const char *str)
{
	if (!str)
		return 0;
	gsize at = s->strs->len + 1;
	g_string_append_len(s->strs, str, (gssize)strlen(str) + 1);
	return at;
}

/* End e's lists: its queued connections and buffers, as references and copies. */
static void save_end(SnapSock *s, const SimSock *e)
{
	SnapEnd se = { .accq_first = s->refs->len,
		       .accq_n = e->accq.length,
		       .rcvq_first = s->skbs->len,
		       .rcvq_n = e->rcvq.length,
		       .peer = snap_sock_ref(s->seen, e->peer),
		       .name = keep_str(s, e->name) };
	for (const GList *l = e->accq.head; l; l = l->next) {
		guint ref = snap_sock_ref(s->seen, l->data);
		g_array_append_val(s->refs, ref);
	}
	for (const GList *l = e->rcvq.head; l; l = l->next) {
		const SimSkb *b = l->data;
		SimSkb c = *b;
		c.data = GSIZE_TO_POINTER(s->bytes->len + 1);
		g_string_append_len(s->bytes, b->data, (gssize)b->len);
		c.from = GSIZE_TO_POINTER(keep_str(s, b->from));
		c.owner = GUINT_TO_POINTER(snap_sock_ref(s->seen, b->owner));
		g_array_append_val(s->skbs, c);
	}
	g_array_append_val(s->ends, se);
}

/* The table of abstract names, as key and end reference pairs. */
static void save_names(SnapSock *s, const SimWorld *w)
{
	s->names = w->sock_names != NULL;
	if (!s->names)
		return;
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init(&it, w->sock_names);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		guint pair[2] = { (guint)keep_str(s, k), snap_sock_ref(s->seen, v) };
		g_array_append_vals(s->bound, pair, 2);
	}
}

gboolean snap_sock_save(SnapSock *s, const SimWorld *w)
{
	arrays(s);
	g_array_set_size(s->pairs, 0);
	g_array_set_size(s->ends, 0);
	g_array_set_size(s->refs, 0);
	g_array_set_size(s->skbs, 0);
	g_array_set_size(s->bound, 0);
	g_string_truncate(s->bytes, 0);
	g_string_truncate(s->strs, 0);
	g_array_set_size(s->waits, 0);
	s->n_socks = w->n_socks;
	if (!snap_sock_gather(w, s->seen))
		return FALSE;
	for (guint i = 0; i < s->seen->len; i++) {
		const SimSockPair *sp = g_ptr_array_index(s->seen, i);
		SimSockPair c = *sp;
		c.name = GSIZE_TO_POINTER(keep_str(s, sp->name));
		g_array_append_val(s->pairs, c);
		save_end(s, &sp->end[0]);
		save_end(s, &sp->end[1]);
	}
	save_names(s, w);
	g_array_set_size(s->waits, w->n_tasks);
	for (guint i = 0; s->seen->len && i < w->n_tasks; i++) {
		SnapSockWait *sw = &g_array_index(s->waits, SnapSockWait, i);
		sw->end = waits_on(s->seen, w->tasks[i].waiter.queue, &sw->list);
	}
	return TRUE;
}

static void pair_free(SimSockPair *sp)
{
	for (guint e = 0; e < 2; e++) {
		SimSock *s = &sp->end[e];
		SimSkb *b;
		while ((b = g_queue_pop_head(&s->rcvq))) {
			g_free(b->data);
			g_free(b->from);
			g_free(b);
		}
		g_queue_clear(&s->accq);
		g_free(s->name);
	}
	g_free(sp->name);
	g_free(sp);
}

void snap_sock_release(SimWorld *w)
{
	if (!w->n_socks)
		return;
	g_autoptr(GPtrArray) pairs = g_ptr_array_new();
	reach(w, pairs);
	for (guint i = 0; i < pairs->len; i++)
		pair_free(g_ptr_array_index(pairs, i));
	for (guint i = 0; i < w->fifos->len; i++)
		((SimFifo *)g_ptr_array_index(w->fifos, i))->sock = NULL;
	if (w->sock_names)
		g_hash_table_remove_all(w->sock_names);
}

static const char *str_at(const SnapSock *s, gsize at)
{
	return at ? s->strs->str + at - 1 : NULL;
}

/* End e of made[i] as saved: its peer, its queued connections, its buffers. */
static void put_end(const SnapSock *s, SimSockPair *const *made, guint i, guint e)
{
	const SnapEnd *se = &g_array_index(s->ends, SnapEnd, 2 * i + e);
	SimSock *to = &made[i]->end[e];
	to->pair = made[i];
	to->name = g_strdup(str_at(s, se->name));
	to->peer = snap_sock_end(made, se->peer);
	g_queue_init(&to->accq);
	g_queue_init(&to->rcvq);
	for (guint k = 0; k < se->accq_n; k++)
		g_queue_push_tail(
			&to->accq,
			snap_sock_end(made, g_array_index(s->refs, guint, se->accq_first + k)));
	for (guint k = 0; k < se->rcvq_n; k++) {
		const SimSkb *c = &g_array_index(s->skbs, SimSkb, se->rcvq_first + k);
		SimSkb *b = g_new(SimSkb, 1);
		*b = *c;
		b->data = g_malloc(c->len ? c->len : 1);
		memcpy(b->data, s->bytes->str + GPOINTER_TO_SIZE(c->data) - 1, c->len);
		b->from = g_strdup(str_at(s, GPOINTER_TO_SIZE(c->from)));
		b->owner = snap_sock_end(made, GPOINTER_TO_UINT(c->owner));
		g_queue_push_tail(&to->rcvq, b);
	}
}

SimSockPair **snap_sock_restore(const SnapSock *s, SimWorld *w)
{
	guint n = s->pairs->len;
	SimSockPair **made = g_new(SimSockPair *, n + 1);
	for (guint i = 0; i < n; i++) {
		const SimSockPair *c = &g_array_index(s->pairs, SimSockPair, i);
		made[i] = g_memdup2(c, sizeof(SimSockPair));
		made[i]->name = g_strdup(str_at(s, GPOINTER_TO_SIZE(c->name)));
	}
	for (guint i = 0; i < n; i++) {
		put_end(s, made, i, 0);
		put_end(s, made, i, 1);
	}
	if (s->names && !w->sock_names)
		w->sock_names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (guint k = 0; k + 1 < s->bound->len; k += 2) {
		guint key = g_array_index(s->bound, guint, k);
		guint ref = g_array_index(s->bound, guint, k + 1);
		g_hash_table_insert(w->sock_names, g_strdup(str_at(s, key)),
				    snap_sock_end(made, ref));
	}
	for (guint i = 0; i < s->waits->len && i < w->n_tasks; i++) {
		const SnapSockWait *sw = &g_array_index(s->waits, SnapSockWait, i);
		SimSock *e = snap_sock_end(made, sw->end);
		if (e)
			w->tasks[i].waiter.queue = sw->list == 1 ? &e->wait : &e->peer_wait;
	}
	w->n_socks = s->n_socks;
	return made;
}

void snap_sock_clear(SnapSock *s)
{
	if (s->pairs) {
		g_array_unref(s->pairs);
		g_array_unref(s->ends);
		g_array_unref(s->refs);
		g_array_unref(s->skbs);
		g_string_free(s->bytes, TRUE);
		g_string_free(s->strs, TRUE);
		g_array_unref(s->bound);
		g_array_unref(s->waits);
		g_ptr_array_unref(s->seen);
	}
	memset(s, 0, sizeof(*s));
}

/* ---- The digest part ---- */

/* Bytes, eight at a time, after their length. */
static guint64 hash_bytes(guint64 h, const char *p, gsize len)
{
	h = snap_hash_word(h, len);
	guint64 word;
	gsize i = 0;
	for (; i + 8 <= len; i += 8) {
		memcpy(&word, p + i, 8);
		h = snap_hash_word(h, word);
	}
	if (i < len) {
		word = 0;
		memcpy(&word, p + i, len - i);
		h = snap_hash_word(h, word);
	}
	return h;
}

static guint64 hash_str(guint64 h, const char *s)
{
	return s ? hash_bytes(h, s, strlen(s)) : snap_hash_word(h, G_MAXUINT64);
}

/* 1 + the index of socket file fi among the world's special files, 0 for NULL. */
static guint64 file_index(const SimWorld *w, const SimFifo *fi)
{
	for (guint i = 0; fi && i < w->fifos->len; i++)
		if (g_ptr_array_index(w->fifos, i) == fi)
			return i + 1;
	return 0;
}

static guint64 hash_end(guint64 h, const SimWorld *w, const GPtrArray *pairs, const SimSock *s)
{
	h = snap_hash_word(h, (guint64)s->state | (guint64)(s->closed != 0) << 8 |
				      (guint64)s->shut << 16 | (guint64)(guint32)s->err << 32);
	h = hash_str(h, s->name);
	h = snap_hash_word(h, file_index(w, s->file) | (guint64)snap_sock_ref(pairs, s->peer)
							       << 32);
	h = snap_hash_word(h, (guint64)s->uid);
	h = snap_hash_word(h, (guint64)s->backlog);
	h = snap_hash_word(h, s->wmem);
	h = snap_hash_word(h, s->sndbuf);
	h = snap_hash_word(h, s->rcv_bytes);
	h = snap_hash_word(h, s->accq.length);
	for (const GList *l = s->accq.head; l; l = l->next)
		h = snap_hash_word(h, snap_sock_ref(pairs, l->data));
	h = snap_hash_word(h, s->rcvq.length);
	for (const GList *l = s->rcvq.head; l; l = l->next) {
		const SimSkb *b = l->data;
		/* only the unread bytes: how many were read before tells nothing ahead */
		h = snap_hash_word(h, b->truesize | (guint64)snap_sock_ref(pairs, b->owner) << 32);
		h = hash_bytes(h, b->data + b->off, b->len - b->off);
		h = hash_str(h, b->from);
	}
	h = snap_hash_queue(h, &s->wait);
	return snap_hash_queue(h, &s->peer_wait);
}

guint64 snap_sock_digest(const SimWorld *w, const GPtrArray *pairs)
{
	guint64 h = G_GUINT64_CONSTANT(0x736f636b657473);
	h = snap_hash_word(
		h, pairs->len | (guint64)(w->sock_names ? g_hash_table_size(w->sock_names) : 0)
					<< 32);
	for (guint i = 0; i < pairs->len; i++) {
		const SimSockPair *sp = g_ptr_array_index(pairs, i);
		h = snap_hash_word(h, (guint64)sp->end[0].type | (guint64)(sp->solo != 0) << 8 |
					      (guint64)(sp->doomed != 0) << 9 |
					      (guint64)sp->inflight << 32);
		h = hash_end(h, w, pairs, &sp->end[0]);
		h = hash_end(h, w, pairs, &sp->end[1]);
	}
	return h;
}
