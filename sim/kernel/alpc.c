/* alpc.c — connection ports, communication port pairs and their handles (alpc.h).
 *
 * Every operation checks in the order the lecture tells the story: the handle, then the
 * state of the pair or port, then whether there is something to take; a call that must
 * wait goes on its own end's (or port's) wait list and is woken, with every other waiter
 * there, whenever something changes: it then looks again, so a wake-up never carries data.
 */
#include "msgsim/kernel/alpc.h"

#include <errno.h>
#include <string.h>

SimAlpcMsg *sim_alpc_msg_new(int from, const char *text, gsize len, gsize size)
{
	SimAlpcMsg *m = g_new0(SimAlpcMsg, 1);
	m->from = from;
	m->len = MIN(len, size);
	m->text = g_strndup(text ? text : "", m->len);
	m->size = size;
	return m;
}

void sim_alpc_msg_free(SimAlpcMsg *m)
{
	if (!m)
		return;
	g_free(m->text);
	g_free(m);
}

static void msg_free_cb(gpointer data)
{
	sim_alpc_msg_free(data);
}

static void port_free(gpointer data)
{
	SimAlpcPort *p = data;
	g_queue_clear(&p->pending);
	g_free(p->name);
	g_free(p);
}

static void pair_free(gpointer data)
{
	SimAlpcPair *pair = data;
	for (int i = 0; i < 2; i++) {
		g_queue_clear_full(&pair->end[i].requests, msg_free_cb);
		sim_alpc_msg_free(pair->end[i].reply);
	}
	sim_alpc_msg_free(pair->conn);
	g_free(pair);
}

SimAlpcSpace *sim_alpc_space_new(void)
{
	SimAlpcSpace *sp = g_new0(SimAlpcSpace, 1);
	sp->names = g_hash_table_new(g_str_hash, g_str_equal);
	sp->ports = g_ptr_array_new_with_free_func(port_free);
	sp->pairs = g_ptr_array_new_with_free_func(pair_free);
	sp->handles = g_array_new(FALSE, TRUE, sizeof(SimAlpcHandle));
	sp->connecting = g_hash_table_new(g_direct_hash, g_direct_equal);
	return sp;
}

void sim_alpc_space_free(SimAlpcSpace *sp)
{
	if (!sp)
		return;
	g_hash_table_destroy(sp->names);
	g_hash_table_destroy(sp->connecting);
	g_ptr_array_free(sp->ports, TRUE);
	g_ptr_array_free(sp->pairs, TRUE);
	g_array_free(sp->handles, TRUE);
	g_free(sp);
}

/* ---- Handles ---- */

SimAlpcHandle *sim_alpc_handle(SimAlpcSpace *sp, gint64 h, int task)
{
	if (!sp || h < 1 || h > (gint64)sp->handles->len)
		return NULL;
	SimAlpcHandle *hd = &g_array_index(sp->handles, SimAlpcHandle, h - 1);
	return hd->closed || hd->owner != task ? NULL : hd;
}

gint64 sim_alpc_handle_new(SimAlpcSpace *sp, int task, SimAlpcPort *port, SimAlpcEnd *end)
{
	SimAlpcHandle hd = { .owner = task, .port = port, .end = end };
	g_array_append_val(sp->handles, hd);
	return (gint64)sp->handles->len;
}

static void wake_all(SimWaitQueue *q, SimWakeList *wl)
{
	SimWaiter *w;
	while ((w = sim_waitq_first(q)))
		sim_waitq_wake(wl, w, 0);
}

/* Wakes every waiter of q; returns how many there were. */
static guint wake_count(SimWaitQueue *q, SimWakeList *wl)
{
	guint n = 0;
	SimWaiter *w;
	while ((w = sim_waitq_first(q))) {
		sim_waitq_wake(wl, w, 0);
		n++;
	}
	return n;
}

/* The connection port dies: its name is free again and every pending connect fails (a
 * pending connect whose client died already has nobody waiting: it is not counted). */
static void port_close(SimAlpcSpace *sp, SimAlpcPort *p, SimWakeList *wl, SimAlpcDeath *d)
{
	p->closed = TRUE;
	if (g_hash_table_lookup(sp->names, p->name) == p)
		g_hash_table_remove(sp->names, p->name);
	d->port = p;
	d->err = ECONNABORTED;
	SimAlpcPair *pair;
	while ((pair = g_queue_pop_head(&p->pending))) {
		pair->state = SIM_ALPC_ABORTED;
		d->failed += wake_count(&pair->end[1].wait, wl);
	}
	wake_all(&p->wait, wl);
}

/* A communication port dies: what was sent to it goes, and the other end learns it. */
static void end_close(SimAlpcEnd *e, SimWakeList *wl, SimAlpcDeath *d)
{
	e->closed = TRUE;
	g_queue_clear_full(&e->requests, msg_free_cb);
	sim_alpc_msg_free(e->reply);
	e->reply = NULL;
	d->end = e;
	d->err = ECONNRESET;
	d->failed = wake_count(&e->pair->end[!e->side].wait, wl);
}

void sim_alpc_handle_close(SimAlpcSpace *sp, gint64 h, SimWakeList *wl, SimAlpcDeath *d)
{
	SimAlpcHandle *hd = &g_array_index(sp->handles, SimAlpcHandle, h - 1);
	*d = (SimAlpcDeath){ .port = NULL };
	hd->closed = TRUE;
	if (hd->port)
		port_close(sp, hd->port, wl, d);
	else
		end_close(hd->end, wl, d);
}

gboolean sim_alpc_exit(SimAlpcSpace *sp, int task, SimWakeList *wl,
		       void (*died)(void *data, const SimAlpcDeath *d), void *data)
{
	gboolean any = FALSE;
	for (guint i = 0; sp && i < sp->handles->len; i++) {
		SimAlpcHandle *hd = &g_array_index(sp->handles, SimAlpcHandle, i);
		if (!hd->closed && hd->owner == task) {
			SimAlpcDeath d;
			sim_alpc_handle_close(sp, (gint64)i + 1, wl, &d);
			if (died)
				died(data, &d);
			any = TRUE;
		}
	}
	return any;
}

/* ---- Connecting ---- */

int sim_alpc_create(SimAlpcSpace *sp, const char *name, int task, SimAlpcPort **out)
{
	*out = NULL;
	if (g_hash_table_lookup(sp->names, name))
		return EEXIST;
	SimAlpcPort *p = g_new0(SimAlpcPort, 1);
	p->name = g_strdup(name);
	p->server = task;
	g_queue_init(&p->pending);
	sim_waitq_init(&p->wait, SIM_ORDER_FIFO);
	g_ptr_array_add(sp->ports, p);
	g_hash_table_insert(sp->names, p->name, p);
	*out = p;
	return 0;
}

int sim_alpc_connect(SimAlpcSpace *sp, const char *name, SimAlpcMsg *m, SimWakeList *wl,
		     SimAlpcPair **out)
{
	*out = NULL;
	SimAlpcPort *p = g_hash_table_lookup(sp->names, name);
	if (!p) {
		sim_alpc_msg_free(m);
		return ENOENT;
	}
	SimAlpcPair *pair = g_new0(SimAlpcPair, 1);
	g_snprintf(pair->name, sizeof(pair->name), "alpc#%u", sp->pairs->len + 1);
	pair->conn = m;
	for (int i = 0; i < 2; i++) {
		pair->end[i].pair = pair;
		pair->end[i].side = i;
		g_queue_init(&pair->end[i].requests);
		sim_waitq_init(&pair->end[i].wait, SIM_ORDER_FIFO);
	}
	g_ptr_array_add(sp->pairs, pair);
	g_queue_push_tail(&p->pending, pair);
	wake_all(&p->wait, wl);
	*out = pair;
	return 0;
}

int sim_alpc_connect_wait(SimAlpcPair *pair, SimWaiter *self)
{
	switch (pair->state) {
	case SIM_ALPC_OPEN:
		return 0;
	case SIM_ALPC_REFUSED:
		return ECONNREFUSED;
	case SIM_ALPC_ABORTED:
		return ECONNABORTED;
	default:
		sim_waitq_sleep(&pair->end[1].wait, self);
		return SIM_BLOCKED;
	}
}

int sim_alpc_accept(SimAlpcPort *port, gboolean refuse, SimWaiter *self, SimWakeList *wl,
		    SimAlpcPair **out)
{
	SimAlpcPair *pair;
	*out = NULL;
	/* A client that died while it waited left its request: nobody is there to answer. */
	while ((pair = g_queue_pop_head(&port->pending))) {
		if (!pair->end[1].closed)
			break;
		pair->state = SIM_ALPC_ABORTED;
	}
	if (!pair) {
		sim_waitq_sleep(&port->wait, self);
		return SIM_BLOCKED;
	}
	pair->state = refuse ? SIM_ALPC_REFUSED : SIM_ALPC_OPEN;
	if (refuse)
		pair->end[0].closed = TRUE;
	wake_all(&pair->end[1].wait, wl);
	*out = pair;
	return 0;
}

/* ---- Talking ---- */

/* m is too large, goes through the pair's section (made now if it has none), or fits. */
static int place(SimAlpcSpace *sp, SimAlpcPair *pair, SimAlpcMsg *m)
{
	if (m->size > SIM_ALPC_SECTION_MAX)
		return EMSGSIZE;
	if (m->size <= SIM_ALPC_MSG_MAX)
		return 0;
	if (!pair->section)
		pair->section = ++sp->n_sections;
	pair->section_bytes = MAX(pair->section_bytes, m->size);
	m->via_section = TRUE;
	return 0;
}

int sim_alpc_send(SimAlpcSpace *sp, SimAlpcEnd *e, SimAlpcMsg *m, SimWakeList *wl)
{
	SimAlpcEnd *peer = &e->pair->end[!e->side];
	int err = peer->closed ? ECONNRESET : place(sp, e->pair, m);
	if (err) {
		sim_alpc_msg_free(m);
		return err;
	}
	g_queue_push_tail(&peer->requests, m);
	e->awaiting = TRUE;
	wake_all(&peer->wait, wl);
	return 0;
}

int sim_alpc_wait_reply(SimAlpcEnd *e, SimWaiter *self, SimAlpcMsg **out)
{
	*out = NULL;
	if (e->reply) {
		*out = e->reply;
		e->reply = NULL;
		e->awaiting = FALSE;
		return 0;
	}
	if (e->pair->end[!e->side].closed) {
		e->awaiting = FALSE;
		return ECONNRESET;
	}
	sim_waitq_sleep(&e->wait, self);
	return SIM_BLOCKED;
}

int sim_alpc_receive(SimAlpcEnd *e, SimWaiter *self, SimAlpcMsg **out)
{
	*out = g_queue_pop_head(&e->requests);
	if (*out) {
		e->owed++;
		return 0;
	}
	if (e->pair->end[!e->side].closed)
		return ECONNRESET;
	sim_waitq_sleep(&e->wait, self);
	return SIM_BLOCKED;
}

int sim_alpc_reply(SimAlpcSpace *sp, SimAlpcEnd *e, SimAlpcMsg *m, SimWakeList *wl)
{
	SimAlpcEnd *peer = &e->pair->end[!e->side];
	int err = !e->owed ? ENOMSG : peer->closed ? ECONNRESET : place(sp, e->pair, m);
	if (err) {
		sim_alpc_msg_free(m);
		return err;
	}
	e->owed--;
	sim_alpc_msg_free(peer->reply);
	peer->reply = m;
	wake_all(&peer->wait, wl);
	return 0;
}

/* ---- Queries ---- */

static const char *const state_words[] = { "pending", "open", "refused", "aborted" };

const char *sim_alpc_pair_state(const SimAlpcPair *pair, char *buf, gsize size)
{
	if (!pair)
		return NULL;
	const SimAlpcEnd *a = &pair->end[0], *b = &pair->end[1];
	const char *st = pair->state == SIM_ALPC_OPEN && (a->closed || b->closed)
				 ? (a->closed ? "server gone" : "client gone")
				 : state_words[pair->state];
	int n = g_snprintf(buf, size, "[%s %s: %u|%u requests", pair->name, st,
			   a->requests.length, b->requests.length);
	if (pair->section && n >= 0 && (gsize)n < size)
		g_snprintf(buf + n, size - (gsize)n, ", section#%u %" G_GSIZE_FORMAT " bytes]",
			   pair->section, pair->section_bytes);
	else if (n >= 0 && (gsize)n + 1 < size)
		strcpy(buf + n, "]");
	return buf;
}

const char *sim_alpc_port_state(const SimAlpcPort *port, char *buf, gsize size)
{
	if (!port)
		return NULL;
	g_snprintf(buf, size, "[port %s%s: %u pending]", port->name,
		   port->closed ? " closed" : "", port->pending.length);
	return buf;
}
