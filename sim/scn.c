/* scn.c — the scenario parser: GScanner words in, a resolved SimScenario out.
 *
 * GScanner runs over the whole text first and leaves an array of tokens, each carrying the
 * line:col of its FIRST character (GScanner itself only knows where a token ends), so the
 * recursive-descent parser has free look-ahead and every error points at the start of what
 * is wrong. Digits are identifier characters, so `5ms`, `0666` and `worker` are all words
 * and the parser converts numbers and times itself.
 *
 * The design choice a reader must know: nothing is looked up while a declaration is being
 * parsed. Names of mailboxes, ports, processes and SysV queues, labels, and the file paths of
 * ftok keys are recorded with where they were used and resolved only after the whole file
 * has been read; variables named in texts are checked when their whole process body has been
 * read. That is what lets a scenario use a name before it declares it. The queue of msgsnd,
 * msgrcv and msgctl needs both: it is a `sysv queue` name when one has that name, else an
 * integer variable of the body, so it is settled only at the very end. The descriptor operand
 * of the mq_* and file calls is simpler (take_fd): a string is a `posix queue` (looked up at
 * the end), a number is the descriptor itself, a word is an integer variable of the body and
 * `p.r`/`p.w` an end of a pipe variable (both checked when the body ends).
 *
 * `fork NAME { BODY }` declares a process in the middle of another one's body: the child is
 * appended to the processes as soon as its name is read, which puts it right after its parent
 * (and its earlier siblings and their children) without moving any index already handed out.
 * Its body is a body of its own whose variables start as a copy of the parent's slots.
 */
#include "msgsim/scn.h"

#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SKIP_CHARS " \t\r\n\f\v"
#define WORD_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789"
#define MAX_REPLICAS 1000

#define E_SYNTAX SIM_SCN_ERROR_SYNTAX
#define E_NUMBER SIM_SCN_ERROR_NUMBER
#define E_NAME SIM_SCN_ERROR_NAME
#define E_MISUSE SIM_SCN_ERROR_MISUSE

/* In the order of parse_decl's switch. */
static const char *const decl_words[] = { "scheduler", "cost",	 "direct", "sysctl", "mailbox",
					  "port",      "sysv",	 "posix",  "file",   "user",
					  "process",   "expect", NULL };
/* In SimStmtKind order. */
static const char *const stmt_words[] = {
	"send",	      "receive",    "compute",	  "sleep",     "print",	   "exit",
	"repeat",     "loop",	    "break",	  "msgget",    "msgsnd",   "msgrcv",
	"msgctl",     "kill",	    "on",	  "ipcs",      "mq_open",  "mq_send",
	"mq_receive", "mq_getattr", "mq_setattr", "mq_notify", "mq_close", "mq_unlink",
	"pipe",	      "close",	    "read",	  "write",     "fcntl",	   "ioctl",
	"fork",	      "wait",	    "mkfifo",	  "open",      "unlink",   NULL
};
G_STATIC_ASSERT(G_N_ELEMENTS(stmt_words) == SIM_STMT_UNLINK + 2);
static const char *const reserved_words[] = { "any", "system", "time", "deadlock", "no", NULL };
static const char *const deliver_names[] = { "first-waiter", "round-robin", "random", "pair",
					     "exclusive",    "addressed",   NULL };
static const char *const order_names[] = { "fifo", "priority", NULL };
static const char *const state_names[] = { "new",      "ready",	 "running", "blocked",
					   "sleeping", "exited", NULL };
/* In SimCtlCmd order. */
static const char *const ctl_names[] = { "stat", "set", "rmid", "info", "msg_info", NULL };
/* In SimSigAction order. */
static const char *const action_names[] = { "default", "ignore", "handler", NULL };
/* SIM_CAP_* bit i is cap_names[i]; `none` and `all` stand alone. */
static const char *const cap_names[] = { "ipc_owner", "sys_admin", "sys_resource",
					 "none",      "all",	   NULL };
#define CAP_NONE 3
#define CAP_ALL 4
/* In SimStatKey order: every statistic an expectation may name, then each kind's own. */
static const char *const stat_names[] = { "qnum",	"sent",	    "received", "max_qnum",
					  "destroyed",	"cbytes",   "qbytes",	"lspid",
					  "lrpid",	"removed",  "id",	"mode",
					  "curmsgs",	"maxmsg",   "msgsize",	"qsize",
					  "notify_pid", "unlinked", NULL };
G_STATIC_ASSERT(G_N_ELEMENTS(stat_names) == SIM_STAT_UNLINKED + 2);
/* What a name (not a string) may have: the mailbox and SysV statistics. */
static const char *const named_stat_names[] = { "qnum",	     "sent",	"received", "max_qnum",
						"destroyed", "cbytes",	"qbytes",   "lspid",
						"lrpid",     "removed", "id",	    "mode",
						NULL };
static const char *const mbox_stat_names[] = { "qnum",	   "sent",	"received",
					       "max_qnum", "destroyed", NULL };
static const char *const sysvq_stat_names[] = { "qnum",	   "cbytes", "qbytes", "lspid", "lrpid",
						"removed", "id",     "mode",   NULL };
static const char *const posixq_stat_names[] = { "curmsgs",    "maxmsg",   "msgsize", "qsize",
						 "notify_pid", "unlinked", NULL };
/* The signals the language knows, with their <signal.h> numbers. */
static const char *const signal_names[] = { "SIGHUP",  "SIGINT",  "SIGQUIT", "SIGKILL", "SIGUSR1",
					    "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGCHLD",
					    "SIGCONT", "SIGSTOP", NULL };
static const int signal_numbers[] = { SIGHUP,  SIGINT,	SIGQUIT, SIGKILL, SIGUSR1, SIGUSR2,
				      SIGPIPE, SIGALRM, SIGTERM, SIGCHLD, SIGCONT, SIGSTOP };
G_STATIC_ASSERT(G_N_ELEMENTS(signal_names) == G_N_ELEMENTS(signal_numbers) + 1);

#define KEY_MAX G_GINT64_CONSTANT(0xffffffff) /* a key_t is 32 bits */
#define MODE_MAX 0777
#define MQ_NAME_MAX 255			      /* NAME_MAX: the bytes after the '/' */
#define FIRST_FD 3			      /* 0, 1 and 2 are the standard streams */
#define FD_MAX 1048576 /* fs.nr_open's default: no process has a descriptor above it */
#define READ_SIZE 4096 /* the buffer of a `read` without size= */
#define FIFO_MODE 0666 /* the mode of a `mkfifo` without perm= */

/* ---- Tokens ---- */

typedef enum { TOK_EOF, TOK_WORD, TOK_STRING, TOK_CHAR, TOK_BAD } TokKind;

typedef struct {
	TokKind kind;
	char ch;	      /* TOK_CHAR: the byte */
	char *text;	      /* WORD: the word; STRING: the unescaped text; BAD: the error */
	SimScnErrorCode code; /* TOK_BAD: the error code */
	gsize start;	      /* byte offset of the first character */
	gsize end;	      /* byte offset just past the last character */
	SimLoc loc;	      /* line:col of start */
	gboolean glued;	      /* no blank or comment separates it from the previous token */
} Tok;

static void tok_clear(gpointer data)
{
	Tok *t = data;
	g_free(t->text);
}

/* ---- Parser state ---- */

typedef enum { NAME_MBOX, NAME_PROC, NAME_SYSVQ } NameKind;

typedef struct {
	NameKind kind;
	guint index; /* into the mailboxes, the processes or the SysV queues */
	SimLoc loc;
} NameDef;

typedef struct {
	guint id; /* the labelled statement */
	SimLoc loc;
} LabelDef;

typedef struct {
	char *name;
	SimLoc loc;
	guint expect; /* the `expect @label` that names it */
} LabelRef;

/* A use of a mailbox, port or process name, resolved when the whole file has been read. */
typedef enum {
	REF_OWNER,	 /* mailbox or port owner=PROC: index is the mailbox */
	REF_AFTER,	 /* process start=after(PROC): index is the first replica, sub the count */
	REF_TARGET,	 /* send TARGET: index is the statement id */
	REF_SOURCE,	 /* receive SOURCE: index is the statement id */
	REF_TO,		 /* send to=PROC: index is the statement id */
	REF_EXPECT_PROC, /* expect PROC received/state=: index is the expectation */
	REF_EXPECT_FROM, /* expect ... received [... from PROC]: sub is the item */
	REF_EXPECT_MBOX, /* expect MBOX|SYSVQ key=N: index is the expectation */
	REF_EXPECT_PID,	 /* expect SYSVQ lspid=PROC: index is the expectation, sub the statistic */
	REF_KILL,	 /* kill PROC: index is the statement id */
	REF_FTOK_STMT,	/* msgget key=ftok("PATH", ID): the name is the path; index the statement */
	REF_FTOK_QUEUE, /* sysv queue ... key=ftok(...): index is the queue */
	REF_POSIXQ,	/* mq_* "/name": the name is the string; index is the statement id */
	REF_WAIT,	/* wait NAME (a child of the body, checked): index is the statement id */
} RefKind;

typedef struct {
	RefKind kind;
	char *name;
	SimLoc loc;
	guint index;
	guint sub;
	const char *ctx; /* how the use reads in an error ("after 'owner='") */
} Ref;

typedef struct {
	guint body;    /* index into the bodies */
	SimLoc to_loc; /* where to=PROC is written; line 0 when it is not */
} StmtInfo;

/* Where the attributes of a `posix queue` are written, to check them against the limits. */
typedef struct {
	SimLoc maxmsg_loc;
	SimLoc msgsize_loc;
} PosixInfo;

typedef struct {
	SimLoc stat_loc[SIM_STAT_UNLINKED + 1]; /* STATS: where each statistic is written */
} ExpectInfo;

/* What set a variable first: the kind of value it holds. */
typedef enum {
	ROLE_COUNTER, /* repeat N as v: an integer */
	ROLE_MESSAGE, /* receive/msgrcv/mq_receive/read ... -> v: a message */
	ROLE_QUEUE,   /* msgget ... -> v: an integer, the queue id */
	ROLE_FD,      /* mq_open/open ... -> v: an integer, the descriptor */
	ROLE_PIPE,    /* pipe -> v: two descriptors, v.r and v.w; no other role may share it */
	ROLE_STATUS,  /* wait ... -> v: an integer, the exit status */
} VarRole;

/* "variable 'v' already holds a descriptor": what a variable of each role does, and to do. */
static const char *const role_does[] = { "counts a repeat",  "holds a received message",
					 "holds a queue id", "holds a descriptor",
					 "holds a pipe",     "holds an exit status" };
static const char *const role_to_do[] = { "count a repeat",  "hold a received message",
					  "hold a queue id", "hold a descriptor",
					  "hold a pipe",     "hold an exit status" };
G_STATIC_ASSERT(G_N_ELEMENTS(role_does) == ROLE_STATUS + 1 &&
		G_N_ELEMENTS(role_to_do) == ROLE_STATUS + 1);

/* A body variable while its body is being read: uses may come before the assignment. */
typedef struct {
	char *name;
	gboolean assigned;
	gboolean is_int;
	VarRole role;	    /* what the first assignment stores */
	SimLoc set_loc;	    /* the first assignment */
	SimLoc use_loc;	    /* the first use; line 0 when none */
	gboolean use_reply; /* that use is `send $v` rather than a text */
	const char *use_fd; /* or the descriptor of this call ("mq_send"), else NULL */
	SimFdEnd use_end;   /* ... written v.r or v.w (SIM_FD_PLAIN: v) */
	SimLoc msg_loc;	    /* the first use that needs a message ($v.from, send $v) */
	gboolean msg_reply;
	SimLoc fd_loc;	     /* the first use as one descriptor (mq_send v ...) */
	const char *fd_how;  /* by which call */
	SimLoc end_loc;	     /* the first use of an end (read v.r ...) */
	const char *end_how; /* by which call */
	SimFdEnd end;	     /* which end */
	SimLoc text_loc;     /* the first $v in a text (not $v.from) */
} VarInfo;

typedef struct {
	int slot; /* the counter variable of an enclosing `repeat ... as` */
	SimLoc loc;
} Counter;

/* The queue Q of msgsnd/msgrcv/msgctl: a `sysv queue` name or an integer variable. The body
 * fills in the variable it would be; the whole file decides which it is. */
typedef struct {
	guint stmt;
	char *name;
	SimLoc loc;
	int slot;	 /* the body's variable of that name, or -1 when it has none */
	VarRole role;	 /* that variable's role */
	SimLoc set_loc;	 /* where it is set */
	const char *how; /* "msgsnd": how the use reads in an error */
} QueueUse;

/* An assigned body variable, kept to check it against the `sysv queue` names at the end. */
typedef struct {
	char *name;
	SimLoc loc;
} VarDef;

/* A `wait NAME`, checked against the forks of its body when the body ends. */
typedef struct {
	guint stmt;
	char *name;
	SimLoc loc;
} WaitUse;

typedef struct {
	guint index;	  /* of the body in p->bodies */
	GArray *vars;	  /* VarInfo, in slot order */
	GHashTable *slots; /* name (borrowed from vars) -> slot + 1, so a lookup costs O(1) */
	GArray *counters; /* Counter, innermost last */
	GArray *queues;	  /* QueueUse, slot not yet known */
	GArray *forks;	  /* guint: the proc index of each child this body forks, in order */
	GArray *waits;	  /* WaitUse */
	guint depth;
	guint max_depth;
	guint proc;	  /* the process running it (the first replica) */
	guint n_procs;	  /* how many run it: the replicas, 1 for a process that is not */
	const char *name; /* the process as declared ("worker" for worker[3]) */
	guint n_inherit;  /* a fork body: the slots copied from the parent (0 otherwise) */
} BodyBuilder;

/* The processes that run a body: replicas are declared together, so they are a range. */
typedef struct {
	guint first;
	guint n;
} BodyProcs;

typedef struct {
	const char *file;
	const char *src;
	gsize len;
	GArray *toks; /* Tok; the last one is TOK_EOF or TOK_BAD */
	guint pos;
	GError *err;

	SimScenario *scn; /* settings now, the arrays below when the parse is done */
	GArray *mboxes;	  /* SimScnMbox */
	GArray *procs;	  /* SimScnProc */
	GPtrArray *bodies;
	GArray *body_procs; /* BodyProcs, by body */
	GArray *expects; /* SimScnExpect */
	GArray *sysvqs;	 /* SimScnSysvQueue */
	GArray *files;	 /* SimScnFile */
	GArray *users;	 /* SimScnUser */
	GArray *posixqs; /* SimScnPosixQueue */
	GArray *pq_info; /* PosixInfo, by POSIX queue */
	guint n_stmts;

	GHashTable *names;   /* name -> NameDef */
	GHashTable *labels;  /* label -> LabelDef */
	GArray *refs;	     /* Ref */
	GArray *label_refs;  /* LabelRef */
	GArray *stmt_info;   /* StmtInfo, by statement id */
	GArray *expect_info; /* ExpectInfo, by expectation */
	GArray *queue_uses;  /* QueueUse of every finished body */
	GArray *var_defs;    /* VarDef of every finished body */
	SimLoc sched_loc, cost_loc, direct_loc, sysctl_loc;
	SimLoc sysctl_seen[SIM_LIMIT_COUNT]; /* where each sysctl key is written */
	BodyBuilder *body;	      /* the body being read, or NULL */
	guint depth;		      /* blocks open now, of every body (at most SIM_SCN_MAX_DEPTH) */
	guint n_slots;		      /* slots forked children copied so far (SIM_SCN_MAX_SLOTS) */
} Parser;

/* ---- Freeing ---- */

static void text_clear(SimText *text)
{
	for (guint i = 0; i < text->n_parts; i++)
		g_free(text->parts[i].lit);
	g_clear_pointer(&text->parts, g_free);
	g_clear_pointer(&text->literal, g_free);
	text->n_parts = 0;
}

static void block_clear(SimBlock *block);

static void stmt_clear(SimStmt *st)
{
	g_clear_pointer(&st->label, g_free);
	g_clear_pointer(&st->mq_name, g_free);
	text_clear(&st->text);
	block_clear(&st->body);
}

static void block_clear(SimBlock *block)
{
	for (guint i = 0; i < block->n_stmts; i++)
		stmt_clear(&block->stmts[i]);
	g_clear_pointer(&block->stmts, g_free);
	block->n_stmts = 0;
}

static void body_free(gpointer data)
{
	SimScnBody *body = data;
	block_clear(&body->block);
	for (guint i = 0; i < body->n_vars; i++)
		g_free(body->vars[i].name);
	g_free(body->vars);
	g_free(body);
}

static void expect_clear(SimScnExpect *e)
{
	for (guint i = 0; i < e->n_msgs; i++)
		g_free(e->msgs[i].text);
	g_clear_pointer(&e->msgs, g_free);
	g_clear_pointer(&e->stats, g_free);
	g_clear_pointer(&e->mq_name, g_free);
}

static void clear_stmt(gpointer data)
{
	stmt_clear(data);
}

static void clear_expect(gpointer data)
{
	expect_clear(data);
}

static void clear_mbox(gpointer data)
{
	g_free(((SimScnMbox *)data)->name);
}

static void clear_proc(gpointer data)
{
	g_free(((SimScnProc *)data)->name);
}

static void clear_ref(gpointer data)
{
	g_free(((Ref *)data)->name);
}

static void clear_label_ref(gpointer data)
{
	g_free(((LabelRef *)data)->name);
}

static void clear_var(gpointer data)
{
	g_free(((VarInfo *)data)->name);
}

static void clear_sysvq(gpointer data)
{
	g_free(((SimScnSysvQueue *)data)->name);
}

static void clear_posixq(gpointer data)
{
	g_free(((SimScnPosixQueue *)data)->name);
}

static void clear_file(gpointer data)
{
	g_free(((SimScnFile *)data)->path);
}

static void clear_user(gpointer data)
{
	g_free(((SimScnUser *)data)->name);
}

static void clear_queue_use(gpointer data)
{
	g_free(((QueueUse *)data)->name);
}

static void clear_var_def(gpointer data)
{
	g_free(((VarDef *)data)->name);
}

static void clear_wait_use(gpointer data)
{
	g_free(((WaitUse *)data)->name);
}

static void builder_clear(BodyBuilder *b)
{
	g_clear_pointer(&b->slots, g_hash_table_unref);
	g_clear_pointer(&b->vars, g_array_unref);
	g_clear_pointer(&b->counters, g_array_unref);
	g_clear_pointer(&b->queues, g_array_unref);
	g_clear_pointer(&b->forks, g_array_unref);
	g_clear_pointer(&b->waits, g_array_unref);
}

static void parser_clear(Parser *p)
{
	g_clear_pointer(&p->names, g_hash_table_unref);
	g_clear_pointer(&p->labels, g_hash_table_unref);
	g_clear_pointer(&p->refs, g_array_unref);
	g_clear_pointer(&p->label_refs, g_array_unref);
	g_clear_pointer(&p->stmt_info, g_array_unref);
	g_clear_pointer(&p->expect_info, g_array_unref);
	g_clear_pointer(&p->queue_uses, g_array_unref);
	g_clear_pointer(&p->var_defs, g_array_unref);
	g_clear_pointer(&p->mboxes, g_array_unref);
	g_clear_pointer(&p->procs, g_array_unref);
	g_clear_pointer(&p->bodies, g_ptr_array_unref);
	g_clear_pointer(&p->body_procs, g_array_unref);
	g_clear_pointer(&p->expects, g_array_unref);
	g_clear_pointer(&p->sysvqs, g_array_unref);
	g_clear_pointer(&p->files, g_array_unref);
	g_clear_pointer(&p->users, g_array_unref);
	g_clear_pointer(&p->posixqs, g_array_unref);
	g_clear_pointer(&p->pq_info, g_array_unref);
	g_clear_pointer(&p->toks, g_array_unref);
	g_clear_pointer(&p->scn, sim_scn_free);
	g_clear_error(&p->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SimStmt, stmt_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(BodyBuilder, builder_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Parser, parser_clear)

static GArray *array_new(gsize size, GDestroyNotify clear)
{
	GArray *a = g_array_new(FALSE, TRUE, (guint)size);
	g_array_set_clear_func(a, clear);
	return a;
}

/* Hands an array's elements over to a SimScenario field; the array is gone afterwards. */
static gpointer steal_array(GArray **a, guint *n)
{
	*n = (*a)->len;
	return g_array_free(g_steal_pointer(a), FALSE);
}

/* ---- Small helpers ---- */

static int pick(const char *word, const char *const *words)
{
	for (int i = 0; words[i]; i++)
		if (strcmp(word, words[i]) == 0)
			return i;
	return -1;
}

/* "a, b or c", for the lists of what was expected. */
static char *either(const char *const *words)
{
	GString *s = g_string_new(NULL);
	for (guint i = 0; words[i]; i++) {
		if (i > 0)
			g_string_append(s, words[i + 1] ? ", " : " or ");
		g_string_append(s, words[i]);
	}
	return g_string_free(s, FALSE);
}

/* Bytes in the UTF-8 character at s (g_utf8_next_char() would cast away const). */
static gsize char_len(const char *s)
{
	return (gsize)g_utf8_skip[*(const guchar *)s];
}

static gboolean loc_before(SimLoc a, SimLoc b)
{
	return a.line < b.line || (a.line == b.line && a.col < b.col);
}

/* ---- Errors ---- */

G_GNUC_PRINTF(4, 0)
static gboolean vfail(Parser *p, SimLoc loc, SimScnErrorCode code, const char *fmt, va_list ap)
{
	g_autofree char *what = g_strdup_vprintf(fmt, ap);
	if (!p->err)
		g_set_error(&p->err, SIM_SCN_ERROR, (gint)code, "%s:%u:%u: error: %s", p->file,
			    loc.line, loc.col, what);
	return FALSE;
}

G_GNUC_PRINTF(4, 5)
static gboolean fail_at(Parser *p, SimLoc loc, SimScnErrorCode code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(p, loc, code, fmt, ap);
	va_end(ap);
	return FALSE;
}

/* Fails at a token; a token the scanner could not read reports its own error instead, since
 * that is the real problem (an unterminated string, say). */
G_GNUC_PRINTF(4, 5)
static gboolean fail_tok(Parser *p, const Tok *t, SimScnErrorCode code, const char *fmt, ...)
{
	if (t->kind == TOK_BAD)
		return fail_at(p, t->loc, t->code, "%s", t->text);
	va_list ap;
	va_start(ap, fmt);
	vfail(p, t->loc, code, fmt, ap);
	va_end(ap);
	return FALSE;
}

/* A token quoted as written, or "end of file". */
static char *describe(const Parser *p, const Tok *t)
{
	if (t->kind == TOK_EOF)
		return g_strdup("end of file");
	const char *s = p->src + t->start;
	gsize end = t->end;
	/* GScanner hands out a non-ASCII character one byte at a time; quote all of it. */
	if (t->kind == TOK_CHAR)
		end = t->start + char_len(s);
	if (g_utf8_strlen(s, (gssize)(end - t->start)) > 40) {
		const char *cut = g_utf8_offset_to_pointer(s, 37);
		return g_strdup_printf("'%.*s...'", (int)(cut - s), s);
	}
	return g_strdup_printf("'%.*s'", (int)(end - t->start), s);
}

G_GNUC_PRINTF(3, 0)
static gboolean vexpected(Parser *p, const Tok *t, const char *fmt, va_list ap)
{
	g_autofree char *what = g_strdup_vprintf(fmt, ap);
	g_autofree char *found = describe(p, t);
	return fail_tok(p, t, E_SYNTAX, "expected %s, found %s", what, found);
}

/* Fails with "expected WHAT, found 'X'" at token t. */
G_GNUC_PRINTF(3, 4)
static gboolean expected_at(Parser *p, const Tok *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vexpected(p, t, fmt, ap);
	va_end(ap);
	return FALSE;
}

/* Fails with "expected WHAT, found 'X'" at the current token. */
G_GNUC_PRINTF(2, 3)
static gboolean expected(Parser *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vexpected(p, &g_array_index(p->toks, Tok, p->pos), fmt, ap);
	va_end(ap);
	return FALSE;
}

/* ---- Lexing ---- */

static const GScannerConfig scan_config = {
	.cset_skip_characters = SKIP_CHARS,
	.cset_identifier_first = WORD_CHARS,
	.cset_identifier_nth = WORD_CHARS,
	.cpair_comment_single = "#\n",
	.case_sensitive = TRUE,
	.skip_comment_single = TRUE,
	.scan_identifier = TRUE,
	.scan_identifier_1char = TRUE,
	.scan_string_dq = TRUE,
	.char_2_token = TRUE,
	.store_int64 = TRUE,
};

/* Moves a line:col cursor forward to byte `off`. Tokens come in order, so the whole file is
 * walked once. Columns count characters, so UTF-8 continuation bytes do not move them. */
static SimLoc locate(const char *src, gsize *at, SimLoc *loc, gsize off)
{
	for (; *at < off; (*at)++) {
		guchar b = (guchar)src[*at];
		if (b == '\n') {
			loc->line++;
			loc->col = 1;
		} else if ((b & 0xc0) != 0x80) {
			loc->col++;
		}
	}
	return *loc;
}

/* Skips what GScanner skips between tokens (blanks and # comments) to a token's first byte. */
static gsize skip_gap(const char *src, gsize len, gsize off)
{
	while (off < len) {
		if (strchr(SKIP_CHARS, src[off])) {
			off++;
		} else if (src[off] == '#') {
			while (off < len && src[off] != '\n')
				off++;
		} else {
			break;
		}
	}
	return off;
}

static void bad_tok(Tok *t, const char *what)
{
	t->kind = TOK_BAD;
	t->code = E_SYNTAX;
	t->text = g_strdup(what);
}

/* Scans the whole text. A token the scanner cannot read becomes the last one, TOK_BAD,
 * so its error is reported only if the parser gets that far. */
static void lex(Parser *p)
{
	g_autoptr(GScanner) sc = g_scanner_new(&scan_config);
	gsize at = 0, prev = 0;
	SimLoc loc = { 1, 1 };
	g_scanner_input_text(sc, p->src, (guint)p->len);
	for (;;) {
		GTokenType type = g_scanner_get_next_token(sc);
		Tok t = { 0 };
		t.start = skip_gap(p->src, p->len, prev);
		t.end = (gsize)(sc->text - p->src);
		t.loc = locate(p->src, &at, &loc, t.start);
		t.glued = p->toks->len > 0 && t.start == prev;
		switch ((int)type) {
		case G_TOKEN_EOF:
			t.kind = TOK_EOF;
			break;
		case G_TOKEN_IDENTIFIER:
			t.kind = TOK_WORD;
			t.text = g_strdup(sc->value.v_identifier);
			break;
		case G_TOKEN_STRING:
			/* GScanner lets a string run over lines; a forgotten quote would then
			 * swallow the code up to the next string, so a raw newline ends it. */
			if (memchr(p->src + t.start, '\n', t.end - t.start)) {
				bad_tok(&t, "unterminated string");
			} else if (!g_utf8_validate(sc->value.v_string, -1, NULL)) {
				bad_tok(&t, "a \\ escape in this string makes it invalid UTF-8");
			} else {
				t.kind = TOK_STRING;
				t.text = g_strdup(sc->value.v_string);
			}
			break;
		case G_TOKEN_ERROR:
			if (sc->value.v_error == G_ERR_UNEXP_EOF_IN_STRING)
				bad_tok(&t, "unterminated string");
			else
				bad_tok(&t, "unreadable text");
			break;
		default:
			if ((int)type < 256) {
				t.kind = TOK_CHAR;
				t.ch = (char)type;
			} else {
				bad_tok(&t, "unreadable text");
			}
			break;
		}
		g_array_append_val(p->toks, t);
		prev = t.end;
		if (t.kind == TOK_EOF || t.kind == TOK_BAD)
			return;
	}
}

/* Scenario files are UTF-8 text; a NUL byte or a broken sequence is located and refused. */
static gboolean check_text(Parser *p)
{
	const char *bad = NULL;
	if (p->len > G_MAXUINT)
		return fail_at(p, (SimLoc){ 1, 1 }, E_SYNTAX, "the scenario is too large");
	if (g_utf8_validate_len(p->src, p->len, &bad))
		return TRUE;
	gsize at = 0;
	SimLoc loc = { 1, 1 };
	locate(p->src, &at, &loc, (gsize)(bad - p->src));
	if (*bad == '\0')
		return fail_at(p, loc, E_SYNTAX, "NUL byte: a scenario must be UTF-8 text");
	return fail_at(p, loc, E_SYNTAX, "invalid UTF-8 byte 0x%02x: a scenario must be UTF-8 text",
		       (guint)(guchar)*bad);
}

/* ---- Token access ---- */

static const Tok *tok(const Parser *p)
{
	return &g_array_index(p->toks, Tok, p->pos);
}

static const Tok *peek(const Parser *p, guint n)
{
	return &g_array_index(p->toks, Tok, MIN(p->pos + n, p->toks->len - 1));
}

static void advance(Parser *p)
{
	if (p->pos + 1 < p->toks->len)
		p->pos++;
}

static gboolean is_char(const Tok *t, char c)
{
	return t->kind == TOK_CHAR && t->ch == c;
}

static gboolean is_word(const Tok *t, const char *w)
{
	return t->kind == TOK_WORD && strcmp(t->text, w) == 0;
}

static gboolean is_number_word(const Tok *t)
{
	return t->kind == TOK_WORD && g_ascii_isdigit(t->text[0]);
}

static gboolean is_name_word(const Tok *t)
{
	return t->kind == TOK_WORD && !g_ascii_isdigit(t->text[0]);
}

/* A '-' written right against a number word: the sign of a negative number. */
static gboolean at_negative(const Parser *p)
{
	return is_char(tok(p), '-') && peek(p, 1)->glued && is_number_word(peek(p, 1));
}

/* The two-character symbol `->`. */
static gboolean at_arrow(const Parser *p)
{
	return is_char(tok(p), '-') && is_char(peek(p, 1), '>') && peek(p, 1)->glued;
}

/* ---- Values ---- */

/* Converts a number word written like C: decimal, 0x hex, or octal after a leading 0. */
static gboolean to_u64(const char *w, guint64 *out, gboolean *big)
{
	guint base = 10;
	guint64 n = 0;
	if (w[0] == '0' && (w[1] == 'x' || w[1] == 'X')) {
		base = 16;
		w += 2;
	} else if (w[0] == '0' && w[1]) {
		base = 8;
		w++;
	}
	if (!*w)
		return FALSE;
	*big = FALSE;
	for (; *w; w++) {
		int d = g_ascii_xdigit_value(*w);
		if (d < 0 || (guint)d >= base)
			return FALSE;
		if (n > (G_MAXUINT64 - (guint64)d) / base)
			*big = TRUE;
		else
			n = n * base + (guint64)d;
	}
	*out = n;
	return TRUE;
}

/* Reads a whole number word, with a '-' written right before it when min allows, and checks
 * that it lies within [min, max]. `what` names it in errors, `ctx` says where it belongs. */
static gboolean take_int(Parser *p, const char *what, const char *ctx, gint64 min, gint64 max,
			 gint64 *out)
{
	SimLoc loc = tok(p)->loc;
	gboolean neg = at_negative(p);
	const Tok *t = neg ? peek(p, 1) : tok(p);
	if (!is_number_word(t))
		return expected_at(p, tok(p), "a number %s", ctx);
	g_autofree char *written = g_strconcat(neg ? "-" : "", t->text, NULL);
	guint64 n = 0;
	gboolean big = FALSE;
	if (!to_u64(t->text, &n, &big))
		return fail_at(p, loc, E_NUMBER,
			       "bad %s '%s': expected a whole number (decimal, 0x hex or 0 octal)",
			       what, written);
	big = big || n > (guint64)G_MAXINT64 + (neg ? 1u : 0u);
	gint64 v = 0;
	if (!big)
		v = !neg ? (gint64)n : n > (guint64)G_MAXINT64 ? G_MININT64 : -(gint64)n;
	if (big && !neg && max == G_MAXINT64)
		return fail_at(p, loc, E_NUMBER,
			       "bad %s '%s': too large (at most %" G_GINT64_FORMAT ")", what,
			       written, max);
	if (big && neg && min == G_MININT64)
		return fail_at(p, loc, E_NUMBER,
			       "bad %s '%s': too small (at least %" G_GINT64_FORMAT ")", what,
			       written, min);
	if (big || v < min || v > max) {
		if (max == G_MAXINT64)
			return fail_at(p, loc, E_NUMBER,
				       "bad %s '%s': expected a whole number of %" G_GINT64_FORMAT
				       " or more",
				       what, written, min);
		return fail_at(p, loc, E_NUMBER,
			       "bad %s '%s': expected a whole number from %" G_GINT64_FORMAT
			       " to %" G_GINT64_FORMAT,
			       what, written, min, max);
	}
	*out = v;
	advance(p);
	if (neg)
		advance(p);
	return TRUE;
}

/* take_int for a value whose bounds read better as written than in decimal: out of [min, max]
 * it fails with "bad WHAT 'N': expected RANGE" ("a mode from 0 to 0777"). */
static gboolean take_int_in(Parser *p, const char *what, const char *ctx, gint64 min, gint64 max,
			    const char *range, gint64 *out)
{
	const Tok *first = tok(p);
	gint64 v = 0;
	if (!take_int(p, what, ctx, G_MININT64, G_MAXINT64, &v))
		return FALSE;
	if (v < min || v > max) {
		const Tok *last = &g_array_index(p->toks, Tok, p->pos - 1);
		return fail_at(p, first->loc, E_NUMBER, "bad %s '%.*s': expected %s", what,
			       (int)(last->end - first->start), p->src + first->start, range);
	}
	*out = v;
	return TRUE;
}

/* Reads permission bits such as 0666. */
static gboolean take_mode(Parser *p, const char *what, gint64 *out)
{
	g_autofree char *ctx = g_strdup_printf("after '%s='", what);
	return take_int_in(p, what, ctx, 0, MODE_MAX,
			   "a mode from 0 to 0777 (permission bits such as 0666)", out);
}

/* Reads a time word such as 5ms: a number and a unit, always both. */
static gboolean take_time(Parser *p, const char *ctx, SimTime *out)
{
	const Tok *t = tok(p);
	if (t->kind != TOK_WORD)
		return expected(p, "a time like 5ms %s", ctx);
	if (!sim_time_parse(t->text, out)) {
		const char *unit = t->text;
		while (g_ascii_isdigit(*unit))
			unit++;
		if (unit > t->text && !*unit)
			return fail_tok(
				p, t, E_NUMBER,
				"bad time '%s': the unit is missing (expected a number with a "
				"unit ns, us, ms or s)",
				t->text);
		if (unit > t->text && (!strcmp(unit, "ns") || !strcmp(unit, "us") ||
				       !strcmp(unit, "ms") || !strcmp(unit, "s")))
			return fail_tok(p, t, E_NUMBER,
					"bad time '%s': too large (a time is at most "
					"9223372036854775807ns, about 292 years)",
					t->text);
		return fail_tok(p, t, E_NUMBER,
				"bad time '%s': expected a number with a unit ns, us, ms or s",
				t->text);
	}
	advance(p);
	return TRUE;
}

/* Reads one of `names` after `what=`; hyphenated words such as first-waiter arrive as
 * word '-' word and are joined back when nothing separates them. Returns the index or -1. */
static int take_choice(Parser *p, const char *what, const char *ctx, const char *const *names)
{
	g_autofree char *list = either(names);
	const Tok *t = tok(p);
	if (t->kind != TOK_WORD) {
		expected(p, "%s %s", list, ctx);
		return -1;
	}
	g_autoptr(GString) word = g_string_new(t->text);
	advance(p);
	while (is_char(tok(p), '-') && tok(p)->glued && peek(p, 1)->kind == TOK_WORD &&
	       peek(p, 1)->glued) {
		g_string_append_printf(word, "-%s", peek(p, 1)->text);
		advance(p);
		advance(p);
	}
	int i = pick(word->str, names);
	if (i < 0)
		fail_tok(p, t, E_SYNTAX, "bad %s '%s': expected %s", what, word->str, list);
	return i;
}

/* Reads 0, N or `unbounded`. */
static gboolean take_capacity(Parser *p, gint64 *out)
{
	const Tok *t = tok(p);
	if (is_word(t, "unbounded")) {
		*out = SIM_CAPACITY_UNBOUNDED;
		advance(p);
		return TRUE;
	}
	if (is_name_word(t))
		return fail_tok(p, t, E_NUMBER,
				"bad capacity '%s': expected 0, a number or unbounded", t->text);
	return take_int(p, "capacity", "or 'unbounded' after 'capacity='", 0, G_MAXINT64, out);
}

/* Reads `ok` or an errno name such as EAGAIN, or with `eof` also `eof` (SIM_BREAK_EOF). */
static gboolean take_errno(Parser *p, const char *ctx, gboolean eof, int *out)
{
	const Tok *t = tok(p);
	const char *ok = eof ? "ok, eof" : "ok";
	if (t->kind != TOK_WORD)
		return expected(p, "%s or an errno name like EAGAIN %s", ok, ctx);
	if (eof && is_word(t, "eof")) {
		*out = SIM_BREAK_EOF;
		advance(p);
		return TRUE;
	}
	*out = sim_errno_from_name(t->text);
	if (*out < 0)
		return fail_tok(
			p, t, E_NAME,
			"unknown errno name '%s' (expected %s or a name like EAGAIN, ENOMSG, "
			"EIDRM, EPERM or EBUSY)",
			t->text, ok);
	advance(p);
	return TRUE;
}

static gboolean take_name(Parser *p, const char *what, char **name, SimLoc *loc)
{
	const Tok *t = tok(p);
	if (!is_name_word(t))
		return expected(p, "%s", what);
	*name = g_strdup(t->text);
	*loc = t->loc;
	advance(p);
	return TRUE;
}

/* ---- Options: key=value pairs and bare flags, in any order, each at most once ---- */

#define OPT_END (-1)
#define OPT_ERR (-2)

typedef struct {
	const char *what;	 /* what they belong to, for errors: "mailbox" */
	const char *const *keys; /* NULL-terminated, at most 32 */
	guint flags;		 /* bit i set: keys[i] is a bare word that takes no value */
	SimLoc seen[32];	 /* where each key was given; line 0 when it was not */
} Opts;

/* Takes the next option and returns its index, OPT_END when the next token starts something
 * else, or OPT_ERR. A word followed by '=' is always taken as an option attempt, since no
 * keyword is ever followed by '='; a known key without '=' is an error too. */
static int take_opt(Parser *p, Opts *o)
{
	const Tok *t = tok(p), *eq = peek(p, 1);
	if (t->kind != TOK_WORD)
		return OPT_END;
	gboolean has_eq = is_char(eq, '=');
	int k = pick(t->text, o->keys);
	gboolean flag = k >= 0 && (o->flags & (1u << k));
	if (k < 0 && !has_eq)
		return OPT_END;
	if (k < 0) {
		g_autofree char *list = either(o->keys);
		fail_tok(p, t, E_SYNTAX, "unknown option '%s' for %s (expected %s)", t->text,
			 o->what, list);
		return OPT_ERR;
	}
	if (!flag && !has_eq) {
		expected_at(p, eq, "'=' after '%s'", t->text);
		return OPT_ERR;
	}
	if (flag && has_eq) {
		fail_tok(p, eq, E_SYNTAX, "unexpected '=' after '%s': it takes no value", t->text);
		return OPT_ERR;
	}
	if (o->seen[k].line) {
		fail_tok(p, t, E_SYNTAX, "repeated option '%s': already given at %u:%u", t->text,
			 o->seen[k].line, o->seen[k].col);
		return OPT_ERR;
	}
	o->seen[k] = t->loc;
	advance(p);
	if (has_eq)
		advance(p);
	return k;
}

/* ---- Names ---- */

static gboolean not_reserved(Parser *p, const char *name, SimLoc loc, const char *what)
{
	if (pick(name, reserved_words) < 0)
		return TRUE;
	return fail_at(p, loc, E_NAME, "'%s' is a reserved word: it cannot name a %s", name, what);
}

static gboolean declare(Parser *p, const char *name, SimLoc loc, NameKind kind, guint index)
{
	const NameDef *old = g_hash_table_lookup(p->names, name);
	if (old)
		return fail_at(p, loc, E_NAME, "duplicate name '%s': already declared at %u:%u",
			       name, old->loc.line, old->loc.col);
	NameDef *d = g_new(NameDef, 1);
	*d = (NameDef){ kind, index, loc };
	g_hash_table_insert(p->names, g_strdup(name), d);
	return TRUE;
}

static void add_ref(Parser *p, RefKind kind, const char *name, SimLoc loc, guint index, guint sub,
		    const char *ctx)
{
	Ref r = { kind, g_strdup(name), loc, index, sub, ctx };
	g_array_append_val(p->refs, r);
}

/* ---- SysV keys and signals ---- */

/* Reads the value of key=: a number (0 is IPC_PRIVATE), `private`, or ftok("PATH", ID). The
 * path of an ftok key names a `file`, looked up when the whole file has been read (`ref`
 * says whose key it is: a msgget statement or a `sysv queue`). */
static gboolean take_key(Parser *p, RefKind ref, guint index, SimKey *out)
{
	const Tok *t = tok(p);
	*out = (SimKey){ SIM_KEY_PRIVATE, 0, -1 };
	if (is_word(t, "private")) {
		advance(p);
		return TRUE;
	}
	if (is_word(t, "ftok")) {
		advance(p);
		if (!is_char(tok(p), '('))
			return expected(p, "'(' after 'ftok'");
		advance(p);
		const Tok *path = tok(p);
		if (path->kind != TOK_STRING)
			return expected(p, "a file path in double quotes after 'ftok('");
		advance(p);
		if (!is_char(tok(p), ','))
			return expected(p, "',' after 'ftok(\"%s\"'", path->text);
		advance(p);
		if (!take_int(p, "ftok id", "after 'ftok(\"PATH\",'", 0, 255, &out->value))
			return FALSE;
		if (!is_char(tok(p), ')'))
			return expected(p, "')' after the id of 'ftok(\"%s\", ...'", path->text);
		advance(p);
		out->kind = SIM_KEY_FTOK;
		add_ref(p, ref, path->text, path->loc, index, 0, NULL);
		return TRUE;
	}
	if (is_name_word(t))
		return fail_tok(p, t, E_NUMBER,
				"bad key '%s': expected a number, private or ftok(\"PATH\", ID)",
				t->text);
	if (!is_number_word(t) && !at_negative(p))
		return expected(p, "a number, private or ftok(\"PATH\", ID) after 'key='");
	if (!take_int_in(p, "key", "after 'key='", 0, KEY_MAX,
			 "a key from 0 to 0xffffffff (32 bits)", &out->value))
		return FALSE;
	out->kind = out->value ? SIM_KEY_VALUE : SIM_KEY_PRIVATE;
	return TRUE;
}

/* Reads a signal name such as SIGUSR1. */
static gboolean take_signal(Parser *p, const char *ctx, int *out)
{
	const Tok *t = tok(p);
	if (t->kind != TOK_WORD)
		return expected(p, "a signal name like SIGUSR1 %s", ctx);
	*out = sim_scn_signal_from_name(t->text);
	if (*out < 0) {
		g_autofree char *list = either(signal_names);
		return fail_tok(p, t, E_NAME, "unknown signal '%s' (expected %s)", t->text, list);
	}
	advance(p);
	return TRUE;
}

/* ---- Variables ---- */

static gboolean is_builtin(const char *name)
{
	return strcmp(name, "self") == 0 || strcmp(name, "index") == 0;
}

/* Appends a slot; the index points at its name, which moves with no GArray reallocation. */
static guint add_slot(BodyBuilder *b, const VarInfo *v)
{
	g_array_append_val(b->vars, *v);
	g_hash_table_insert(b->slots, v->name, GUINT_TO_POINTER(b->vars->len));
	return b->vars->len - 1;
}

/* The slot of a variable in the body, or -1 when it has none yet. */
static int find_slot(const BodyBuilder *b, const char *name)
{
	return (int)GPOINTER_TO_UINT(g_hash_table_lookup(b->slots, name)) - 1;
}

static guint var_slot(BodyBuilder *b, const char *name)
{
	int slot = find_slot(b, name);
	if (slot >= 0)
		return (guint)slot;
	return add_slot(b, &(VarInfo){ .name = g_strdup(name) });
}

/* Records a use; whether the variable exists is known only at the end of the body. A text's
 * `$v` (no message needed, not a reply) is remembered apart: a pipe variable cannot be shown. */
static int use_var(Parser *p, const char *name, SimLoc loc, gboolean needs_msg, gboolean reply)
{
	guint slot = var_slot(p->body, name);
	VarInfo *v = &g_array_index(p->body->vars, VarInfo, slot);
	if (!v->use_loc.line) {
		v->use_loc = loc;
		v->use_reply = reply;
	}
	if (needs_msg && !v->msg_loc.line) {
		v->msg_loc = loc;
		v->msg_reply = reply;
	}
	if (!needs_msg && !reply && !v->text_loc.line)
		v->text_loc = loc;
	return (int)slot;
}

/* Records the use of a variable as the descriptor of a call (`how`), the variable itself (`v`)
 * or one end of it (`v.r`, `v.w`); it must turn out to be an integer variable of the body, or
 * for an end a pipe variable, which only the end of the body tells. */
static int use_fd_var(Parser *p, const char *name, SimLoc loc, const char *how, SimFdEnd end)
{
	guint slot = var_slot(p->body, name);
	VarInfo *v = &g_array_index(p->body->vars, VarInfo, slot);
	if (!v->use_loc.line) {
		v->use_loc = loc;
		v->use_fd = how;
		v->use_end = end;
	}
	if (end == SIM_FD_PLAIN && !v->fd_loc.line) {
		v->fd_loc = loc;
		v->fd_how = how;
	}
	if (end != SIM_FD_PLAIN && !v->end_loc.line) {
		v->end_loc = loc;
		v->end_how = how;
		v->end = end;
	}
	return (int)slot;
}

/* `-> name` (a message, a queue id for msgget, a descriptor for mq_open and open, a pipe, an
 * exit status) or `as name` (a repeat counter); returns the slot or -1. Counters, queue ids,
 * descriptors and exit statuses are all integers and may share a variable; a pipe shares
 * with nothing, since `v` and `v.r` mean different things. */
static int assign_var(Parser *p, const char *name, SimLoc loc, VarRole role)
{
	BodyBuilder *b = p->body;
	gboolean is_int = role != ROLE_MESSAGE;
	gboolean pipe = role == ROLE_PIPE;
	if (is_builtin(name)) {
		fail_at(p, loc, E_NAME, "'%s' is built in: it cannot name a variable", name);
		return -1;
	}
	guint slot = var_slot(b, name);
	VarInfo *v = &g_array_index(b->vars, VarInfo, slot);
	if (v->assigned && (v->is_int != is_int || (v->role == ROLE_PIPE) != pipe)) {
		fail_at(p, loc, E_NAME,
			"variable '%s' already %s (set at %u:%u): it cannot also %s", name,
			role_does[v->role], v->set_loc.line, v->set_loc.col, role_to_do[role]);
		return -1;
	}
	/* Two nested loops sharing a counter would overwrite each other's count. */
	for (guint i = 0; is_int && i < b->counters->len; i++) {
		const Counter *c = &g_array_index(b->counters, Counter, i);
		if (c->slot == (int)slot) {
			fail_at(p, loc, E_NAME,
				"variable '%s' already counts the enclosing repeat (at %u:%u)",
				name, c->loc.line, c->loc.col);
			return -1;
		}
	}
	if (!v->assigned) {
		v->assigned = TRUE;
		v->is_int = is_int;
		v->role = role;
		v->set_loc = loc;
	}
	return (int)slot;
}

/* What is wrong with the uses of a variable, once its whole body has been read. */
typedef enum {
	BAD_UNKNOWN,   /* used but never set */
	BAD_NOT_FD,    /* a message variable as a descriptor */
	BAD_NOT_MSG,   /* an integer or pipe variable as a message ($v.from, send $v) */
	BAD_NOT_PIPE,  /* v.r or v.w of a variable that is not a pipe */
	BAD_PIPE_FD,   /* a pipe variable as one descriptor */
	BAD_PIPE_TEXT, /* a pipe variable in a text */
} VarProblem;

/* The earliest wrong use of `v`, if it has one: where, and what is wrong with it. */
static gboolean var_problem(const VarInfo *v, SimLoc *at, VarProblem *what)
{
	struct {
		SimLoc loc;
		VarProblem what;
	} c[3];
	guint n = 0;
	if (!v->assigned) {
		c[n].loc = v->use_loc;
		c[n++].what = BAD_UNKNOWN;
	} else if (!v->is_int) {
		c[n].loc = v->fd_loc;
		c[n++].what = BAD_NOT_FD;
		c[n].loc = v->end_loc;
		c[n++].what = BAD_NOT_PIPE;
	} else if (v->role != ROLE_PIPE) {
		c[n].loc = v->msg_loc;
		c[n++].what = BAD_NOT_MSG;
		c[n].loc = v->end_loc;
		c[n++].what = BAD_NOT_PIPE;
	} else {
		c[n].loc = v->msg_loc;
		c[n++].what = BAD_NOT_MSG;
		c[n].loc = v->fd_loc;
		c[n++].what = BAD_PIPE_FD;
		c[n].loc = v->text_loc;
		c[n++].what = BAD_PIPE_TEXT;
	}
	gboolean found = FALSE;
	for (guint i = 0; i < n; i++) {
		if (c[i].loc.line && (!found || loc_before(c[i].loc, *at))) {
			*at = c[i].loc;
			*what = c[i].what;
			found = TRUE;
		}
	}
	return found;
}

static char end_char(SimFdEnd end)
{
	return end == SIM_FD_READ ? 'r' : 'w';
}

/* A variable used but never set in body `b`. */
static gboolean unknown_var(Parser *p, const BodyBuilder *b, const VarInfo *v, SimLoc at)
{
	g_autoptr(GString) known = g_string_new(NULL);
	for (guint i = 0; i < b->vars->len; i++) {
		const VarInfo *k = &g_array_index(b->vars, VarInfo, i);
		if (k->assigned)
			g_string_append_printf(known, "%s%s", known->len ? ", " : "", k->name);
	}
	const char *here = known->len ? known->str : "none";
	if (v->use_fd && v->use_end != SIM_FD_PLAIN)
		return fail_at(p, at, E_NAME,
			       "unknown variable '%s' in '%s %s.%c' (variables here: %s): set it "
			       "with 'pipe -> %s'",
			       v->name, v->use_fd, v->name, end_char(v->use_end), here, v->name);
	if (v->use_fd && g_str_has_prefix(v->use_fd, "mq_"))
		return fail_at(p, at, E_NAME,
			       "unknown variable '%s' in '%s %s' (variables here: %s): set it with "
			       "'mq_open \"/name\" ... -> %s', or name a `posix queue` by its "
			       "\"/name\"",
			       v->name, v->use_fd, v->name, here, v->name);
	if (v->use_fd)
		return fail_at(p, at, E_NAME,
			       "unknown variable '%s' in '%s %s' (variables here: %s): set it with "
			       "'open \"PATH\" ... -> %s', or write a pipe end like p.r or a "
			       "descriptor number",
			       v->name, v->use_fd, v->name, here, v->name);
	g_autofree char *in =
		v->use_reply ? g_strdup_printf("in 'send $%s'", v->name) : g_strdup("in text");
	return fail_at(p, at, E_NAME, "unknown variable '%s' %s (variables here: %s)", v->name, in,
		       here);
}

/* An integer or pipe variable where a message is needed. */
static gboolean not_msg(Parser *p, const VarInfo *v, SimLoc at)
{
	g_autofree char *use = v->msg_reply ? g_strdup_printf("'send $%s'", v->name)
					    : g_strdup_printf("'$%s.from'", v->name);
	if (v->role == ROLE_QUEUE)
		return fail_at(p, at, E_NAME,
			       "variable '%s' holds a queue id, not a message: %s needs a "
			       "variable set by 'receive ... -> %s' or 'msgrcv ... -> %s'",
			       v->name, use, v->name, v->name);
	if (v->role == ROLE_FD)
		return fail_at(p, at, E_NAME,
			       "variable '%s' holds a descriptor, not a message: %s needs a "
			       "variable set by 'receive ... -> %s' or 'mq_receive ... -> %s'",
			       v->name, use, v->name, v->name);
	if (v->role == ROLE_PIPE || v->role == ROLE_STATUS)
		return fail_at(p, at, E_NAME,
			       "variable '%s' %s, not a message: %s needs a variable set by "
			       "'receive ... -> %s' or 'read ... -> %s'",
			       v->name, role_does[v->role], use, v->name, v->name);
	return fail_at(p, at, E_NAME,
		       "variable '%s' counts a repeat and holds no message: %s needs a "
		       "variable set by 'receive ... -> %s'",
		       v->name, use, v->name);
}

static gboolean report_var(Parser *p, const BodyBuilder *b, const VarInfo *v, SimLoc at,
			   VarProblem what)
{
	SimLoc set = v->set_loc;
	switch (what) {
	case BAD_UNKNOWN:
		return unknown_var(p, b, v, at);
	case BAD_NOT_FD:
		if (g_str_has_prefix(v->fd_how, "mq_"))
			return fail_at(p, at, E_NAME,
				       "variable '%s' holds a received message (set at %u:%u), not "
				       "a descriptor: %s needs a `posix queue` \"/name\" or a "
				       "variable set by 'mq_open ... -> %s'",
				       v->name, set.line, set.col, v->fd_how, v->name);
		return fail_at(
			p, at, E_NAME,
			"variable '%s' holds a received message (set at %u:%u), not a "
			"descriptor: %s needs a variable set by 'open ... -> %s', a pipe end "
			"like p.r or a descriptor number",
			v->name, set.line, set.col, v->fd_how, v->name);
	case BAD_NOT_MSG:
		return not_msg(p, v, at);
	case BAD_NOT_PIPE:
		return fail_at(p, at, E_NAME,
			       "variable '%s' %s (set at %u:%u), not a pipe: '%s %s.%c' needs a "
			       "variable set by 'pipe -> %s'",
			       v->name, role_does[v->role], set.line, set.col, v->end_how, v->name,
			       end_char(v->end), v->name);
	case BAD_PIPE_FD:
		return fail_at(
			p, at, E_NAME,
			"variable '%s' holds a pipe (set at %u:%u), not one descriptor: write "
			"%s.r (the read end) or %s.w (the write end) in '%s %s'",
			v->name, set.line, set.col, v->name, v->name, v->fd_how, v->name);
	case BAD_PIPE_TEXT:
		return fail_at(p, at, E_NAME,
			       "variable '%s' holds a pipe (set at %u:%u), which a text cannot "
			       "show: '$%s' needs an integer or message variable (the pipe's "
			       "descriptors are written %s.r and %s.w, as in 'close %s.w')",
			       v->name, set.line, set.col, v->name, v->name, v->name, v->name);
	}
	g_assert_not_reached();
}

/* Every `wait NAME` of a finished body must name a child that this body forks. */
static gboolean check_waits(Parser *p, const BodyBuilder *b)
{
	for (guint i = 0; i < b->waits->len; i++) {
		const WaitUse *w = &g_array_index(b->waits, WaitUse, i);
		/* Every child is declared by now: a process forked by this body, by name. */
		const NameDef *d = g_hash_table_lookup(p->names, w->name);
		const SimScnProc *pr = d && d->kind == NAME_PROC
					       ? &g_array_index(p->procs, SimScnProc, d->index)
					       : NULL;
		if (pr && pr->start == SIM_START_FORK && pr->parent == (int)b->proc) {
			add_ref(p, REF_WAIT, w->name, w->loc, w->stmt, 0, "after 'wait'");
			continue;
		}
		g_autoptr(GString) kids = g_string_new(NULL);
		for (guint j = 0; j < b->forks->len; j++) {
			guint child = g_array_index(b->forks, guint, j);
			const char *name = g_array_index(p->procs, SimScnProc, child).name;
			g_string_append_printf(kids, "%s%s", kids->len ? ", " : "", name);
		}
		return fail_at(p, w->loc, E_NAME,
			       "'%s' is not a child of process '%s': 'wait' needs a process that "
			       "this body forks with 'fork %s { ... }' (children here: %s)",
			       w->name, b->name, w->name, kids->len ? kids->str : "none");
	}
	return TRUE;
}

/* Checks the variable uses of a finished body (reporting the earliest problem) and its waits,
 * and hands the slots over to the body. */
static gboolean finish_vars(Parser *p, BodyBuilder *b, SimScnBody *body)
{
	const VarInfo *worst = NULL;
	VarProblem problem = BAD_UNKNOWN;
	SimLoc at = { G_MAXUINT, G_MAXUINT };
	for (guint i = 0; i < b->vars->len; i++) {
		const VarInfo *v = &g_array_index(b->vars, VarInfo, i);
		SimLoc where = { 0, 0 };
		VarProblem what = BAD_UNKNOWN;
		if (var_problem(v, &where, &what) && loc_before(where, at)) {
			worst = v;
			at = where;
			problem = what;
		}
	}
	if (worst)
		return report_var(p, b, worst, at, problem);
	if (!check_waits(p, b))
		return FALSE;
	/* The queues of msgsnd/msgrcv/msgctl learn which variable they would be; the whole
	 * file decides whether they are one (see resolve_queue). */
	for (guint i = 0; i < b->queues->len; i++) {
		QueueUse *q = &g_array_index(b->queues, QueueUse, i);
		int j = find_slot(b, q->name);
		const VarInfo *v = j >= 0 ? &g_array_index(b->vars, VarInfo, j) : NULL;
		if (v && v->assigned) {
			q->slot = j;
			q->role = v->role;
			q->set_loc = v->set_loc;
		}
		g_array_append_val(p->queue_uses, *q);
		q->name = NULL; /* p->queue_uses owns it now */
	}
	/* A fork body's inherited slots were checked with the parent's. */
	for (guint i = b->n_inherit; i < b->vars->len; i++) {
		const VarInfo *v = &g_array_index(b->vars, VarInfo, i);
		if (!v->assigned)
			continue;
		VarDef def = { g_strdup(v->name), v->set_loc };
		g_array_append_val(p->var_defs, def);
	}
	g_clear_pointer(&b->slots, g_hash_table_unref); /* its keys go to the body now */
	body->n_vars = b->vars->len;
	body->vars = g_new0(SimScnVar, MAX(body->n_vars, 1));
	for (guint i = 0; i < b->vars->len; i++) {
		VarInfo *v = &g_array_index(b->vars, VarInfo, i);
		body->vars[i].name = g_steal_pointer(&v->name);
		body->vars[i].is_int = v->is_int;
		body->vars[i].is_pipe = v->role == ROLE_PIPE;
	}
	body->max_depth = b->max_depth;
	return TRUE;
}

/* ---- Texts ---- */

static void add_lit(GArray *parts, GString *lit)
{
	if (!lit->len)
		return;
	SimTextPart part = { SIM_TEXT_LIT, g_strdup(lit->str), -1 };
	g_array_append_val(parts, part);
	g_string_truncate(lit, 0);
}

static void clear_part(gpointer data)
{
	g_free(((SimTextPart *)data)->lit);
}

static gboolean is_ident_char(char c)
{
	return g_ascii_isalnum(c) || c == '_';
}

/* What follows a '$' in a text, for an error: the character quoted, or "end of text". */
static char *after_dollar(const char *s)
{
	if (!*s)
		return g_strdup("end of text");
	return g_strdup_printf("'%.*s'", (int)char_len(s), s);
}

/* Splits a string into literal parts and $name, ${name}, $name.from, $self, $index parts;
 * $$ is a literal '$'. A text without variables keeps just `literal`. */
static gboolean parse_text(Parser *p, const Tok *t, SimText *out)
{
	const char *s = t->text;
	g_autoptr(GString) lit = g_string_new(NULL);
	g_autoptr(GArray) parts = array_new(sizeof(SimTextPart), clear_part);
	gboolean vars = FALSE;
	for (const char *c = s; *c;) {
		if (*c != '$' || c[1] == '$') {
			g_string_append_c(lit, *c);
			c += *c == '$' ? 2 : 1;
			continue;
		}
		/* The column is exact unless a \ escape comes before the '$'. */
		SimLoc at = { t->loc.line, t->loc.col + 1 + (guint)g_utf8_strlen(s, c - s) };
		gboolean brace = c[1] == '{';
		const char *n = c + (brace ? 2 : 1), *e = n;
		if (g_ascii_isalpha(*e) || *e == '_')
			while (is_ident_char(*e))
				e++;
		if (e == n) {
			g_autofree char *found = after_dollar(n);
			return fail_at(
				p, at, E_SYNTAX,
				brace ? "expected a variable name after '${' in text, found %s"
				      : "expected a variable name, {name} or $ after '$' in "
					"text, found %s",
				found);
		}
		g_autofree char *name = g_strndup(n, (gsize)(e - n));
		gboolean from = g_str_has_prefix(e, ".from") && !is_ident_char(e[5]);
		if (from)
			e += 5;
		if (brace && *e != '}') {
			g_autofree char *found = after_dollar(e);
			return fail_at(p, at, E_SYNTAX,
				       "expected '}' after '${%s%s' in text, found %s", name,
				       from ? ".from" : "", found);
		}
		c = brace ? e + 1 : e;
		SimTextPart part = { SIM_TEXT_VAR, NULL, -1 };
		if (is_builtin(name) && from)
			return fail_at(
				p, at, E_NAME,
				"'$%s.from': '%s' is built in and has no sender ('.from' needs "
				"a message variable)",
				name, name);
		if (strcmp(name, "self") == 0)
			part.kind = SIM_TEXT_SELF;
		else if (strcmp(name, "index") == 0)
			part.kind = SIM_TEXT_INDEX;
		else
			part = (SimTextPart){ from ? SIM_TEXT_VAR_FROM : SIM_TEXT_VAR, NULL,
					      use_var(p, name, at, from, FALSE) };
		add_lit(parts, lit);
		g_array_append_val(parts, part);
		vars = TRUE;
	}
	if (!vars) {
		out->literal = g_string_free(g_steal_pointer(&lit), FALSE);
		return TRUE;
	}
	add_lit(parts, lit);
	out->parts = steal_array(&parts, &out->n_parts);
	return TRUE;
}

static gboolean take_text(Parser *p, const char *ctx, SimText *out)
{
	const Tok *t = tok(p);
	if (t->kind != TOK_STRING)
		return expected(p, "a text in double quotes %s", ctx);
	if (!parse_text(p, t, out))
		return FALSE;
	advance(p);
	return TRUE;
}

/* ---- Statements ---- */

static gboolean parse_block(Parser *p, const char *ctx, SimBlock *out);

static StmtInfo *info_of(Parser *p, guint id)
{
	return &g_array_index(p->stmt_info, StmtInfo, id);
}

static gboolean parse_send(Parser *p, SimStmt *st)
{
	static const char *const keys[] = { "type", "prio", "to", "nowait", NULL };
	const Tok *t = tok(p);
	g_autofree char *target = NULL;
	st->ep.loc = t->loc;
	if (is_char(t, '$')) {
		g_autofree char *var = NULL;
		SimLoc loc;
		advance(p);
		if (!take_name(p, "a variable name after 'send $'", &var, &loc))
			return FALSE;
		if (is_builtin(var))
			return fail_at(p, t->loc, E_NAME,
				       "cannot reply to '$%s': 'send $v' needs a variable set by "
				       "'receive ... -> v'",
				       var);
		st->ep.kind = SIM_EP_VAR;
		st->ep.index = use_var(p, var, t->loc, TRUE, TRUE);
		target = g_strconcat("$", var, NULL);
	} else if (is_word(t, "any")) {
		return fail_tok(
			p, t, E_MISUSE,
			"cannot send to 'any': it is receive-only (expected a mailbox, port "
			"or process name)");
	} else if (is_name_word(t)) {
		add_ref(p, REF_TARGET, t->text, t->loc, st->id, 0, NULL);
		target = g_strdup(t->text);
		advance(p);
	} else {
		return expected(p, "a mailbox, port or process name after 'send'");
	}
	g_autofree char *ctx = g_strdup_printf("after 'send %s'", target);
	if (!take_text(p, ctx, &st->text))
		return FALSE;
	Opts o = { .what = "send", .keys = keys, .flags = 1u << 3 };
	int k;
	while ((k = take_opt(p, &o)) >= 0) {
		gboolean ok = TRUE;
		if (k == 0) {
			ok = take_int(p, "type", "after 'type='", 1, G_MAXINT64, &st->type);
		} else if (k == 1) {
			ok = take_int(p, "prio", "after 'prio='", 0, G_MAXINT64, &st->prio);
		} else if (k == 2) {
			g_autofree char *to = NULL;
			SimLoc loc;
			ok = take_name(p, "a process name after 'to='", &to, &loc);
			if (ok) {
				add_ref(p, REF_TO, to, loc, st->id, 0, "after 'to='");
				info_of(p, st->id)->to_loc = loc;
			}
		} else {
			st->nowait = TRUE;
		}
		if (!ok)
			return FALSE;
	}
	return k == OPT_END;
}

static gboolean parse_receive(Parser *p, SimStmt *st)
{
	static const char *const keys[] = { "nowait", NULL };
	const Tok *t = tok(p);
	st->ep.loc = t->loc;
	if (is_word(t, "any")) {
		st->ep.kind = SIM_EP_ANY;
	} else if (is_name_word(t)) {
		add_ref(p, REF_SOURCE, t->text, t->loc, st->id, 0, NULL);
	} else {
		return expected(p, "a mailbox, port or process name or 'any' after 'receive'");
	}
	advance(p);
	if (at_arrow(p)) {
		g_autofree char *var = NULL;
		SimLoc loc;
		advance(p);
		advance(p);
		if (!take_name(p, "a variable name after '->'", &var, &loc))
			return FALSE;
		st->var = assign_var(p, var, loc, ROLE_MESSAGE);
		if (st->var < 0)
			return FALSE;
	}
	Opts o = { .what = "receive", .keys = keys, .flags = 1u };
	int k;
	while ((k = take_opt(p, &o)) >= 0)
		st->nowait = TRUE;
	return k == OPT_END;
}

/* The body of a repeat or loop, one level deeper; `counter` is the repeat's `as` variable. */
static gboolean parse_loop_body(Parser *p, SimStmt *st, const Counter *counter, const char *ctx)
{
	BodyBuilder *b = p->body;
	if (counter->slot >= 0)
		g_array_append_val(b->counters, *counter);
	b->depth++;
	b->max_depth = MAX(b->max_depth, b->depth);
	gboolean ok = parse_block(p, ctx, &st->body);
	b->depth--;
	if (counter->slot >= 0)
		g_array_set_size(b->counters, b->counters->len - 1);
	return ok;
}

static gboolean parse_repeat(Parser *p, SimStmt *st)
{
	Counter counter = { -1, { 0, 0 } };
	if (!take_int(p, "repeat count", "after 'repeat'", 0, G_MAXINT64, &st->count))
		return FALSE;
	if (is_word(tok(p), "as")) {
		g_autofree char *var = NULL;
		advance(p);
		if (!take_name(p, "a variable name after 'as'", &var, &counter.loc))
			return FALSE;
		st->var = assign_var(p, var, counter.loc, ROLE_COUNTER);
		if (st->var < 0)
			return FALSE;
		counter.slot = st->var;
	}
	return parse_loop_body(p, st, &counter, "to start the body of 'repeat'");
}

static gboolean parse_break(Parser *p, SimStmt *st)
{
	if (p->body->depth == 0)
		return fail_at(
			p, st->loc, E_MISUSE,
			"'break' outside a repeat or loop: there is nothing to break out of");
	st->uncond = TRUE;
	if (!is_word(tok(p), "if"))
		return TRUE;
	advance(p);
	st->uncond = FALSE;
	return take_errno(p, "after 'break if'", TRUE, &st->break_err);
}

/* ---- SysV statements ---- */

/* The queue Q of msgsnd, msgrcv and msgctl: a `sysv queue` or an integer variable, which
 * only the whole file can tell (see resolve_queue). */
static gboolean take_queue(Parser *p, SimStmt *st, const char *how)
{
	const Tok *t = tok(p);
	if (!is_name_word(t))
		return expected(
			p, "a SysV queue name or a variable set by 'msgget ... -> v' after '%s'",
			how);
	QueueUse q = { st->id, g_strdup(t->text), t->loc, -1, ROLE_COUNTER, { 0, 0 }, how };
	g_array_append_val(p->body->queues, q);
	st->ep = (SimEndpoint){ SIM_EP_SYSVQ, -1, t->loc, SIM_FD_PLAIN };
	advance(p);
	return TRUE;
}

/* `-> VAR` among the options of msgget and msgrcv, at most once; `seen` is where. */
static gboolean take_arrow(Parser *p, SimStmt *st, VarRole role, SimLoc *seen)
{
	const Tok *arrow = tok(p);
	g_autofree char *var = NULL;
	SimLoc loc;
	if (seen->line)
		return fail_tok(p, arrow, E_SYNTAX, "repeated '->': already given at %u:%u",
				seen->line, seen->col);
	*seen = arrow->loc;
	advance(p);
	advance(p);
	if (!take_name(p, "a variable name after '->'", &var, &loc))
		return FALSE;
	st->var = assign_var(p, var, loc, role);
	return st->var >= 0;
}

/* The next option, after any `-> VAR` (which may come anywhere among the options and
 * stores a value of the given role): the option's index, OPT_END or OPT_ERR. */
static int take_opt_or_arrow(Parser *p, SimStmt *st, Opts *o, VarRole role, SimLoc *arrow)
{
	while (at_arrow(p))
		if (!take_arrow(p, st, role, arrow))
			return OPT_ERR;
	return take_opt(p, o);
}

/* One option of mq_open or open, or their `-> VAR`, in any order: returns the option's
 * index, OPT_END or OPT_ERR. Keys first_mode..last_mode are access modes, of which at most
 * one may be given (`modes` lists them for the error). */
static int take_open_opt(Parser *p, SimStmt *st, Opts *o, SimLoc *arrow, int first_mode,
			 int last_mode, int *access, const char *modes)
{
	int k = take_opt_or_arrow(p, st, o, ROLE_FD, arrow);
	if (k < first_mode || k > last_mode)
		return k;
	if (*access >= 0) {
		fail_at(p, o->seen[k], E_SYNTAX,
			"a second access mode '%s' (after '%s' at %u:%u): %s takes one of %s",
			o->keys[k], o->keys[*access], o->seen[*access].line, o->seen[*access].col,
			o->what, modes);
		return OPT_ERR;
	}
	*access = k;
	return k;
}

/* msgget key=K|private|ftok("PATH", ID) [create] [excl] [perm=MODE] [-> VAR] */
static gboolean parse_msgget(Parser *p, SimStmt *st)
{
	static const char *const keys[] = { "key", "create", "excl", "perm", NULL };
	Opts o = { .what = "msgget", .keys = keys, .flags = 1u << 1 | 1u << 2 };
	SimLoc arrow = { 0, 0 };
	for (;;) {
		int k = take_opt_or_arrow(p, st, &o, ROLE_QUEUE, &arrow);
		if (k == OPT_ERR)
			return FALSE;
		if (k == OPT_END)
			break;
		gboolean ok = TRUE;
		if (k == 0)
			ok = take_key(p, REF_FTOK_STMT, st->id, &st->key);
		else if (k == 1)
			st->flags |= SIM_IPC_CREAT;
		else if (k == 2)
			st->flags |= SIM_IPC_EXCL;
		else
			ok = take_mode(p, "perm", &st->perm);
		if (!ok)
			return FALSE;
	}
	if (!o.seen[0].line)
		return fail_at(p, st->loc, E_SYNTAX,
			       "msgget needs key=K, key=private or key=ftok(\"PATH\", ID)");
	return TRUE;
}

/* msgsnd Q TEXT [type=N] [size=N] [nowait]; the options may come before the text too, as
 * in `msgsnd q type=2 "x"`, which reads like the C call's struct msgbuf. */
static gboolean parse_msgsnd(Parser *p, SimStmt *st)
{
	static const char *const keys[] = { "type", "size", "nowait", NULL };
	const Tok *q = tok(p);
	if (!take_queue(p, st, "msgsnd"))
		return FALSE;
	g_autofree char *ctx = g_strdup_printf("after 'msgsnd %s'", q->text);
	Opts o = { .what = "msgsnd", .keys = keys, .flags = 1u << 2 };
	gboolean text = FALSE;
	int k;
	for (;;) {
		if (!text && tok(p)->kind == TOK_STRING) {
			if (!take_text(p, ctx, &st->text))
				return FALSE;
			text = TRUE;
			continue;
		}
		if ((k = take_opt(p, &o)) < 0)
			break;
		gboolean ok = TRUE;
		/* Any mtype parses: the kernel's EINVAL for one below 1 is part of the lesson. */
		if (k == 0) {
			ok = take_int(p, "type", "after 'type='", G_MININT64, G_MAXINT64,
				      &st->type);
		} else if (k == 1) {
			ok = take_int(p, "size", "after 'size='", 0, G_MAXINT64, &st->size);
		} else {
			st->flags |= SIM_IPC_NOWAIT;
			st->nowait = TRUE;
		}
		if (!ok)
			return FALSE;
	}
	if (k == OPT_ERR)
		return FALSE;
	return text || take_text(p, ctx, &st->text);
}

/* msgrcv Q [type=N] [size=N] [nowait] [except] [noerror] [-> VAR] */
static gboolean parse_msgrcv(Parser *p, SimStmt *st)
{
	static const char *const keys[] = { "type", "size", "nowait", "except", "noerror", NULL };
	static const guint flags[] = { 0, 0, SIM_IPC_NOWAIT, SIM_MSG_EXCEPT, SIM_MSG_NOERROR };
	if (!take_queue(p, st, "msgrcv"))
		return FALSE;
	Opts o = { .what = "msgrcv", .keys = keys, .flags = 1u << 2 | 1u << 3 | 1u << 4 };
	SimLoc arrow = { 0, 0 };
	for (;;) {
		int k = take_opt_or_arrow(p, st, &o, ROLE_MESSAGE, &arrow);
		if (k == OPT_ERR)
			return FALSE;
		if (k == OPT_END)
			return TRUE;
		gboolean ok = TRUE;
		if (k == 0)
			ok = take_int(p, "type", "after 'type='", G_MININT64, G_MAXINT64,
				      &st->type);
		else if (k == 1)
			ok = take_int(p, "size", "after 'size='", 0, G_MAXINT64, &st->size);
		st->flags |= flags[k];
		st->nowait = st->nowait || k == 2;
		if (!ok)
			return FALSE;
	}
}

/* msgctl Q stat|rmid|info|msg_info  and  msgctl Q set [qbytes=N] [mode=M] [uid=N] [gid=N] */
static gboolean parse_msgctl(Parser *p, SimStmt *st)
{
	static const char *const keys[] = { "qbytes", "mode", "uid", "gid", NULL };
	const Tok *q = tok(p);
	if (!take_queue(p, st, "msgctl"))
		return FALSE;
	g_autofree char *ctx = g_strdup_printf("after 'msgctl %s'", q->text);
	const Tok *cmd = tok(p);
	int c = take_choice(p, "msgctl command", ctx, ctl_names);
	if (c < 0)
		return FALSE;
	st->ctl = (SimCtlCmd)c;
	if (st->ctl != SIM_CTL_SET) {
		const Tok *t = tok(p);
		if (t->kind == TOK_WORD && is_char(peek(p, 1), '='))
			return fail_tok(
				p, t, E_SYNTAX,
				"unexpected option '%s' for msgctl %s: only 'msgctl %s set' "
				"takes qbytes=, mode=, uid= and gid=",
				t->text, ctl_names[c], q->text);
		return TRUE;
	}
	Opts o = { .what = "msgctl set", .keys = keys };
	int k;
	while ((k = take_opt(p, &o)) >= 0) {
		gboolean ok;
		if (k == 0)
			ok = take_int(p, "qbytes", "after 'qbytes='", 0, G_MAXINT64, &st->qbytes);
		else if (k == 1)
			ok = take_mode(p, "mode", &st->perm);
		else if (k == 2)
			ok = take_int(p, "uid", "after 'uid='", 0, G_MAXINT64, &st->set_uid);
		else
			ok = take_int(p, "gid", "after 'gid='", 0, G_MAXINT64, &st->set_gid);
		if (!ok)
			return FALSE;
	}
	if (k == OPT_ERR)
		return FALSE;
	if (!o.seen[0].line && !o.seen[1].line && !o.seen[2].line && !o.seen[3].line)
		return fail_tok(
			p, cmd, E_SYNTAX,
			"'msgctl %s set' needs at least one of qbytes=, mode=, uid= or gid=",
			q->text);
	return TRUE;
}

/* ---- Signal statements ---- */

/* kill PROC SIGNAME: the process is the statement's endpoint (SIM_EP_PROC). */
static gboolean parse_kill(Parser *p, SimStmt *st)
{
	g_autofree char *proc = NULL;
	SimLoc loc;
	if (!take_name(p, "a process name after 'kill'", &proc, &loc))
		return FALSE;
	st->ep = (SimEndpoint){ SIM_EP_PROC, -1, loc, SIM_FD_PLAIN };
	add_ref(p, REF_KILL, proc, loc, st->id, 0, "after 'kill'");
	g_autofree char *ctx = g_strdup_printf("after 'kill %s'", proc);
	const Tok *t = tok(p);
	if (!take_signal(p, ctx, &st->sig))
		return FALSE;
	if (st->sig == SIGSTOP || st->sig == SIGCONT)
		return fail_tok(p, t, E_MISUSE, "not supported yet: stopping processes (%s)",
				t->text);
	return TRUE;
}

/* on SIGNAME handler [norestart] | ignore | default */
static gboolean parse_on(Parser *p, SimStmt *st)
{
	const Tok *t = tok(p);
	if (!take_signal(p, "after 'on'", &st->sig))
		return FALSE;
	if (st->sig == SIGKILL || st->sig == SIGSTOP)
		return fail_tok(p, t, E_MISUSE,
				"%s cannot be caught or ignored: 'on %s' is not allowed", t->text,
				t->text);
	g_autofree char *ctx = g_strdup_printf("after 'on %s'", t->text);
	int a = take_choice(p, "signal action", ctx, action_names);
	st->action = (SimSigAction)MAX(a, 0);
	if (a < 0)
		return FALSE;
	const Tok *n = tok(p);
	if (!is_word(n, "norestart"))
		return TRUE;
	if (st->action != SIM_SIG_HANDLER)
		return fail_tok(
			p, n, E_SYNTAX,
			"unexpected 'norestart' after 'on %s %s': only 'handler' takes it (a "
			"handler without SA_RESTART)",
			t->text, action_names[a]);
	st->norestart = TRUE;
	advance(p);
	return TRUE;
}

/* ---- POSIX queue statements ---- */

/* The name of mq_open and mq_unlink: any string, for the kernel to judge (scenarios ask for
 * its answers to "", "noslash" and "/a/b" this way). It may use $ variables like a message
 * ("/reply$index", "$request"): st->text is the template, mq_name the text as written. */
static gboolean take_mq_name(Parser *p, SimStmt *st, const char *how)
{
	const Tok *t = tok(p);
	if (t->kind != TOK_STRING)
		return expected(p, "a queue name in double quotes, like \"/q\", after '%s'", how);
	st->mq_name = g_strdup(t->text);
	if (!parse_text(p, t, &st->text))
		return FALSE;
	advance(p);
	return TRUE;
}

/* The descriptor operand D of the mq_* calls (but mq_open and mq_unlink) and of close, read,
 * write, fcntl and ioctl, `how`:
 *   "/name"  a `posix queue` (mq_* only), looked up when the whole file has been read;
 *   7        the descriptor itself, SIM_EP_FDNUM (0 to FD_MAX);
 *   v        an integer variable of the body, checked when the body ends;
 *   p.r p.w  an end of a pipe variable (GScanner reads word '.' word: all three glued).
 * `ctx`, when not NULL, gets "after 'how D'" for the errors of what follows. */
static gboolean take_fd(Parser *p, SimStmt *st, const char *how, char **ctx)
{
	gboolean mq = g_str_has_prefix(how, "mq_");
	const Tok *t = tok(p), *dot = peek(p, 1), *end = peek(p, 2);
	guint first = p->pos;
	if (t->kind == TOK_STRING && mq) {
		st->ep = (SimEndpoint){ SIM_EP_PQ, -1, t->loc, SIM_FD_PLAIN };
		add_ref(p, REF_POSIXQ, t->text, t->loc, st->id, 0, NULL);
		advance(p);
	} else if (is_number_word(t) && is_char(dot, '.') && dot->glued && end->glued &&
		   end->kind == TOK_WORD) {
		return fail_tok(p, t, E_NUMBER,
				"bad descriptor '%s.%s': a descriptor number is a whole number; "
				"only a pipe variable has ends (p.r, p.w)",
				t->text, end->text);
	} else if (is_number_word(t) || at_negative(p)) {
		gint64 fd = 0;
		g_autofree char *after = g_strdup_printf("after '%s'", how);
		if (!take_int_in(p, "descriptor", after, 0, FD_MAX,
				 "a descriptor from 0 to 1048576 (fs.nr_open)", &fd))
			return FALSE;
		st->ep = (SimEndpoint){ SIM_EP_FDNUM, (int)fd, t->loc, SIM_FD_PLAIN };
	} else if (is_name_word(t)) {
		SimFdEnd which = SIM_FD_PLAIN;
		if (is_char(dot, '.') && !dot->glued)
			return expected_at(p, dot,
					   "a pipe end written %s.r or %s.w, without blanks, after "
					   "'%s %s'",
					   t->text, t->text, how, t->text);
		if (is_char(dot, '.')) {
			if (!end->glued || !(is_word(end, "r") || is_word(end, "w")))
				return expected_at(
					p, end,
					"r or w right after '%s.' (a pipe end is written "
					"%s.r or %s.w, without blanks)",
					t->text, t->text, t->text);
			which = is_word(end, "r") ? SIM_FD_READ : SIM_FD_WRITE;
		}
		st->ep = (SimEndpoint){ SIM_EP_FDVAR, use_fd_var(p, t->text, t->loc, how, which),
					t->loc, which };
		advance(p);
		if (which != SIM_FD_PLAIN) {
			advance(p);
			advance(p);
		}
	} else if (mq) {
		return expected(
			p,
			"a `posix queue` \"/name\", a variable set by 'mq_open ... -> d' or a "
			"descriptor number after '%s'",
			how);
	} else {
		return expected(
			p,
			"a descriptor after '%s': a variable set by 'open ... -> d', a pipe "
			"end like p.r or p.w, or a number",
			how);
	}
	if (ctx) {
		const Tok *last = &g_array_index(p->toks, Tok, p->pos - 1);
		const Tok *from = &g_array_index(p->toks, Tok, first);
		*ctx = t->kind == TOK_STRING ? g_strdup_printf("after '%s \"%s\"'", how, t->text)
					     : g_strdup_printf("after '%s %.*s'", how,
							       (int)(last->end - from->start),
							       p->src + from->start);
	}
	return TRUE;
}

/* mq_send and mq_receive block or not as their descriptor says (O_NONBLOCK), and read and
 * write take `nonblock`: a `nowait` after them would be a mistake, so it gets an error of its
 * own. */
static gboolean no_nowait(Parser *p, const char *how)
{
	const Tok *t = tok(p);
	if (!is_word(t, "nowait"))
		return TRUE;
	if (!g_str_has_prefix(how, "mq_"))
		return fail_tok(p, t, E_SYNTAX,
				"'nowait' is not an option of %s: write 'nonblock' for this call "
				"alone, or 'fcntl D nonblock' for every call on the descriptor",
				how);
	return fail_tok(p, t, E_SYNTAX,
			"'nowait' is not an option of %s: the call does not block when its "
			"descriptor is non-blocking ('mq_open ... nonblock' or 'mq_setattr D "
			"nonblock')",
			how);
}

/* timeout=T, timeout=bad or deadline=T, keys[k] of `o`; keys[other] is the other one, and a
 * call has one timeout. */
static gboolean take_timeout(Parser *p, SimStmt *st, const Opts *o, int k, int other)
{
	gboolean deadline = strcmp(o->keys[k], "deadline") == 0;
	const Tok *t = tok(p);
	if (o->seen[other].line)
		return fail_at(
			p, o->seen[k], E_SYNTAX,
			"'%s=' cannot be given with '%s=' (at %u:%u): a call has one timeout",
			o->keys[k], o->keys[other], o->seen[other].line, o->seen[other].col);
	if (is_word(t, "bad") && deadline)
		return fail_tok(p, t, E_NUMBER,
				"bad deadline 'bad': a malformed timeout is written timeout=bad");
	if (is_word(t, "bad")) {
		st->timeout = SIM_TIMEOUT_INVALID;
		advance(p);
		return TRUE;
	}
	st->timeout = deadline ? SIM_TIMEOUT_ABSOLUTE : SIM_TIMEOUT_RELATIVE;
	return take_time(p, deadline ? "after 'deadline='" : "or bad after 'timeout='",
			 &st->timeout_at);
}

/* mq_open "NAME" [create] [excl] [rdonly|wronly|rdwr|wronly_rdwr] [nonblock] [perm=MODE]
 * [maxmsg=N msgsize=N] [-> VAR], the options and `-> VAR` in any order. */
static gboolean parse_mq_open(Parser *p, SimStmt *st)
{
	static const char *const keys[] = { "create", "excl",	     "rdonly",	 "wronly",
					    "rdwr",   "wronly_rdwr", "nonblock", "perm",
					    "maxmsg", "msgsize",     NULL };
	static const guint flags[] = { SIM_O_CREAT, SIM_O_EXCL,	    SIM_O_RDONLY,  SIM_O_WRONLY,
				       SIM_O_RDWR,  SIM_O_ACCMODE3, SIM_O_NONBLOCK };
	enum { K_RDONLY = 2, K_ACCMODE3 = 5, K_NONBLOCK = 6, K_PERM, K_MAXMSG, K_MSGSIZE };
	if (!take_mq_name(p, st, "mq_open"))
		return FALSE;
	Opts o = { .what = "mq_open", .keys = keys, .flags = (1u << (K_NONBLOCK + 1)) - 1 };
	SimLoc arrow = { 0, 0 };
	int access = -1;
	for (;;) {
		int k = take_open_opt(p, st, &o, &arrow, K_RDONLY, K_ACCMODE3, &access,
				      "rdonly, wronly, rdwr or wronly_rdwr");
		if (k == OPT_ERR)
			return FALSE;
		if (k == OPT_END)
			break;
		gboolean ok = TRUE;
		/* Any mq_attr parses, 0 and negative ones too: the kernel's EINVAL is a lesson. */
		if (k <= K_NONBLOCK)
			st->flags |= flags[k];
		else if (k == K_PERM)
			ok = take_mode(p, "perm", &st->perm);
		else if (k == K_MAXMSG)
			ok = take_int(p, "maxmsg", "after 'maxmsg='", G_MININT64, G_MAXINT64,
				      &st->maxmsg);
		else
			ok = take_int(p, "msgsize", "after 'msgsize='", G_MININT64, G_MAXINT64,
				      &st->msgsize);
		if (!ok)
			return FALSE;
	}
	if (access < 0)
		st->flags |= SIM_O_RDONLY; /* O_RDONLY is 0 in C: what no access word means */
	/* maxmsg and msgsize are the two fields of one struct mq_attr: both or neither. */
	SimLoc max = o.seen[K_MAXMSG], size = o.seen[K_MSGSIZE];
	if (!max.line != !size.line)
		return fail_at(p, max.line ? max : size, E_SYNTAX,
			       "%s= needs %s= too: they are mq_open's struct mq_attr, given both "
			       "or not at all",
			       max.line ? "maxmsg" : "msgsize", max.line ? "msgsize" : "maxmsg");
	if (max.line && st->maxmsg == -1 && st->msgsize == -1)
		return fail_at(p, max, E_NUMBER,
			       "maxmsg=-1 msgsize=-1 cannot be told from no mq_attr at all (the "
			       "defaults): for the kernel's EINVAL give a value below 1 other than "
			       "-1, like maxmsg=0");
	return TRUE;
}

/* mq_send D TEXT [prio=N] [size=N] [timeout=T|timeout=bad|deadline=T] */
static gboolean parse_mq_send(Parser *p, SimStmt *st)
{
	static const char *const keys[] = { "prio", "size", "timeout", "deadline", NULL };
	g_autofree char *ctx = NULL;
	if (!take_fd(p, st, "mq_send", &ctx) || !take_text(p, ctx, &st->text))
		return FALSE;
	Opts o = { .what = "mq_send", .keys = keys };
	int k;
	while ((k = take_opt(p, &o)) >= 0) {
		gboolean ok;
		/* Any prio parses: the kernel's EINVAL from MQ_PRIO_MAX (32768) up is a lesson. */
		if (k == 0)
			ok = take_int(p, "prio", "after 'prio='", 0, G_MAXINT64, &st->prio);
		else if (k == 1)
			ok = take_int(p, "size", "after 'size='", 0, G_MAXINT64, &st->size);
		else
			ok = take_timeout(p, st, &o, k, k == 2 ? 3 : 2);
		if (!ok)
			return FALSE;
	}
	return k == OPT_END && no_nowait(p, "mq_send");
}

/* mq_receive D [size=N] [timeout=T|timeout=bad|deadline=T] [-> VAR] */
static gboolean parse_mq_receive(Parser *p, SimStmt *st)
{
	static const char *const keys[] = { "size", "timeout", "deadline", NULL };
	if (!take_fd(p, st, "mq_receive", NULL))
		return FALSE;
	Opts o = { .what = "mq_receive", .keys = keys };
	SimLoc arrow = { 0, 0 };
	for (;;) {
		int k = take_opt_or_arrow(p, st, &o, ROLE_MESSAGE, &arrow);
		if (k == OPT_ERR)
			return FALSE;
		if (k == OPT_END)
			return no_nowait(p, "mq_receive");
		gboolean ok =
			k == 0 ? take_int(p, "size", "after 'size='", 0, G_MAXINT64, &st->size)
			       : take_timeout(p, st, &o, k, k == 1 ? 2 : 1);
		if (!ok)
			return FALSE;
	}
}

/* mq_setattr D nonblock|block: sets or clears O_NONBLOCK, the only flag it changes. */
static gboolean parse_mq_setattr(Parser *p, SimStmt *st)
{
	static const char *const modes[] = { "nonblock", "block", NULL };
	g_autofree char *ctx = NULL;
	if (!take_fd(p, st, "mq_setattr", &ctx))
		return FALSE;
	int m = take_choice(p, "mq_setattr flag", ctx, modes);
	st->flags = m == 0 ? SIM_O_NONBLOCK : 0;
	return m >= 0;
}

/* mq_notify D signal=SIGNAME|none|off */
static gboolean parse_mq_notify(Parser *p, SimStmt *st)
{
	g_autofree char *ctx = NULL;
	if (!take_fd(p, st, "mq_notify", &ctx))
		return FALSE;
	const Tok *t = tok(p);
	if (is_word(t, "none") || is_word(t, "off")) {
		st->notify = is_word(t, "none") ? SIM_NOTIFY_NONE : SIM_NOTIFY_OFF;
		advance(p);
		return TRUE;
	}
	if (!is_word(t, "signal"))
		return expected(p, "signal=SIGNAME, none or off %s", ctx);
	if (!is_char(peek(p, 1), '='))
		return expected_at(p, peek(p, 1), "'=' after 'signal'");
	advance(p);
	advance(p);
	const Tok *sig = tok(p);
	st->notify = SIM_NOTIFY_SIGNAL;
	if (!take_signal(p, "after 'signal='", &st->sig))
		return FALSE;
	if (st->sig == SIGSTOP || st->sig == SIGCONT)
		return fail_tok(p, sig, E_MISUSE, "not supported yet: stopping processes (%s)",
				sig->text);
	return TRUE;
}

/* ---- Pipes, FIFOs and processes ---- */

static SimScnBody *parse_body(Parser *p, const char *ctx, guint proc, guint n_procs,
			      const char *name, const BodyBuilder *parent);

/* pipe [nonblock] -> VAR: the variable is required, since it is the only way to the ends. */
static gboolean parse_pipe(Parser *p, SimStmt *st)
{
	static const char *const keys[] = { "nonblock", NULL };
	Opts o = { .what = "pipe", .keys = keys, .flags = 1u };
	SimLoc arrow = { 0, 0 };
	for (;;) {
		int k = take_opt_or_arrow(p, st, &o, ROLE_PIPE, &arrow);
		if (k == OPT_ERR)
			return FALSE;
		if (k == OPT_END)
			break;
		st->flags |= SIM_O_NONBLOCK;
	}
	if (is_word(tok(p), "nowait"))
		return fail_tok(
			p, tok(p), E_SYNTAX,
			"'nowait' is not an option of pipe: write 'nonblock' (O_NONBLOCK on "
			"both ends)");
	if (!arrow.line)
		return expected(p, "'-> VAR' after 'pipe' (a pipe needs a variable for its ends, "
				   "VAR.r and VAR.w)");
	return TRUE;
}

/* read D [size=N] [nonblock] [-> VAR] */
static gboolean parse_read(Parser *p, SimStmt *st)
{
	static const char *const keys[] = { "size", "nonblock", NULL };
	if (!take_fd(p, st, "read", NULL))
		return FALSE;
	Opts o = { .what = "read", .keys = keys, .flags = 1u << 1 };
	SimLoc arrow = { 0, 0 };
	for (;;) {
		int k = take_opt_or_arrow(p, st, &o, ROLE_MESSAGE, &arrow);
		if (k == OPT_ERR)
			return FALSE;
		if (k == OPT_END)
			return no_nowait(p, "read");
		if (k == 0 && !take_int(p, "size", "after 'size='", 0, G_MAXINT64, &st->size))
			return FALSE;
		st->nowait = st->nowait || k == 1;
	}
}

/* write D TEXT [size=N] [nonblock]  or  write D size=N [nonblock]; the text may come among
 * the options, as in msgsnd. */
static gboolean parse_write(Parser *p, SimStmt *st)
{
	static const char *const keys[] = { "size", "nonblock", NULL };
	g_autofree char *ctx = NULL;
	if (!take_fd(p, st, "write", &ctx))
		return FALSE;
	Opts o = { .what = "write", .keys = keys, .flags = 1u << 1 };
	gboolean text = FALSE;
	for (;;) {
		if (!text && tok(p)->kind == TOK_STRING) {
			if (!take_text(p, ctx, &st->text))
				return FALSE;
			text = TRUE;
			continue;
		}
		int k = take_opt(p, &o);
		if (k == OPT_ERR)
			return FALSE;
		if (k == OPT_END)
			break;
		if (k == 0 && !take_int(p, "size", "after 'size='", 0, G_MAXINT64, &st->size))
			return FALSE;
		st->nowait = st->nowait || k == 1;
	}
	if (!no_nowait(p, "write"))
		return FALSE;
	if (!text && !o.seen[0].line)
		return expected(p, "a text in double quotes or size=N %s", ctx);
	return TRUE;
}

/* fcntl D getpipe_sz | setpipe_sz=N | nonblock | block: one command, in SimFcntlCmd order. */
static gboolean parse_fcntl(Parser *p, SimStmt *st)
{
	static const char *const cmds[] = { "getpipe_sz", "setpipe_sz", "nonblock", "block", NULL };
	static const char *const list = "getpipe_sz, setpipe_sz=N, nonblock or block";
	g_autofree char *ctx = NULL;
	if (!take_fd(p, st, "fcntl", &ctx))
		return FALSE;
	const Tok *t = tok(p), *eq = peek(p, 1);
	if (t->kind != TOK_WORD)
		return expected(p, "%s %s", list, ctx);
	int c = pick(t->text, cmds);
	if (is_word(t, "fionread"))
		return fail_tok(p, t, E_SYNTAX,
				"'fionread' is a request of ioctl, not a command of fcntl: write "
				"'ioctl D fionread'");
	if (c < 0)
		return fail_tok(p, t, E_SYNTAX, "bad fcntl command '%s': expected %s", t->text,
				list);
	st->fcntl = (SimFcntlCmd)c;
	if (st->fcntl == SIM_FCNTL_SETPIPE_SZ && !is_char(eq, '='))
		return expected_at(p, eq, "'=' after 'setpipe_sz'");
	if (st->fcntl != SIM_FCNTL_SETPIPE_SZ && is_char(eq, '='))
		return fail_tok(p, eq, E_SYNTAX, "unexpected '=' after '%s': it takes no value",
				t->text);
	advance(p);
	if (st->fcntl == SIM_FCNTL_SETPIPE_SZ) {
		advance(p);
		/* Any size parses: the kernel's EINVAL for a bad one is part of the lesson. */
		if (!take_int(p, "setpipe_sz", "after 'setpipe_sz='", G_MININT64, G_MAXINT64,
			      &st->size))
			return FALSE;
	}
	const Tok *again = tok(p);
	if (again->kind == TOK_WORD && pick(again->text, cmds) >= 0)
		return fail_tok(
			p, again, E_SYNTAX,
			"a second fcntl command '%s' (after '%s' at %u:%u): fcntl takes one "
			"of %s",
			again->text, cmds[c], t->loc.line, t->loc.col, list);
	return TRUE;
}

/* ioctl D fionread */
static gboolean parse_ioctl(Parser *p, SimStmt *st)
{
	g_autofree char *ctx = NULL;
	if (!take_fd(p, st, "ioctl", &ctx))
		return FALSE;
	const Tok *t = tok(p);
	if (t->kind != TOK_WORD)
		return expected(p, "fionread %s", ctx);
	if (!is_word(t, "fionread"))
		return fail_tok(p, t, E_SYNTAX, "bad ioctl request '%s': expected fionread",
				t->text);
	st->fcntl = SIM_FCNTL_FIONREAD;
	advance(p);
	return TRUE;
}

/* fork NAME { BODY }. The child is appended to the processes here, so it follows its parent
 * (and the children forked before it, with theirs) without moving any index handed out so
 * far; it copies the parent's declared options, and its body starts with the parent's
 * variable slots as they are now. */
static gboolean parse_fork(Parser *p, SimStmt *st)
{
	BodyBuilder *b = p->body;
	g_autofree char *name = NULL;
	SimLoc loc;
	if (b->n_procs > 1)
		return fail_at(p, st->loc, E_MISUSE,
			       "'fork' in replicated process '%s[%u]': each fork names one child, "
			       "and %u replicas cannot all make it (expected fork in a process "
			       "that is not replicated)",
			       b->name, b->n_procs, b->n_procs);
	if (b->depth > 0)
		return fail_at(p, st->loc, E_MISUSE,
			       "'fork' inside a repeat or loop: each fork names one child, so it "
			       "runs at most once (expected it outside every repeat and loop)");
	if (!take_name(p, "a process name after 'fork'", &name, &loc) ||
	    !not_reserved(p, name, loc, "process"))
		return FALSE;
	/* The child gets a copy of each slot, so each must have its value by now. A fork is
	 * in no loop, so what is written before it has run before it. */
	for (guint i = 0; i < b->vars->len; i++) {
		const VarInfo *v = &g_array_index(b->vars, VarInfo, i);
		if (!v->assigned)
			return fail_at(p, v->use_loc, E_NAME,
				       "variable '%s' is used before 'fork %s' (at %u:%u) but not "
				       "set before it: the child starts with a copy of the "
				       "variables set before the fork",
				       v->name, name, st->loc.line, st->loc.col);
	}
	guint index = p->procs->len;
	if (index + 1 > SIM_SCN_MAX_PROCS)
		return fail_at(p, loc, SIM_SCN_ERROR_LIMIT,
			       "too many processes: 'fork %s' makes one more than %d (a scenario "
			       "may have at most %d, replicas and forked children included)",
			       name, SIM_SCN_MAX_PROCS, SIM_SCN_MAX_PROCS);
	/* Each child copies every slot of its parent, so forks times variables could grow
	 * much faster than the file: the copies are counted and capped. */
	if (b->vars->len > SIM_SCN_MAX_SLOTS - p->n_slots)
		return fail_at(p, loc, SIM_SCN_ERROR_LIMIT,
			       "too many copied variables: 'fork %s' copies the %u variables of "
			       "'%s', and forked children may hold at most %d copies in all",
			       name, b->vars->len, b->name, SIM_SCN_MAX_SLOTS);
	p->n_slots += b->vars->len;
	SimScnProc child = g_array_index(p->procs, SimScnProc, b->proc);
	child.name = g_strdup(name);
	child.loc = loc;
	child.start = SIM_START_FORK;
	child.start_time = 0;
	child.start_after = -1;
	child.parent = (int)b->proc;
	child.replica = 0;
	child.body = NULL;
	g_array_append_val(p->procs, child);
	if (!declare(p, name, loc, NAME_PROC, index))
		return FALSE;
	st->ep = (SimEndpoint){ SIM_EP_PROC, (int)index, loc, SIM_FD_PLAIN };
	st->n_inherit = b->vars->len;
	g_array_append_val(b->forks, index);
	g_autofree char *ctx = g_strdup_printf("to start the body of 'fork %s'", name);
	SimScnBody *body = parse_body(p, ctx, index, 1, name, b);
	if (!body)
		return FALSE;
	g_array_index(p->procs, SimScnProc, index).body = body;
	return TRUE;
}

/* wait NAME [-> VAR]: NAME is checked against the body's forks when the body ends. */
static gboolean parse_wait(Parser *p, SimStmt *st)
{
	WaitUse w = { st->id, NULL, { 0, 0 } };
	SimLoc arrow = { 0, 0 };
	if (!take_name(p, "a child process name after 'wait'", &w.name, &w.loc))
		return FALSE;
	st->ep = (SimEndpoint){ SIM_EP_PROC, -1, w.loc, SIM_FD_PLAIN };
	g_array_append_val(p->body->waits, w);
	return !at_arrow(p) || take_arrow(p, st, ROLE_STATUS, &arrow);
}

/* The PATH of mkfifo, open and unlink: any string, for the file system to judge; it may use
 * $ variables like a message ("/tmp/fifo$index"). st->text holds it. */
static gboolean take_path(Parser *p, SimStmt *st, const char *how)
{
	const Tok *t = tok(p);
	if (t->kind != TOK_STRING)
		return expected(p, "a path in double quotes, like \"/tmp/fifo\", after '%s'", how);
	if (!parse_text(p, t, &st->text))
		return FALSE;
	advance(p);
	return TRUE;
}

/* mkfifo PATH [perm=MODE] */
static gboolean parse_mkfifo(Parser *p, SimStmt *st)
{
	static const char *const keys[] = { "perm", NULL };
	if (!take_path(p, st, "mkfifo"))
		return FALSE;
	Opts o = { .what = "mkfifo", .keys = keys };
	int k;
	while ((k = take_opt(p, &o)) >= 0)
		if (!take_mode(p, "perm", &st->perm))
			return FALSE;
	return k == OPT_END;
}

/* open PATH [rdonly|wronly|rdwr] [nonblock] [-> VAR], the options and `-> VAR` in any order. */
static gboolean parse_open(Parser *p, SimStmt *st)
{
	static const char *const keys[] = { "rdonly", "wronly", "rdwr", "nonblock", NULL };
	static const guint flags[] = { SIM_O_RDONLY, SIM_O_WRONLY, SIM_O_RDWR, SIM_O_NONBLOCK };
	enum { K_RDWR = 2, K_NONBLOCK };
	if (!take_path(p, st, "open"))
		return FALSE;
	Opts o = { .what = "open", .keys = keys, .flags = 0xf };
	SimLoc arrow = { 0, 0 };
	int access = -1;
	for (;;) {
		int k = take_open_opt(p, st, &o, &arrow, 0, K_RDWR, &access,
				      "rdonly, wronly or rdwr");
		if (k == OPT_ERR)
			return FALSE;
		if (k == OPT_END)
			break;
		st->flags |= flags[k];
	}
	if (access < 0)
		st->flags |= SIM_O_RDONLY; /* O_RDONLY is 0 in C: what no access word means */
	const Tok *t = tok(p);
	if (is_word(t, "create") || is_word(t, "excl"))
		return fail_tok(
			p, t, E_SYNTAX,
			"'%s' is not an option of open: it opens a FIFO that exists (make one "
			"with 'mkfifo PATH')",
			t->text);
	return TRUE;
}

/* ipcs [-p|-t|-l] */
static gboolean parse_ipcs(Parser *p, SimStmt *st)
{
	static const char *const views[] = { "p", "t", "l", NULL };
	const Tok *dash = tok(p), *t = peek(p, 1);
	if (!is_char(dash, '-'))
		return TRUE;
	if (t->kind != TOK_WORD || !t->glued)
		return expected_at(p, t, "p, t or l right after the '-' of 'ipcs -'");
	if (pick(t->text, views) < 0)
		return fail_tok(p, dash, E_SYNTAX, "bad ipcs option '-%s': expected -p, -t or -l",
				t->text);
	st->view = t->text[0];
	advance(p);
	advance(p);
	return TRUE;
}

/* A word that is not a statement: say what it is, since a missing '}' is the usual cause
 * of a declaration showing up here. */
static gboolean bad_stmt(Parser *p, const Tok *t, SimLoc open)
{
	if (pick(t->text, decl_words) >= 0)
		return fail_tok(
			p, t, E_SYNTAX,
			"'%s' starts a declaration, not a statement: is the '}' for the '{' "
			"at %u:%u missing?",
			t->text, open.line, open.col);
	g_autofree char *list = either(stmt_words);
	return fail_tok(p, t, E_SYNTAX, "unknown statement '%s' (expected %s)", t->text, list);
}

static gboolean add_label(Parser *p, const char *label, SimLoc loc, guint id)
{
	const LabelDef *old = g_hash_table_lookup(p->labels, label);
	if (old)
		return fail_at(p, loc, E_NAME, "duplicate label '%s': already declared at %u:%u",
			       label, old->loc.line, old->loc.col);
	LabelDef *d = g_new(LabelDef, 1);
	*d = (LabelDef){ id, loc };
	g_hash_table_insert(p->labels, g_strdup(label), d);
	return TRUE;
}

/* One statement with its optional label, appended to `into`; `open` is the enclosing '{'. */
static gboolean parse_stmt(Parser *p, GArray *into, SimLoc open)
{
	g_auto(SimStmt) st = { 0 };
	const Tok *t = tok(p);
	if (is_char(t, '@')) {
		SimLoc name_loc;
		st.label_loc = t->loc;
		advance(p);
		if (!take_name(p, "a label name after '@'", &st.label, &name_loc))
			return FALSE;
		t = tok(p);
		if (t->kind != TOK_WORD)
			return expected(p, "a statement after the label '@%s'", st.label);
	}
	if (t->kind != TOK_WORD)
		return expected(p, "a statement or '}'");
	int kind = pick(t->text, stmt_words);
	if (kind < 0)
		return bad_stmt(p, t, open);
	st.kind = (SimStmtKind)kind;
	st.loc = t->loc;
	st.id = p->n_stmts++;
	st.ep = (SimEndpoint){ SIM_EP_MBOX, -1, { 0, 0 }, SIM_FD_PLAIN };
	st.type = st.kind == SIM_STMT_MSGRCV ? 0 : 1;
	st.to = -1;
	st.var = -1;
	st.key = (SimKey){ SIM_KEY_PRIVATE, 0, -1 };
	st.perm = st.kind == SIM_STMT_MSGCTL	? -1
		  : st.kind == SIM_STMT_MQ_OPEN ? 0600
		  : st.kind == SIM_STMT_MKFIFO	? FIFO_MODE
						: 0;
	st.size = st.kind == SIM_STMT_READ ? READ_SIZE : -1;
	st.maxmsg = -1;
	st.msgsize = -1;
	st.timeout = SIM_TIMEOUT_NONE;
	st.qbytes = -1;
	st.set_uid = -1;
	st.set_gid = -1;
	st.view = 'q';
	StmtInfo info = { p->body->index, { 0, 0 } };
	g_array_append_val(p->stmt_info, info);
	if (st.label && !add_label(p, st.label, st.label_loc, st.id))
		return FALSE;
	advance(p);

	gboolean ok = FALSE;
	switch (st.kind) {
	case SIM_STMT_SEND:
		ok = parse_send(p, &st);
		break;
	case SIM_STMT_RECEIVE:
		ok = parse_receive(p, &st);
		break;
	case SIM_STMT_COMPUTE:
		ok = take_time(p, "after 'compute'", &st.duration);
		break;
	case SIM_STMT_SLEEP:
		ok = take_time(p, "after 'sleep'", &st.duration);
		break;
	case SIM_STMT_PRINT:
		ok = take_text(p, "after 'print'", &st.text);
		break;
	case SIM_STMT_EXIT:
		ok = !(is_number_word(tok(p)) || at_negative(p)) ||
		     take_int(p, "exit status", "after 'exit'", 0, 255, &st.count);
		break;
	case SIM_STMT_REPEAT:
		ok = parse_repeat(p, &st);
		break;
	case SIM_STMT_LOOP:
		ok = parse_loop_body(p, &st, &(Counter){ -1, { 0, 0 } },
				     "to start the body of 'loop'");
		break;
	case SIM_STMT_BREAK:
		ok = parse_break(p, &st);
		break;
	case SIM_STMT_MSGGET:
		ok = parse_msgget(p, &st);
		break;
	case SIM_STMT_MSGSND:
		ok = parse_msgsnd(p, &st);
		break;
	case SIM_STMT_MSGRCV:
		ok = parse_msgrcv(p, &st);
		break;
	case SIM_STMT_MSGCTL:
		ok = parse_msgctl(p, &st);
		break;
	case SIM_STMT_KILL:
		ok = parse_kill(p, &st);
		break;
	case SIM_STMT_ON:
		ok = parse_on(p, &st);
		break;
	case SIM_STMT_IPCS:
		ok = parse_ipcs(p, &st);
		break;
	case SIM_STMT_MQ_OPEN:
		ok = parse_mq_open(p, &st);
		break;
	case SIM_STMT_MQ_SEND:
		ok = parse_mq_send(p, &st);
		break;
	case SIM_STMT_MQ_RECEIVE:
		ok = parse_mq_receive(p, &st);
		break;
	case SIM_STMT_MQ_SETATTR:
		ok = parse_mq_setattr(p, &st);
		break;
	case SIM_STMT_MQ_NOTIFY:
		ok = parse_mq_notify(p, &st);
		break;
	case SIM_STMT_MQ_GETATTR:
		ok = take_fd(p, &st, "mq_getattr", NULL);
		break;
	case SIM_STMT_MQ_CLOSE:
		ok = take_fd(p, &st, "mq_close", NULL);
		break;
	case SIM_STMT_MQ_UNLINK:
		ok = take_mq_name(p, &st, "mq_unlink");
		break;
	case SIM_STMT_PIPE:
		ok = parse_pipe(p, &st);
		break;
	case SIM_STMT_CLOSE:
		ok = take_fd(p, &st, "close", NULL);
		break;
	case SIM_STMT_READ:
		ok = parse_read(p, &st);
		break;
	case SIM_STMT_WRITE:
		ok = parse_write(p, &st);
		break;
	case SIM_STMT_FCNTL:
		ok = parse_fcntl(p, &st);
		break;
	case SIM_STMT_IOCTL:
		ok = parse_ioctl(p, &st);
		break;
	case SIM_STMT_FORK:
		ok = parse_fork(p, &st);
		break;
	case SIM_STMT_WAIT:
		ok = parse_wait(p, &st);
		break;
	case SIM_STMT_MKFIFO:
		ok = parse_mkfifo(p, &st);
		break;
	case SIM_STMT_OPEN:
		ok = parse_open(p, &st);
		break;
	case SIM_STMT_UNLINK:
		ok = take_path(p, &st, "unlink");
		break;
	}
	if (!ok)
		return FALSE;
	g_array_append_val(into, st);
	st = (SimStmt){ 0 }; /* the block owns it now */
	return TRUE;
}

/* The statements of a block up to its '}', which it consumes; `open` is where its '{' is. */
static gboolean parse_stmts(Parser *p, SimLoc open, SimBlock *out)
{
	g_autoptr(GArray) stmts = array_new(sizeof(SimStmt), clear_stmt);
	while (!is_char(tok(p), '}')) {
		if (tok(p)->kind == TOK_EOF)
			return fail_at(p, open, E_SYNTAX,
				       "unterminated block: '{' at %u:%u has no matching '}'",
				       open.line, open.col);
		if (!parse_stmt(p, stmts, open))
			return FALSE;
	}
	advance(p);
	out->stmts = steal_array(&stmts, &out->n_stmts);
	return TRUE;
}

/* '{' STATEMENTS '}'; `ctx` says what the '{' starts, for the error when it is missing. */
static gboolean parse_block(Parser *p, const char *ctx, SimBlock *out)
{
	const Tok *open = tok(p);
	if (!is_char(open, '{'))
		return expected(p, "'{' %s", ctx);
	/* Blocks nest by recursion, here and in every pass over the statements; the cap keeps
	 * all of them far from the end of the stack. */
	if (p->depth >= SIM_SCN_MAX_DEPTH)
		return fail_at(p, open->loc, SIM_SCN_ERROR_LIMIT,
			       "blocks nested too deeply: at most %d may be open at once (process, "
			       "fork, repeat and loop bodies each count one)",
			       SIM_SCN_MAX_DEPTH);
	advance(p);
	p->depth++;
	gboolean ok = parse_stmts(p, open->loc, out);
	p->depth--;
	return ok;
}

/* ---- Declarations ---- */

static gboolean parse_scheduler(Parser *p)
{
	static const char *const policies[] = { "fifo", "rr", "priority", "random", NULL };
	static const char *const rr_keys[] = { "quantum", "seed", NULL };
	static const char *const keys[] = { "seed", NULL };
	const Tok *kw = tok(p);
	SimScenario *scn = p->scn;
	if (p->sched_loc.line)
		return fail_tok(p, kw, E_MISUSE, "duplicate 'scheduler': already declared at %u:%u",
				p->sched_loc.line, p->sched_loc.col);
	p->sched_loc = kw->loc;
	advance(p);
	const Tok *policy = tok(p);
	int pol = take_choice(p, "scheduler", "after 'scheduler'", policies);
	if (pol < 0)
		return FALSE;
	scn->policy = (SimSchedPolicy)pol;
	g_autofree char *what = g_strdup_printf("scheduler %s", policies[pol]);
	Opts o = { .what = what, .keys = pol == SIM_SCHED_RR ? rr_keys : keys };
	gboolean quantum = FALSE;
	int k;
	while ((k = take_opt(p, &o)) >= 0) {
		if (strcmp(o.keys[k], "quantum") == 0) {
			const Tok *t = tok(p);
			if (!take_time(p, "after 'quantum='", &scn->quantum))
				return FALSE;
			if (scn->quantum <= 0)
				return fail_tok(p, t, E_NUMBER,
						"bad quantum '%s': expected a time greater than 0",
						t->text);
			quantum = TRUE;
		} else {
			gint64 seed = 0;
			if (!take_int(p, "seed", "after 'seed='", 0, G_MAXINT64, &seed))
				return FALSE;
			scn->seed = (guint64)seed;
			scn->seed_set = TRUE;
		}
	}
	if (k == OPT_ERR)
		return FALSE;
	if (pol == SIM_SCHED_RR && !quantum)
		return fail_at(p, policy->loc, E_SYNTAX,
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
		return fail_tok(p, kw, E_MISUSE, "duplicate 'cost': already declared at %u:%u",
				p->cost_loc.line, p->cost_loc.col);
	p->cost_loc = kw->loc;
	advance(p);
	Opts o = { .what = "cost", .keys = keys };
	int k;
	while ((k = take_opt(p, &o)) >= 0) {
		g_autofree char *ctx = g_strdup_printf("after '%s='", keys[k]);
		if (!take_time(p, ctx, fields[k]))
			return FALSE;
	}
	return k == OPT_END;
}

static gboolean parse_direct(Parser *p)
{
	const Tok *kw = tok(p);
	if (p->direct_loc.line)
		return fail_tok(p, kw, E_MISUSE, "duplicate 'direct': already declared at %u:%u",
				p->direct_loc.line, p->direct_loc.col);
	p->direct_loc = kw->loc;
	advance(p);
	if (!is_word(tok(p), "capacity") || !is_char(peek(p, 1), '='))
		return expected(p, "capacity=0, capacity=N or capacity=unbounded after 'direct'");
	advance(p);
	advance(p);
	return take_capacity(p, &p->scn->direct_capacity);
}

static gboolean parse_owner(Parser *p, guint index)
{
	SimScnMbox *m = &g_array_index(p->mboxes, SimScnMbox, index);
	const Tok *t = tok(p);
	g_autofree char *owner = NULL;
	SimLoc loc;
	if (is_word(t, "system") && m->is_port)
		return fail_tok(
			p, t, E_MISUSE,
			"a port cannot be owned by the system: owner= needs a process (only "
			"the owner receives from a port)");
	if (is_word(t, "system")) {
		m->owner = -1;
		advance(p);
		return TRUE;
	}
	if (!take_name(p,
		       m->is_port ? "a process name after 'owner='"
				  : "a process name or 'system' after 'owner='",
		       &owner, &loc))
		return FALSE;
	add_ref(p, REF_OWNER, owner, loc, index, 0, "after 'owner='");
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
	if (!take_name(p, is_port ? "a port name after 'port'" : "a mailbox name after 'mailbox'",
		       &name, &loc) ||
	    !not_reserved(p, name, loc, what))
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
	if (!declare(p, name, loc, NAME_MBOX, index))
		return FALSE;
	Opts o = { .what = what, .keys = is_port ? port_keys : mbox_keys };
	int k;
	while ((k = take_opt(p, &o)) >= 0) {
		SimScnMbox *mb = &g_array_index(p->mboxes, SimScnMbox, index);
		const char *key = o.keys[k];
		gboolean ok = TRUE;
		int v = 0;
		if (strcmp(key, "capacity") == 0) {
			ok = take_capacity(p, &mb->capacity);
		} else if (strcmp(key, "owner") == 0) {
			ok = parse_owner(p, index);
		} else if (strcmp(key, "order") == 0) {
			ok = (v = take_choice(p, "order", "after 'order='", order_names)) >= 0;
			mb->order = (SimOrder)v;
		} else if (strcmp(key, "waiters") == 0) {
			ok = (v = take_choice(p, "waiters", "after 'waiters='", order_names)) >= 0;
			mb->waiters = (SimOrder)v;
		} else {
			ok = (v = take_choice(p, "deliver", "after 'deliver='", deliver_names)) >=
			     0;
			mb->deliver = (SimDeliver)v;
		}
		if (!ok)
			return FALSE;
	}
	if (k == OPT_ERR)
		return FALSE;
	if (is_port && !o.seen[1].line)
		return fail_at(p, loc, E_SYNTAX,
			       "port '%s' needs owner=PROC: only its owner receives from a port",
			       name);
	return TRUE;
}

static gboolean parse_start(Parser *p, guint first, guint n, SimStartKind *start, SimTime *at)
{
	g_autofree char *after = NULL;
	SimLoc loc;
	if (!is_word(tok(p), "after")) {
		*start = SIM_START_AT;
		return take_time(p, "or after(PROC) after 'start='", at);
	}
	advance(p);
	if (!is_char(tok(p), '('))
		return expected(p, "'(' after 'start=after'");
	advance(p);
	if (!take_name(p, "a process name in 'start=after(...)'", &after, &loc))
		return FALSE;
	if (!is_char(tok(p), ')'))
		return expected(p, "')' after 'start=after(%s'", after);
	advance(p);
	add_ref(p, REF_AFTER, after, loc, first, n, "in 'start=after(...)'");
	*start = SIM_START_AFTER;
	return TRUE;
}

/* Reads a body into a new SimScnBody kept in p->bodies (so it is freed on any error), run by
 * the n_procs processes from `proc` on, declared as `name`. A fork body (`parent` not NULL)
 * starts with a copy of the parent's variable slots: same names, kinds and numbers. */
static SimScnBody *parse_body(Parser *p, const char *ctx, guint proc, guint n_procs,
			      const char *name, const BodyBuilder *parent)
{
	SimScnBody *body = g_new0(SimScnBody, 1);
	g_ptr_array_add(p->bodies, body);
	g_auto(BodyBuilder) b = { .index = p->bodies->len - 1,
				  .vars = array_new(sizeof(VarInfo), clear_var),
				  .slots = g_hash_table_new(g_str_hash, g_str_equal),
				  .counters = array_new(sizeof(Counter), NULL),
				  .queues = array_new(sizeof(QueueUse), clear_queue_use),
				  .forks = array_new(sizeof(guint), NULL),
				  .waits = array_new(sizeof(WaitUse), clear_wait_use),
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
		add_slot(&b, &v);
	}
	BodyProcs runs = { proc, n_procs };
	g_array_append_val(p->body_procs, runs);
	b.n_inherit = b.vars->len;
	BodyBuilder *outer = p->body;
	p->body = &b;
	gboolean ok = parse_block(p, ctx, &body->block) && finish_vars(p, &b, body);
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
		int c = take_choice(p, "capability", n ? "after ','" : "after 'caps='", cap_names);
		if (c < 0)
			return FALSE;
		if ((c == CAP_NONE || c == CAP_ALL) && (n > 0 || is_char(tok(p), ',')))
			return fail_tok(p, t, E_SYNTAX,
					"'%s' cannot be listed with other capabilities: write "
					"caps=%s alone",
					cap_names[c], cap_names[c]);
		if (c < CAP_NONE && (*out & (1u << c)))
			return fail_tok(p, t, E_SYNTAX, "repeated capability '%s'", cap_names[c]);
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
	if (!take_name(p, "a process name after 'process'", &name, &loc) ||
	    !not_reserved(p, name, loc, "process"))
		return FALSE;
	gint64 n = 1;
	gboolean replicated = is_char(tok(p), '[');
	if (replicated) {
		advance(p);
		if (!take_int(p, "replica count", "after '['", 1, MAX_REPLICAS, &n))
			return FALSE;
		if (!is_char(tok(p), ']'))
			return expected(p, "']' after the replica count");
		advance(p);
	}
	guint first = p->procs->len;
	if (first + (guint)n > SIM_SCN_MAX_PROCS)
		return fail_at(p, loc, SIM_SCN_ERROR_LIMIT,
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
		if (!declare(p, pr.name, loc, NAME_PROC, first + i))
			return FALSE;
	}
	Opts o = { .what = "process", .keys = keys };
	gint64 priority = 0, uid = 0, gid = 0, nice = 0;
	gint64 rlimit_msgqueue = 819200, rlimit_nofile = 1024; /* Linux's defaults */
	SimStartKind start = SIM_START_AT;
	SimTime at = 0;
	guint caps = 0;
	int k;
	while ((k = take_opt(p, &o)) >= 0) {
		gboolean ok = TRUE;
		if (k == K_PRIORITY)
			ok = take_int(p, "priority", "after 'priority='", G_MININT64, G_MAXINT64,
				      &priority);
		else if (k == K_START)
			ok = parse_start(p, first, (guint)n, &start, &at);
		else if (k == K_UID)
			ok = take_int(p, "uid", "after 'uid='", 0, G_MAXINT64, &uid);
		else if (k == K_GID)
			ok = take_int(p, "gid", "after 'gid='", 0, G_MAXINT64, &gid);
		else if (k == K_CAPS)
			ok = take_caps(p, &caps);
		else if (k == K_NICE)
			ok = take_int(p, "nice", "after 'nice='", -20, 19, &nice);
		else if (k == K_MSGQUEUE)
			ok = take_int(p, "rlimit_msgqueue", "after 'rlimit_msgqueue='", 0,
				      G_MAXINT64, &rlimit_msgqueue);
		else
			ok = take_int(p, "rlimit_nofile", "after 'rlimit_nofile='", 0, G_MAXINT64,
				      &rlimit_nofile);
		if (!ok)
			return FALSE;
		/* Both would set how the process is ordered among waiters (nice: lower first). */
		if ((k == K_NICE && o.seen[K_PRIORITY].line) ||
		    (k == K_PRIORITY && o.seen[K_NICE].line)) {
			SimLoc first_loc = o.seen[k == K_NICE ? K_PRIORITY : K_NICE];
			return fail_at(
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
	SimScnBody *body = parse_body(p, ctx, first, (guint)n, name, NULL);
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
		return fail_tok(p, kw, E_MISUSE, "duplicate 'sysctl': already declared at %u:%u",
				p->sysctl_loc.line, p->sysctl_loc.col);
	p->sysctl_loc = kw->loc;
	advance(p);
	Opts o = { .what = "sysctl", .keys = keys };
	int k;
	while ((k = take_opt(p, &o)) >= 0) {
		const SimLimitInfo *row = &sim_limits_table[k];
		g_autofree char *ctx = g_strdup_printf("after '%s='", row->name);
		gint64 v = 0;
		if (!take_int(p, row->name, ctx, row->min, row->max, &v))
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
		return expected(p, "'queue' after 'sysv'");
	advance(p);
	if (!take_name(p, "a queue name after 'sysv queue'", &name, &loc) ||
	    !not_reserved(p, name, loc, "SysV queue"))
		return FALSE;
	guint index = p->sysvqs->len;
	SimScnSysvQueue q = {
		.name = g_strdup(name), .loc = loc, .key = { SIM_KEY_PRIVATE, 0, -1 }, .perm = 0666
	};
	g_array_append_val(p->sysvqs, q);
	if (!declare(p, name, loc, NAME_SYSVQ, index))
		return FALSE;
	Opts o = { .what = "sysv queue", .keys = keys };
	int k;
	while ((k = take_opt(p, &o)) >= 0) {
		SimScnSysvQueue *sq = &g_array_index(p->sysvqs, SimScnSysvQueue, index);
		gboolean ok;
		if (k == 0)
			ok = take_key(p, REF_FTOK_QUEUE, index, &sq->key);
		else if (k == 1)
			ok = take_mode(p, "perm", &sq->perm);
		else if (k == 2)
			ok = take_int(p, "uid", "after 'uid='", 0, G_MAXINT64, &sq->uid);
		else
			ok = take_int(p, "gid", "after 'gid='", 0, G_MAXINT64, &sq->gid);
		if (!ok)
			return FALSE;
	}
	if (k == OPT_ERR)
		return FALSE;
	if (!o.seen[0].line)
		return fail_at(p, loc, E_SYNTAX,
			       "sysv queue '%s' needs key=K, key=private or key=ftok(\"PATH\", ID)",
			       name);
	return TRUE;
}

/* ---- POSIX declarations ---- */

/* The name of a `posix queue` or of an expectation must be one a queue can have: mq_open
 * refuses the others. The checks come in the order the kernel makes them. */
static gboolean check_mq_name(Parser *p, const Tok *t)
{
	const char *name = t->text, *rest = name + 1;
	if (name[0] != '/')
		return fail_tok(
			p, t, E_NAME,
			"bad POSIX queue name \"%s\": it must start with '/' (mq_open refuses "
			"it with EINVAL)",
			name);
	if (!*rest)
		return fail_tok(p, t, E_NAME,
				"bad POSIX queue name \"/\": the name after the '/' is missing "
				"(mq_open refuses it with ENOENT)");
	if (strchr(rest, '/'))
		return fail_tok(p, t, E_NAME,
				"bad POSIX queue name \"%s\": only its first character may be '/' "
				"(mq_open refuses it with EACCES)",
				name);
	if (strcmp(rest, ".") == 0 || strcmp(rest, "..") == 0)
		return fail_tok(p, t, E_NAME,
				"bad POSIX queue name \"%s\": \".\" and \"..\" cannot be names "
				"(mq_open refuses it with EACCES)",
				name);
	if (strlen(rest) > MQ_NAME_MAX)
		return fail_tok(p, t, E_NAME,
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
		return expected(p, "'queue' after 'posix'");
	advance(p);
	const Tok *t = tok(p);
	if (t->kind != TOK_STRING)
		return expected(p,
				"a queue name in double quotes, like \"/q\", after 'posix queue'");
	if (!check_mq_name(p, t))
		return FALSE;
	for (guint i = 0; i < p->posixqs->len; i++) {
		const SimScnPosixQueue *q = &g_array_index(p->posixqs, SimScnPosixQueue, i);
		if (strcmp(q->name, t->text) == 0)
			return fail_tok(p, t, E_NAME,
					"duplicate posix queue \"%s\": already declared at %u:%u",
					t->text, q->loc.line, q->loc.col);
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
	while ((k = take_opt(p, &o)) >= 0) {
		SimScnPosixQueue *pq = &g_array_index(p->posixqs, SimScnPosixQueue, index);
		gboolean ok;
		if (k == 0)
			ok = take_int(p, "maxmsg", "after 'maxmsg='", 1, G_MAXINT64, &pq->maxmsg);
		else if (k == 1)
			ok = take_int(p, "msgsize", "after 'msgsize='", 1, G_MAXINT64,
				      &pq->msgsize);
		else if (k == 2)
			ok = take_mode(p, "perm", &pq->perm);
		else if (k == 3)
			ok = take_int(p, "uid", "after 'uid='", 0, G_MAXINT64, &pq->uid);
		else
			ok = take_int(p, "gid", "after 'gid='", 0, G_MAXINT64, &pq->gid);
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
		return expected(p, "a file path in double quotes after 'file'");
	if (!*t->text)
		return fail_tok(p, t, E_SYNTAX, "a file path cannot be empty");
	for (guint i = 0; i < p->files->len; i++) {
		const SimScnFile *f = &g_array_index(p->files, SimScnFile, i);
		if (strcmp(f->path, t->text) == 0)
			return fail_tok(p, t, E_NAME,
					"duplicate file \"%s\": already declared at %u:%u", t->text,
					f->loc.line, f->loc.col);
	}
	guint index = p->files->len;
	SimScnFile f = { g_strdup(t->text), t->loc, 1, 0x1000 + (gint64)index };
	g_array_append_val(p->files, f);
	advance(p);
	Opts o = { .what = "file", .keys = keys };
	int k;
	while ((k = take_opt(p, &o)) >= 0) {
		SimScnFile *fl = &g_array_index(p->files, SimScnFile, index);
		g_autofree char *ctx = g_strdup_printf("after '%s='", keys[k]);
		if (!take_int(p, keys[k], ctx, 0, G_MAXINT64, k == 0 ? &fl->dev : &fl->ino))
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
	if (!take_name(p, "a user name after 'user'", &name, &loc))
		return FALSE;
	for (guint i = 0; i < p->users->len; i++) {
		const SimScnUser *u = &g_array_index(p->users, SimScnUser, i);
		if (strcmp(u->name, name) == 0)
			return fail_at(p, loc, E_NAME,
				       "duplicate user '%s': already declared at %u:%u", name,
				       u->loc.line, u->loc.col);
	}
	Opts o = { .what = "user", .keys = keys };
	gint64 uid = -1;
	int k;
	while ((k = take_opt(p, &o)) >= 0)
		if (!take_int(p, "uid", "after 'uid='", 0, G_MAXINT64, &uid))
			return FALSE;
	if (k == OPT_ERR)
		return FALSE;
	if (!o.seen[0].line)
		return fail_at(p, loc, E_SYNTAX, "user '%s' needs uid=N", name);
	gboolean root = strcmp(name, "root") == 0;
	if (uid == 0 && !root)
		return fail_at(p, o.seen[0], E_NAME,
			       "uid 0 is always the user 'root': it cannot also be called '%s'",
			       name);
	if (root && uid != 0)
		return fail_at(p, loc, E_NAME,
			       "the user 'root' is always uid 0, not uid=%" G_GINT64_FORMAT, uid);
	for (guint i = 0; i < p->users->len; i++) {
		const SimScnUser *u = &g_array_index(p->users, SimScnUser, i);
		if (u->uid == uid)
			return fail_at(p, o.seen[0], E_NAME,
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
		    !take_int(p, "type", "in the list after 'received'", 0, G_MAXINT64, &m.type))
			return FALSE;
		if (tok(p)->kind != TOK_STRING)
			return expected(p, "a message text in double quotes in the list after "
					   "'received'");
		m.text = g_strdup(tok(p)->text);
		g_array_append_val(msgs, m);
		advance(p);
		if (is_word(tok(p), "from")) {
			g_autofree char *from = NULL;
			SimLoc loc;
			advance(p);
			if (!take_name(p, "a process name after 'from'", &from, &loc))
				return FALSE;
			add_ref(p, REF_EXPECT_FROM, from, loc, index, msgs->len - 1,
				"after 'from'");
		}
		if (is_char(tok(p), ']')) {
			advance(p);
			return TRUE;
		}
		if (!is_char(tok(p), ','))
			return expected(p, "',' or ']' in the list after 'received'");
		advance(p);
	}
}

static gboolean parse_received(Parser *p, SimScnExpect *e, guint index)
{
	advance(p);
	if (!is_char(tok(p), '['))
		return expected(p, "'[' after 'received'");
	advance(p);
	g_autoptr(GArray) msgs = g_array_new(FALSE, TRUE, sizeof(SimExpectMsg));
	gboolean ok = parse_items(p, msgs, index);
	/* The expectation owns the texts even on error, so they are freed with it. */
	e->msgs = steal_array(&msgs, &e->n_msgs);
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
		return expected(p, "a process name or none %s", ctx);
	s->value = -1;
	if (!is_word(t, "none"))
		add_ref(p, REF_EXPECT_PID, t->text, t->loc, index, sub, ctx);
	advance(p);
	return TRUE;
}

/* KEY=VALUE ... of `expect MBOX|SYSVQ`, `expect key=K` and `expect "/name"`. Which keys the object
 * has is checked once its kind is known (check_stats); an unknown key lists `keys`, those of the
 * kind the name has if it is declared already, as `what`. */
static gboolean parse_stats(Parser *p, SimScnExpect *e, guint index, const char *what,
			    const char *const *keys)
{
	static const char *const yes_no[] = { "no", "yes", NULL };
	Opts o = { .what = what, .keys = stat_names };
	SimExpectStat stats[G_N_ELEMENTS(stat_names) - 1];
	guint n = 0;
	int k;
	for (;;) {
		const Tok *t = tok(p);
		if (t->kind == TOK_WORD && is_char(peek(p, 1), '=') &&
		    pick(t->text, stat_names) < 0) {
			g_autofree char *list = either(keys);
			return fail_tok(p, t, E_SYNTAX, "unknown option '%s' for %s (expected %s)",
					t->text, what, list);
		}
		if ((k = take_opt(p, &o)) < 0)
			break;
		g_autofree char *ctx = g_strdup_printf("after '%s='", stat_names[k]);
		SimExpectStat *s = &stats[n];
		gboolean ok = TRUE;
		int v = 0;
		s->key = (SimStatKey)k;
		if (k == SIM_STAT_DESTROYED || k == SIM_STAT_REMOVED || k == SIM_STAT_UNLINKED) {
			ok = (v = take_choice(p, stat_names[k], ctx, yes_no)) >= 0;
			s->value = v;
		} else if (k == SIM_STAT_LSPID || k == SIM_STAT_LRPID || k == SIM_STAT_NOTIFY_PID) {
			ok = take_pid_stat(p, s, index, n);
		} else if (k == SIM_STAT_MODE) {
			ok = take_mode(p, "mode", &s->value);
		} else {
			ok = take_int(p, stat_names[k], ctx, 0, G_MAXINT64, &s->value);
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
static gboolean check_stats(Parser *p, const SimScnExpect *e, guint index, const char *const *keys,
			    const char *what)
{
	const ExpectInfo *info = &g_array_index(p->expect_info, ExpectInfo, index);
	for (guint i = 0; i < e->n_stats; i++) {
		const char *key = stat_names[e->stats[i].key];
		if (pick(key, keys) >= 0)
			continue;
		g_autofree char *list = either(keys);
		return fail_at(p, info->stat_loc[e->stats[i].key], E_MISUSE,
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
		return expected(p, "a key number after 'expect key='");
	if (!take_int_in(p, "key", "after 'expect key='", 1, KEY_MAX,
			 "a key from 1 to 0xffffffff (key 0 is IPC_PRIVATE: no queue has it)",
			 &key))
		return FALSE;
	if (!(tok(p)->kind == TOK_WORD && is_char(peek(p, 1), '=')))
		return expected(p, "a statistic like qnum=N after 'expect key=%.*s'",
				(int)(t->end - t->start), p->src + t->start);
	e->by_key = TRUE;
	e->key = key;
	return parse_stats(p, e, index, "SysV queue statistics", sysvq_stat_names) &&
	       check_stats(p, e, index, sysvq_stat_names, "a SysV queue");
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
		return expected(p, "a statistic like curmsgs=N after 'expect \"%s\"'", t->text);
	g_autofree char *what = g_strdup_printf("POSIX queue \"%s\"", t->text);
	return parse_stats(p, e, index, "POSIX queue statistics", posixq_stat_names) &&
	       check_stats(p, e, index, posixq_stat_names, what);
}

/* expect @LABEL [ok|blocked|errno=E] [ret=N]: a result, a return value or both, in either
 * order; only ret=N leaves the result SIM_LABEL_ANY. */
static gboolean parse_label_expect(Parser *p, SimScnExpect *e, guint index)
{
	LabelRef r = { NULL, tok(p)->loc, index };
	SimLoc name_loc, result = { 0, 0 }, ret = { 0, 0 };
	advance(p);
	if (!take_name(p, "a label name after '@'", &r.name, &name_loc))
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
			return fail_tok(p, t, E_SYNTAX, "repeated 'ret=': already given at %u:%u",
					ret.line, ret.col);
		if (!is_ret && result.line)
			return fail_tok(p, t, E_SYNTAX,
					"a second result '%s' (after the one at %u:%u): an "
					"expectation checks one of ok, blocked or errno=NAME",
					t->text, result.line, result.col);
		*(is_ret ? &ret : &result) = t->loc;
		advance(p);
		if (is_ret || is_errno)
			advance(p);
		if (is_ret) {
			if (!take_int(p, "ret", "after 'ret='", G_MININT64, G_MAXINT64, &e->ret))
				return FALSE;
			e->check_ret = TRUE;
		} else if (is_errno) {
			if (!take_errno(p, "after 'errno='", FALSE, &e->err))
				return FALSE;
			/* errno=ok says the call succeeded: the same as plain `ok`. */
			e->result = e->err ? SIM_LABEL_ERRNO : SIM_LABEL_OK;
		} else {
			e->result = is_word(t, "ok") ? SIM_LABEL_OK : SIM_LABEL_BLOCKED;
		}
	}
	if (!result.line && !ret.line)
		return expected(p, "ok, blocked, errno=NAME or ret=N after 'expect @%s'", r.name);
	if (e->result == SIM_LABEL_ERRNO && e->check_ret && e->ret != -1)
		return fail_at(p, ret, E_MISUSE,
			       "ret=%" G_GINT64_FORMAT " cannot hold with errno=%s (at %u:%u): a "
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
	add_ref(p, REF_EXPECT_PROC, proc->text, proc->loc, index, 0,
		killed ? "before 'killed='" : "before 'exit='");
	advance(p);
	advance(p);
	const Tok *v = tok(p);
	if (!killed && !take_int(p, "exit status", "after 'exit='", 0, 255, &e->exit_code))
		return FALSE;
	if (killed && !take_signal(p, "after 'killed='", &e->exit_sig))
		return FALSE;
	if (e->exit_sig == SIGCHLD || e->exit_sig == SIGCONT || e->exit_sig == SIGSTOP)
		return fail_tok(p, v, E_MISUSE,
				"bad killed= signal '%s': it never ends a process (expected a "
				"signal such as SIGTERM or SIGKILL)",
				v->text);
	const Tok *n = tok(p);
	if ((is_word(n, "exit") || is_word(n, "killed")) && is_char(peek(p, 1), '='))
		return fail_tok(p, n, E_SYNTAX,
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
		return expected(p, "a comparison (==, <, <=, > or >=) after 'expect time'");
	advance(p);
	if (eq)
		advance(p);
	g_autofree char *ctx = g_strdup_printf("after 'expect time %s'", ops[e->cmp]);
	return take_time(p, ctx, &e->time);
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
			return expected(p, "'deadlock' after 'expect no'");
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
		return expected(p, "a process, mailbox, port or SysV queue name, a POSIX queue "
				   "\"/name\", key=K, @label, deadlock, no deadlock or time after "
				   "'expect'");
	advance(p);
	const Tok *what = tok(p);
	if (is_word(what, "received") && !is_char(peek(p, 1), '=')) {
		e->kind = SIM_EXPECT_RECEIVED;
		add_ref(p, REF_EXPECT_PROC, t->text, t->loc, index, 0, "before 'received'");
		return parse_received(p, e, index);
	}
	if ((is_word(what, "exit") || is_word(what, "killed")) && is_char(peek(p, 1), '='))
		return parse_exit_expect(p, e, index, t);
	if (is_word(what, "state") && is_char(peek(p, 1), '=')) {
		e->kind = SIM_EXPECT_STATE;
		add_ref(p, REF_EXPECT_PROC, t->text, t->loc, index, 0, "before 'state='");
		advance(p);
		advance(p);
		int v = take_choice(p, "state", "after 'state='", state_names);
		e->state = (SimTaskStateName)MAX(v, 0);
		return v >= 0;
	}
	if (what->kind == TOK_WORD && is_char(peek(p, 1), '=')) {
		/* The keys are checked when the name is resolved; only the list of an unknown
		 * key uses what is known of the name so far. */
		const NameDef *d = g_hash_table_lookup(p->names, t->text);
		gboolean sysvq = d && d->kind == NAME_SYSVQ, mbox = d && d->kind == NAME_MBOX;
		e->kind = SIM_EXPECT_STATS;
		add_ref(p, REF_EXPECT_MBOX, t->text, t->loc, index, 0, "before statistics");
		return parse_stats(p, e, index,
				   sysvq  ? "SysV queue statistics"
				   : mbox ? "mailbox statistics"
					  : "statistics",
				   sysvq  ? sysvq_stat_names
				   : mbox ? mbox_stat_names
					  : named_stat_names);
	}
	return expected(p,
			"received [...], state=STATE, exit=N, killed=SIGNAME or a statistic like "
			"qnum=N after 'expect %s'",
			t->text);
}

/* ---- The file ---- */

static gboolean parse_decl(Parser *p)
{
	const Tok *t = tok(p);
	g_autofree char *list = either(decl_words);
	if (t->kind != TOK_WORD)
		return expected(p, "a declaration (%s)", list);
	switch (pick(t->text, decl_words)) {
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
	if (pick(t->text, stmt_words) >= 0)
		return fail_tok(p, t, E_SYNTAX,
				"'%s' is a statement: statements go inside 'process NAME { ... }'",
				t->text);
	return fail_tok(p, t, E_SYNTAX, "unknown declaration '%s' (expected %s)", t->text, list);
}

/* ---- Resolution, once the whole file has been read ---- */

static const char *kind_name(const SimScenario *scn, const NameDef *d)
{
	if (d->kind == NAME_PROC)
		return "process";
	if (d->kind == NAME_SYSVQ)
		return "SysV queue";
	return scn->mboxes[d->index].is_port ? "port" : "mailbox";
}

static void index_block(SimBlock *block, SimStmt **by_id)
{
	for (guint i = 0; i < block->n_stmts; i++) {
		SimStmt *st = &block->stmts[i];
		by_id[st->id] = st;
		index_block(&st->body, by_id);
	}
}

/* The path of an ftok key: a declared `file`. */
static gboolean resolve_ftok(Parser *p, const Ref *r, SimStmt **by_id)
{
	SimScenario *scn = p->scn;
	for (guint i = 0; i < scn->n_files; i++) {
		if (strcmp(scn->files[i].path, r->name) != 0)
			continue;
		if (r->kind == REF_FTOK_STMT)
			by_id[r->index]->key.file = (int)i;
		else
			scn->sysvqs[r->index].key.file = (int)i;
		return TRUE;
	}
	return fail_at(p, r->loc, E_NAME,
		       "unknown file \"%s\": declare it with 'file \"%s\" dev=... ino=...'",
		       r->name, r->name);
}

/* expect NAME KEY=V ...: a mailbox or port, or a SysV queue, each with its own keys. */
static gboolean resolve_stats(Parser *p, const Ref *r, const NameDef *d)
{
	SimScenario *scn = p->scn;
	SimScnExpect *e = &scn->expects[r->index];
	g_autofree char *what = g_strdup_printf("%s '%s'", kind_name(scn, d), r->name);
	if (!check_stats(p, e, r->index, d->kind == NAME_SYSVQ ? sysvq_stat_names : mbox_stat_names,
			 what))
		return FALSE;
	if (d->kind == NAME_SYSVQ)
		e->sysvq = (int)d->index;
	else
		e->mbox = (int)d->index;
	return TRUE;
}

/* The "/name" of an mq_* call: a declared `posix queue`. */
static gboolean resolve_posixq(Parser *p, const Ref *r, SimStmt **by_id)
{
	int i = sim_scn_find_posixq(p->scn, r->name);
	if (i >= 0) {
		by_id[r->index]->ep.index = i;
		return TRUE;
	}
	return fail_at(p, r->loc, E_NAME,
		       "unknown POSIX queue \"%s\": declare it with 'posix queue \"%s\"' or open "
		       "it with 'mq_open \"%s\" ... -> d' and use d",
		       r->name, r->name, r->name);
}

static gboolean resolve_ref(Parser *p, const Ref *r, SimStmt **by_id)
{
	SimScenario *scn = p->scn;
	if (r->kind == REF_FTOK_STMT || r->kind == REF_FTOK_QUEUE)
		return resolve_ftok(p, r, by_id);
	if (r->kind == REF_POSIXQ)
		return resolve_posixq(p, r, by_id);
	const NameDef *d = g_hash_table_lookup(p->names, r->name);
	if (!d && r->kind == REF_EXPECT_MBOX)
		return fail_at(p, r->loc, E_NAME,
			       "unknown name '%s': no mailbox, port or SysV queue has that name",
			       r->name);
	if (!d)
		return fail_at(p, r->loc, E_NAME,
			       "unknown name '%s': no mailbox, port or process has that name",
			       r->name);
	gboolean need_proc =
		r->kind != REF_TARGET && r->kind != REF_SOURCE && r->kind != REF_EXPECT_MBOX;
	if (need_proc && d->kind != NAME_PROC)
		return fail_at(p, r->loc, E_NAME, "expected a process name %s, found %s '%s'",
			       r->ctx, kind_name(scn, d), r->name);
	if (r->kind == REF_EXPECT_MBOX && d->kind == NAME_PROC)
		return fail_at(p, r->loc, E_NAME,
			       "expected a mailbox, port or SysV queue name %s, found process '%s'",
			       r->ctx, r->name);
	if (r->kind == REF_TARGET && d->kind == NAME_SYSVQ)
		return fail_at(p, r->loc, E_NAME,
			       "'%s' is a SysV queue: send to it with 'msgsnd %s TEXT'", r->name,
			       r->name);
	if (r->kind == REF_SOURCE && d->kind == NAME_SYSVQ)
		return fail_at(p, r->loc, E_NAME,
			       "'%s' is a SysV queue: receive from it with 'msgrcv %s'", r->name,
			       r->name);
	int index = (int)d->index;
	switch (r->kind) {
	case REF_OWNER:
		scn->mboxes[r->index].owner = index;
		break;
	case REF_AFTER:
		for (guint i = 0; i < r->sub; i++) {
			SimScnProc *pr = &scn->procs[r->index + i];
			if (r->index + i == d->index)
				return fail_at(p, r->loc, E_MISUSE,
					       "process '%s' cannot start after itself", pr->name);
			pr->start_after = index;
		}
		break;
	case REF_TARGET:
	case REF_SOURCE:
		by_id[r->index]->ep.kind = d->kind == NAME_PROC ? SIM_EP_PROC : SIM_EP_MBOX;
		by_id[r->index]->ep.index = index;
		break;
	case REF_TO:
		by_id[r->index]->to = index;
		break;
	case REF_KILL:
	case REF_WAIT:
		by_id[r->index]->ep.index = index;
		break;
	case REF_EXPECT_PROC:
		scn->expects[r->index].proc = index;
		break;
	case REF_EXPECT_FROM:
		scn->expects[r->index].msgs[r->sub].from = index;
		break;
	case REF_EXPECT_MBOX:
		return resolve_stats(p, r, d);
	case REF_EXPECT_PID:
		scn->expects[r->index].stats[r->sub].value = index;
		break;
	case REF_FTOK_STMT:
	case REF_FTOK_QUEUE:
	case REF_POSIXQ:
		break;
	}
	return TRUE;
}

/* A body variable cannot share its name with a `sysv queue`: `msgsnd q` could be either. */
static gboolean check_var_names(Parser *p)
{
	for (guint i = 0; i < p->var_defs->len; i++) {
		const VarDef *v = &g_array_index(p->var_defs, VarDef, i);
		const NameDef *d = g_hash_table_lookup(p->names, v->name);
		if (d && d->kind == NAME_SYSVQ)
			return fail_at(p, v->loc, E_NAME,
				       "variable '%s' has the name of the `sysv queue` declared at "
				       "%u:%u: rename one of them",
				       v->name, d->loc.line, d->loc.col);
	}
	return TRUE;
}

/* The queue of msgsnd/msgrcv/msgctl: a `sysv queue` by that name, else an integer variable
 * of the body (set by msgget ... -> q, or a repeat counter). */
static gboolean resolve_queue(Parser *p, const QueueUse *q, SimStmt **by_id)
{
	const NameDef *d = g_hash_table_lookup(p->names, q->name);
	SimEndpoint *ep = &by_id[q->stmt]->ep;
	if (d && d->kind == NAME_SYSVQ) {
		ep->kind = SIM_EP_SYSVQ;
		ep->index = (int)d->index;
		return TRUE;
	}
	if (d)
		return fail_at(p, q->loc, E_NAME,
			       "'%s' is a %s, not a SysV queue: %s needs a `sysv queue` name or a "
			       "variable set by 'msgget ... -> v'",
			       q->name, kind_name(p->scn, d), q->how);
	if (q->slot >= 0 && q->role != ROLE_MESSAGE && q->role != ROLE_PIPE) {
		ep->kind = SIM_EP_IDVAR;
		ep->index = q->slot;
		return TRUE;
	}
	if (q->slot >= 0)
		return fail_at(p, q->loc, E_NAME,
			       "variable '%s' %s (set at %u:%u), not a queue id: %s needs a `sysv "
			       "queue` name or a variable set by 'msgget ... -> %s'",
			       q->name, role_does[q->role], q->set_loc.line, q->set_loc.col, q->how,
			       q->name);
	return fail_at(p, q->loc, E_NAME,
		       "unknown SysV queue '%s': no `sysv queue` has that name and no variable of "
		       "this process is set by 'msgget ... -> %s'",
		       q->name, q->name);
}

/* The key a `sysv queue` is created with; ftok(3) as glibc computes it. */
static gint64 key_of(const SimScenario *scn, const SimKey *key)
{
	if (key->kind != SIM_KEY_FTOK)
		return key->value;
	const SimScnFile *f = &scn->files[key->file];
	return (gint64)((((guint64)key->value & 0xff) << 24) | (((guint64)f->dev & 0xff) << 16) |
			((guint64)f->ino & 0xffff));
}

/* The declared queues are created before the run: each one with a new key (or a private one)
 * needs an id, and there are msgmni of them. Declarations with one key name one queue. */
static gboolean check_sysvq_room(Parser *p)
{
	const SimScenario *scn = p->scn;
	gint64 queues = 0;
	for (guint j = 0; j < scn->n_sysvqs; j++) {
		const SimScnSysvQueue *q = &scn->sysvqs[j];
		gint64 key = key_of(scn, &q->key);
		gboolean known = FALSE;
		for (guint i = 0; i < j && key != 0 && !known; i++)
			known = key_of(scn, &scn->sysvqs[i].key) == key;
		if (!known && ++queues > scn->limits.msgmni)
			return fail_at(p, q->loc, E_MISUSE,
				       "sysv queue '%s' is one queue too many: sysctl "
				       "msgmni=%" G_GINT64_FORMAT
				       " (at %u:%u) allows %" G_GINT64_FORMAT " queues",
				       q->name, scn->limits.msgmni,
				       p->sysctl_seen[SIM_LIMIT_MSGMNI].line,
				       p->sysctl_seen[SIM_LIMIT_MSGMNI].col, scn->limits.msgmni);
	}
	return TRUE;
}

/* "sysctl mq_msg_max=10 (at 1:8)" or "the default mq_msg_max=10", for errors. */
static char *limit_of(const Parser *p, SimLimitId key)
{
	SimLoc at = p->sysctl_seen[key];
	const char *name = sim_limits_table[key].name;
	gint64 value = sim_limits_get(&p->scn->limits, key);
	if (!at.line)
		return g_strdup_printf("the default %s=%" G_GINT64_FORMAT, name, value);
	return g_strdup_printf("sysctl %s=%" G_GINT64_FORMAT " (at %u:%u)", name, value, at.line,
			       at.col);
}

/* An attribute of a `posix queue` (written at `at`) against its sysctl maximum `key`. */
static gboolean check_attr(Parser *p, const SimScnPosixQueue *q, const char *attr, gint64 value,
			   SimLimitId key, SimLoc at)
{
	if (value <= sim_limits_get(&p->scn->limits, key))
		return TRUE;
	g_autofree char *limit = limit_of(p, key);
	return fail_at(p, at, E_MISUSE,
		       "%s=%" G_GINT64_FORMAT " is above %s: posix queue \"%s\" could not be "
		       "created (mq_open fails with EINVAL without sys_resource)",
		       attr, value, limit, q->name);
}

/* The declared POSIX queues are created before the run by their owners, who lack
 * sys_resource as root does on the project's machines, so each must be one mq_open would
 * create under the sysctl limits; and every process holds a descriptor for each, which its
 * rlimit_nofile must leave room for. An attribute given alone makes an mq_attr whose other
 * field is the one the kernel uses without mq_attr: the default, capped by the maximum. */
static gboolean check_posixqs(Parser *p)
{
	SimScenario *scn = p->scn;
	const SimLimits *lim = &scn->limits;
	for (guint i = 0; i < scn->n_posixqs; i++) {
		SimScnPosixQueue *q = &scn->posixqs[i];
		const PosixInfo *info = &g_array_index(p->pq_info, PosixInfo, i);
		if (q->maxmsg >= 0 || q->msgsize >= 0) {
			if (q->maxmsg < 0)
				q->maxmsg = MIN(lim->mq_msg_default, lim->mq_msg_max);
			if (q->msgsize < 0)
				q->msgsize = MIN(lim->mq_msgsize_default, lim->mq_msgsize_max);
		}
		if (!check_attr(p, q, "maxmsg", q->maxmsg, SIM_LIMIT_MQ_MSG_MAX,
				info->maxmsg_loc) ||
		    !check_attr(p, q, "msgsize", q->msgsize, SIM_LIMIT_MQ_MSGSIZE_MAX,
				info->msgsize_loc))
			return FALSE;
		if ((gint64)i >= lim->mq_queues_max) {
			g_autofree char *limit = limit_of(p, SIM_LIMIT_MQ_QUEUES_MAX);
			return fail_at(p, q->loc, E_MISUSE,
				       "posix queue \"%s\" is one queue too many: %s allows "
				       "%" G_GINT64_FORMAT " queues",
				       q->name, limit, lim->mq_queues_max);
		}
	}
	gint64 need = FIRST_FD + (gint64)scn->n_posixqs;
	for (guint i = 0; i < scn->n_procs && scn->n_posixqs; i++) {
		const SimScnProc *pr = &scn->procs[i];
		if (pr->rlimit_nofile < need)
			return fail_at(p, pr->loc, E_MISUSE,
				       "process '%s' has rlimit_nofile=%" G_GINT64_FORMAT
				       ": too few descriptors for the %u declared posix queue%s, "
				       "which every process holds open after 0, 1 and 2 (give "
				       "rlimit_nofile=%" G_GINT64_FORMAT " or more)",
				       pr->name, pr->rlimit_nofile, scn->n_posixqs,
				       scn->n_posixqs == 1 ? "" : "s", need);
	}
	return TRUE;
}

/* Checks of a send that do not depend on which process runs it: to= and deliver=addressed. */
static gboolean check_send(Parser *p, const SimStmt *st, SimLoc to_loc)
{
	const SimScenario *scn = p->scn;
	const SimScnMbox *m = st->ep.kind == SIM_EP_MBOX ? &scn->mboxes[st->ep.index] : NULL;
	gboolean addressed = m && m->deliver == SIM_DELIVER_ADDRESSED;
	if (to_loc.line && !addressed) {
		g_autofree char *why = m ? g_strdup_printf("%s '%s' has deliver=%s",
							   m->is_port ? "port" : "mailbox", m->name,
							   sim_scn_deliver_name(m->deliver))
				       : st->ep.kind == SIM_EP_PROC
					       ? g_strdup_printf("'%s' is a process",
								 scn->procs[st->ep.index].name)
					       : g_strdup("a reply goes to a process");
		return fail_at(p, to_loc, E_MISUSE,
			       "to= needs a mailbox with deliver=addressed, but %s", why);
	}
	if (addressed && !to_loc.line)
		return fail_at(p, st->ep.loc, E_MISUSE,
			       "mailbox '%s' has deliver=addressed: every send to it needs to=PROC",
			       m->name);
	return TRUE;
}

/* Checks that depend on the process running the statement (each replica of a shared body). */
static gboolean check_proc_stmt(Parser *p, const SimStmt *st, int self)
{
	const SimScenario *scn = p->scn;
	const char *name = scn->procs[self].name;
	if (st->ep.kind == SIM_EP_PROC && st->ep.index == self)
		return fail_at(p, st->ep.loc, E_MISUSE,
			       st->kind == SIM_STMT_SEND
				       ? "process '%s' sends to itself: name another process, a "
					 "mailbox or a port"
				       : "process '%s' receives from itself: name another process, "
					 "a mailbox, a port or any",
			       name);
	if (st->kind == SIM_STMT_RECEIVE && st->ep.kind == SIM_EP_MBOX) {
		const SimScnMbox *m = &scn->mboxes[st->ep.index];
		if (m->is_port && m->owner != self)
			return fail_at(p, st->loc, E_MISUSE,
				       "process '%s' receives on port '%s' owned by '%s': only a "
				       "port's owner may receive",
				       name, m->name, scn->procs[m->owner].name);
	}
	return TRUE;
}

static gboolean check_stmts(Parser *p, SimStmt **by_id)
{
	const SimScenario *scn = p->scn;
	for (guint id = 0; id < scn->n_stmts; id++) {
		const SimStmt *st = by_id[id];
		const StmtInfo *info = info_of(p, id);
		if (st->kind == SIM_STMT_SEND && !check_send(p, st, info->to_loc))
			return FALSE;
		if (st->kind != SIM_STMT_SEND && st->kind != SIM_STMT_RECEIVE)
			continue;
		const BodyProcs *runs = &g_array_index(p->body_procs, BodyProcs, info->body);
		for (guint i = runs->first; i < runs->first + runs->n; i++)
			if (!check_proc_stmt(p, st, (int)i))
				return FALSE;
	}
	return TRUE;
}

/* Moves what was read into the scenario, then resolves every name and label in it. */
static SimScenario *finish(Parser *p)
{
	SimScenario *scn = p->scn;
	scn->mboxes = steal_array(&p->mboxes, &scn->n_mboxes);
	scn->procs = steal_array(&p->procs, &scn->n_procs);
	scn->expects = steal_array(&p->expects, &scn->n_expects);
	scn->sysvqs = steal_array(&p->sysvqs, &scn->n_sysvqs);
	scn->files = steal_array(&p->files, &scn->n_files);
	scn->users = steal_array(&p->users, &scn->n_users);
	scn->posixqs = steal_array(&p->posixqs, &scn->n_posixqs);
	scn->n_bodies = p->bodies->len;
	scn->bodies = (SimScnBody **)g_ptr_array_free(g_steal_pointer(&p->bodies), FALSE);
	scn->n_stmts = p->n_stmts;

	g_autofree SimStmt **by_id = g_new0(SimStmt *, MAX(scn->n_stmts, 1));
	for (guint i = 0; i < scn->n_bodies; i++)
		index_block(&scn->bodies[i]->block, by_id);
	for (guint i = 0; i < p->refs->len; i++)
		if (!resolve_ref(p, &g_array_index(p->refs, Ref, i), by_id))
			return NULL;
	if (!check_var_names(p))
		return NULL;
	for (guint i = 0; i < p->queue_uses->len; i++)
		if (!resolve_queue(p, &g_array_index(p->queue_uses, QueueUse, i), by_id))
			return NULL;
	for (guint i = 0; i < p->label_refs->len; i++) {
		const LabelRef *r = &g_array_index(p->label_refs, LabelRef, i);
		const LabelDef *d = g_hash_table_lookup(p->labels, r->name);
		if (!d) {
			fail_at(p, r->loc, E_NAME,
				"unknown label '%s': no statement has that label", r->name);
			return NULL;
		}
		scn->expects[r->expect].stmt = by_id[d->id];
	}
	if (!check_sysvq_room(p) || !check_posixqs(p) || !check_stmts(p, by_id))
		return NULL;
	/* Last, so that what is written wrong is reported first: with no process nothing
	 * would run, and an empty run must not pass for a success. */
	if (scn->n_procs == 0) {
		fail_at(p, tok(p)->loc, E_SYNTAX,
			"no process: a scenario needs at least one 'process NAME { ... }'%s",
			p->len == 0 ? " (the file is empty)" : "");
		return NULL;
	}
	return g_steal_pointer(&p->scn);
}

static SimScenario *parse_all(Parser *p)
{
	if (!check_text(p))
		return NULL;
	lex(p);
	while (tok(p)->kind != TOK_EOF)
		if (!parse_decl(p))
			return NULL;
	return finish(p);
}

/* ---- Public API ---- */

GQuark sim_scn_error_quark(void)
{
	return g_quark_from_static_string("sim-scn-error-quark");
}

SimScenario *sim_scn_parse(const char *file, const char *text, gsize len, GError **error)
{
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);
	g_auto(Parser) p = { 0 };
	p.file = file ? file : "<scenario>";
	p.src = text ? text : "";
	p.len = text ? len : 0;
	p.toks = array_new(sizeof(Tok), tok_clear);
	p.scn = g_new0(SimScenario, 1);
	p.scn->file = g_strdup(p.file);
	p.scn->policy = SIM_SCHED_FIFO;
	p.scn->quantum = 10 * SIM_US;
	p.scn->seed = 1;
	p.scn->cost_syscall = 1 * SIM_US;
	p.scn->direct_capacity = SIM_CAPACITY_UNBOUNDED;
	sim_limits_init(&p.scn->limits);
	p.mboxes = array_new(sizeof(SimScnMbox), clear_mbox);
	p.procs = array_new(sizeof(SimScnProc), clear_proc);
	p.bodies = g_ptr_array_new_with_free_func(body_free);
	p.body_procs = array_new(sizeof(BodyProcs), NULL);
	p.expects = array_new(sizeof(SimScnExpect), clear_expect);
	p.sysvqs = array_new(sizeof(SimScnSysvQueue), clear_sysvq);
	p.files = array_new(sizeof(SimScnFile), clear_file);
	p.users = array_new(sizeof(SimScnUser), clear_user);
	p.posixqs = array_new(sizeof(SimScnPosixQueue), clear_posixq);
	p.pq_info = array_new(sizeof(PosixInfo), NULL);
	p.names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	p.labels = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	p.refs = array_new(sizeof(Ref), clear_ref);
	p.label_refs = array_new(sizeof(LabelRef), clear_label_ref);
	p.stmt_info = array_new(sizeof(StmtInfo), NULL);
	p.expect_info = array_new(sizeof(ExpectInfo), NULL);
	p.queue_uses = array_new(sizeof(QueueUse), clear_queue_use);
	p.var_defs = array_new(sizeof(VarDef), clear_var_def);
	SimScenario *scn = parse_all(&p);
	if (!scn)
		g_propagate_error(error, g_steal_pointer(&p.err));
	return scn;
}

/* Reads at most SIM_SCN_MAX_BYTES + 1 bytes of fd into *text: one byte more than allowed
 * is enough to know a file is too large, whatever fstat said (a file may grow meanwhile,
 * and standard input has no size at all). */
static gboolean read_bounded(int fd, const char *name, char **text, gsize *len, GError **error)
{
	gsize cap = SIM_SCN_MAX_BYTES + 1, n = 0;
	g_autofree char *buf = g_malloc(cap + 1);
	while (n < cap) {
		gssize got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int e = errno;
			g_set_error(error, SIM_SCN_ERROR, SIM_SCN_ERROR_IO,
				    "%s: error: cannot read: %s", name, g_strerror(e));
			return FALSE;
		}
		if (got == 0)
			break;
		n += (gsize)got;
	}
	if (n > SIM_SCN_MAX_BYTES) {
		g_set_error(error, SIM_SCN_ERROR, SIM_SCN_ERROR_LIMIT,
			    "%s: error: too large: more than %d bytes (a scenario may have at most %d "
			    "bytes, 1 MiB)",
			    name, SIM_SCN_MAX_BYTES, SIM_SCN_MAX_BYTES);
		return FALSE;
	}
	buf[n] = '\0';
	*text = g_steal_pointer(&buf);
	*len = n;
	return TRUE;
}

/* Opens without waiting (a FIFO would block until a writer came) and checks the descriptor
 * it got, not the path, so what is read is what was checked. */
static int open_regular(const char *path, GError **error)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		g_set_error(error, SIM_SCN_ERROR, SIM_SCN_ERROR_IO, "%s: error: cannot read: %s",
			    path, g_strerror(e));
		return -1;
	}
	struct stat st;
	const char *why = NULL;
	if (fstat(fd, &st) < 0)
		why = g_strerror(errno);
	else if (S_ISDIR(st.st_mode))
		why = "it is a directory";
	else if (!S_ISREG(st.st_mode))
		why = "not a regular file (a scenario is read from a file, or from standard "
		      "input given as '-')";
	if (why) {
		g_set_error(error, SIM_SCN_ERROR, SIM_SCN_ERROR_IO, "%s: error: cannot read: %s",
			    path, why);
		close(fd);
		return -1;
	}
	if (st.st_size > SIM_SCN_MAX_BYTES) {
		g_set_error(error, SIM_SCN_ERROR, SIM_SCN_ERROR_LIMIT,
			    "%s: error: too large: %jd bytes (a scenario may have at most %d "
			    "bytes, 1 MiB)",
			    path, (intmax_t)st.st_size, SIM_SCN_MAX_BYTES);
		close(fd);
		return -1;
	}
	return fd;
}

SimScenario *sim_scn_load(const char *path, GError **error)
{
	g_return_val_if_fail(path != NULL, NULL);
	gboolean std_in = strcmp(path, "-") == 0;
	const char *name = std_in ? "<stdin>" : path;
	int fd = std_in ? STDIN_FILENO : open_regular(path, error);
	if (fd < 0)
		return NULL;
	g_autofree char *text = NULL;
	gsize len = 0;
	gboolean ok = read_bounded(fd, name, &text, &len, error);
	if (!std_in)
		close(fd);
	if (!ok)
		return NULL;
	return sim_scn_parse(name, text, len, error);
}

void sim_scn_free(SimScenario *scn)
{
	if (!scn)
		return;
	for (guint i = 0; i < scn->n_mboxes; i++)
		g_free(scn->mboxes[i].name);
	g_free(scn->mboxes);
	for (guint i = 0; i < scn->n_procs; i++)
		g_free(scn->procs[i].name);
	g_free(scn->procs);
	for (guint i = 0; i < scn->n_bodies; i++)
		body_free(scn->bodies[i]);
	g_free(scn->bodies);
	for (guint i = 0; i < scn->n_expects; i++)
		expect_clear(&scn->expects[i]);
	g_free(scn->expects);
	for (guint i = 0; i < scn->n_sysvqs; i++)
		g_free(scn->sysvqs[i].name);
	g_free(scn->sysvqs);
	for (guint i = 0; i < scn->n_files; i++)
		g_free(scn->files[i].path);
	g_free(scn->files);
	for (guint i = 0; i < scn->n_users; i++)
		g_free(scn->users[i].name);
	g_free(scn->users);
	for (guint i = 0; i < scn->n_posixqs; i++)
		g_free(scn->posixqs[i].name);
	g_free(scn->posixqs);
	g_free(scn->file);
	g_free(scn);
}

/* The index of the entry called `name` in an array of n structs of `stride` bytes whose
 * `char *name` field sits at `offset`, or -1. */
static int find_named(const void *array, guint n, gsize stride, gsize offset, const char *name)
{
	const char *base = array;
	for (guint i = 0; i < n; i++) {
		const char *const *entry =
			(const char *const *)(const void *)(base + i * stride + offset);
		if (strcmp(*entry, name) == 0)
			return (int)i;
	}
	return -1;
}

int sim_scn_find_proc(const SimScenario *scn, const char *name)
{
	return find_named(scn->procs, scn->n_procs, sizeof(SimScnProc),
			  G_STRUCT_OFFSET(SimScnProc, name), name);
}

int sim_scn_find_mbox(const SimScenario *scn, const char *name)
{
	return find_named(scn->mboxes, scn->n_mboxes, sizeof(SimScnMbox),
			  G_STRUCT_OFFSET(SimScnMbox, name), name);
}

int sim_scn_find_sysvq(const SimScenario *scn, const char *name)
{
	return find_named(scn->sysvqs, scn->n_sysvqs, sizeof(SimScnSysvQueue),
			  G_STRUCT_OFFSET(SimScnSysvQueue, name), name);
}

int sim_scn_find_posixq(const SimScenario *scn, const char *name)
{
	return find_named(scn->posixqs, scn->n_posixqs, sizeof(SimScnPosixQueue),
			  G_STRUCT_OFFSET(SimScnPosixQueue, name), name);
}

const char *sim_scn_signal_name(int sig)
{
	for (guint i = 0; i < G_N_ELEMENTS(signal_numbers); i++)
		if (signal_numbers[i] == sig)
			return signal_names[i];
	return NULL;
}

int sim_scn_signal_from_name(const char *name)
{
	int i = pick(name, signal_names);
	return i < 0 ? -1 : signal_numbers[i];
}

const char *sim_scn_state_name(SimTaskStateName s)
{
	return (guint)s < G_N_ELEMENTS(state_names) - 1 ? state_names[s] : "?";
}

const char *sim_scn_deliver_name(SimDeliver d)
{
	return (guint)d < G_N_ELEMENTS(deliver_names) - 1 ? deliver_names[d] : "?";
}
