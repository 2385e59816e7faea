/* test_pipe.c — pipes and FIFOs (pipe.h; ../shared/semantics.md §3, /tmp/probes/RESULTS.md):
 * the slot ring (full when every slot is used, however few bytes it holds; n mod 4096
 * merges into the newest slot only with room after its end; space freed at the start of a
 * page is not reusable; writes up to 4096 never split); write (null write, EPIPE+SIGPIPE,
 * EAGAIN, partial counts, no merge after a sleep); read (spans slots, EOF, EAGAIN);
 * exclusive FIFO wake-ups (one reader per write into an empty pipe, one writer per read
 * freeing a slot of a full pipe, a woken task leaving data or space wakes the next, a
 * resumed task that must wait again goes to the tail, the last close wakes everybody);
 * signals (EINTR instead of sleeping, partial counts); fifo_open (counter-based partner
 * wait, ENXIO, O_RDWR, EINTR and abort undo the count); F_SETPIPE_SZ (rounding, EPERM
 * before the 2^31 EINVAL, 32-bit truncation, EBUSY counts slots, data kept, one writer
 * woken); the bytes themselves; sim_pipe_check. Every operation is followed by
 * sim_pipe_check.
 */
#include <string.h>

#include "msgsim/base.h"
#include "msgsim/kernel/pipe.h"
#include "msgsim/lang/scn.h"
#include "msgsim/engine/waitq.h"
#include "tests.h"

#define PG ((gsize)SIM_PAGE_SIZE)

enum { NTASK = 8, ME = 7 }; /* task ME does the calls that never block */

/* Call flags: O_NONBLOCK, `resumed` (woken, calling again), a caught signal pending. */
enum { NB = 1u, RES = 2u, SIG = 4u };

typedef struct Fx {
	SimPipe *p;
	SimWakeList wake;
	SimPipeCtx ctx;
	SimWaiter t[NTASK]; /* task i's waiter */
	GString *out;	    /* what the reads returned, appended */
	GString *names;	    /* woken(): the wake list as text */
} Fx;

/* A pipe of `slots` slots. An anonymous pipe gets one read and one write description, as
 * pipe() makes; a FIFO gets none (its opens make them). */
static void fx_init_n(Fx *fx, gboolean fifo, guint slots)
{
	memset(fx, 0, sizeof(*fx));
	fx->p = sim_pipe_new(fifo ? "/tmp/fifo" : "pipe#1", fifo, slots);
	if (!fifo) {
		sim_pipe_attach(fx->p, TRUE, FALSE);
		sim_pipe_attach(fx->p, FALSE, TRUE);
	}
	for (int i = 0; i < NTASK; i++) {
		fx->t[i].task = i;
		fx->t[i].from = -1;
	}
	fx->out = g_string_new(NULL);
	fx->names = g_string_new(NULL);
	CU_ASSERT_TRUE(sim_pipe_check(fx->p));
}

static void fx_init(Fx *fx)
{
	fx_init_n(fx, FALSE, SIM_PIPE_DEF_SLOTS);
}

static void fx_done(Fx *fx)
{
	CU_ASSERT_TRUE(sim_pipe_check(fx->p));
	CU_ASSERT_EQUAL(fx->p->rd_wait.len, 0);
	CU_ASSERT_EQUAL(fx->p->wr_wait.len, 0);
	CU_ASSERT_EQUAL(fx->p->open_wait.len, 0);
	for (int i = 0; i < NTASK; i++) /* after a failure: leave no waiter behind */
		if (fx->t[i].queue)
			sim_waitq_del(&fx->t[i]);
	sim_pipe_free(fx->p);
	g_string_free(fx->out, TRUE);
	g_string_free(fx->names, TRUE);
}

static void ctx_reset(Fx *fx, guint fl)
{
	fx->wake.first = fx->wake.last = NULL;
	fx->ctx = (SimPipeCtx){ .wake = &fx->wake,
				.nonblock = (fl & NB) != 0,
				.resumed = (fl & RES) != 0,
				.signal_pending = (fl & SIG) != 0 };
}

/* The tasks the last operation woke, in order: "1 2" ("" for nobody). A waker always posts
 * 0 and takes the waiter off its queue; anything else shows. */
static const char *woken(Fx *fx)
{
	g_string_truncate(fx->names, 0);
	for (const SimWaiter *w = fx->wake.first; w; w = w->wake_next) {
		g_string_append_printf(fx->names, "%s%d", fx->names->len ? " " : "", w->task);
		if (w->result != 0)
			g_string_append_printf(fx->names, "(result %d)", w->result);
		if (w->queue)
			g_string_append(fx->names, "(still queued)");
	}
	return fx->names->str;
}

/* ---- Operations, each followed by sim_pipe_check ---- */

/* Task i writes n bytes of src; a fresh call starts *done at 0, a resumed one goes on. */
static int wr_src(Fx *fx, int i, guint fl, const SimPipeSrc *src, gsize n, gsize *done)
{
	if (!(fl & RES))
		*done = 0;
	ctx_reset(fx, fl);
	int r = sim_pipe_write(fx->p, &fx->ctx, &fx->t[i], src, n, done);
	CU_ASSERT_TRUE(sim_pipe_check(fx->p));
	return r;
}

static int wr_text(Fx *fx, int i, guint fl, const char *text, gsize n, gsize *done)
{
	SimPipeSrc src = { text, text ? strlen(text) : 0 };
	return wr_src(fx, i, fl, &src, n, done);
}

static int wr(Fx *fx, int i, guint fl, gsize n, gsize *done)
{
	return wr_text(fx, i, fl, NULL, n, done);
}

/* A non-blocking write by ME: the count written, or -errno. */
static gint64 wnb_text(Fx *fx, const char *text, gsize n)
{
	gsize done = 0;
	int r = wr_text(fx, ME, NB, text, n, &done);
	CU_ASSERT_NOT_EQUAL(r, SIM_BLOCKED);
	if (r) {
		CU_ASSERT_EQUAL(done, 0);
		return -(gint64)r;
	}
	return (gint64)done;
}

static gint64 wnb(Fx *fx, gsize n)
{
	return wnb_text(fx, NULL, n);
}

/* k non-blocking writes of one page of `text` each, all of which must go in. */
static void pages(Fx *fx, const char *text, guint k)
{
	guint ok = 0;
	for (guint i = 0; i < k; i++)
		ok += wnb_text(fx, text, PG) == (gint64)PG;
	CU_ASSERT_EQUAL(ok, k);
}

/* Task i reads up to n bytes into out (NULL: discarded). */
static int rd_into(Fx *fx, int i, guint fl, gsize n, GString *out, gsize *got)
{
	ctx_reset(fx, fl);
	*got = 999999; /* must be overwritten */
	int r = sim_pipe_read(fx->p, &fx->ctx, &fx->t[i], n, out, got);
	CU_ASSERT_TRUE(sim_pipe_check(fx->p));
	return r;
}

/* Task i reads up to n bytes, appended to fx->out. */
static int rd(Fx *fx, int i, guint fl, gsize n, gsize *got)
{
	return rd_into(fx, i, fl, n, fx->out, got);
}

/* A non-blocking read by ME into fx->out: the count read, or -errno. */
static gint64 rnb(Fx *fx, gsize n)
{
	gsize got = 0;
	int r = rd(fx, ME, NB, n, &got);
	CU_ASSERT_NOT_EQUAL(r, SIM_BLOCKED);
	if (r) {
		CU_ASSERT_EQUAL(got, 0);
		return -(gint64)r;
	}
	return (gint64)got;
}

static int fifo_open(Fx *fx, int i, guint fl, guint access, guint *cookie)
{
	ctx_reset(fx, fl);
	int r = sim_pipe_open(fx->p, &fx->ctx, &fx->t[i], access, cookie);
	CU_ASSERT_TRUE(sim_pipe_check(fx->p));
	return r;
}

static void open_abort(Fx *fx, guint access)
{
	ctx_reset(fx, 0);
	sim_pipe_open_abort(fx->p, &fx->ctx, access);
	CU_ASSERT_TRUE(sim_pipe_check(fx->p));
}

/* Closes a description that could read and/or write. */
static void detach(Fx *fx, gboolean r, gboolean w)
{
	ctx_reset(fx, 0);
	sim_pipe_detach(fx->p, &fx->ctx, r, w);
	CU_ASSERT_TRUE(sim_pipe_check(fx->p));
}

static void attach(Fx *fx, gboolean r, gboolean w)
{
	sim_pipe_attach(fx->p, r, w);
	CU_ASSERT_TRUE(sim_pipe_check(fx->p));
}

static gint64 set_size(Fx *fx, gint64 arg, gboolean cap)
{
	ctx_reset(fx, 0);
	gint64 r = sim_pipe_set_size(fx->p, &fx->ctx, arg, cap);
	CU_ASSERT_TRUE(sim_pipe_check(fx->p));
	return r;
}

/* ---- Data helpers ---- */

/* `text` repeated to n bytes ('x' when NULL). */
static GString *repeat(const char *text, gsize n)
{
	GString *s = g_string_sized_new(n);
	gsize len = text ? strlen(text) : 0;
	for (gsize i = 0; i < n; i++)
		g_string_append_c(s, len ? text[i % len] : 'x');
	return s;
}

/* s holds exactly `expect`. */
static gboolean same(const GString *s, const GString *expect)
{
	return s->len == expect->len && memcmp(s->str, expect->str, s->len) == 0;
}

/* s[from, from + n) exists and is all c. */
static gboolean run_of(const GString *s, gsize from, gsize n, char c)
{
	if (from + n > s->len)
		return FALSE;
	for (gsize i = from; i < from + n; i++)
		if (s->str[i] != c)
			return FALSE;
	return TRUE;
}

/* The length of the slot `back` places before the head (1: the newest). */
static guint slot_len(const SimPipe *p, guint back)
{
	return p->slots[(p->head - back) % p->ring].len;
}

/* ---- Lifecycle ---- */

static void test_pipe_new_pipe_is_empty_with_16_slots_and_counters_at_1(void)
{
	char name[] = "pipe#7";
	g_autoptr(SimPipe) p = sim_pipe_new(name, FALSE, SIM_PIPE_DEF_SLOTS);
	name[0] = 'X'; /* the pipe owns a copy */
	CU_ASSERT_STRING_EQUAL(p->name, "pipe#7");
	CU_ASSERT_FALSE(p->is_fifo);
	CU_ASSERT_EQUAL(sim_pipe_size(p), 65536);
	CU_ASSERT_EQUAL(p->max_usage, 16);
	CU_ASSERT_EQUAL(p->ring, 16);
	CU_ASSERT_EQUAL(sim_pipe_used(p), 0);
	CU_ASSERT_EQUAL(p->bytes, 0);
	CU_ASSERT_EQUAL(p->readers, 0);
	CU_ASSERT_EQUAL(p->writers, 0);
	CU_ASSERT_EQUAL(p->files, 0);
	CU_ASSERT_EQUAL(p->r_counter, 1); /* alloc_pipe_info */
	CU_ASSERT_EQUAL(p->w_counter, 1);
	CU_ASSERT_TRUE(sim_pipe_check(p));
	g_autoptr(SimPipe) f = sim_pipe_new("/tmp/f", TRUE, 4);
	CU_ASSERT_TRUE(f->is_fifo);
	CU_ASSERT_STRING_EQUAL(f->name, "/tmp/f");
	CU_ASSERT_EQUAL(sim_pipe_size(f), 16384);
	CU_ASSERT_TRUE(sim_pipe_check(f));
	sim_pipe_free(NULL); /* must not crash */
}

static void test_pipe_attach_and_detach_count_descriptions(void)
{
	g_autoptr(SimPipe) p = sim_pipe_new("pipe#1", FALSE, SIM_PIPE_DEF_SLOTS);
	sim_pipe_attach(p, TRUE, FALSE);
	sim_pipe_attach(p, FALSE, TRUE);
	sim_pipe_attach(p, TRUE, TRUE); /* an O_RDWR description counts on both sides */
	CU_ASSERT_EQUAL(p->files, 3);
	CU_ASSERT_EQUAL(p->readers, 2);
	CU_ASSERT_EQUAL(p->writers, 2);
	CU_ASSERT_TRUE(sim_pipe_check(p));
	SimWakeList wl = { NULL, NULL };
	SimPipeCtx c = { .wake = &wl };
	sim_pipe_detach(p, &c, TRUE, TRUE);
	CU_ASSERT_EQUAL(p->files, 2);
	CU_ASSERT_EQUAL(p->readers, 1);
	CU_ASSERT_EQUAL(p->writers, 1);
	CU_ASSERT_TRUE(sim_pipe_check(p));
	sim_pipe_detach(p, &c, TRUE, FALSE);
	sim_pipe_detach(p, &c, FALSE, TRUE);
	CU_ASSERT_EQUAL(p->files, 0);
	CU_ASSERT_EQUAL(p->readers, 0);
	CU_ASSERT_EQUAL(p->writers, 0);
	CU_ASSERT_PTR_NULL(wl.first);
	CU_ASSERT_TRUE(sim_pipe_check(p));
}

/* ---- Capacity: slots, not bytes (§3.1) ---- */

static void test_pipe_write_one_byte_writes_fill_65536(void)
{
	Fx fx;
	fx_init(&fx);
	guint ok = 0;
	for (guint i = 0; i < 65536; i++)
		ok += wnb(&fx, 1) == 1;
	CU_ASSERT_EQUAL(ok, 65536);
	CU_ASSERT_EQUAL(fx.p->bytes, 65536);
	CU_ASSERT_EQUAL(sim_pipe_used(fx.p), 16);
	CU_ASSERT_EQUAL(wnb(&fx, 1), -EAGAIN);
	CU_ASSERT_EQUAL(fx.p->bytes, 65536);
	fx_done(&fx);
}

static void test_pipe_write_4096_byte_writes_fill_16_slots(void)
{
	Fx fx;
	fx_init(&fx);
	pages(&fx, NULL, 16);
	CU_ASSERT_EQUAL(sim_pipe_used(fx.p), 16);
	CU_ASSERT_EQUAL(wnb(&fx, PG), -EAGAIN);
	CU_ASSERT_EQUAL(wnb(&fx, 1), -EAGAIN);
	CU_ASSERT_EQUAL(fx.p->bytes, 65536);
	CU_ASSERT_EQUAL(fx.p->max_used, 16);
	fx_done(&fx);
}

/* Alternating writes of `small` and 4096 bytes until EAGAIN: the bytes that went in; *k is
 * the index of the write that failed. */
static guint64 alternate(Fx *fx, gsize small, guint *k)
{
	guint64 total = 0;
	for (*k = 0; *k < 100; (*k)++) {
		gint64 r = wnb(fx, *k % 2 ? PG : small);
		if (r < 0) {
			CU_ASSERT_EQUAL(r, -EAGAIN);
			break;
		}
		total += (guint64)r;
	}
	return total;
}

static void test_pipe_write_alternating_1_and_4096_full_at_32776(void)
{
	Fx fx;
	fx_init(&fx);
	guint k = 0;
	CU_ASSERT_EQUAL(alternate(&fx, 1, &k), 32776);
	CU_ASSERT_EQUAL(k, 16); /* every write took its own slot; the failing one was 1 byte */
	CU_ASSERT_EQUAL(fx.p->bytes, 32776);
	CU_ASSERT_EQUAL(sim_pipe_used(fx.p), 16);
	fx_done(&fx);
}

static void test_pipe_write_alternating_100_and_4096_full_at_33568(void)
{
	Fx fx;
	fx_init(&fx);
	guint k = 0;
	CU_ASSERT_EQUAL(alternate(&fx, 100, &k), 33568);
	CU_ASSERT_EQUAL(k, 16);
	CU_ASSERT_EQUAL(fx.p->bytes, 33568);
	fx_done(&fx);
}

static void test_pipe_write_merge_needs_room_after_end(void)
{
	Fx fx;
	fx_init(&fx);
	/* 61441 bytes: 15 pages and 1 byte in the 16th slot */
	pages(&fx, NULL, 15);
	CU_ASSERT_EQUAL(wnb(&fx, 1), 1);
	CU_ASSERT_EQUAL(fx.p->bytes, 61441);
	CU_ASSERT_EQUAL(wnb(&fx, PG), -EAGAIN); /* 4096 mod 4096 = 0: needs a whole slot */
	CU_ASSERT_EQUAL(wnb(&fx, 4095), 4095);	/* merges */
	CU_ASSERT_EQUAL(fx.p->bytes, 65536);
	CU_ASSERT_EQUAL(sim_pipe_used(fx.p), 16);
	fx_done(&fx);

	/* The room counted is after the end, not the page's free bytes. */
	fx_init_n(&fx, FALSE, 1);
	CU_ASSERT_EQUAL(wnb(&fx, 100), 100);
	CU_ASSERT_EQUAL(rnb(&fx, 50), 50); /* 4046 bytes of the page free, 3996 after the end */
	CU_ASSERT_EQUAL(wnb(&fx, 3997), -EAGAIN);
	CU_ASSERT_EQUAL(fx.p->bytes, 50);
	CU_ASSERT_EQUAL(wnb(&fx, 3996), 3996);
	CU_ASSERT_EQUAL(fx.p->bytes, 4046);
	CU_ASSERT_EQUAL(sim_pipe_used(fx.p), 1);
	fx_done(&fx);
}

static void test_pipe_write_merge_only_when_not_empty(void)
{
	Fx fx;
	fx_init(&fx);
	/* An emptied pipe has no newest slot to merge into, even with the page still there. */
	CU_ASSERT_EQUAL(wnb(&fx, 10), 10);
	CU_ASSERT_EQUAL(rnb(&fx, 10), 10);
	CU_ASSERT_EQUAL(sim_pipe_used(fx.p), 0);
	CU_ASSERT_EQUAL(wnb(&fx, 10), 10);
	CU_ASSERT_EQUAL(wnb(&fx, 10), 10); /* this one merges */
	CU_ASSERT_EQUAL(sim_pipe_used(fx.p), 1);
	CU_ASSERT_EQUAL(slot_len(fx.p, 1), 20);
	CU_ASSERT_EQUAL(fx.p->slots[fx.p->tail % fx.p->ring].offset, 0);
	fx_done(&fx);
}

static void test_pipe_read_frees_slot_only_when_fully_read(void)
{
	Fx fx;
	fx_init(&fx);
	pages(&fx, NULL, 2);
	CU_ASSERT_EQUAL(sim_pipe_used(fx.p), 2);
	CU_ASSERT_EQUAL(rnb(&fx, 4095), 4095);
	CU_ASSERT_EQUAL(sim_pipe_used(fx.p), 2);
	CU_ASSERT_EQUAL(fx.p->bytes, 4097);
	CU_ASSERT_EQUAL(rnb(&fx, 1), 1);
	CU_ASSERT_EQUAL(sim_pipe_used(fx.p), 1);
	CU_ASSERT_EQUAL(fx.p->bytes, 4096);
	CU_ASSERT_EQUAL(rnb(&fx, 4000), 4000);
	CU_ASSERT_EQUAL(sim_pipe_used(fx.p), 1);
	CU_ASSERT_EQUAL(rnb(&fx, 4000), 96);
	CU_ASSERT_EQUAL(sim_pipe_used(fx.p), 0);
	fx_done(&fx);
}

static void test_pipe_partial_read_space_not_reusable(void)
{
	Fx fx;
	fx_init_n(&fx, FALSE, 1);
	CU_ASSERT_EQUAL(wnb(&fx, PG), (gint64)PG);
	CU_ASSERT_EQUAL(rnb(&fx, 50), 50);
	CU_ASSERT_EQUAL(wnb(&fx, 50), -EAGAIN);
	CU_ASSERT_EQUAL(fx.p->bytes, 4046);
	CU_ASSERT_EQUAL(rnb(&fx, 4046), 4046);
	CU_ASSERT_EQUAL(wnb(&fx, 50), 50);
	CU_ASSERT_EQUAL(fx.p->bytes, 50);
	CU_ASSERT_EQUAL(sim_pipe_used(fx.p), 1);
	fx_done(&fx);
}

static void test_pipe_nonblock_8192_into_one_free_slot_writes_4096(void)
{
	Fx fx;
	fx_init(&fx);
	pages(&fx, NULL, 15);
	CU_ASSERT_EQUAL(wnb(&fx, 8192), 4096);
	CU_ASSERT_EQUAL(sim_pipe_used(fx.p), 16);
	CU_ASSERT_EQUAL(fx.p->bytes, 65536);
	CU_ASSERT_EQUAL(wnb(&fx, 1), -EAGAIN);
	fx_done(&fx);
}

static void test_pipe_write_9000_after_14_pages_plus_100_writes_4904(void)
{
	Fx fx;
	fx_init(&fx);
	pages(&fx, NULL, 14);
	CU_ASSERT_EQUAL(wnb(&fx, 100), 100);
	CU_ASSERT_EQUAL(wnb(&fx, 9000), 4904); /* 808 merged + one slot */
	CU_ASSERT_EQUAL(fx.p->bytes, 62348);
	CU_ASSERT_EQUAL(sim_pipe_used(fx.p), 16);
	CU_ASSERT_EQUAL(slot_len(fx.p, 2), 908);
	CU_ASSERT_EQUAL(slot_len(fx.p, 1), 4096);
	fx_done(&fx);
}

static void test_pipe_write_5000_after_14_pages_plus_100_writes_5000(void)
{
	Fx fx;
	fx_init(&fx);
	pages(&fx, NULL, 14);
	CU_ASSERT_EQUAL(wnb(&fx, 100), 100);
	CU_ASSERT_EQUAL(wnb(&fx, 5000), 5000); /* 904 merged + one slot */
	CU_ASSERT_EQUAL(fx.p->bytes, 62444);
	CU_ASSERT_EQUAL(slot_len(fx.p, 2), 1004);
	CU_ASSERT_EQUAL(slot_len(fx.p, 1), 4096);
	CU_ASSERT_EQUAL(wnb(&fx, 1), -EAGAIN);
	fx_done(&fx);
}

static void test_pipe_write_5000_into_empty_takes_two_slots(void)
{
	Fx fx;
	fx_init(&fx);
	CU_ASSERT_EQUAL(wnb(&fx, 5000), 5000);
	CU_ASSERT_EQUAL(sim_pipe_used(fx.p), 2);
	CU_ASSERT_EQUAL(slot_len(fx.p, 2), 4096); /* no merge into an empty pipe: page first */
	CU_ASSERT_EQUAL(slot_len(fx.p, 1), 904);
	pages(&fx, NULL, 14);
	CU_ASSERT_EQUAL(wnb(&fx, 1), -EAGAIN);
	CU_ASSERT_EQUAL(fx.p->bytes, 5000 + 14 * 4096);
	fx_done(&fx);
}

static void test_pipe_nonblock_100000_into_empty_writes_65536(void)
{
	Fx fx;
	fx_init(&fx);
	CU_ASSERT_EQUAL(wnb(&fx, 100000), 65536);
	CU_ASSERT_EQUAL(sim_pipe_used(fx.p), 16);
	CU_ASSERT_EQUAL(fx.p->written, 65536);
	fx_done(&fx);
}

static void test_pipe_write_up_to_4096_never_splits(void)
{
	Fx fx;
	fx_init(&fx);
	pages(&fx, NULL, 15);
	CU_ASSERT_EQUAL(wnb(&fx, 4000), 4000);
	CU_ASSERT_EQUAL(wnb(&fx, 200), -EAGAIN); /* 96 would fit: not split */
	CU_ASSERT_EQUAL(fx.p->bytes, 65440);
	gsize d = 0;
	CU_ASSERT_EQUAL(wr(&fx, 1, 0, 200, &d), SIM_BLOCKED); /* blocking: nothing goes in */
	CU_ASSERT_EQUAL(d, 0);
	CU_ASSERT_EQUAL(fx.p->bytes, 65440);
	CU_ASSERT_PTR_EQUAL(fx.t[1].queue, &fx.p->wr_wait);
	CU_ASSERT_EQUAL(wnb(&fx, 96), 96);
	CU_ASSERT_EQUAL(fx.p->bytes, 65536);
	detach(&fx, TRUE, FALSE);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "1");
	CU_ASSERT_EQUAL(wr(&fx, 1, RES, 200, &d), EPIPE);
	CU_ASSERT_EQUAL(d, 0);
	fx_done(&fx);
}

static void test_pipe_bytes_is_fionread_and_totals_count(void)
{
	Fx fx;
	fx_init(&fx);
	CU_ASSERT_EQUAL(wnb(&fx, 100), 100);
	CU_ASSERT_EQUAL(wnb(&fx, PG), (gint64)PG);
	CU_ASSERT_EQUAL(wnb(&fx, 7), 7);
	CU_ASSERT_EQUAL(fx.p->bytes, 4203);
	CU_ASSERT_EQUAL(sim_pipe_used(fx.p), 3); /* 7 bytes cannot merge into a full page */
	CU_ASSERT_EQUAL(fx.p->written, 4203);
	CU_ASSERT_EQUAL(rnb(&fx, 1000), 1000);
	CU_ASSERT_EQUAL(fx.p->bytes, 3203);
	CU_ASSERT_EQUAL(fx.p->read, 1000);
	CU_ASSERT_EQUAL(fx.p->written, 4203);
	CU_ASSERT_EQUAL(fx.p->max_used, 3);
	fx_done(&fx);
}

static void test_pipe_pages_are_reused_once_every_slot_was_used(void)
{
	Fx fx;
	fx_init_n(&fx, FALSE, 4);
	pages(&fx, NULL, 4);
	CU_ASSERT_EQUAL(rnb(&fx, 4 * PG), (gint64)(4 * PG));
	char *page[4];
	for (guint i = 0; i < 4; i++) {
		page[i] = fx.p->slots[i].page;
		CU_ASSERT_PTR_NOT_NULL(page[i]);
	}
	for (guint round = 0; round < 3; round++) {
		CU_ASSERT_EQUAL(wnb(&fx, 1), 1); /* shifts the ring by one slot each round */
		pages(&fx, NULL, 3);
		CU_ASSERT_EQUAL(rnb(&fx, 3 * PG + 1), (gint64)(3 * PG + 1));
	}
	for (guint i = 0; i < 4; i++)
		CU_ASSERT_PTR_EQUAL(fx.p->slots[i].page, page[i]);
	fx_done(&fx);
}

/* ---- write (§3.2) ---- */

static void test_pipe_zero_length_write_no_readers_ok(void)
{
	Fx fx;
	fx_init(&fx);
	detach(&fx, TRUE, FALSE);
	gsize d = 99;
	CU_ASSERT_EQUAL(wr(&fx, 1, 0, 0, &d), 0);
	CU_ASSERT_EQUAL(d, 0);
	CU_ASSERT_FALSE(fx.ctx.sigpipe);
	CU_ASSERT_EQUAL(wr(&fx, 1, NB, 0, &d), 0);
	CU_ASSERT_FALSE(fx.ctx.sigpipe);
	CU_ASSERT_PTR_NULL(fx.t[1].queue);
	fx_done(&fx);

	/* ...and into a full pipe: nothing to wait for. */
	fx_init(&fx);
	pages(&fx, NULL, 16);
	CU_ASSERT_EQUAL(wr(&fx, 1, 0, 0, &d), 0);
	CU_ASSERT_PTR_NULL(fx.t[1].queue);
	fx_done(&fx);
}

static void test_pipe_write_no_readers_epipe_sets_sigpipe(void)
{
	Fx fx;
	fx_init(&fx);
	detach(&fx, TRUE, FALSE);
	gsize d = 0;
	CU_ASSERT_EQUAL(wr(&fx, 1, 0, 100, &d), EPIPE);
	CU_ASSERT_TRUE(fx.ctx.sigpipe);
	CU_ASSERT_EQUAL(d, 0);
	CU_ASSERT_PTR_NULL(fx.t[1].queue);
	CU_ASSERT_EQUAL(wr(&fx, 1, NB, 100, &d), EPIPE); /* not EAGAIN */
	CU_ASSERT_TRUE(fx.ctx.sigpipe);
	CU_ASSERT_EQUAL(fx.p->bytes, 0);
	CU_ASSERT_EQUAL(fx.p->written, 0);
	fx_done(&fx);
}

static void test_pipe_write_with_readers_does_not_set_sigpipe(void)
{
	Fx fx;
	fx_init(&fx);
	gsize d = 0;
	CU_ASSERT_EQUAL(wr(&fx, 1, 0, 100, &d), 0);
	CU_ASSERT_EQUAL(d, 100);
	CU_ASSERT_FALSE(fx.ctx.sigpipe);
	pages(&fx, NULL, 15);
	CU_ASSERT_EQUAL(wr(&fx, 1, NB, PG, &d), EAGAIN);
	CU_ASSERT_FALSE(fx.ctx.sigpipe);
	fx_done(&fx);
}

static void test_pipe_blocked_write_returns_partial_when_readers_go(void)
{
	Fx fx;
	fx_init(&fx);
	gsize d = 0;
	CU_ASSERT_EQUAL(wr(&fx, 1, 0, 100000, &d), SIM_BLOCKED);
	CU_ASSERT_EQUAL(d, 65536);
	CU_ASSERT_PTR_EQUAL(fx.t[1].queue, &fx.p->wr_wait);
	detach(&fx, TRUE, FALSE);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "1");
	CU_ASSERT_EQUAL(wr(&fx, 1, RES, 100000, &d), 0);
	CU_ASSERT_EQUAL(d, 65536);
	CU_ASSERT_TRUE(fx.ctx.sigpipe); /* still sent */
	CU_ASSERT_EQUAL(fx.p->bytes, 65536);
	fx_done(&fx);
}

static void test_pipe_blocking_write_sleeps_and_goes_on_when_woken(void)
{
	Fx fx;
	fx_init(&fx);
	const char *text = "0123456789";
	gsize d = 0;
	CU_ASSERT_EQUAL(wr_text(&fx, 1, 0, text, 100000, &d), SIM_BLOCKED);
	CU_ASSERT_EQUAL(d, 65536);
	CU_ASSERT_EQUAL(rnb(&fx, 65536), 65536);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "1");
	CU_ASSERT_EQUAL(wr_text(&fx, 1, RES, text, 100000, &d), 0);
	CU_ASSERT_EQUAL(d, 100000);
	CU_ASSERT_FALSE(fx.ctx.sigpipe);
	CU_ASSERT_EQUAL(rnb(&fx, 100000), 100000 - 65536);
	g_autoptr(GString) expect = repeat(text, 100000); /* the text goes on where it stopped */
	CU_ASSERT_TRUE(same(fx.out, expect));
	fx_done(&fx);
}

static void test_pipe_no_merge_after_sleep(void)
{
	Fx fx;
	fx_init_n(&fx, FALSE, 2);
	pages(&fx, "a", 2);
	gsize d = 0;
	CU_ASSERT_EQUAL(wr_text(&fx, 1, 0, "1", 100, &d), SIM_BLOCKED);
	CU_ASSERT_EQUAL(rnb(&fx, 2 * PG), (gint64)(2 * PG));
	CU_ASSERT_STRING_EQUAL(woken(&fx), "1");
	/* Before the writer runs: a page, then 10 bytes in the last slot. Full. */
	CU_ASSERT_EQUAL(wnb(&fx, PG), (gint64)PG);
	CU_ASSERT_EQUAL(wnb(&fx, 10), 10);
	CU_ASSERT_EQUAL(wr_text(&fx, 1, RES, "1", 100, &d), SIM_BLOCKED);
	CU_ASSERT_EQUAL(d, 0);
	CU_ASSERT_EQUAL(fx.p->bytes, 4106);
	CU_ASSERT_PTR_EQUAL(fx.t[1].queue, &fx.p->wr_wait);
	/* A fresh call of the same size does merge: the room was there. */
	CU_ASSERT_EQUAL(wnb(&fx, 100), 100);
	CU_ASSERT_EQUAL(slot_len(fx.p, 1), 110);
	detach(&fx, TRUE, FALSE);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "1");
	CU_ASSERT_EQUAL(wr_text(&fx, 1, RES, "1", 100, &d), EPIPE);
	fx_done(&fx);
}

/* ---- read (§3.3) ---- */

static void test_pipe_zero_length_read_returns_0(void)
{
	Fx fx;
	fx_init(&fx);
	gsize got = 0;
	CU_ASSERT_EQUAL(rd(&fx, 1, 0, 0, &got), 0); /* empty, writer present: no sleep */
	CU_ASSERT_EQUAL(got, 0);
	CU_ASSERT_PTR_NULL(fx.t[1].queue);
	CU_ASSERT_EQUAL(wnb(&fx, 10), 10);
	CU_ASSERT_EQUAL(rd(&fx, 1, 0, 0, &got), 0);
	CU_ASSERT_EQUAL(got, 0);
	CU_ASSERT_EQUAL(fx.p->bytes, 10);
	fx_done(&fx);
}

static void test_pipe_read_eof_without_writers(void)
{
	Fx fx;
	fx_init(&fx);
	CU_ASSERT_EQUAL(wnb_text(&fx, "hello", 5), 5);
	detach(&fx, FALSE, TRUE);
	CU_ASSERT_EQUAL(rnb(&fx, 10), 5);
	CU_ASSERT_STRING_EQUAL(fx.out->str, "hello");
	CU_ASSERT_EQUAL(rnb(&fx, 10), 0); /* EOF, not EAGAIN */
	gsize got = 0;
	CU_ASSERT_EQUAL(rd(&fx, 1, 0, 10, &got), 0);
	CU_ASSERT_EQUAL(got, 0);
	CU_ASSERT_PTR_NULL(fx.t[1].queue);
	fx_done(&fx);
}

static void test_pipe_read_eagain_nonblock(void)
{
	Fx fx;
	fx_init(&fx);
	CU_ASSERT_EQUAL(rnb(&fx, 10), -EAGAIN);
	CU_ASSERT_EQUAL(fx.p->rd_wait.len, 0);
	gsize got = 0;
	CU_ASSERT_EQUAL(rd(&fx, 1, 0, 10, &got), SIM_BLOCKED);
	CU_ASSERT_PTR_EQUAL(fx.t[1].queue, &fx.p->rd_wait);
	detach(&fx, FALSE, TRUE);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "1");
	CU_ASSERT_EQUAL(rd(&fx, 1, RES, 10, &got), 0);
	CU_ASSERT_EQUAL(got, 0);
	fx_done(&fx);
}

static void test_pipe_read_spans_slots(void)
{
	Fx fx;
	fx_init(&fx);
	CU_ASSERT_EQUAL(wnb(&fx, 100), 100);
	pages(&fx, NULL, 2);
	CU_ASSERT_EQUAL(wnb(&fx, 7), 7);
	CU_ASSERT_EQUAL(sim_pipe_used(fx.p), 4);
	gsize got = 0;
	CU_ASSERT_EQUAL(rd(&fx, 1, 0, 20000, &got), 0); /* all there is, at once */
	CU_ASSERT_EQUAL(got, 8299);
	CU_ASSERT_PTR_NULL(fx.t[1].queue);
	CU_ASSERT_EQUAL(sim_pipe_used(fx.p), 0);
	CU_ASSERT_EQUAL(wnb(&fx, 5000), 5000);
	CU_ASSERT_EQUAL(rnb(&fx, 3000), 3000);
	CU_ASSERT_EQUAL(rnb(&fx, 3000), 2000);
	CU_ASSERT_EQUAL(wnb(&fx, 100), 100);
	CU_ASSERT_EQUAL(wnb(&fx, PG), (gint64)PG);
	CU_ASSERT_EQUAL(rnb(&fx, 1000), 1000); /* crosses a slot boundary */
	CU_ASSERT_EQUAL(sim_pipe_used(fx.p), 1);
	CU_ASSERT_EQUAL(fx.p->bytes, 3196);
	fx_done(&fx);
}

static void test_pipe_blocked_read_returns_what_one_write_brought(void)
{
	Fx fx;
	fx_init(&fx);
	gsize got = 0;
	CU_ASSERT_EQUAL(rd(&fx, 1, 0, 1000, &got), SIM_BLOCKED);
	CU_ASSERT_EQUAL(wnb_text(&fx, "hello", 5), 5);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "1");
	CU_ASSERT_EQUAL(rd(&fx, 1, RES, 1000, &got), 0);
	CU_ASSERT_EQUAL(got, 5);
	CU_ASSERT_STRING_EQUAL(fx.out->str, "hello");
	fx_done(&fx);
}

static void test_pipe_read_with_null_out_discards(void)
{
	Fx fx;
	fx_init(&fx);
	CU_ASSERT_EQUAL(wnb_text(&fx, "abc", 3), 3);
	gsize got = 0;
	CU_ASSERT_EQUAL(rd_into(&fx, 1, 0, 2, NULL, &got), 0);
	CU_ASSERT_EQUAL(got, 2);
	CU_ASSERT_EQUAL(fx.p->bytes, 1);
	CU_ASSERT_EQUAL(fx.p->read, 2);
	CU_ASSERT_EQUAL(rnb(&fx, 10), 1);
	CU_ASSERT_STRING_EQUAL(fx.out->str, "c");
	fx_done(&fx);
}

/* ---- The bytes ---- */

static void test_pipe_bytes_come_out_in_the_order_written(void)
{
	Fx fx;
	fx_init(&fx);
	/* a page's tail, a new slot, a merge, a merge of 5 plus two pages */
	CU_ASSERT_EQUAL(wnb_text(&fx, "A", 4000), 4000);
	CU_ASSERT_EQUAL(wnb_text(&fx, "xyz", 200), 200);
	CU_ASSERT_EQUAL(wnb_text(&fx, "B", 100), 100);
	CU_ASSERT_EQUAL(wnb_text(&fx, "CDE", 8197), 8197);
	CU_ASSERT_EQUAL(sim_pipe_used(fx.p), 4);
	g_autoptr(GString) expect = repeat("A", 4000);
	g_autoptr(GString) part = repeat("xyz", 200);
	g_string_append_len(expect, part->str, (gssize)part->len);
	g_autoptr(GString) bs = repeat("B", 100);
	g_string_append_len(expect, bs->str, (gssize)bs->len);
	g_autoptr(GString) tail = repeat("CDE", 8197);
	g_string_append_len(expect, tail->str, (gssize)tail->len);
	gint64 r;
	while ((r = rnb(&fx, 777)) > 0)
		;
	CU_ASSERT_EQUAL(r, -EAGAIN);
	CU_ASSERT_TRUE(same(fx.out, expect));
	fx_done(&fx);
}

static void test_pipe_text_repeated_to_size(void)
{
	Fx fx;
	fx_init(&fx);
	CU_ASSERT_EQUAL(wnb_text(&fx, "abc", 10), 10);
	CU_ASSERT_EQUAL(rnb(&fx, 100), 10);
	CU_ASSERT_STRING_EQUAL(fx.out->str, "abcabcabca");
	g_string_truncate(fx.out, 0);
	CU_ASSERT_EQUAL(wnb_text(&fx, "hello world", 5), 5);
	CU_ASSERT_EQUAL(rnb(&fx, 100), 5);
	CU_ASSERT_STRING_EQUAL(fx.out->str, "hello");
	g_string_truncate(fx.out, 0);
	/* each write starts its text over, and a merged part continues in the new slot */
	pages(&fx, "-", 14);
	CU_ASSERT_EQUAL(wnb_text(&fx, "ab", 100), 100);
	CU_ASSERT_EQUAL(wnb_text(&fx, "0123456789", 5000), 5000);
	CU_ASSERT_EQUAL(rnb(&fx, 100000), 14 * 4096 + 100 + 5000);
	CU_ASSERT_TRUE(run_of(fx.out, 0, 14 * PG, '-'));
	g_autoptr(GString) ab = repeat("ab", 100);
	g_autoptr(GString) digits = repeat("0123456789", 5000);
	CU_ASSERT_EQUAL(memcmp(fx.out->str + 14 * PG, ab->str, 100), 0);
	CU_ASSERT_EQUAL(memcmp(fx.out->str + 14 * PG + 100, digits->str, 5000), 0);
	fx_done(&fx);
}

static void test_pipe_no_text_writes_x(void)
{
	Fx fx;
	fx_init(&fx);
	CU_ASSERT_EQUAL(wnb(&fx, 5), 5);
	CU_ASSERT_EQUAL(rnb(&fx, 10), 5);
	CU_ASSERT_STRING_EQUAL(fx.out->str, "xxxxx");
	g_string_truncate(fx.out, 0);
	SimPipeSrc empty = { "abc", 0 }; /* len 0 is "no text" */
	gsize d = 0;
	CU_ASSERT_EQUAL(wr_src(&fx, 1, 0, &empty, 3, &d), 0);
	CU_ASSERT_EQUAL(d, 3);
	CU_ASSERT_EQUAL(rnb(&fx, 10), 3);
	CU_ASSERT_STRING_EQUAL(fx.out->str, "xxx");
	fx_done(&fx);
}

/* ---- Wake-ups (§3.4) ---- */

/* Tasks first..last block in read(n) on the empty pipe, in that order. */
static void block_readers(Fx *fx, int first, int last, gsize n)
{
	for (int i = first; i <= last; i++) {
		gsize got = 0;
		CU_ASSERT_EQUAL(rd(fx, i, 0, n, &got), SIM_BLOCKED);
		CU_ASSERT_PTR_EQUAL(fx->t[i].queue, &fx->p->rd_wait);
	}
}

/* Tasks first..last block in write(4096) of their digit on the full pipe, in that order. */
static void block_writers(Fx *fx, int first, int last)
{
	static const char *digit[NTASK] = { "0", "1", "2", "3", "4", "5", "6", "7" };
	for (int i = first; i <= last; i++) {
		gsize d = 0;
		CU_ASSERT_EQUAL(wr_text(fx, i, 0, digit[i], PG, &d), SIM_BLOCKED);
		CU_ASSERT_EQUAL(d, 0);
		CU_ASSERT_PTR_EQUAL(fx->t[i].queue, &fx->p->wr_wait);
	}
}

/* Task i resumes its write(4096) of its digit, which must complete. */
static void resume_writer(Fx *fx, int i)
{
	static const char *digit[NTASK] = { "0", "1", "2", "3", "4", "5", "6", "7" };
	gsize d = 0;
	CU_ASSERT_EQUAL(wr_text(fx, i, RES, digit[i], PG, &d), 0);
	CU_ASSERT_EQUAL(d, PG);
}

static void test_pipe_write_into_empty_wakes_first_reader_only(void)
{
	Fx fx;
	fx_init(&fx);
	block_readers(&fx, 1, 3, 10);
	CU_ASSERT_EQUAL(wnb_text(&fx, "ABC", 3), 3);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "1");
	CU_ASSERT_EQUAL(fx.p->rd_wait.len, 2);
	CU_ASSERT_PTR_EQUAL(sim_waitq_first(&fx.p->rd_wait), &fx.t[2]);
	gsize got = 0;
	CU_ASSERT_EQUAL(rd(&fx, 1, RES, 10, &got), 0);
	CU_ASSERT_EQUAL(got, 3); /* reader 1 takes all of "ABC" */
	CU_ASSERT_STRING_EQUAL(fx.out->str, "ABC");
	CU_ASSERT_STRING_EQUAL(woken(&fx), ""); /* nothing left: the others stay */
	CU_ASSERT_EQUAL(fx.p->rd_wait.len, 2);
	detach(&fx, FALSE, TRUE);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "2 3");
	CU_ASSERT_EQUAL(rd(&fx, 2, RES, 10, &got), 0);
	CU_ASSERT_EQUAL(got, 0);
	CU_ASSERT_EQUAL(rd(&fx, 3, RES, 10, &got), 0);
	CU_ASSERT_EQUAL(got, 0);
	fx_done(&fx);
}

static void test_pipe_write_into_nonempty_pipe_wakes_nobody(void)
{
	Fx fx;
	fx_init(&fx);
	block_readers(&fx, 1, 2, 10);
	CU_ASSERT_EQUAL(wnb_text(&fx, "A", 1), 1);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "1");
	CU_ASSERT_EQUAL(wnb_text(&fx, "B", 1), 1); /* reader 1 has not run yet */
	CU_ASSERT_STRING_EQUAL(woken(&fx), "");
	gsize got = 0;
	CU_ASSERT_EQUAL(rd(&fx, 1, RES, 10, &got), 0);
	CU_ASSERT_STRING_EQUAL(fx.out->str, "AB");
	CU_ASSERT_STRING_EQUAL(woken(&fx), "");
	CU_ASSERT_PTR_EQUAL(fx.t[2].queue, &fx.p->rd_wait);
	detach(&fx, FALSE, TRUE);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "2");
	CU_ASSERT_EQUAL(rd(&fx, 2, RES, 10, &got), 0);
	CU_ASSERT_EQUAL(got, 0);
	fx_done(&fx);
}

static void test_pipe_reader_leaving_data_wakes_next_reader(void)
{
	Fx fx;
	fx_init(&fx);
	block_readers(&fx, 1, 3, 1);
	CU_ASSERT_EQUAL(wnb_text(&fx, "ABC", 3), 3);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "1");
	gsize got = 0;
	CU_ASSERT_EQUAL(rd(&fx, 1, RES, 1, &got), 0);
	CU_ASSERT_STRING_EQUAL(fx.out->str, "A");
	CU_ASSERT_STRING_EQUAL(woken(&fx), "2");
	CU_ASSERT_EQUAL(rd(&fx, 2, RES, 1, &got), 0);
	CU_ASSERT_STRING_EQUAL(fx.out->str, "AB");
	CU_ASSERT_STRING_EQUAL(woken(&fx), "3");
	CU_ASSERT_EQUAL(rd(&fx, 3, RES, 1, &got), 0);
	CU_ASSERT_STRING_EQUAL(fx.out->str, "ABC");
	CU_ASSERT_STRING_EQUAL(woken(&fx), ""); /* emptied it */
	fx_done(&fx);
}

static void test_pipe_reader_that_did_not_sleep_wakes_nobody(void)
{
	Fx fx;
	fx_init(&fx);
	block_readers(&fx, 1, 2, 1);
	CU_ASSERT_EQUAL(wnb_text(&fx, "AB", 2), 2);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "1");
	CU_ASSERT_EQUAL(rnb(&fx, 1), 1); /* leaves "B", but it was not woken */
	CU_ASSERT_STRING_EQUAL(woken(&fx), "");
	CU_ASSERT_PTR_EQUAL(fx.t[2].queue, &fx.p->rd_wait);
	gsize got = 0;
	CU_ASSERT_EQUAL(rd(&fx, 1, RES, 1, &got), 0);
	CU_ASSERT_STRING_EQUAL(fx.out->str, "AB");
	CU_ASSERT_STRING_EQUAL(woken(&fx), "");
	detach(&fx, FALSE, TRUE);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "2");
	CU_ASSERT_EQUAL(rd(&fx, 2, RES, 1, &got), 0);
	CU_ASSERT_EQUAL(got, 0);
	fx_done(&fx);
}

static void test_pipe_read_freeing_slot_of_full_pipe_wakes_one_writer(void)
{
	Fx fx;
	fx_init(&fx);
	pages(&fx, "0", 16);
	block_writers(&fx, 1, 2);
	CU_ASSERT_EQUAL(rnb(&fx, PG), (gint64)PG);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "1");
	CU_ASSERT_PTR_EQUAL(sim_waitq_first(&fx.p->wr_wait), &fx.t[2]);
	CU_ASSERT_EQUAL(rnb(&fx, PG), (gint64)PG); /* frees a slot of a pipe no longer full */
	CU_ASSERT_STRING_EQUAL(woken(&fx), "");
	CU_ASSERT_EQUAL(fx.p->wr_wait.len, 1);
	detach(&fx, TRUE, FALSE);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "2");
	gsize d = 0;
	CU_ASSERT_EQUAL(wr(&fx, 1, RES, PG, &d), EPIPE);
	CU_ASSERT_EQUAL(wr(&fx, 2, RES, PG, &d), EPIPE);
	fx_done(&fx);

	/* Freeing two slots at once still wakes one writer. */
	fx_init(&fx);
	pages(&fx, "0", 16);
	block_writers(&fx, 1, 2);
	CU_ASSERT_EQUAL(rnb(&fx, 2 * PG), (gint64)(2 * PG));
	CU_ASSERT_STRING_EQUAL(woken(&fx), "1");
	CU_ASSERT_PTR_EQUAL(fx.t[2].queue, &fx.p->wr_wait);
	resume_writer(&fx, 1);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "2");
	resume_writer(&fx, 2);
	fx_done(&fx);
}

static void test_pipe_partial_read_of_full_pipe_wakes_no_writer(void)
{
	/* Linux >= 6.14 (pipe_read: wake_writer only when a slot of a full pipe is freed);
	 * checked on the probe machine (6.18): after read(50) the first blocked writer still
	 * writes first, 20/20. */
	Fx fx;
	fx_init(&fx);
	pages(&fx, "0", 16);
	block_writers(&fx, 1, 2);
	CU_ASSERT_EQUAL(rnb(&fx, 50), 50);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "");
	CU_ASSERT_EQUAL(fx.p->wr_wait.len, 2);
	CU_ASSERT_EQUAL(rnb(&fx, PG - 50), (gint64)(PG - 50));
	CU_ASSERT_STRING_EQUAL(woken(&fx), "1");
	resume_writer(&fx, 1);
	CU_ASSERT_STRING_EQUAL(woken(&fx), ""); /* full again */
	detach(&fx, TRUE, FALSE);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "2");
	gsize d = 0;
	CU_ASSERT_EQUAL(wr(&fx, 2, RES, PG, &d), EPIPE);
	fx_done(&fx);
}

static void test_pipe_woken_writer_leaving_room_wakes_next(void)
{
	Fx fx;
	fx_init(&fx);
	pages(&fx, "0", 16);
	block_writers(&fx, 1, 3);
	CU_ASSERT_EQUAL(rnb(&fx, 2 * PG), (gint64)(2 * PG));
	CU_ASSERT_STRING_EQUAL(woken(&fx), "1");
	resume_writer(&fx, 1); /* 15 slots used: room left */
	CU_ASSERT_STRING_EQUAL(woken(&fx), "2");
	resume_writer(&fx, 2); /* full: nobody */
	CU_ASSERT_STRING_EQUAL(woken(&fx), "");
	CU_ASSERT_PTR_EQUAL(fx.t[3].queue, &fx.p->wr_wait);
	detach(&fx, TRUE, FALSE);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "3");
	gsize d = 0;
	CU_ASSERT_EQUAL(wr(&fx, 3, RES, PG, &d), EPIPE);
	fx_done(&fx);
}

static void test_pipe_writer_that_did_not_sleep_wakes_no_writer(void)
{
	Fx fx;
	fx_init(&fx);
	pages(&fx, "0", 16);
	block_writers(&fx, 1, 2);
	CU_ASSERT_EQUAL(rnb(&fx, 3 * PG), (gint64)(3 * PG));
	CU_ASSERT_STRING_EQUAL(woken(&fx), "1");
	CU_ASSERT_EQUAL(wnb(&fx, 1), 1); /* leaves room, but it did not sleep */
	CU_ASSERT_STRING_EQUAL(woken(&fx), "");
	CU_ASSERT_PTR_EQUAL(fx.t[2].queue, &fx.p->wr_wait);
	resume_writer(&fx, 1);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "2");
	resume_writer(&fx, 2);
	fx_done(&fx);
}

static void test_pipe_blocked_writers_data_enters_in_blocking_order(void)
{
	Fx fx;
	fx_init(&fx);
	pages(&fx, "0", 16);
	block_writers(&fx, 1, 3);
	for (int i = 1; i <= 3; i++) {
		CU_ASSERT_EQUAL(rnb(&fx, PG), (gint64)PG);
		g_autofree char *who = g_strdup_printf("%d", i);
		CU_ASSERT_STRING_EQUAL(woken(&fx), who);
		resume_writer(&fx, i);
	}
	CU_ASSERT_EQUAL(rnb(&fx, 16 * PG), (gint64)(16 * PG));
	CU_ASSERT_EQUAL(fx.out->len, 19 * PG);
	CU_ASSERT_TRUE(run_of(fx.out, 0, 16 * PG, '0'));
	CU_ASSERT_TRUE(run_of(fx.out, 16 * PG, PG, '1'));
	CU_ASSERT_TRUE(run_of(fx.out, 17 * PG, PG, '2'));
	CU_ASSERT_TRUE(run_of(fx.out, 18 * PG, PG, '3'));
	fx_done(&fx);
}

static void test_pipe_writer_sleeping_on_empty_pipe_wakes_reader_first(void)
{
	Fx fx;
	fx_init(&fx);
	block_readers(&fx, 1, 2, 10);
	gsize d = 0;
	CU_ASSERT_EQUAL(wr(&fx, 3, 0, 100000, &d), SIM_BLOCKED);
	CU_ASSERT_EQUAL(d, 65536);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "1");
	CU_ASSERT_PTR_EQUAL(fx.t[3].queue, &fx.p->wr_wait);
	gsize got = 0;
	CU_ASSERT_EQUAL(rd(&fx, 1, RES, 10, &got), 0);
	CU_ASSERT_EQUAL(got, 10);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "2"); /* left data: the next reader; no slot freed */
	CU_ASSERT_EQUAL(rd(&fx, 2, RES, 10, &got), 0);
	CU_ASSERT_EQUAL(got, 10);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "");
	detach(&fx, TRUE, FALSE);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "3");
	CU_ASSERT_EQUAL(wr(&fx, 3, RES, 100000, &d), 0);
	CU_ASSERT_EQUAL(d, 65536);
	CU_ASSERT_TRUE(fx.ctx.sigpipe);
	fx_done(&fx);
}

static void test_pipe_resumed_reader_finding_pipe_empty_requeues_at_tail(void)
{
	Fx fx;
	fx_init(&fx);
	block_readers(&fx, 1, 2, 10);
	CU_ASSERT_EQUAL(wnb_text(&fx, "A", 1), 1);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "1");
	CU_ASSERT_EQUAL(rnb(&fx, 10), 1); /* taken before reader 1 runs */
	gsize got = 0;
	CU_ASSERT_EQUAL(rd(&fx, 1, RES, 10, &got), SIM_BLOCKED);
	CU_ASSERT_PTR_EQUAL(fx.p->rd_wait.head, &fx.t[2]);
	CU_ASSERT_PTR_EQUAL(fx.p->rd_wait.tail, &fx.t[1]);
	CU_ASSERT_EQUAL(wnb_text(&fx, "B", 1), 1);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "2");
	CU_ASSERT_EQUAL(rd(&fx, 2, RES, 10, &got), 0);
	CU_ASSERT_EQUAL(got, 1);
	CU_ASSERT_EQUAL(wnb_text(&fx, "C", 1), 1); /* the re-queued reader is woken again */
	CU_ASSERT_STRING_EQUAL(woken(&fx), "1");
	CU_ASSERT_EQUAL(rd(&fx, 1, RES, 10, &got), 0);
	CU_ASSERT_EQUAL(got, 1);
	CU_ASSERT_STRING_EQUAL(fx.out->str, "ABC");
	fx_done(&fx);
}

static void test_pipe_resumed_writer_finding_pipe_full_requeues_at_tail(void)
{
	Fx fx;
	fx_init(&fx);
	pages(&fx, "0", 16);
	block_writers(&fx, 1, 2);
	CU_ASSERT_EQUAL(rnb(&fx, PG), (gint64)PG);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "1");
	CU_ASSERT_EQUAL(wnb_text(&fx, "9", PG), (gint64)PG); /* takes the slot first */
	gsize d = 0;
	CU_ASSERT_EQUAL(wr_text(&fx, 1, RES, "1", PG, &d), SIM_BLOCKED);
	CU_ASSERT_EQUAL(d, 0);
	CU_ASSERT_PTR_EQUAL(fx.p->wr_wait.head, &fx.t[2]);
	CU_ASSERT_PTR_EQUAL(fx.p->wr_wait.tail, &fx.t[1]);
	CU_ASSERT_EQUAL(rnb(&fx, PG), (gint64)PG);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "2");
	resume_writer(&fx, 2);
	CU_ASSERT_EQUAL(rnb(&fx, PG), (gint64)PG);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "1");
	resume_writer(&fx, 1);
	g_string_truncate(fx.out, 0);
	CU_ASSERT_EQUAL(rnb(&fx, 16 * PG), (gint64)(16 * PG));
	CU_ASSERT_TRUE(run_of(fx.out, 13 * PG, PG, '9'));
	CU_ASSERT_TRUE(run_of(fx.out, 14 * PG, PG, '2'));
	CU_ASSERT_TRUE(run_of(fx.out, 15 * PG, PG, '1'));
	fx_done(&fx);
}

static void test_pipe_task_blocking_again_after_a_wakeup_is_woken_again(void)
{
	Fx fx;
	fx_init(&fx);
	gsize got = 0, d = 0;
	for (int round = 0; round < 3; round++) {
		CU_ASSERT_EQUAL(rd(&fx, 1, 0, 10, &got), SIM_BLOCKED);
		CU_ASSERT_EQUAL(wnb(&fx, 1), 1);
		CU_ASSERT_STRING_EQUAL(woken(&fx), "1");
		CU_ASSERT_EQUAL(rd(&fx, 1, RES, 10, &got), 0);
		CU_ASSERT_EQUAL(got, 1);
	}
	pages(&fx, NULL, 16);
	for (int round = 0; round < 3; round++) {
		CU_ASSERT_EQUAL(wr(&fx, 2, 0, PG, &d), SIM_BLOCKED);
		CU_ASSERT_EQUAL(rnb(&fx, PG), (gint64)PG);
		CU_ASSERT_STRING_EQUAL(woken(&fx), "2");
		CU_ASSERT_EQUAL(wr(&fx, 2, RES, PG, &d), 0);
	}
	fx_done(&fx);
}

static void test_pipe_last_writer_close_wakes_all_readers(void)
{
	Fx fx;
	fx_init(&fx);
	block_readers(&fx, 1, 3, 10);
	detach(&fx, FALSE, TRUE);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "1 2 3");
	CU_ASSERT_EQUAL(fx.p->rd_wait.len, 0);
	for (int i = 1; i <= 3; i++) {
		gsize got = 99;
		CU_ASSERT_EQUAL(rd(&fx, i, RES, 10, &got), 0);
		CU_ASSERT_EQUAL(got, 0);
	}
	fx_done(&fx);
}

static void test_pipe_last_reader_close_wakes_all_writers(void)
{
	Fx fx;
	fx_init(&fx);
	pages(&fx, NULL, 16);
	block_writers(&fx, 1, 3);
	detach(&fx, TRUE, FALSE);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "1 2 3");
	CU_ASSERT_EQUAL(fx.p->wr_wait.len, 0);
	for (int i = 1; i <= 3; i++) {
		gsize d = 0;
		CU_ASSERT_EQUAL(wr(&fx, i, RES, PG, &d), EPIPE);
		CU_ASSERT_TRUE(fx.ctx.sigpipe);
	}
	fx_done(&fx);
}

static void test_pipe_close_that_is_not_the_last_wakes_nobody(void)
{
	Fx fx;
	fx_init(&fx);
	attach(&fx, FALSE, TRUE); /* a second writer */
	block_readers(&fx, 1, 1, 10);
	detach(&fx, FALSE, TRUE);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "");
	CU_ASSERT_PTR_EQUAL(fx.t[1].queue, &fx.p->rd_wait);
	detach(&fx, FALSE, TRUE);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "1");
	gsize got = 0;
	CU_ASSERT_EQUAL(rd(&fx, 1, RES, 10, &got), 0);
	CU_ASSERT_EQUAL(got, 0);
	fx_done(&fx);

	fx_init(&fx);
	attach(&fx, TRUE, FALSE); /* a second reader */
	pages(&fx, NULL, 16);
	block_writers(&fx, 1, 1);
	detach(&fx, TRUE, FALSE);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "");
	CU_ASSERT_PTR_EQUAL(fx.t[1].queue, &fx.p->wr_wait);
	detach(&fx, TRUE, FALSE);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "1");
	gsize d = 0;
	CU_ASSERT_EQUAL(wr(&fx, 1, RES, PG, &d), EPIPE);
	fx_done(&fx);
}

/* ---- Signals (§3.2, §4) ---- */

static void test_pipe_signal_pending_read_returns_eintr_instead_of_sleeping(void)
{
	Fx fx;
	fx_init(&fx);
	gsize got = 0;
	CU_ASSERT_EQUAL(rd(&fx, 1, SIG, 10, &got), EINTR);
	CU_ASSERT_EQUAL(got, 0);
	CU_ASSERT_PTR_NULL(fx.t[1].queue);
	CU_ASSERT_EQUAL(wnb(&fx, 5), 5);
	CU_ASSERT_EQUAL(rd(&fx, 1, SIG, 10, &got), 0); /* data there: no sleep, no EINTR */
	CU_ASSERT_EQUAL(got, 5);
	/* woken, but the data went elsewhere: EINTR rather than sleeping again */
	block_readers(&fx, 2, 2, 10);
	CU_ASSERT_EQUAL(wnb(&fx, 1), 1);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "2");
	CU_ASSERT_EQUAL(rnb(&fx, 10), 1);
	CU_ASSERT_EQUAL(rd(&fx, 2, RES | SIG, 10, &got), EINTR);
	CU_ASSERT_PTR_NULL(fx.t[2].queue);
	CU_ASSERT_EQUAL(fx.p->rd_wait.len, 0);
	/* nonblocking: EAGAIN wins */
	CU_ASSERT_EQUAL(rd(&fx, 1, SIG | NB, 10, &got), EAGAIN);
	fx_done(&fx);
}

static void test_pipe_signal_pending_write_returns_partial(void)
{
	Fx fx;
	fx_init(&fx);
	pages(&fx, NULL, 15);
	gsize d = 0;
	CU_ASSERT_EQUAL(wr(&fx, 1, SIG, 8192, &d), 0);
	CU_ASSERT_EQUAL(d, 4096);
	CU_ASSERT_PTR_NULL(fx.t[1].queue);
	CU_ASSERT_EQUAL(wr(&fx, 1, SIG, 100, &d), EINTR); /* nothing moved */
	CU_ASSERT_EQUAL(d, 0);
	CU_ASSERT_PTR_NULL(fx.t[1].queue);
	CU_ASSERT_EQUAL(fx.p->bytes, 65536);
	CU_ASSERT_EQUAL(wr(&fx, 1, SIG | NB, 100, &d), EAGAIN); /* nonblocking: EAGAIN wins */
	fx_done(&fx);

	/* A woken writer with a signal pending writes what fits, then returns the count. */
	fx_init(&fx);
	CU_ASSERT_EQUAL(wr(&fx, 1, 0, 100000, &d), SIM_BLOCKED);
	CU_ASSERT_EQUAL(d, 65536);
	CU_ASSERT_EQUAL(rnb(&fx, PG), (gint64)PG);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "1");
	CU_ASSERT_EQUAL(wr(&fx, 1, RES | SIG, 100000, &d), 0);
	CU_ASSERT_EQUAL(d, 65536 + 4096);
	CU_ASSERT_PTR_NULL(fx.t[1].queue);
	fx_done(&fx);
}

/* ---- FIFO open (§3.5) ---- */

static void test_pipe_fifo_open_rdonly_blocks_until_writer(void)
{
	Fx fx;
	fx_init_n(&fx, TRUE, SIM_PIPE_DEF_SLOTS);
	guint ck1 = 99, ck2 = 99;
	CU_ASSERT_EQUAL(fifo_open(&fx, 1, 0, SIM_O_RDONLY, &ck1), SIM_BLOCKED);
	CU_ASSERT_PTR_EQUAL(fx.t[1].queue, &fx.p->open_wait);
	CU_ASSERT_EQUAL(ck1, 1);	   /* watches w_counter */
	CU_ASSERT_EQUAL(fx.p->readers, 1); /* counted first */
	CU_ASSERT_EQUAL(fx.p->files, 1);
	CU_ASSERT_EQUAL(fx.p->r_counter, 2);
	/* taken off the list without a writer (stop/continue): it waits again */
	sim_waitq_del(&fx.t[1]);
	CU_ASSERT_EQUAL(fifo_open(&fx, 1, RES, SIM_O_RDONLY, &ck1), SIM_BLOCKED);
	CU_ASSERT_PTR_EQUAL(fx.t[1].queue, &fx.p->open_wait);
	CU_ASSERT_EQUAL(fifo_open(&fx, 2, 0, SIM_O_WRONLY, &ck2), 0);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "1");
	CU_ASSERT_EQUAL(fx.p->writers, 1);
	CU_ASSERT_EQUAL(fx.p->files, 2);
	CU_ASSERT_EQUAL(fx.p->w_counter, 2);
	CU_ASSERT_EQUAL(fifo_open(&fx, 1, RES, SIM_O_RDONLY, &ck1), 0);
	CU_ASSERT_PTR_NULL(fx.t[1].queue);
	CU_ASSERT_EQUAL(fx.p->readers, 1);
	detach(&fx, TRUE, FALSE);
	detach(&fx, FALSE, TRUE);
	CU_ASSERT_EQUAL(fx.p->files, 0);
	fx_done(&fx);
}

static void test_pipe_fifo_open_wronly_blocks_until_reader(void)
{
	Fx fx;
	fx_init_n(&fx, TRUE, SIM_PIPE_DEF_SLOTS);
	guint ck1 = 99, ck2 = 99;
	CU_ASSERT_EQUAL(fifo_open(&fx, 1, 0, SIM_O_WRONLY, &ck1), SIM_BLOCKED);
	CU_ASSERT_PTR_EQUAL(fx.t[1].queue, &fx.p->open_wait);
	CU_ASSERT_EQUAL(ck1, 1); /* watches r_counter */
	CU_ASSERT_EQUAL(fx.p->writers, 1);
	CU_ASSERT_EQUAL(fifo_open(&fx, 2, 0, SIM_O_RDONLY, &ck2), 0); /* a writer counts */
	CU_ASSERT_STRING_EQUAL(woken(&fx), "1");
	CU_ASSERT_EQUAL(fifo_open(&fx, 1, RES, SIM_O_WRONLY, &ck1), 0);
	detach(&fx, TRUE, FALSE);
	detach(&fx, FALSE, TRUE);
	fx_done(&fx);
}

static void test_pipe_fifo_open_wakes_even_if_writer_closed_again(void)
{
	Fx fx;
	fx_init_n(&fx, TRUE, SIM_PIPE_DEF_SLOTS);
	guint ck1 = 99, ck2 = 99;
	CU_ASSERT_EQUAL(fifo_open(&fx, 1, 0, SIM_O_RDONLY, &ck1), SIM_BLOCKED);
	CU_ASSERT_EQUAL(fifo_open(&fx, 2, NB, SIM_O_WRONLY, &ck2), 0);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "1");
	detach(&fx, FALSE, TRUE); /* the writer is gone before the reader runs */
	CU_ASSERT_EQUAL(fx.p->writers, 0);
	CU_ASSERT_EQUAL(fifo_open(&fx, 1, RES, SIM_O_RDONLY, &ck1), 0);
	CU_ASSERT_PTR_NULL(fx.t[1].queue);
	gsize got = 99;
	CU_ASSERT_EQUAL(rd(&fx, 1, 0, 10, &got), 0); /* EOF */
	CU_ASSERT_EQUAL(got, 0);
	detach(&fx, TRUE, FALSE);
	fx_done(&fx);

	/* with a blocking writer open too */
	fx_init_n(&fx, TRUE, SIM_PIPE_DEF_SLOTS);
	CU_ASSERT_EQUAL(fifo_open(&fx, 1, 0, SIM_O_RDONLY, &ck1), SIM_BLOCKED);
	CU_ASSERT_EQUAL(fifo_open(&fx, 2, 0, SIM_O_WRONLY, &ck2), 0);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "1");
	detach(&fx, FALSE, TRUE);
	CU_ASSERT_EQUAL(fifo_open(&fx, 1, RES, SIM_O_RDONLY, &ck1), 0);
	detach(&fx, TRUE, FALSE);
	fx_done(&fx);
}

static void test_pipe_fifo_rdonly_nonblock_opens_at_once(void)
{
	Fx fx;
	fx_init_n(&fx, TRUE, SIM_PIPE_DEF_SLOTS);
	guint ck1 = 99, ck2 = 99;
	CU_ASSERT_EQUAL(fifo_open(&fx, 1, NB, SIM_O_RDONLY, &ck1), 0);
	CU_ASSERT_PTR_NULL(fx.t[1].queue);
	CU_ASSERT_EQUAL(fx.p->readers, 1);
	CU_ASSERT_EQUAL(rnb(&fx, 10), 0); /* no writer: EOF */
	CU_ASSERT_EQUAL(fifo_open(&fx, 2, 0, SIM_O_WRONLY, &ck2), 0);
	CU_ASSERT_EQUAL(rnb(&fx, 10), -EAGAIN);
	detach(&fx, FALSE, TRUE);
	CU_ASSERT_EQUAL(rnb(&fx, 10), 0);
	detach(&fx, TRUE, FALSE);
	fx_done(&fx);
}

static void test_pipe_fifo_wronly_nonblock_enxio(void)
{
	Fx fx;
	fx_init_n(&fx, TRUE, SIM_PIPE_DEF_SLOTS);
	guint ck1 = 99, ck2 = 99;
	CU_ASSERT_EQUAL(fifo_open(&fx, 1, NB, SIM_O_WRONLY, &ck1), ENXIO);
	CU_ASSERT_EQUAL(fx.p->writers, 0);
	CU_ASSERT_EQUAL(fx.p->files, 0);
	CU_ASSERT_EQUAL(fx.p->w_counter, 1);
	CU_ASSERT_PTR_NULL(fx.t[1].queue);
	CU_ASSERT_EQUAL(fifo_open(&fx, 2, NB, SIM_O_RDONLY, &ck2), 0);
	CU_ASSERT_EQUAL(fifo_open(&fx, 1, NB, SIM_O_WRONLY, &ck1), 0);
	CU_ASSERT_EQUAL(fx.p->writers, 1);
	detach(&fx, FALSE, TRUE);
	detach(&fx, TRUE, FALSE);
	CU_ASSERT_EQUAL(fifo_open(&fx, 1, NB, SIM_O_WRONLY, &ck1), ENXIO); /* reader gone */
	CU_ASSERT_EQUAL(fx.p->files, 0);
	fx_done(&fx);
}

static void test_pipe_fifo_wronly_nonblock_ok_while_reader_blocked_in_open(void)
{
	Fx fx;
	fx_init_n(&fx, TRUE, SIM_PIPE_DEF_SLOTS);
	guint ck1 = 99, ck2 = 99;
	CU_ASSERT_EQUAL(fifo_open(&fx, 1, 0, SIM_O_RDONLY, &ck1), SIM_BLOCKED);
	CU_ASSERT_EQUAL(fifo_open(&fx, 2, NB, SIM_O_WRONLY, &ck2), 0);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "1");
	CU_ASSERT_EQUAL(fifo_open(&fx, 1, RES, SIM_O_RDONLY, &ck1), 0);
	CU_ASSERT_EQUAL(fx.p->files, 2);
	detach(&fx, TRUE, FALSE);
	detach(&fx, FALSE, TRUE);
	fx_done(&fx);
}

static void test_pipe_fifo_reader_open_releases_blocked_writer_and_read_is_eagain(void)
{
	/* RESULTS.md §6: a writer blocked in open already counts as a writer. */
	Fx fx;
	fx_init_n(&fx, TRUE, SIM_PIPE_DEF_SLOTS);
	guint ck1 = 99, ck2 = 99;
	CU_ASSERT_EQUAL(fifo_open(&fx, 1, 0, SIM_O_WRONLY, &ck1), SIM_BLOCKED);
	CU_ASSERT_EQUAL(fifo_open(&fx, 2, NB, SIM_O_RDONLY, &ck2), 0);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "1");
	CU_ASSERT_EQUAL(rnb(&fx, 10), -EAGAIN); /* not EOF */
	CU_ASSERT_EQUAL(fifo_open(&fx, 1, RES, SIM_O_WRONLY, &ck1), 0);
	detach(&fx, FALSE, TRUE);
	detach(&fx, TRUE, FALSE);
	fx_done(&fx);
}

static void test_pipe_fifo_rdwr_never_blocks_and_releases_openers(void)
{
	Fx fx;
	guint ck1 = 99, ck2 = 99;
	fx_init_n(&fx, TRUE, SIM_PIPE_DEF_SLOTS);
	CU_ASSERT_EQUAL(fifo_open(&fx, 1, 0, SIM_O_RDWR, &ck1), 0);
	CU_ASSERT_PTR_NULL(fx.t[1].queue);
	CU_ASSERT_EQUAL(fx.p->readers, 1);
	CU_ASSERT_EQUAL(fx.p->writers, 1);
	CU_ASSERT_EQUAL(fx.p->files, 1);
	CU_ASSERT_EQUAL(fx.p->r_counter, 2);
	CU_ASSERT_EQUAL(fx.p->w_counter, 2);
	CU_ASSERT_EQUAL(fifo_open(&fx, 2, NB, SIM_O_RDWR, &ck2), 0);
	CU_ASSERT_EQUAL(fx.p->files, 2);
	detach(&fx, TRUE, TRUE);
	detach(&fx, TRUE, TRUE);
	fx_done(&fx);

	fx_init_n(&fx, TRUE, SIM_PIPE_DEF_SLOTS);
	CU_ASSERT_EQUAL(fifo_open(&fx, 1, 0, SIM_O_RDONLY, &ck1), SIM_BLOCKED);
	CU_ASSERT_EQUAL(fifo_open(&fx, 2, 0, SIM_O_RDWR, &ck2), 0);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "1");
	CU_ASSERT_EQUAL(fifo_open(&fx, 1, RES, SIM_O_RDONLY, &ck1), 0);
	detach(&fx, TRUE, FALSE);
	detach(&fx, TRUE, TRUE);
	fx_done(&fx);

	fx_init_n(&fx, TRUE, SIM_PIPE_DEF_SLOTS);
	CU_ASSERT_EQUAL(fifo_open(&fx, 1, 0, SIM_O_WRONLY, &ck1), SIM_BLOCKED);
	CU_ASSERT_EQUAL(fifo_open(&fx, 2, 0, SIM_O_RDWR, &ck2), 0);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "1");
	CU_ASSERT_EQUAL(fifo_open(&fx, 1, RES, SIM_O_WRONLY, &ck1), 0);
	detach(&fx, FALSE, TRUE);
	detach(&fx, TRUE, TRUE);
	fx_done(&fx);
}

static void test_pipe_fifo_open_eintr_undoes_count(void)
{
	Fx fx;
	fx_init_n(&fx, TRUE, SIM_PIPE_DEF_SLOTS);
	guint ck1 = 99, ck2 = 99;
	/* a signal already pending: it gives up instead of sleeping */
	CU_ASSERT_EQUAL(fifo_open(&fx, 1, SIG, SIM_O_RDONLY, &ck1), EINTR);
	CU_ASSERT_PTR_NULL(fx.t[1].queue);
	CU_ASSERT_EQUAL(fx.p->readers, 0);
	CU_ASSERT_EQUAL(fx.p->files, 0);
	CU_ASSERT_EQUAL(fx.p->r_counter, 2); /* the counter is not undone */
	CU_ASSERT_EQUAL(fifo_open(&fx, 2, NB, SIM_O_WRONLY, &ck2), ENXIO); /* no reader left */
	CU_ASSERT_EQUAL(fifo_open(&fx, 1, SIG, SIM_O_WRONLY, &ck1), EINTR);
	CU_ASSERT_EQUAL(fx.p->writers, 0);
	CU_ASSERT_EQUAL(fx.p->files, 0);
	/* blocked, then interrupted: the resumed call undoes the count */
	CU_ASSERT_EQUAL(fifo_open(&fx, 1, 0, SIM_O_RDONLY, &ck1), SIM_BLOCKED);
	sim_waitq_del(&fx.t[1]); /* the signal takes it off the list */
	CU_ASSERT_EQUAL(fifo_open(&fx, 1, RES | SIG, SIM_O_RDONLY, &ck1), EINTR);
	CU_ASSERT_PTR_NULL(fx.t[1].queue);
	CU_ASSERT_EQUAL(fx.p->readers, 0);
	CU_ASSERT_EQUAL(fx.p->files, 0);
	/* the partner came first: the open succeeds, signal or not */
	CU_ASSERT_EQUAL(fifo_open(&fx, 1, 0, SIM_O_RDONLY, &ck1), SIM_BLOCKED);
	CU_ASSERT_EQUAL(fifo_open(&fx, 2, NB, SIM_O_WRONLY, &ck2), 0);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "1");
	CU_ASSERT_EQUAL(fifo_open(&fx, 1, RES | SIG, SIM_O_RDONLY, &ck1), 0);
	CU_ASSERT_EQUAL(fx.p->readers, 1);
	CU_ASSERT_EQUAL(fx.p->files, 2);
	detach(&fx, TRUE, FALSE);
	detach(&fx, FALSE, TRUE);
	fx_done(&fx);
}

static void test_pipe_fifo_open_abort_undoes_count(void)
{
	Fx fx;
	fx_init_n(&fx, TRUE, SIM_PIPE_DEF_SLOTS);
	guint ck1 = 99, ck2 = 99;
	CU_ASSERT_EQUAL(fifo_open(&fx, 1, 0, SIM_O_RDONLY, &ck1), SIM_BLOCKED);
	sim_waitq_del(&fx.t[1]); /* killed */
	open_abort(&fx, SIM_O_RDONLY);
	CU_ASSERT_EQUAL(fx.p->readers, 0);
	CU_ASSERT_EQUAL(fx.p->files, 0);
	CU_ASSERT_EQUAL(fifo_open(&fx, 2, NB, SIM_O_WRONLY, &ck2), ENXIO);
	CU_ASSERT_EQUAL(fifo_open(&fx, 1, 0, SIM_O_WRONLY, &ck1), SIM_BLOCKED);
	sim_waitq_del(&fx.t[1]);
	open_abort(&fx, SIM_O_WRONLY);
	CU_ASSERT_EQUAL(fx.p->writers, 0);
	CU_ASSERT_EQUAL(fx.p->files, 0);
	CU_ASSERT_EQUAL(fifo_open(&fx, 2, NB, SIM_O_RDONLY, &ck2), 0);
	CU_ASSERT_EQUAL(rnb(&fx, 10), 0); /* no writer counted any more: EOF */
	detach(&fx, TRUE, FALSE);
	fx_done(&fx);
}

static void test_pipe_fifo_woken_writer_open_abandoned_wakes_readers(void)
{
	/* Kernel: the woken open succeeds (the counter moved), then the exit closes it:
	 * pipe_release wakes every reader, which finds EOF. */
	Fx fx;
	fx_init_n(&fx, TRUE, SIM_PIPE_DEF_SLOTS);
	guint ck1 = 99, ck2 = 99;
	CU_ASSERT_EQUAL(fifo_open(&fx, 1, 0, SIM_O_WRONLY, &ck1), SIM_BLOCKED);
	CU_ASSERT_EQUAL(fifo_open(&fx, 2, 0, SIM_O_RDONLY, &ck2), 0);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "1");
	block_readers(&fx, 2, 3, 10);
	open_abort(&fx, SIM_O_WRONLY); /* writer 1 killed before it ran */
	CU_ASSERT_STRING_EQUAL(woken(&fx), "2 3");
	CU_ASSERT_EQUAL(fx.p->writers, 0);
	CU_ASSERT_EQUAL(fx.p->files, 1);
	gsize got = 99;
	CU_ASSERT_EQUAL(rd(&fx, 2, RES, 10, &got), 0);
	CU_ASSERT_EQUAL(got, 0);
	CU_ASSERT_EQUAL(rd(&fx, 3, RES, 10, &got), 0);
	CU_ASSERT_EQUAL(got, 0);
	detach(&fx, TRUE, FALSE);
	fx_done(&fx);
}

static void test_pipe_fifo_woken_reader_open_abandoned_wakes_all_writers(void)
{
	/* Kernel: wait_for_partner returns 0 once the counter moved, even with SIGKILL
	 * pending; the exit then closes the file: pipe_release (readers 0, writers 2) wakes
	 * every writer, and each gets EPIPE. */
	Fx fx;
	fx_init_n(&fx, TRUE, SIM_PIPE_DEF_SLOTS);
	guint ck1 = 99, ck2 = 99, ck3 = 99;
	CU_ASSERT_EQUAL(fifo_open(&fx, 1, 0, SIM_O_RDONLY, &ck1), SIM_BLOCKED);
	CU_ASSERT_EQUAL(fifo_open(&fx, 2, 0, SIM_O_WRONLY, &ck2), 0);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "1");
	CU_ASSERT_EQUAL(fifo_open(&fx, 3, 0, SIM_O_WRONLY, &ck3), 0);
	gsize d2 = 0, d3 = 0;
	CU_ASSERT_EQUAL(wr(&fx, 2, 0, 100000, &d2), SIM_BLOCKED);
	CU_ASSERT_EQUAL(d2, 65536);
	CU_ASSERT_EQUAL(wr(&fx, 3, 0, 10, &d3), SIM_BLOCKED);
	open_abort(&fx, SIM_O_RDONLY); /* reader 1 killed before it ran */
	CU_ASSERT_EQUAL(fx.p->readers, 0);
	CU_ASSERT_EQUAL(fx.p->files, 2);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "2 3");
	CU_ASSERT_EQUAL(fx.p->wr_wait.len, 0);
	CU_ASSERT_EQUAL(wr(&fx, 2, RES, 100000, &d2), 0);
	CU_ASSERT_EQUAL(d2, 65536);
	CU_ASSERT_TRUE(fx.ctx.sigpipe);
	CU_ASSERT_EQUAL(wr(&fx, 3, RES, 10, &d3), EPIPE);
	detach(&fx, FALSE, TRUE);
	detach(&fx, FALSE, TRUE);
	fx_done(&fx);
}

/* ---- F_SETPIPE_SZ (§3.6) ---- */

static void test_pipe_setpipe_sz_rounding(void)
{
	static const struct {
		gint64 arg, size;
	} cases[] = { { 0, 4096 },	 { 1, 4096 },	       { 4097, 8192 },
		      { 5000, 8192 },	 { 12288, 16384 },     { 20000, 32768 },
		      { 65537, 131072 }, { 1048576, 1048576 }, { 4096, 4096 } };
	Fx fx;
	fx_init(&fx);
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		CU_ASSERT_EQUAL(set_size(&fx, cases[i].arg, FALSE), cases[i].size);
		CU_ASSERT_EQUAL(sim_pipe_size(fx.p), cases[i].size); /* F_GETPIPE_SZ agrees */
		CU_ASSERT_EQUAL(fx.p->max_usage, (guint)(cases[i].size / 4096));
	}
	fx_done(&fx);
}

static void test_pipe_setpipe_sz_eperm_above_max(void)
{
	Fx fx;
	fx_init(&fx);
	CU_ASSERT_EQUAL(set_size(&fx, 1048577, FALSE), -EPERM);
	CU_ASSERT_EQUAL(set_size(&fx, 2097152, FALSE), -EPERM);
	CU_ASSERT_EQUAL(sim_pipe_size(fx.p), 65536);
	CU_ASSERT_EQUAL(set_size(&fx, 2097152, TRUE), 2097152);
	CU_ASSERT_EQUAL(sim_pipe_size(fx.p), 2097152);
	/* only growing past the limit needs the capability */
	CU_ASSERT_EQUAL(set_size(&fx, 2097152, FALSE), 2097152);
	CU_ASSERT_EQUAL(set_size(&fx, 4194304, FALSE), -EPERM);
	CU_ASSERT_EQUAL(set_size(&fx, 1048576, FALSE), 1048576);
	CU_ASSERT_EQUAL(sim_pipe_size(fx.p), 1048576);
	fx_done(&fx);
}

static void test_pipe_setpipe_sz_2_31_eperm_and_above_einval(void)
{
	Fx fx;
	fx_init(&fx);
	const gint64 two31 = (gint64)1 << 31;
	CU_ASSERT_EQUAL(set_size(&fx, two31, FALSE), -EPERM); /* EPERM is checked first */
	CU_ASSERT_EQUAL(set_size(&fx, two31 + 1, FALSE), -EINVAL);
	CU_ASSERT_EQUAL(set_size(&fx, two31 + 1, TRUE), -EINVAL);
	CU_ASSERT_EQUAL(set_size(&fx, -1, FALSE), -EINVAL);
	CU_ASSERT_EQUAL(set_size(&fx, 4294967295, FALSE), -EINVAL);
	CU_ASSERT_EQUAL(sim_pipe_size(fx.p), 65536);
	CU_ASSERT_EQUAL(set_size(&fx, ((gint64)1 << 32) + 4096, FALSE), 4096); /* 32 bits */
	CU_ASSERT_EQUAL(sim_pipe_size(fx.p), 4096);
	fx_done(&fx);
}

static void test_pipe_setpipe_sz_ebusy_below_slots_in_use(void)
{
	Fx fx;
	fx_init(&fx);
	CU_ASSERT_EQUAL(wnb_text(&fx, "0123456789", 9000), 9000);
	CU_ASSERT_EQUAL(sim_pipe_used(fx.p), 3);
	CU_ASSERT_EQUAL(set_size(&fx, 4096, FALSE), -EBUSY);
	CU_ASSERT_EQUAL(set_size(&fx, 8192, FALSE), -EBUSY);
	CU_ASSERT_EQUAL(sim_pipe_size(fx.p), 65536);
	CU_ASSERT_EQUAL(set_size(&fx, 16384, FALSE), 16384);
	CU_ASSERT_EQUAL(sim_pipe_size(fx.p), 16384);
	CU_ASSERT_EQUAL(fx.p->bytes, 9000);
	CU_ASSERT_EQUAL(rnb(&fx, 10000), 9000);
	g_autoptr(GString) expect = repeat("0123456789", 9000);
	CU_ASSERT_TRUE(same(fx.out, expect));
	fx_done(&fx);
}

static void test_pipe_setpipe_sz_counts_slots_not_bytes(void)
{
	Fx fx;
	fx_init(&fx);
	CU_ASSERT_EQUAL(wnb(&fx, 200), 200);
	CU_ASSERT_EQUAL(set_size(&fx, 4096, FALSE), 4096);
	CU_ASSERT_EQUAL(fx.p->bytes, 200);
	fx_done(&fx);

	fx_init(&fx);
	CU_ASSERT_EQUAL(wnb(&fx, 9000), 9000);
	CU_ASSERT_EQUAL(rnb(&fx, 8192), 8192); /* 808 bytes left in 1 slot */
	CU_ASSERT_EQUAL(set_size(&fx, 4096, FALSE), 4096);
	CU_ASSERT_EQUAL(fx.p->bytes, 808);
	CU_ASSERT_EQUAL(sim_pipe_used(fx.p), 1);
	CU_ASSERT_EQUAL(wnb(&fx, 1), 1); /* merges into that slot */
	CU_ASSERT_EQUAL(wnb(&fx, 4096), -EAGAIN);
	fx_done(&fx);

	/* 4098 bytes in 3 slots: 8192 bytes would hold them, 2 slots would not */
	fx_init(&fx);
	CU_ASSERT_EQUAL(wnb(&fx, 1), 1);
	CU_ASSERT_EQUAL(wnb(&fx, PG), (gint64)PG);
	CU_ASSERT_EQUAL(wnb(&fx, 1), 1);
	CU_ASSERT_EQUAL(sim_pipe_used(fx.p), 3);
	CU_ASSERT_EQUAL(set_size(&fx, 8192, FALSE), -EBUSY);
	CU_ASSERT_EQUAL(set_size(&fx, 16384, FALSE), 16384);
	fx_done(&fx);
}

static void test_pipe_setpipe_sz_keeps_data_in_order(void)
{
	Fx fx;
	fx_init_n(&fx, FALSE, 4);
	pages(&fx, "a", 1);
	pages(&fx, "b", 1);
	pages(&fx, "c", 1);
	pages(&fx, "d", 1);
	CU_ASSERT_EQUAL(rnb(&fx, 2 * PG + 100), (gint64)(2 * PG + 100)); /* c's slot at 100 */
	pages(&fx, "e", 1);
	pages(&fx, "f", 1); /* the ring wrapped */
	CU_ASSERT_EQUAL(fx.p->tail % fx.p->ring, 2);
	CU_ASSERT_EQUAL(set_size(&fx, 32768, FALSE), 32768);
	CU_ASSERT_EQUAL(sim_pipe_used(fx.p), 4);
	CU_ASSERT_EQUAL(fx.p->bytes, 4 * PG - 100);
	pages(&fx, "g", 1);
	g_string_truncate(fx.out, 0);
	CU_ASSERT_EQUAL(rnb(&fx, 10 * PG), (gint64)(5 * PG - 100));
	CU_ASSERT_TRUE(run_of(fx.out, 0, PG - 100, 'c'));
	CU_ASSERT_TRUE(run_of(fx.out, PG - 100, PG, 'd'));
	CU_ASSERT_TRUE(run_of(fx.out, 2 * PG - 100, PG, 'e'));
	CU_ASSERT_TRUE(run_of(fx.out, 3 * PG - 100, PG, 'f'));
	CU_ASSERT_TRUE(run_of(fx.out, 4 * PG - 100, PG, 'g'));
	/* shrink around data that is not at the start of the ring */
	pages(&fx, "h", 1);
	CU_ASSERT_EQUAL(wnb_text(&fx, "i", 10), 10);
	CU_ASSERT_EQUAL(set_size(&fx, 8192, FALSE), 8192);
	CU_ASSERT_EQUAL(wnb_text(&fx, "j", 5), 5); /* merges after the i's */
	g_string_truncate(fx.out, 0);
	CU_ASSERT_EQUAL(rnb(&fx, 10 * PG), (gint64)(PG + 15));
	CU_ASSERT_TRUE(run_of(fx.out, 0, PG, 'h'));
	CU_ASSERT_TRUE(run_of(fx.out, PG, 10, 'i'));
	CU_ASSERT_TRUE(run_of(fx.out, PG + 10, 5, 'j'));
	fx_done(&fx);
}

static void test_pipe_setpipe_sz_wakes_one_writer(void)
{
	Fx fx;
	fx_init(&fx);
	pages(&fx, "0", 16);
	block_writers(&fx, 1, 2);
	CU_ASSERT_EQUAL(set_size(&fx, 4096, FALSE), -EBUSY); /* failures wake nobody */
	CU_ASSERT_STRING_EQUAL(woken(&fx), "");
	CU_ASSERT_EQUAL(set_size(&fx, 2097152, FALSE), -EPERM);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "");
	CU_ASSERT_EQUAL(set_size(&fx, 131072, FALSE), 131072);
	CU_ASSERT_STRING_EQUAL(woken(&fx), "1");
	CU_ASSERT_PTR_EQUAL(fx.t[2].queue, &fx.p->wr_wait);
	resume_writer(&fx, 1); /* room left: the next one */
	CU_ASSERT_STRING_EQUAL(woken(&fx), "2");
	resume_writer(&fx, 2);
	CU_ASSERT_EQUAL(sim_pipe_used(fx.p), 18);
	fx_done(&fx);
}

/* ---- sim_pipe_check ---- */

static void test_pipe_check_catches_broken_invariants(void)
{
	Fx fx;
	fx_init(&fx);
	CU_ASSERT_EQUAL(wnb(&fx, 100), 100);
	SimPipe *p = fx.p;
	p->bytes++; /* bytes is not the sum of the slots */
	CU_ASSERT_FALSE(sim_pipe_check(p));
	p->bytes--;
	SimPipeSlot *s = &p->slots[p->tail % p->ring];
	s->offset = 4000; /* 4000 + 100 > 4096 */
	CU_ASSERT_FALSE(sim_pipe_check(p));
	s->offset = 0;
	p->files = 3; /* a description that neither reads nor writes */
	CU_ASSERT_FALSE(sim_pipe_check(p));
	p->files = 2;
	p->max_usage = 17; /* more usable slots than the ring has */
	CU_ASSERT_FALSE(sim_pipe_check(p));
	p->max_usage = 16;
	CU_ASSERT_EQUAL(wnb(&fx, PG), (gint64)PG); /* 2 slots in use */
	p->max_usage = 1;			   /* more slots in use than usable */
	CU_ASSERT_FALSE(sim_pipe_check(p));
	p->max_usage = 16;
	CU_ASSERT_TRUE(sim_pipe_check(p));
	fx_done(&fx);
}

extern CU_TestInfo pipe_tests[];
CU_TestInfo pipe_tests[] = {
	{ "new pipe is empty with 16 slots and counters at 1",
	  test_pipe_new_pipe_is_empty_with_16_slots_and_counters_at_1 },
	{ "attach and detach count descriptions", test_pipe_attach_and_detach_count_descriptions },
	{ "1-byte writes fill 65536", test_pipe_write_one_byte_writes_fill_65536 },
	{ "4096-byte writes fill 16 slots", test_pipe_write_4096_byte_writes_fill_16_slots },
	{ "alternating 1+4096 is full at 32776",
	  test_pipe_write_alternating_1_and_4096_full_at_32776 },
	{ "alternating 100+4096 is full at 33568",
	  test_pipe_write_alternating_100_and_4096_full_at_33568 },
	{ "merge needs room after the end", test_pipe_write_merge_needs_room_after_end },
	{ "merge only when not empty", test_pipe_write_merge_only_when_not_empty },
	{ "read frees a slot only when fully read",
	  test_pipe_read_frees_slot_only_when_fully_read },
	{ "space freed by a partial read is not reusable",
	  test_pipe_partial_read_space_not_reusable },
	{ "nonblocking 8192 into one free slot writes 4096",
	  test_pipe_nonblock_8192_into_one_free_slot_writes_4096 },
	{ "14 pages + 100: write(9000) writes 4904",
	  test_pipe_write_9000_after_14_pages_plus_100_writes_4904 },
	{ "14 pages + 100: write(5000) writes 5000",
	  test_pipe_write_5000_after_14_pages_plus_100_writes_5000 },
	{ "write(5000) into empty takes two slots",
	  test_pipe_write_5000_into_empty_takes_two_slots },
	{ "nonblocking 100000 into empty writes 65536",
	  test_pipe_nonblock_100000_into_empty_writes_65536 },
	{ "writes up to 4096 never split", test_pipe_write_up_to_4096_never_splits },
	{ "bytes is FIONREAD, totals count", test_pipe_bytes_is_fionread_and_totals_count },
	{ "pages are reused once every slot was used",
	  test_pipe_pages_are_reused_once_every_slot_was_used },
	{ "zero-length write without readers is 0", test_pipe_zero_length_write_no_readers_ok },
	{ "write without readers is EPIPE and SIGPIPE",
	  test_pipe_write_no_readers_epipe_sets_sigpipe },
	{ "write with readers sets no SIGPIPE", test_pipe_write_with_readers_does_not_set_sigpipe },
	{ "blocked write returns the partial count when readers go",
	  test_pipe_blocked_write_returns_partial_when_readers_go },
	{ "blocking write sleeps and goes on when woken",
	  test_pipe_blocking_write_sleeps_and_goes_on_when_woken },
	{ "no merge after a sleep", test_pipe_no_merge_after_sleep },
	{ "zero-length read returns 0", test_pipe_zero_length_read_returns_0 },
	{ "read without writers is EOF", test_pipe_read_eof_without_writers },
	{ "nonblocking read of an empty pipe is EAGAIN", test_pipe_read_eagain_nonblock },
	{ "read spans slots", test_pipe_read_spans_slots },
	{ "blocked read returns what one write brought",
	  test_pipe_blocked_read_returns_what_one_write_brought },
	{ "read with NULL out discards", test_pipe_read_with_null_out_discards },
	{ "bytes come out in the order written", test_pipe_bytes_come_out_in_the_order_written },
	{ "text repeated to size", test_pipe_text_repeated_to_size },
	{ "no text writes 'x'", test_pipe_no_text_writes_x },
	{ "write into empty wakes the first reader only",
	  test_pipe_write_into_empty_wakes_first_reader_only },
	{ "write into a non-empty pipe wakes nobody",
	  test_pipe_write_into_nonempty_pipe_wakes_nobody },
	{ "reader leaving data wakes the next reader",
	  test_pipe_reader_leaving_data_wakes_next_reader },
	{ "reader that did not sleep wakes nobody",
	  test_pipe_reader_that_did_not_sleep_wakes_nobody },
	{ "read freeing a slot of a full pipe wakes one writer",
	  test_pipe_read_freeing_slot_of_full_pipe_wakes_one_writer },
	{ "partial read of a full pipe wakes no writer",
	  test_pipe_partial_read_of_full_pipe_wakes_no_writer },
	{ "woken writer leaving room wakes the next",
	  test_pipe_woken_writer_leaving_room_wakes_next },
	{ "writer that did not sleep wakes no writer",
	  test_pipe_writer_that_did_not_sleep_wakes_no_writer },
	{ "blocked writers' data enters in blocking order",
	  test_pipe_blocked_writers_data_enters_in_blocking_order },
	{ "writer sleeping on an empty pipe wakes a reader first",
	  test_pipe_writer_sleeping_on_empty_pipe_wakes_reader_first },
	{ "resumed reader finding the pipe empty re-queues at the tail",
	  test_pipe_resumed_reader_finding_pipe_empty_requeues_at_tail },
	{ "resumed writer finding the pipe full re-queues at the tail",
	  test_pipe_resumed_writer_finding_pipe_full_requeues_at_tail },
	{ "task blocking again after a wake-up is woken again",
	  test_pipe_task_blocking_again_after_a_wakeup_is_woken_again },
	{ "last writer close wakes all readers", test_pipe_last_writer_close_wakes_all_readers },
	{ "last reader close wakes all writers", test_pipe_last_reader_close_wakes_all_writers },
	{ "a close that is not the last wakes nobody",
	  test_pipe_close_that_is_not_the_last_wakes_nobody },
	{ "signal pending: read returns EINTR instead of sleeping",
	  test_pipe_signal_pending_read_returns_eintr_instead_of_sleeping },
	{ "signal pending: write returns the partial count",
	  test_pipe_signal_pending_write_returns_partial },
	{ "FIFO O_RDONLY blocks until a writer", test_pipe_fifo_open_rdonly_blocks_until_writer },
	{ "FIFO O_WRONLY blocks until a reader", test_pipe_fifo_open_wronly_blocks_until_reader },
	{ "FIFO open wakes even if the writer closed again",
	  test_pipe_fifo_open_wakes_even_if_writer_closed_again },
	{ "FIFO O_RDONLY|O_NONBLOCK opens at once", test_pipe_fifo_rdonly_nonblock_opens_at_once },
	{ "FIFO O_WRONLY|O_NONBLOCK without reader is ENXIO",
	  test_pipe_fifo_wronly_nonblock_enxio },
	{ "FIFO O_WRONLY|O_NONBLOCK ok while a reader is blocked in open",
	  test_pipe_fifo_wronly_nonblock_ok_while_reader_blocked_in_open },
	{ "FIFO reader open releases a blocked writer; read is EAGAIN",
	  test_pipe_fifo_reader_open_releases_blocked_writer_and_read_is_eagain },
	{ "FIFO O_RDWR never blocks and releases openers",
	  test_pipe_fifo_rdwr_never_blocks_and_releases_openers },
	{ "FIFO open EINTR undoes the count", test_pipe_fifo_open_eintr_undoes_count },
	{ "FIFO open abort undoes the count", test_pipe_fifo_open_abort_undoes_count },
	{ "FIFO woken writer open abandoned wakes readers",
	  test_pipe_fifo_woken_writer_open_abandoned_wakes_readers },
	{ "FIFO woken reader open abandoned wakes all writers",
	  test_pipe_fifo_woken_reader_open_abandoned_wakes_all_writers },
	{ "F_SETPIPE_SZ rounding", test_pipe_setpipe_sz_rounding },
	{ "F_SETPIPE_SZ EPERM above pipe-max-size", test_pipe_setpipe_sz_eperm_above_max },
	{ "F_SETPIPE_SZ 2^31 EPERM, above EINVAL",
	  test_pipe_setpipe_sz_2_31_eperm_and_above_einval },
	{ "F_SETPIPE_SZ EBUSY below the slots in use",
	  test_pipe_setpipe_sz_ebusy_below_slots_in_use },
	{ "F_SETPIPE_SZ counts slots, not bytes", test_pipe_setpipe_sz_counts_slots_not_bytes },
	{ "F_SETPIPE_SZ keeps the data in order", test_pipe_setpipe_sz_keeps_data_in_order },
	{ "F_SETPIPE_SZ wakes one writer", test_pipe_setpipe_sz_wakes_one_writer },
	{ "check catches broken invariants", test_pipe_check_catches_broken_invariants },
	CU_TEST_INFO_NULL,
};
