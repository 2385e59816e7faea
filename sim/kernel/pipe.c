/* pipe.c — the slot ring, the merge rule and the exclusive wake-ups of fs/pipe.c (see pipe.h).
 *
 * The design choice to know: read and write are written as the kernel's loops are, with
 * the same flags (was_empty, wake_writer, wake_next_reader/writer) deciding the same
 * wake-ups, so a reader of fs/pipe.c can check this file line against line. What the
 * kernel does by sleeping inside the loop, this code does by queueing the caller and
 * returning SIM_BLOCKED; the caller comes back with `resumed` set.
 */
#include "msgsim/kernel/pipe.h"
#include "msgsim/kernel/pipeuser.h"

#include <string.h>

/* ---- Lifecycle ---- */

SimPipe *sim_pipe_new(const char *name, gboolean is_fifo, guint slots)
{
	SimPipe *p = g_new0(SimPipe, 1);
	p->name = g_strdup(name);
	p->is_fifo = is_fifo;
	p->ring = p->max_usage = slots;
	p->slots = g_new0(SimPipeSlot, slots);
	p->r_counter = p->w_counter = 1; /* alloc_pipe_info */
	sim_waitq_init(&p->rd_wait, SIM_ORDER_FIFO);
	sim_waitq_init(&p->wr_wait, SIM_ORDER_FIFO);
	sim_waitq_init(&p->open_wait, SIM_ORDER_FIFO);
	return p;
}

void sim_pipe_free(SimPipe *p)
{
	if (!p)
		return;
	for (guint i = 0; i < p->ring; i++)
		g_free(p->slots[i].page);
	g_free(p->slots);
	g_free(p->name);
	g_free(p);
}

gsize sim_pipe_bytes(const SimPipe *p)
{
	return sizeof(SimPipe) + strlen(p->name) + 1 +
	       (gsize)p->ring * (sizeof(SimPipeSlot) + SIM_PAGE_SIZE);
}

/* ---- Helpers ---- */

static SimPipeSlot *slot_at(const SimPipe *p, guint counter)
{
	return &p->slots[counter % p->ring];
}

static gboolean empty(const SimPipe *p)
{
	return p->head == p->tail;
}

static gboolean full(const SimPipe *p)
{
	return sim_pipe_used(p) >= p->max_usage;
}

/* wake_up_interruptible on an exclusive queue: the first waiter, if any. */
static void wake_one(SimWaitQueue *q, SimPipeCtx *c)
{
	SimWaiter *w = sim_waitq_first(q);
	if (w)
		sim_waitq_wake(c->wake, w, 0);
}

/* wake_up_interruptible_all. */
static void wake_all(SimWaitQueue *q, SimPipeCtx *c)
{
	SimWaiter *w;
	while ((w = sim_waitq_first(q)))
		sim_waitq_wake(c->wake, w, 0);
}

/* Copies bytes [from, from + count) of the write's byte stream to dst. */
static void copy_src(char *dst, const SimPipeSrc *src, gsize from, gsize count)
{
	if (!src->len) {
		memset(dst, 'x', count);
		return;
	}
	while (count) {
		gsize at = from % src->len;
		gsize k = MIN(count, src->len - at);
		memcpy(dst, src->text + at, k);
		dst += k;
		from += k;
		count -= k;
	}
}

/* Appends `count` bytes of the stream to slot s (a new slot, or a merge). */
static void fill(SimPipe *p, SimPipeSlot *s, const SimPipeSrc *src, gsize *done, gsize count)
{
	if (!s->page)
		s->page = g_malloc(SIM_PAGE_SIZE);
	copy_src(s->page + s->offset + s->len, src, *done, count);
	s->len += (guint)count;
	p->bytes += count;
	p->written += count;
	*done += count;
	p->max_used = MAX(p->max_used, sim_pipe_used(p));
}

/* ---- Open file descriptions ---- */

void sim_pipe_attach(SimPipe *p, gboolean rd, gboolean wr)
{
	p->files++;
	p->readers += rd ? 1u : 0u;
	p->writers += wr ? 1u : 0u;
}

gboolean sim_pipe_file_put(SimPipe *p)
{
	g_assert(p->files > 0);
	return --p->files == 0;
}

void sim_pipe_detach(SimPipe *p, SimPipeCtx *c, gboolean rd, gboolean wr)
{
	g_assert(p->files > 0 && (!rd || p->readers > 0) && (!wr || p->writers > 0));
	p->files--;
	p->readers -= rd ? 1u : 0u;
	p->writers -= wr ? 1u : 0u;
	/* pipe_release: the last reader or writer, but not the other side. */
	if (!p->readers != !p->writers) {
		wake_all(&p->rd_wait, c);
		wake_all(&p->wr_wait, c);
	}
}

/* ---- Operations ---- */

int sim_pipe_write(SimPipe *p, SimPipeCtx *c, SimWaiter *self, const SimPipeSrc *src, gsize n,
		   gsize *done)
{
	int ret = 0;
	gboolean was_empty, wake_next_writer = c->resumed;
	if (n == 0)
		return 0; /* a null write succeeds, readers or not */
	if (!c->resumed) {
		if (!p->readers) {
			c->sigpipe = TRUE;
			return EPIPE;
		}
		/* Merge n mod 4096 bytes into the newest slot when all of them fit after its end
		 * and it is no packet (a packet writer's bytes merge into an ordinary slot all
		 * the same: the kernel asks only the slot). */
		was_empty = empty(p);
		gsize chars = n & (SIM_PAGE_SIZE - 1);
		if (chars && !was_empty) {
			SimPipeSlot *s = slot_at(p, p->head - 1);
			if (!s->packet && s->offset + s->len + chars <= SIM_PAGE_SIZE) {
				fill(p, s, src, done, chars);
				if (*done == n)
					goto out;
			}
		}
	} else {
		was_empty = empty(p);
	}
	for (;;) {
		if (!p->readers) {
			c->sigpipe = TRUE;
			if (!*done)
				ret = EPIPE;
			break;
		}
		if (!full(p)) {
			SimPipeSlot *s = slot_at(p, p->head++);
			s->offset = s->len = 0;
			s->packet = c->packet;
			fill(p, s, src, done, MIN(n - *done, SIM_PAGE_SIZE));
			if (*done == n)
				break;
		}
		if (!full(p))
			continue;
		if (c->nonblock) {
			if (!*done)
				ret = EAGAIN;
			break;
		}
		if (c->signal_pending) {
			if (!*done)
				ret = EINTR;
			break;
		}
		/* Sleep for a free slot, waking a reader first if the pipe was empty. */
		if (was_empty)
			wake_one(&p->rd_wait, c);
		sim_waitq_sleep(&p->wr_wait, self);
		return SIM_BLOCKED;
	}
out:
	if (full(p))
		wake_next_writer = FALSE;
	if (was_empty)
		wake_one(&p->rd_wait, c);
	if (wake_next_writer)
		wake_one(&p->wr_wait, c);
	return ret;
}

int sim_pipe_read(SimPipe *p, SimPipeCtx *c, SimWaiter *self, gsize n, GString *out, gsize *got)
{
	gboolean wake_writer = FALSE, wake_next_reader = c->resumed;
	*got = 0;
	if (n == 0)
		return 0;
	for (;;) {
		if (!empty(p)) {
			SimPipeSlot *s = slot_at(p, p->tail);
			gsize chars = MIN((gsize)s->len, n - *got);
			if (out)
				g_string_append_len(out, s->page + s->offset, (gssize)chars);
			s->offset += (guint)chars;
			s->len -= (guint)chars;
			p->bytes -= chars;
			p->read += chars;
			*got += chars;
			gboolean packet = s->packet;
			if (packet) { /* the rest of a packet is dropped, and the read ends */
				p->bytes -= s->len;
				s->len = 0;
			}
			if (!s->len) {
				wake_writer |= full(p);
				s->offset = 0;
				s->packet = FALSE;
				p->tail++;
			}
			if (*got == n || packet)
				break;
			if (!empty(p))
				continue;
		}
		if (!p->writers || *got)
			break;
		if (c->nonblock)
			return EAGAIN;
		if (c->signal_pending)
			return EINTR;
		sim_waitq_sleep(&p->rd_wait, self);
		return SIM_BLOCKED;
	}
	if (empty(p))
		wake_next_reader = FALSE;
	if (wake_writer)
		wake_one(&p->wr_wait, c);
	if (wake_next_reader)
		wake_one(&p->rd_wait, c);
	return 0;
}

/* wait_for_partner: sleep until the partner's counter moves; a caught signal gives up. */
static int wait_partner(SimPipe *p, SimPipeCtx *c, SimWaiter *self, guint access)
{
	if (c->signal_pending) {
		sim_pipe_open_abort(p, c, access);
		return EINTR;
	}
	sim_waitq_sleep(&p->open_wait, self);
	return SIM_BLOCKED;
}

int sim_pipe_open(SimPipe *p, SimPipeCtx *c, SimWaiter *self, guint access, guint *cookie)
{
	if (c->resumed) {
		/* Woken by an open of the other side, a last close, or a signal. */
		guint now = access == SIM_O_RDONLY ? p->w_counter : p->r_counter;
		return now != *cookie ? 0 : wait_partner(p, c, self, access);
	}
	switch (access) {
	case SIM_O_RDONLY:
		p->files++;
		p->r_counter++;
		if (p->readers++ == 0)
			wake_all(&p->open_wait, c);
		if (!p->writers && !c->nonblock) {
			*cookie = p->w_counter;
			return wait_partner(p, c, self, access);
		}
		return 0;
	case SIM_O_WRONLY:
		if (c->nonblock && !p->readers)
			return ENXIO;
		p->files++;
		p->w_counter++;
		if (p->writers++ == 0)
			wake_all(&p->open_wait, c);
		if (!p->readers) {
			*cookie = p->r_counter;
			return wait_partner(p, c, self, access);
		}
		return 0;
	default:
		/* O_RDWR never waits: the process can at least talk to itself. */
		p->files++;
		p->readers++;
		p->writers++;
		p->r_counter++;
		p->w_counter++;
		if (p->readers == 1 || p->writers == 1)
			wake_all(&p->open_wait, c);
		return 0;
	}
}

void sim_pipe_open_abort(SimPipe *p, SimPipeCtx *c, guint access)
{
	g_assert(p->files > 0);
	p->files--;
	if (access == SIM_O_RDONLY) {
		/* Still blocked: err_rd wakes one writer, but none can be waiting (a writer's
		 * open would have woken this opener). Woken by a writer's open: the kernel's
		 * open succeeds and the exit's pipe_release wakes every writer (EPIPE). */
		if (--p->readers == 0)
			wake_all(&p->wr_wait, c);
	} else if (--p->writers == 0) {
		wake_all(&p->rd_wait, c);
	}
}

static guint round_pipe_size(guint32 size)
{
	if (size > (1u << 31))
		return 0;
	if (size < SIM_PAGE_SIZE)
		return SIM_PAGE_SIZE;
	guint r = SIM_PAGE_SIZE;
	while (r < size)
		r <<= 1;
	return r;
}

gint64 sim_pipe_set_size(SimPipe *p, SimPipeCtx *c, gint64 arg, gboolean cap_sys_resource)
{
	/* fcntl passes the argument on as an unsigned int: -1 is 4294967295. */
	guint size = round_pipe_size((guint32)arg);
	guint nr = size / SIM_PAGE_SIZE;
	if (!nr)
		return -EINVAL;
	if (nr > p->max_usage && size > SIM_PIPE_MAX_SIZE && !cap_sys_resource)
		return -EPERM;
	/* The user's pages: charged anew, refused above a limit when the pipe grows. */
	guint old = p->nr_accounted;
	int err = c->users ? sim_pipe_users_resize(c->users, p->user, c->privileged, old, nr) : 0;
	if (err)
		return -err;
	guint used = sim_pipe_used(p);
	if (nr < used) {
		if (c->users) /* out_revert_acct */
			sim_pipe_users_resize(c->users, p->user, TRUE, nr, old);
		return -EBUSY;
	}
	p->nr_accounted = c->users ? nr : p->nr_accounted;
	/* pipe_resize_ring: the unread slots move to the start of a new ring; pages of the
	 * free slots stay with the pipe while there is room for them. */
	SimPipeSlot *slots = g_new0(SimPipeSlot, nr);
	guint k = 0;
	for (guint i = 0; i < used; i++)
		slots[k++] = *slot_at(p, p->tail + i);
	for (guint i = used; i < p->ring; i++) {
		SimPipeSlot *s = slot_at(p, p->tail + i);
		if (k < nr && s->page)
			slots[k++] = (SimPipeSlot){ s->page, 0, 0, FALSE };
		else
			g_free(s->page);
	}
	g_free(p->slots);
	p->slots = slots;
	p->ring = p->max_usage = nr;
	p->tail = 0;
	p->head = used;
	wake_one(&p->wr_wait, c);
	return (gint64)size;
}

/* ---- Debug ---- */

gboolean sim_pipe_check(const SimPipe *p)
{
	guint used = sim_pipe_used(p);
	if (used > p->max_usage || p->max_usage > p->ring || p->max_usage == 0)
		return FALSE;
	guint64 bytes = 0;
	for (guint i = 0; i < used; i++) {
		const SimPipeSlot *s = slot_at(p, p->tail + i);
		if (s->offset + s->len > SIM_PAGE_SIZE || !s->page)
			return FALSE;
		bytes += s->len;
	}
	/* Every description (and blocked opener) counts as a reader, a writer or both. */
	if (bytes != p->bytes || p->readers + p->writers < p->files)
		return FALSE;
	return sim_waitq_check(&p->rd_wait) && sim_waitq_check(&p->wr_wait) &&
	       sim_waitq_check(&p->open_wait);
}
