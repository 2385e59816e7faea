/* trace.c — the only place trace events become text: a table for people, JSON Lines for programs.
 *
 * The design choice to know: both formats are written from the same SimTraceEvent by
 * two small per-kind switch statements, so adding an event kind means adding one case to
 * each, and the formats cannot drift apart on which facts they show. A call's own part
 * (what it asked, what came of it, its JSON fields) is not here: the event framing asks the
 * statement's row in the call table (call.h), whose family file writes it with the pieces
 * exported below, so adding a call touches its family and not this file.
 *
 * Text layout: one event per line, `TIME  TASK  WHAT`, time right-aligned in the
 * largest unit that divides it exactly ("1500us", "3ms"); report lines start with "--".
 * JSON Lines: schema version JSONL_VERSION, documented in scenarios/README.md ("The JSON
 * Lines trace"); every line is valid JSON, text that is not UTF-8 is given in hex.
 *
 * Cost: a traced run writes millions of lines, so nothing here allocates per event or
 * calls printf on the way: each sink formats its lines straight into one buffer of its
 * own (numbers and times written by hand, appends inline), handed to its stream in one
 * write per BATCH_BYTES; a sink writing a file hands its full batches to a thread that
 * writes them while the next is formatted (see "The writer"). A line that repeats an
 * earlier one but for its time and sequence number is written from a copy of it (see
 * "The line memo"). The report's rare lines still use printf.
 */
#include "msgsim/output/trace.h"

#include "msgsim/calls/call.h"
#include "msgsim/kernel/mqueue.h"
#include "msgsim/kernel/msgq.h"
#include "msgsim/kernel/pipe.h"
#include "msgsim/lang/scn.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct Sink {
	SimTraceFormat fmt;
	FILE *out;
	gboolean own;
	gboolean report_only;
	guint64 max_lines; /* event lines it writes at most (0: all); the report always */
	guint64 lines;	   /* event lines written */
	guint64 left_out;  /* event lines not written, past max_lines */
	gboolean noted;	   /* the line that says so is written */
	GString *batch;	   /* lines not yet handed to out: written in one piece when full */
	int err;	   /* errno of the first write to out that failed, or 0 */
	gsize batch_bytes; /* batch is written when it holds this many: 0 on a terminal */
	const SimTraceSinkClass *cls; /* a picture's sink (sim_trace_add_custom), or NULL */
	gpointer data;		      /* its state, freed with cls->free */
	gboolean may_hand_off; /* out is a regular file of its own: a Writer may write it */
	struct Writer *writer; /* the thread writing full batches, once one was, or NULL */
	struct Memo *memo;     /* MEMO_SLOTS lines it remembers, or NULL before the first */
	guint memo_turn;       /* which slot of a full set a miss replaces next */
	guint32 wants;	       /* bit k: it writes events of kind k (sink_wants) */
} Sink;

struct SimTrace {
	GArray *sinks;	 /* Sink */
	guint32 wanted; /* bit k: some sink writes events of kind k (sim_trace_wants) */
};

/* A sink's lines are handed to its stream in batches of about this size: one write per
 * batch, whatever the stream's own buffer. */
#define BATCH_BYTES (256u * 1024u)
/* The batch of a sink whose writer thread writes it (see "The writer"): larger, so that
 * the thread is woken four times less often; each wake-up may cost the run its processor. */
#define WRITER_BATCH_BYTES (1024u * 1024u)

static void digits3_init(void);

SimTrace *sim_trace_new(void)
{
	SimTrace *tr = g_new0(SimTrace, 1);
	tr->sinks = g_array_new(FALSE, FALSE, sizeof(Sink));
	return tr;
}

/* Writes buf to out; returns 0 or the errno of the failed write. */
static int write_out(FILE *out, const GString *buf)
{
	if (buf->len && fwrite(buf->str, 1, buf->len, out) != buf->len)
		return errno ? errno : EIO;
	return 0;
}

/* ---- The writer: a thread that writes a file sink's full batches ----
 *
 * A long trace to a file spends about a fifth of its time in the kernel, copying lines
 * into the page cache. A sink writing a regular file (not standard output, whose writes
 * another part of the program may interleave with its own) hands each full batch to a
 * thread of its own and formats the next into a second buffer meanwhile: the copy then
 * overlaps the run on a second processor. The bytes and their order are the same: the
 * thread writes the batches in the order they were handed over, at most WRITER_DEPTH in
 * its hands, and the sink waits for all of them before it writes anything itself (flush,
 * free). The thread is started by the first full batch, so a short trace never has one. */
/* Batches a writer may hold, written or waiting: a busy machine may leave its thread
 * without a processor for some milliseconds, which a few batches in hand ride out. */
#define WRITER_DEPTH 4

typedef struct Writer {
	GThread *thread;
	GMutex lock;
	GCond cond;	 /* signalled when a batch is handed over or written, and on quit */
	FILE *out;
	GQueue full;	 /* batches handed over and not yet taken, oldest first */
	GPtrArray *free; /* written buffers (empty), for the next hand-overs */
	guint held;	 /* batches handed over and not yet written (full + the one in hand) */
	int err;	 /* errno of the first failed write, or 0 */
	gboolean quit;
	/* Who sleeps on cond: each side wakes the other only then. A wake-up is a system
	 * call, and on a busy machine the woken thread took the waker's processor. */
	gboolean writer_waits, sink_waits;
} Writer;

static gpointer writer_main(gpointer data)
{
	Writer *wr = data;
	g_mutex_lock(&wr->lock);
	for (;;) {
		while (g_queue_is_empty(&wr->full) && !wr->quit) {
			wr->writer_waits = TRUE;
			g_cond_wait(&wr->cond, &wr->lock);
			wr->writer_waits = FALSE;
		}
		GString *buf = g_queue_pop_head(&wr->full);
		if (!buf)
			break;
		g_mutex_unlock(&wr->lock);
		int err = write_out(wr->out, buf);
		g_string_truncate(buf, 0);
		g_mutex_lock(&wr->lock);
		if (err && !wr->err)
			wr->err = err;
		g_ptr_array_add(wr->free, buf);
		wr->held--;
		if (wr->sink_waits)
			g_cond_broadcast(&wr->cond);
	}
	g_mutex_unlock(&wr->lock);
	return NULL;
}

/* Waits until the writer has written every batch it was given; takes over its error. */
static void writer_drain(Sink *sk)
{
	Writer *wr = sk->writer;
	g_mutex_lock(&wr->lock);
	while (wr->held) {
		wr->sink_waits = TRUE;
		g_cond_wait(&wr->cond, &wr->lock);
		wr->sink_waits = FALSE;
	}
	if (wr->err && !sk->err)
		sk->err = wr->err;
	g_mutex_unlock(&wr->lock);
}

/* Hands the sink's full batch to its writer (started now if need be) and takes an empty
 * buffer back; FALSE when no thread could be started (the caller writes it itself). */
static gboolean hand_off(Sink *sk)
{
	Writer *wr = sk->writer;
	if (!wr) {
		wr = g_new0(Writer, 1);
		g_mutex_init(&wr->lock);
		g_cond_init(&wr->cond);
		g_queue_init(&wr->full);
		wr->free = g_ptr_array_new();
		wr->out = sk->out;
		wr->thread = g_thread_try_new("msgsim-trace", writer_main, wr, NULL);
		if (!wr->thread) {
			g_ptr_array_unref(wr->free);
			g_mutex_clear(&wr->lock);
			g_cond_clear(&wr->cond);
			g_free(wr);
			sk->may_hand_off = FALSE;
			return FALSE;
		}
		sk->writer = wr;
	}
	g_mutex_lock(&wr->lock);
	while (wr->held >= WRITER_DEPTH) {
		wr->sink_waits = TRUE;
		g_cond_wait(&wr->cond, &wr->lock);
		wr->sink_waits = FALSE;
	}
	gsize size = sk->batch->allocated_len;
	g_queue_push_tail(&wr->full, sk->batch);
	wr->held++;
	sk->batch = wr->free->len ? g_ptr_array_steal_index_fast(wr->free, wr->free->len - 1)
				  : NULL;
	if (wr->writer_waits)
		g_cond_broadcast(&wr->cond);
	g_mutex_unlock(&wr->lock);
	if (!sk->batch)
		sk->batch = g_string_sized_new(size);
	return TRUE;
}

/* Stops the writer once it has written what it holds. */
static void writer_stop(Sink *sk)
{
	Writer *wr = sk->writer;
	if (!wr)
		return;
	writer_drain(sk);
	g_mutex_lock(&wr->lock);
	wr->quit = TRUE;
	g_cond_broadcast(&wr->cond);
	g_mutex_unlock(&wr->lock);
	g_thread_join(wr->thread);
	for (guint i = 0; i < wr->free->len; i++)
		g_string_free(g_ptr_array_index(wr->free, i), TRUE);
	g_ptr_array_unref(wr->free);
	g_mutex_clear(&wr->lock);
	g_cond_clear(&wr->cond);
	g_free(wr);
	sk->writer = NULL;
}

/* Hands a full batch on: to the writer when the sink has one (or may start one), else
 * to the stream; remembers the first error. */
static void batch_full(Sink *sk)
{
	if (sk->may_hand_off && hand_off(sk))
		return;
	int err = write_out(sk->out, sk->batch);
	if (err && !sk->err)
		sk->err = err;
	g_string_truncate(sk->batch, 0);
}

/* Writes what the sink's batch holds to its stream now, after what the writer holds. */
static void write_batch(Sink *sk)
{
	if (sk->writer)
		writer_drain(sk);
	int err = write_out(sk->out, sk->batch);
	if (err && !sk->err)
		sk->err = err;
	g_string_truncate(sk->batch, 0);
}

void sim_trace_free(SimTrace *tr)
{
	if (!tr)
		return;
	for (guint i = 0; i < tr->sinks->len; i++) {
		Sink *s = &g_array_index(tr->sinks, Sink, i);
		write_batch(s);
		writer_stop(s);
		if (s->cls)
			s->cls->free(s->data);
		if (s->own)
			fclose(s->out);
		else
			fflush(s->out);
		g_string_free(s->batch, TRUE);
		g_free(s->memo);
	}
	g_array_unref(tr->sinks);
	g_free(tr);
}

static gboolean sink_wants(const Sink *sk, SimTraceKind kind);
G_STATIC_ASSERT(SIM_TR_END < 32); /* a kind is a bit of SimTrace.wanted */

void sim_trace_add_sink(SimTrace *tr, SimTraceFormat fmt, FILE *out, gboolean own,
			gboolean report_only)
{
	/* A person at a terminal sees each line as it comes, as stdio would show it. */
	if (fmt == SIM_TRACE_TEXT && !report_only)
		digits3_init(); /* the time column's tables; a report has no time column */
	int fd = fileno(out);
	gsize batch = fd >= 0 && isatty(fd) ? 0 : BATCH_BYTES;
	struct stat st;
	gboolean file = out != stdout && out != stderr && fd >= 0 && fstat(fd, &st) == 0 &&
			S_ISREG(st.st_mode);
	if (file && !report_only)
		batch = WRITER_BATCH_BYTES;
	Sink s = { .fmt = fmt,
		   .out = out,
		   .own = own,
		   .report_only = report_only,
		   .batch = g_string_sized_new(batch + 4096),
		   .batch_bytes = batch,
		   .may_hand_off = file && !report_only };
	for (guint k = 0; k <= SIM_TR_END; k++)
		if (sink_wants(&s, (SimTraceKind)k))
			s.wants |= 1u << k;
	g_array_append_val(tr->sinks, s);
	tr->wanted |= s.wants;
}

void sim_trace_add_custom(SimTrace *tr, const SimTraceSinkClass *cls, gpointer data, FILE *out,
			  gboolean own)
{
	sim_trace_add_sink(tr, SIM_TRACE_TEXT, out, own, FALSE);
	Sink *s = &g_array_index(tr->sinks, Sink, tr->sinks->len - 1);
	s->cls = cls;
	s->data = data;
	tr->wanted |= cls->wants;
}

void sim_trace_limit_lines(SimTrace *tr, guint64 max_lines)
{
	for (guint i = 0; i < tr->sinks->len; i++)
		g_array_index(tr->sinks, Sink, i).max_lines = max_lines;
}

int sim_trace_flush(SimTrace *tr)
{
	int err = 0;
	for (guint i = 0; i < tr->sinks->len; i++) {
		Sink *sk = &g_array_index(tr->sinks, Sink, i);
		write_batch(sk);
		if (fflush(sk->out) != 0 && sk->err == 0)
			sk->err = errno ? errno : EIO;
		if (err == 0)
			err = sk->err;
	}
	return err;
}

void sim_trace_put_name(GString *s, const char *text)
{
	char *d = s->str + s->len, *end = s->str + s->allocated_len - 1;
	while (*text && d < end)
		*d++ = *text++;
	*d = '\0';
	s->len = (gsize)(d - s->str);
	if (G_UNLIKELY(*text))
		g_string_append(s, text);
}

/* ---- Numbers, without printf: the trace formats millions of them ---- */

/* How many decimal digits v has: from its bit length (log10(2) ~ 1233/4096), then one
 * comparison, instead of a multiplication per digit. */
static inline gsize digits_of(guint64 v)
{
	static const guint64 pow10[] = { 1ull,
					 10ull,
					 100ull,
					 1000ull,
					 10000ull,
					 100000ull,
					 1000000ull,
					 10000000ull,
					 100000000ull,
					 1000000000ull,
					 10000000000ull,
					 100000000000ull,
					 1000000000000ull,
					 10000000000000ull,
					 100000000000000ull,
					 1000000000000000ull,
					 10000000000000000ull,
					 100000000000000000ull,
					 1000000000000000000ull,
					 10000000000000000000ull };
	if (v < 10)
		return 1;
	gsize t = ((gsize)(64 - __builtin_clzll(v)) * 1233) >> 12; /* t + 1: digits, or one more */
	return t + 1 - (v < pow10[t]);
}

/* Writes v's decimal digits at out (room for 20); returns how many. */
static const char digit_pairs[] = "000102030405060708091011121314151617181920212223242526272829"
				  "303132333435363738394041424344454647484950515253545556575859"
				  "606162636465666768697071727374757677787980818283848586878889"
				  "90919293949596979899";

/* The four digits of v < 10000 at out: its two halves do not wait for each other. */
static inline void four_digits(guint32 v, char *out)
{
	memcpy(out, digit_pairs + 2 * (v / 100), 2);
	memcpy(out + 2, digit_pairs + 2 * (v % 100), 2);
}


static gsize u64_chars(guint64 v, char *out)
{
	gsize n = digits_of(v);
	char *c = out + n;
	/* Eight, then four digits at a time, split in halves that are worked out side by
	 * side: a time has ten digits, and dividing by 100 once per pair made a chain. */
	while (v >= 100000000u) {
		guint64 q = v / 100000000u;
		guint32 r = (guint32)(v - q * 100000000u);
		c -= 8;
		four_digits(r / 10000u, c);
		four_digits(r % 10000u, c + 4);
		v = q;
	}
	if (v >= 10000u) {
		guint32 r = (guint32)(v % 10000u);
		c -= 4;
		four_digits(r, c);
		v /= 10000u;
	}
	for (; v >= 100; v /= 100) {
		c -= 2;
		memcpy(c, digit_pairs + 2 * (v % 100), 2);
	}
	if (v >= 10) {
		c -= 2;
		memcpy(c, digit_pairs + 2 * v, 2);
	} else {
		*--c = (char)('0' + v);
	}
	return n;
}

static gsize i64_chars(gint64 v, char *out)
{
	if (v >= 0)
		return u64_chars((guint64)v, out);
	out[0] = '-';
	return 1 + u64_chars(-(guint64)v, out + 1);
}

/* Room for n more bytes at the end of s, to be written and then counted in s->len. */
static inline char *reserve(GString *s, gsize n)
{
	if (G_UNLIKELY(s->len + n >= s->allocated_len)) {
		gsize len = s->len;
		g_string_set_size(s, len + n);
		s->len = len;
	}
	return s->str + s->len;
}

void sim_trace_uint(GString *s, guint64 v)
{
	s->len += u64_chars(v, reserve(s, 24));
	s->str[s->len] = '\0';
}

/* Where the line being remembered (see "The line memo") has its sequence number: set by
 * sim_trace_seq while `in` is that line's buffer. Lines are formatted on one thread, the
 * run's; this is per thread all the same, so that two runs on two threads could not mix. */
static _Thread_local struct SeqMark {
	const GString *in; /* the buffer of the line being remembered, or NULL */
	gsize at, end;	   /* the sequence number's digits: in->str[at..end), when end > 0 */
} seq_mark;

void sim_trace_seq(GString *s, guint64 seq)
{
	if (G_UNLIKELY(seq_mark.in == s)) {
		seq_mark.at = s->len;
		sim_trace_uint(s, seq);
		seq_mark.end = s->len;
		return;
	}
	sim_trace_uint(s, seq);
}

void sim_trace_int(GString *s, gint64 v)
{
	s->len += i64_chars(v, reserve(s, 24));
	s->str[s->len] = '\0';
}

void sim_trace_count(GString *s, guint64 n)
{
	char digits[24];
	gsize len = u64_chars(n, digits);
	for (gsize i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			sim_trace_putc(s, ',');
		sim_trace_putc(s, digits[i]);
	}
}

/* Writes t for people at out (room for 32); returns the length. The largest unit not above
 * t, with exact decimals and no trailing zeros; nanoseconds below a microsecond. Written
 * from t's digits: the unit is their count, the decimals the last ones. */
static gsize time_chars(SimTime t, char *out)
{
	static const char names[][3] = { "ns", "us", "ms", "s" };
	if (t <= 0) {
		if (t == 0) {
			out[0] = '0';
			return 1;
		}
		gsize n = i64_chars(t, out);
		memcpy(out + n, "ns", 2);
		return n + 2;
	}
	char d[24];
	gsize n = u64_chars((guint64)t, d);
	gsize unit = n > 9 ? 3 : (n - 1) / 3; /* 1-3 digits: ns; 4-6: us; 7-9: ms; more: s */
	gsize whole = n - 3 * unit;
	memcpy(out, d, whole);
	gsize len = whole, end = n;
	while (end > whole && d[end - 1] == '0')
		end--;
	if (end > whole) {
		out[len++] = '.';
		memcpy(out + len, d + whole, end - whole);
		len += end - whole;
	}
	memcpy(out + len, names[unit], 2);
	return len + (unit == 3 ? 1 : 2);
}

const char *sim_trace_time(SimTime t, char *buf, gsize size)
{
	char tmp[40];
	gsize n = time_chars(t, tmp);
	if (size == 0)
		return buf;
	n = MIN(n, size - 1);
	memcpy(buf, tmp, n);
	buf[n] = '\0';
	return buf;
}

static gboolean is_report(SimTraceKind k)
{
	switch (k) {
	case SIM_TR_HEADER:
	case SIM_TR_DEADLOCK:
	case SIM_TR_LIMIT:
	case SIM_TR_EXPECT:
	case SIM_TR_TASK_SUMMARY:
	case SIM_TR_OBJ_SUMMARY:
	case SIM_TR_END:
		return TRUE;
	default:
		return FALSE;
	}
}

/* ---- Text ---- */

void sim_trace_received(GString *s, const SimTraceEvent *ev)
{
	const SimMsg *m = ev->msg;
	sim_trace_quote(s, m->text, m->len);
	sim_trace_puts(s, " from ");
	sim_trace_puts(s, ev->msg_from);
	sim_trace_puts(s, " (#");
	sim_trace_seq(s, m->seq);
	sim_trace_putc(s, ')');
}

/* Bytes that are not text in a quoted text: a control byte, or a byte of no UTF-8 character,
 * as \xHH (the escape a scenario writes), so that a line stays one line and shows every
 * byte. Returns how many bytes of t it used. */
static gsize quote_odd(GString *s, const char *t, gsize left)
{
	static const char hex[] = "0123456789abcdef";
	guchar b = (guchar)t[0];
	if (b >= 0x80) {
		gunichar u = g_utf8_get_char_validated(t, (gssize)MIN(left, 4));
		if (u != (gunichar)-1 && u != (gunichar)-2) {
			gsize n = (gsize)g_utf8_skip[b];
			sim_trace_put(s, t, n);
			return n;
		}
	}
	char e[4] = { '\\', 'x', hex[b >> 4], hex[b & 15] };
	if (b == '\t' || b == '\r') {
		e[1] = b == '\t' ? 't' : 'r';
		sim_trace_put(s, e, 2);
		return 1;
	}
	sim_trace_put(s, e, 4);
	return 1;
}

void sim_trace_quote(GString *s, const char *text, gsize len)
{
	/* The bytes a scenario's string escapes (1), and the bytes that may not be text (2):
	 * one load a byte, not a row of comparisons. */
	static const guint8 escaped[256] = {
		['"'] = 1,	  ['\\'] = 1,	       ['\n'] = 1,	      [0 ... 9] = 2,
		[11 ... 31] = 2, [0x7f ... 0xff] = 2,
	};
	sim_trace_putc(s, '"');
	gsize run = 0; /* start of the bytes not yet appended, which need no escape */
	for (gsize i = 0; i < len;) {
		char c = text[i];
		guint8 e = escaped[(guchar)c];
		if (!e) {
			i++;
			continue;
		}
		sim_trace_put(s, text + run, (i - run));
		if (e == 2) {
			i += quote_odd(s, text + i, len - i);
		} else {
			sim_trace_putc(s, '\\');
			sim_trace_putc(s, c == '\n' ? 'n' : c);
			i++;
		}
		run = i;
	}
	sim_trace_put(s, text + run, (len - run));
	sim_trace_putc(s, '"');
}

#define SHOWN 40 /* bytes of pipe data shown in a line; the count says the rest */

/* Pipe data: quoted, cut after SHOWN bytes ("xxxx"...). */
void sim_trace_quote_cut(GString *s, const char *text, gsize len)
{
	sim_trace_quote(s, text, MIN(len, SHOWN));
	if (len > SHOWN)
		sim_trace_puts(s, "...");
}

static void names_list(GString *s, const SimTraceEvent *ev)
{
	if (ev->n_names == 0) {
		sim_trace_puts(s, "-");
		return;
	}
	for (guint i = 0; i < ev->n_names; i++) {
		if (i)
			sim_trace_putc(s, ' ');
		sim_trace_puts(s, ev->names[i]);
	}
}

void sim_trace_result(GString *s, int err)
{
	if (!err) {
		sim_trace_puts(s, "ok");
		return;
	}
	sim_trace_puts(s, sim_errno_name(err));
	sim_trace_puts(s, " (");
	sim_trace_puts(s, sim_errno_text(err));
	sim_trace_putc(s, ')');
}

/* " N unit" or " N units": a count and its noun, plural unless N is 1. */
static void append_counted(GString *s, guint64 n, const char *unit)
{
	sim_trace_putc(s, ' ');
	sim_trace_uint(s, n);
	sim_trace_putc(s, ' ');
	sim_trace_puts(s, unit);
	if (n != 1)
		sim_trace_putc(s, 's');
}

/* "[/q: 3 msgs, 21 bytes]": a POSIX queue's state after the call. */
void sim_trace_mq_state(GString *s, const SimTraceEvent *ev)
{
	const SimMqueue *q = ev->mq;
	if (!q)
		return;
	sim_trace_puts(s, " [");
	sim_trace_puts(s, q->name);
	sim_trace_putc(s, ':');
	append_counted(s, q->curmsgs, "msg");
	sim_trace_puts(s, ", ");
	sim_trace_uint(s, q->qsize);
	sim_trace_puts(s, q->unlinked ? " bytes, unlinked]" : " bytes]");
}

/* "[q: 10 msgs, 5120 bytes]": a SysV queue's state after the call. */
void sim_trace_msgq_state(GString *s, const SimTraceEvent *ev)
{
	const SimMsgq *q = ev->msgq;
	if (!q || !ev->object)
		return;
	sim_trace_puts(s, " [");
	sim_trace_puts(s, ev->object);
	if (q->removed) {
		sim_trace_puts(s, ": removed]");
		return;
	}
	sim_trace_putc(s, ':');
	append_counted(s, q->qnum, "msg");
	sim_trace_puts(s, ", ");
	sim_trace_uint(s, q->cbytes);
	sim_trace_puts(s, " bytes]");
}

/* "[pipe#1: 5 bytes in 1/16 slots, 1 reader, 1 writer]": a pipe's state after the call. */
void sim_trace_pipe_state(GString *s, const SimTraceEvent *ev)
{
	const SimPipe *p = ev->pipe;
	if (!p)
		return;
	sim_trace_puts(s, " [");
	sim_trace_puts(s, p->name);
	sim_trace_putc(s, ':');
	append_counted(s, p->bytes, "byte");
	sim_trace_puts(s, " in ");
	sim_trace_uint(s, sim_pipe_used(p));
	sim_trace_putc(s, '/');
	sim_trace_uint(s, p->max_usage);
	sim_trace_puts(s, " slots,");
	append_counted(s, p->readers, "reader");
	sim_trace_putc(s, ',');
	append_counted(s, p->writers, "writer");
	sim_trace_putc(s, ']');
}

void sim_trace_blocks(GString *s, const SimTraceEvent *ev)
{
	sim_trace_puts(s, " -> blocks: ");
	sim_trace_puts(s, ev->reason);
}

void sim_trace_blocked(GString *s, const SimTraceEvent *ev)
{
	sim_trace_blocks(s, ev);
	sim_trace_msgq_state(s, ev);
	sim_trace_mq_state(s, ev);
	sim_trace_pipe_state(s, ev);
}

/* A call or its return: the row of its statement writes what it asked and what came of it.
 * A row with no result hook shows nothing on return and the generic line when blocked. */
static void call_body(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	const SimCallDesc *d = sim_call_desc(ev->stmt->kind);
	if (d->text_call)
		d->text_call(s, ev);
	else
		sim_trace_puts(s, "?");
	if (d->text_result)
		d->text_result(s, ev, arrow);
	else if (ev->blocked)
		sim_trace_blocked(s, ev);
}

/* The report's lines start with "--" and have no time column (format_text writes none
 * for them). */
static void report_line(GString *s, const SimTraceEvent *ev)
{
	char buf[32], buf2[32];
	switch (ev->kind) {
	case SIM_TR_DEADLOCK:
		g_string_append_printf(s, "-- deadlock: %s stuck in %s", ev->task, ev->op);
		if (ev->object)
			g_string_append_printf(s, " %s", ev->object);
		g_string_append_printf(s, " (line %u): %s; waits for: ", ev->line, ev->reason);
		if (ev->n_names)
			names_list(s, ev);
		else
			sim_trace_puts(s, "nobody (no live process can release it)");
		return;
	case SIM_TR_LIMIT:
		g_string_append_printf(s, "-- stopped: %s", ev->text);
		return;
	case SIM_TR_EXPECT:
		g_string_append_printf(s, "-- expect (line %u) %s: %s", ev->line,
				       ev->pass ? "PASS" : "FAIL", ev->text);
		if (!ev->pass)
			g_string_append_printf(s, "; seen: %s", ev->detail);
		return;
	case SIM_TR_TASK_SUMMARY:
		g_string_append_printf(
			s,
			"-- task %-10s %-8s cpu %s, blocked %s, sent %" G_GINT64_FORMAT
			", received %" G_GINT64_FORMAT,
			ev->task, ev->reason, sim_trace_time(ev->counts[0], buf, sizeof(buf)),
			sim_trace_time(ev->counts[1], buf2, sizeof(buf2)), ev->counts[2],
			ev->counts[3]);
		return;
	case SIM_TR_OBJ_SUMMARY:
		if (ev->counts[3] < 0) { /* a SysV queue: bytes queued, not delivered */
			g_string_append_printf(s,
					       "-- %-7s %-10s sent %" G_GINT64_FORMAT
					       ", received %" G_GINT64_FORMAT
					       ", queued %" G_GINT64_FORMAT " (%" G_GINT64_FORMAT
					       " bytes)%s",
					       ev->op, ev->object, ev->counts[0], ev->counts[1],
					       ev->counts[2], ev->counts[4],
					       !ev->counts[5]		       ? ""
					       : strcmp(ev->op, "mqueue") == 0 ? ", unlinked"
									       : ", removed");
			return;
		}
		g_string_append_printf(
			s,
			"-- %-7s %-10s sent %" G_GINT64_FORMAT ", received %" G_GINT64_FORMAT
			", queued %" G_GINT64_FORMAT ", max queued %" G_GINT64_FORMAT
			", bytes %" G_GINT64_FORMAT "%s",
			ev->op, ev->object, ev->counts[0], ev->counts[1], ev->counts[2],
			ev->counts[3], ev->counts[4], ev->counts[5] ? ", destroyed" : "");
		return;
	case SIM_TR_END:
		g_string_append_printf(s,
				       "-- result: %s at %s; %" G_GINT64_FORMAT
				       " expectation(s) passed, %" G_GINT64_FORMAT
				       " failed; %" G_GINT64_FORMAT " steps, %" G_GINT64_FORMAT
				       " context switches; exit status %" G_GINT64_FORMAT,
				       ev->text, sim_trace_time(ev->time, buf, sizeof(buf)),
				       ev->counts[0], ev->counts[1], ev->counts[2], ev->counts[3],
				       ev->value);
		return;
	default:
		g_assert_not_reached();
	}
}

static void text_body(GString *s, const SimTraceEvent *ev)
{
	char buf[40];
	switch (ev->kind) {
	case SIM_TR_HEADER:
		g_string_append_printf(
			s, "# msgsim run %s (scheduler %s, seed %" G_GINT64_FORMAT ")\n", ev->text,
			ev->op, ev->value);
		g_string_append_printf(s, "%10s  %-10s  %s", "time", "task", "event");
		return;
	case SIM_TR_START:
		sim_trace_puts(s, "starts");
		break;
	case SIM_TR_DISPATCH:
		sim_trace_puts(s, "runs");
		if (ev->other) {
			sim_trace_puts(s, " (switch from ");
			sim_trace_puts(s, ev->other);
			if (ev->value) {
				sim_trace_puts(s, ", ");
				sim_trace_put(s, buf, time_chars(ev->value, buf));
			}
			sim_trace_putc(s, ')');
		}
		sim_trace_puts(s, "; ready: ");
		names_list(s, ev);
		break;
	case SIM_TR_PREEMPT:
		g_string_append_printf(s, "preempted: %s", ev->reason);
		break;
	case SIM_TR_CALL:
		call_body(s, ev, " -> ");
		break;
	case SIM_TR_RETURN:
		call_body(s, ev, " returns ");
		break;
	case SIM_TR_BLOCK:
		g_string_append_printf(s, "blocked on %s: %s", ev->object, ev->reason);
		break;
	case SIM_TR_WAKE:
		if (ev->other) {
			sim_trace_puts(s, "woken by ");
			sim_trace_puts(s, ev->other);
			if (ev->object) {
				sim_trace_puts(s, " via ");
				sim_trace_puts(s, ev->object);
			}
		}
		else if (ev->reason && strcmp(ev->reason, "ETIMEDOUT") == 0)
			sim_trace_puts(s, "woken: its deadline passed");
		else if (ev->reason && strcmp(ev->reason, "EINTR") == 0)
			sim_trace_puts(s, "woken by a signal: EINTR");
		else
			sim_trace_puts(s, "woken by its timer");
		if (ev->reason && ev->other) {
			sim_trace_puts(s, ": ");
			sim_trace_puts(s, ev->reason);
		}
		break;
	case SIM_TR_DELIVER:
		g_string_append_printf(s, "delivers #%" G_GUINT64_FORMAT " ", ev->msg->seq);
		sim_trace_quote(s, ev->msg->text, ev->msg->len);
		g_string_append_printf(
			s, " type=%" G_GINT64_FORMAT " prio=%" G_GINT64_FORMAT " to %s via %s",
			ev->msg->type, ev->msg->prio, ev->other,
			ev->object ? ev->object : "direct link");
		break;
	case SIM_TR_PRINT:
		sim_trace_puts(s, "print ");
		sim_trace_quote(s, ev->text, strlen(ev->text));
		break;
	case SIM_TR_EXIT:
		g_string_append_printf(s, "exits with status %" G_GINT64_FORMAT, ev->value);
		break;
	case SIM_TR_DESTROY:
		/* A mailbox dies with its owner and fails its waiters with EIDRM; a port says
		 * how it died (reason) and what its waiters get (err). */
		g_string_append_printf(s,
				       "%s destroyed %s; %" G_GINT64_FORMAT " waiter(s) fail with %s",
				       ev->object, ev->reason ? ev->reason : "with its owner",
				       ev->value, ev->err ? sim_errno_name(ev->err) : "EIDRM");
		break;
	case SIM_TR_SEM_UNDO:
		g_string_append_printf(s, "undo at exit on semaphore set %" G_GINT64_FORMAT ": %s",
				       ev->value, ev->text);
		break;
	case SIM_TR_SIGNAL:
		if (ev->other)
			g_string_append_printf(s, "%s from %s: %s", ev->text, ev->other,
					       ev->reason);
		else
			g_string_append_printf(s, "%s: %s", ev->text, ev->reason);
		break;
	case SIM_TR_RACE:
		g_string_append_printf(s, "wake-up scan on %s woke ", ev->object);
		names_list(s, ev);
		sim_trace_puts(s, ": they race, and the one the scheduler runs first sends");
		break;
	case SIM_TR_IPCS:
		sim_trace_puts(s, ev->op ? ev->op : "ipcs"); /* or cat "/proc/sysvipc/msg" */
		sim_trace_puts(s, "\n");
		sim_trace_puts(s, ev->text);
		if (s->len && s->str[s->len - 1] == '\n')
			g_string_truncate(s, s->len - 1);
		break;
	case SIM_TR_DEADLOCK:
	case SIM_TR_LIMIT:
	case SIM_TR_EXPECT:
	case SIM_TR_TASK_SUMMARY:
	case SIM_TR_OBJ_SUMMARY:
	case SIM_TR_END:
		report_line(s, ev);
		return;
	}
}

/* The text table leaves out what another line already says: a block is shown on the call
 * that blocked, a delivery on the receive that took the message. JSON Lines has blocks
 * (they name the object slept on, which the call may not); a delivery only in version 2:
 * since version 3 the call lines alone tell it (the send that handed the message to a
 * waiting receiver names it in "other", the receive its sender). */
static gboolean shown_in_text(SimTraceKind k)
{
	return k != SIM_TR_BLOCK && k != SIM_TR_DELIVER;
}

static gboolean is_jsonl(SimTraceFormat fmt)
{
	return fmt == SIM_TRACE_JSONL || fmt == SIM_TRACE_JSONL2;
}

/* Three decimal digits: the numbers below 1000 as a time column shows them, each in four
 * bytes that one store copies (the fourth is overwritten next). padded: "007" and how
 * many trailing zeros it has (3 for 0); plain: "7" and how many digits. */
typedef struct Digits3 {
	char c[3];
	guint8 n;
} Digits3;
static Digits3 padded3[1000], plain3[1000];

static void digits3_init(void)
{
	static gsize done = 0;
	if (!g_once_init_enter(&done))
		return;
	for (guint i = 0; i < 1000; i++) {
		char d[3] = { (char)('0' + i / 100), (char)('0' + i / 10 % 10), (char)('0' + i % 10) };
		guint8 tz = i == 0 ? 3 : i % 100 == 0 ? 2 : i % 10 == 0 ? 1 : 0;
		guint8 n = i >= 100 ? 3 : i >= 10 ? 2 : 1;
		padded3[i] = (Digits3){ { d[0], d[1], d[2] }, tz };
		plain3[i] = (Digits3){ { d[3 - n], n > 1 ? d[4 - n] : 0, n > 2 ? d[2] : 0 }, n };
	}
	g_once_init_leave(&done, 1);
}

/* The groups of the last time a column showed: the next line's time is most often the
 * same or a microsecond later (a call's cost), and its groups then need no division.
 * One per thread, shared by the text sinks, which show the same times; a cache only, so
 * what it holds cannot change a line. */
static _Thread_local struct LastGroups {
	guint64 t;
	guint32 g[4];
} last_groups;

/* Writes "%10s  " of t at out (room for 48; the bytes past the column are the caller's to
 * overwrite): the time as time_chars writes it, right-aligned in ten columns, then two
 * spaces. A time below 10^12 ns is cut in groups of three digits (s, ms, us, ns), found
 * from the last time's when they can be (last_groups), each a table entry copied by one
 * store: the unit is that of its first group that is not zero, the decimals end at the
 * last one, less its trailing zeros. The larger times go the way time_chars does. */
static gsize time_column(SimTime t, char *out)
{
	static const char names[][3] = { "ns", "us", "ms", "s" };
	static const char spaces[] = "                ";
	if (G_LIKELY(t > 0 && t < 1000000000000)) {
		guint64 v = (guint64)t;
		guint32 g[4]; /* s, ms, us, ns */
		struct LastGroups *last = &last_groups;
		if (v - last->t == 1000u && last->g[2] < 999u) { /* a microsecond later */
			memcpy(g, last->g, sizeof(g));
			g[2]++;
		} else if (v == last->t) {
			memcpy(g, last->g, sizeof(g));
		} else {
			g[3] = (guint32)(v % 1000u);
			g[2] = (guint32)(v / 1000u % 1000u);
			g[1] = (guint32)(v / 1000000u % 1000u);
			g[0] = (guint32)(v / 1000000000u);
		}
		last->t = v;
		memcpy(last->g, g, sizeof(g));
		gsize unit = g[0] ? 3 : g[1] ? 2 : g[2] ? 1 : 0, first = 4 - unit, frac = 0;
		for (gsize i = 3; i >= first; i--) {
			if (g[i]) {
				frac = 3 * (i - first + 1) - padded3[g[i]].n;
				break;
			}
		}
		const Digits3 *whole = &plain3[g[3 - unit]];
		gsize ulen = unit == 3 ? 1 : 2, len = whole->n + (frac ? frac + 1 : 0) + ulen;
		memcpy(out, spaces, 16);
		char *c = out + (len < 10 ? 10 - len : 0);
		memcpy(c, whole, 4);
		c += whole->n;
		if (frac) {
			*c++ = '.';
			for (gsize i = first; i < 4; i++)
				memcpy(c + 3 * (i - first), &padded3[g[i]], 4);
			c += frac;
		}
		memcpy(c, names[unit], 2);
		c += ulen;
		memcpy(c, "  ", 2);
		return (gsize)(c + 2 - out);
	}
	char buf[40];
	gsize n = time_chars(t, buf), pad = n < 10 ? 10 - n : 0;
	memcpy(out, spaces, 16);
	memcpy(out + pad, buf, n);
	memcpy(out + pad + n, "  ", 2);
	return pad + n + 2;
}

/* "%10s  %-10s  ", the time and task columns, written in place. The task's name is
 * scanned as it is copied, and padded by one store of spaces. */
static void time_task_columns(GString *s, const SimTraceEvent *ev)
{
	const char *task = ev->task ? ev->task : "";
	char *d = reserve(s, 48 + 32);
	d += time_column(ev->time, d);
	char *end = s->str + s->allocated_len - 16, *name = d;
	while (*task && d < end)
		*d++ = *task++;
	s->len = (gsize)(d - s->str);
	if (G_UNLIKELY(*task)) { /* a name longer than the room left: rare, so plainly */
		g_string_append(s, task);
		sim_trace_puts(s, "  ");
		return;
	}
	gsize shown = (gsize)(d - name);
	memcpy(d, "            ", 12);
	s->len += (shown < 10 ? 10 - shown : 0) + 2;
	s->str[s->len] = '\0';
}

void sim_trace_text(GString *s, const SimTraceEvent *ev)
{
	text_body(s, ev);
}

static void format_text(GString *s, const SimTraceEvent *ev)
{
	if (!shown_in_text(ev->kind))
		return;
	if (!is_report(ev->kind))
		time_task_columns(s, ev);
	text_body(s, ev);
	sim_trace_putc(s, '\n');
}

/* ---- JSON Lines ---- */

/* Whether v[0..n) is valid UTF-8. A NUL byte is a valid character (JSON writes it
 * \u0000); g_utf8_validate_len stops at one, so each is stepped over. */
static gboolean utf8_ok(const char *v, gsize n)
{
	const char *end = v + n;
	while (v < end) {
		const char *stop;
		if (g_utf8_validate_len(v, (gsize)(end - v), &stop))
			return TRUE;
		if (*stop != '\0')
			return FALSE;
		v = stop + 1;
	}
	return TRUE;
}

/* A byte a JSON string holds as it is: printable ASCII but '"' and '\\'. A table: one
 * load a byte, where the comparisons were a third of writing a JSON line. */
static const guint8 json_plain_bytes[256] = {
	[0x20 ... 0x21] = 1, /* '"' is 0x22 */
	[0x23 ... 0x5b] = 1, /* '\\' is 0x5c */
	[0x5d ... 0x7e] = 1,
};
static inline gboolean json_plain(char c)
{
	return json_plain_bytes[(guchar)c];
}

/* Appends v[0..n), valid UTF-8, as the inside of a JSON string: '"' and '\\' escaped,
 * control bytes as \u00XX; the rest as it is. */
static void json_escaped(GString *s, const char *v, gsize n)
{
	static const char hex[] = "0123456789abcdef";
	gsize run = 0; /* start of the bytes not yet appended, which need no escape */
	for (gsize i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		sim_trace_put(s, v + run, (i - run));
		run = i + 1;
		if (c >= 0x20) {
			sim_trace_putc(s, '\\');
			sim_trace_putc(s, (char)c);
			continue;
		}
		char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
		sim_trace_put(s, u, 6);
	}
	sim_trace_put(s, v + run, (n - run));
}

/* A string field the fast way could not write: v is not plain ASCII (escapes, UTF-8 to
 * check, bytes to give in hex) or is long. pre is the key as written, ",\"key\":" (plen
 * bytes); v has len bytes, or up to its NUL when len < 0. */
static __attribute__((noinline)) void json_field_slow(GString *s, const char *pre, gsize plen, const char *v,
					    gssize len)
{
	gsize n = len < 0 ? strlen(v) : (gsize)len;
	sim_trace_put(s, pre, plen);
	if (utf8_ok(v, n)) {
		sim_trace_putc(s, '"');
		json_escaped(s, v, n);
		sim_trace_putc(s, '"');
		return;
	}
	/* Not text a JSON string can hold: the bytes in hex, under key_hex instead of key. */
	static const char hex[] = "0123456789abcdef";
	s->len -= 2;
	sim_trace_puts(s, "_hex\":\"");
	for (gsize k = 0; k < n; k++) {
		unsigned char b = (unsigned char)v[k];
		sim_trace_putc(s, hex[b >> 4]);
		sim_trace_putc(s, hex[b & 15]);
	}
	sim_trace_putc(s, '"');
}

/* JSON_FAST bytes of a string are copied as they are checked. */
#define JSON_FAST 64

/* A string field (see json_field_slow). Most strings are short plain ASCII (names,
 * keywords, short messages): one pass checks and copies them, with no strlen; the others
 * are written over by the slow way. Inlined, a literal key is copied with its length
 * known. */
static inline __attribute__((always_inline)) void json_field(GString *s, const char *pre,
							     gsize plen, const char *v,
							     gssize len)
{
	if (!v)
		return;
	gsize start = s->len;
	char *d = reserve(s, plen + JSON_FAST + 3);
	char *end = d + plen + 1 + JSON_FAST;
	sim_trace_copy(d, pre, plen);
	d += plen;
	*d++ = '"';
	const char *c = v;
	if (len < 0) {
		while (d < end && json_plain(*c))
			*d++ = *c++;
		if (G_UNLIKELY(*c != '\0'))
			goto slow;
	} else {
		const char *stop = v + len;
		while (d < end && c < stop && json_plain(*c))
			*d++ = *c++;
		if (G_UNLIKELY(c != stop))
			goto slow;
	}
	*d++ = '"';
	*d = '\0';
	s->len = (gsize)(d - s->str);
	return;
slow:
	s->len = start;
	json_field_slow(s, pre, plen, v, len);
}

/* The key as written, from a literal: JSTR(s, "task", v) and JINT(s, "line", n). */
#define JKEY(key) ",\"" key "\":"
#define JSTR(s, key, v) json_field((s), JKEY(key), sizeof(JKEY(key)) - 1, (v), -1)
#define JINT(s, key, v) json_int((s), JKEY(key), sizeof(JKEY(key)) - 1, (v))

/* ",\"key\":123", the key written as pre (plen bytes). */
static inline __attribute__((always_inline)) void json_int(GString *s, const char *pre,
							   gsize plen, gint64 v)
{
	char *d = reserve(s, plen + 24);
	sim_trace_copy(d, pre, plen);
	s->len += plen + i64_chars(v, d + plen);
	s->str[s->len] = '\0';
}

void sim_trace_json_str(GString *s, const char *key, const char *v, gssize len)
{
	char pre[64];
	gsize k = strlen(key);
	g_return_if_fail(k + 4 <= sizeof(pre));
	pre[0] = ',';
	pre[1] = '"';
	memcpy(pre + 2, key, k);
	pre[k + 2] = '"';
	pre[k + 3] = ':';
	json_field(s, pre, k + 4, v, len);
}

void sim_trace_json_int(GString *s, const char *key, gint64 v)
{
	sim_trace_put(s, ",\"", 2);
	sim_trace_puts(s, key);
	sim_trace_put(s, "\":", 2);
	sim_trace_int(s, v);
}

/* ",\"key\":" for a key known only at run time. */
static void json_key(GString *s, const char *key)
{
	sim_trace_put(s, ",\"", 2);
	sim_trace_puts(s, key);
	sim_trace_put(s, "\":", 2);
}

/* ",\"key\":true" or false. */
static void json_bool(GString *s, const char *key, gboolean v)
{
	json_key(s, key);
	sim_trace_puts(s, v ? "true" : "false");
}

/* The "ev" member of each kind, as written: one copy of known length a line. */
typedef struct EvMember {
	const char *text;
	gsize len;
} EvMember;

static const EvMember *ev_member(SimTraceKind k)
{
#define EV(kind, name) [kind] = { ",\"ev\":\"" name "\"", sizeof(",\"ev\":\"" name "\"") - 1 }
	static const EvMember members[] = {
		EV(SIM_TR_HEADER, "header"),
		EV(SIM_TR_START, "start"),
		EV(SIM_TR_DISPATCH, "dispatch"),
		EV(SIM_TR_PREEMPT, "preempt"),
		EV(SIM_TR_CALL, "call"),
		EV(SIM_TR_RETURN, "return"),
		EV(SIM_TR_BLOCK, "block"),
		EV(SIM_TR_WAKE, "wake"),
		EV(SIM_TR_DELIVER, "deliver"),
		EV(SIM_TR_PRINT, "print"),
		EV(SIM_TR_EXIT, "exit"),
		EV(SIM_TR_DESTROY, "destroy"),
		EV(SIM_TR_SEM_UNDO, "sem_undo"),
		EV(SIM_TR_SIGNAL, "signal"),
		EV(SIM_TR_RACE, "race"),
		EV(SIM_TR_IPCS, "ipcs"),
		EV(SIM_TR_DEADLOCK, "deadlock"),
		EV(SIM_TR_LIMIT, "limit"),
		EV(SIM_TR_EXPECT, "expect"),
		EV(SIM_TR_TASK_SUMMARY, "task_summary"),
		EV(SIM_TR_OBJ_SUMMARY, "object_summary"),
		EV(SIM_TR_END, "end"),
	};
#undef EV
	return &members[k];
}

const char *sim_trace_stmt_name(const SimStmt *st)
{
	return sim_call_desc(st->kind)->name;
}

/* The schema version every JSON line starts with ("v"): raised when a field changes its
 * name, type or meaning. scenarios/README.md ("The JSON Lines trace") documents it.
 * Version 3 writes fewer bytes for the same facts: it leaves out what is implied (a
 * delivery's line, "result":"ok", a message's type 1 and priority 0, a switch cost of 0);
 * version 2 stays for readers written for it (--jsonl-schema 2). */
#define JSONL_VERSION 3
#define JSONL_VERSION_2 2

/* What a call's event adds: its keyword ("call"), its operands, the state after it of the
 * queue or pipe it used, its result. */
static void jsonl_call(GString *s, const SimTraceEvent *ev, const SimCallDesc *call,
		       gboolean v2)
{
	JSTR(s, "call", call->name);
	if (call->json_call)
		call->json_call(s, ev);
	if (call->nowait && call->nowait(ev->stmt))
		json_bool(s, "nowait", TRUE);
	if (ev->msgq) {
		JINT(s, "qid", ev->msgq->perm.id);
		JINT(s, "qnum", (gint64)ev->msgq->qnum);
		JINT(s, "cbytes", (gint64)ev->msgq->cbytes);
	}
	if (ev->mq) {
		JSTR(s, "mq", ev->mq->name);
		JINT(s, "curmsgs", (gint64)ev->mq->curmsgs);
		JINT(s, "qsize", (gint64)ev->mq->qsize);
	}
	if (ev->pipe) {
		JSTR(s, "pipe", ev->pipe->name);
		JINT(s, "bytes", (gint64)ev->pipe->bytes);
		JINT(s, "slots", sim_pipe_used(ev->pipe));
		JINT(s, "max_slots", ev->pipe->max_usage);
		JINT(s, "readers", ev->pipe->readers);
		JINT(s, "writers", ev->pipe->writers);
	}
	if (call->json_result)
		call->json_result(s, ev);
	if (ev->mq) {
		JSTR(s, "notify_task", ev->lspid); /* a POSIX queue keeps its notify pid there */
	} else if (ev->lspid || ev->lrpid) {
		JSTR(s, "lspid", ev->lspid ? ev->lspid : "");
		JSTR(s, "lrpid", ev->lrpid ? ev->lrpid : "");
	}
	if (ev->blocked)
		json_bool(s, "blocked", TRUE);
	else if (ev->err == 0 && v2)
		sim_trace_put(s, ",\"result\":\"ok\"", sizeof(",\"result\":\"ok\"") - 1);
	else if (ev->err != 0)
		JSTR(s, "result", sim_errno_name(ev->err));
}

/* An object's summary: counts[] as report.c fills them; a SysV or POSIX queue has
 * counts[3] < 0 (no high-water mark kept) and counts[4] its bytes queued now. */
static void jsonl_object(GString *s, const SimTraceEvent *ev)
{
	gboolean queue = ev->counts[3] < 0;
	JINT(s, "sent", ev->counts[0]);
	JINT(s, "received", ev->counts[1]);
	JINT(s, "queued", ev->counts[2]);
	if (!queue) {
		JINT(s, "max_queued", ev->counts[3]);
		JINT(s, "bytes_delivered", ev->counts[4]);
		json_bool(s, "destroyed", ev->counts[5] != 0);
		return;
	}
	JINT(s, "queued_bytes", ev->counts[4]);
	json_bool(s, strcmp(ev->op, "mqueue") == 0 ? "unlinked" : "removed", ev->counts[5] != 0);
}

/* The fields of each kind that are not a call's: ev->op, ev->text, ev->reason and ev->value
 * mean something else in each, so each meaning has its own name. */
static void jsonl_kind(GString *s, const SimTraceEvent *ev, gboolean v2)
{
	switch (ev->kind) {
	case SIM_TR_HEADER:
		JSTR(s, "scheduler", ev->op);
		JSTR(s, "file", ev->text);
		JINT(s, "seed", ev->value);
		return;
	case SIM_TR_DISPATCH:
		if (ev->value || v2)
			JINT(s, "switch_cost", ev->value);
		break;
	case SIM_TR_PRINT:
		JSTR(s, "output", ev->text);
		break;
	case SIM_TR_EXIT:
		JINT(s, "status", ev->value);
		break;
	case SIM_TR_DESTROY:
		JINT(s, "waiters_failed", ev->value);
		if (ev->err)
			JSTR(s, "waiters_get", sim_errno_name(ev->err));
		break;
	case SIM_TR_SEM_UNDO:
		JINT(s, "semid", ev->value);
		JSTR(s, "undo", ev->text);
		break;
	case SIM_TR_SIGNAL:
		JSTR(s, "signal", ev->text);
		JINT(s, "signo", ev->value);
		JSTR(s, "outcome", ev->reason);
		return;
	case SIM_TR_IPCS:
		if (ev->op) /* cat "/proc/sysvipc/msg" */
			JSTR(s, "command", ev->op);
		JSTR(s, "table", ev->text);
		break;
	case SIM_TR_DEADLOCK:
		JSTR(s, "stuck_in", ev->op);
		break;
	case SIM_TR_LIMIT:
		JSTR(s, "option", ev->reason);
		JINT(s, "limit", ev->value);
		JSTR(s, "message", ev->text);
		return;
	case SIM_TR_EXPECT:
		JSTR(s, "expected", ev->text);
		JSTR(s, "seen", ev->detail);
		return; /* "pass" follows "line" */
	case SIM_TR_TASK_SUMMARY:
		JSTR(s, "state", ev->reason);
		JINT(s, "cpu_time", ev->counts[0]);
		JINT(s, "blocked_time", ev->counts[1]);
		JINT(s, "sent", ev->counts[2]);
		JINT(s, "received", ev->counts[3]);
		return;
	case SIM_TR_OBJ_SUMMARY:
		JSTR(s, "object_kind", ev->op);
		jsonl_object(s, ev);
		return;
	case SIM_TR_END:
		JSTR(s, "verdict", ev->text);
		JINT(s, "status", ev->value);
		JINT(s, "passed", ev->counts[0]);
		JINT(s, "failed", ev->counts[1]);
		JINT(s, "steps", ev->counts[2]);
		JINT(s, "switches", ev->counts[3]);
		return;
	default:
		break;
	}
	JSTR(s, "reason", ev->reason);
}

static gboolean same_name(const char *a, const char *b)
{
	return a && b && (a == b || strcmp(a, b) == 0);
}

/* Whether the line already names the message's sender: "task" of a send and a delivery,
 * "other" of a receive. Then "from" would repeat it, in a member of every message line. */
static gboolean names_the_sender(const SimTraceEvent *ev)
{
	return same_name(ev->msg_from, ev->task) || same_name(ev->msg_from, ev->other);
}

/* One line of either version; v2: as version 2 writes it. Inlined in each of the two
 * below, so that the version is known where it is tested. */
static inline __attribute__((always_inline)) void format_jsonl_v(GString *s,
								 const SimTraceEvent *ev,
								 gboolean v2)
{
	if (v2)
		sim_trace_puts(s, "{\"v\":" G_STRINGIFY(JSONL_VERSION_2) ",\"t\":");
	else
		sim_trace_puts(s, "{\"v\":" G_STRINGIFY(JSONL_VERSION) ",\"t\":");
	sim_trace_int(s, ev->time);
	const EvMember *kind = ev_member(ev->kind);
	sim_trace_put(s, kind->text, kind->len);
	JSTR(s, "task", ev->task);
	JSTR(s, "other", ev->other);
	JSTR(s, "object", ev->object);
	gboolean is_call = ev->kind == SIM_TR_CALL || ev->kind == SIM_TR_RETURN;
	if (is_call && ev->stmt)
		jsonl_call(s, ev, sim_call_desc(ev->stmt->kind), v2);
	if (ev->msg) {
		json_field(s, JKEY("text"), sizeof(JKEY("text")) - 1, ev->msg->text, (gssize)ev->msg->len);
		if (v2 || ev->msg->type != 1) /* version 3: no "type" is type 1 */
			JINT(s, "type", ev->msg->type);
		if (v2 || ev->msg->prio != 0) /* and no "prio" is priority 0 */
			JINT(s, "prio", ev->msg->prio);
		sim_trace_puts(s, JKEY("seq"));
		sim_trace_seq(s, ev->msg->seq);
		if (!names_the_sender(ev))
			JSTR(s, "from", ev->msg_from);
	}
	if (is_call)
		JSTR(s, "reason", ev->reason);
	else
		jsonl_kind(s, ev, v2);
	if (ev->line)
		JINT(s, "line", ev->line);
	if (ev->kind == SIM_TR_EXPECT)
		json_bool(s, "pass", ev->pass);
	if (ev->names) {
		json_key(s, ev->kind == SIM_TR_DEADLOCK ? "waits_for"
			    : ev->kind == SIM_TR_RACE   ? "racers"
							: "ready");
		sim_trace_putc(s, '[');
		for (guint i = 0; i < ev->n_names; i++) {
			if (i)
				sim_trace_putc(s, ',');
			sim_trace_putc(s, '"');
			json_escaped(s, ev->names[i], strlen(ev->names[i]));
			sim_trace_putc(s, '"');
		}
		sim_trace_putc(s, ']');
	}
	sim_trace_put(s, "}\n", 2);
}

static void format_jsonl(GString *s, const SimTraceEvent *ev)
{
	format_jsonl_v(s, ev, FALSE);
}

static void format_jsonl2(GString *s, const SimTraceEvent *ev)
{
	format_jsonl_v(s, ev, TRUE);
}

/* ---- The line memo ----
 *
 * A long run repeats itself: the same process makes the same call with the same message,
 * and its line differs from the last such line in the time and the message's sequence
 * number alone. A sink remembers the lines of such events, in a small table keyed by
 * every other fact the line shows, and writes a remembered line as its time, then the
 * remembered text with the sequence number put back where it was. Only the events whose
 * lines are made of those facts alone are remembered: a delivery, and a call whose row
 * says so (trace_memo, call.h), when no object state, return value or list is attached
 * and its message's text is the scenario's own (an interpolated text lives no longer than
 * its message, so its address says nothing); and the engine's events that name only
 * tasks and mailboxes (MEMO_KINDS). Names are compared by address: they live
 * as long as the scenario, and the table is emptied at each run's header and end, so a
 * trace used for another run does not meet an old address again. */

#define MEMO_SLOTS 128	 /* in sets of two: a few lines alternate in a loop */
#define MEMO_TEXT 240	 /* longer lines are not remembered */

/* Everything a remembered line shows but its time and sequence number. */
typedef struct MemoKey {
	const SimStmt *stmt;
	const char *task, *other, *object, *msg_from, *reason, *text;
	gint64 type, prio; /* of the message, 0 without one */
	guint32 len, line; /* the message's length; the scenario line */
	gint32 err;
	guint32 bits;	/* the kind, blocked (bit 8), a message (bit 9), a list (bit 10) */
	gint64 value;	/* a dispatch's switch cost, an exit's status */
} MemoKey;

typedef struct Memo {
	MemoKey key;
	guint16 len;  /* bytes of text; 0: the slot holds nothing */
	guint16 hole; /* where in text the sequence number goes; above len: nowhere */
	char text[MEMO_TEXT + 32]; /* the line after its time, the sequence number taken out;
				    * room for copies 32 bytes at a time (memo_copy) */
	guint64 seq;   /* the last sequence number written from this slot, */
	guint32 seq_n; /* its digits' count (0: none yet), */
	char seq_d[24]; /* and its digits: the next line's number is most often one more */
} Memo;

/* The start of every JSON line, before its time; both versions' are as long. */
#define JSON_HEAD "{\"v\":" G_STRINGIFY(JSONL_VERSION) ",\"t\":"
#define JSON_HEAD_2 "{\"v\":" G_STRINGIFY(JSONL_VERSION_2) ",\"t\":"
G_STATIC_ASSERT(sizeof(JSON_HEAD) == sizeof(JSON_HEAD_2));

/* The kinds whose lines may be remembered: the calls of rows that allow it, deliveries,
 * and the engine's own events, which name tasks and (a wake-up) the mailbox, or nothing;
 * a dispatch only with an empty ready list. Not a block: the families name their objects
 * in it, and a pipe's name, say, goes with the pipe. */
#define MEMO_KINDS                                                                      \
	((1u << SIM_TR_CALL) | (1u << SIM_TR_RETURN) | (1u << SIM_TR_DELIVER) |          \
	 (1u << SIM_TR_START) | (1u << SIM_TR_DISPATCH) | (1u << SIM_TR_WAKE) |           \
	 (1u << SIM_TR_EXIT) | (1u << SIM_TR_PREEMPT))

/* Whether ev's line shows no more than a key holds (see above). */
static inline gboolean memo_fits(const SimTraceEvent *ev)
{
	if (!((1u << ev->kind) & MEMO_KINDS) || (ev->msg && ev->msg->owned))
		return FALSE;
	/* The fields no key holds, all empty: one test of them all, not one branch each. */
	guint64 more = (guintptr)ev->msgq | (guintptr)ev->mq | (guintptr)ev->pipe |
		       (guintptr)ev->text | (guintptr)ev->detail | (guintptr)ev->op |
		       (guintptr)ev->lspid | (guintptr)ev->lrpid | (guint64)ev->ret |
		       (guint64)ev->n_names | (guint64)(guint32)ev->pass;
	return more == 0;
}

static inline guint32 memo_bits(const SimTraceEvent *ev)
{
	return (guint32)ev->kind | (ev->blocked ? 1u << 8 : 0) | (ev->msg ? 1u << 9 : 0) |
	       (ev->names ? 1u << 10 : 0);
}

/* The key of ev, which memo_fits. The row's consent is asked only when a line is kept
 * (memo_keep): a slot holds only lines that had it, and a statement keeps its row. */
static void memo_key(const SimTraceEvent *ev, MemoKey *k)
{
	const SimMsg *m = ev->msg;
	*k = (MemoKey){ .stmt = ev->stmt,
			.task = ev->task,
			.other = ev->other,
			.object = ev->object,
			.msg_from = ev->msg_from,
			.reason = ev->reason,
			.text = m ? m->text : NULL,
			.type = m ? m->type : 0,
			.prio = m ? m->prio : 0,
			.len = m ? m->len : 0,
			.line = ev->line,
			.err = ev->err,
			.bits = memo_bits(ev),
			.value = ev->value };
}

/* The first slot of the set of two where ev's line would be. */
static inline guint memo_set(const SimTraceEvent *ev)
{
	guint64 h = (guint64)(guintptr)ev->stmt ^ ((guint64)(guintptr)ev->task << 7) ^
		    ((guint64)(guintptr)ev->other << 13) ^ ((guint64)(guintptr)ev->object << 19) ^
		    ((guint64)ev->kind << 3) ^ (guint64)(guint32)ev->err;
	return (guint)((h * 0x9e3779b97f4a7c15ull) >> 58) * 2; /* 64 sets of two */
}
G_STATIC_ASSERT(MEMO_SLOTS == 128);

/* Whether k is ev's key. Compared field by field where ev has them, not by building ev's
 * key first: that copy's wide loads of fields just stored one by one waited for the
 * stores to land. */
static inline gboolean memo_holds(const MemoKey *k, const SimTraceEvent *ev)
{
	const SimMsg *m = ev->msg;
	guint64 d = ((guintptr)k->stmt ^ (guintptr)ev->stmt) |
		    ((guintptr)k->task ^ (guintptr)ev->task) |
		    ((guintptr)k->other ^ (guintptr)ev->other) |
		    ((guintptr)k->object ^ (guintptr)ev->object) |
		    ((guintptr)k->msg_from ^ (guintptr)ev->msg_from) |
		    ((guintptr)k->reason ^ (guintptr)ev->reason) |
		    (guint64)(k->value ^ ev->value) | (guint64)(k->line ^ ev->line) |
		    (guint64)(guint32)(k->err ^ ev->err) | (guint64)(k->bits ^ memo_bits(ev));
	if (m)
		d |= ((guintptr)k->text ^ (guintptr)m->text) | (guint64)(k->type ^ m->type) |
		     (guint64)(k->prio ^ m->prio) | (guint64)(k->len ^ m->len);
	return d == 0;
}

/* The length of what comes before the remembered text: the time column, or the JSON
 * line's head and time. */
static gsize memo_head(SimTraceFormat fmt, SimTime t)
{
	char buf[48];
	if (fmt == SIM_TRACE_TEXT)
		return time_column(t, buf);
	return sizeof(JSON_HEAD) - 1 + i64_chars(t, buf);
}

/* Adds one to the decimal digits d[0..at]: FALSE when the carry runs off the front (the
 * number gains a digit), and d is then to be written afresh. */
static inline gboolean digits_step(char *d, gsize at)
{
	for (gsize i = at + 1; i-- > 0;) {
		if (d[i] != '9') {
			d[i]++;
			return TRUE;
		}
		d[i] = '0';
	}
	return FALSE;
}

/* The digits of the last time a JSON line showed: the next line's is most often the same
 * or a microsecond later, and then needs no division. One per thread, as last_groups;
 * a cache only, so what it holds cannot change a line. */
static _Thread_local struct LastJsonTime {
	gint64 t; /* -1: none yet */
	guint32 n;
	char d[24];
} last_json_time = { .t = -1 };

/* Writes t's digits at out (room for 24); returns how many. */
static inline gsize json_time(SimTime t, char *out)
{
	struct LastJsonTime *l = &last_json_time;
	if (t != l->t) {
		if (!(l->t >= 1000 && t - l->t == 1000 && digits_step(l->d, l->n - 4)))
			l->n = (guint32)i64_chars(t, l->d);
		l->t = t;
	}
	memcpy(out, l->d, 24);
	return l->n;
}

/* Writes seq's digits at out (room for 24) from mm's last number; returns how many. */
static inline gsize memo_seq(Memo *mm, guint64 seq, char *out)
{
	if (seq != mm->seq || !mm->seq_n) {
		if (!(mm->seq_n && seq - mm->seq == 1 && digits_step(mm->seq_d, mm->seq_n - 1)))
			mm->seq_n = (guint32)u64_chars(seq, mm->seq_d);
		mm->seq = seq;
	}
	memcpy(out, mm->seq_d, 24);
	return mm->seq_n;
}

/* Copies n bytes, rounded up to 32, from a memo's text to d: two sixteen-byte moves a
 * turn, inline, where memcpy's call cost more than the copy of a line's sixty bytes, and a
 * JSON line's hundred and more took twice the turns sixteen at a time. */
static inline void memo_copy(char *d, const char *from, gsize n)
{
	for (gsize i = 0; i < n; i += 32) {
		memcpy(d + i, from + i, 16);
		memcpy(d + i + 16, from + i + 16, 16);
	}
}

/* Writes ev's line from the remembered mm. */
static void memo_write(Sink *sk, Memo *mm, const SimTraceEvent *ev)
{
	GString *s = sk->batch;
	char *d = reserve(s, 64 + mm->len + 96); /* time, text, number, two roundings up */
	if (sk->fmt == SIM_TRACE_TEXT) {
		d += time_column(ev->time, d);
	} else {
		memcpy(d, sk->fmt == SIM_TRACE_JSONL2 ? JSON_HEAD_2 : JSON_HEAD,
		       sizeof(JSON_HEAD) - 1);
		d += sizeof(JSON_HEAD) - 1;
		d += json_time(ev->time, d);
	}
	if (mm->hole <= mm->len) {
		memo_copy(d, mm->text, mm->hole);
		d += mm->hole;
		d += memo_seq(mm, ev->msg->seq, d);
		memo_copy(d, mm->text + mm->hole, mm->len - mm->hole);
		d += mm->len - mm->hole;
	} else {
		memo_copy(d, mm->text, mm->len);
		d += mm->len;
	}
	*d = '\0';
	s->len = (gsize)(d - s->str);
}

/* Remembers the line just written at start in mm, when its row allows and it fits. */
static void memo_keep(Sink *sk, Memo *mm, const MemoKey *k, const SimTraceEvent *ev,
		      gsize start)
{
	const GString *s = sk->batch;
	if ((ev->kind == SIM_TR_CALL || ev->kind == SIM_TR_RETURN) &&
	    (!ev->stmt || !sim_call_desc(ev->stmt->kind)->trace_memo))
		return;
	gsize from = start + memo_head(sk->fmt, ev->time), end = s->len;
	gsize at = end, cut = 0; /* the sequence number: s->str[at..at + cut) */
	if (seq_mark.end && seq_mark.at >= from) {
		at = seq_mark.at;
		cut = seq_mark.end - seq_mark.at;
	}
	gsize len = end - from - cut;
	if (from > end || len == 0 || len > MEMO_TEXT)
		return;
	mm->key = *k;
	memcpy(mm->text, s->str + from, at - from);
	memcpy(mm->text + (at - from), s->str + at + cut, end - at - cut);
	mm->len = (guint16)len;
	mm->hole = (guint16)(cut ? at - from : len + 1);
	mm->seq_n = 0;
}

/* Writes ev's line from the sink's memo when it remembers it; else formats it with fmt
 * and remembers it when it may. */
static void format_memo(Sink *sk, const SimTraceEvent *ev,
			void (*fmt)(GString *s, const SimTraceEvent *ev))
{
	if (!memo_fits(ev)) {
		fmt(sk->batch, ev);
		return;
	}
	if (G_UNLIKELY(!sk->memo))
		sk->memo = g_new0(Memo, MEMO_SLOTS);
	Memo *set = &sk->memo[memo_set(ev)];
	for (guint i = 0; i < 2; i++) {
		if (set[i].len && memo_holds(&set[i].key, ev)) {
			memo_write(sk, &set[i], ev);
			return;
		}
	}
	/* A miss: the line goes in an empty slot of the set, else in each slot in turn. */
	Memo *mm = !set[0].len ? &set[0] : !set[1].len ? &set[1] : &set[sk->memo_turn++ & 1];
	gsize start = sk->batch->len;
	seq_mark = (struct SeqMark){ .in = sk->batch };
	fmt(sk->batch, ev);
	seq_mark.in = NULL;
	MemoKey k;
	memo_key(ev, &k);
	memo_keep(sk, mm, &k, ev, start);
}

/* The line in place of the event lines a sink left out (before the report). */
static void note_left_out(Sink *sk, const SimTraceEvent *ev)
{
	GString *s = sk->batch;
	sk->noted = TRUE;
	if (is_jsonl(sk->fmt)) {
		sim_trace_puts(s, sk->fmt == SIM_TRACE_JSONL2 ? JSON_HEAD_2 : JSON_HEAD);
		sim_trace_int(s, ev->time);
		sim_trace_puts(s, ",\"ev\":\"left_out\"");
		JINT(s, "lines", (gint64)sk->left_out);
		JINT(s, "max_lines", (gint64)sk->max_lines);
		sim_trace_puts(s, "}\n");
		return;
	}
	sim_trace_puts(s, "-- ");
	sim_trace_count(s, sk->left_out);
	sim_trace_puts(s, " more trace lines left out after the first ");
	sim_trace_count(s, sk->max_lines);
	sim_trace_puts(s, " (--max-lines); to see them all, write the trace to a file with "
			   "--output FILE, or use --max-lines 0\n");
}

/* A sink with a line cap: FALSE when the event is left out (past the cap nothing is
 * formatted, so a runaway on a terminal costs no more than --quiet). */
static gboolean within_cap(Sink *sk, const SimTraceEvent *ev)
{
	if (is_report(ev->kind)) {
		if (sk->left_out && !sk->noted)
			note_left_out(sk, ev);
		return TRUE;
	}
	if (sk->lines < sk->max_lines)
		return TRUE;
	sk->left_out++;
	return FALSE;
}

/* Event lines a capped sink wrote: the line just formatted (an ipcs table has several). */
static void count_lines(Sink *sk, const SimTraceEvent *ev, const char *line)
{
	if (is_report(ev->kind))
		return;
	for (const char *c = line; (c = strchr(c, '\n')); c++)
		sk->lines++;
}

/* Whether sink sk writes events of this kind. A capped sink still counts the lines it
 * leaves out: it wants them too. A text sink does not want what its table leaves out (a
 * block, a delivery). */
static gboolean sink_wants(const Sink *sk, SimTraceKind kind)
{
	if (is_report(kind))
		return TRUE;
	if (sk->report_only)
		return FALSE;
	if (sk->fmt == SIM_TRACE_JSONL2)
		return TRUE;
	if (sk->fmt == SIM_TRACE_JSONL)
		return kind != SIM_TR_DELIVER;
	return shown_in_text(kind);
}

/* Asked before every delivery and dispatch: the answer is kept, one bit a kind. */
gboolean sim_trace_wants(const SimTrace *tr, SimTraceKind kind)
{
	return tr && (tr->wanted >> kind) & 1u;
}

void sim_trace_emit(SimTrace *tr, const SimTraceEvent *ev)
{
	if (!tr)
		return;
	for (guint i = 0; i < tr->sinks->len; i++) {
		Sink *sk = &g_array_index(tr->sinks, Sink, i);
		if (G_UNLIKELY(sk->cls)) {
			if ((sk->cls->wants >> ev->kind) & 1u)
				sk->cls->event(sk->data, ev, sk->batch);
			if (sk->batch->len >= sk->batch_bytes)
				write_batch(sk);
			continue;
		}
		/* Not for this sink: an event line of a report-only sink, a block or a
		 * delivery that only another sink writes. */
		if (!((sk->wants >> ev->kind) & 1u))
			continue;
		if (G_UNLIKELY(sk->max_lines) && !within_cap(sk, ev))
			continue;
		/* The line is formatted straight into the sink's batch, after what it holds. */
		GString *b = sk->batch;
		gsize start = b->len;
		if (G_UNLIKELY(is_report(ev->kind)) && sk->memo &&
		    (ev->kind == SIM_TR_HEADER || ev->kind == SIM_TR_END))
			memset(sk->memo, 0, MEMO_SLOTS * sizeof(Memo)); /* a run begins or ends */
		format_memo(sk, ev, sk->fmt == SIM_TRACE_TEXT	 ? format_text
				    : sk->fmt == SIM_TRACE_JSONL ? format_jsonl
								 : format_jsonl2);
		if (sk->report_only && ev->kind == SIM_TR_HEADER && sk->fmt == SIM_TRACE_TEXT) {
			/* A report has no event table, so no column titles. */
			const char *nl = strchr(b->str + start, '\n');
			g_string_truncate(b, nl ? (gsize)(nl - b->str) + 1 : b->len);
		}
		if (G_UNLIKELY(sk->max_lines))
			count_lines(sk, ev, b->str + start);
		if (b->len >= sk->batch_bytes)
			batch_full(sk);
	}
}
