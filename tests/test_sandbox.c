/* test_sandbox.c — the sandbox's own rules (real.h, sim/real/sandbox.c), one function at a time.
 *
 * Most of them are pure given a SimRealSandbox, so the tests fill one in by hand: the POSIX
 * queue names of shared mode (the run's prefix, a digest for a name too long with it, a
 * name the kernel refuses left alone), the registry lines written for names and ids, and
 * the resolution of a scenario path from the sandbox directory (absolute paths and ".."
 * refused before any system call). Key allocation and a whole shared sandbox touch SysV
 * queues, so they run in a forked child in an IPC namespace of its own and are skipped,
 * with a note, where the machine cannot make one. test_real.c checks the sandbox working
 * with real workers.
 */
#undef _POSIX_C_SOURCE
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "real/real_int.h"
#include "msgsim/real/real.h"
#include "tests.h"

#define PREFIX "/msgsim-4242-AbC123." /* as name_prefix makes it: 20 bytes */

/* A shared-mode sandbox as enter_shared leaves it, without a directory: reg_fd is the
 * write end of a pipe whose read end is *reg_r. */
static SimRealSandbox shared_sb(int *reg_r)
{
	SimRealSandbox sb = { .shared = TRUE,
			      .prefix = PREFIX,
			      .dir_fd = -1,
			      .reg_fd = -1,
			      .life_r = -1,
			      .life_w = -1 };
	int p[2];
	if (reg_r != NULL && pipe2(p, O_CLOEXEC | O_NONBLOCK) == 0) {
		*reg_r = p[0];
		sb.reg_fd = p[1];
	}
	return sb;
}

/* What the registry pipe holds now (g_free it). */
static char *registry_text(int fd)
{
	GString *s = g_string_new(NULL);
	char buf[512];
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		g_string_append_len(s, buf, n);
	return g_string_free(s, FALSE);
}

/* "/" and then n copies of c. */
static char *name_of(guint n, char c)
{
	char *s = g_malloc(n + 2);
	s[0] = '/';
	memset(s + 1, c, n);
	s[n + 1] = '\0';
	return s;
}

/* ---- POSIX queue names ---- */

static void test_sandbox_private_namespace_keeps_every_mq_name(void)
{
	SimRealSandbox sb = { .shared = FALSE };
	const char *const names[] = { "/q", "q", "", "/a/b" };
	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autofree char *got = sim_real_sandbox_mq_name(&sb, names[i]);
		CU_ASSERT_STRING_EQUAL(got, names[i]);
	}
}

static void test_sandbox_shared_mode_prefixes_a_name_the_kernel_accepts(void)
{
	SimRealSandbox sb = shared_sb(NULL);
	g_autofree char *q = sim_real_sandbox_mq_name(&sb, "/q");
	CU_ASSERT_STRING_EQUAL(q, PREFIX "q");
	g_autofree char *dots = sim_real_sandbox_mq_name(&sb, "/...");
	CU_ASSERT_STRING_EQUAL(dots, PREFIX "...");
}

static void test_sandbox_name_too_long_with_the_prefix_becomes_its_digest(void)
{
	SimRealSandbox sb = shared_sb(NULL);
	/* The kernel takes 255 bytes after the '/': the prefix (20 with its '/') leaves 236. */
	g_autofree char *fits = name_of(236, 'n');
	g_autofree char *over = name_of(237, 'n');
	g_autofree char *other = name_of(237, 'm');
	g_autofree char *a = sim_real_sandbox_mq_name(&sb, fits);
	g_autofree char *b = sim_real_sandbox_mq_name(&sb, over);
	g_autofree char *c = sim_real_sandbox_mq_name(&sb, other);
	g_autofree char *a_want = g_strconcat(PREFIX, fits + 1, NULL);
	CU_ASSERT_STRING_EQUAL(a, a_want);
	CU_ASSERT_EQUAL(strlen(a), 256);
	g_autofree char *sum = g_compute_checksum_for_string(G_CHECKSUM_SHA256, over + 1, -1);
	g_autofree char *b_want = g_strconcat(PREFIX, sum, NULL);
	CU_ASSERT_STRING_EQUAL(b, b_want);
	CU_ASSERT_STRING_NOT_EQUAL(b, c); /* one digest per name */
	g_autofree char *again = sim_real_sandbox_mq_name(&sb, over);
	CU_ASSERT_STRING_EQUAL(b, again);
}

static void test_sandbox_name_the_kernel_refuses_stays_as_it_is(void)
{
	/* So the kernel refuses it the same way in the real run (EINVAL, ENAMETOOLONG). */
	SimRealSandbox sb = shared_sb(NULL);
	g_autofree char *too_long = name_of(256, 'n');
	const char *const refused[] = { "q", "/a/b", "/", "/.", "/..", "", "//q", too_long };
	for (guint i = 0; i < G_N_ELEMENTS(refused); i++) {
		g_autofree char *got = sim_real_sandbox_mq_name(&sb, refused[i]);
		CU_ASSERT_STRING_EQUAL(got, refused[i]);
	}
}

/* ---- Registry lines ---- */

static void test_sandbox_registry_records_prefixed_names_in_hex_and_ids(void)
{
	int r = -1;
	SimRealSandbox sb = shared_sb(&r);
	CU_ASSERT_FATAL(r >= 0);
	CU_ASSERT_TRUE(sim_real_sandbox_note_mq(&sb, PREFIX "q", NULL));
	CU_ASSERT_TRUE(sim_real_sandbox_note_mq(&sb, "/q", NULL)); /* not the run's: no line */
	CU_ASSERT_TRUE(sim_real_sandbox_note_id(&sb, 1073742848, 65536, NULL));
	g_autofree char *text = registry_text(r);
	CU_ASSERT_STRING_EQUAL(text, "mq 2f6d736773696d2d343234322d4162433132332e71\n"
				     "id 1073742848 65536\n");
	close(r);
	close(sb.reg_fd);
}

static void test_sandbox_private_namespace_writes_no_registry(void)
{
	int r = -1;
	SimRealSandbox sb = shared_sb(&r);
	sb.shared = FALSE;
	CU_ASSERT_TRUE(sim_real_sandbox_note_mq(&sb, PREFIX "q", NULL));
	CU_ASSERT_TRUE(sim_real_sandbox_note_id(&sb, 5, 0, NULL));
	g_autofree char *text = registry_text(r);
	CU_ASSERT_STRING_EQUAL(text, "");
	close(r);
	close(sb.reg_fd);
}

/* ---- Paths: resolved from the sandbox directory, never out of it ---- */

typedef struct Dir {
	char *path;
	int fd;
} Dir;

/* A directory standing in for the sandbox's, with a subdirectory "sub" and a symlink
 * "link" to ".". */
static Dir dir_make(void)
{
	Dir d = { g_dir_make_tmp("msgsim-sandbox-test-XXXXXX", NULL), -1 };
	CU_ASSERT_PTR_NOT_NULL_FATAL(d.path);
	d.fd = open(d.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	CU_ASSERT_FATAL(d.fd >= 0);
	CU_ASSERT_FATAL(mkdirat(d.fd, "sub", 0700) == 0 && symlinkat(".", d.fd, "link") == 0);
	return d;
}

static void dir_remove(Dir *d)
{
	unlinkat(d->fd, "link", 0);
	unlinkat(d->fd, "sub", AT_REMOVEDIR);
	close(d->fd);
	CU_ASSERT_EQUAL(rmdir(d->path), 0);
	g_free(d->path);
}

/* sim_real_sandbox_at on path: the descriptor's kind (0 the directory itself, 1 another,
 * -1 none), the leaf, the errno. */
static int resolve(const SimRealSandbox *sb, const char *path, char **leaf, int *err)
{
	*err = 0;
	int fd = sim_real_sandbox_at(sb, path, (guint32)strlen(path), leaf, err);
	if (fd >= 0 && fd != sb->dir_fd)
		close(fd);
	return fd < 0 ? -1 : fd == sb->dir_fd ? 0 : 1;
}

static void test_sandbox_path_outside_the_directory_is_refused_without_a_system_call(void)
{
	Dir d = dir_make();
	SimRealSandbox sb = { .dir_fd = d.fd };
	const char *const out[] = { "/etc/passwd", "..", "../x", "sub/../../x", "sub/..", "/" };
	for (guint i = 0; i < G_N_ELEMENTS(out); i++) {
		char *leaf = (char *)"unset";
		int err = 0;
		CU_ASSERT_EQUAL(resolve(&sb, out[i], &leaf, &err), -1);
		CU_ASSERT_EQUAL(err, EACCES);
		CU_ASSERT_PTR_NULL(leaf);
	}
	/* The worker's call gives the same EACCES and makes nothing. */
	SimRealCall c = { .op = SIM_REAL_MKFIFO, .a = { 0, 0600 }, .len = 9 };
	SimRealResult r;
	memset(&r, 0, sizeof(r));
	g_autoptr(GString) data = g_string_new(NULL);
	sim_real_exec(&sb, &c, "../fifo-x", &r, data);
	CU_ASSERT_EQUAL(r.ret, -1);
	CU_ASSERT_EQUAL(r.err, EACCES);
	g_autofree char *parent = g_path_get_dirname(d.path);
	g_autofree char *escaped = g_build_filename(parent, "fifo-x", NULL);
	CU_ASSERT_FALSE(g_file_test(escaped, G_FILE_TEST_EXISTS));
	/* No sandbox directory: nothing is resolved at all. */
	SimRealSandbox none = { .dir_fd = -1 };
	char *leaf = NULL;
	int err = 0;
	CU_ASSERT_EQUAL(resolve(&none, "f", &leaf, &err), -1);
	CU_ASSERT_EQUAL(err, EACCES);
	dir_remove(&d);
}

static void test_sandbox_path_splits_the_leaf_and_opens_the_directory_beneath(void)
{
	Dir d = dir_make();
	SimRealSandbox sb = { .dir_fd = d.fd };
	static const struct {
		const char *path;
		int kind; /* see resolve */
		const char *leaf;
		int err;
	} cases[] = {
		{ "f", 0, "f", 0 },
		{ "a..b", 0, "a..b", 0 },
		{ "f/", 0, "f/", 0 },
		{ "", 0, "", 0 },
		{ "sub/f", 1, "f", 0 },
		{ "sub//f", 1, "f", 0 },
		{ "nope/f", -1, NULL, ENOENT },
		{ "link/f", -1, NULL, ELOOP },
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *leaf = NULL;
		int err = 0;
		int kind = resolve(&sb, cases[i].path, &leaf, &err);
		if (kind != cases[i].kind || err != cases[i].err ||
		    g_strcmp0(leaf, cases[i].leaf) != 0)
			fprintf(stderr, "\n\"%s\": kind %d, leaf \"%s\", %s\n", cases[i].path, kind,
				leaf ? leaf : "(null)", g_strerror(err));
		CU_ASSERT_EQUAL(kind, cases[i].kind);
		CU_ASSERT_EQUAL(err, cases[i].err);
		CU_ASSERT_STRING_EQUAL(leaf ? leaf : "(null)",
				       cases[i].leaf ? cases[i].leaf : "(null)");
		g_free(leaf);
	}
	dir_remove(&d);
}

/* ---- In an IPC namespace of its own ---- */

enum { SKIPPED = 77 };

/* Runs fn in a forked child that first enters a new IPC namespace; fn returns NULL when
 * all is well or a failure (a static string). The child exits SKIPPED when it cannot
 * have a namespace: the test then passes with a note. */
static void in_own_namespace(const char *(*fn)(void), const char *what)
{
	int p[2];
	CU_ASSERT_FATAL(pipe2(p, O_CLOEXEC) == 0);
	fflush(NULL);
	pid_t pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		if (unshare(CLONE_NEWIPC) < 0)
			_exit(SKIPPED);
		const char *fail = fn();
		if (fail != NULL && write(p[1], fail, strlen(fail)) < 0)
			_exit(2);
		_exit(fail != NULL ? 1 : 0);
	}
	close(p[1]);
	char buf[256] = "";
	ssize_t n = read(p[0], buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(p[0]);
	int st = 0;
	CU_ASSERT_EQUAL(waitpid(pid, &st, 0), pid);
	if (WIFEXITED(st) && WEXITSTATUS(st) == SKIPPED) {
		fprintf(stderr, "\n  (skipped: %s needs an IPC namespace of its own) ", what);
		return;
	}
	if (buf[0] != '\0')
		fprintf(stderr, "\n%s: %s\n", what, buf);
	CU_ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

#define TRY(x)                                   \
	do {                                     \
		if (!(x))                        \
			return G_STRLOC ": " #x; \
	} while (0)

static const char *keys_in_order(void)
{
	int r = -1;
	SimRealSandbox sb = shared_sb(&r);
	TRY(r >= 0);
	sb.key_base = 1 << 30 | 0x1234 << 8;
	/* A key somebody else holds is passed over. */
	TRY(msgget((key_t)sb.key_base, IPC_CREAT | IPC_EXCL | 0600) >= 0);
	gint64 k1 = -1, k2 = -1, k3 = -1;
	TRY(sim_real_sandbox_new_key(&sb, &k1, NULL) && k1 == sb.key_base + 1);
	TRY(sim_real_sandbox_new_key(&sb, &k2, NULL) && k2 == sb.key_base + 2);
	g_autofree char *text = registry_text(r);
	g_autofree char *want =
		g_strdup_printf("key %" G_GINT64_FORMAT "\nkey %" G_GINT64_FORMAT "\n", k1, k2);
	TRY(strcmp(text, want) == 0);
	/* 256 keys a run; the last one, then no more. */
	sb.next_key = 255;
	TRY(sim_real_sandbox_new_key(&sb, &k3, NULL) && k3 == sb.key_base + 255);
	g_autoptr(GError) err = NULL;
	gint64 k4 = -1;
	TRY(!sim_real_sandbox_new_key(&sb, &k4, &err) && k4 == -1);
	TRY(g_error_matches(err, SIM_REAL_ERROR, SIM_REAL_ERROR_NO_KEY));
	return NULL;
}

static void test_sandbox_shared_keys_come_in_order_past_taken_ones_until_used_up(void)
{
	in_own_namespace(keys_in_order, "key allocation");
}

/* The registry's lines so far, for a shared sandbox whose directory is not covered by a
 * tmpfs (the registry stays underneath one, where only a sweep from outside reads it). */
static const char *check_registry(SimRealSandbox *sb)
{
	g_autofree char *ns = sim_real_ipc_ns();
	char pns[64];
	ssize_t n = readlink("/proc/self/ns/pid", pns, sizeof(pns) - 1);
	TRY(ns != NULL && n > 0);
	pns[n] = '\0';
	gint64 key = -1;
	TRY(sim_real_sandbox_new_key(sb, &key, NULL) && key == sb->key_base);
	TRY(sim_real_sandbox_note_id(sb, key, 3, NULL));
	g_autofree char *name = sim_real_sandbox_mq_name(sb, "/q");
	TRY(g_str_has_prefix(name, "/msgsim-") && g_str_has_suffix(name, ".q"));
	TRY(sim_real_sandbox_note_mq(sb, name, NULL));
	g_autofree char *path = g_build_filename(sb->run_dir, "objects", NULL);
	g_autofree char *text = NULL;
	TRY(g_file_get_contents(path, &text, NULL, NULL));
	g_autoptr(GString) hex = g_string_new(NULL);
	for (const char *p = name; *p; p++)
		g_string_append_printf(hex, "%02x", (guint)(guchar)*p);
	g_autofree char *want = g_strdup_printf("ns %s\npidns %s\nkey %" G_GINT64_FORMAT
						"\nid %" G_GINT64_FORMAT " 3\nmq %s\n",
						ns, pns, key, key, hex->str);
	TRY(strcmp(text, want) == 0);
	struct stat st;
	TRY(stat(path, &st) == 0 && (st.st_mode & 07777) == 0600);
	return NULL;
}

static const char *registry_of_a_shared_sandbox(void)
{
	SimRealSandbox sb;
	g_setenv("MSGSIM_NO_MOUNT_NS", "1", TRUE); /* this child's own environment */
	TRY(sim_real_sandbox_enter_shared(&sb, NULL));
	const char *fail = check_registry(&sb);
	g_autofree char *dir = g_strdup(sb.dir);
	sim_real_sandbox_leave(&sb);
	if (fail == NULL && g_file_test(dir, G_FILE_TEST_EXISTS))
		fail = "the sandbox directory outlived sim_real_sandbox_leave";
	return fail;
}

static void test_sandbox_shared_registry_names_its_namespaces_then_keys_ids_and_names(void)
{
	in_own_namespace(registry_of_a_shared_sandbox, "a shared sandbox");
}

/* Shared mode's sweep removes the sets and segments the run recorded, and nothing else: a
 * stranger's set whose id the registry names with another key stays, and a key a
 * stranger's set holds is not handed out (sets and segments take keys as queues do). */
static const char *sweep_of_sets_and_segments(void)
{
	SimRealSandbox sb;
	g_setenv("MSGSIM_NO_MOUNT_NS", "1", TRUE); /* this child's own environment */
	TRY(sim_real_sandbox_enter_shared(&sb, NULL));
	int stranger = semget((key_t)sb.key_base, 1, IPC_CREAT | IPC_EXCL | 0600);
	TRY(stranger >= 0);
	gint64 key = -1;
	TRY(sim_real_sandbox_new_key(&sb, &key, NULL) && key == sb.key_base + 1);
	int sem = semget((key_t)key, 2, IPC_CREAT | IPC_EXCL | 0600);
	int shm = shmget((key_t)key, 4096, IPC_CREAT | IPC_EXCL | 0600);
	TRY(sem >= 0 && shm >= 0);
	TRY(sim_real_sandbox_note_xsi(&sb, TRUE, key, sem, NULL));
	TRY(sim_real_sandbox_note_xsi(&sb, FALSE, key, shm, NULL));
	TRY(sim_real_sandbox_note_xsi(&sb, TRUE, key, stranger, NULL)); /* not key's */
	sim_real_sandbox_leave(&sb);
	struct semid_ds sds;
	union {
		int val;
		struct semid_ds *buf;
	} arg = { .buf = &sds };
	TRY(semctl(sem, 0, IPC_STAT, arg) < 0 && errno == EINVAL);
	struct shmid_ds mds;
	TRY(shmctl(shm, IPC_STAT, &mds) < 0 && errno == EINVAL);
	TRY(semctl(stranger, 0, IPC_STAT, arg) == 0);
	semctl(stranger, 0, IPC_RMID);
	return NULL;
}

static void test_sandbox_shared_sweep_removes_the_runs_sets_and_segments_only(void)
{
	in_own_namespace(sweep_of_sets_and_segments, "a shared sandbox with sets and segments");
}

CU_TestInfo sandbox_tests[] = {
	{ "the shared sweep removes the run's sets and segments only",
	  test_sandbox_shared_sweep_removes_the_runs_sets_and_segments_only },
	{ "a private namespace keeps every mq name",
	  test_sandbox_private_namespace_keeps_every_mq_name },
	{ "shared mode prefixes a name the kernel accepts",
	  test_sandbox_shared_mode_prefixes_a_name_the_kernel_accepts },
	{ "a name too long with the prefix becomes its digest",
	  test_sandbox_name_too_long_with_the_prefix_becomes_its_digest },
	{ "a name the kernel refuses stays as it is",
	  test_sandbox_name_the_kernel_refuses_stays_as_it_is },
	{ "the registry records prefixed names in hex, and ids",
	  test_sandbox_registry_records_prefixed_names_in_hex_and_ids },
	{ "a private namespace writes no registry",
	  test_sandbox_private_namespace_writes_no_registry },
	{ "a path outside the directory is refused without a system call",
	  test_sandbox_path_outside_the_directory_is_refused_without_a_system_call },
	{ "a path splits into its leaf and the directory beneath",
	  test_sandbox_path_splits_the_leaf_and_opens_the_directory_beneath },
	{ "shared keys come in order, past taken ones, until used up",
	  test_sandbox_shared_keys_come_in_order_past_taken_ones_until_used_up },
	{ "the shared registry names its namespaces, then keys, ids and names",
	  test_sandbox_shared_registry_names_its_namespaces_then_keys_ids_and_names },
	CU_TEST_INFO_NULL,
};
