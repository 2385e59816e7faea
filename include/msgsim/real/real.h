/* real.h — the real-kernel side of a cross-check: a sandbox, worker processes, and the
 * /proc probes that tell whether a worker is blocked in a system call.
 *
 * A cross-check shows that the model and the kernel agree: it replays a scenario's calls on
 * the real kernel, one real process per simulated process, in the order the model ran them,
 * and compares every result; where they differ, the model is wrong and the report says at
 * which call. This module is the part that knows nothing of scenarios: it makes the
 * sandbox, starts workers, sends each worker one call at a time, and observes the kernel.
 *
 *   sandbox   sim_real_sandbox_enter moves the calling process into a private IPC namespace
 *             (unshare(CLONE_NEWIPC); when that is refused, CLONE_NEWUSER|CLONE_NEWIPC with
 *             the caller mapped to root), so SysV ids start at 0 as in the model, the
 *             scenario's literal keys and queue names cannot meet anything else on the
 *             machine, the namespace's limits can be set, and every SysV and POSIX queue
 *             vanishes with the namespace when its last process exits, even after SIGKILL.
 *             It also makes a private temporary directory for FIFOs, removed by
 *             sim_real_sandbox_leave (and by a test that checks it is gone). Its name,
 *             msgsim-real-<pid>-XXXXXX under g_get_tmp_dir(), records the process that
 *             made it: a runner killed with SIGKILL leaves its directory behind, and the
 *             next sim_real_sandbox_enter removes every such directory whose process is
 *             gone. The calling process stays in the namespace: run a sandbox in a child
 *             process when the caller's own namespace matters (the tests do).
 *   files     nobody but the run may make, replace or redirect what it opens. The
 *             directory is mode 01700, owned by the run; where a mount namespace can be
 *             had (unshare(CLONE_NEWNS), / made recursively private) a small tmpfs of
 *             the same mode is mounted over it, seen by the run's processes only. A
 *             worker that takes another uid is let in by a POSIX ACL entry for exactly
 *             that uid (sim_real_sandbox_allow_uids). Workers make every path call
 *             from the directory's descriptor (mkfifoat, openat, unlinkat) and never
 *             follow a symlink, in a subdirectory (openat2 RESOLVE_BENEATH |
 *             RESOLVE_NO_SYMLINKS, or one O_NOFOLLOW component at a time) or at the
 *             end (O_NOFOLLOW); they give back the identity of what they made or
 *             opened (SIM_REAL_MKFIFO, SIM_REAL_OPEN), so the caller can check that
 *             an open reached the FIFO the run made (sim_real_sandbox_fifo_is_own).
 *             MSGSIM_NO_MOUNT_NS=1 in the environment asks for the directory alone
 *             (the tests and tests/plant-symlinks.sh check both designs).
 *   shared    sim_real_sandbox_enter_shared is the fallback where no namespace can be had
 *             (sim/real/sandbox.c): the run stays in the caller's namespace, so every queue it
 *             may make is given a key or name of the run's own here, and is written to a
 *             registry in the directory before the call that may make it. Leaving removes
 *             what the registry names; after a SIGKILL the next sandbox in that namespace
 *             does. Nothing else on the machine is touched.
 *   workers   sim_real_worker_spawn forks a worker that dies with its parent
 *             (PR_SET_PDEATHSIG SIGKILL, checked against a parent that died first), has only
 *             descriptors 0-2, its two command pipes, the sandbox's lifeline and its
 *             directory, moved to SIM_REAL_FD_BASE and up so that the descriptors the
 *             scenario opens are numbered 3, 4, ... exactly as in the model. A worker runs
 *             sim_real_exec for each SimRealCall it reads and writes back a SimRealResult.
 *             Every worker, forked ones too, also runs a thread that kills it when the
 *             lifeline's write end, held by the sandbox's process alone, closes: a forked
 *             worker outlives the worker that forked it, as the kernel's child does, but
 *             never the sandbox.
 *   probes    sim_real_blocked_in reads /proc/PID/stat (state 'S') and /proc/PID/syscall
 *             (first field: the call's number) - the reliable "blocked in X" test of
 *             ../shared/semantics.md §6; a task just woken may show 'R' with the same number.
 *             An idle worker waits in read(SIM_REAL_FD_BASE): that read is never reported
 *             as "blocked in read".
 *   timeouts  every wait on a worker has a deadline; a worker that misses it is killed
 *             (SIGKILL) and reported, never waited for forever.
 *   stop      SIGINT, SIGTERM and SIGHUP end a run cleanly (sim_real_stop_catch): the
 *             handler only records the signal and writes a byte to a self-pipe, and every
 *             wait here (a worker's answer, its sleep in a call, its death, a pause) also
 *             watches that pipe and gives up at once with SIM_REAL_ERROR_STOPPED. The caller
 *             unwinds, acknowledges the stop (sim_real_stop_ack: its own bounded waits work
 *             again) and removes what the run made. Workers take SIG_DFL for everything:
 *             the scenario's signals must act on them as on any process.
 *
 * Error policy: sandbox and worker failures are GError (domain SIM_REAL_ERROR) with a
 * message that says what could not be done and why (errno text); call results are data.
 */
#ifndef MSGSIM_REAL_H
#define MSGSIM_REAL_H

#include <signal.h>
#include <sys/types.h>

#include "msgsim/base.h"
#include "msgsim/kernel/limits.h"

#define SIM_REAL_ERROR (sim_real_error_quark())
#define SIM_REAL_FD_BASE 900	 /* workers' command pipes live at 900 and 901 */
#define SIM_REAL_DATA_MAX 131072 /* bytes of data one call may carry either way */
/* Largest size a call hands the kernel (16 MiB, the largest POSIX message): a worker's
 * buffer is as large as the size asked, up to this; a result carries back the first
 * SIM_REAL_DATA_MAX bytes while ret is the kernel's count. sim_real_sandbox_limits refuses
 * a msgmax above it, so no SysV message can outgrow a receive buffer. */
#define SIM_REAL_IO_MAX (16 << 20)

typedef enum SimRealErrorCode {
	SIM_REAL_ERROR_SANDBOX, /* no private IPC namespace could be made */
	SIM_REAL_ERROR_WORKER,	/* fork/pipe failed, or a worker died or broke the protocol */
	SIM_REAL_ERROR_TIMEOUT, /* a worker did not answer in time (it was killed) */
	SIM_REAL_ERROR_DIED,	/* a worker died in its call (a signal): wk->status says how */
	SIM_REAL_ERROR_NO_KEY,	/* shared mode: the run's own SysV keys are used up */
	SIM_REAL_ERROR_STOPPED, /* a stop signal came (sim_real_stop_catch): the wait gave up */
} SimRealErrorCode;

/* The calls a worker can make: each maps to exactly one system call. */
typedef enum SimRealOp {
	SIM_REAL_MSGGET,     /* a0 key, a1 msgflg */
	SIM_REAL_MSGSND,     /* a0 msqid, a1 mtype, a2 msgsz, a3 msgflg, data: the text */
	SIM_REAL_MSGRCV,     /* a0 msqid, a1 msgtyp, a2 msgsz, a3 msgflg -> data, ret2 mtype */
	SIM_REAL_MSGCTL,     /* a0 msqid, a1 cmd (IPC_STAT...), a2 qbytes, a3 mode, a4 uid, a5 gid
			      * (IPC_SET takes all four from a2..a5)
			      * -> IPC_STAT, MSG_STAT, MSG_STAT_ANY: stat[0..10] qnum, cbytes,
			      *    qbytes, lspid, lrpid, mode, uid, gid, cuid, cgid, key;
			      *    IPC_INFO, MSG_INFO: stat[0..7] msgpool, msgmap, msgmax, msgmnb,
			      *    msgmni, msgssz, msgtql, msgseg */
	SIM_REAL_MQ_OPEN,    /* data: name; a1 oflag, a2 mode, a3 maxmsg, a4 msgsize
			      * (both -1: no attr, a NULL pointer) */
	SIM_REAL_MQ_SEND,    /* a0 fd, a1 prio, a2 len, a3 timeout ns from now (-1: none;
			      * SIM_REAL_TIMEOUT_INVALID: tv_nsec out of range), data */
	SIM_REAL_MQ_RECEIVE, /* a0 fd, a1 len, a3 timeout -> data, ret2 prio */
	SIM_REAL_MQ_GETATTR, /* a0 fd -> stat[0..3] flags, maxmsg, msgsize, curmsgs */
	SIM_REAL_MQ_SETATTR, /* a0 fd, a1..a4 flags, maxmsg, msgsize, curmsgs -> stat[0..3]
			      * the old attributes */
	SIM_REAL_MQ_NOTIFY,  /* a0 fd, a1 kind (0 signal, 1 none, 2 off), a2 signo */
	SIM_REAL_MQ_UNLINK,  /* data: name */
	SIM_REAL_PIPE,	     /* a1 flags -> ret read fd, ret2 write fd */
	SIM_REAL_CLOSE,	     /* a0 fd */
	SIM_REAL_READ,	     /* a0 fd, a1 size, a2 RWF_NOWAIT (0/1), a3 fill+1 or 0 -> data,
			      *    stat[11] the bytes past it still filled */
	SIM_REAL_WRITE,	     /* a0 fd, a1 size, a2 RWF_NOWAIT, data: the bytes */
	SIM_REAL_FCNTL,	     /* a0 fd, a1 cmd (F_GETPIPE_SZ...), a2 arg */
	SIM_REAL_IOCTL,	     /* a0 fd: FIONREAD -> ret2 the byte count */
	SIM_REAL_MKFIFO,     /* data: path (relative to the sandbox directory), a1 mode
			      * -> stat[0..2] st_dev, st_ino, st_mode of the FIFO made */
	SIM_REAL_OPEN,	     /* data: path, a1 flags, a2 mode (with O_CREAT)
			      * -> stat[0..2] st_dev, st_ino, st_mode of what was opened */
	SIM_REAL_UNLINK,     /* data: path */
	SIM_REAL_DUP,	     /* a0 fd */
	SIM_REAL_DUP2,	     /* a0 fd, a1 newfd */
	SIM_REAL_DUP3,	     /* a0 fd, a1 newfd, a2 flags */
	SIM_REAL_SIGACTION,  /* a0 signo, a1 0 default / 1 ignore / 2 handler, a2 SA_RESTART */
	SIM_REAL_KILL,	     /* a0 pid, a1 signo */
	SIM_REAL_EXIT,	     /* a0 status: the worker answers {ret a0} and exits; its forked
			      * children live on (orphans, handed to the nearest subreaper).
			      * sim_real_recv reaps a worker that is the caller's own child
			      * and gives its exit status in ret */
	SIM_REAL_SETUP,	     /* the process's credentials, before its first call: a0 uid, a1 gid,
			      * a2 SIM_REAL_CAP_* kept (every other of the three is dropped; a
			      * non-root uid keeps only these), a3 nice, a4 RLIMIT_MSGQUEUE and
			      * a5 RLIMIT_NOFILE soft limits (-1: leave). EPERM when a
			      * capability asked for is not there to keep */
	SIM_REAL_FORK,	     /* a0 slot k, a1 n: fork(); the child takes the k-th prepared
			      * channel (see sim_real_worker_spawn_family) as its command pipes
			      * and keeps slots k+1 .. k+n for its own forks (a family is in
			      * depth-first order: a child's descendants follow it) -> ret the
			      * child's pid. The child outlives its parent, as the kernel's
			      * does, and dies with the sandbox (the lifeline) */
	SIM_REAL_WAIT,	     /* a0 pid: waitpid(pid, 0) -> ret pid, ret2 the status as the
			      * model gives it: the exit code, or 128+N after signal N */
	/* XSI semaphores (real_sem.c) */
	SIM_REAL_SEMGET, /* a0 key, a1 nsems, a2 semflg */
	SIM_REAL_SEMOP,	 /* a0 semid, a1 nsops, a2 timeout ns from now (-1: semop;
			  * SIM_REAL_TIMEOUT_INVALID), data: nsops struct sembuf */
	SIM_REAL_SEMCTL, /* a0 semid, a1 semnum, a2 cmd, a3 SETVAL's value or IPC_SET's
			  * mode, a4 uid, a5 gid; data: SETALL's unsigned shorts
			  * -> GETALL: data "v0,v1,..."; IPC_STAT: stat[0..7] nsems, mode,
			  *    uid, gid, cuid, cgid, otime, key; IPC_INFO, SEM_INFO:
			  *    stat[0..5] semmni, semmns, semmsl, semopm, semusz, semaem */
	/* XSI shared memory (real_shm.c). An attachment is named by the model's address for
	 * it (the handle): the worker keeps which real address each handle has. */
	SIM_REAL_SHMGET,   /* a0 key, a1 size, a2 shmflg */
	SIM_REAL_SHMAT,	   /* a0 shmid, a1 handle, a2 SHM_RDONLY or 0 */
	SIM_REAL_SHMDT,	   /* a0 handle */
	SIM_REAL_SHMCTL,   /* a0 shmid, a1 cmd, a2 mode, a3 uid, a4 gid (IPC_SET)
			    * -> IPC_STAT: stat[0..8] segsz, nattch, mode (SHM_DEST, SHM_LOCKED
			    *    included), uid, gid, cuid, cgid, cpid, lpid; IPC_INFO: stat[0..4]
			    * shmmax, shmmin, shmmni, shmseg,   shmall; SHM_INFO: stat[0..1] used_ids,
			    * shm_tot */
	SIM_REAL_SHMWRITE, /* a0 handle, a1 offset, data: the bytes stored (EFAULT outside the
			    * attachment or through a read-only one: nothing is touched) */
	SIM_REAL_SHMREAD,  /* a0 handle, a1 offset, a2 size -> data */
	SIM_REAL_IPCRM,	   /* a0 'q', 's' or 'm', a1 the id, or with a2 1 the key (real_ipcrm.c):
			    * ipcrm's get of flags 0 for a key, then the ctl's IPC_RMID */
	/* UNIX-domain sockets (real_sock.c) */
	SIM_REAL_SOCKETPAIR, /* a1 type (SOCK_* | SOCK_NONBLOCK) -> ret sv[0], ret2 sv[1] */
	SIM_REAL_SEND,	     /* a0 fd, a1 len, a2 MSG_* flags, data: the bytes */
	SIM_REAL_RECV,	     /* a0 fd, a1 len, a2 MSG_* flags -> data (what was copied) */
	SIM_REAL_SHUTDOWN,   /* a0 fd, a1 how */
	SIM_REAL_SOCKET,     /* a1 type (SOCK_* | SOCK_NONBLOCK) -> ret the descriptor */
	SIM_REAL_BIND,	     /* a0 fd, data: an abstract name, made the run's own */
	SIM_REAL_LISTEN,     /* a0 fd, a1 backlog */
	SIM_REAL_ACCEPT,     /* a0 fd: accept4(fd, NULL, NULL, 0) */
	SIM_REAL_CONNECT,    /* a0 fd, data: an abstract name, made the run's own */
	/* Positioned calls on descriptors (real_seek.c) */
	SIM_REAL_LSEEK,	 /* a0 fd, a1 offset, a2 whence */
	SIM_REAL_PREAD,	 /* a0 fd, a1 size, a2 offset -> data */
	SIM_REAL_PWRITE, /* a0 fd, a1 size, a2 offset, data: the bytes */
	SIM_REAL_FSTAT,	    /* a0 fd -> stat[0..3] st_mode, st_size, st_nlink, st_uid */
	SIM_REAL_STAT,	    /* data: path (no symlink followed) -> stat[0..3] as FSTAT */
	SIM_REAL_FTRUNCATE, /* a0 fd, a1 length */
	SIM_REAL_TRUNCATE,  /* data: path, a1 length (made only on a FIFO or no file) */
	SIM_REAL_SETUID,    /* a0 uid (real_cred.c) */
	SIM_REAL_SETGID,    /* a0 gid */
	SIM_REAL_SETEUID,   /* a0 euid: glibc's seteuid */
	/* Readiness (real_poll.c): data holds a0 entries of two int32 each, a descriptor and
	 * its events (poll) or sets (select: SIM_SELECT_*); a3 the time left in ns (-1: none,
	 * SIM_REAL_TIMEOUT_INVALID: a negative timeval) -> data: one int32 per entry, its
	 * revents or the sets it is ready in */
	SIM_REAL_POLL,	 /* ppoll */
	SIM_REAL_SELECT, /* pselect6 over bitmaps as large as the descriptors need */
	SIM_REAL_EXEC,	    /* what execve does to the caller's descriptors, signal actions and
			     * attachments (real_exec.c): returns the descriptors it closed */
	SIM_REAL_ALARM,	    /* a0 seconds: alarm(a0) -> ret the seconds the earlier alarm had
			     * left (real_proc.c) */
	/* mq_notify with SIGEV_THREAD (real_notify.c): what glibc's mq_notify does, with the
	 * thread it would start made by the worker, so that it runs the scenario's body */
	SIM_REAL_MQ_NOTIFY_THREAD, /* a0 fd, a1 slot k, a2 sigev_value: a netlink socket moved
				    * to SIM_REAL_NL_FD and up, the raw mq_notify with it and a
				    * cookie holding a2, then a thread of this worker's process
				    * serving the k-th channel -> ret2 its tid, stat[0] the
				    * socket's descriptor */
	SIM_REAL_NOTIFY_RECV,	   /* a0 the socket: recv(MSG_DONTWAIT) of the cookie -> ret its
				    * length, ret2 its last byte (1 NOTIFY_WOKENUP, 2
				    * NOTIFY_REMOVED), stat[0] the sigev_value in it */
	/* threads (real_thread.c) */
	SIM_REAL_THREAD,     /* a0 slot k: a thread of this worker's process serves the k-th
			      * prepared channel, as a fork's child would -> ret its tid */
	SIM_REAL_THREAD_END, /* the thread answers and ends (its body's end: pthread_exit) */
} SimRealOp;

/* How many ops there are: keep SIM_REAL_THREAD_END the last (the ops table's check counts to
 * it). */
#define SIM_REAL_N_OPS (SIM_REAL_THREAD_END + 1)

/* The lowest descriptor a SIGEV_THREAD registration's netlink socket takes: glibc opens it at
 * the lowest free one, where the model has none, so it is moved out of the scenario's way,
 * below the mailboxes' queues (XC_MBOX_FD) and the worker's channels. */
#define SIM_REAL_NL_FD (SIM_REAL_FD_BASE - 164)

#define SIM_REAL_TIMEOUT_INVALID (-2) /* a timed call's a3: a timespec the kernel refuses */

/* Capabilities SIM_REAL_SETUP keeps: the same bits as the model's SIM_CAP_* (vocab.h). */
enum {
	SIM_REAL_CAP_IPC_OWNER = 1u << 0,
	SIM_REAL_CAP_SYS_ADMIN = 1u << 1,
	SIM_REAL_CAP_SYS_RESOURCE = 1u << 2,
};

typedef struct SimRealCall {
	SimRealOp op;
	gint64 a[6];
	guint32 len; /* bytes of data that follow */
} SimRealCall;

#define SIM_REAL_SI_MAX 4	/* siginfo records one answer carries */
#define SIM_REAL_SI_LOG 16	/* ... and a worker's coordinator side keeps */

typedef struct SimRealResult {
	gint64 ret;	 /* the call's return value, -1 on error */
	int err;	 /* errno, 0 on success */
	gint64 ret2;	 /* a second value (msgrcv mtype, mq_receive prio, pipe write fd) */
	gint64 stat[12]; /* IPC_STAT / mq_getattr fields, in the order the op documents */
	guint32 len;	 /* bytes of data that follow */
	gint64 t_start;	 /* when the worker began the call (g_get_monotonic_time) and */
	gint64 t_end;	 /* when it returned: free runs order the kernel's calls by them */
	/* The siginfo of each scenario handler that ran in the worker since its last answer
	 * (signo, code, pid, uid, value, status), oldest first: n_si counts them all, si
	 * holds the first SIM_REAL_SI_MAX. */
	guint32 n_si;
	gint64 si[SIM_REAL_SI_MAX][6];
} SimRealResult;

typedef struct SimRealSandbox {
	char *run_dir;	   /* the run's directory: the registry and dir in it (owned), or NULL */
	char *dir;	   /* private directory for FIFOs, run_dir/files (owned), or NULL */
	int dir_fd;	   /* ... opened once (O_NOFOLLOW): every path call starts from it */
	gboolean mounted;  /* a tmpfs of the run's own mount namespace is on dir */
	GHashTable *fifos; /* path -> "dev:ino" of each FIFO the run made (owned) */
	gboolean userns;   /* a user namespace was needed */
	pid_t pid;	   /* the process that entered it */
	gboolean shared;   /* no private namespace: the machine's own, unique keys and names */
	int reg_fd;	   /* shared: the registry (run_dir/objects), append-only; -1 otherwise */
	int life_r;	   /* the lifeline: every worker holds the read end and dies at its end */
	int life_w;	   /* of file, so only this process holds the write end */
	char *prefix;	   /* shared: every queue name of the run starts with it (owned) */
	gint64 key_base;   /* shared: the run's own SysV keys are key_base + 0 .. 255 */
	guint next_key;	   /* shared: how many of them were handed out */
} SimRealSandbox;

typedef struct SimRealWorker {
	pid_t pid;	    /* 0 before it runs (prepared) and after it is gone */
	int cmd_fd;	    /* the parent writes calls here */
	int res_fd;	    /* and reads results here */
	gboolean busy;	    /* a call was sent and its result not read yet */
	SimRealOp op;	    /* the call in progress (valid while busy), for messages */
	gboolean own_child; /* the caller forked it (and may reap it); FALSE for a fork's child */
	int far_cmd;	    /* prepared: the worker's ends of its pipes, until it is spawned or */
	int far_res;	    /* a parent worker has inherited them; -1 otherwise */
	int status;	    /* after it died: its wait status, or -1 when not known */
	/* Every handler siginfo its answers carried (sim_real_recv), oldest first; n_si
	 * counts them all, si_log holds the first SIM_REAL_SI_LOG. */
	guint n_si;
	gint64 si_log[SIM_REAL_SI_LOG][6];
} SimRealWorker;

/* Lifecycle */
GQuark sim_real_error_quark(void);
gboolean sim_real_sandbox_enter(SimRealSandbox *sb, GError **error);
/* The fallback when no private namespace can be had: the run stays in the caller's IPC
 * namespace. The directory is made as by sim_real_sandbox_enter, with a registry in it;
 * every queue the run may make must be handed its name (sim_real_sandbox_mq_name, then
 * sim_real_sandbox_note_mq before the call) or key (sim_real_sandbox_new_key) here, so that
 * sim_real_sandbox_leave - or, after a SIGKILL, the next sandbox made on the machine -
 * removes it, and nothing else. */
gboolean sim_real_sandbox_enter_shared(SimRealSandbox *sb, GError **error);
/* Removes the directory and what is in it (only in the process that entered: a forked
 * child clearing its copy leaves the directory alone), and in shared mode every queue the
 * registry names first; frees sb->dir. */
void sim_real_sandbox_leave(SimRealSandbox *sb);
/* The real name of the scenario's POSIX queue `name` (allocated). A private namespace
 * keeps every name; shared mode prefixes a name the kernel accepts with sb->prefix (a
 * digest stands in for one too long for it) and leaves one the kernel refuses alone, so
 * the kernel refuses it the same way. */
char *sim_real_sandbox_mq_name(const SimRealSandbox *sb, const char *name);
/* Shared mode: records real_name (a result of sim_real_sandbox_mq_name) in the registry;
 * a name without the prefix needs no record. TRUE without doing anything otherwise. */
gboolean sim_real_sandbox_note_mq(SimRealSandbox *sb, const char *real_name, GError **error);
/* Shared mode: a SysV key of the run's own range (1 << 30 | pid << 8 | n, n < 256) that no
 * queue has, recorded in the registry; SIM_REAL_ERROR_NO_KEY when they are used up. */
gboolean sim_real_sandbox_new_key(SimRealSandbox *sb, gint64 *key, GError **error);
/* Shared mode: records that msgget of key returned id. Only a queue recorded so - id and
 * key both still as recorded - is removed by a sweep: record it as soon as the call
 * returns (one made and not yet recorded when the run is killed is left alone). */
gboolean sim_real_sandbox_note_id(SimRealSandbox *sb, gint64 key, gint64 id, GError **error);
/* Shared mode: the same for semget (sem) or shmget of key returning id: a "sem K ID" or
 * "shm K ID" line, removed by a sweep only while id still has key. */
gboolean sim_real_sandbox_note_xsi(SimRealSandbox *sb, gboolean sem, gint64 key, gint64 id,
				   GError **error);
/* Lets the workers that will take one of uids[0..n) in: a POSIX ACL entry (rwx) for each
 * on the directory, which stays closed to every other uid. FALSE (the directory as it
 * was) when the file system refuses the ACL: the caller must not open the directory to
 * everyone instead. */
gboolean sim_real_sandbox_allow_uids(SimRealSandbox *sb, const guint32 *uids, guint n,
				     GError **error);
/* Records the FIFO a SIM_REAL_MKFIFO of path made (r: its answer, identity in stat[]), and
 * forgets one an answered SIM_REAL_UNLINK of path removed; other answers change nothing. */
void sim_real_sandbox_note_path(SimRealSandbox *sb, SimRealOp op, const char *path,
				const SimRealResult *r);
/* Is what a successful SIM_REAL_OPEN of path opened (r->stat) the FIFO the run made there,
 * the same file type and inode as recorded at its mkfifo? */
gboolean sim_real_sandbox_fifo_is_own(const SimRealSandbox *sb, const char *path,
				      const SimRealResult *r);
/* Makes a scenario path (path->len bytes, any but NUL) one file name of the FIFO directory,
 * in place: '%' becomes "%25", '/' "%2F" and a leading '.' "%2E", so that two paths never
 * share a name, a name is never "." or ".." and never names a subdirectory, and the path
 * can be read back. A result longer than NAME_MAX becomes "%H" and the SHA-256 of the path
 * in hex instead (no encoded name has '%' before 'H'): the model knows no length limit on a
 * FIFO path, so neither may the kernel's answer. The empty path stays empty (ENOENT). */
void sim_real_sandbox_encode_path(GString *path);
/* Removes the sandbox directories (and, in shared mode, the queues) of runs whose process
 * is gone, as sim_real_sandbox_enter does first: for a caller that has just killed one. */
void sim_real_sandbox_sweep_stale(void);
/* The calling process's IPC namespace as /proc/self/ns/ipc names it (allocated), or NULL. */
char *sim_real_ipc_ns(void);
/* Reads the calling process's namespace limits from /proc/sys (every one: out->set is all). */
gboolean sim_real_sandbox_read_limits(SimLimits *out, GError **error);
/* Limits of the namespace: writes the /proc/sys file of each limit in want->set (see
 * limits.h), in sim_limits_table's order, and leaves the others alone. Call it inside the
 * sandbox. Every value is checked before anything is written (msgmax at most
 * SIM_REAL_IO_MAX). A network namespace's limit (net.unix.max_dgram_qlen) that the caller's
 * namespace does not have moves the caller to a new network namespace, where it is written:
 * the machine's is never written. */
gboolean sim_real_sandbox_limits(const SimLimits *want, GError **error);
gboolean sim_real_worker_spawn(SimRealWorker *wk, const SimRealSandbox *sb, GError **error);
/* A worker that a SIM_REAL_FORK will start: its command pipes are made now (pid 0). */
gboolean sim_real_worker_prepare(SimRealWorker *wk, GError **error);
/* The RLIMIT_NOFILE a worker with n_kids channel slots needs while it starts (it raises
 * its soft limit to that, as far as the hard limit lets it). */
guint64 sim_real_worker_fds_needed(guint n_kids);
/* As sim_real_worker_spawn, and the new worker inherits the far ends of the prepared
 * workers kids[0..n_kids) as channel slots 0..n_kids-1 (SIM_REAL_FD_BASE + 4 + 2k and
 * + 5 + 2k); the caller's copies of those far ends are closed. A SIM_REAL_FORK of slot k
 * gives the child slot k's pipes (and closes the other slots in it), the parent closes
 * slot k. The child outlives the worker that forked it and dies with the sandbox (its
 * lifeline). sb must be entered: its lifeline is every worker's. */
gboolean sim_real_worker_spawn_family(SimRealWorker *wk, const SimRealSandbox *sb,
				      SimRealWorker *const *kids, guint n_kids, GError **error);
/* The SIM_REAL_FORK that starts a prepared worker returned pid: the worker is that process
 * (not the caller's child: own_child FALSE). */
void sim_real_worker_adopt(SimRealWorker *wk, pid_t pid);
void sim_real_worker_kill(SimRealWorker *wk); /* SIGKILL and reap; fine on a dead one */

/* Operations */
gboolean sim_real_send(SimRealWorker *wk, const SimRealCall *c, const void *data, GError **error);
/* Waits up to timeout_ms for the result of the call in progress. On timeout the worker is
 * killed and SIM_REAL_ERROR_TIMEOUT returned; a worker that died in its call (end of file
 * on its result pipe: a signal killed it) is reaped when it is the caller's own child and
 * reported as SIM_REAL_ERROR_DIED with wk->status set (-1 when it cannot be reaped here),
 * and marked gone; a worker that broke the protocol is SIM_REAL_ERROR_WORKER. On success *data
 * (unless data is NULL) is g_malloc'd: r->len bytes and a terminating NUL. */
gboolean sim_real_recv(SimRealWorker *wk, int timeout_ms, SimRealResult *r, char **data,
		       GError **error);
/* A worker that should die (a signal's default action): 1 when its result pipe reached end
 * of file within timeout_ms (it is reaped when it is the caller's own child, wk->status
 * set, the worker marked gone), 0 when it is still alive. An answer that arrives instead
 * is left to be read. */
int sim_real_wait_gone(SimRealWorker *wk, int timeout_ms);
/* Is a result waiting (the call returned)? Does not block. */
gboolean sim_real_ready(const SimRealWorker *wk);

/* Writes all n bytes to fd, retrying after signals: 0 or an errno value (also used by the
 * cross-check coordinator to send its report back). */
int sim_real_write_all(int fd, const void *buf, size_t n);

/* Stop signals */
/* Catches SIGINT, SIGTERM and SIGHUP in the calling process (one that finds a signal
 * ignored leaves it ignored, as nohup and a background shell job expect): the handler
 * records the first and writes to a self-pipe. FALSE with errno when the pipe cannot be
 * made. A process forked after it inherits the handlers: it calls sim_real_stop_renew. */
gboolean sim_real_stop_catch(void);
/* In a process forked after sim_real_stop_catch: a self-pipe of its own (the parent's copy
 * is closed), so that the signals it catches are its own. Call it with the three signals
 * blocked (sim_real_stop_block), as they were across the fork. */
gboolean sim_real_stop_renew(void);
/* Blocks (TRUE) or unblocks (FALSE) the three signals in the calling thread. */
void sim_real_stop_block(gboolean block);
/* Gives the three signals back their earlier actions and closes the self-pipe. */
void sim_real_stop_release(void);
/* The first stop signal caught since sim_real_stop_catch, or 0. */
int sim_real_stop_signal(void);
/* The self-pipe's read end, readable while a stop is pending (-1 when none is caught): for
 * a caller's own poll. */
int sim_real_stop_fd(void);
/* The stop is being acted on: the waits of this module stop giving up on it (until another
 * signal comes), so that removing what the run made may wait for workers as usual. */
void sim_real_stop_ack(void);
/* Sleeps up to us microseconds; FALSE at once when a stop is (or becomes) pending. */
gboolean sim_real_stop_pause(gint64 us);

/* Queries */
/* The op's system call name ("msgrcv"), for messages and reports. */
const char *sim_real_op_name(SimRealOp op);
/* TRUE when pid has finished: no such process, or a zombie whose threads have all exited
 * (only then are its descriptors closed and its children handed on) and that stays one. A
 * zombie the kernel reaps by itself (its parent ignores SIGCHLD) finishes only when its pid
 * is released: until then kill() still finds it. */
gboolean sim_real_pid_finished(pid_t pid);
/* TRUE when pid is a zombie (or dying): exited, not yet reaped. */
gboolean sim_real_pid_zombie(pid_t pid);
/* TRUE when pid's main thread has a signal pending that it does not block (its own or
 * the process's): the kernel has yet to deliver it. */
gboolean sim_real_signal_pending(pid_t pid);
/* TRUE when pid is asleep ('S') inside system call number nr. */
gboolean sim_real_blocked_in(pid_t pid, long nr);
/* Waits up to timeout_ms for pid to be blocked in nr, or for its result to arrive: returns
 * 1 (blocked), 0 (it returned instead: read the result) or -1 (timeout: still running). */
int sim_real_wait_blocked(const SimRealWorker *wk, long nr, int timeout_ms);

/* The worker side (also used by tests): runs one call in the calling process. Paths are
 * taken relative to sb->dir_fd and never through a symlink (ELOOP, ENOTDIR); an absolute
 * path or one with a ".." component is refused with EACCES without a system call (a
 * sandbox rule, not the kernel's answer). */
void sim_real_exec(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
		   SimRealResult *r, GString *out);

/* The kernel's alarm at the lockstep's moment (real_alarm.c). prepare makes the page the
 * coordinator and its workers share (before the first worker is forked; again: nothing);
 * a worker installs the SIGRTMAX handler and adds SIGRTMAX to its main thread's mask
 * (worker), and its lifeline thread takes SIGRTMAX (lifeline). fire asks pid's process to
 * let its pending alarm expire now and waits until the kernel has sent its SIGALRM: 1, or
 * 0 when the process had no alarm pending (nothing sent), or -1 (error set). */
gboolean sim_real_alarm_prepare(GError **error);
void sim_real_alarm_worker(sigset_t *main_mask);
void sim_real_alarm_lifeline(void);
int sim_real_alarm_fire(pid_t pid, int timeout_ms, GError **error);

/* The kills a handler's body makes, made by the worker's handler (real_hkill.c). prepare
 * makes the page the coordinator and its workers share (before the first worker is forked);
 * set_pid records a task's real pid there (the coordinator, as it knows it). A worker:
 * program takes signal sig's body as text (FALSE when malformed), run makes its kills (from
 * the handler, with the siginfo it was handed). The text is tokens separated by spaces, a
 * small postfix program that runs forward only: "TASK:SIG" a kill (at most
 * SIM_REAL_HKILL_MAX), "#N" a number, "fF" a field (SIM_REAL_HK_SI_*), "uO" and "bO" a
 * unary and a binary operator (SIM_REAL_HK_*), "zL" a jump to step L when the value on top
 * (taken off) is 0, "jL" a jump to step L. A condition whose value faulted (a division by
 * zero, an overflow) ends the program, as it ends the model's run. find looks for by's
 * kill of task with sig in the log, not yet taken (taken: SIM_REAL_HKILL_LOG flags, the
 * caller's): 1 found (*err its errno, 0 for success; *at_us, when not NULL, the monotonic
 * time it was made), 0 not (yet), -1 no page. pending_since is the time of the earliest
 * kill in the log not yet taken, or G_MAXINT64. */
#define SIM_REAL_HKILL_TASKS 1024
#define SIM_REAL_HKILL_MAX 4
#define SIM_REAL_HKILL_LOG 256
#define SIM_REAL_HKILL_INS 48 /* steps of one body's program */
enum {
	SIM_REAL_HK_SI_SIGNO,
	SIM_REAL_HK_SI_CODE,
	SIM_REAL_HK_SI_PID,
	SIM_REAL_HK_SI_UID,
	SIM_REAL_HK_SI_VALUE,
	SIM_REAL_HK_SI_STATUS,
	SIM_REAL_HK_SELF_PID,
};
enum {
	SIM_REAL_HK_NEG,
	SIM_REAL_HK_NOT,
	SIM_REAL_HK_ADD,
	SIM_REAL_HK_SUB,
	SIM_REAL_HK_MUL,
	SIM_REAL_HK_DIV,
	SIM_REAL_HK_MOD,
	SIM_REAL_HK_EQ,
	SIM_REAL_HK_NE,
	SIM_REAL_HK_LT,
	SIM_REAL_HK_LE,
	SIM_REAL_HK_GT,
	SIM_REAL_HK_GE,
	SIM_REAL_HK_AND,
	SIM_REAL_HK_OR,
};
gboolean sim_real_hkill_prepare(GError **error);
/* Empties the log and the pids (a new run, in a process that made the page before). */
void sim_real_hkill_reset(void);
void sim_real_hkill_set_pid(int task, pid_t pid);
gboolean sim_real_hkill_program(int sig, const char *text);
void sim_real_hkill_run(int sig, const siginfo_t *si);
int sim_real_hkill_find(pid_t by, int task, int sig, guchar *taken, int *err, gint64 *at_us);
gint64 sim_real_hkill_pending_since(const guchar *taken);
/* find without taking: 1 with *at_us when by's kill is in the log, 0 not (yet). */
int sim_real_hkill_peek(pid_t by, int task, int sig, const guchar *taken, gint64 *at_us);
/* The first kill in the log from index *from on not yet taken, which it marks taken: TRUE
 * with who made it (*by), its target and signal; *from moves past it. */
gboolean sim_real_hkill_untaken(guchar *taken, guint *from, pid_t *by, int *task, int *sig);

#endif /* MSGSIM_REAL_H */
