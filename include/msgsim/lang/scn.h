/* scn.h — the scenario front end: a GScanner lexer and a recursive-descent parser.
 *
 * The code is in sim/lang/scn_lex.c (tokens, errors, values), sim/lang/scn_parse.c (declarations,
 * expectations), sim/lang/scn_stmt.c (statements), sim/lang/scn_resolve.c (names and checks that
 * need the whole file) and sim/lang/scn.c (the functions below), sharing sim/lang/scn_int.h.
 *
 * sim_scn_parse() turns scenario text into a SimScenario: a plain description (declarations,
 * process bodies as statement trees, expectations) with every name already resolved to an
 * index and every number already converted. It never touches simulation state, so the
 * same SimScenario can be instantiated many times (runs, explorations, cross-checks).
 *
 * Ownership: the SimScenario owns everything reachable from it. Replicated processes
 * (`process worker[3]`) become three SimScnProc entries that share one SimScnBody;
 * the bodies live in scn->bodies, the processes only point at them.
 *
 * Errors: the first error stops the parse. The GError (domain SIM_SCN_ERROR) message is
 * "FILE:LINE:COL: error: WHAT" where WHAT says what was found and what was expected;
 * error->code is a SimScnErrorCode. Nothing is returned on error.
 *
 * Limits: a scenario is written by a person, but msgsim also meets files that are not
 * scenarios at all (a device, a log, a generated file gone wrong). The front end bounds
 * what any input can cost before a run starts: sim_scn_load() reads at most
 * SIM_SCN_MAX_BYTES from a regular file or standard input and refuses anything else, and
 * the parser caps block nesting, processes and variable slots (SIM_SCN_MAX_*), each with an
 * error at the place that goes over. Every pass over the text or the statements is linear
 * in its size (nesting aside, which the cap keeps shallow), so a file at the size limit
 * parses in well under a second whatever it holds.
 *
 * Values known before the run: `param`s (drawn from the seed, or set with -D through
 * sim_scn_parse_with) and `${...}` expressions of numbers and parameters are folded into
 * plain numbers and texts while parsing; only expressions that name a variable of a body
 * stay, as a statement's SimDynOps or a text's SIM_TEXT_EXPR parts (expr.h). An `include`
 * is read where it stands (sim/lang/scn_include.c); what a SimScenario keeps of its files is
 * its own text (`source`, for a quiz) and each location's line in its own file.
 *
 * Programs mode (SimScnOptions.programs, sim/lang/scn_programs.c): the file is msgsim exec's
 * expectations, whose processes are programs that no declaration names; each name an
 * expectation uses becomes one of scn->programs, and its process index is into those.
 *
 * Name spaces: mailboxes, ports and processes share one name space (a send target is
 * looked up there). Variables are per process body; labels are global.
 *
 * Vocabulary: what a scenario declares in the kernel's own terms (call flags, capabilities,
 * orderings, delivery rules, signal dispositions) is spelled as vocab.h names it, task states
 * as task.h does and scheduling policies as sched.h does. The parser includes those headers;
 * no kernel-object header includes this one.
 */
#ifndef MSGSIM_SCN_H
#define MSGSIM_SCN_H

#include "msgsim/base.h"
#include "msgsim/kernel/limits.h"
#include "msgsim/engine/sched.h"
#include "msgsim/engine/task.h"
#include "msgsim/kernel/vocab.h"
#include "msgsim/lang/expr.h"
#include "msgsim/lang/outfield.h"

#define SIM_SCN_ERROR (sim_scn_error_quark())

typedef enum SimScnErrorCode {
	SIM_SCN_ERROR_SYNTAX, /* unexpected token, unterminated string or block */
	SIM_SCN_ERROR_NUMBER, /* bad number, unit or range */
	SIM_SCN_ERROR_NAME,   /* unknown or duplicate name */
	SIM_SCN_ERROR_MISUSE, /* well-formed but not allowed (receive on a port you do not own) */
	SIM_SCN_ERROR_IO,     /* the file could not be read, or is not a regular file */
	SIM_SCN_ERROR_LIMIT,  /* over one of the limits below (size, nesting, processes) */
} SimScnErrorCode;

/* The limits of a scenario. The largest shipped scenario is under 3 KB and the deepest
 * nests 4 blocks; these sit orders of magnitude above anything written by hand, and low
 * enough that the parser's worst case (about 60 bytes of memory per input byte, when every
 * byte is a token) stays near 64 MB. Replicas are the exception: `process w[1000000]`
 * costs the parser about 250 bytes a process (250 MB), and running them is bounded by the
 * world's memory guard rail, which counts every process (world.h). */
#define SIM_SCN_MAX_BYTES (1024 * 1024) /* a file of more bytes is refused unparsed */
#define SIM_SCN_MAX_DEPTH 256		/* blocks open at once: process, fork, repeat, loop */
#define SIM_SCN_MAX_PROCS 1000000	/* processes, replicas and forked children included */
#define SIM_SCN_MAX_SLOTS                                             \
	100000 /* variable slots that forked children copy from their \
		* parents, in all: forks times variables */

/* ---- Message text templates ---- */

typedef enum SimTextPartKind {
	SIM_TEXT_LIT,	   /* literal text */
	SIM_TEXT_VAR,	   /* $v: an integer variable's value or a message variable's text */
	SIM_TEXT_VAR_FROM, /* $v.from: the sender name of the message held in variable v */
	SIM_TEXT_SELF,	   /* $self: the running process's name */
	SIM_TEXT_INDEX,	   /* $index: the replica index (0 for a process that is not replicated) */
	SIM_TEXT_VAR_TYPE, /* $v.type: the type of the message held in variable v */
	SIM_TEXT_VAR_PRIO, /* $v.prio: its priority */
	SIM_TEXT_VAR_LEN,  /* $v.len: its length in bytes */
	SIM_TEXT_EXPR,	   /* ${EXPR}: an expression that names a run-time variable */
} SimTextPartKind;

typedef struct SimTextPart {
	SimTextPartKind kind;
	char *lit;     /* SIM_TEXT_LIT: the literal text (owned) */
	int var;       /* SIM_TEXT_VAR*: variable slot in the body */
	SimExpr *expr; /* SIM_TEXT_EXPR: the expression (owned) */
	gsize lit_len; /* SIM_TEXT_LIT: bytes in lit, which may hold a NUL (a \0 escape) */
} SimTextPart;

typedef struct SimText {
	char *literal;	    /* the whole text when it has no $ parts (owned), else NULL */
	gsize literal_len;  /* bytes in literal, which may hold a NUL (a \0 or \x00 escape) */
	SimTextPart *parts; /* when literal is NULL: the parts (owned array) */
	guint n_parts;
} SimText;

/* ---- Statements ---- */

typedef enum SimStmtKind {
	SIM_STMT_SEND,	  /* send TARGET TEXT [type=N] [prio=N] [to=PROC] [nowait] */
	SIM_STMT_RECEIVE, /* receive SOURCE [-> VAR] [nowait] */
	SIM_STMT_COMPUTE, /* compute TIME */
	SIM_STMT_SLEEP,	  /* sleep TIME */
	SIM_STMT_PRINT,	  /* print TEXT */
	SIM_STMT_EXIT,	  /* exit [N] */
	SIM_STMT_REPEAT,  /* repeat N [as VAR] { BODY } */
	SIM_STMT_LOOP,	  /* loop { BODY } */
	SIM_STMT_BREAK,	  /* break [if ERRNO|ok] */
	SIM_STMT_MSGGET,  /* msgget key=K|private|ftok("path", ID) [create] [excl] [perm=M] [-> VAR]
			   */
	SIM_STMT_MSGSND,  /* msgsnd Q TEXT [type=N] [size=N] [nowait] */
	SIM_STMT_MSGRCV,  /* msgrcv Q [type=N] [size=N] [nowait] [except] [noerror] [-> VAR] */
	SIM_STMT_MSGCTL, /* msgctl Q stat|rmid|info|msg_info|set [qbytes=N] [mode=M] [uid=N] [gid=N]
			  */
	SIM_STMT_KILL,	 /* kill PROC SIGNAME */
	SIM_STMT_ON,	 /* on SIGNAME handler|ignore|default (sigaction) */
	SIM_STMT_IPCS, /* ipcs [p|t|l]: print the IPC state into the trace, as system("ipcs -q") */
	SIM_STMT_MQ_OPEN, /* mq_open "/name" [create] [excl] [rdonly|wronly|rdwr] [nonblock]
			   * [perm=M] [maxmsg=N msgsize=N] [-> VAR] */
	SIM_STMT_MQ_SEND, /* mq_send D TEXT [prio=N] [size=N] [timeout=T|deadline=T|timeout=bad] */
	SIM_STMT_MQ_RECEIVE, /* mq_receive D [size=N] [timeout=...] [-> VAR] */
	SIM_STMT_MQ_GETATTR, /* mq_getattr D */
	SIM_STMT_MQ_SETATTR, /* mq_setattr D nonblock|block */
	SIM_STMT_MQ_NOTIFY,  /* mq_notify D signal=SIGNAME|none|off */
	SIM_STMT_MQ_CLOSE,   /* mq_close D */
	SIM_STMT_MQ_UNLINK,  /* mq_unlink "/name" */
	/* Pipes, FIFOs and processes (D is a descriptor operand: see SimFdEnd) */
	SIM_STMT_PIPE,	 /* pipe [nonblock] [cloexec] [direct] -> VAR: pipe2(); VAR.r is the read
			  * end, VAR.w the write end (flags: SIM_O_NONBLOCK|CLOEXEC|DIRECT) */
	SIM_STMT_CLOSE,	 /* close D */
	SIM_STMT_READ,	 /* read D [size=N] [nonblock] [-> VAR]: size default 4096; VAR holds the
			  * bytes read as a message */
	SIM_STMT_WRITE,	 /* write D TEXT [size=N] [nonblock] | write D size=N [nonblock] */
	SIM_STMT_FCNTL,	 /* fcntl D CMD[=N]: a command of the files family's table */
	SIM_STMT_IOCTL,	 /* ioctl D fionread: the bytes waiting in a pipe */
	SIM_STMT_FORK,	 /* fork NAME { BODY }: ep is SIM_EP_PROC, the child */
	SIM_STMT_WAIT,	 /* wait NAME [-> VAR]: ep is SIM_EP_PROC, a child of this body; VAR (an
			  * integer) gets its exit status, 128+N when signal N killed it */
	SIM_STMT_MKFIFO, /* mkfifo PATH [perm=M]: PATH (a string, $ allowed) in `text` */
	SIM_STMT_OPEN,	 /* open PATH [rdonly|wronly|rdwr] [nonblock] [trunc] [-> VAR]: SIM_O_* */
	SIM_STMT_UNLINK, /* unlink PATH */
	SIM_STMT_DUP,	 /* dup D [-> VAR] */
	SIM_STMT_DUP2,	 /* dup2 D N [-> VAR]: N in file.target */
	SIM_STMT_DUP3,	 /* dup3 D N [cloexec] [flags=N] [-> VAR] */
	SIM_STMT_LSEEK,	 /* lseek D OFFSET [set|cur|end|data|hole|whence=N] */
	SIM_STMT_PREAD,	 /* pread D [size=N] [offset=N] [-> VAR] */
	SIM_STMT_PWRITE, /* pwrite D TEXT [size=N] [offset=N] */
	SIM_STMT_FSTAT,	    /* fstat D */
	SIM_STMT_STAT,	    /* stat PATH */
	SIM_STMT_FTRUNCATE, /* ftruncate D LENGTH: LENGTH in file.offset */
	SIM_STMT_TRUNCATE,  /* truncate PATH LENGTH */
	SIM_STMT_SETUID,    /* setuid N: N in proc.id */
	SIM_STMT_SETGID,    /* setgid N */
	/* XSI semaphores (S: an integer variable holding a set's id, semget ... -> s) */
	SIM_STMT_SEMGET, /* semget key=K|private|ftok(...) nsems=N [create] [excl] [perm=M]
			  * [-> VAR] */
	SIM_STMT_SEMOP,	 /* semop S (NUM, OP [, nowait] [, undo]) ... [timeout=T] */
	SIM_STMT_SEMCTL, /* semctl S getval|setval|getpid|getncnt|getzcnt NUM [VAL], getall,
			  * setall V..., stat, set [mode=M] [uid=N] [gid=N], rmid, info,
			  * sem_info, sem_stat, sem_stat_any [-> VAR] */
	/* XSI shared memory (S: a segment id variable; A: an address variable, shmat -> a) */
	SIM_STMT_SHMGET,   /* shmget key=K|private|ftok(...) size=N [create] [excl] [perm=M]
			    * [-> VAR] */
	SIM_STMT_SHMAT,	   /* shmat S [rdonly] [-> VAR]: VAR gets the address */
	SIM_STMT_SHMDT,	   /* shmdt A */
	SIM_STMT_SHMCTL,   /* shmctl S stat|rmid|set [mode=M] [uid=N] [gid=N]|info|shm_info|lock
			    * |unlock|shm_stat|shm_stat_any [-> VAR] */
	SIM_STMT_SHMWRITE, /* shmwrite A OFFSET TEXT: a store of TEXT's bytes at A + OFFSET */
	SIM_STMT_SHMREAD,  /* shmread A OFFSET SIZE [-> VAR]: a load of SIZE bytes */
	SIM_STMT_STORE,	   /* store A[OFF] = VALUE [size=N] [racy]: an integer stored */
	SIM_STMT_LOAD,	   /* load A[OFF] [size=N] [racy] [-> VAR]: an integer loaded */
	SIM_STMT_IPCRM,	   /* ipcrm -q ID|-Q KEY|-s ID|-S KEY|-m ID|-M KEY: util-linux's ipcrm */
	SIM_STMT_IF,	 /* if EXPR { BODY } [else { BODY }]: ctl.cond; ctl.body holds the first
			  * block, then (with an else) one SIM_STMT_ELSE and the second block */
	SIM_STMT_ELSE,	 /* only inside an if's body: where the else block starts */
	SIM_STMT_ASSERT, /* assert EXPR: ctl.cond must not be 0 whenever it is reached (each
			  * assert is also an expectation, SIM_EXPECT_ASSERT) */
	/* sockets (call_sock.c) */
	SIM_STMT_SOCKETPAIR, /* socketpair stream|dgram|seqpacket [nonblock] -> VAR: VAR.r, VAR.w */
	SIM_STMT_SENDTO,     /* sendto D TEXT [size=N] [dontwait] [nosignal]: send(2) */
	SIM_STMT_RECV,	     /* recv D [size=N] [dontwait] [peek] [trunc] [-> VAR] */
	SIM_STMT_SHUTDOWN,   /* shutdown D rd|wr|rdwr */
	SIM_STMT_SOCKET,     /* socket stream|seqpacket [nonblock] -> VAR */
	SIM_STMT_BIND,	     /* bind D "@name": an abstract name, in `text` */
	SIM_STMT_LISTEN,     /* listen D [backlog=N] */
	SIM_STMT_ACCEPT,     /* accept D [-> VAR] */
	SIM_STMT_CONNECT,    /* connect D "@name" [nonblock-style from the descriptor] */
	/* ALPC-style ports (call_alpc.c); H is a handle: a number or an integer variable */
	SIM_STMT_ALPC_CREATE,  /* alpc_create "name" -> VAR: a connection port */
	SIM_STMT_ALPC_CONNECT, /* alpc_connect "name" [TEXT] [size=N] -> VAR */
	SIM_STMT_ALPC_ACCEPT,  /* alpc_accept H [refuse] [-> VAR] */
	SIM_STMT_ALPC_SEND,    /* alpc_send H TEXT [size=N] [-> VAR]: send and wait for reply */
	SIM_STMT_ALPC_RECEIVE, /* alpc_receive H [-> VAR] */
	SIM_STMT_ALPC_REPLY,   /* alpc_reply H TEXT [size=N] */
	SIM_STMT_ALPC_CLOSE,   /* alpc_close H */
	SIM_STMT_SETEUID,      /* seteuid N: N in proc.id (call_cred.c) */
	SIM_STMT_ALARM,	       /* alarm SECONDS [-> VAR]: SECONDS in proc.id (call_alarm.c) */
	SIM_STMT_LET, /* let VAR = EXPR: var the integer variable, ctl.cond the value (no time,
		       * not a call) */
	/* readiness (call_poll.c): the descriptors in poll.fds, not in ep */
	SIM_STMT_POLL,	 /* poll [D EVENTS, ...] [timeout=MS] [-> VAR] */
	SIM_STMT_SELECT, /* select [read=[D, ...]] [write=[...]] [except=[...]] [timeout=MS]
			  * [-> VAR] */
	SIM_STMT_EXEC,	       /* exec { BODY }: the process's body becomes BODY (proc.body);
				* close-on-exec descriptors close (call_exec.c) */
	SIM_STMT_CAT,	       /* cat "/proc/sysvipc/msg": sysv.view SIM_IPCS_PROC_MSG
				* (call_procfs.c) */
	/* threads (call_thread.c) */
	SIM_STMT_THREAD, /* thread NAME { BODY }: ep is SIM_EP_PROC, the thread (SIM_START_THREAD) */
	SIM_STMT_JOIN,	 /* join NAME: waits for a thread of the same process to end */
	SIM_STMT_N_KINDS /* not a statement: the number of kinds (the call table's size) */
} SimStmtKind;

typedef enum SimEndpointKind {
	SIM_EP_MBOX,  /* a mailbox or port: index into scn->mboxes */
	SIM_EP_PROC,  /* a process (direct, symmetric): index into scn->procs */
	SIM_EP_ANY,   /* receive only: any process (direct, asymmetric) */
	SIM_EP_VAR,   /* send only: the sender of the message held in a variable (a reply) */
	SIM_EP_SYSVQ, /* msgsnd/msgrcv/msgctl: a top-level `sysv queue`, index into scn->sysvqs */
	SIM_EP_IDVAR, /* msgsnd/msgrcv/msgctl: an integer variable holding a queue id
		       * (msgget -> v) */
	SIM_EP_FDVAR, /* mq_*: an integer variable holding a descriptor (mq_open -> v) */
	SIM_EP_PQ,    /* mq_*: a top-level `posix queue`, through the descriptor the run opened
		       * for it in each process (index into scn->posixqs) */
	SIM_EP_FDNUM, /* a descriptor written as a number (`close 7`): index is the number */
} SimEndpointKind;

/* Which descriptor a SIM_EP_FDVAR operand means: the variable's own value, or one end of
 * the pipe a `pipe -> p` stored in it (`p.r`, `p.w`). */
typedef enum SimFdEnd {
	SIM_FD_PLAIN, /* v: an integer variable (mq_open, open, or a counter) */
	SIM_FD_READ,  /* p.r */
	SIM_FD_WRITE, /* p.w */
} SimFdEnd;

/* How msgget names its key. */
typedef enum SimKeyKind {
	SIM_KEY_PRIVATE, /* IPC_PRIVATE (0) */
	SIM_KEY_VALUE,	 /* key=0x27011c6c */
	SIM_KEY_FTOK,	 /* ftok("path", ID): from a declared `file` */
} SimKeyKind;

typedef struct SimKey {
	SimKeyKind kind;
	gint64 value; /* VALUE: the key (a 32-bit key_t, may be written in hex); FTOK: the ID */
	int file;     /* FTOK: index into scn->files */
} SimKey;

typedef enum SimCtlCmd {
	SIM_CTL_STAT,	  /* IPC_STAT */
	SIM_CTL_SET,	  /* IPC_SET */
	SIM_CTL_RMID,	  /* IPC_RMID */
	SIM_CTL_INFO,	  /* IPC_INFO */
	SIM_CTL_MSG_INFO, /* MSG_INFO */
	SIM_CTL_MSG_STAT, /* MSG_STAT: Q holds an index into the table, not an id */
	SIM_CTL_MSG_STAT_ANY, /* MSG_STAT_ANY: the same, without the read permission */
	SIM_CTL_RAW,	      /* cmd=N with no command of that number: raw_cmd, EINVAL */
} SimCtlCmd;

/* A timed call's deadline (mq_timedsend/mq_timedreceive). */
typedef enum SimTimeoutKind {
	SIM_TIMEOUT_NONE,     /* no timeout: mq_send / mq_receive */
	SIM_TIMEOUT_RELATIVE, /* timeout=T: deadline = the clock when the call starts + T */
	SIM_TIMEOUT_ABSOLUTE, /* deadline=T: an absolute simulated time (may be in the past) */
	SIM_TIMEOUT_INVALID,  /* timeout=bad: tv_nsec out of range: EINVAL before anything */
} SimTimeoutKind;

/* `break if eof`: the last call returned 0 without an error (read at end of file). */
#define SIM_BREAK_EOF (-1)

typedef struct SimEndpoint {
	SimEndpointKind kind;
	int index; /* mbox index, proc index, variable slot or descriptor; -1 for ANY */
	SimLoc loc;
	SimFdEnd fd_end; /* SIM_EP_FDVAR: which descriptor of the variable */
} SimEndpoint;

typedef struct SimStmt SimStmt;

typedef struct SimBlock {
	SimStmt *stmts; /* owned array */
	guint n_stmts;
} SimBlock;

/* ---- Each family's arguments ----
 *
 * A statement is a common head (SimStmt below) and the arguments of its call's family, in an
 * anonymous union: st->sysv.size, st->mq.prio, st->file.size, st->ctl.duration. Each field
 * has one meaning. A member is valid only for the kinds of its family (call.h's table says
 * which family a kind is in), and its family's parse hooks set its defaults before reading;
 * reading another family's member is silent garbage, so code that serves every kind (the
 * trace, the report, the cross-check) asks the call's row, never a member, and code outside
 * a family's file that does read one names the family with SIM_STMT_ARGS (call.h), which a
 * debug build checks.
 *
 * Ownership: the owned pointers in the members are the control body (SimControlArgs.body),
 * which only REPEAT, LOOP and IF have: sim_stmt_body says so, and the statement's free path
 * (scn.c) and every walk over nested statements go through it; the condition of an if or
 * assert (SimControlArgs.cond); and the operations of semop and semctl setall
 * (SimSemArgs.sops), which sim_stmt_sem_ops gives the free path. */

/* control: compute, sleep, print, repeat, loop, break, if, else, assert (print's text is the
 * head's) */
typedef struct SimControlArgs {
	SimTime duration; /* COMPUTE / SLEEP: how long */
	gint64 count;	  /* REPEAT: iterations (>= 0) */
	SimBlock body;	  /* REPEAT / LOOP: the statements repeated; IF: both branches (owned;
			   * see sim_stmt_body) */
	SimExpr *cond;	  /* IF, ASSERT: the condition, true when not 0; LET: the value (owned) */
	gboolean uncond;  /* BREAK: no `if` */
	int break_err;	  /* BREAK if ...: errno value, 0 for `ok`, SIM_BREAK_EOF for `eof` */
	struct SimPrintf *pf; /* PRINT "FORMAT", ARG...: the conversions and their arguments
			       * (printf.h; owned), or NULL for a print without arguments */
} SimControlArgs;

/* mailboxes: send, receive (ep is the mailbox, port or process; text the message) */
typedef struct SimMboxArgs {
	gint64 type;	 /* SEND: message type, default 1 */
	gint64 prio;	 /* SEND: message priority, default 0 */
	int to;		 /* SEND: addressed receiver (proc index) or -1 */
	gboolean nowait; /* `nowait`: fail with EAGAIN rather than block */
} SimMboxArgs;

/* A size= that was not written. Any other value is the size as C passes it: a size_t that
 * a negative number wraps, which the kernel reads as (long) to refuse it (msgsz -1). */
#define SIM_SIZE_UNSET G_MININT64

/* System V: msgget, msgsnd, msgrcv, msgctl, ipcs (ep is the queue; text msgsnd's data) */
typedef struct SimSysvArgs {
	SimKey key;	/* MSGGET: the key, default IPC_PRIVATE */
	guint flags;	/* MSGGET: SIM_IPC_CREAT|EXCL; MSGSND/MSGRCV: SIM_IPC_NOWAIT, SIM_MSG_* */
	gint64 perm;	/* MSGGET: mode bits (default 0); MSGCTL set: mode=, or -1 */
	gint64 type;	/* MSGSND: mtype (default 1); MSGRCV: msgtyp (default 0: the first
			 * message; may be negative) */
	gint64 size;	/* MSGSND: msgsz (default SIM_SIZE_UNSET: the text's length); MSGRCV:
			 * msgsz (default UNSET: the namespace's msgmax at the time of the call) */
	SimCtlCmd cmd;	/* MSGCTL: the command */
	int raw_cmd;	/* MSGCTL cmd=N: N as written (any int), for SIM_CTL_RAW */
	gint64 fill;	/* MSGRCV fill=B: the byte the buffer holds before the call, or -1 */
	gint64 qbytes;	/* MSGCTL set: qbytes=, or -1 */
	gint64 set_uid; /* MSGCTL set: uid=, or -1 */
	gint64 set_gid; /* MSGCTL set: gid=, or -1 */
	char view;	/* IPCS: 'q' (default), 'p', 't' or 'l', as ipcs -q [-p|-t|-l] */
	char id_kind;	/* IPCS -q|-m|-s -i ID: 'q', 'm' or 's'; 0 without -i */
	gint64 ipc_id;	/* IPCS -i: the ID */
} SimSysvArgs;

/* POSIX queues: mq_* (ep is the descriptor for all but MQ_OPEN and MQ_UNLINK, whose name,
 * "/q" as written and maybe with $ parts, is the head's text; text is mq_send's data) */
typedef struct SimPosixArgs {
	guint flags;		/* MQ_OPEN: SIM_O_*; MQ_SETATTR: SIM_O_NONBLOCK or 0 */
	gint64 perm;		/* MQ_OPEN: the mode (default 0600) */
	gint64 maxmsg;		/* MQ_OPEN: attr.mq_maxmsg, or -1 for no attr (the defaults) */
	gint64 msgsize;		/* MQ_OPEN: attr.mq_msgsize, or -1 */
	gint64 prio;		/* MQ_SEND: the message priority, default 0 */
	gint64 size;		/* MQ_SEND: the length sent (default SIM_SIZE_UNSET: the text's);
				 * MQ_RECEIVE: the buffer given (default UNSET: the queue's msgsize) */
	SimTimeoutKind timeout; /* MQ_SEND / MQ_RECEIVE */
	SimTime timeout_at;	/* RELATIVE: the delay; ABSOLUTE: the deadline */
	SimNotifyKind notify;	/* MQ_NOTIFY */
	gint64 fill;		/* MQ_RECEIVE fill=B: the buffer's byte before the call, or -1 */
	int sig;		/* MQ_NOTIFY signal=: the signal number, as written (0, or one
				 * past SIM_SIG_LAST, are the kernel's to judge); BAD: the
				 * sigev_notify value */
	/* MQ_SETATTR with the whole struct mq_attr (maxmsg and msgsize above are its fields
	 * too, 0 unless written): */
	gint64 mqflags;	 /* attr.mq_flags as the kernel gets it: 0x800 for `nonblock` */
	gint64 curmsgs;	 /* attr.mq_curmsgs (the kernel ignores it, as maxmsg and msgsize) */
	gboolean whole;	 /* flags=, a field or -> VAR was written: the trace shows the struct
			  * and the old attributes; otherwise the `nonblock`/`block` form */
	int thread;	 /* MQ_NOTIFY thread NAME { }: the process index of the thread */
	gint64 sival;	 /* MQ_NOTIFY thread: sigev_value (value=N, default 0) */
} SimPosixArgs;

/* files: pipe, close, read, write, fcntl, ioctl, mkfifo, open, unlink, dup, dup2, dup3 (ep is
 * the descriptor of CLOSE, READ, WRITE, FCNTL, IOCTL and the DUPs; text the PATH of MKFIFO, OPEN and UNLINK and the data
 * of WRITE, with n_parts 0 and literal NULL when a write has none) */
typedef struct SimFileArgs {
	guint flags;	   /* PIPE: SIM_O_NONBLOCK, SIM_O_CLOEXEC, SIM_O_DIRECT; OPEN:
			    * SIM_O_RDONLY|WRONLY|RDWR, and SIM_O_NONBLOCK */
	gint64 perm;	   /* MKFIFO: the mode (default 0666) */
	gint64 size;	   /* READ: the byte count (default 4096), any size_t (-1 is 2^64 - 1);
			    * WRITE: the byte count
			    * (default -1: the text's length; with size=N the text is repeated
			    * or cut to N bytes, and with no text the bytes are 'x'); FCNTL
			    * CMD=N (setpipe_sz, setfl, setfd): N, any value, as the kernel gets
			    * it */
	gboolean nowait;   /* READ / WRITE: this call's own `nonblock` (RWF_NOWAIT) */
	gint64 fill;	   /* READ: fill=B, the byte its buffer holds before the call, or -1 */
	guint fcntl;	   /* FCNTL: the command, a row of the files family's table of fcntl
			    * commands (sim/calls/call_fd.c), named by sim_call_fcntl_word */
	gint64 target;	   /* DUP2, DUP3: the new descriptor, any value (the kernel reads it as
			    * an unsigned int) */
	gint64 dupfl;	   /* DUP3: flags=N, OR-ed with O_CLOEXEC for `cloexec` (flags); PIPE: the
			    * bits of flags=N that pipe2 does not know (EINVAL), or 0 */
	gint64 offset;	   /* LSEEK: OFFSET; PREAD, PWRITE: offset=N (default 0); FTRUNCATE,
			    * TRUNCATE: LENGTH; any value */
	gint64 whence;	   /* LSEEK: SEEK_SET.. SEEK_HOLE, or whence=N, any value (the kernel
			    * reads it as an unsigned int) */
} SimFileArgs;

/* processes: fork, wait, exit, kill, on (ep is the process of FORK, WAIT and KILL) */
typedef struct SimProcArgs {
	int sig;	     /* KILL / ON: signal number (SIGUSR1 ...) */
	SimSigAction action; /* ON: the disposition */
	gboolean norestart;  /* ON: `handler norestart` (no SA_RESTART) */
	gint64 status;	     /* EXIT: the exit status (0 to 255, default 0) */
	guint n_inherit;     /* FORK: the child's body starts with the parent's first n_inherit
			      * variable slots (same names, same kinds), copied at the fork */
	gint64 id;	     /* SETUID / SETGID: the id asked for, any value (a uid_t / gid_t) */
	guint body;	     /* EXEC: the new body's index in scn->bodies; it starts with the
			      * first n_inherit variable slots of the old one, copied.
			      * ON with has_body: the handler's body there */
	gboolean has_body;   /* ON: `handler { BODY }`, a handler that runs statements */
} SimProcArgs;

/* XSI semaphores: semget, semop, semctl (ep is the set's id variable for semop and semctl) */
typedef enum SimSemCmd {
	SIM_SEMCTL_GETVAL,
	SIM_SEMCTL_SETVAL,
	SIM_SEMCTL_GETPID,
	SIM_SEMCTL_GETNCNT,
	SIM_SEMCTL_GETZCNT,
	SIM_SEMCTL_GETALL,
	SIM_SEMCTL_SETALL,
	SIM_SEMCTL_STAT,
	SIM_SEMCTL_SET,
	SIM_SEMCTL_RMID,
	SIM_SEMCTL_INFO,
	SIM_SEMCTL_SEM_INFO,
	SIM_SEMCTL_SEM_STAT,	 /* S holds an index, not an id: returns the id */
	SIM_SEMCTL_SEM_STAT_ANY, /* the same without the read permission check */
} SimSemCmd;

/* XSI shared memory: shmget, shmat, shmdt, shmctl, shmwrite, shmread (ep: the segment's id
 * variable, or the address variable of shmdt, shmwrite and shmread; text: shmwrite's bytes) */
typedef enum SimShmCmd {
	SIM_SHMCTL_STAT,
	SIM_SHMCTL_RMID,
	SIM_SHMCTL_SET,
	SIM_SHMCTL_INFO,
	SIM_SHMCTL_SHM_INFO,
	SIM_SHMCTL_LOCK,
	SIM_SHMCTL_UNLOCK,
	SIM_SHMCTL_SHM_STAT,	 /* S holds an index, not an id: returns the id */
	SIM_SHMCTL_SHM_STAT_ANY, /* the same without the read permission check */
} SimShmCmd;

typedef struct SimShmArgs {
	SimKey key;	 /* SHMGET */
	guint flags;	 /* SHMGET: SIM_IPC_CREAT|EXCL */
	gint64 perm;	 /* SHMGET: mode (default 0); SHMCTL set: mode=, or -1 */
	gint64 size;	 /* SHMGET: size=; SHMREAD: the bytes loaded */
	gboolean rdonly; /* SHMAT: SHM_RDONLY */
	SimShmCmd cmd;	 /* SHMCTL */
	gint64 offset;	 /* SHMWRITE, SHMREAD */
	gint64 set_uid;	 /* SHMCTL set: uid=, or -1 */
	gint64 set_gid;	 /* SHMCTL set: gid=, or -1 */
	gint64 value;	 /* STORE: the integer stored (may be ${...} of the process's variables) */
	gint64 width;	 /* STORE, LOAD: its bytes, 1, 2, 4 (default) or 8, little-endian */
	gboolean racy;	 /* STORE, LOAD: a lost update between the two is shown in the trace */
} SimShmArgs;

/* ipcrm: one removal, as util-linux's ipcrm makes it (ep: the id's variable, when an id is
 * given as one) */
typedef struct SimIpcrmArgs {
	char what;	 /* 'q' a message queue, 's' a semaphore set, 'm' a shared segment */
	gboolean by_key; /* -Q, -S, -M: num is a key, looked up with a get of flags 0 */
	gint64 num;	 /* the id or the key written as a number (ep unset) */
} SimIpcrmArgs;

struct SimSembuf; /* kernel/sem.h: one operation (num, op, flags) */
typedef struct SimSemArgs {
	SimKey key;		/* SEMGET */
	guint flags;		/* SEMGET: SIM_IPC_CREAT|EXCL */
	gint64 perm;		/* SEMGET: mode (default 0); SEMCTL set: mode=, or -1 */
	gint64 nsems;		/* SEMGET: nsems= (default 0) */
	struct SimSembuf *sops; /* SEMOP: the operations; SEMCTL setall: the values in .op
				 * (owned: see sim_stmt_sem_ops) */
	guint nsops;
	SimTimeoutKind timeout; /* SEMOP: NONE (semop) or RELATIVE/INVALID (semtimedop) */
	SimTime timeout_at;	/* SEMOP timeout=T */
	SimSemCmd cmd;		/* SEMCTL */
	gint64 num;		/* SEMCTL: semnum */
	gint64 val;		/* SEMCTL setval: the value */
	gint64 set_uid;		/* SEMCTL set: uid=, or -1 */
	gint64 set_gid;		/* SEMCTL set: gid=, or -1 */
} SimSemArgs;
/* sockets: socketpair, sendto, recv, shutdown (ep is the descriptor but for SOCKETPAIR; text
 * sendto's data) */
typedef struct SimSockArgs {
	int type;    /* SOCKETPAIR: SOCK_STREAM, SOCK_DGRAM or SOCK_SEQPACKET, as numbered */
	guint flags; /* SOCKETPAIR: SIM_O_NONBLOCK; SENDTO, RECV: MSG_* as the kernel numbers them */
	gint64 size; /* SENDTO: bytes (default -1: the text's); RECV: the buffer (default 4096) */
	int how;     /* SHUTDOWN: SHUT_RD, SHUT_WR or SHUT_RDWR */
	gint64 backlog; /* LISTEN: backlog= (default 128), any value, as listen(2) gets it */
	const char *to; /* SENDTO: to="NAME", the address (an interned string), or NULL */
} SimSockArgs;
/* ALPC-style ports (ep is the handle but for CREATE and CONNECT; text the message) */
#define SIM_ALPC_NAME_MAX 31
typedef struct SimAlpcArgs {
	char name[SIM_ALPC_NAME_MAX + 1]; /* CREATE, CONNECT: the connection port's name */
	gint64 size;	  /* CONNECT, SEND, REPLY: bytes (default -1: the text's) */
	gboolean refuse;  /* ACCEPT: `refuse` */
} SimAlpcArgs;

/* poll and select: the descriptors they watch (owned: see sim_stmt_poll_fds) */
typedef struct SimPollFd {
	SimEndpoint ep; /* the descriptor, as a file call's ep: a number or a variable's */
	gint64 events;	/* POLL: the events asked, a short as the kernel reads it; SELECT: the
			 * sets it is in (SIM_SELECT_READ | _WRITE | _EXCEPT) */
} SimPollFd;
#define SIM_SELECT_READ 1
#define SIM_SELECT_WRITE 2
#define SIM_SELECT_EXCEPT 4
typedef struct SimPollArgs {
	SimPollFd *fds;	  /* in the order written (owned) */
	guint n;	  /* how many */
	gint64 timeout;	  /* milliseconds; POLL: negative waits for ever (the default -1);
			   * SELECT: as the timeval's, negative is EINVAL */
	gboolean forever; /* SELECT: no timeout= (a NULL timeval) */
} SimPollArgs;

struct SimStmt {
	SimStmtKind kind;
	SimLoc loc;	  /* the statement keyword (never the label: that is label_loc) */
	char *label;	  /* "full" for @full, or NULL (owned) */
	SimLoc label_loc; /* where the label is */
	guint id;	  /* dense number of the statement in the scenario, 0.. scn->n_stmts-1 */

	/* The operands that mean the same for every kind that has one. */
	SimEndpoint ep; /* the object the call works on: mailbox, port or process, SysV queue,
			 * POSIX queue descriptor, file descriptor */
	SimText text;	/* the data it carries (a message, print's text, a write's bytes) or the
			 * name it names (a path, a POSIX queue's name) (owned) */
	int var;	/* the variable it sets with `-> v`, or repeat's `as` slot; -1: none */
	struct SimDynOps *dyn; /* operands written ${EXPR} with run-time variables, evaluated
				* when the statement runs (see SimDynOps); NULL: none (owned) */

	/* Its family's arguments: the member of its kind's family only. */
	union {
		SimControlArgs ctl;
		SimMboxArgs mbox;
		SimSysvArgs sysv;
		SimPosixArgs mq;
		SimFileArgs file;
		SimProcArgs proc;
		SimSemArgs sem;
		SimShmArgs shm;
		SimIpcrmArgs ipcrm;
		SimSockArgs sock;
		SimAlpcArgs alpc;
		SimPollArgs poll;
	};
};

/* The descriptors poll and select own (freed with the statement), or NULL. */
static inline SimPollFd *sim_stmt_poll_fds(const SimStmt *st)
{
	return st->kind == SIM_STMT_POLL || st->kind == SIM_STMT_SELECT ? st->poll.fds : NULL;
}

/* The operations semop and semctl setall own (freed with the statement), or NULL. */
static inline struct SimSembuf *sim_stmt_sem_ops(const SimStmt *st)
{
	return st->kind == SIM_STMT_SEMOP || st->kind == SIM_STMT_SEMCTL ? st->sem.sops : NULL;
}
/* Operands whose value is known only when the statement runs: `send box "x" type=${i+1}`.
 * The parser reads a number or a time through the shared readers (scn_take_int,
 * scn_take_time); when what is written there is an expression naming a variable of the body
 * (or $index), the field gets a placeholder and one SimDynOp says where it is. Before the
 * call runs, the interpreter copies the statement, evaluates each operand into the copy
 * (checked against the reader's range) and hands the copy to the call, so that no call
 * family has code of its own for expressions. */
typedef enum SimDynKind {
	SIM_DYN_INT,  /* a gint64 field: the value, within [min, max] */
	SIM_DYN_TIME, /* a SimTime field: the value times `unit` nanoseconds, within [min, max] */
	SIM_DYN_TEXT, /* an expression of the statement's text, evaluated first for its faults
		       * only (so that a call never goes out with half a text); `expr` is the
		       * text part's, not owned here */
} SimDynKind;

typedef struct SimDynOp {
	gsize at;	 /* the field's offset in SimStmt */
	SimDynKind kind; /* how the value is stored */
	gint64 unit;	 /* SIM_DYN_TIME: nanoseconds per unit */
	gint64 min, max; /* the reader's range */
	const char *what; /* the operand, for a run-time error ("type") (static) */
	SimExpr *expr;	 /* (owned) */
} SimDynOp;

typedef struct SimDynOps {
	guint n;
	SimDynOp ops[]; /* n of them */
} SimDynOps;

/* The block nested in st (REPEAT and LOOP), or NULL: what walks over nested statements and
 * the free path ask, rather than reading the control arguments of any statement. */
static inline const SimBlock *sim_stmt_body(const SimStmt *st)
{
	return st->kind == SIM_STMT_REPEAT || st->kind == SIM_STMT_LOOP || st->kind == SIM_STMT_IF
		       ? &st->ctl.body
		       : NULL;
}

/* ---- Declarations ---- */

typedef struct SimScnMbox {
	char *name;
	SimLoc loc;
	gboolean is_port;   /* a port: only the owner receives */
	gint64 capacity;    /* 0 (rendezvous), N, or SIM_CAPACITY_UNBOUNDED (the default) */
	int owner;	    /* proc index of the owner, or -1 for system-owned */
	SimOrder order;	    /* message order, default FIFO */
	SimOrder waiters;   /* wait-list order, default FIFO */
	SimDeliver deliver; /* default SIM_DELIVER_FIRST_WAITER */
} SimScnMbox;

/* `sysv queue NAME key=K|private [perm=0666] [uid=N] [gid=N]`: created before the run,
 * in declaration order, by a process with those credentials (default root). */
typedef struct SimScnSysvQueue {
	char *name;
	SimLoc loc;
	SimKey key;  /* PRIVATE or VALUE or FTOK */
	gint64 perm; /* default 0666 */
	gint64 uid;  /* creator, default 0 */
	gint64 gid;  /* default 0 */
} SimScnSysvQueue;

/* `posix queue "/name" [maxmsg=N] [msgsize=N] [perm=0600] [uid=N] [gid=N]`: created
 * before the run (mq_open O_CREAT|O_EXCL by its owner); every process then holds a
 * descriptor for it, opened O_RDWR, and statements may name the queue by its string. */
typedef struct SimScnPosixQueue {
	char *name; /* "/name" */
	SimLoc loc;
	gint64 maxmsg;	/* default: mq_msg_default (10) */
	gint64 msgsize; /* default: mq_msgsize_default (8192) */
	gint64 perm;	/* default 0600 */
	gint64 uid, gid;
} SimScnPosixQueue;

/* `file "path" [dev=N] [ino=N]`: a file that exists for ftok (st_dev, st_ino). */
typedef struct SimScnFile {
	char *path;
	SimLoc loc;
	gint64 dev; /* default 1 */
	gint64 ino; /* default 0x1000 + the declaration index */
} SimScnFile;

/* `user NAME uid=N`: a user name for ipcs's owner column (uid 0 is always "root"). */
typedef struct SimScnUser {
	char *name;
	SimLoc loc;
	gint64 uid;
} SimScnUser;

typedef struct SimScnVar {
	char *name;
	gboolean is_int;  /* a repeat counter (TRUE) or a received message (FALSE) */
	gboolean is_pipe; /* set by `pipe -> v` (is_int is TRUE too): two descriptors */
} SimScnVar;

typedef struct SimScnBody {
	SimBlock block;	 /* the statements */
	SimScnVar *vars; /* variable slots used by the body (owned array) */
	guint n_vars;
	guint max_depth; /* deepest nesting of repeat/loop (0 when none) */
	gboolean handler; /* the body of `on SIGNAME handler { }` */
} SimScnBody;

typedef enum SimStartKind {
	SIM_START_AT,	 /* ready at start_time (0 by default) */
	SIM_START_AFTER, /* ready when process start_after exits */
	SIM_START_FORK,	 /* made by `fork NAME { }` in process `parent` when that statement runs
			  * (never, if it does not) */
	SIM_START_THREAD, /* made by `thread NAME { }` in the process (or thread) `parent` when
			   * that statement runs: a task sharing its process's descriptors */
} SimStartKind;

typedef struct SimScnProc {
	char *name; /* "worker1" for a replica */
	SimLoc loc;
	gint64 priority; /* larger is more important; default 0 */
	SimStartKind start;
	SimTime start_time;
	int start_after; /* proc index for SIM_START_AFTER, -1 otherwise */
	int parent;	 /* SIM_START_FORK: the forking proc's index; -1 otherwise. A forked
			  * child copies priority, nice, uid, gid, caps and rlimits from its
			  * parent's declaration; it follows its parent in scn->procs, in the
			  * order the fork statements appear in the file */
	guint replica;	 /* index within `process worker[N]`, 0 otherwise */
	gint64 uid, gid; /* credentials: default 0, 0 */
	guint caps;	 /* SIM_CAP_*: default for uid 0 is IPC_OWNER|SYS_ADMIN (root without
			  * CAP_SYS_RESOURCE, as on the project's machines); none otherwise */
	gint64 nice;	 /* nice=N (-20..19), default 0; orders POSIX queue waiters: lower first */
	gint64 rlimit_msgqueue; /* RLIMIT_MSGQUEUE in bytes, default 819200 */
	gint64 rlimit_nofile;	/* RLIMIT_NOFILE, default 1024 */
	SimScnBody *body;	/* shared among replicas, owned by scn->bodies */
} SimScnProc;

/* ---- Expectations ---- */

typedef enum SimExpectKind {
	SIM_EXPECT_RECEIVED, /* expect PROC received [ITEM, ...] | {ITEM, ...} | count=N */
	SIM_EXPECT_LABEL,    /* expect [PROC]@LABEL [ok|blocked|blocked then ok|errno=E] [ret=N]
			      * (at least one) */
	SIM_EXPECT_STATS,    /* expect MBOX|SYSVQ key=value ...  or  expect key=K key=value ... */
	SIM_EXPECT_STATE,    /* expect PROC state=exited|blocked|... */
	SIM_EXPECT_DEADLOCK, /* expect deadlock */
	SIM_EXPECT_NO_DEADLOCK, /* expect no deadlock */
	SIM_EXPECT_TIME,	/* expect time OP TIME */
	SIM_EXPECT_EXIT,	/* expect PROC exit=N  or  expect PROC killed=SIGNAME */
	SIM_EXPECT_OUTCOMES,	/* expect outcomes N: explore finds exactly N outcomes */
	SIM_EXPECT_ORDER,	/* expect [PROC]@LABEL before [PROC]@LABEL: the first call
				 * returned before the second did (each its first time) */
	SIM_EXPECT_ASSERT,	/* made by `assert EXPR` in a body: it never found EXPR 0 */
	SIM_EXPECT_SIGNAL,	/* expect PROC signal SIGNAME [delivered=N] [handled=N] */
	SIM_EXPECT_MQ_FLAGS,	/* expect PROC fd D mq_flags=nonblock|0: a descriptor's flags */
	SIM_EXPECT_PIPE,	/* expect pipe [PROC] NAME|"fifo" readers=... writers=...: who
				 * holds each end at the end of the run */
	SIM_EXPECT_CALLS,	/* expect PROG calls [CALL ret=N|errno=E, ...]: a program's
				 * calls of the model and their results (msgsim exec only) */
} SimExpectKind;

/* Over which schedules an expectation must hold (msgsim explore). Under run, a plain one
 * is checked on the run's schedule; see the report for the other two. */
typedef enum SimExpectMode {
	SIM_EXPECT_PLAIN,    /* expect E: run checks it; explore reads it as always */
	SIM_EXPECT_ALWAYS,   /* expect always E, expect never deadlock: in every outcome */
	SIM_EXPECT_POSSIBLE, /* expect possible E: in at least one outcome */
	SIM_EXPECT_RUN,	     /* expect run E: run and the cross-check check it on their
			      * schedule, as a plain one; explore leaves it out (its time
			      * is abstracted, so even `possible` could be false) */
} SimExpectMode;

typedef struct SimExpectMsg {
	char *text;  /* expected text (owned) */
	gint64 type; /* expected type, or -1 for any */
	int from;    /* expected sender proc index, or -1 for any */
	gsize len;   /* bytes in text, which may hold a NUL (compared byte for byte) */
	char *shown; /* `bytes=N pattern=...` as written, shown in its place (owned), or NULL */
} SimExpectMsg;

typedef enum SimLabelResult {
	SIM_LABEL_OK,	   /* last execution returned 0 */
	SIM_LABEL_ERRNO,   /* last execution returned the errno in `err` */
	SIM_LABEL_BLOCKED, /* last execution blocked before it returned */
	SIM_LABEL_ANY,	   /* only `ret=N` was written: any result */
	SIM_LABEL_BLOCKED_THEN, /* `blocked then ok` / `blocked then errno=E`: the last execution
				 * blocked, then returned `err` (0 for ok) */
} SimLabelResult;

typedef enum SimStatKey {
	SIM_STAT_QNUM,	    /* messages queued now */
	SIM_STAT_SENT,	    /* messages accepted by the object in total */
	SIM_STAT_RECEIVED,  /* messages taken out in total */
	SIM_STAT_MAX_QNUM,  /* largest qnum seen */
	SIM_STAT_DESTROYED, /* 1 when the object was destroyed (owner exit), else 0 */
	/* SysV queues (expect on a `sysv queue` name): */
	SIM_STAT_CBYTES,  /* msg_cbytes */
	SIM_STAT_QBYTES,  /* msg_qbytes */
	SIM_STAT_LSPID,	  /* msg_lspid: value is a proc index, or -1 for none (0) */
	SIM_STAT_LRPID,	  /* msg_lrpid: likewise */
	SIM_STAT_REMOVED, /* 1 when removed by IPC_RMID */
	SIM_STAT_ID,	  /* msqid */
	SIM_STAT_MODE,	  /* perms, low 9 bits */
	/* POSIX queues (expect "/name" ...): */
	SIM_STAT_CURMSGS,    /* mq_curmsgs */
	SIM_STAT_MAXMSG,     /* mq_maxmsg */
	SIM_STAT_MSGSIZE,    /* mq_msgsize */
	SIM_STAT_QSIZE,	     /* QSIZE: bytes of the queued messages */
	SIM_STAT_NOTIFY_PID, /* the registered process (proc index), or -1 for none */
	SIM_STAT_UNLINKED,   /* 1 when its name was removed by mq_unlink */
	/* The rest of a SysV queue's IPC_STAT (msqid_ds): */
	SIM_STAT_KEY,	/* msg_perm.__key */
	SIM_STAT_UID,	/* msg_perm.uid, the owner */
	SIM_STAT_GID,	/* msg_perm.gid */
	SIM_STAT_CUID,	/* msg_perm.cuid, the creator */
	SIM_STAT_CGID,	/* msg_perm.cgid */
	SIM_STAT_STIME, /* msg_stime: the last msgsnd, a time (0: none) */
	SIM_STAT_RTIME, /* msg_rtime: the last msgrcv */
	SIM_STAT_CTIME, /* msg_ctime: creation or the last IPC_SET */
	/* One semaphore (expect sem key=K NUM ...): */
	SIM_STAT_VAL,  /* semval (GETVAL) */
	SIM_STAT_NCNT, /* tasks waiting for it to grow (GETNCNT) */
	SIM_STAT_ZCNT, /* tasks waiting for it to be 0 (GETZCNT) */
	SIM_STAT_PID,  /* sempid (GETPID): a proc index, or -1 for none (0) */
	SIM_STAT_COUNT	/* not a statistic: how many there are */
} SimStatKey;

/* One item of `expect PROG calls [...]`: `msgrcv ret=512`, `msgrcv blocked ret=512`,
 * `msgrcv errno=ENOMSG` (ret=-1 with it, when written, is the same). */
typedef struct SimExpectCall {
	char *name;	  /* the call as C names it ("msgrcv", "mq_timedsend") (owned) */
	gint64 ret;	  /* what it returned (-1 with an errno) */
	int err;	  /* the errno it failed with, or 0 */
	gboolean blocked; /* `blocked` written: it waited in the model before it returned */
} SimExpectCall;

/* One end's holders in `expect pipe`: `readers=[P, Q]` (a list of processes, in any order)
 * or `readers=2` (how many processes hold it). */
typedef struct SimExpectHolders {
	gboolean given;	 /* written at all */
	gboolean list;	 /* as a list (procs), else a count */
	gint64 count;	 /* the count, or the list's length */
	int *procs;	 /* the list's processes, by index (owned); filled when resolved */
	char **names;	 /* the list as written (owned, NULL-terminated), until resolved */
	SimLoc *locs;	 /* where each name is (owned) */
} SimExpectHolders;

typedef enum SimCmp { SIM_CMP_EQ, SIM_CMP_LT, SIM_CMP_LE, SIM_CMP_GT, SIM_CMP_GE } SimCmp;

/* `expect @L FIELD=VALUE`: one field of the struct the labelled call filled (outfield.h). */
typedef struct SimExpectField {
	guint field;  /* index in outfield.h's table (sim_out_field) */
	gint64 value; /* a file type's S_IFMT bits for type= */
	SimLoc loc;   /* the field's name */
} SimExpectField;

typedef struct SimExpectStat {
	SimStatKey key;
	gint64 value;
} SimExpectStat;

typedef struct SimScnExpect {
	SimExpectKind kind;
	SimExpectMode mode; /* always / possible (explore); plain by default */
	gint64 outcomes;    /* OUTCOMES: N */
	SimLoc loc;	    /* the `expect` keyword */
	int proc;	    /* RECEIVED, STATE: proc index; LABEL: the replica (PROC@LABEL) whose
			     * own runs are checked, or -1 for every process that runs it */
	SimExpectMsg *msgs; /* RECEIVED: owned array */
	guint n_msgs;
	gboolean unordered; /* RECEIVED {...}: the messages in any order */
	gint64 count;	    /* RECEIVED count=N: how many, whatever they are; -1: a list */
	const SimStmt *stmt;   /* LABEL, ORDER: the labelled statement; ASSERT: the assert
				* (not owned) */
	char *text;	       /* ASSERT: its condition as written (owned) */
	int sig;	       /* SIGNAL: the signal */
	gint64 delivered;      /* SIGNAL: times it reached PROC (ignored or not), or -1 */
	gint64 handled;	       /* SIGNAL: times PROC's handler for it ran, or -1 */
	gsize src_start;       /* its bytes in the scenario's `source` (both 0 when it is in */
	gsize src_end;	       /* an included file, or made by an assert) */
	char *question;	       /* `... question "TEXT"`: how a quiz asks it (owned), or NULL */
	const SimStmt *stmt2;  /* ORDER: the statement after `before` (not owned) */
	int proc2;	       /* ORDER: its process, or -1 for any that runs it */
	SimLabelResult result; /* LABEL */
	int err;	       /* LABEL with SIM_LABEL_ERRNO */
	gboolean check_ret;    /* LABEL: `ret=N` was written (with or without a result) */
	gint64 ret;	       /* LABEL: the value the last run returned (bytes, fd, status) */
	gint64 untouched;      /* LABEL: `untouched=N` (a receive with fill=), or -1 */
	SimExpectField *fields; /* LABEL: `msgmax=N`, `type=fifo`...: owned array */
	guint n_fields;
	gint64 exit_code;      /* EXIT: exit=N, or -1 */
	int exit_sig;	       /* EXIT: killed=SIGNAME, or 0 */
	int mbox;	       /* STATS: mbox index, or -1 when it names a SysV queue */
	int sysvq;	       /* STATS: sysv queue index, or -1 when it names a mailbox */
	gboolean by_key;       /* STATS `expect key=K ...`: the live SysV queue with that key */
	gint64 key;	       /* STATS by_key: K */
	gboolean by_id;	       /* STATS `expect msqid=N ...`: the SysV queue that last had id N
				* (even if removed since) */
	gint64 msqid;	       /* STATS by_id: N */
	SimExpectCall *calls;  /* CALLS: owned array, in the order they returned */
	guint n_calls;
	gboolean sem;	       /* STATS `expect sem key=K NUM ...`: semaphore NUM of the live
				* set with key K (by_key is set too) */
	gint64 sem_num;	       /* STATS sem: NUM */
	char *mq_name;	       /* STATS `expect "/name" ...`: the POSIX queue that last had the
				* name (even if unlinked since), or NULL */
	/* MQ_FLAGS and PIPE (sim/lang/scn_expect_fd.c): */
	char *var;		 /* the body variable as written (owned), or NULL */
	SimLoc var_loc;		 /* where it is written */
	int var_slot;		 /* its slot in PROC's body, once resolved (-1: none) */
	gint64 fd;		 /* MQ_FLAGS: a descriptor written as a number, or -1 */
	gint64 mq_flags;	 /* MQ_FLAGS: 0 or O_NONBLOCK (0x800), as mq_getattr gives */
	char *fifo;		 /* PIPE: a FIFO's path, or NULL for a pipe variable */
	gboolean named_proc;	 /* PIPE: `expect pipe PROC NAME`, PROC written */
	SimExpectHolders readers, writers; /* PIPE */
	SimExpectStat *stats;  /* STATS: owned array */
	guint n_stats;
	SimTaskState state; /* STATE */
	SimCmp cmp;	    /* TIME */
	SimTime time;	    /* TIME */
} SimScnExpect;

/* ---- The scenario ---- */

/* `param NAME = N`, `param NAME = random A..B` or `param NAME = "TEXT"`: a value fixed
 * before the run. A number stands wherever a number is read; a text in texts ($NAME) and
 * wherever a word of a fixed list is (deliver=NAME). */
typedef struct SimScnParam {
	char *name;
	SimLoc loc;
	gint64 value;	  /* as drawn or overridden */
	char *text;	  /* `param NAME = "TEXT"`: the text (owned); NULL for a number */
	gboolean random;  /* written `random A..B` */
	gint64 lo, hi;	  /* random: the range */
	gboolean defined; /* overridden by -D NAME=VALUE */
	gsize src_start;  /* the value as written: its bytes in `source` (both 0 when the */
	gsize src_end;	  /* param is in an included file) */
} SimScnParam;

/* What a parse is given besides the text: -D overrides and the run's seed. */
typedef struct SimScnOptions {
	const char *const *defines; /* "NAME=VALUE" strings, NULL-terminated; NULL: none */
	guint64 seed;		    /* the run's seed (--seed) when seed_set: random params */
	gboolean seed_set;	    /* otherwise a `scheduler ... seed=N` written before the
				     * param is used, else the default seed 1 */
	gboolean programs;	    /* the file judges msgsim exec's programs (sim/lang/
				     * scn_programs.c): it holds expectations only, and the
				     * processes it names are programs, by name or by pid, not
				     * declared: each becomes one of scn->programs */
} SimScnOptions;

typedef struct SimScenario {
	char *file; /* the name used in error messages */

	SimSchedPolicy policy;
	SimTime quantum;	/* RR (required by `rr quantum=`); 10us otherwise, unused */
	guint64 seed;		/* RANDOM and deliver=random; default 1 */
	gboolean seed_set;	/* `seed=` was written in the scenario */
	SimTime cost_syscall;	/* charged for every statement that is a call; default 1us */
	SimTime cost_switch;	/* charged for every context switch; default 0 */
	SimTime cost_byte;	/* charged per message byte sent or received; default 0 */
	gint64 direct_capacity; /* capacity of each process's direct-link buffer; default unbounded
				 */

	SimScnMbox *mboxes;
	guint n_mboxes; /* in declaration order */
	SimScnProc *procs;
	guint n_procs; /* in declaration order, replicas expanded */
	SimScnBody **bodies;
	guint n_bodies;
	SimScnExpect *expects;
	guint n_expects;
	SimScnSysvQueue *sysvqs; /* in declaration order */
	guint n_sysvqs;
	SimScnFile *files;
	guint n_files;
	SimScnUser *users;
	guint n_users;

	SimLimits limits; /* the IPC namespace's (`sysctl msgmax=... mq_msg_max=...`); `set` marks
			   * those the scenario wrote */
	SimScnPosixQueue *posixqs;
	guint n_posixqs;
	guint n_stmts; /* statements in all bodies (SimStmt.id is below this) */
	SimScnParam *params; /* in declaration order */
	guint n_params;
	char *source;	   /* the scenario file's text, as read (owned): what a quiz shows */
	gsize source_len;
	char **programs;  /* SimScnOptions.programs: the programs' names as the file writes
			   * them ("msgrcv", "3"), which an expectation's process indexes are
			   * into (owned, NULL-terminated); NULL for a scenario */
	guint n_programs;
	char **src_names; /* every file read, the scenario's first, then its includes in the
			   * order they were met (owned): what sim_scn_loc_file names */
	guint n_src_names;
} SimScenario;

/* Lifecycle */
GQuark sim_scn_error_quark(void);
SimScenario *sim_scn_parse(const char *file, const char *text, gsize len, GError **error);
/* Reads the file (or standard input when path is "-"), then parses. Refuses a file that is
 * not a regular one (a FIFO, a device, a directory) and more than SIM_SCN_MAX_BYTES. */
SimScenario *sim_scn_load(const char *path, GError **error);
/* The same with options (-D overrides, the seed of random params); opts may be NULL. */
SimScenario *sim_scn_parse_with(const char *file, const char *text, gsize len,
				const SimScnOptions *opts, GError **error);
SimScenario *sim_scn_load_with(const char *path, const SimScnOptions *opts, GError **error);
void sim_scn_free(SimScenario *scn);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimScenario, sim_scn_free)

/* Queries */
/* The file a location is in (a statement's loc: the scenario, or the included file it was
 * read from), as the scenario or its include named it. */
const char *sim_scn_loc_file(const SimScenario *scn, SimLoc loc);
int sim_scn_find_proc(const SimScenario *scn, const char *name);   /* index or -1 */
int sim_scn_find_mbox(const SimScenario *scn, const char *name);   /* index or -1 */
int sim_scn_find_sysvq(const SimScenario *scn, const char *name);  /* index or -1 */
int sim_scn_find_posixq(const SimScenario *scn, const char *name); /* "/name" -> index or -1 */
const char *sim_scn_signal_name(int sig);	/* "SIGUSR1", or NULL when unknown */
/* Does a handler's body hold a call the cross-check would make (scn_handler.c)? */
gboolean sim_scn_handler_makes_calls(const SimScenario *scn);
int sim_scn_signal_from_name(const char *name); /* SIGUSR1, or -1 */
const char *sim_scn_state_name(SimTaskState s); /* "exited" */
/* The calls `expect PROG calls [...]` may name, as C does ("msgrcv", "mq_send"), NULL-ended. */
extern const char *const sim_scn_program_calls[];
/* `expect P state=stopped`: past the last SimTaskState, as stopped is a mark on a task and
 * not a state of its own (task.h); sim_scn_state_name gives "stopped" for it. */
#define SIM_SCN_STATE_STOPPED (SIM_STATE_EXITED + 1)
const char *sim_scn_deliver_name(SimDeliver d); /* "first-waiter" */

#endif /* MSGSIM_SCN_H */
