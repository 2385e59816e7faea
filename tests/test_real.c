/* test_real.c — the real-kernel side of a cross-check (real.h), checked on the real kernel.
 *
 * A sandbox moves its process into a new IPC namespace for good, so every test body runs in
 * a forked child: the test binary's own namespace stays untouched and is where the tests
 * look for leaks. A failed CHECK in the child is sent up a pipe as a line and ends the
 * child; the parent turns it into a CUnit failure at the child's file and line. The child
 * also sends facts the parent needs (pids, the namespace's inode, the FIFO directory) as
 * "I key value" lines. Every wait has a deadline, so a broken worker fails a test instead of
 * hanging it. Children leave with _exit: no leak check runs on a forked image.
 */
#undef _POSIX_C_SOURCE
#define _GNU_SOURCE

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/magic.h>
#include <mqueue.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msgsim/real/real.h"
#include "real/real_int.h"
#include "tests.h"

enum { CHILD_MS = 5000, CALL_MS = 2000, BLOCK_MS = 1000 };

/* ---- The child side: checks and facts go up a pipe ---- */

static int report_fd = -1;
static int go_fd = -1; /* the parent's go-ahead */
static pid_t test_pid; /* the test binary's process: keys and names derive from it */

static void report(const char *line)
{
	size_t n = strlen(line);
	while (n > 0) {
		ssize_t k = write(report_fd, line, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return;
		line += k;
		n -= (size_t)k;
	}
}

G_GNUC_PRINTF(3, 4)
static _Noreturn void child_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *what = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_strdelimit(what, "\n\t", ' ');
	g_autofree char *msg = g_strdup_printf("F%d\t%s\t%s\n", line, file, what);
	report(msg);
	_exit(1);
}

#define CHECK(x)                                                  \
	do {                                                      \
		if (!(x))                                         \
			child_fail(__FILE__, __LINE__, "%s", #x); \
	} while (0)

#define CHECK_EQ(x, y)                                                                            \
	do {                                                                                      \
		gint64 x_ = (gint64)(x), y_ = (gint64)(y);                                        \
		if (x_ != y_)                                                                     \
			child_fail(__FILE__, __LINE__,                                            \
				   "%s == %s (%" G_GINT64_FORMAT " != %" G_GINT64_FORMAT ")", #x, \
				   #y, x_, y_);                                                   \
	} while (0)

G_GNUC_PRINTF(2, 3)
static void say(const char *key, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	g_autofree char *value = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_autofree char *line = g_strdup_printf("I %s %s\n", key, value);
	report(line);
}

/* Waits until the parent has looked at what we said (child_go). */
static void wait_go(void)
{
	struct pollfd pfd = { .fd = go_fd, .events = POLLIN };
	char c;
	CHECK(poll(&pfd, 1, CHILD_MS) == 1 && read(go_fd, &c, 1) == 1);
}

/* ---- The child side: a sandbox and calls on workers ---- */

static SimRealSandbox sb;

static ino_t ns_inode(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? st.st_ino : 0;
}

/* Enters the sandbox and makes sure it is a namespace of its own before anything else. */
static void enter(void)
{
	g_autoptr(GError) err = NULL;
	ino_t before = ns_inode("/proc/self/ns/ipc");
	if (!sim_real_sandbox_enter(&sb, &err))
		child_fail(__FILE__, __LINE__, "sandbox: %s", err->message);
	ino_t after = ns_inode("/proc/self/ns/ipc");
	CHECK(before != 0 && after != 0 && before != after);
	CHECK(sb.dir != NULL && g_file_test(sb.dir, G_FILE_TEST_IS_DIR));
	CHECK_EQ(sb.pid, getpid());
}

static void spawn(SimRealWorker *wk)
{
	g_autoptr(GError) err = NULL;
	if (!sim_real_worker_spawn(wk, &sb, &err))
		child_fail(__FILE__, __LINE__, "spawn: %s", err->message);
	CHECK(wk->pid > 0 && !wk->busy);
}

static void prepare(SimRealWorker *wk)
{
	g_autoptr(GError) err = NULL;
	if (!sim_real_worker_prepare(wk, &err))
		child_fail(__FILE__, __LINE__, "prepare: %s", err->message);
	CHECK(wk->pid == 0 && !wk->busy && wk->cmd_fd >= 0 && wk->res_fd >= 0);
	CHECK(wk->far_cmd >= 0 && wk->far_res >= 0);
}

/* Prepares n kids and spawns their parent, which holds their channels as slots 0..n-1. */
static void spawn_family(SimRealWorker *wk, SimRealWorker *kids, guint n)
{
	g_autoptr(GError) err = NULL;
	SimRealWorker *ptrs[8];
	CHECK(n <= G_N_ELEMENTS(ptrs));
	for (guint i = 0; i < n; i++) {
		prepare(&kids[i]);
		ptrs[i] = &kids[i];
	}
	if (!sim_real_worker_spawn_family(wk, &sb, ptrs, n, &err))
		child_fail(__FILE__, __LINE__, "spawn family: %s", err->message);
	CHECK(wk->pid > 0 && wk->own_child && !wk->busy);
	for (guint i = 0; i < n; i++)
		CHECK(kids[i].far_cmd == -1 && kids[i].far_res == -1 && kids[i].pid == 0);
}

static void put_call(SimRealWorker *wk, const char *data, SimRealCall c, int line)
{
	g_autoptr(GError) err = NULL;
	c.len = data != NULL ? (guint32)strlen(data) : 0;
	if (!sim_real_send(wk, &c, data, &err))
		child_fail(__FILE__, line, "send %s: %s", sim_real_op_name(c.op), err->message);
	CHECK(wk->busy);
}

static SimRealResult get_result(SimRealWorker *wk, char **out, int line)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *data = NULL;
	SimRealResult r;
	if (!sim_real_recv(wk, CALL_MS, &r, &data, &err))
		child_fail(__FILE__, line, "recv: %s", err->message);
	if (wk->busy || data == NULL || strlen(data) != r.len)
		child_fail(__FILE__, line, "recv %s: busy or bad data", sim_real_op_name(wk->op));
	if (out != NULL)
		*out = g_steal_pointer(&data);
	return r;
}

/* PUT starts a call, GET waits for its result, CALL does both. */
#define PUT(wk, data, o, ...) \
	put_call((wk), (data), (SimRealCall){ .op = (o), .a = { __VA_ARGS__ } }, __LINE__)
#define GET(wk, out) get_result((wk), (out), __LINE__)
#define CALL(wk, data, out, o, ...) (PUT(wk, data, o, __VA_ARGS__), GET(wk, out))

/* SIM_REAL_FORK of slot k in parent; kid is the child from then on. */
static pid_t fork_kid(SimRealWorker *parent, int k, SimRealWorker *kid, int line)
{
	SimRealResult r = CALL(parent, NULL, NULL, SIM_REAL_FORK, k);
	if (r.ret <= 0)
		child_fail(__FILE__, line, "fork of slot %d: %s", k, g_strerror(r.err));
	sim_real_worker_adopt(kid, (pid_t)r.ret);
	if (kid->pid != (pid_t)r.ret || kid->own_child)
		child_fail(__FILE__, line, "adopt");
	return (pid_t)r.ret;
}
#define FORK_KID(parent, k, kid) fork_kid((parent), (k), (kid), __LINE__)

static int cmp_int(gconstpointer a, gconstpointer b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* The descriptors open in pid, in order: "0 1 2 3 4 900 901". */
static char *fd_list(pid_t pid)
{
	g_autofree char *dir = g_strdup_printf("/proc/%d/fd", (int)pid);
	g_autoptr(GArray) fds = g_array_new(FALSE, FALSE, sizeof(int));
	GDir *d = g_dir_open(dir, 0, NULL);
	if (d == NULL)
		return g_strdup("?");
	const char *name;
	while ((name = g_dir_read_name(d)) != NULL) {
		int fd = atoi(name);
		g_array_append_val(fds, fd);
	}
	g_dir_close(d);
	g_array_sort(fds, cmp_int);
	GString *s = g_string_new(NULL);
	for (guint i = 0; i < fds->len; i++)
		g_string_append_printf(s, "%s%d", i > 0 ? " " : "", g_array_index(fds, int, i));
	return g_string_free(s, FALSE);
}

#define CHECK_FDS(pid, want)                                                             \
	do {                                                                             \
		g_autofree char *got_ = fd_list(pid);                                    \
		if (strcmp(got_, (want)) != 0)                                           \
			child_fail(__FILE__, __LINE__, "fds of %d: \"%s\", want \"%s\"", \
				   (int)(pid), got_, (want));                            \
	} while (0)

/* The value of a line of /proc/PID/status ("CapEff", "Uid"), or "" when unreadable. */
static char *status_field(pid_t pid, const char *key)
{
	g_autofree char *path = g_strdup_printf("/proc/%d/status", (int)pid);
	g_autofree char *text = NULL;
	g_autofree char *want = g_strdup_printf("\n%s:\t", key);
	if (!g_file_get_contents(path, &text, NULL, NULL))
		return g_strdup("");
	const char *p = strstr(text, want);
	if (p == NULL)
		return g_strdup("");
	p += strlen(want);
	return g_strndup(p, strcspn(p, "\n"));
}

/* The SIM_REAL_CAP_* bits this process holds (permitted). */
static guint held_caps(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct caps[2];
	CHECK(syscall(SYS_capget, &hdr, caps) == 0);
	static const int cap[3] = { CAP_IPC_OWNER, CAP_SYS_ADMIN, CAP_SYS_RESOURCE };
	static const guint bit[3] = { SIM_REAL_CAP_IPC_OWNER, SIM_REAL_CAP_SYS_ADMIN,
				      SIM_REAL_CAP_SYS_RESOURCE };
	guint held = 0;
	for (int i = 0; i < 3; i++) {
		if (caps[cap[i] / 32].permitted & (1u << (cap[i] % 32)))
			held |= bit[i];
	}
	return held;
}

static gboolean sleep_until(gboolean (*cond)(pid_t), pid_t pid, int timeout_ms)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;
	while (!cond(pid)) {
		if (g_get_monotonic_time() >= deadline)
			return FALSE;
		g_usleep(200);
	}
	return TRUE;
}

/* The worker sleeps in read(SIM_REAL_FD_BASE): idle, waiting for its next command. */
static gboolean idle_in_command_read(pid_t pid)
{
	g_autofree char *path = g_strdup_printf("/proc/%d/syscall", (int)pid);
	g_autofree char *text = NULL;
	g_autofree char *want = g_strdup_printf("%d 0x%x ", SYS_read, SIM_REAL_FD_BASE);
	return g_file_get_contents(path, &text, NULL, NULL) && g_str_has_prefix(text, want);
}

/* No signal waits for pid (private or shared): it was delivered. */
static gboolean no_signal_pending(pid_t pid)
{
	g_autofree char *path = g_strdup_printf("/proc/%d/status", (int)pid);
	g_autofree char *text = NULL;
	if (!g_file_get_contents(path, &text, NULL, NULL))
		return FALSE;
	const char *p = strstr(text, "\nSigPnd:\t");
	const char *q = strstr(text, "\nShdPnd:\t");
	return p != NULL && q != NULL && g_ascii_strtoull(p + 9, NULL, 16) == 0 &&
	       g_ascii_strtoull(q + 9, NULL, 16) == 0;
}

/* ---- The parent side: run a body in a child, collect its lines ---- */

typedef struct Child {
	pid_t pid;
	int fd;
	int go;		  /* write end of the go-ahead pipe */
	GString *in;	  /* bytes not yet split into lines */
	GHashTable *info; /* key -> value from "I" lines */
	gboolean failed;  /* an "F" line arrived */
} Child;

static void child_start(Child *ch, void (*body)(void))
{
	int p[2], g[2];
	memset(ch, 0, sizeof(*ch));
	ch->fd = -1;
	CU_ASSERT_FATAL(pipe2(p, O_CLOEXEC) == 0 && pipe2(g, O_CLOEXEC) == 0);
	test_pid = getpid();
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		close(g[1]);
		report_fd = p[1];
		go_fd = g[0];
		body();
		_exit(0);
	}
	close(p[1]);
	close(g[0]);
	CU_ASSERT_FATAL(pid > 0);
	ch->pid = pid;
	ch->fd = p[0];
	ch->go = g[1];
	ch->in = g_string_new(NULL);
	ch->info = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
}

static void child_line(Child *ch, const char *line)
{
	if (line[0] == 'I' && line[1] == ' ') {
		const char *sp = strchr(line + 2, ' ');
		if (sp != NULL)
			g_hash_table_replace(ch->info, g_strndup(line + 2, (gsize)(sp - line - 2)),
					     g_strdup(sp + 1));
		return;
	}
	g_auto(GStrv) f = g_strsplit(line + 1, "\t", 3);
	if (line[0] == 'F' && g_strv_length(f) == 3) {
		CU_assertImplementation(CU_FALSE, (unsigned)atoi(f[0]), f[2], f[1], "", CU_FALSE);
	} else {
		CU_assertImplementation(CU_FALSE, __LINE__, line, __FILE__, "", CU_FALSE);
	}
	ch->failed = TRUE;
}

/* Reads what the child wrote until key is known (key NULL: until end of file) or the
 * deadline passes. FALSE on end of file or timeout. */
static gboolean child_pump(Child *ch, const char *key, gint64 deadline)
{
	while (key == NULL || !g_hash_table_contains(ch->info, key)) {
		gint64 left = deadline - g_get_monotonic_time();
		if (left <= 0)
			return FALSE;
		struct pollfd pfd = { .fd = ch->fd, .events = POLLIN };
		int k = poll(&pfd, 1, (int)((left + 999) / 1000));
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			continue;
		char buf[512];
		ssize_t n = read(ch->fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return FALSE;
		g_string_append_len(ch->in, buf, n);
		char *nl;
		while ((nl = memchr(ch->in->str, '\n', ch->in->len)) != NULL) {
			*nl = '\0';
			child_line(ch, ch->in->str);
			g_string_erase(ch->in, 0, nl - ch->in->str + 1);
		}
	}
	return TRUE;
}

/* The value the child said for key; NULL (and a failure) if it did not within timeout. */
static const char *child_get(Child *ch, const char *key)
{
	if (!child_pump(ch, key, g_get_monotonic_time() + (gint64)CHILD_MS * 1000)) {
		CU_FAIL("the test child did not say what the test needs");
		return NULL;
	}
	return g_hash_table_lookup(ch->info, key);
}

static gint64 child_get_int(Child *ch, const char *key)
{
	const char *v = child_get(ch, key);
	return v != NULL ? g_ascii_strtoll(v, NULL, 10) : -1;
}

/* Waits for the child's end (killing it after the timeout) and checks it ended well:
 * with status 0, or by SIGKILL when the test killed it. */
static void child_end(Child *ch, gboolean killed)
{
	gboolean eof = !child_pump(ch, NULL, g_get_monotonic_time() + (gint64)CHILD_MS * 1000);
	int st = 0;
	if (!eof)
		kill(ch->pid, SIGKILL);
	while (waitpid(ch->pid, &st, 0) < 0 && errno == EINTR)
		;
	if (!ch->failed) {
		CU_ASSERT(eof); /* it did not hang */
		if (killed) {
			CU_ASSERT(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
		} else {
			CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
		}
	}
	close(ch->fd);
	close(ch->go);
	g_string_free(ch->in, TRUE);
	g_hash_table_unref(ch->info);
}

static void run_child(void (*body)(void))
{
	Child ch;
	child_start(&ch, body);
	child_end(&ch, FALSE);
}

/* ---- The parent side: looking for leftovers in the test's own namespace ---- */

/* SysV queues with this key in the caller's namespace, by MSG_STAT_ANY over every index. */
static int sysv_queues_with_key(key_t key)
{
	struct msginfo info;
	int max = msgctl(0, MSG_INFO, (struct msqid_ds *)(void *)&info);
	int n = 0;
	for (int i = 0; i <= max; i++) {
		struct msqid_ds ds;
		if (msgctl(i, MSG_STAT_ANY, &ds) >= 0 && ds.msg_perm.__key == key)
			n++;
	}
	if (msgget(key, 0) >= 0 || errno != ENOENT)
		n++;
	return n;
}

/* Whether `ipcs -q` lists the key (when ipcs is installed; the MSG_STAT scan is the test). */
static gboolean ipcs_lists_key(key_t key)
{
	g_autofree char *ipcs = g_find_program_in_path("ipcs");
	g_autofree char *out = NULL;
	if (ipcs == NULL)
		return FALSE;
	char *argv[] = { ipcs, "-q", NULL };
	if (!g_spawn_sync(NULL, argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
			  NULL, NULL))
		return FALSE;
	g_autofree char *hex = g_strdup_printf("0x%08x ", (unsigned)key);
	return strstr(out, hex) != NULL;
}

static gboolean mq_exists(const char *name)
{
	mqd_t q = mq_open(name, O_RDONLY);
	if (q >= 0) {
		mq_close(q);
		return TRUE;
	}
	return errno != ENOENT;
}

/* Live processes whose IPC namespace has this inode (a zombie has none). */
static int procs_in_ns(ino_t ns)
{
	int n = 0;
	DIR *d = opendir("/proc");
	if (d == NULL)
		return -1;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (!g_ascii_isdigit(e->d_name[0]))
			continue;
		g_autofree char *path = g_strdup_printf("/proc/%s/ns/ipc", e->d_name);
		if (ns_inode(path) == ns)
			n++;
	}
	closedir(d);
	return n;
}

static void remove_dir(const char *dir)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	if (d == NULL)
		return;
	const char *name;
	while ((name = g_dir_read_name(d)) != NULL) {
		g_autofree char *path = g_build_filename(dir, name, NULL);
		unlink(path);
	}
	g_dir_close(d);
	rmdir(dir);
}

static key_t test_key(void)
{
	return (key_t)(0x6d000000 | (test_pid & 0xffffff));
}

static char *test_mq_name(void)
{
	return g_strdup_printf("/msgsim-real-test-%d", (int)test_pid);
}

/* ---- Tests ---- */

static void body_round_trip(void)
{
	SimRealWorker w;
	g_autofree char *text = NULL;
	enter();
	spawn(&w);
	SimRealResult r = CALL(&w, NULL, NULL, SIM_REAL_MSGGET, 0x5eed, IPC_CREAT | 0600);
	CHECK_EQ(r.ret, 0); /* a fresh namespace: ids start at 0 */
	CHECK_EQ(r.err, 0);
	r = CALL(&w, "hello", NULL, SIM_REAL_MSGSND, 0, 7, 5, 0);
	CHECK_EQ(r.ret, 0);
	r = CALL(&w, NULL, &text, SIM_REAL_MSGRCV, 0, 0, 64, 0);
	CHECK_EQ(r.ret, 5);
	CHECK_EQ(r.ret2, 7);
	CHECK(strcmp(text, "hello") == 0);
	r = CALL(&w, NULL, NULL, SIM_REAL_MSGCTL, 0, IPC_STAT);
	CHECK_EQ(r.ret, 0);
	CHECK_EQ(r.stat[0], 0);	    /* qnum */
	CHECK_EQ(r.stat[1], 0);	    /* cbytes */
	CHECK_EQ(r.stat[2], 16384); /* qbytes = the fresh namespace's msgmnb */
	CHECK_EQ(r.stat[3], w.pid); /* lspid */
	CHECK_EQ(r.stat[4], w.pid); /* lrpid */
	CHECK_EQ(r.stat[5] & 0777, 0600);
	CHECK_EQ(r.stat[6], geteuid());
	CHECK_EQ(r.stat[8], geteuid());
	CHECK_EQ(r.stat[10], 0x5eed);
	r = CALL(&w, NULL, NULL, SIM_REAL_MSGGET, IPC_PRIVATE, 0600);
	CHECK_EQ(r.ret, 1);
	r = CALL(&w, NULL, NULL, SIM_REAL_MSGRCV, 1, 0, 64, IPC_NOWAIT);
	CHECK_EQ(r.ret, -1);
	CHECK_EQ(r.err, ENOMSG);
	r = CALL(&w, NULL, NULL, SIM_REAL_MSGCTL, 1, IPC_RMID);
	CHECK_EQ(r.ret, 0);
	pid_t pid = w.pid;
	r = CALL(&w, NULL, NULL, SIM_REAL_EXIT, 3);
	CHECK_EQ(r.ret, 3); /* the exit status */
	CHECK_EQ(w.pid, 0);
	CHECK(kill(pid, 0) < 0 && errno == ESRCH); /* reaped */
	sim_real_sandbox_leave(&sb);
}

static void test_real_msg_round_trip_in_a_fresh_sandbox_starts_at_id_0(void)
{
	run_child(body_round_trip);
}

static void body_msgrcv_blocks(void)
{
	SimRealWorker a, b;
	g_autofree char *text = NULL;
	enter();
	spawn(&a);
	spawn(&b);
	SimRealResult r = CALL(&a, NULL, NULL, SIM_REAL_MSGGET, IPC_PRIVATE, 0600);
	CHECK_EQ(r.ret, 0);
	PUT(&a, NULL, SIM_REAL_MSGRCV, 0, 0, 64, 0);
	CHECK_EQ(sim_real_wait_blocked(&a, SYS_msgrcv, BLOCK_MS), 1);
	CHECK(sim_real_blocked_in(a.pid, SYS_msgrcv));
	CHECK(!sim_real_blocked_in(a.pid, SYS_msgsnd));
	CHECK(!sim_real_ready(&a));
	r = CALL(&b, "wake", NULL, SIM_REAL_MSGSND, 0, 3, 4, 0);
	CHECK_EQ(r.ret, 0);
	r = GET(&a, &text);
	CHECK_EQ(r.ret, 4);
	CHECK_EQ(r.ret2, 3);
	CHECK(strcmp(text, "wake") == 0);
	CHECK(!sim_real_blocked_in(a.pid, SYS_msgrcv));
	sim_real_worker_kill(&a);
	sim_real_worker_kill(&b);
	sim_real_sandbox_leave(&sb);
}

static void test_real_msgrcv_blocks_until_another_worker_sends(void)
{
	run_child(body_msgrcv_blocks);
}

static void body_wait_blocked_outcomes(void)
{
	SimRealWorker a;
	enter();
	spawn(&a);
	SimRealResult r = CALL(&a, NULL, NULL, SIM_REAL_MSGGET, IPC_PRIVATE, 0600);
	/* The call returns instead of blocking: 0, and its result is there. */
	PUT(&a, NULL, SIM_REAL_MSGRCV, r.ret, 0, 64, IPC_NOWAIT);
	CHECK_EQ(sim_real_wait_blocked(&a, SYS_msgrcv, BLOCK_MS), 0);
	CHECK(sim_real_ready(&a));
	r = GET(&a, NULL);
	CHECK_EQ(r.err, ENOMSG);
	/* Blocked, but in another call than the one asked about: -1 at the timeout. */
	r = CALL(&a, NULL, NULL, SIM_REAL_PIPE, 0, 0);
	PUT(&a, NULL, SIM_REAL_READ, r.ret, 1, 0);
	CHECK_EQ(sim_real_wait_blocked(&a, SYS_read, BLOCK_MS), 1);
	gint64 t0 = g_get_monotonic_time();
	CHECK_EQ(sim_real_wait_blocked(&a, SYS_msgrcv, 30), -1);
	gint64 ms = (g_get_monotonic_time() - t0) / 1000;
	CHECK(ms >= 30 && ms < 500);
	sim_real_worker_kill(&a);
	sim_real_sandbox_leave(&sb);
}

static void test_real_wait_blocked_tells_returned_from_timed_out(void)
{
	run_child(body_wait_blocked_outcomes);
}

static void body_pipe_fds(void)
{
	SimRealWorker w;
	g_autofree char *text = NULL;
	enter();
	spawn(&w);
	SimRealResult r = CALL(&w, NULL, NULL, SIM_REAL_PIPE, 0, 0);
	CHECK_EQ(r.ret, 3); /* the command pipes do not take the low numbers */
	CHECK_EQ(r.ret2, 4);
	r = CALL(&w, "abc", NULL, SIM_REAL_WRITE, 4, 3, 0);
	CHECK_EQ(r.ret, 3);
	r = CALL(&w, NULL, NULL, SIM_REAL_IOCTL, 3);
	CHECK_EQ(r.ret, 0);
	CHECK_EQ(r.ret2, 3);
	r = CALL(&w, NULL, NULL, SIM_REAL_FCNTL, 3, F_GETPIPE_SZ, 0);
	CHECK_EQ(r.ret, 65536);
	r = CALL(&w, NULL, &text, SIM_REAL_READ, 3, 10, 1);
	CHECK_EQ(r.ret, 3);
	CHECK(strcmp(text, "abc") == 0);
	r = CALL(&w, NULL, NULL, SIM_REAL_READ, 3, 10, 1); /* RWF_NOWAIT on an empty pipe */
	CHECK_EQ(r.ret, -1);
	CHECK_EQ(r.err, EAGAIN);
	r = CALL(&w, NULL, NULL, SIM_REAL_CLOSE, SIM_REAL_FD_BASE); /* not the scenario's */
	CHECK_EQ(r.err, EBADF);

	/* Only 0-2, the pipe, the two command pipes, the lifeline and the sandbox directory
	 * are open in the worker. */
	g_autofree char *fd_dir = g_strdup_printf("/proc/%d/fd", (int)w.pid);
	GDir *d = g_dir_open(fd_dir, 0, NULL);
	CHECK(d != NULL);
	const char *name;
	int seen = 0;
	while ((name = g_dir_read_name(d)) != NULL) {
		int fd = atoi(name);
		CHECK(fd <= 4 || (fd >= SIM_REAL_FD_BASE && fd <= SIM_REAL_FD_BASE + 3));
		seen += fd >= 3;
	}
	g_dir_close(d);
	CHECK_EQ(seen, 6);
	sim_real_worker_kill(&w);
	sim_real_sandbox_leave(&sb);
}

static void test_real_worker_pipe_gets_descriptors_3_and_4(void)
{
	run_child(body_pipe_fds);
}

static void body_blocked_read(void)
{
	SimRealWorker a, b;
	enter();
	spawn(&a);
	spawn(&b);
	SimRealResult r = CALL(&a, NULL, NULL, SIM_REAL_SIGACTION, SIGUSR1, 2, 0);
	CHECK_EQ(r.ret, 0);
	r = CALL(&a, NULL, NULL, SIM_REAL_PIPE, 0, 0);
	CHECK_EQ(r.ret, 3);
	/* An idle worker sleeps in read too, on its command pipe: that is not the scenario's. */
	CHECK(sleep_until(idle_in_command_read, a.pid, BLOCK_MS));
	CHECK(!sim_real_blocked_in(a.pid, SYS_read));

	PUT(&a, NULL, SIM_REAL_READ, 3, 10, 0);
	CHECK_EQ(sim_real_wait_blocked(&a, SYS_read, BLOCK_MS), 1);
	CHECK(sim_real_blocked_in(a.pid, SYS_read));
	CHECK(!sim_real_blocked_in(a.pid, SYS_write));
	r = CALL(&b, NULL, NULL, SIM_REAL_KILL, a.pid, SIGUSR1);
	CHECK_EQ(r.ret, 0);
	r = GET(&a, NULL); /* a handler without SA_RESTART: EINTR */
	CHECK_EQ(r.ret, -1);
	CHECK_EQ(r.err, EINTR);

	r = CALL(&a, NULL, NULL, SIM_REAL_SIGACTION, SIGUSR1, 2, 1);
	CHECK_EQ(r.ret, 0);
	PUT(&a, NULL, SIM_REAL_READ, 3, 10, 0);
	CHECK_EQ(sim_real_wait_blocked(&a, SYS_read, BLOCK_MS), 1);
	r = CALL(&b, NULL, NULL, SIM_REAL_KILL, a.pid, SIGUSR1);
	CHECK(sleep_until(no_signal_pending, a.pid, BLOCK_MS));
	/* With SA_RESTART the handler ran and the read went back to sleep. */
	CHECK_EQ(sim_real_wait_blocked(&a, SYS_read, BLOCK_MS), 1);
	CHECK(!sim_real_ready(&a));
	sim_real_worker_kill(&a);
	CHECK_EQ(a.pid, 0);
	sim_real_worker_kill(&b);
	sim_real_sandbox_leave(&sb);
}

static void test_real_blocked_pipe_read_is_seen_and_an_idle_worker_is_not(void)
{
	run_child(body_blocked_read);
}

static void body_fifo_open(void)
{
	SimRealWorker a, b;
	g_autofree char *text = NULL;
	enter();
	spawn(&a);
	spawn(&b);
	SimRealResult r = CALL(&a, "fifo", NULL, SIM_REAL_MKFIFO, 0, 0600);
	CHECK_EQ(r.ret, 0);
	g_autofree char *path = g_build_filename(sb.dir, "fifo", NULL);
	struct stat st;
	CHECK(lstat(path, &st) == 0 && S_ISFIFO(st.st_mode));
	PUT(&a, "fifo", SIM_REAL_OPEN, 0, O_RDONLY);
	CHECK_EQ(sim_real_wait_blocked(&a, SYS_openat, BLOCK_MS), 1);
	CHECK(!sim_real_ready(&a));
	r = CALL(&b, "fifo", NULL, SIM_REAL_OPEN, 0, O_WRONLY);
	CHECK_EQ(r.ret, 3);
	r = GET(&a, NULL);
	CHECK_EQ(r.ret, 3);
	r = CALL(&b, "x", NULL, SIM_REAL_WRITE, 3, 1, 0);
	CHECK_EQ(r.ret, 1);
	r = CALL(&a, NULL, &text, SIM_REAL_READ, 3, 8, 0);
	CHECK_EQ(r.ret, 1);
	CHECK(strcmp(text, "x") == 0);
	/* Paths stay inside the sandbox directory. */
	r = CALL(&a, "../escape", NULL, SIM_REAL_MKFIFO, 0, 0600);
	CHECK_EQ(r.err, EACCES);
	r = CALL(&a, "/tmp/escape", NULL, SIM_REAL_UNLINK, 0);
	CHECK_EQ(r.err, EACCES);
	r = CALL(&a, "missing", NULL, SIM_REAL_UNLINK, 0);
	CHECK_EQ(r.err, ENOENT);
	sim_real_worker_kill(&a);
	sim_real_worker_kill(&b);
	g_autofree char *dir = g_strdup(sb.dir);
	sim_real_sandbox_leave(&sb); /* the FIFO is still in it */
	CHECK(sb.dir == NULL);
	CHECK(!g_file_test(dir, G_FILE_TEST_EXISTS));
}

static void test_real_fifo_open_blocks_until_the_other_side_opens(void)
{
	run_child(body_fifo_open);
}

static void body_hung_worker(void)
{
	SimRealWorker w;
	SimRealResult r;
	g_autoptr(GError) err = NULL;
	enter();
	spawn(&w);
	r = CALL(&w, NULL, NULL, SIM_REAL_PIPE, 0, 0);
	PUT(&w, NULL, SIM_REAL_READ, 3, 1, 0);
	pid_t pid = w.pid;
	gint64 t0 = g_get_monotonic_time();
	CHECK(!sim_real_recv(&w, 50, &r, NULL, &err));
	gint64 ms = (g_get_monotonic_time() - t0) / 1000;
	CHECK(ms >= 50 && ms < 500);
	CHECK(g_error_matches(err, SIM_REAL_ERROR, SIM_REAL_ERROR_TIMEOUT));
	g_autofree char *who = g_strdup_printf("worker %d ", (int)pid);
	CHECK(strstr(err->message, who) != NULL);
	CHECK(strstr(err->message, "read") != NULL);
	CHECK(strstr(err->message, "50 ms") != NULL);
	CHECK_EQ(w.pid, 0);
	CHECK(!w.busy);
	CHECK(kill(pid, 0) < 0 && errno == ESRCH); /* killed and reaped */
	g_clear_error(&err);
	SimRealCall c = { .op = SIM_REAL_CLOSE };
	CHECK(!sim_real_send(&w, &c, NULL, &err));
	CHECK(g_error_matches(err, SIM_REAL_ERROR, SIM_REAL_ERROR_WORKER));
	sim_real_sandbox_leave(&sb);
}

static void test_real_hung_worker_is_killed_at_the_timeout(void)
{
	run_child(body_hung_worker);
}

static void body_dead_worker(void)
{
	SimRealWorker w;
	SimRealResult r;
	g_autoptr(GError) err = NULL;
	enter();
	spawn(&w);
	pid_t pid = w.pid;
	PUT(&w, NULL, SIM_REAL_KILL, pid, SIGTERM); /* default action: the worker dies */
	CHECK(!sim_real_recv(&w, CALL_MS, &r, NULL, &err));
	CHECK(g_error_matches(err, SIM_REAL_ERROR, SIM_REAL_ERROR_DIED));
	g_autofree char *who = g_strdup_printf("worker %d died in kill", (int)pid);
	CHECK(strstr(err->message, who) != NULL);
	CHECK(strstr(err->message, "signal 15") != NULL);
	CHECK_EQ(w.pid, 0);
	CHECK(WIFSIGNALED(w.status) && WTERMSIG(w.status) == SIGTERM);
	CHECK(kill(pid, 0) < 0 && errno == ESRCH); /* reaped */
	sim_real_sandbox_leave(&sb);
}

static void test_real_worker_that_dies_is_reported(void)
{
	run_child(body_dead_worker);
}

static void body_limits_and_mq(void)
{
	SimRealWorker w;
	g_autoptr(GError) err = NULL;
	g_autofree char *text = NULL;
	enter(); /* checks that this is a namespace of our own before anything is written */
	SimLimits want;
	sim_limits_init(&want);
	sim_limits_set(&want, SIM_LIMIT_MSGMNB, 100);
	sim_limits_set(&want, SIM_LIMIT_MQ_MSG_DEFAULT, 3);
	sim_limits_set(&want, SIM_LIMIT_MQ_MSGSIZE_DEFAULT, 256);
	if (!sim_real_sandbox_limits(&want, &err))
		child_fail(__FILE__, __LINE__, "limits: %s", err->message);
	SimLimits too_big;
	sim_limits_init(&too_big);
	sim_limits_set(&too_big, SIM_LIMIT_MSGMAX, SIM_REAL_IO_MAX + 1);
	sim_limits_set(&too_big, SIM_LIMIT_MSGMNB, 7);
	CHECK(!sim_real_sandbox_limits(&too_big, &err));
	CHECK(g_error_matches(err, SIM_REAL_ERROR, SIM_REAL_ERROR_SANDBOX));
	g_autofree char *mnb = NULL;
	CHECK(g_file_get_contents("/proc/sys/kernel/msgmnb", &mnb, NULL, NULL));
	CHECK_EQ(atoi(mnb), 100); /* nothing of the refused set was written */

	spawn(&w);
	SimRealResult r = CALL(&w, NULL, NULL, SIM_REAL_MSGGET, IPC_PRIVATE, 0600);
	r = CALL(&w, NULL, NULL, SIM_REAL_MSGCTL, r.ret, IPC_STAT);
	CHECK_EQ(r.stat[2], 100);
	r = CALL(&w, "/q", NULL, SIM_REAL_MQ_OPEN, 0, O_CREAT | O_RDWR, 0600, -1, -1);
	CHECK_EQ(r.ret, 3);
	r = CALL(&w, NULL, NULL, SIM_REAL_MQ_GETATTR, 3);
	CHECK_EQ(r.stat[1], 3); /* maxmsg = msg_default */
	CHECK_EQ(r.stat[2], 256);
	CHECK_EQ(r.stat[3], 0);
	r = CALL(&w, "hi", NULL, SIM_REAL_MQ_SEND, 3, 5, 2, -1);
	CHECK_EQ(r.ret, 0);
	r = CALL(&w, NULL, &text, SIM_REAL_MQ_RECEIVE, 3, 256, 0, -1);
	CHECK_EQ(r.ret, 2);
	CHECK_EQ(r.ret2, 5);
	CHECK(strcmp(text, "hi") == 0);
	r = CALL(&w, NULL, NULL, SIM_REAL_MQ_RECEIVE, 3, 8, 0, -1);
	CHECK_EQ(r.err, EMSGSIZE);
	gint64 t0 = g_get_monotonic_time();
	r = CALL(&w, NULL, NULL, SIM_REAL_MQ_RECEIVE, 3, 256, 0, 20 * SIM_MS);
	CHECK_EQ(r.err, ETIMEDOUT);
	CHECK(g_get_monotonic_time() - t0 >= 20000);
	PUT(&w, NULL, SIM_REAL_MQ_RECEIVE, 3, 256, 0, -1);
	CHECK_EQ(sim_real_wait_blocked(&w, SYS_mq_timedreceive, BLOCK_MS), 1);
	sim_real_worker_kill(&w);
	sim_real_sandbox_leave(&sb);
}

static void test_real_limits_and_mq_calls_apply_inside_the_sandbox_only(void)
{
	g_autofree char *mnb_before = NULL, *mnb_after = NULL;
	g_autofree char *def_before = NULL, *def_after = NULL;
	CU_ASSERT(g_file_get_contents("/proc/sys/kernel/msgmnb", &mnb_before, NULL, NULL));
	CU_ASSERT(g_file_get_contents("/proc/sys/fs/mqueue/msg_default", &def_before, NULL, NULL));
	run_child(body_limits_and_mq);
	CU_ASSERT(g_file_get_contents("/proc/sys/kernel/msgmnb", &mnb_after, NULL, NULL));
	CU_ASSERT(g_file_get_contents("/proc/sys/fs/mqueue/msg_default", &def_after, NULL, NULL));
	CU_ASSERT_STRING_EQUAL(mnb_before, mnb_after);
	CU_ASSERT_STRING_EQUAL(def_before, def_after);
}

/* Makes a SysV queue with the test key, a POSIX queue with the test name (each with a
 * message) and a FIFO, then says what the parent needs to look for. */
static void make_objects(SimRealWorker *w)
{
	g_autofree char *mq_name = test_mq_name();
	SimRealResult r = CALL(w, NULL, NULL, SIM_REAL_MSGGET, test_key(), IPC_CREAT | 0600);
	CHECK_EQ(r.ret, 0);
	r = CALL(w, "left", NULL, SIM_REAL_MSGSND, 0, 1, 4, 0);
	CHECK_EQ(r.ret, 0);
	/* Small on purpose: a queue left for the namespace's end stays charged to the user's
	 * RLIMIT_MSGQUEUE until the kernel frees the namespace, which it does later, in a
	 * work queue; default-sized queues made in quick succession would hit EMFILE. */
	r = CALL(w, mq_name, NULL, SIM_REAL_MQ_OPEN, 0, O_CREAT | O_RDWR, 0600, 1, 16);
	if (r.ret < 3)
		child_fail(__FILE__, __LINE__, "mq_open: %s", g_strerror(r.err));
	r = CALL(w, "left", NULL, SIM_REAL_MQ_SEND, r.ret, 0, 4, -1);
	CHECK_EQ(r.ret, 0);
	r = CALL(w, "fifo", NULL, SIM_REAL_MKFIFO, 0, 0600);
	CHECK_EQ(r.ret, 0);
	say("ns", "%lu", (unsigned long)ns_inode("/proc/self/ns/ipc"));
	say("dir", "%s", sb.dir);
}

static void body_clean_exit(void)
{
	SimRealWorker w;
	enter();
	spawn(&w);
	make_objects(&w);
	say("worker", "%d", (int)w.pid);
	wait_go();
	SimRealResult r = CALL(&w, NULL, NULL, SIM_REAL_EXIT, 0);
	CHECK_EQ(r.ret, 0);
	sim_real_sandbox_leave(&sb);
}

/* Holds the child's namespace by a descriptor while the test looks for processes in it:
 * a freed namespace's inode number goes to the next namespace made anywhere on the
 * machine, which would be taken for a leftover. -1 (and a failure) when it is not ns. */
static int hold_ns(pid_t pid, ino_t ns)
{
	g_autofree char *path = g_strdup_printf("/proc/%d/ns/ipc", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	CU_ASSERT(fd >= 0 && fstat(fd, &st) == 0 && st.st_ino == ns);
	return fd;
}

static void check_nothing_left(ino_t ns, key_t key, const char *mq_name)
{
	CU_ASSERT_EQUAL(procs_in_ns(ns), 0);
	CU_ASSERT_EQUAL(sysv_queues_with_key(key), 0);
	CU_ASSERT(!ipcs_lists_key(key));
	CU_ASSERT(!mq_exists(mq_name));
}

static void test_real_nothing_survives_the_sandbox(void)
{
	test_pid = getpid();
	key_t key = test_key();
	g_autofree char *mq_name = test_mq_name();
	CU_ASSERT_EQUAL_FATAL(sysv_queues_with_key(key), 0);
	CU_ASSERT_FATAL(!mq_exists(mq_name));
	Child ch;
	child_start(&ch, body_clean_exit);
	ino_t ns = (ino_t)child_get_int(&ch, "ns");
	int ns_fd = hold_ns(ch.pid, ns);
	g_autofree char *dir = g_strdup(child_get(&ch, "dir"));
	pid_t worker = (pid_t)child_get_int(&ch, "worker");
	CU_ASSERT(write(ch.go, "g", 1) == 1);
	child_end(&ch, FALSE);
	CU_ASSERT(ns != ns_inode("/proc/self/ns/ipc"));
	check_nothing_left(ns, key, mq_name);
	close(ns_fd);
	CU_ASSERT(kill(worker, 0) < 0 && errno == ESRCH);
	CU_ASSERT(dir != NULL && !g_file_test(dir, G_FILE_TEST_EXISTS));
	if (dir != NULL)
		remove_dir(dir); /* after a failure: leave nothing behind */
}

static void body_killed_mid_run(void)
{
	SimRealWorker a, b;
	enter();
	spawn(&a);
	spawn(&b);
	make_objects(&a);
	PUT(&a, NULL, SIM_REAL_MSGRCV, 0, 99, 64, 0);
	CHECK_EQ(sim_real_wait_blocked(&a, SYS_msgrcv, BLOCK_MS), 1);
	SimRealResult r = CALL(&b, NULL, NULL, SIM_REAL_PIPE, 0, 0);
	PUT(&b, NULL, SIM_REAL_READ, r.ret, 1, 0);
	CHECK_EQ(sim_real_wait_blocked(&b, SYS_read, BLOCK_MS), 1);
	say("a", "%d", (int)a.pid);
	say("b", "%d", (int)b.pid);
	say("ready", "1");
	for (;;)
		pause(); /* until the parent kills us */
}

/* Reaps pid (an orphan handed to us as subreaper) and says whether SIGKILL ended it in
 * time. A survivor is killed here, so that a failing test leaves no process behind. */
static gboolean reaped_killed(pid_t pid)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)BLOCK_MS * 1000;
	for (;;) {
		int st = 0;
		pid_t got = waitpid(pid, &st, WNOHANG);
		if (got == pid)
			return WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL;
		if (got < 0 && errno != EINTR)
			return FALSE;
		if (g_get_monotonic_time() > deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			return FALSE;
		}
		g_usleep(500);
	}
}

/* Runs body (a sandbox child that reports its namespace "ns", directory "dir", two worker
 * pids under a_name and b_name, then "ready"), SIGKILLs it mid-run and, as subreaper, checks
 * that both workers were killed too; reaps whatever else is left. Returns the namespace's
 * inode with its descriptor held in *ns_fd, the directory in *dir and the pids in pids[]. */
static ino_t kill_sandbox_mid_run(void (*body)(void), const char *a_name, const char *b_name,
				  int *ns_fd, char **dir, pid_t pids[2])
{
	CU_ASSERT_FATAL(prctl(PR_SET_CHILD_SUBREAPER, 1) == 0);
	Child ch;
	child_start(&ch, body);
	ino_t ns = (ino_t)child_get_int(&ch, "ns");
	*ns_fd = hold_ns(ch.pid, ns);
	*dir = g_strdup(child_get(&ch, "dir"));
	pids[0] = (pid_t)child_get_int(&ch, a_name);
	pids[1] = (pid_t)child_get_int(&ch, b_name);
	gboolean ready = child_get(&ch, "ready") != NULL;
	kill(ch.pid, SIGKILL);
	child_end(&ch, TRUE);
	if (ready) {
		CU_ASSERT(reaped_killed(pids[0])); /* PR_SET_PDEATHSIG */
		CU_ASSERT(reaped_killed(pids[1]));
	}
	/* Orphans of a child that failed before it said their pids: reap what is there. */
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	prctl(PR_SET_CHILD_SUBREAPER, 0);
	return ns;
}

static void test_real_sigkill_of_the_sandbox_kills_its_workers_and_leaves_nothing(void)
{
	test_pid = getpid();
	key_t key = test_key();
	g_autofree char *mq_name = test_mq_name();
	CU_ASSERT_EQUAL_FATAL(sysv_queues_with_key(key), 0);
	/* The workers become our orphans when the sandbox process dies: as subreaper we can
	 * reap them and see what ended them. */
	int ns_fd;
	g_autofree char *dir = NULL;
	pid_t pids[2];
	ino_t ns = kill_sandbox_mid_run(body_killed_mid_run, "a", "b", &ns_fd, &dir, pids);
	check_nothing_left(ns, key, mq_name);
	close(ns_fd);
	/* The FIFO directory survives a SIGKILL; the next sandbox removes it (see the test of
	 * stale directories), and this test cleans up after itself. */
	if (dir != NULL)
		remove_dir(dir);
}

static void body_enter_leave(void)
{
	enter();
	sim_real_sandbox_leave(&sb);
}

static void test_real_next_sandbox_removes_stale_directories(void)
{
	const char *tmp = g_get_tmp_dir();
	pid_t dead = fork();
	if (dead == 0)
		_exit(0);
	CU_ASSERT_FATAL(dead > 0);
	waitpid(dead, NULL, 0);
	g_autofree char *stale = g_strdup_printf("%s/msgsim-real-%d-abcdef", tmp, (int)dead);
	g_autofree char *live = g_strdup_printf("%s/msgsim-real-%d-abcdef", tmp, (int)getpid());
	g_autofree char *other = g_strdup_printf("%s/msgsim-real-x%d-abcdef", tmp, (int)dead);
	g_autofree char *prep = g_strdup_printf("%s/msgsim-prep-%d-abcdef", tmp, (int)getpid());
	g_autofree char *fifo = g_build_filename(prep, "fifo", NULL);
	/* Made under another name and renamed: a sandbox of a concurrent test run may remove
	 * a stale directory at any moment, but never a half-made one. */
	CU_ASSERT_FATAL(mkdir(prep, 0700) == 0 && mkfifo(fifo, 0600) == 0);
	CU_ASSERT_FATAL(rename(prep, stale) == 0);
	CU_ASSERT_FATAL(mkdir(live, 0700) == 0 && mkdir(other, 0700) == 0);
	Child ch;
	child_start(&ch, body_enter_leave);
	child_end(&ch, FALSE);
	CU_ASSERT(!g_file_test(stale, G_FILE_TEST_EXISTS)); /* its process is gone */
	CU_ASSERT(g_file_test(live, G_FILE_TEST_IS_DIR));   /* ours is alive */
	CU_ASSERT(g_file_test(other, G_FILE_TEST_IS_DIR));  /* not a name the sandbox makes */
	remove_dir(stale);
	rmdir(live);
	rmdir(other);
}

/* Without CAP_SYS_ADMIN unshare(CLONE_NEWIPC) is refused; the sandbox then makes a user
 * namespace, and the workers' /proc files must still be readable. */
static void body_userns(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct caps[2];
	CHECK(syscall(SYS_capget, &hdr, caps) == 0);
	caps[0].effective &= ~(1u << CAP_SYS_ADMIN);
	caps[0].permitted &= ~(1u << CAP_SYS_ADMIN);
	CHECK(syscall(SYS_capset, &hdr, caps) == 0);
	SimRealWorker w;
	enter();
	CHECK(sb.userns);
	spawn(&w);
	SimRealResult r = CALL(&w, NULL, NULL, SIM_REAL_MSGGET, IPC_PRIVATE, 0600);
	CHECK_EQ(r.ret, 0);
	PUT(&w, NULL, SIM_REAL_MSGRCV, 0, 0, 64, 0);
	CHECK_EQ(sim_real_wait_blocked(&w, SYS_msgrcv, BLOCK_MS), 1);
	sim_real_worker_kill(&w);
	g_autofree char *dir = g_strdup(sb.dir);
	sim_real_sandbox_leave(&sb);
	CHECK(!g_file_test(dir, G_FILE_TEST_EXISTS));
}

static void test_real_sandbox_falls_back_to_a_user_namespace(void)
{
	g_autofree char *max = NULL;
	/* A machine without user namespaces cannot take this path at all. */
	if (g_file_get_contents("/proc/sys/user/max_user_namespaces", &max, NULL, NULL) &&
	    atoi(max) == 0)
		return;
	run_child(body_userns);
}

static gboolean is_stopped(pid_t pid)
{
	g_autofree char *path = g_strdup_printf("/proc/%d/stat", (int)pid);
	g_autofree char *text = NULL;
	const char *p;
	return g_file_get_contents(path, &text, NULL, NULL) && (p = strrchr(text, ')')) != NULL &&
	       p[1] == ' ' && p[2] == 'T';
}

static gboolean blocked_in_read(pid_t pid)
{
	return sim_real_blocked_in(pid, SYS_read);
}

/* A name such as "x) R (y" makes the stat line "PID (x) R (y) S ...": only a parser that
 * takes the state after the last ')' sees 'S'. */
static void test_real_blocked_in_reads_a_command_name_with_parentheses(void)
{
	int p[2];
	CU_ASSERT_FATAL(pipe(p) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		char c;
		prctl(PR_SET_NAME, "x) R (y", 0, 0, 0);
		_exit(read(p[0], &c, 1) == 1 ? 0 : 1);
	}
	CU_ASSERT_FATAL(pid > 0);
	gint64 deadline = g_get_monotonic_time() + (gint64)BLOCK_MS * 1000;
	gboolean seen = FALSE;
	while (!seen && g_get_monotonic_time() < deadline) {
		seen = sim_real_blocked_in(pid, SYS_read);
		if (!seen)
			g_usleep(200);
	}
	CU_ASSERT(seen);
	CU_ASSERT(!sim_real_blocked_in(pid, SYS_write));
	/* Stopped inside the read, /proc/PID/syscall still names it, but the state is 'T':
	 * not blocked (a probe only; the cross-check itself never stops a worker). */
	kill(pid, SIGSTOP);
	CU_ASSERT(sleep_until(is_stopped, pid, BLOCK_MS));
	CU_ASSERT(!sim_real_blocked_in(pid, SYS_read));
	kill(pid, SIGCONT);
	CU_ASSERT(sleep_until(blocked_in_read, pid, BLOCK_MS));
	CU_ASSERT(write(p[1], "x", 1) == 1);
	int st = 0;
	waitpid(pid, &st, 0);
	CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CU_ASSERT(!sim_real_blocked_in(pid, SYS_read)); /* gone */
	close(p[0]);
	close(p[1]);
}

/* ---- Deaths, exits, forks, waits and credentials ---- */

static void body_died_of_sigpipe(void)
{
	SimRealWorker w;
	SimRealResult r;
	g_autoptr(GError) err = NULL;
	enter();
	spawn(&w);
	pid_t pid = w.pid;
	r = CALL(&w, NULL, NULL, SIM_REAL_PIPE, 0, 0);
	CHECK_EQ(r.ret, 3);
	r = CALL(&w, NULL, NULL, SIM_REAL_CLOSE, 3);
	CHECK_EQ(r.ret, 0);
	PUT(&w, "x", SIM_REAL_WRITE, 4, 1, 0); /* no reader: SIGPIPE, default action */
	CHECK(!sim_real_recv(&w, CALL_MS, &r, NULL, &err));
	CHECK(g_error_matches(err, SIM_REAL_ERROR, SIM_REAL_ERROR_DIED));
	g_autofree char *want =
		g_strdup_printf("worker %d died in write: killed by signal %d", (int)pid, SIGPIPE);
	if (strstr(err->message, want) == NULL)
		child_fail(__FILE__, __LINE__, "message: %s", err->message);
	CHECK(WIFSIGNALED(w.status) && WTERMSIG(w.status) == SIGPIPE);
	CHECK_EQ(w.pid, 0);
	CHECK(!w.busy && w.cmd_fd == -1 && w.res_fd == -1);
	CHECK(kill(pid, 0) < 0 && errno == ESRCH); /* reaped */
	sim_real_sandbox_leave(&sb);
}

static void test_real_worker_killed_by_sigpipe_is_reported_as_died(void)
{
	run_child(body_died_of_sigpipe);
}

static void body_wait_gone(void)
{
	SimRealWorker a, b;
	enter();
	spawn(&a);
	spawn(&b);
	pid_t pid = a.pid;
	/* Alive: 0 at the timeout, and it is not killed. */
	gint64 t0 = g_get_monotonic_time();
	CHECK_EQ(sim_real_wait_gone(&a, 30), 0);
	gint64 ms = (g_get_monotonic_time() - t0) / 1000;
	CHECK(ms >= 30 && ms < 500);
	CHECK_EQ(a.pid, pid);
	/* An answer instead: 0 at once, and the answer is still there to read. */
	PUT(&a, NULL, SIM_REAL_PIPE, 0, 0);
	t0 = g_get_monotonic_time();
	CHECK_EQ(sim_real_wait_gone(&a, BLOCK_MS), 0);
	CHECK((g_get_monotonic_time() - t0) / 1000 < BLOCK_MS / 2);
	SimRealResult r = GET(&a, NULL);
	CHECK_EQ(r.ret, 3);
	/* Killed, idle, by another worker. */
	r = CALL(&b, NULL, NULL, SIM_REAL_KILL, pid, SIGTERM);
	CHECK_EQ(r.ret, 0);
	CHECK_EQ(sim_real_wait_gone(&a, BLOCK_MS), 1);
	CHECK_EQ(a.pid, 0);
	CHECK(a.cmd_fd == -1 && a.res_fd == -1 && !a.busy);
	CHECK(WIFSIGNALED(a.status) && WTERMSIG(a.status) == SIGTERM);
	CHECK(kill(pid, 0) < 0 && errno == ESRCH); /* reaped */
	CHECK_EQ(sim_real_wait_gone(&a, 0), 1);	   /* gone stays gone */
	sim_real_worker_kill(&b);
	sim_real_sandbox_leave(&sb);
}

static void test_real_wait_gone_sees_a_worker_killed_by_another(void)
{
	run_child(body_wait_gone);
}

static void body_exit_answers(void)
{
	SimRealWorker w;
	enter();
	spawn(&w);
	pid_t pid = w.pid;
	SimRealResult r = CALL(&w, NULL, NULL, SIM_REAL_EXIT, 3);
	CHECK_EQ(r.ret, 3);
	CHECK_EQ(r.err, 0);
	CHECK_EQ(w.pid, 0);
	CHECK(w.cmd_fd == -1 && w.res_fd == -1 && !w.busy);
	CHECK(WIFEXITED(w.status) && WEXITSTATUS(w.status) == 3);
	CHECK(kill(pid, 0) < 0 && errno == ESRCH); /* reaped */
	sim_real_sandbox_leave(&sb);
}

static void test_real_exit_answers_and_is_reaped(void)
{
	run_child(body_exit_answers);
}

/* A worker that exits with a live child really exits, as the kernel's process does; the
 * child, an orphan now, goes on working, and dies with the sandbox: when the lifeline's
 * write end closes, as when the sandbox's process is gone. */
static void body_exit_leaves_the_child(void)
{
	SimRealWorker p, k;
	CHECK(prctl(PR_SET_CHILD_SUBREAPER, 1) == 0); /* orphans come to us */
	enter();
	spawn_family(&p, &k, 1);
	pid_t ppid = p.pid;
	pid_t kpid = FORK_KID(&p, 0, &k);
	SimRealResult r = CALL(&p, NULL, NULL, SIM_REAL_EXIT, 5);
	CHECK_EQ(r.ret, 5);
	CHECK_EQ(p.pid, 0);
	CHECK(WIFEXITED(p.status) && WEXITSTATUS(p.status) == 5);
	CHECK(kill(ppid, 0) < 0 && errno == ESRCH); /* exited and reaped */
	/* The child lives on, ours now, and works. */
	r = CALL(&k, NULL, NULL, SIM_REAL_PIPE, 0, 0);
	CHECK_EQ(r.ret, 3);
	CHECK_EQ(r.ret2, 4);
	g_autofree char *ppid_line = status_field(kpid, "PPid");
	CHECK_EQ(atoi(ppid_line), getpid());
	PUT(&k, NULL, SIM_REAL_READ, 3, 16, 0);
	CHECK_EQ(sim_real_wait_blocked(&k, SYS_read, BLOCK_MS), 1);
	/* Blocked in a call, it still dies when the lifeline ends. */
	close(sb.life_w);
	sb.life_w = -1;
	int st = 0;
	gint64 deadline = g_get_monotonic_time() + (gint64)BLOCK_MS * 1000;
	while (waitpid(kpid, &st, WNOHANG) == 0 && g_get_monotonic_time() < deadline)
		g_usleep(500);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	sim_real_sandbox_leave(&sb);
}

static void test_real_exit_with_a_live_child_leaves_it_running(void)
{
	run_child(body_exit_leaves_the_child);
}

static void body_fork_inherits(void)
{
	SimRealWorker p, k[2];
	g_autofree char *text = NULL;
	enter();
	spawn_family(&p, k, 2);
	SimRealResult r = CALL(&p, NULL, NULL, SIM_REAL_PIPE, 0, 0);
	CHECK_EQ(r.ret, 3);
	CHECK_EQ(r.ret2, 4);
	/* The command pipes, the lifeline, the directory, two channel slots. */
	CHECK_FDS(p.pid, "0 1 2 3 4 900 901 902 903 904 905 906 907");
	/* Slot 1 first: any slot, any order. */
	FORK_KID(&p, 1, &k[1]);
	CHECK_FDS(p.pid, "0 1 2 3 4 900 901 902 903 904 905");
	r = CALL(&p, "hello", NULL, SIM_REAL_WRITE, 4, 5, 0);
	CHECK_EQ(r.ret, 5);
	r = CALL(&k[1], NULL, &text, SIM_REAL_READ, 3, 16, 0);
	CHECK_EQ(r.ret, 5);
	CHECK(strcmp(text, "hello") == 0);
	CHECK_FDS(k[1].pid, "0 1 2 3 4 900 901 902 903"); /* its channel only: no slots */
	/* The channels are not the scenario's descriptors, in the parent or the child. */
	r = CALL(&p, NULL, NULL, SIM_REAL_CLOSE, SIM_REAL_FD_BASE + 2);
	CHECK_EQ(r.err, EBADF);
	r = CALL(&k[1], NULL, NULL, SIM_REAL_WRITE, SIM_REAL_FD_BASE + 1, 1, 0);
	CHECK_EQ(r.err, EBADF);
	/* A used slot, and one that was never there. */
	r = CALL(&p, NULL, NULL, SIM_REAL_FORK, 1);
	CHECK_EQ(r.err, EBADF);
	r = CALL(&p, NULL, NULL, SIM_REAL_FORK, 7);
	CHECK_EQ(r.err, EBADF);
	r = CALL(&k[1], NULL, NULL, SIM_REAL_FORK, 0); /* the child has no slots */
	CHECK_EQ(r.err, EBADF);
	/* The child is blocked in its own scenario call, seen by the probes. */
	PUT(&k[1], NULL, SIM_REAL_READ, 3, 16, 0);
	CHECK_EQ(sim_real_wait_blocked(&k[1], SYS_read, BLOCK_MS), 1);
	sim_real_worker_kill(&k[1]);
	CHECK_EQ(k[1].pid, 0);
	sim_real_worker_kill(&k[0]); /* prepared, never started: its pipes are closed */
	CHECK(k[0].cmd_fd == -1 && k[0].res_fd == -1);
	sim_real_worker_kill(&p);
	sim_real_sandbox_leave(&sb);
}

static void test_real_forked_child_inherits_a_pipe_made_before_the_fork(void)
{
	run_child(body_fork_inherits);
}

/* A family in depth-first order: slot 0 is the child, slot 1 its own child, slot 2 a
 * second child of the parent. The child keeps slot 1 (and not slot 2) to fork the
 * grandchild, which inherits the pipe through both forks; the parent keeps slot 2 only. */
static void body_fork_grandchild(void)
{
	SimRealWorker p, k[3];
	g_autofree char *text = NULL;
	enter();
	spawn_family(&p, k, 3);
	SimRealResult r = CALL(&p, NULL, NULL, SIM_REAL_PIPE, 0, 0);
	CHECK_EQ(r.ret, 3);
	r = CALL(&p, NULL, NULL, SIM_REAL_FORK, 0, 1);
	CHECK(r.ret > 0);
	sim_real_worker_adopt(&k[0], (pid_t)r.ret);
	CHECK_FDS(p.pid, "0 1 2 3 4 900 901 902 903 908 909");
	/* A child's descriptors are settled once it answers its first call. */
	r = CALL(&k[0], NULL, NULL, SIM_REAL_FORK, 2, 0); /* not its slot */
	CHECK_EQ(r.err, EBADF);
	CHECK_FDS(k[0].pid, "0 1 2 3 4 900 901 902 903 906 907");
	r = CALL(&k[0], NULL, NULL, SIM_REAL_FORK, 1, 0);
	CHECK(r.ret > 0);
	sim_real_worker_adopt(&k[1], (pid_t)r.ret);
	CHECK_FDS(k[0].pid, "0 1 2 3 4 900 901 902 903");
	r = CALL(&k[1], "deep", NULL, SIM_REAL_WRITE, 4, 4, 0);
	CHECK_EQ(r.ret, 4);
	CHECK_FDS(k[1].pid, "0 1 2 3 4 900 901 902 903");
	r = CALL(&p, NULL, &text, SIM_REAL_READ, 3, 16, 0);
	CHECK_EQ(r.ret, 4);
	CHECK(strcmp(text, "deep") == 0);
	/* The grandchild is its parent's to wait for. */
	pid_t gpid = k[1].pid;
	r = CALL(&k[1], NULL, NULL, SIM_REAL_EXIT, 3);
	r = CALL(&k[0], NULL, NULL, SIM_REAL_WAIT, gpid);
	CHECK_EQ(r.ret, gpid);
	CHECK_EQ(r.ret2, 3);
	sim_real_worker_kill(&k[0]);
	sim_real_worker_kill(&k[2]);
	sim_real_worker_kill(&p);
	sim_real_sandbox_leave(&sb);
}

static void test_real_forked_child_forks_a_grandchild_from_its_own_slots(void)
{
	run_child(body_fork_grandchild);
}

static void body_fork_numbering(void)
{
	SimRealWorker p, k;
	enter();
	spawn_family(&p, &k, 1);
	SimRealResult r = CALL(&p, NULL, NULL, SIM_REAL_PIPE, 0, 0);
	CHECK_EQ(r.ret, 3);
	FORK_KID(&p, 0, &k);
	r = CALL(&k, NULL, NULL, SIM_REAL_CLOSE, 3);
	CHECK_EQ(r.ret, 0);
	r = CALL(&k, NULL, NULL, SIM_REAL_PIPE, 0, 0);
	CHECK_EQ(r.ret, 3); /* the lowest free descriptor */
	CHECK_EQ(r.ret2, 5);
	r = CALL(&p, NULL, NULL, SIM_REAL_PIPE, 0, 0);
	CHECK_EQ(r.ret, 5); /* the parent's own table is its own */
	CHECK_EQ(r.ret2, 6);
	sim_real_worker_kill(&k);
	sim_real_worker_kill(&p);
	sim_real_sandbox_leave(&sb);
}

static void test_real_forked_child_numbers_its_descriptors_from_the_lowest_free(void)
{
	run_child(body_fork_numbering);
}

static void body_wait_status(void)
{
	SimRealWorker p, k[3];
	enter();
	spawn_family(&p, k, 3);
	pid_t c0 = FORK_KID(&p, 0, &k[0]);
	SimRealResult r = CALL(&k[0], NULL, NULL, SIM_REAL_EXIT, 0);
	CHECK_EQ(r.ret, 0);
	CHECK_EQ(k[0].pid, 0); /* gone; not ours to reap */
	r = CALL(&p, NULL, NULL, SIM_REAL_WAIT, c0);
	CHECK_EQ(r.ret, c0);
	CHECK_EQ(r.ret2, 0);
	pid_t c1 = FORK_KID(&p, 1, &k[1]);
	r = CALL(&k[1], NULL, NULL, SIM_REAL_EXIT, 3);
	CHECK_EQ(r.ret, 3);
	r = CALL(&p, NULL, NULL, SIM_REAL_WAIT, c1);
	CHECK_EQ(r.ret, c1);
	CHECK_EQ(r.ret2, 3);
	pid_t c2 = FORK_KID(&p, 2, &k[2]);
	r = CALL(&p, NULL, NULL, SIM_REAL_KILL, c2, SIGKILL);
	CHECK_EQ(r.ret, 0);
	r = CALL(&p, NULL, NULL, SIM_REAL_WAIT, c2);
	CHECK_EQ(r.ret, c2);
	CHECK_EQ(r.ret2, 128 + 9);
	CHECK_EQ(sim_real_wait_gone(&k[2], BLOCK_MS), 1);
	CHECK_EQ(k[2].status, -1);		     /* its parent worker reaped it */
	r = CALL(&p, NULL, NULL, SIM_REAL_WAIT, -1); /* nothing left */
	CHECK_EQ(r.ret, -1);
	CHECK_EQ(r.err, ECHILD);
	r = CALL(&p, NULL, NULL, SIM_REAL_EXIT, 0);
	CHECK_EQ(r.ret, 0);
	CHECK_EQ(p.pid, 0);
	sim_real_sandbox_leave(&sb);
}

static void test_real_wait_gives_exit_codes_and_128_plus_the_signal(void)
{
	run_child(body_wait_status);
}

static void body_setup_uid(void)
{
	SimRealWorker a, b;
	enter();
	if (sb.userns || getuid() != 0) { /* uid 1000 needs real root */
		sim_real_sandbox_leave(&sb);
		return;
	}
	spawn(&a);
	spawn(&b);
	SimRealResult r = CALL(&a, NULL, NULL, SIM_REAL_MSGGET, 0x5e7, IPC_CREAT | 0600);
	CHECK_EQ(r.ret, 0);
	r = CALL(&b, NULL, NULL, SIM_REAL_SETUP, 1000, 1000, 0, 0, -1, -1);
	CHECK_EQ(r.ret, 0);
	CHECK_EQ(r.err, 0);
	g_autofree char *uid = status_field(b.pid, "Uid");
	CHECK(strcmp(uid, "1000\t1000\t1000\t1000") == 0);
	g_autofree char *groups = status_field(b.pid, "Groups");
	CHECK(strcmp(g_strstrip(groups), "") == 0);
	g_autofree char *eff = status_field(b.pid, "CapEff");
	g_autofree char *prm = status_field(b.pid, "CapPrm");
	CHECK_EQ(g_ascii_strtoull(eff, NULL, 16), 0);
	CHECK_EQ(g_ascii_strtoull(prm, NULL, 16), 0);
	r = CALL(&b, NULL, NULL, SIM_REAL_MSGGET, 0x5e7, 0600);
	CHECK_EQ(r.ret, -1);
	CHECK_EQ(r.err, EACCES);
	/* The sandbox directory is closed to uid 1000 until it is let in, then takes its
	 * FIFOs. */
	r = CALL(&b, "f", NULL, SIM_REAL_MKFIFO, 0, 0600);
	CHECK_EQ(r.err, EACCES);
	const guint32 uids[] = { 1000 };
	g_autoptr(GError) err = NULL;
	CHECK(sim_real_sandbox_allow_uids(&sb, uids, 1, &err));
	r = CALL(&b, "f", NULL, SIM_REAL_MKFIFO, 0, 0600);
	CHECK_EQ(r.ret, 0);
	g_autofree char *path = g_build_filename(sb.dir, "f", NULL);
	struct stat st;
	CHECK(lstat(path, &st) == 0 && S_ISFIFO(st.st_mode) && st.st_uid == 1000);
	/* Its /proc files still tell where it sleeps. */
	r = CALL(&b, NULL, NULL, SIM_REAL_PIPE, 0, 0);
	CHECK_EQ(r.ret, 3);
	PUT(&b, NULL, SIM_REAL_READ, 3, 1, 0);
	CHECK_EQ(sim_real_wait_blocked(&b, SYS_read, BLOCK_MS), 1);
	sim_real_worker_kill(&a);
	sim_real_worker_kill(&b);
	sim_real_sandbox_leave(&sb);
}

static void test_real_setup_to_another_uid_is_refused_a_root_queue(void)
{
	run_child(body_setup_uid);
}

static void body_setup_caps(void)
{
	SimRealWorker w;
	enter();
	spawn(&w);
	guint held = held_caps();
	g_autofree char *eff0 = status_field(w.pid, "CapEff");
	g_autofree char *prm0 = status_field(w.pid, "CapPrm");
	SimRealResult r;
	if (!(held & SIM_REAL_CAP_SYS_RESOURCE)) {
		r = CALL(&w, NULL, NULL, SIM_REAL_SETUP, getuid(), getgid(),
			 held | SIM_REAL_CAP_SYS_RESOURCE, 0, -1, -1);
		CHECK_EQ(r.ret, -1);
		CHECK_EQ(r.err, EPERM);
	}
	/* As it is: nothing changes. */
	r = CALL(&w, NULL, NULL, SIM_REAL_SETUP, getuid(), getgid(), held, 0, -1, -1);
	CHECK_EQ(r.ret, 0);
	g_autofree char *eff1 = status_field(w.pid, "CapEff");
	g_autofree char *prm1 = status_field(w.pid, "CapPrm");
	CHECK(strcmp(eff0, eff1) == 0 && strcmp(prm0, prm1) == 0);
	if (getuid() == 0 && (held & SIM_REAL_CAP_IPC_OWNER)) {
		/* Root drops what is not asked for, and keeps the rest. */
		r = CALL(&w, NULL, NULL, SIM_REAL_SETUP, 0, getgid(),
			 held & ~(guint)SIM_REAL_CAP_IPC_OWNER, 0, -1, -1);
		CHECK_EQ(r.ret, 0);
		g_autofree char *eff2 = status_field(w.pid, "CapEff");
		guint64 before = g_ascii_strtoull(eff0, NULL, 16);
		guint64 after = g_ascii_strtoull(eff2, NULL, 16);
		CHECK_EQ(after, before & ~(1ull << CAP_IPC_OWNER));
	}
	sim_real_worker_kill(&w);
	sim_real_sandbox_leave(&sb);
}

static void test_real_setup_keeps_or_refuses_capabilities(void)
{
	run_child(body_setup_caps);
}

static void body_setup_limits(void)
{
	SimRealWorker p, k;
	struct rlimit hard;
	enter();
	CHECK(getrlimit(RLIMIT_NOFILE, &hard) == 0);
	spawn_family(&p, &k, 1);
	guint held = held_caps();
	SimRealResult r;
	if (hard.rlim_max != RLIM_INFINITY) {
		r = CALL(&p, NULL, NULL, SIM_REAL_SETUP, getuid(), getgid(), held, 0, -1,
			 (gint64)hard.rlim_max + 1);
		CHECK_EQ(r.err, EPERM);
	}
	r = CALL(&p, NULL, NULL, SIM_REAL_SETUP, getuid(), getgid(), held, 5, 4096, 16);
	CHECK_EQ(r.ret, 0);
	errno = 0;
	CHECK_EQ(getpriority(PRIO_PROCESS, (id_t)p.pid), 5);
	struct rlimit got;
	CHECK(prlimit(p.pid, RLIMIT_NOFILE, NULL, &got) == 0);
	CHECK_EQ(got.rlim_cur, 16);
	CHECK_EQ(got.rlim_max, hard.rlim_max); /* the hard limit stays */
	CHECK(prlimit(p.pid, RLIMIT_MSGQUEUE, NULL, &got) == 0);
	CHECK_EQ(got.rlim_cur, 4096);
	for (int i = 0; i < 6; i++) {
		r = CALL(&p, NULL, NULL, SIM_REAL_PIPE, 0, 0);
		CHECK_EQ(r.ret, 3 + 2 * i);
	}
	r = CALL(&p, NULL, NULL, SIM_REAL_PIPE, 0, 0); /* 15 is free, 16 is not allowed */
	CHECK_EQ(r.err, EMFILE);
	/* The lowered limit does not keep a child from taking its channel, and it inherits. */
	FORK_KID(&p, 0, &k);
	r = CALL(&k, NULL, NULL, SIM_REAL_PIPE, 0, 0);
	CHECK_EQ(r.err, EMFILE);
	CHECK(prlimit(k.pid, RLIMIT_NOFILE, NULL, &got) == 0);
	CHECK_EQ(got.rlim_cur, 16);
	CHECK_EQ(getpriority(PRIO_PROCESS, (id_t)k.pid), 5);
	sim_real_worker_kill(&k);
	sim_real_worker_kill(&p);
	sim_real_sandbox_leave(&sb);
}

static void test_real_setup_sets_limits_and_nice(void)
{
	run_child(body_setup_limits);
}

static void body_killed_family(void)
{
	SimRealWorker p, k;
	enter();
	spawn_family(&p, &k, 1);
	SimRealResult r = CALL(&p, NULL, NULL, SIM_REAL_PIPE, 0, 0);
	CHECK_EQ(r.ret, 3);
	FORK_KID(&p, 0, &k);
	/* Both asleep in a read of the pipe both can write: only a signal ends them (an idle
	 * worker would also end on its command pipe's end of file). */
	PUT(&k, NULL, SIM_REAL_READ, 3, 1, 0);
	CHECK_EQ(sim_real_wait_blocked(&k, SYS_read, BLOCK_MS), 1);
	PUT(&p, NULL, SIM_REAL_READ, 3, 1, 0);
	CHECK_EQ(sim_real_wait_blocked(&p, SYS_read, BLOCK_MS), 1);
	say("ns", "%lu", (unsigned long)ns_inode("/proc/self/ns/ipc"));
	say("dir", "%s", sb.dir);
	say("p", "%d", (int)p.pid);
	say("k", "%d", (int)k.pid);
	say("ready", "1");
	for (;;)
		pause(); /* until the parent kills us */
}

static void test_real_sigkill_of_the_sandbox_kills_forked_workers_too(void)
{
	/* The worker dies with the sandbox process, its child with the worker; once the
	 * worker is reaped its child is ours. */
	int ns_fd;
	g_autofree char *dir = NULL;
	pid_t pids[2];
	ino_t ns = kill_sandbox_mid_run(body_killed_family, "p", "k", &ns_fd, &dir, pids);
	for (int i = 0; i < 2; i++)
		CU_ASSERT(pids[i] <= 0 || (kill(pids[i], 0) < 0 && errno == ESRCH));
	CU_ASSERT_EQUAL(procs_in_ns(ns), 0);
	close(ns_fd);
	if (dir != NULL)
		remove_dir(dir);
}

/* ---- Shared mode: the run in the machine's own namespace ---- */

/* Plays the machine: a namespace of the test's own, kept after the sandbox that made it is
 * left, so that what shared mode does to "the machine" stays inside the test. */
static void own_namespace(void)
{
	enter();
	sim_real_sandbox_leave(&sb);
}

static void enter_shared(SimRealSandbox *s)
{
	g_autoptr(GError) err = NULL;
	if (!sim_real_sandbox_enter_shared(s, &err))
		child_fail(__FILE__, __LINE__, "shared sandbox: %s", err->message);
	CHECK(s->shared && s->dir != NULL && s->prefix != NULL && s->reg_fd >= 0);
}

static gint64 new_key(SimRealSandbox *s)
{
	g_autoptr(GError) err = NULL;
	gint64 k = -1;
	if (!sim_real_sandbox_new_key(s, &k, &err))
		child_fail(__FILE__, __LINE__, "new key: %s", err->message);
	return k;
}

static gboolean mq_gone(const char *name)
{
	return mq_open(name, O_RDONLY) < 0 && errno == ENOENT;
}

static void body_shared_names_keys_and_sweep(void)
{
	own_namespace();
	enter_shared(&sb);
	CHECK(g_str_has_prefix(sb.prefix, "/msgsim-") && strchr(sb.prefix + 1, '/') == NULL);
	/* A name the kernel takes gets the run's prefix; one it refuses stays as it is. */
	g_autofree char *q = sim_real_sandbox_mq_name(&sb, "/q");
	g_autofree char *want = g_strconcat(sb.prefix, "q", NULL);
	CHECK(strcmp(q, want) == 0);
	char long1[258], long2[258], too_long[259];
	memset(long1, 'n', sizeof(long1));
	long1[0] = '/';
	long1[256] = '\0';
	memcpy(long2, long1, sizeof(long2));
	long2[255] = 'm';
	memset(too_long, 'n', sizeof(too_long));
	too_long[0] = '/';
	too_long[257] = '\0';
	const char *const refused[] = { "q", "/a/b", "/", "/.", "/..", "", too_long };
	for (guint i = 0; i < G_N_ELEMENTS(refused); i++) {
		g_autofree char *same = sim_real_sandbox_mq_name(&sb, refused[i]);
		CHECK(strcmp(same, refused[i]) == 0);
	}
	/* 255 bytes is still a name: with the prefix it takes a digest, one per name. */
	g_autofree char *r1 = sim_real_sandbox_mq_name(&sb, long1);
	g_autofree char *r2 = sim_real_sandbox_mq_name(&sb, long2);
	CHECK(g_str_has_prefix(r1, sb.prefix) && strlen(r1) <= 256 && strcmp(r1, r2) != 0);

	/* A key a stranger holds is passed over. */
	int stranger = msgget((key_t)sb.key_base, IPC_CREAT | IPC_EXCL | 0600);
	CHECK(stranger >= 0);
	gint64 k1 = new_key(&sb), k2 = new_key(&sb), k3 = new_key(&sb), k4 = new_key(&sb);
	CHECK_EQ(k1, sb.key_base + 1);
	CHECK_EQ(k2, sb.key_base + 2);
	int q1 = msgget((key_t)k1, IPC_CREAT | 0600);
	CHECK(q1 >= 0 && sim_real_sandbox_note_id(&sb, k1, q1, NULL));
	/* The run removes its queue of k2, and a stranger takes the key: the sweep must see
	 * that the queue under k2 is not the one the run made. */
	int q2 = msgget((key_t)k2, IPC_CREAT | 0600);
	CHECK(q2 >= 0 && sim_real_sandbox_note_id(&sb, k2, q2, NULL));
	CHECK(msgctl(q2, IPC_RMID, NULL) == 0);
	int stranger2 = msgget((key_t)k2, IPC_CREAT | IPC_EXCL | 0600);
	CHECK(stranger2 >= 0 && stranger2 != q2);
	/* A queue under a key whose id was never recorded (the run killed right after the
	 * msgget) is not provably the run's: left alone. So is one named by a line the run
	 * did not finish writing. */
	int q3 = msgget((key_t)k3, IPC_CREAT | 0600);
	int q4 = msgget((key_t)k4, IPC_CREAT | 0600);
	CHECK(q3 >= 0 && q4 >= 0);
	g_autofree char *cut = g_strdup_printf("id %" G_GINT64_FORMAT " %d", k4, q4);
	/* (written last, below) */

	/* The run's queues are recorded; a stranger's of the bare name is not. */
	CHECK(sim_real_sandbox_note_mq(&sb, q, NULL));
	CHECK(sim_real_sandbox_note_mq(&sb, r1, NULL));
	CHECK(sim_real_sandbox_note_mq(&sb, "/q", NULL));
	const char *const made[] = { q, r1, "/q" };
	for (guint i = 0; i < G_N_ELEMENTS(made); i++) {
		mqd_t m = mq_open(made[i], O_CREAT | O_EXCL | O_RDWR, 0600, NULL);
		CHECK(m >= 0);
		mq_close(m);
	}
	CHECK(write(sb.reg_fd, cut, strlen(cut)) == (ssize_t)strlen(cut));
	g_autofree char *dir = g_strdup(sb.dir);
	sim_real_sandbox_leave(&sb);
	CHECK(!g_file_test(dir, G_FILE_TEST_EXISTS));
	CHECK(msgget((key_t)k1, 0) < 0 && errno == ENOENT);
	CHECK(mq_gone(q) && mq_gone(r1));
	/* The strangers are untouched, and so are the queues not provably the run's. */
	struct msqid_ds ds;
	const int kept[] = { stranger, stranger2, q3, q4 };
	for (guint i = 0; i < G_N_ELEMENTS(kept); i++) {
		CHECK(msgctl(kept[i], IPC_STAT, &ds) == 0);
		msgctl(kept[i], IPC_RMID, NULL);
	}
	CHECK(!mq_gone("/q"));
	mq_unlink("/q");
}

static void test_real_shared_mode_keeps_to_its_own_keys_and_names(void)
{
	run_child(body_shared_names_keys_and_sweep);
}

/* In a process of its own: a shared sandbox makes a SysV queue and a POSIX queue, writes
 * "KEY NAME DIR" to fd, then waits to be killed. */
static _Noreturn void shared_run_to_kill(int fd)
{
	SimRealSandbox s;
	enter_shared(&s);
	gint64 k = new_key(&s);
	int id = msgget((key_t)k, IPC_CREAT | 0600);
	CHECK(id >= 0 && sim_real_sandbox_note_id(&s, k, id, NULL));
	g_autofree char *name = sim_real_sandbox_mq_name(&s, "/left");
	CHECK(sim_real_sandbox_note_mq(&s, name, NULL));
	mqd_t m = mq_open(name, O_CREAT | O_RDWR, 0600, NULL);
	CHECK(m >= 0);
	g_autofree char *line = g_strdup_printf("%" G_GINT64_FORMAT " %s %s\n", k, name, s.dir);
	CHECK(write(fd, line, strlen(line)) == (ssize_t)strlen(line));
	for (;;)
		pause();
}

/* Runs shared_run_to_kill in a child, kills it once it has made its queues, and returns
 * its line split in three (key, name, directory). */
static char **killed_shared_run(void)
{
	int p[2];
	CHECK(pipe2(p, O_CLOEXEC) == 0);
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		shared_run_to_kill(p[1]);
	}
	close(p[1]);
	char buf[512];
	size_t got = 0;
	struct pollfd pfd = { .fd = p[0], .events = POLLIN };
	while (got < sizeof(buf) - 1 && (got == 0 || buf[got - 1] != '\n') &&
	       poll(&pfd, 1, CHILD_MS) == 1) {
		ssize_t n = read(p[0], buf + got, sizeof(buf) - 1 - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(p[0]);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	buf[got] = '\0';
	g_strchomp(buf);
	char **f = g_strsplit(buf, " ", 3);
	CHECK(g_strv_length(f) == 3);
	return f;
}

/* A run killed with SIGKILL leaves its queues; the next sandbox in its namespace removes
 * them and its directory. One in another namespace that still has a process leaves them
 * alone (they are not its to see) and keeps the directory; once that namespace is gone,
 * the directory goes too. */
static void body_shared_registry_is_swept(void)
{
	own_namespace();
	g_auto(GStrv) f = killed_shared_run();
	gint64 key = g_ascii_strtoll(f[0], NULL, 10);
	CHECK(msgget((key_t)key, 0) >= 0 && !mq_gone(f[1])); /* left behind */
	CHECK(g_file_test(f[2], G_FILE_TEST_IS_DIR));
	SimRealSandbox next;
	enter_shared(&next);
	CHECK(msgget((key_t)key, 0) < 0 && errno == ENOENT);
	CHECK(mq_gone(f[1]));
	CHECK(!g_file_test(f[2], G_FILE_TEST_EXISTS));
	sim_real_sandbox_leave(&next);

	/* A private-namespace run sweeps too, from here, before it leaves for its own. */
	g_auto(GStrv) f2 = killed_shared_run();
	gint64 key2 = g_ascii_strtoll(f2[0], NULL, 10);
	CHECK(msgget((key_t)key2, 0) >= 0 && !mq_gone(f2[1]));
	pid_t priv = fork();
	CHECK(priv >= 0);
	if (priv == 0) {
		enter();
		sim_real_sandbox_leave(&sb);
		_exit(0);
	}
	int st = 0;
	CHECK(waitpid(priv, &st, 0) == priv && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK(msgget((key_t)key2, 0) < 0 && errno == ENOENT);
	CHECK(mq_gone(f2[1]));
	CHECK(!g_file_test(f2[2], G_FILE_TEST_EXISTS));

	/* A run in a namespace of its own, which a second process keeps alive. */
	int p[2];
	CHECK(pipe2(p, O_CLOEXEC) == 0);
	pid_t keeper = fork();
	CHECK(keeper >= 0);
	if (keeper == 0) {
		close(p[0]);
		own_namespace();
		g_auto(GStrv) g = killed_shared_run();
		CHECK(write(p[1], g[2], strlen(g[2])) == (ssize_t)strlen(g[2]));
		close(p[1]);
		for (;;)
			pause();
	}
	close(p[1]);
	char dir[256];
	struct pollfd pfd = { .fd = p[0], .events = POLLIN };
	CHECK(poll(&pfd, 1, CHILD_MS) == 1);
	ssize_t n = read(p[0], dir, sizeof(dir) - 1);
	close(p[0]);
	CHECK(n > 0);
	dir[n] = '\0';
	enter_shared(&next);
	gboolean kept = g_file_test(dir, G_FILE_TEST_IS_DIR);
	sim_real_sandbox_leave(&next);
	kill(keeper, SIGKILL);
	waitpid(keeper, NULL, 0);
	CHECK(kept);
	enter_shared(&next);
	CHECK(!g_file_test(dir, G_FILE_TEST_EXISTS));
	sim_real_sandbox_leave(&next);
}

static void test_real_shared_mode_registry_is_swept_after_sigkill(void)
{
	run_child(body_shared_registry_is_swept);
}

/* A zombie is finished (its descriptors closed, its children handed on) unless its parent
 * ignores SIGCHLD: then the kernel releases it by itself, and until its pid goes kill()
 * still finds it - the moment the cross-check once took for the end, and got kill 0 where
 * the model has ESRCH. That moment is too short to hold, so the test makes a zombie that
 * stays while its parent ignores SIGCHLD: the parent takes up SIG_IGN only after the child
 * died, which leaves the zombie be. */
static void test_real_a_zombie_whose_parent_ignores_sigchld_is_not_finished(void)
{
	int to_parent[2], from_parent[2];
	CU_ASSERT_FATAL(pipe(to_parent) == 0 && pipe(from_parent) == 0);
	fflush(NULL);
	pid_t parent = fork();
	CU_ASSERT_FATAL(parent >= 0);
	if (parent == 0) {
		pid_t child = fork();
		if (child == 0)
			_exit(0);
		while (!sim_real_pid_zombie(child))
			g_usleep(100);
		signal(SIGCHLD, SIG_IGN);
		char c = 0;
		if (write(from_parent[1], &child, sizeof(child)) != sizeof(child) ||
		    read(to_parent[0], &c, 1) != 1)
			_exit(1);
		signal(SIGCHLD, SIG_DFL); /* the zombie stays one: finished */
		if (write(from_parent[1], &c, 1) != 1 || read(to_parent[0], &c, 1) != 1)
			_exit(1);
		_exit(waitpid(child, NULL, 0) == child ? 0 : 1);
	}
	pid_t child = 0;
	char c = 'x';
	CU_ASSERT_FATAL(read(from_parent[0], &child, sizeof(child)) == sizeof(child));
	CU_ASSERT_TRUE(sim_real_pid_zombie(child));
	CU_ASSERT_FALSE(sim_real_pid_finished(child));
	CU_ASSERT_EQUAL(write(to_parent[1], &c, 1), 1);
	CU_ASSERT_EQUAL(read(from_parent[0], &c, 1), 1);
	CU_ASSERT_TRUE(sim_real_pid_zombie(child));
	CU_ASSERT_TRUE(sim_real_pid_finished(child));
	CU_ASSERT_EQUAL(write(to_parent[1], &c, 1), 1);
	int st = 0;
	CU_ASSERT_EQUAL(waitpid(parent, &st, 0), parent);
	CU_ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CU_ASSERT_TRUE(sim_real_pid_finished(child)); /* gone */
	for (int i = 0; i < 2; i++) {
		close(to_parent[i]);
		close(from_parent[i]);
	}
}

/* ---- The FIFO directory: the run's alone ---- */

/* The directory is the run's (01700, on a private tmpfs unless MSGSIM_NO_MOUNT_NS=1 asks
 * for the directory alone), and a worker's path calls neither follow what the run did not
 * make nor take it for the run's FIFO. */
static char *run_files_decoy; /* made and removed by the parent, so no failure leaves it */

static void body_run_files(void)
{
	SimRealWorker w;
	enter();
	gboolean want_mount = g_strcmp0(g_getenv("MSGSIM_NO_MOUNT_NS"), "1") != 0;
	CHECK(sb.mounted == want_mount);
	struct stat st;
	struct statfs fs;
	CHECK(lstat(sb.dir, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == geteuid());
	CHECK_EQ(st.st_mode & 07777, 01700);
	CHECK(statfs(sb.dir, &fs) == 0 && (fs.f_type == TMPFS_MAGIC) == want_mount);
	spawn(&w);

	/* A file outside, a symlink to it, a plain file and a symlinked subdirectory, all put
	 * there by someone else than the run. */
	const char *target = run_files_decoy;
	struct stat before, after;
	CHECK(stat(target, &before) == 0);
	g_autofree char *link = g_build_filename(sb.dir, "s", NULL);
	g_autofree char *plain = g_build_filename(sb.dir, "r", NULL);
	g_autofree char *sub = g_build_filename(sb.dir, "d", NULL);
	CHECK(symlink(target, link) == 0 && symlink(".", sub) == 0);
	CHECK(g_file_set_contents(plain, "x", 1, NULL));

	SimRealResult r = CALL(&w, "s", NULL, SIM_REAL_OPEN, 0, O_WRONLY);
	CHECK_EQ(r.err, ELOOP);
	r = CALL(&w, "s/", NULL, SIM_REAL_OPEN, 0, O_RDONLY);
	CHECK_EQ(r.err, ELOOP);
	r = CALL(&w, "s", NULL, SIM_REAL_MKFIFO, 0, 0600);
	CHECK_EQ(r.err, EEXIST);
	r = CALL(&w, "d/s", NULL, SIM_REAL_OPEN, 0, O_WRONLY);
	CHECK_EQ(r.err, ELOOP);
	r = CALL(&w, "d/f", NULL, SIM_REAL_MKFIFO, 0, 0600);
	CHECK_EQ(r.err, ELOOP);
	CHECK(lstat(link, &st) == 0 && S_ISLNK(st.st_mode)); /* still there, still a link */
	CHECK(stat(target, &after) == 0 && after.st_size == 6 &&
	      after.st_mtim.tv_sec == before.st_mtim.tv_sec &&
	      after.st_mtim.tv_nsec == before.st_mtim.tv_nsec);

	/* An open that succeeds is checked against what the run's mkfifo made. */
	r = CALL(&w, "r", NULL, SIM_REAL_OPEN, 0, O_RDONLY);
	CHECK_EQ(r.ret, 3);
	CHECK(!sim_real_sandbox_fifo_is_own(&sb, "r", &r));
	r = CALL(&w, NULL, NULL, SIM_REAL_CLOSE, 3);
	r = CALL(&w, "f", NULL, SIM_REAL_MKFIFO, 0, 0600);
	CHECK_EQ(r.ret, 0);
	sim_real_sandbox_note_path(&sb, SIM_REAL_MKFIFO, "f", &r);
	r = CALL(&w, "f", NULL, SIM_REAL_OPEN, 0, O_RDWR);
	CHECK_EQ(r.ret, 3);
	CHECK(sim_real_sandbox_fifo_is_own(&sb, "f", &r));
	CHECK(!sim_real_sandbox_fifo_is_own(&sb, "r", &r)); /* the right FIFO, another name */
	r = CALL(&w, NULL, NULL, SIM_REAL_CLOSE, 3);
	/* Replaced behind the run's back: same name, same type, another inode. */
	g_autofree char *fifo = g_build_filename(sb.dir, "f", NULL);
	g_autofree char *other = g_build_filename(sb.dir, "g", NULL);
	CHECK(mkfifo(other, 0600) == 0 && rename(other, fifo) == 0);
	r = CALL(&w, "f", NULL, SIM_REAL_OPEN, 0, O_RDWR);
	CHECK_EQ(r.ret, 3);
	CHECK(!sim_real_sandbox_fifo_is_own(&sb, "f", &r));
	r = CALL(&w, "f", NULL, SIM_REAL_UNLINK, 0);
	CHECK_EQ(r.ret, 0);
	sim_real_sandbox_note_path(&sb, SIM_REAL_UNLINK, "f", &r);
	CHECK(!sim_real_sandbox_fifo_is_own(&sb, "f", &r));

	sim_real_worker_kill(&w);
	g_autofree char *dir = g_strdup(sb.dir);
	sim_real_sandbox_leave(&sb);
	CHECK(!g_file_test(dir, G_FILE_TEST_EXISTS));
}

/* Runs body_run_files with MSGSIM_NO_MOUNT_NS as given (NULL: unset) and a decoy file. */
static void run_files(const char *no_mount)
{
	g_autofree char *target = g_build_filename(g_get_tmp_dir(), "xcheck-decoy-XXXXXX", NULL);
	int fd = g_mkstemp(target);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_FATAL(write(fd, "decoy\n", 6) == 6 && close(fd) == 0);
	if (no_mount != NULL)
		g_setenv("MSGSIM_NO_MOUNT_NS", no_mount, TRUE);
	else
		g_unsetenv("MSGSIM_NO_MOUNT_NS");
	run_files_decoy = target;
	run_child(body_run_files);
	run_files_decoy = NULL;
	g_unsetenv("MSGSIM_NO_MOUNT_NS");
	unlink(target);
}

static void test_real_run_files_are_its_own_on_a_private_tmpfs(void)
{
	run_files(NULL);
}

static void test_real_run_files_are_its_own_in_the_fallback_directory(void)
{
	run_files("1");
}

/* ---- The ops table ---- */

static void test_real_every_op_has_exactly_one_row(void)
{
	guint n = 0;
	const SimRealBackend *const *backends = sim_real_backends(&n);
	g_autoptr(GString) why = g_string_new(NULL);
	gboolean ok = sim_real_ops_check(backends, n, why);
	if (!ok)
		fprintf(stderr, "\nops table:\n%s", why->str);
	CU_ASSERT_TRUE(ok);
	CU_ASSERT_EQUAL(why->len, 0);
	for (guint op = 0; op < SIM_REAL_N_OPS; op++) {
		const SimRealOpRow *row = sim_real_op_row((SimRealOp)op);
		CU_ASSERT_PTR_NOT_NULL_FATAL(row);
		CU_ASSERT_EQUAL(row->op, (SimRealOp)op);
		CU_ASSERT_STRING_EQUAL(sim_real_op_name((SimRealOp)op), row->name);
	}
	CU_ASSERT_PTR_NULL(sim_real_op_row((SimRealOp)SIM_REAL_N_OPS));
	CU_ASSERT_STRING_EQUAL(sim_real_op_name((SimRealOp)SIM_REAL_N_OPS), "unknown-op");
}

static void test_real_ops_check_reports_a_missing_and_a_doubled_row(void)
{
	/* Without the file backend its nine ops have no row ... */
	const SimRealBackend *const missing[] = { &sim_real_sysv_backend, &sim_real_posix_backend,
						  &sim_real_proc_backend };
	g_autoptr(GString) why = g_string_new(NULL);
	CU_ASSERT_FALSE(sim_real_ops_check(missing, G_N_ELEMENTS(missing), why));
	g_autofree char *pipe_line = g_strdup_printf("op %d: 0 rows\n", (int)SIM_REAL_PIPE);
	CU_ASSERT_PTR_NOT_NULL(strstr(why->str, pipe_line));
	CU_ASSERT_PTR_NULL(strstr(why->str, "1 rows"));

	/* ... and with the SysV backend twice its four have two. */
	const SimRealBackend *const doubled[] = { &sim_real_sysv_backend, &sim_real_posix_backend,
						  &sim_real_file_backend, &sim_real_proc_backend,
						  &sim_real_sem_backend,  &sim_real_shm_backend,
						  &sim_real_sock_backend, &sim_real_seek_backend,
						  &sim_real_cred_backend, &sim_real_poll_backend,
						  &sim_real_exec_backend, &sim_real_thread_backend,
						  &sim_real_notify_backend, &sim_real_sysv_backend };
	g_string_truncate(why, 0);
	CU_ASSERT_FALSE(sim_real_ops_check(doubled, G_N_ELEMENTS(doubled), why));
	g_autofree char *msgget_line = g_strdup_printf("op %d: 2 rows\n", (int)SIM_REAL_MSGGET);
	CU_ASSERT_PTR_NOT_NULL(strstr(why->str, msgget_line));
	CU_ASSERT_PTR_NULL(strstr(why->str, "0 rows"));
}

/* No system call is made for a value that is no op: the answer is ENOSYS, as the kernel
 * gives for a call number it does not know. */
static void test_real_exec_of_an_unknown_op_answers_enosys(void)
{
	SimRealCall c = { .op = (SimRealOp)SIM_REAL_N_OPS };
	SimRealResult r;
	g_autoptr(GString) out = g_string_new(NULL);
	sim_real_exec(NULL, &c, NULL, &r, out);
	CU_ASSERT_EQUAL(r.ret, -1);
	CU_ASSERT_EQUAL(r.err, ENOSYS);
	CU_ASSERT_EQUAL(r.len, 0);
}

CU_TestInfo real_tests[] = {
	{ "every op has exactly one row", test_real_every_op_has_exactly_one_row },
	{ "ops check reports a missing and a doubled row",
	  test_real_ops_check_reports_a_missing_and_a_doubled_row },
	{ "exec of an unknown op answers ENOSYS", test_real_exec_of_an_unknown_op_answers_enosys },
	{ "msg round trip in a fresh sandbox starts at id 0",
	  test_real_msg_round_trip_in_a_fresh_sandbox_starts_at_id_0 },
	{ "msgrcv blocks until another worker sends",
	  test_real_msgrcv_blocks_until_another_worker_sends },
	{ "wait_blocked tells returned from timed out",
	  test_real_wait_blocked_tells_returned_from_timed_out },
	{ "worker pipe gets descriptors 3 and 4", test_real_worker_pipe_gets_descriptors_3_and_4 },
	{ "blocked pipe read is seen and an idle worker is not",
	  test_real_blocked_pipe_read_is_seen_and_an_idle_worker_is_not },
	{ "FIFO open blocks until the other side opens",
	  test_real_fifo_open_blocks_until_the_other_side_opens },
	{ "hung worker is killed at the timeout", test_real_hung_worker_is_killed_at_the_timeout },
	{ "worker that dies is reported", test_real_worker_that_dies_is_reported },
	{ "limits and mq calls apply inside the sandbox only",
	  test_real_limits_and_mq_calls_apply_inside_the_sandbox_only },
	{ "nothing survives the sandbox", test_real_nothing_survives_the_sandbox },
	{ "SIGKILL of the sandbox kills its workers and leaves nothing",
	  test_real_sigkill_of_the_sandbox_kills_its_workers_and_leaves_nothing },
	{ "next sandbox removes stale directories",
	  test_real_next_sandbox_removes_stale_directories },
	{ "sandbox falls back to a user namespace",
	  test_real_sandbox_falls_back_to_a_user_namespace },
	{ "blocked_in reads a command name with parentheses",
	  test_real_blocked_in_reads_a_command_name_with_parentheses },
	{ "worker killed by SIGPIPE is reported as died",
	  test_real_worker_killed_by_sigpipe_is_reported_as_died },
	{ "wait_gone sees a worker killed by another",
	  test_real_wait_gone_sees_a_worker_killed_by_another },
	{ "exit answers and is reaped", test_real_exit_answers_and_is_reaped },
	{ "exit with a live child leaves it running",
	  test_real_exit_with_a_live_child_leaves_it_running },
	{ "forked child inherits a pipe made before the fork",
	  test_real_forked_child_inherits_a_pipe_made_before_the_fork },
	{ "forked child forks a grandchild from its own slots",
	  test_real_forked_child_forks_a_grandchild_from_its_own_slots },
	{ "forked child numbers its descriptors from the lowest free",
	  test_real_forked_child_numbers_its_descriptors_from_the_lowest_free },
	{ "wait gives exit codes and 128 plus the signal",
	  test_real_wait_gives_exit_codes_and_128_plus_the_signal },
	{ "setup to another uid is refused a root queue",
	  test_real_setup_to_another_uid_is_refused_a_root_queue },
	{ "setup keeps or refuses capabilities", test_real_setup_keeps_or_refuses_capabilities },
	{ "setup sets limits and nice", test_real_setup_sets_limits_and_nice },
	{ "SIGKILL of the sandbox kills forked workers too",
	  test_real_sigkill_of_the_sandbox_kills_forked_workers_too },
	{ "run files are its own on a private tmpfs",
	  test_real_run_files_are_its_own_on_a_private_tmpfs },
	{ "run files are its own in the fallback directory",
	  test_real_run_files_are_its_own_in_the_fallback_directory },
	{ "shared mode keeps to its own keys and names",
	  test_real_shared_mode_keeps_to_its_own_keys_and_names },
	{ "shared mode registry is swept after SIGKILL",
	  test_real_shared_mode_registry_is_swept_after_sigkill },
	{ "a zombie whose parent ignores SIGCHLD is not finished",
	  test_real_a_zombie_whose_parent_ignores_sigchld_is_not_finished },
	CU_TEST_INFO_NULL,
};
