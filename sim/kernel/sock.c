/* sock.c — socket pairs of net/unix/af_unix.c: buffers, send-buffer accounting, shutdown
 * (see sock.h).
 *
 * The design choice to know: send and recv are written as the kernel's loops are, in its
 * order of checks, and a sleep returns SIM_BLOCKED with the caller queued on the end's
 * single wait list. Every sleeper of a socket is woken at once (the kernel's socket wait
 * queues are not exclusive), so a woken call simply runs again from where it stopped:
 * a stream send keeps its count in *done, nothing else has moved before it sleeps. A send
 * that stops between two buffers for its woken reader (split) is called again the same way.
 */
#include "msgsim/kernel/sock.h"

#include <string.h>

/* ---- Lifecycle ---- */

SimSockPair *sim_sock_pair_new(const char *name, int type)
{
	SimSockPair *sp = g_new0(SimSockPair, 1);
	sp->name = g_strdup(name);
	for (int i = 0; i < 2; i++) {
		SimSock *s = &sp->end[i];
		s->pair = sp;
		s->peer = &sp->end[1 - i];
		s->state = SIM_SOCK_CONNECTED;
		s->type = type;
		s->sndbuf = SIM_SOCK_SNDBUF;
		s->backlog = SIM_SOCK_MAX_DGRAM_QLEN;
		g_queue_init(&s->rcvq);
		g_queue_init(&s->accq);
		sim_waitq_init(&s->wait, SIM_ORDER_FIFO);
		sim_waitq_init(&s->peer_wait, SIM_ORDER_FIFO);
	}
	return sp;
}

static void skb_free(SimSkb *b)
{
	g_free(b->data);
	g_free(b->from);
	g_free(b);
}

static void pair_destroy(SimSockPair *sp);
static void pair_ref(SimSockPair *sp);
static void pair_unref(SimSockPair *sp);
static void set_peer(SimSock *s, SimSock *to);

/* A buffer leaves the queue it sat on (read, or purged): its sender's count goes down, and
 * a doomed pair whose last buffer this was goes. wl NULL: nobody is woken (the run is over,
 * or the sender's pair is going). */
static void skb_release(SimSkb *b, SimWakeList *wl);

SimSockPair *sim_sock_new(const char *name, int type)
{
	SimSockPair *sp = sim_sock_pair_new(name, type);
	for (int i = 0; i < 2; i++) {
		sp->end[i].state = SIM_SOCK_UNCONNECTED;
		sp->end[i].peer = NULL;
	}
	sp->end[1].closed = TRUE; /* nobody has the server's end until a connect */
	sp->solo = TRUE;
	return sp;
}

static void pair_destroy(SimSockPair *sp)
{
	for (int i = 0; i < 2; i++) {
		g_queue_clear(&sp->end[i].accq);
		g_free(sp->end[i].name);
	}
	g_free(sp->name);
	g_free(sp);
}

void sim_sock_pair_free(SimSockPair *sp)
{
	if (!sp || sp->doomed)
		return;
	sp->doomed = TRUE;
	pair_ref(sp); /* its own buffers' release must not free it under the loop */
	for (int i = 0; i < 2; i++) {
		set_peer(&sp->end[i], NULL);
		SimSkb *b;
		while ((b = g_queue_pop_head(&sp->end[i].rcvq)))
			skb_release(b, NULL);
		sp->end[i].rcv_bytes = 0;
	}
	pair_unref(sp);
}

/* ---- Helpers ---- */

/* kmalloc's size for a head of `size` bytes: the slab it comes from, or whole pages. */
static gsize slab_size(gsize size)
{
	gsize b = 512; /* the smallest head has the 320 bytes of skb_shared_info */
	while (b < size && b < 8192)
		b <<= 1;
	if (size <= b)
		return b;
	b = 4096;
	while (b < size)
		b <<= 1;
	return b;
}

gsize sim_sock_truesize(gsize linear, gsize data_len)
{
	gsize head = ((linear + 63) & ~(gsize)63) + 320;
	return slab_size(head) + 256 + ((data_len + 4095) & ~(gsize)4095);
}

static gsize page_align(gsize n)
{
	return (n + 4095) & ~(gsize)4095;
}

static void wake_all(SimWaitQueue *q, SimWakeList *wl)
{
	SimWaiter *w;
	while ((w = sim_waitq_first(q)))
		sim_waitq_wake(wl, w, 0);
}

/* sock_wfree: the peer freed one of s's buffers; s wakes its senders once writable. */
static void wfree(SimSock *s, SimSkb *b, SimWakeList *wl)
{
	s->wmem -= b->truesize;
	if (wl && (s->wmem + 1) * 4 <= s->sndbuf)
		wake_all(&s->wait, wl);
}

/* A pair is referred to by the buffers its ends sent and by the datagram sockets of other
 * pairs connected to one of its ends: it is destroyed when doomed and no longer referred to. */
static void pair_ref(SimSockPair *sp)
{
	sp->inflight++;
}

static void pair_unref(SimSockPair *sp)
{
	if (--sp->inflight == 0 && sp->doomed)
		pair_destroy(sp);
}

/* s's peer becomes to: a peer in another pair is a reference to that pair. */
static void set_peer(SimSock *s, SimSock *to)
{
	SimSock *old = s->peer;
	s->peer = to;
	if (to && to->pair != s->pair)
		pair_ref(to->pair);
	if (old && old->pair != s->pair)
		pair_unref(old->pair);
}

static void skb_release(SimSkb *b, SimWakeList *wl)
{
	SimSock *owner = b->owner;
	SimSockPair *sp = owner->pair;
	wfree(owner, b, sp->doomed ? NULL : wl);
	skb_free(b);
	pair_unref(sp);
}

/* s's name as a scenario writes it, for the buffers it sends (allocated), or NULL. */
static char *name_of(const SimSock *s)
{
	return s->name ? g_strdup_printf("%s%s", s->file ? "" : "@", s->name) : NULL;
}

static void fill(char *dst, const SimSockSrc *src, gsize from, gsize count)
{
	for (gsize i = 0; i < count; i++)
		dst[i] = src->len ? src->text[(from + i) % src->len] : 'x';
}

/* Queues `count` bytes from `from` at o as one buffer of the given truesize. */
static void queue_skb(SimSock *s, SimSock *o, const SimSockSrc *src, gsize from, gsize count,
		      gsize truesize, SimWakeList *wl)
{
	SimSkb *b = g_new0(SimSkb, 1);
	b->owner = s;
	b->from = name_of(s);
	s->pair->inflight++;
	b->data = g_malloc(count ? count : 1);
	fill(b->data, src, from, count);
	b->len = count;
	b->truesize = truesize;
	s->wmem += truesize;
	s->sent += count;
	g_queue_push_tail(&o->rcvq, b);
	o->rcv_bytes += count;
	wake_all(&o->wait, wl); /* sk_data_ready */
}

/* sock_alloc_send_pskb's checks: 0 when a buffer may be allocated now. */
static int may_alloc(SimSock *s, SimSockCtx *c, SimWaiter *self)
{
	if (s->err) {
		int e = s->err;
		s->err = 0;
		return e;
	}
	if (s->shut & SIM_SOCK_SEND_SHUTDOWN)
		return EPIPE;
	if (s->wmem < s->sndbuf)
		return 0;
	if (c->nonblock)
		return EAGAIN;
	if (c->signal_pending)
		return EINTR;
	sim_waitq_sleep(&s->wait, self);
	return SIM_BLOCKED;
}

static int stream_send(SimSock *s, SimSockCtx *c, SimWaiter *self, const SimSockSrc *src, gsize n,
		       gsize *done)
{
	int err = 0;
	if (!s->peer)
		return ENOTCONN; /* never connected */
	if (s->shut & SIM_SOCK_SEND_SHUTDOWN) {
		err = EPIPE;
		goto pipe_err;
	}
	while (*done < n) {
		gsize size = MIN(n - *done, MIN((s->sndbuf >> 1) - 64, SIM_SOCK_STREAM_CHUNK));
		gsize data_len = size > 3776 ? MIN(size, page_align(size - 3776)) : 0;
		err = may_alloc(s, c, self);
		if (err == SIM_BLOCKED)
			return err;
		if (err == EPIPE)
			goto pipe_err;
		if (err)
			break;
		SimSock *o = s->peer;
		if (!o || o->closed || (o->shut & SIM_SOCK_RCV_SHUTDOWN)) {
			err = EPIPE;
			goto pipe_err;
		}
		gboolean reader = sim_waitq_first(&o->wait) != NULL;
		queue_skb(s, o, src, *done, size, sim_sock_truesize(size - data_len, data_len),
			  c->wake);
		*done += size;
		if (c->split && reader && *done < n) {
			c->yielded = TRUE; /* the woken reader may come first: see SimSockCtx */
			return 0;
		}
	}
	return *done ? 0 : err;
pipe_err:
	if (!*done && !(c->flags & SIM_MSG_NOSIGNAL))
		c->sigpipe = TRUE;
	return *done ? 0 : err;
}

/* Is o's queue too long for s to add to it (unix_recvq_full, skipped for a sender o is
 * connected to, and for o itself)? */
static gboolean recvq_full(const SimSock *s, const SimSock *o)
{
	return o != s && o->peer != s && (gint64)o->rcvq.length > o->backlog;
}

/* unix_dgram_sendmsg (and unix_seqpacket_sendmsg before it, which drops the address): to
 * the peer, or to c->dest's socket. The buffer is allocated (may_alloc) before the address
 * is looked at, so a full send buffer comes before ECONNREFUSED. */
static int dgram_send(SimSock *s, SimSockCtx *c, SimWaiter *self, const SimSockSrc *src, gsize n)
{
	if (s->type == SIM_SOCK_SEQPACKET && s->err) {
		int e = s->err;
		s->err = 0;
		return e;
	}
	if (s->type == SIM_SOCK_SEQPACKET && s->state != SIM_SOCK_CONNECTED)
		return ENOTCONN;
	const SimSockDest *d = s->type == SIM_SOCK_DGRAM && c->dest && c->dest->given ? c->dest
										       : NULL;
	if (!d && !s->peer)
		return ENOTCONN;
	if (n > s->sndbuf - 32)
		return EMSGSIZE;
	gsize data_len = n > 16064 ? page_align(MIN(n - 16064, 17 * 4096)) : 0;
	int err = may_alloc(s, c, self);
	if (err)
		return err;
	SimSock *o = d ? d->to : s->peer;
	if (!o)
		return d->err;
	if (o->closed) {
		if (s->type == SIM_SOCK_SEQPACKET)
			return EPIPE;
		if (s->peer == o) {
			set_peer(s, NULL); /* unix_dgram_sendmsg forgets a dead peer */
			s->state = SIM_SOCK_UNCONNECTED;
		}
		return ECONNREFUSED;
	}
	if (o->peer && o->peer != s)
		return EPERM; /* unix_may_send: o takes datagrams from its peer only */
	if (o->shut & SIM_SOCK_RCV_SHUTDOWN)
		return EPIPE;
	if (recvq_full(s, o)) {
		if (c->nonblock)
			return EAGAIN;
		if (c->signal_pending)
			return EINTR;
		sim_waitq_sleep(&o->peer_wait, self); /* unix_wait_for_peer */
		return SIM_BLOCKED;
	}
	queue_skb(s, o, src, 0, n, sim_sock_truesize(n - data_len, data_len), c->wake);
	return 0;
}

/* ---- Operations ---- */

int sim_sock_send(SimSock *s, SimSockCtx *c, SimWaiter *self, const SimSockSrc *src, gsize n,
		  gsize *done)
{
	c->sigpipe = FALSE;
	if (s->type == SIM_SOCK_STREAM)
		return stream_send(s, c, self, src, n, done);
	int err = dgram_send(s, c, self, src, n);
	if (!err)
		*done = n;
	return err;
}

/* The reader frees buffer b of s's queue (its bytes all read, or a record taken). */
static void consume(SimSock *s, SimSkb *b, SimWakeList *wl)
{
	g_queue_remove(&s->rcvq, b);
	skb_release(b, wl);
}

static int take_err(SimSock *s)
{
	int e = s->err;
	s->err = 0;
	return e;
}

/* Nothing to read: the error, EOF, EAGAIN or a sleep, in unix_stream_read_generic's order
 * (a datagram socket reports its error first, before it looks at the queue). */
static int nothing(SimSock *s, SimSockCtx *c, SimWaiter *self, gsize *ret)
{
	*ret = 0;
	if (s->type == SIM_SOCK_STREAM && s->err)
		return take_err(s);
	if (s->shut & SIM_SOCK_RCV_SHUTDOWN) {
		/* A datagram end reports EOF only when it would sleep, a seqpacket one always. */
		if (!(s->type == SIM_SOCK_DGRAM && c->nonblock))
			return 0;
	}
	if (c->nonblock)
		return EAGAIN;
	if (c->signal_pending)
		return EINTR;
	sim_waitq_sleep(&s->wait, self);
	return SIM_BLOCKED;
}

static int stream_recv(SimSock *s, SimSockCtx *c, SimWaiter *self, gsize n, GString *out,
		       gsize *ret)
{
	if (g_queue_is_empty(&s->rcvq))
		return nothing(s, c, self, ret);
	gsize copied = 0;
	c->from = g_strdup(((SimSkb *)g_queue_peek_head(&s->rcvq))->from);
	for (GList *l = s->rcvq.head; l && copied < n;) {
		SimSkb *b = l->data;
		l = l->next;
		gsize k = MIN(n - copied, b->len - b->off);
		if (out)
			g_string_append_len(out, b->data + b->off, (gssize)k);
		copied += k;
		if (c->flags & SIM_MSG_PEEK)
			continue;
		b->off += k;
		s->rcv_bytes -= k;
		if (b->off == b->len)
			consume(s, b, c->wake);
	}
	if (!(c->flags & SIM_MSG_PEEK))
		s->received += copied;
	*ret = copied;
	return 0;
}

static int dgram_recv(SimSock *s, SimSockCtx *c, SimWaiter *self, gsize n, GString *out, gsize *ret)
{
	if (s->err)
		return take_err(s);
	if (g_queue_is_empty(&s->rcvq))
		return nothing(s, c, self, ret);
	SimSkb *b = g_queue_peek_head(&s->rcvq);
	gsize k = MIN(n, b->len);
	if (out)
		g_string_append_len(out, b->data, (gssize)k);
	*ret = c->flags & SIM_MSG_TRUNC ? b->len : k;
	c->from = g_strdup(b->from);
	if (!(c->flags & SIM_MSG_PEEK)) {
		s->rcv_bytes -= b->len;
		s->received += k;
		consume(s, b, c->wake);
		wake_all(&s->peer_wait, c->wake); /* room for a sender waiting on the queue */
	}
	return 0;
}

int sim_sock_recv(SimSock *s, SimSockCtx *c, SimWaiter *self, gsize n, GString *out, gsize *ret)
{
	*ret = 0;
	/* unix_stream_read_generic and unix_seqpacket_recvmsg want a connection first. */
	if (s->state != SIM_SOCK_CONNECTED && s->type == SIM_SOCK_STREAM)
		return EINVAL;
	if (s->state != SIM_SOCK_CONNECTED && s->type == SIM_SOCK_SEQPACKET)
		return ENOTCONN;
	if (s->type == SIM_SOCK_STREAM)
		return stream_recv(s, c, self, n, out, ret);
	return dgram_recv(s, c, self, n, out, ret);
}

int sim_sock_shutdown(SimSock *s, SimSockCtx *c, int how)
{
	if (how < SIM_SHUT_RD || how > SIM_SHUT_RDWR)
		return EINVAL;
	guint mode = (guint)how + 1; /* SHUT_RD 1, SHUT_WR 2, SHUT_RDWR 3 */
	s->shut |= mode;
	wake_all(&s->wait, c->wake);
	SimSock *o = s->peer;
	if (o && s->type != SIM_SOCK_DGRAM) {
		guint mirror = ((mode & SIM_SOCK_RCV_SHUTDOWN) ? SIM_SOCK_SEND_SHUTDOWN : 0) |
			       ((mode & SIM_SOCK_SEND_SHUTDOWN) ? SIM_SOCK_RCV_SHUTDOWN : 0);
		o->shut |= mirror;
		wake_all(&o->wait, c->wake);
	}
	return 0;
}

/* unix_release_sock of an end that was never accepted (embrion): its client is reset. */
static void release_embryo(SimSock *e, SimSockCtx *c)
{
	SimSock *client = e->peer;
	if (client && !client->closed)
		client->err = ECONNRESET;
	sim_sock_close(e, c);
	if (sim_sock_pair_closed(e->pair)) {
		sim_sock_pair_free(e->pair);
		c->pairs_freed++;
	}
}

gboolean sim_sock_close(SimSock *s, SimSockCtx *c)
{
	SimSock *o = &s->pair->end[s == &s->pair->end[0] ? 1 : 0];
	s->closed = TRUE;
	s->shut = SIM_SOCK_RCV_SHUTDOWN | SIM_SOCK_SEND_SHUTDOWN;
	SimSock *e;
	while ((e = g_queue_pop_head(&s->accq)))
		release_embryo(e, c);
	if (!o->closed && s->type != SIM_SOCK_DGRAM && s->peer) {
		o->shut = SIM_SOCK_RCV_SHUTDOWN | SIM_SOCK_SEND_SHUTDOWN;
		if (!g_queue_is_empty(&s->rcvq))
			o->err = ECONNRESET;
	}
	/* unix_release_sock purges its queue: the peer's buffers go back to its count. */
	SimSkb *b;
	while ((b = g_queue_pop_head(&s->rcvq)))
		skb_release(b, c->wake);
	s->rcv_bytes = 0;
	wake_all(&s->wait, c->wake);
	wake_all(&s->peer_wait, c->wake); /* senders waiting for room find it gone */
	wake_all(&o->wait, c->wake);
	return o->closed;
}

int sim_sock_listen(SimSock *s, SimSockCtx *c, gint64 backlog)
{
	if (s->type != SIM_SOCK_STREAM && s->type != SIM_SOCK_SEQPACKET)
		return EOPNOTSUPP;
	if (!s->name)
		return EINVAL; /* no listens on an unbound socket */
	if (s->state != SIM_SOCK_UNCONNECTED && s->state != SIM_SOCK_LISTENING)
		return EINVAL;
	if ((guint64)backlog > 4096)
		backlog = 4096; /* net.core.somaxconn; listen(2) reads the backlog unsigned */
	if (backlog > s->backlog)
		wake_all(&s->wait, c->wake); /* connects waiting for room look again */
	s->backlog = backlog;
	s->state = SIM_SOCK_LISTENING;
	return 0;
}

int sim_sock_connect(SimSock *s, SimSock *to, SimSockCtx *c, SimWaiter *self)
{
	if (!to || to->closed || to->state != SIM_SOCK_LISTENING ||
	    (to->shut & SIM_SOCK_RCV_SHUTDOWN))
		return ECONNREFUSED;
	if ((gint64)g_queue_get_length(&to->accq) > to->backlog) {
		if (c->nonblock)
			return EAGAIN;
		if (c->signal_pending)
			return EINTR;
		sim_waitq_sleep(&to->wait, self); /* unix_wait_for_peer: an accept wakes it */
		return SIM_BLOCKED;
	}
	if (s->state == SIM_SOCK_CONNECTED)
		return EISCONN;
	if (s->state != SIM_SOCK_UNCONNECTED)
		return EINVAL;
	SimSock *e = &s->pair->end[1];
	e->closed = FALSE;
	e->state = s->state = SIM_SOCK_CONNECTED;
	e->peer = s;
	s->peer = e;
	g_queue_push_tail(&to->accq, e);
	wake_all(&to->wait, c->wake); /* an accept waiting for a connection */
	return 0;
}

int sim_sock_dgram_connect(SimSock *s, SimSock *to)
{
	if (to->peer && to->peer != s)
		return EPERM; /* unix_may_send */
	SimSock *old = s->peer;
	if (old && old != to && !g_queue_is_empty(&s->rcvq)) {
		/* unix_dgram_disconnected: what came before goes, and the old peer, if it was
		 * connected back, learns it. */
		SimSkb *b;
		while ((b = g_queue_pop_head(&s->rcvq)))
			skb_release(b, NULL);
		s->rcv_bytes = 0;
		if (!old->closed && old->peer == s)
			old->err = ECONNRESET;
	}
	set_peer(s, to);
	s->state = SIM_SOCK_CONNECTED;
	return 0;
}

int sim_sock_accept(SimSock *s, SimSockCtx *c, SimWaiter *self, SimSock **out)
{
	*out = NULL;
	if (s->type != SIM_SOCK_STREAM && s->type != SIM_SOCK_SEQPACKET)
		return EOPNOTSUPP;
	if (s->state != SIM_SOCK_LISTENING)
		return EINVAL;
	if (g_queue_is_empty(&s->accq)) {
		if (c->nonblock)
			return EAGAIN;
		/* skb_recv_datagram gives up without an error on a listener shut for reading
		 * (a shutdown, either how but SHUT_WR, wakes the sleeper to find it so), and
		 * unix_accept turns that "receive shutdown" into EINVAL. */
		if (s->shut & SIM_SOCK_RCV_SHUTDOWN)
			return EINVAL;
		if (c->signal_pending)
			return EINTR;
		sim_waitq_sleep(&s->wait, self);
		return SIM_BLOCKED;
	}
	*out = g_queue_pop_head(&s->accq);
	wake_all(&s->wait, c->wake); /* a connect waiting for room in the queue */
	return 0;
}

/* ---- Queries ---- */

static const struct {
	const char *name;
	int type;
} types[] = { { "stream", SIM_SOCK_STREAM },
	      { "dgram", SIM_SOCK_DGRAM },
	      { "seqpacket", SIM_SOCK_SEQPACKET } };

const char *sim_sock_type_name(int type)
{
	for (guint i = 0; i < G_N_ELEMENTS(types); i++)
		if (types[i].type == type)
			return types[i].name;
	return NULL;
}

int sim_sock_type_by_name(const char *name)
{
	for (guint i = 0; i < G_N_ELEMENTS(types); i++)
		if (strcmp(types[i].name, name) == 0)
			return types[i].type;
	return -1;
}

/* ---- Debug ---- */

gboolean sim_sock_check(const SimSock *s)
{
	const SimSock *o = &s->pair->end[s == &s->pair->end[0] ? 1 : 0];
	guint64 bytes = 0;
	gsize wmem = 0;
	for (const GList *l = s->rcvq.head; l; l = l->next) {
		const SimSkb *b = l->data;
		if (b->off > b->len)
			return FALSE;
		bytes += b->len - b->off;
	}
	for (const GList *l = o->rcvq.head; l; l = l->next)
		if (((const SimSkb *)l->data)->owner == s)
			wmem += ((const SimSkb *)l->data)->truesize;
	/* A datagram socket's buffers may sit anywhere: its partner holds some of them. */
	gboolean wmem_ok = s->type == SIM_SOCK_DGRAM ? wmem <= s->wmem : wmem == s->wmem;
	return bytes == s->rcv_bytes && wmem_ok && sim_waitq_check(&s->wait) &&
	       sim_waitq_check(&s->peer_wait);
}
