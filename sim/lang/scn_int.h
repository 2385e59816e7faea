/* scn_int.h — the scenario front end's private header: tokens, parser state, shared helpers.
 *
 * The front end (sim/lang/scn*.c) includes it, and so do the call families
 * (sim/calls/call_*.c): each call's row has a parse hook that reads the statement after its
 * keyword, and a resolve hook for the checks that need the whole file, written with the
 * helpers declared here. A Parser holds the token array (filled once by scn_lex), the
 * position in it, the first error, and everything read so far: the scenario's settings and
 * the arrays that become its declarations, plus what resolution needs later (names, labels,
 * references, variable uses). The statement and declaration readers take the Parser and
 * return FALSE on error, with the error in p->err: the first error stops the parse.
 *
 * Functions shared between the front end's files and the families carry the scn_ prefix;
 * each file's own helpers stay static. The token accessors are inline here, since every
 * reader uses them. The call table (call.h) names the Parser only as struct SimScnParser,
 * so that nothing outside these files sees inside it.
 */
#ifndef MSGSIM_SCN_INT_H
#define MSGSIM_SCN_INT_H

#include "msgsim/lang/scn.h"

#include <string.h>

#define SKIP_CHARS " \t\r\n\f\v"
#define WORD_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789"
#define MAX_REPLICAS 1000000

#define E_SYNTAX SIM_SCN_ERROR_SYNTAX
#define E_NUMBER SIM_SCN_ERROR_NUMBER
#define E_NAME SIM_SCN_ERROR_NAME
#define E_MISUSE SIM_SCN_ERROR_MISUSE

#define KEY_MAX G_GINT64_CONSTANT(0xffffffff) /* a key_t is 32 bits */
#define MODE_MAX 0777
#define MQ_NAME_MAX 255 /* NAME_MAX: the bytes after the '/' */
#define FIRST_FD 3	/* 0, 1 and 2 are the standard streams */
#define READ_SIZE 4096	/* the buffer of a `read` without size= */
#define FIFO_MODE 0666	/* the mode of a `mkfifo` without perm= */

/* ---- Tokens ---- */

/* TOK_BYTES is a string whose escapes make bytes that are not text (a NUL, or bytes that are
 * not UTF-8): only message data takes one (scn_take_text); elsewhere it is refused. */
typedef enum { TOK_EOF, TOK_WORD, TOK_STRING, TOK_CHAR, TOK_BAD, TOK_BYTES } TokKind;

typedef struct {
	TokKind kind;
	char ch;	      /* TOK_CHAR: the byte */
	char *text;	      /* WORD: the word; STRING, BYTES: the unescaped text; BAD: the error */
	gsize len;	      /* STRING, BYTES: bytes in text (a NUL follows them) */
	SimScnErrorCode code; /* TOK_BAD: the error code */
	gsize start;	      /* byte offset of the first character */
	gsize end;	      /* byte offset just past the last character */
	SimLoc loc;	      /* line:col of start */
	gboolean glued;	      /* no blank or comment separates it from the previous token */
} Tok;

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
	guint expect;  /* the `expect @label` that names it */
	gboolean second; /* the label after `before` (SIM_EXPECT_ORDER) */
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
	REF_EXPECT_PROC2, /* expect ... before PROC@LABEL: index is the expectation */
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
	SimLoc stat_loc[SIM_STAT_COUNT]; /* STATS: where each statistic is written */
} ExpectInfo;

/* ftok("PATH", ID) read in an expression: its node gets the key once the files are known. */
typedef struct {
	SimExpr *node; /* borrowed: the statement or text that holds the tree owns it */
	char *path;
	SimLoc loc;
} FtokUse;

/* What set a variable first: the kind of value it holds. */
typedef enum {
	ROLE_COUNTER, /* repeat N as v: an integer */
	ROLE_MESSAGE, /* receive/msgrcv/mq_receive/read ... -> v: a message */
	ROLE_QUEUE,   /* msgget ... -> v: an integer, the queue id */
	ROLE_FD,      /* mq_open/open ... -> v: an integer, the descriptor */
	ROLE_PIPE,    /* pipe -> v: two descriptors, v.r and v.w; no other role may share it */
	ROLE_STATUS,  /* wait ... -> v: an integer, the exit status */
	ROLE_VALUE,   /* let v = EXPR: an integer */
	ROLE_STAT,    /* msgctl q stat -> v: a struct msqid_ds, read as v.qnum, v.perm.mode */
} VarRole;

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
	const char *msg_field; /* the field of the use at msg_loc ("type"), or NULL: .from */
	SimLoc field_loc;    /* the first $v.WORD whose WORD is no message field; line 0: none */
	char field[24];	     /* that WORD (cut short if longer) */
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
	guint index;	   /* of the body in p->bodies */
	GArray *vars;	   /* VarInfo, in slot order */
	GHashTable *slots; /* name (borrowed from vars) -> slot + 1, so a lookup costs O(1) */
	GArray *counters;  /* Counter, innermost last */
	GArray *queues;	   /* QueueUse, slot not yet known */
	GArray *forks;	   /* guint: the proc index of each child this body forks, in order */
	GArray *waits;	   /* WaitUse */
	guint depth;
	guint max_depth;
	guint proc;	  /* the process running it (the first replica) */
	guint n_procs;	  /* how many run it: the replicas, 1 for a process that is not */
	const char *name; /* the process as declared ("worker" for worker[3]) */
	guint n_inherit;  /* a fork body: the slots copied from the parent (0 otherwise) */
	gboolean handler; /* a signal handler's body: `si.` names its siginfo */
} BodyBuilder;

/* The processes that run a body: replicas are declared together, so they are a range. */
typedef struct {
	guint first;
	guint n;
} BodyProcs;

/* An `assert` and the expectation it made, joined when the statements are indexed. */
typedef struct {
	guint expect;
	guint stmt;
} AssertUse;

/* A file of the scenario: the scenario file itself (0) or one it includes, directly or not.
 * Its bytes are in p->src from `base` (an included file is appended to the text read). */
typedef struct {
	char *name;	  /* as errors show it: the includer's directory joined with the path */
	char *dir;	  /* where the paths of its own includes start */
	SimLoc from;	  /* the path of the include that read it (loc_file: in which file) */
	guint depth;	  /* includes between it and the scenario file (0 for the file) */
	gsize base, len;  /* its bytes in p->src */
	guint64 dev, ino; /* which file it is, to refuse a cycle (0, 0: not known) */
} Source;

#define SCN_MAX_INCLUDE_DEPTH 16 /* includes nested in includes */
/* Which file a location is in: an included file's index sits in the top 8 bits of the
 * column (a line of a file within SIM_SCN_MAX_BYTES has far fewer than 2^24 characters), so
 * that SimLoc keeps its two fields and the scenario file's locations are what they were.
 * Only the parser's errors show a column; they take the file back out (scn_lex.c: vfail). */
#define LOC_FILE_SHIFT 24
#define LOC_COL_MASK ((1u << LOC_FILE_SHIFT) - 1)
#define SCN_MAX_SOURCES 256	 /* files in one scenario, itself included (8 bits) */

typedef struct SimScnParser {
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
	GArray *expects;    /* SimScnExpect */
	GArray *sysvqs;	    /* SimScnSysvQueue */
	GArray *files;	    /* SimScnFile */
	GArray *users;	    /* SimScnUser */
	GArray *posixqs;    /* SimScnPosixQueue */
	GArray *pq_info;    /* PosixInfo, by POSIX queue */
	/* Declarations by what names them, index + 1: a lookup costs O(1), so a file of
	 * tens of thousands of declarations is not checked in quadratic time. */
	GHashTable *file_index;	  /* path -> file */
	GHashTable *user_index;	  /* user name -> user */
	GHashTable *uid_index;	  /* uid (gint64) -> user */
	GHashTable *posixq_index; /* "/name" -> POSIX queue */
	guint n_stmts;

	GHashTable *names;   /* name -> NameDef */
	GHashTable *labels;  /* label -> LabelDef */
	GArray *refs;	     /* Ref */
	GArray *ftok_exprs;  /* FtokUse: ftok("PATH", ID) in expressions, keyed at the end */
	GArray *label_refs;  /* LabelRef */
	GArray *stmt_info;   /* StmtInfo, by statement id */
	GArray *expect_info; /* ExpectInfo, by expectation */
	GArray *queue_uses;  /* QueueUse of every finished body */
	GArray *var_defs;    /* VarDef of every finished body */
	SimLoc sched_loc, cost_loc, direct_loc, sysctl_loc;
	SimLoc sysctl_seen[SIM_LIMIT_COUNT]; /* where each sysctl key is written */
	BodyBuilder *body;		     /* the body being read, or NULL */
	guint depth;   /* blocks open now, of every body (at most SIM_SCN_MAX_DEPTH) */
	guint n_slots; /* slots forked children copied so far (SIM_SCN_MAX_SLOTS) */
	gboolean handler_next; /* the next scn_parse_body reads a handler's body */

	/* Expressions and parameters (scn_expr.c) */
	const SimScnOptions *opts; /* what the caller gave (-D, the seed), or NULL */
	GHashTable *defines;	   /* -D name -> value, removed as params take them */
	GArray *params;		   /* SimScnParam */
	GHashTable *param_index;   /* name -> index + 1 */
	GArray *asserts;	   /* AssertUse */
	SimStmt *cur_stmt;	   /* the statement being read: its fields may wait for the run */
	GArray *cur_dyn;	   /* SimDynOp of cur_stmt */

	/* Included files (scn_include.c) */
	GArray *sources; /* Source, by SimLoc.file */
	GString *all;	 /* the text read and every included file, end to end, once one is
			  * included: p->src then points into it */
	/* The programs an exec expectations file names (scn_programs.c), or NULL */
	GPtrArray *programs;	    /* char *, in the order first met */
	GHashTable *program_index;  /* name (borrowed) -> index + 1 */
} Parser;

/* ---- Options: key=value pairs and bare flags, in any order, each at most once ----
 *
 * Each statement and declaration describes its options in a table of OptSpec rows: the
 * option's name, what kind of value it takes, and where in the object being read (a SimStmt,
 * a SimScnMbox ...) the value goes. One reader (scn_take_opt + scn_opt_value, or
 * scn_take_opts for both in a loop) walks every table, so an option is one row and every
 * option of a kind reads, checks and reports its value the same way. What a row cannot say
 * (a key=, an owner=, a timeout and the one it excludes) is an OPT_TAKE with a function. */

#define OPT_END (-1)
#define OPT_ERR (-2)
#define OPT_MAX 32 /* rows in one table at most */

typedef struct Opts Opts;

/* Reads the value of option k (its '=' is read) into obj; FALSE on error. */
typedef gboolean (*OptTake)(Parser *p, Opts *o, int k, void *obj);

typedef enum {
	OPT_FLAG, /* a bare word: ORs `bits` into the guint at `at` */
	OPT_BOOL, /* a bare word: sets the gboolean at `at` */
	OPT_INT,  /* NAME=N: a whole number within [min, max] into the gint64 at `at` */
	OPT_MODE, /* NAME=0666: permission bits into the gint64 at `at` */
	OPT_TIME, /* NAME=5ms: a time into the SimTime at `at` */
	OPT_ENUM, /* NAME=WORD: the index of WORD in `names` into the int-sized enum at `at` */
	OPT_TAKE, /* NAME=...: read by `take` */
} OptKind;

typedef struct {
	const char *name;	  /* the key as written: "type" for type=N */
	OptKind kind;		  /* what it takes */
	gsize at;		  /* the offset of its field in the object read */
	gint64 min, max;	  /* OPT_INT: the range */
	guint bits;		  /* OPT_FLAG: the bits it sets */
	const char *const *names; /* OPT_ENUM: the words, NULL-terminated */
	OptTake take;		  /* OPT_TAKE: the reader */
	gboolean access;	  /* OPT_FLAG: an access mode (rdonly...); at most one is given */
} OptSpec;

/* The rows of an option table, one macro per kind; a table ends with OPTS_END. */
#define FLAG_OPT(n, field, b)                                             \
	{                                                                 \
		.name = (n), .kind = OPT_FLAG, .at = (field), .bits = (b) \
	}
#define ACCESS_OPT(n, field, b)                                                           \
	{                                                                                 \
		.name = (n), .kind = OPT_FLAG, .at = (field), .bits = (b), .access = TRUE \
	}
#define BOOL_OPT(n, field)                                   \
	{                                                    \
		.name = (n), .kind = OPT_BOOL, .at = (field) \
	}
#define INT_OPT(n, field, lo, hi)                                                     \
	{                                                                             \
		.name = (n), .kind = OPT_INT, .at = (field), .min = (lo), .max = (hi) \
	}
#define MODE_OPT(n, field)                                   \
	{                                                    \
		.name = (n), .kind = OPT_MODE, .at = (field) \
	}
#define TIME_OPT(n, field)                                   \
	{                                                    \
		.name = (n), .kind = OPT_TIME, .at = (field) \
	}
#define ENUM_OPT(n, field, words)                                              \
	{                                                                      \
		.name = (n), .kind = OPT_ENUM, .at = (field), .names = (words) \
	}
#define TAKE_OPT(n, fn)                                     \
	{                                                   \
		.name = (n), .kind = OPT_TAKE, .take = (fn) \
	}
#define OPTS_END             \
	{                    \
		.name = NULL \
	}

struct Opts {
	const char *what;     /* what they belong to, for errors: "mailbox" */
	const OptSpec *specs; /* the table, ended by a row whose name is NULL */
	SimLoc seen[OPT_MAX]; /* where each option was given; line 0 when it was not */
};

/* ---- Statement options: what the calls' parse hooks put in their option tables ---- */

/* The offset of a SimStmt field, for the statements' option tables: a family's argument is
 * named through its member, ST(sysv.size). */
#define ST(field) G_STRUCT_OFFSET(SimStmt, field)
/* The access modes of mq_open and open: exactly one is set once the options are read. */
#define ACCESS_MODES (SIM_O_RDONLY | SIM_O_WRONLY | SIM_O_RDWR | SIM_O_ACCMODE3)

/* The options of one statement being read (scn_take_stmt_opts), and what may come among
 * them: `-> VAR` when `role` is one, the statement's TEXT when `text_ctx` is set. */
typedef struct {
	Opts o;
	int role;	      /* the VarRole of `-> VAR`, or -1: no arrow among the options */
	SimLoc arrow;	      /* where `->` was given; line 0 when it was not */
	const char *text_ctx; /* not NULL: the statement's TEXT may come among the options */
	gboolean text;	      /* the TEXT came */
} StmtOpts;

/* ---- The words of the language (scn.c) ---- */

/* scn_cap_names[CAP_NONE] and [CAP_ALL]: `none` and `all` stand alone. */
#define CAP_NONE 3
#define CAP_ALL 4

extern const char *const scn_decl_words[];
extern const char *const scn_reserved_words[];
extern const char *const scn_deliver_names[];
extern const char *const scn_order_names[];
extern const char *const scn_state_names[];
extern const char *const scn_ctl_names[];
extern const char *const scn_action_names[];
extern const char *const scn_cap_names[];
extern const char *const scn_stat_names[];
extern const char *const scn_named_stat_names[];
extern const char *const scn_mbox_stat_names[];
extern const char *const scn_sysvq_stat_names[];
extern const char *const scn_posixq_stat_names[];
extern const char *const scn_sem_stat_names[];
extern const char *const scn_signal_names[];

/* ---- Words, freeing and arrays (scn.c) ---- */

void scn_stmt_clear(SimStmt *st);
void scn_clear_stmt(gpointer data);
void scn_clear_var(gpointer data);
void scn_clear_queue_use(gpointer data);
void scn_clear_wait_use(gpointer data);
void scn_builder_clear(BodyBuilder *b);
void scn_parser_clear(Parser *p);
GArray *scn_array_new(gsize size, GDestroyNotify clear);
gpointer scn_steal_array(GArray **a, guint *n);

/* ---- Lexing, errors, values and options (scn_lex.c) ---- */

gboolean scn_to_u64(const char *w, guint64 *out, gboolean *big);
/* ": did you mean 'WORD'?" for the closest of `words` (NULL-terminated) to `word`, or "". */
char *scn_did_you_mean(const char *word, const char *const *words);
char *scn_did_you_mean_key(const char *word, GHashTable *names);
int scn_cmp_str(const void *a, const void *b);

void scn_tok_clear(gpointer data);
int scn_pick(const char *word, const char *const *words);
char *scn_either(const char *const *words);
gsize scn_char_len(const char *s);
gboolean scn_loc_before(SimLoc a, SimLoc b);
G_GNUC_PRINTF(4, 5)
gboolean scn_fail_at(Parser *p, SimLoc loc, SimScnErrorCode code, const char *fmt, ...);
G_GNUC_PRINTF(4, 5)
gboolean scn_fail_tok(Parser *p, const Tok *t, SimScnErrorCode code, const char *fmt, ...);
G_GNUC_PRINTF(3, 4)
gboolean scn_expected_at(Parser *p, const Tok *t, const char *fmt, ...);
G_GNUC_PRINTF(2, 3)
gboolean scn_expected(Parser *p, const char *fmt, ...);
void scn_lex(Parser *p);
void scn_lex_part(Parser *p, gsize base, gsize len, guint file, GArray *into);
gboolean scn_check_text(Parser *p);
gboolean scn_check_source(Parser *p, const char *text, gsize len, guint file);
gboolean scn_take_int(Parser *p, const char *what, const char *ctx, gint64 min, gint64 max,
		      gint64 *out);
gboolean scn_take_int_in(Parser *p, const char *what, const char *ctx, gint64 min, gint64 max,
			 const char *range, gint64 *out);
gboolean scn_take_mode(Parser *p, const char *what, gint64 *out);
gboolean scn_take_time(Parser *p, const char *ctx, SimTime *out);
int scn_take_choice(Parser *p, const char *what, const char *ctx, const char *const *names);
gboolean scn_take_capacity(Parser *p, gint64 *out);
gboolean scn_take_errno(Parser *p, const char *ctx, gboolean eof, int *out);
gboolean scn_take_name(Parser *p, const char *what, char **name, SimLoc *loc);
int scn_take_opt(Parser *p, Opts *o);
gboolean scn_opt_value(Parser *p, Opts *o, int k, void *obj);
gboolean scn_take_opts(Parser *p, Opts *o, void *obj);
int scn_opt_index(const Opts *o, const char *name);

/* ---- Statements and texts (scn_stmt.c): what more than one call family reads ----
 *
 * Each call's own reader is its row's parse hook (call.h), in its family's file. Every
 * reader returns FALSE on error, with the error in p->err. */

/* Reads the value of key=: a number, `private` or ftok("PATH", ID); an ftok path is recorded
 * as a use of kind `ref` (a msgget statement or a `sysv queue`, `index`) for the end. */
gboolean scn_take_key(Parser *p, RefKind ref, guint index, SimKey *out);
/* Reads a signal name such as SIGUSR1 into its number; `ctx` says where ("after 'on'"). */
gboolean scn_take_signal(Parser *p, const char *ctx, int *out);
/* ... one that a call sends (kill, mq_notify's signal=): SIGSTOP and SIGCONT are refused. */
gboolean scn_take_sent_signal(Parser *p, const char *ctx, int *out);
/* Splits the string token t into literal parts and $name, ${name}, $name.from, $self and
 * $index parts, noting each variable used in the body being read; does not advance. */
gboolean scn_parse_text(Parser *p, const Tok *t, SimText *out);
/* Reads a TEXT in double quotes (scn_parse_text); `ctx` says what it follows. */
gboolean scn_take_text(Parser *p, const char *ctx, SimText *out);
/* Patterned data (scn_bytes.c): `bytes=N [pattern=A..B | pattern="TEXT"]` where a text goes. */
gboolean scn_at_bytes_gen(const Parser *p);
gboolean scn_take_bytes_gen(Parser *p, SimText *out);
/* An expected text in `received [...]`: a string as written (no $ parts) or patterned data. */
gboolean scn_take_expect_bytes(Parser *p, char **text, gsize *len, char **shown);
/* Reads `-> VAR`, the arrow at tok(p), into st->var as a variable of `role`; `seen` is where
 * an earlier arrow of the statement was (line 0: none), since a second one is an error. */
gboolean scn_take_arrow(Parser *p, SimStmt *st, VarRole role, SimLoc *seen);
/* Reads a statement's options as so->o.specs says, in any order, with `-> VAR` and its TEXT
 * among them when `so` allows; stops at the first token that is none of them. */
gboolean scn_take_stmt_opts(Parser *p, SimStmt *st, StmtOpts *so);
/* Reads the descriptor operand D of the call `how` (mq_* but mq_open and mq_unlink, close,
 * read, write, fcntl, ioctl) into st->ep: a `posix queue` "/name" (mq_* only), a number, an
 * integer variable or a pipe end p.r/p.w. `ctx`, when not NULL, gets "after 'how D'". */
gboolean scn_take_fd(Parser *p, SimStmt *st, const char *how, char **ctx);
/* Refuses a `nowait` after mq_send, mq_receive, read or write (`how`), naming the option
 * the call has instead; TRUE when no `nowait` follows. */
gboolean scn_no_nowait(Parser *p, const char *how);
/* What the parse kept of statement `id` besides the SimStmt: its body, where to= was. */
StmtInfo *scn_info_of(Parser *p, guint id);
/* A new statement of `kind` at loc in the body being read: its id and head at the defaults
 * every call shares (its family's arguments are zero). */
void scn_stmt_init(Parser *p, SimStmt *st, SimStmtKind kind, SimLoc loc);
/* Reads '{' STATEMENTS '}'; `ctx` says what the '{' starts, for the error when it is not. */
gboolean scn_parse_block(Parser *p, const char *ctx, SimBlock *out);

/* ---- Expressions and parameters (scn_expr.c) ---- */

/* `${` at the current token. */
gboolean scn_at_expr(const Parser *p);
/* `${` or a parameter's name at the current token: what scn_take_int also reads. */
gboolean scn_at_value(const Parser *p);
/* Reads `${EXPR}` or a parameter where a number of [min, max] is read (scn_take_int does). */
gboolean scn_take_int_value(Parser *p, const char *what, gint64 min, gint64 max, gint64 *out);
/* Reads `${EXPR}UNIT` where a time is read (scn_take_time does). */
gboolean scn_take_time_value(Parser *p, const char *ctx, SimTime *out);
/* An expression inside a text, from s (just after "${", at loc) to its '}'; *used: bytes. */
SimExpr *scn_parse_text_expr(Parser *p, const char *s, SimLoc loc, gsize *used);
/* The condition of `if`, up to the '{' of its block. */
SimExpr *scn_take_cond(Parser *p, const char *ctx);
/* The condition of `assert`, up to what cannot continue it. */
SimExpr *scn_take_assert_cond(Parser *p, const char *ctx);
/* An expression at the cursor, up to what cannot go on it: print's arguments. */
SimExpr *scn_take_expr(Parser *p);
struct SimPrintf;
/* print's `, ARG, ...` after its format (at the ','): the conversions of the format token
 * `fmt`, each with its argument (sim/lang/scn_printf.c). */
gboolean scn_take_printf(Parser *p, const Tok *fmt, struct SimPrintf **out);
/* A constant tree's value, or an error at the node that faulted. */
gboolean scn_fold(Parser *p, const SimExpr *e, gint64 *out);
const SimScnParam *scn_find_param(const Parser *p, const char *name);
gboolean scn_parse_param(Parser *p);
gboolean scn_take_defines(Parser *p);
gboolean scn_check_defines(Parser *p);

/* ---- Included files (scn_include.c) ---- */

/* Source 0 (the scenario file), made before the text is lexed; `path` is its file name. */
void scn_sources_init(Parser *p);
const Source *scn_source(const Parser *p, guint file);
/* include "PATH": the file's tokens are read in at this point of the token array. */
gboolean scn_parse_include(Parser *p);

/* Reads a scenario file (scn.c): a regular file of at most SIM_SCN_MAX_BYTES; *dev and *ino
 * say which file it was. Errors are "PATH: error: ...". */
gboolean scn_read_file(const char *path, char **text, gsize *len, guint64 *dev, guint64 *ino,
		       GError **error);

/* ---- Declarations and the file (scn_parse.c) ---- */

SimScnBody *scn_parse_body(Parser *p, const char *ctx, guint proc, guint n_procs, const char *name,
			   const BodyBuilder *parent);
gboolean scn_check_stats(Parser *p, const SimScnExpect *e, guint index, const char *const *keys,
			 const char *what);
SimScenario *scn_parse_all(Parser *p);

/* ---- Names, variables and resolution (scn_resolve.c) ---- */

gboolean scn_not_reserved(Parser *p, const char *name, SimLoc loc, const char *what);
gboolean scn_declare(Parser *p, const char *name, SimLoc loc, NameKind kind, guint index);
/* Declares a task started by the process being read (a forked copy, a thread) as process
 * `index` (scn_resolve.c). */
gboolean scn_declare_child(Parser *p, const char *name, SimLoc loc, guint index,
			   SimStartKind start);
void scn_add_ref(Parser *p, RefKind kind, const char *name, SimLoc loc, guint index, guint sub,
		 const char *ctx);
gboolean scn_is_builtin(const char *name);
guint scn_add_slot(BodyBuilder *b, const VarInfo *v);
int scn_use_var(Parser *p, const char *name, SimLoc loc, gboolean needs_msg, gboolean reply);
/* `$v.FIELD` (a message field, static) at loc: the field an error about v names. */
void scn_note_msg_field(Parser *p, int slot, const char *field, SimLoc loc);
/* `$v.WORD` in a text where WORD is no message field: an error if v holds a message. */
void scn_note_field(Parser *p, int slot, const char *word, gsize len, SimLoc loc);
int scn_use_fd_var(Parser *p, const char *name, SimLoc loc, const char *how, SimFdEnd end);
/* An XSI id or address operand (semop S, shmat S, shmdt A ...): an integer variable of the
 * body, in st->ep; otherwise "expected WHAT after 'HOW'". */
gboolean scn_take_id_var(Parser *p, SimStmt *st, const char *how, const char *what);
int scn_assign_var(Parser *p, const char *name, SimLoc loc, VarRole role);
/* The slot of an integer variable of the body set before loc (an expression's operand), or
 * -1 after an error. */
int scn_int_var(Parser *p, const char *name, SimLoc loc);
/* The slot of `name` when it is a variable of the body set by `msgctl ... stat -> name`
 * before this point, else -1. */
int scn_stat_var(const Parser *p, const char *name);
/* The msqid_ds field `.qnum` or `.perm.mode` at s (before end) of stat variable `name`, at
 * loc: its SimExprField, with *len its bytes; -1 after an error (an unknown field). */
int scn_stat_field(Parser *p, const char *name, const char *s, const char *end, SimLoc loc,
		   gsize *len);
/* scn_handler.c: `si.WORD` in a handler's body (an error elsewhere), and the body itself. */
SimExpr *scn_si_field(Parser *p, const char *word, SimLoc loc);
gboolean scn_parse_handler_body(Parser *p, SimStmt *st);
gboolean scn_finish_vars(Parser *p, BodyBuilder *b, SimScnBody *body);
SimScenario *scn_finish(Parser *p);

/* ---- Expectations files of msgsim exec (scn_programs.c) ---- */

/* SimScnOptions.programs was given. */
gboolean scn_programs_mode(const Parser *p);
/* A process name where an expectation wants one: a name, or in programs mode a pid. */
gboolean scn_at_proc_name(const Parser *p, const Tok *t);
gboolean scn_take_proc_name(Parser *p, const char *what, char **name, SimLoc *loc);
/* The index of a program written `name` in scn->programs (added on first use). */
int scn_program_index(Parser *p, const char *name);
/* Moves the programs into scn (programs mode); frees what the parser holds of them. */
void scn_programs_finish(Parser *p, SimScenario *scn);
void scn_programs_clear(Parser *p);
/* Declaration t is allowed here (programs mode allows expect, param and include only). */
gboolean scn_programs_decl(Parser *p, const Tok *t);
/* Expectation e, read from token `at`, is one exec can judge (TRUE outside programs mode). */
gboolean scn_programs_check(Parser *p, const SimScnExpect *e, const Tok *at);
/* `calls [...]` after `expect PROC` (the word `calls` is the current token). */
gboolean scn_parse_calls_expect(Parser *p, SimScnExpect *e, guint index, const Tok *proc);

/* ---- Descriptor and pipe expectations (scn_expect_fd.c) ---- */

/* `expect PROC fd D mq_flags=V`, at `fd` (PROC read, at index `index`). */
gboolean scn_parse_mq_flags_expect(Parser *p, SimScnExpect *e, guint index, const Tok *proc);
/* Whether `expect pipe ...` at tok(p) is a pipe's holders rather than a process "pipe". */
gboolean scn_at_pipe_expect(Parser *p);
/* `expect pipe [PROC] NAME|"path" readers=... writers=...`, at `pipe`. */
gboolean scn_parse_pipe_expect(Parser *p, SimScnExpect *e, guint index);
/* After the names are resolved: each variable and holder list against the processes. */
gboolean scn_resolve_fd_expects(Parser *p);
void scn_expect_fd_clear(SimScnExpect *e);

/* ---- Token access ---- */

static inline guint loc_file(SimLoc loc)
{
	return loc.col >> LOC_FILE_SHIFT;
}

static inline const Tok *tok(const Parser *p)
{
	return &g_array_index(p->toks, Tok, p->pos);
}

static inline const Tok *peek(const Parser *p, guint n)
{
	return &g_array_index(p->toks, Tok, MIN(p->pos + n, p->toks->len - 1));
}

static inline void advance(Parser *p)
{
	if (p->pos + 1 < p->toks->len)
		p->pos++;
}

static inline gboolean is_char(const Tok *t, char c)
{
	return t->kind == TOK_CHAR && t->ch == c;
}

static inline gboolean is_word(const Tok *t, const char *w)
{
	return t->kind == TOK_WORD && strcmp(t->text, w) == 0;
}

static inline gboolean is_number_word(const Tok *t)
{
	return t->kind == TOK_WORD && g_ascii_isdigit(t->text[0]);
}

static inline gboolean is_name_word(const Tok *t)
{
	return t->kind == TOK_WORD && !g_ascii_isdigit(t->text[0]);
}

/* A '-' written right against a number word: the sign of a negative number. */
static inline gboolean at_negative(const Parser *p)
{
	return is_char(tok(p), '-') && peek(p, 1)->glued && is_number_word(peek(p, 1));
}

/* The two-character symbol `->`. */
static inline gboolean at_arrow(const Parser *p)
{
	return is_char(tok(p), '-') && is_char(peek(p, 1), '>') && peek(p, 1)->glued;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SimStmt, scn_stmt_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(BodyBuilder, scn_builder_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Parser, scn_parser_clear)

#endif /* MSGSIM_SCN_INT_H */
