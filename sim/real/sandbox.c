/* sandbox.c — where a cross-check's real run happens: a private IPC namespace when one can
 * be had, the machine's own namespace otherwise, and a private directory for FIFOs. (A
 * private run whose net.unix limit is not its network namespace's gets a network namespace
 * of its own too: see net_limits.)
 *
 * The design choice to know: in the machine's namespace (shared mode) the run must never
 * meet an object it did not make, and must leave none behind even when it is killed. So
 * every queue it makes has a name or key handed out here, unique to the run - POSIX names
 * get a prefix made of the sandbox directory's name, SysV keys are fresh and unused when
 * handed out - and every one is written to the registry (the file `objects` in the run's
 * directory) before the call that may make it. The registry is the sweep list: the run's
 * own end removes what it names, and so does the next sandbox after a runner killed with
 * SIGKILL, which finds the directory of a process that is gone.
 *
 * Registry lines: "ns ipc:[N]" and "pidns pid:[M]" (the namespaces, first), "key K" (a
 * SysV key handed out, in decimal), "id K ID" (msgget of K returned ID), "sem K ID" and
 * "shm K ID" (semget, shmget), "mq HEX" (a POSIX queue name, hex-encoded: a name may hold
 * any byte but '/'). A sweep removes only what the run provably made - a SysV queue, set
 * or segment whose id and key are both as recorded, a POSIX
 * name with the run's prefix - and runs only in the namespaces the registry names: from
 * anywhere else it could not tell.
 *
 * The run's directory (msgsim-real-<pid>-XXXXXX, mode 0700) holds the registry and the
 * FIFO directory `files`, and nothing else. Scenario paths reach `files` only: each is
 * encoded into one file name there (sim_real_sandbox_encode_path), so no scenario can name
 * the registry - unlink it and leak the run's queues for good, or make a FIFO in its place.
 * The FIFO directory is the run's alone: mode 01700, owned by the run, with a POSIX ACL
 * entry for each uid a worker takes and for no one else. Where a mount namespace can be
 * had, a tmpfs of its own is mounted over it, which no process outside the run sees; the
 * registry, beside it, is where a sweep from outside finds it. Every path the workers use
 * is resolved from the FIFO directory's descriptor without following a symlink
 * (sim_real_sandbox_at), and the FIFOs the run made are recorded by identity, so an open
 * that reached anything else is caught.
 */
#undef _POSIX_C_SOURCE
#define _GNU_SOURCE

#include "msgsim/real/real.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <linux/posix_acl.h>
#include <linux/posix_acl_xattr.h>
#include <mqueue.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mount.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "real/real_int.h"

#define DIR_PREFIX "msgsim-real-"
#define REGISTRY "objects"
#define FILES_DIR "files" /* the FIFO directory, in the run's directory next to REGISTRY */
#define NAME_MAX_MQ 255 /* a POSIX queue name's length after its '/' (NAME_MAX) */
/* Keys the run hands out first: 1 << 30 | pid << 8 | n, unique among runs alive at once. */
#define KEY_BASE (1 << 30)
#define KEYS_PER_PID 256

/* Removes name (a file or a directory tree) under parent_fd; never follows a symlink.
 * Best effort: what cannot be removed stays. */
static void remove_tree_at(int parent_fd, const char *name, int depth)
{
	if (unlinkat(parent_fd, name, 0) == 0 || errno == ENOENT)
		return;
	if ((errno != EISDIR && errno != EPERM) || depth > 16)
		return;
	int fd = openat(parent_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	DIR *d = fdopendir(fd);
	if (d == NULL) {
		close(fd);
		return;
	}
	/* Names first, removal second: unlinking while readdir walks may skip entries. */
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			g_ptr_array_add(names, g_strdup(e->d_name));
	}
	for (guint i = 0; i < names->len; i++)
		remove_tree_at(dirfd(d), g_ptr_array_index(names, i), depth + 1);
	closedir(d);
	unlinkat(parent_fd, name, AT_REMOVEDIR);
}

/* ---- The registry of a shared-mode run ---- */

/* A namespace of process `pid` ("self" or a number) as /proc names it: kind "ipc" gives
 * "ipc:[4026531839]" (allocated), or NULL when it cannot be read. */
static char *ns_link(const char *pid, const char *kind)
{
	char path[64], buf[64];
	g_snprintf(path, sizeof(path), "/proc/%s/ns/%s", pid, kind);
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	return g_strdup(buf);
}

char *sim_real_ipc_ns(void)
{
	return ns_link("self", "ipc");
}

/* The name prefix of the sandbox directory `dir` (its last component,
 * msgsim-real-PID-XXXXXX): "/msgsim-PID-XXXXXX.". */
static char *name_prefix(const char *dir)
{
	const char *base = strrchr(dir, '/');
	base = base != NULL ? base + 1 : dir;
	if (g_str_has_prefix(base, DIR_PREFIX))
		base += strlen(DIR_PREFIX);
	return g_strdup_printf("/msgsim-%s.", base);
}

static gboolean hex_decode(const char *hex, GString *out)
{
	gsize n = strlen(hex);
	if (n % 2 != 0)
		return FALSE;
	g_string_truncate(out, 0);
	for (gsize i = 0; i < n; i += 2) {
		int hi = g_ascii_xdigit_value(hex[i]), lo = g_ascii_xdigit_value(hex[i + 1]);
		if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
			return FALSE;
		g_string_append_c(out, (char)(hi << 4 | lo));
	}
	return TRUE;
}

/* Does a process live in the IPC namespace `ns` (as /proc/PID/ns/ipc names it)? A
 * namespace no process is in is gone, and its queues with it. A process whose namespace
 * this one may not read (pid 1 of a container, another user's) is taken not to be in it:
 * counting it would keep every such directory for ever. The cost, should it be in it
 * after all: that namespace's queues are not swept from elsewhere. */
static gboolean ns_alive(const char *ns)
{
	DIR *d = opendir("/proc");
	if (d == NULL)
		return TRUE;
	gboolean alive = FALSE;
	struct dirent *e;
	while (!alive && (e = readdir(d)) != NULL) {
		if (!g_ascii_isdigit(e->d_name[0]))
			continue;
		g_autofree char *link = ns_link(e->d_name, "ipc");
		alive = link != NULL && strcmp(link, ns) == 0;
	}
	closedir(d);
	return alive;
}

/* The pid in a sandbox directory's name (msgsim-real-<pid>-XXXXXX), or -1. */
static long dir_pid(const char *name)
{
	if (!g_str_has_prefix(name, DIR_PREFIX))
		return -1;
	const char *p = name + strlen(DIR_PREFIX);
	char *end = NULL;
	errno = 0;
	long pid = strtol(p, &end, 10);
	if (errno != 0 || end == p || pid <= 0 || pid > G_MAXINT || *end != '-' ||
	    strlen(end + 1) != 6)
		return -1;
	return pid;
}

/* The first of the run's own keys (see sim_real_sandbox_new_key). */
static gint64 key_base_of(long pid)
{
	return KEY_BASE | ((gint64)pid & 0x3fffff) << 8;
}

/* A registry line "WORD K ID" ("id" for a queue, "sem", "shm"): an object the run made,
 * with a key of its own range. */
static gboolean parse_id_line(const char *l, const char *word, gint64 base, gint64 *key,
			      gint64 *id)
{
	char *end = NULL;
	gsize w = strlen(word);
	if (strncmp(l, word, w) != 0 || l[w] != ' ')
		return FALSE;
	*key = g_ascii_strtoll(l + w + 1, &end, 10);
	if (end == l + w + 1 || *end != ' ')
		return FALSE;
	const char *p = end + 1;
	*id = g_ascii_strtoll(p, &end, 10);
	return end != p && *end == '\0' && *key >= base && *key < base + KEYS_PER_PID && *id >= 0 &&
	       *id <= G_MAXINT32;
}

/* A recorded semaphore set (sem) or segment: removed only if id still has the key. A
 * segment removed while attached has IPC_PRIVATE for a key and is not the run's to touch
 * again: it dies at its last detach, the run's killed workers' among them. */
static void sweep_xsi(gboolean sem, gint64 key, gint64 id)
{
	if (sem) {
		struct semid_ds ds;
		union {
			int val;
			struct semid_ds *buf;
		} arg = { .buf = &ds };
		if (semctl((int)id, 0, IPC_STAT, arg) == 0 && ds.sem_perm.__key == (key_t)key)
			semctl((int)id, 0, IPC_RMID);
		return;
	}
	struct shmid_ds ds;
	if (shmctl((int)id, IPC_STAT, &ds) == 0 && ds.shm_perm.__key == (key_t)key)
		shmctl((int)id, IPC_RMID, NULL);
}

/*
 * Removes every queue the registry of sandbox directory `name` (under dir_fd) names. FALSE
 * when nothing may be decided from here (nothing is touched, the directory must stay): the
 * registry belongs to another IPC namespace that may still have a process, or to another
 * PID namespace, where the pid in its name says nothing. TRUE otherwise, also when there
 * is no registry (a private-namespace run, whose queues went with its namespace).
 *
 * Only what the run provably made is removed: a SysV queue whose id and key both are as
 * the run recorded them when msgget returned (so never a stranger's queue that took the
 * key after the run removed its own), a POSIX queue with the directory's own prefix. A
 * line the run did not finish writing (no newline) counts for nothing.
 */
static gboolean sweep_registry(int dir_fd, const char *name)
{
	g_autofree char *path = g_strdup_printf("%s/" REGISTRY, name);
	int fd = openat(dir_fd, path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return TRUE;
	/* Only a registry the runs' user made counts (older runs' directories were
	 * world-writable). */
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 07777) != 0600) {
		close(fd);
		return TRUE;
	}
	g_autoptr(GString) text = g_string_new(NULL);
	char buf[4096];
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
		if (n > 0)
			g_string_append_len(text, buf, n);
	close(fd);
	g_auto(GStrv) lines = g_strsplit(text->str, "\n", -1);
	guint n_lines = g_strv_length(lines) - 1; /* the piece after the last newline */
	g_autofree char *ns = sim_real_ipc_ns();
	g_autofree char *pns = ns_link("self", "pid");
	if (n_lines < 2 || !g_str_has_prefix(lines[0], "ns ") ||
	    !g_str_has_prefix(lines[1], "pidns "))
		return TRUE; /* killed before its first lines: it made nothing */
	if (pns == NULL || strcmp(lines[1] + 6, pns) != 0)
		return FALSE;
	if (ns == NULL || strcmp(lines[0] + 3, ns) != 0)
		return !ns_alive(lines[0] + 3);
	gint64 base = key_base_of(dir_pid(name));
	g_autofree char *prefix = name_prefix(name);
	g_autoptr(GString) mq = g_string_new(NULL);
	for (guint i = 2; i < n_lines; i++) {
		const char *l = lines[i];
		gint64 key, id;
		struct msqid_ds ds;
		if (parse_id_line(l, "id", base, &key, &id)) {
			if (msgctl((int)id, IPC_STAT, &ds) == 0 && ds.msg_perm.__key == (key_t)key)
				msgctl((int)id, IPC_RMID, NULL);
		} else if (parse_id_line(l, "sem", base, &key, &id) ||
			   parse_id_line(l, "shm", base, &key, &id)) {
			sweep_xsi(l[1] == 'e', key, id);
		} else if (g_str_has_prefix(l, "mq ") && hex_decode(l + 3, mq) &&
			   g_str_has_prefix(mq->str, prefix)) {
			mq_unlink(mq->str);
		}
	}
	return TRUE;
}

static gboolean registry_add(SimRealSandbox *sb, const char *line, GError **error)
{
	int err = sim_real_write_all(sb->reg_fd, line, strlen(line));
	if (err != 0) {
		g_set_error(error, SIM_REAL_ERROR, SIM_REAL_ERROR_SANDBOX,
			    "cannot write the registry of %s: %s", sb->run_dir, g_strerror(err));
		return FALSE;
	}
	return TRUE;
}

/* Removes the directories of earlier sandboxes whose process is gone (a runner killed
 * with SIGKILL cannot remove its own), and the queues their registries name. Only our own
 * directories named msgsim-real-<pid>-XXXXXX, and only when kill(pid, 0) says there is no
 * such process; one whose registry names another namespace stays for a run in that one. */
void sim_real_sandbox_sweep_stale(void)
{
	const char *tmp = g_get_tmp_dir();
	DIR *d = opendir(tmp);
	if (d == NULL)
		return;
	g_autoptr(GPtrArray) stale = g_ptr_array_new_with_free_func(g_free);
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		long pid = dir_pid(e->d_name);
		if (pid < 0 || pid == (long)getpid())
			continue;
		struct stat st;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISDIR(st.st_mode) || st.st_uid != geteuid())
			continue;
		if (kill((pid_t)pid, 0) < 0 && errno == ESRCH)
			g_ptr_array_add(stale, g_strdup(e->d_name));
	}
	for (guint i = 0; i < stale->len; i++) {
		const char *name = g_ptr_array_index(stale, i);
		if (sweep_registry(dirfd(d), name))
			remove_tree_at(dirfd(d), name, 0);
	}
	closedir(d);
}

static gboolean write_text_file(const char *path, const char *text, int *err)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		*err = errno;
		return FALSE;
	}
	*err = sim_real_write_all(fd, text, strlen(text));
	if (close(fd) < 0 && *err == 0)
		*err = errno;
	return *err == 0;
}

/* unshare(CLONE_NEWUSER|CLONE_NEWIPC) and map the caller to root in the new user namespace,
 * which then owns the new IPC namespace. */
static gboolean enter_userns(int *err, const char **step)
{
	g_autofree char *uid_map = g_strdup_printf("0 %u 1\n", (unsigned)geteuid());
	g_autofree char *gid_map = g_strdup_printf("0 %u 1\n", (unsigned)getegid());
	*step = "unshare(CLONE_NEWUSER|CLONE_NEWIPC)";
	if (unshare(CLONE_NEWUSER | CLONE_NEWIPC) < 0) {
		*err = errno;
		return FALSE;
	}
	/* An unprivileged process must give up setgroups before it may write gid_map. */
	*step = "/proc/self/setgroups";
	if (!write_text_file("/proc/self/setgroups", "deny", err) && *err != ENOENT)
		return FALSE;
	*step = "/proc/self/uid_map";
	if (!write_text_file("/proc/self/uid_map", uid_map, err))
		return FALSE;
	*step = "/proc/self/gid_map";
	return write_text_file("/proc/self/gid_map", gid_map, err);
}

/* A fresh sandbox: no directory, no lifeline yet. */
static void sandbox_init(SimRealSandbox *sb)
{
	memset(sb, 0, sizeof(*sb));
	sb->reg_fd = sb->life_r = sb->life_w = sb->dir_fd = -1;
}

/* The lifeline: workers hold the read end, only this process the write end (see real.c). */
/* fd moved to 3 or above (close-on-exec), or -1: workers keep 0-2 as they find them, so a
 * sandbox descriptor there would live on in every worker (for the lifeline's write end:
 * the pipe would never close). */
static int above_stdio(int fd)
{
	if (fd < 0 || fd > 2)
		return fd;
	int moved = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	int err = errno;
	close(fd);
	errno = err;
	return moved;
}

static gboolean make_lifeline(SimRealSandbox *sb, GError **error)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0) {
		g_set_error(error, SIM_REAL_ERROR, SIM_REAL_ERROR_SANDBOX,
			    "cannot make the workers' lifeline: pipe: %s", g_strerror(errno));
		return FALSE;
	}
	/* The write end first: then the read end cannot take the number it frees. */
	sb->life_w = above_stdio(fds[1]);
	sb->life_r = above_stdio(fds[0]);
	if (sb->life_r < 0 || sb->life_w < 0) {
		g_set_error(error, SIM_REAL_ERROR, SIM_REAL_ERROR_SANDBOX,
			    "cannot make the workers' lifeline: fcntl: %s", g_strerror(errno));
		return FALSE;
	}
	return TRUE;
}

/* Opens sb->dir as sb->dir_fd (replacing an earlier one) after checking that it is the
 * run's: a directory (no symlink followed), owned by the run, closed to group and others,
 * and on a tmpfs when one was mounted there. Then makes it 01700: sticky as /tmp, so that
 * a worker let in under another uid removes only its own FIFOs, as it could in /tmp. */
static gboolean open_dir(SimRealSandbox *sb, GError **error)
{
	int fd = above_stdio(open(sb->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
	struct stat st;
	struct statfs fs;
	const char *why = NULL;
	int err = 0;
	if (fd < 0 || fstat(fd, &st) < 0 || fstatfs(fd, &fs) < 0 || fchmod(fd, 01700) < 0)
		err = errno;
	else if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 077) != 0)
		why = "not a directory of the run's own";
	else if (sb->mounted && fs.f_type != TMPFS_MAGIC)
		why = "not the tmpfs mounted there";
	if (err != 0 || why != NULL) {
		if (fd >= 0)
			close(fd);
		g_set_error(error, SIM_REAL_ERROR, SIM_REAL_ERROR_SANDBOX,
			    "cannot open the FIFO directory %s: %s", sb->dir,
			    why ? why : g_strerror(err));
		return FALSE;
	}
	if (sb->dir_fd >= 0)
		close(sb->dir_fd);
	sb->dir_fd = fd;
	return TRUE;
}

/* The run's directory, msgsim-real-<pid>-XXXXXX, made 0700 by mkdtemp and never opened to
 * anyone else, and in it the private directory for FIFOs, FILES_DIR. The registry goes
 * next to FILES_DIR, never in it: every scenario path is resolved in FILES_DIR alone, so no
 * scenario can name, remove or replace the registry. sb->run_dir is set as soon as it
 * exists, so that sim_real_sandbox_leave removes it after a failure. */
static gboolean make_dir(SimRealSandbox *sb, GError **error)
{
	g_autofree char *templ =
		g_strdup_printf("%s/" DIR_PREFIX "%d-XXXXXX", g_get_tmp_dir(), (int)sb->pid);
	if (mkdtemp(templ) == NULL) {
		g_set_error(error, SIM_REAL_ERROR, SIM_REAL_ERROR_SANDBOX,
			    "cannot make the run's directory %s: %s", templ, g_strerror(errno));
		return FALSE;
	}
	sb->run_dir = g_steal_pointer(&templ);
	sb->dir = g_build_filename(sb->run_dir, FILES_DIR, NULL);
	if (mkdir(sb->dir, 0700) < 0) {
		g_set_error(error, SIM_REAL_ERROR, SIM_REAL_ERROR_SANDBOX,
			    "cannot make the FIFO directory %s: %s", sb->dir, g_strerror(errno));
		return FALSE;
	}
	return open_dir(sb, error);
}

/* The tmpfs over the directory, in a mount namespace of the run's own (the calling
 * process's from now on; the workers it forks share it): / is made recursively private
 * first, so the mount reaches no other namespace. Where the namespace cannot be had, or
 * MSGSIM_NO_MOUNT_NS=1 asks, the directory alone serves (TRUE, sb->mounted FALSE): it is
 * the run's own either way. FALSE only when the tmpfs was mounted and is not what it
 * should be. */
static gboolean private_mount(SimRealSandbox *sb, GError **error)
{
	if (g_strcmp0(g_getenv("MSGSIM_NO_MOUNT_NS"), "1") == 0)
		return TRUE;
	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return TRUE;
	/* Mounted on the directory made and checked, not on whatever its name is now: it is
	 * opened again (a descriptor from before unshare names the old namespace's mount,
	 * which mount refuses) and must be the same inode. */
	int fd = open(sb->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat made, now;
	if (fd < 0 || fstat(sb->dir_fd, &made) < 0 || fstat(fd, &now) < 0 ||
	    made.st_dev != now.st_dev || made.st_ino != now.st_ino) {
		if (fd >= 0)
			close(fd);
		return TRUE;
	}
	char target[64];
	g_snprintf(target, sizeof(target), "/proc/self/fd/%d", fd);
	int rc = mount("msgsim", target, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		       "mode=1700,size=64k,nr_inodes=1024");
	close(fd);
	if (rc < 0)
		return TRUE;
	sb->mounted = TRUE;
	return open_dir(sb, error);
}

gboolean sim_real_sandbox_enter(SimRealSandbox *sb, GError **error)
{
	g_return_val_if_fail(sb != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	sandbox_init(sb);
	/* Before leaving the machine's namespace: a registry left there is swept from there. */
	sim_real_sandbox_sweep_stale();
	if (unshare(CLONE_NEWIPC) < 0) {
		int err = errno;
		if (err != EPERM) {
			g_set_error(
				error, SIM_REAL_ERROR, SIM_REAL_ERROR_SANDBOX,
				"cannot make a private IPC namespace: unshare(CLONE_NEWIPC): %s",
				g_strerror(err));
			return FALSE;
		}
		int err2 = 0;
		const char *step = "";
		if (!enter_userns(&err2, &step)) {
			g_set_error(
				error, SIM_REAL_ERROR, SIM_REAL_ERROR_SANDBOX,
				"cannot make a private IPC namespace: unshare(CLONE_NEWIPC): %s; "
				"then %s: %s",
				g_strerror(err), step, g_strerror(err2));
			return FALSE;
		}
		sb->userns = TRUE;
	}
	sb->pid = getpid();
	if (!make_lifeline(sb, error))
		return FALSE;
	if (!make_dir(sb, error) || !private_mount(sb, error)) {
		sim_real_sandbox_leave(sb);
		return FALSE;
	}
	return TRUE;
}

gboolean sim_real_sandbox_enter_shared(SimRealSandbox *sb, GError **error)
{
	g_return_val_if_fail(sb != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	sandbox_init(sb);
	sb->pid = getpid();
	sim_real_sandbox_sweep_stale();
	g_autofree char *ns = sim_real_ipc_ns();
	if (ns == NULL) {
		g_set_error(error, SIM_REAL_ERROR, SIM_REAL_ERROR_SANDBOX,
			    "cannot tell this process's IPC namespace: /proc/self/ns/ipc: %s",
			    g_strerror(errno));
		return FALSE;
	}
	if (!make_lifeline(sb, error))
		return FALSE;
	if (!make_dir(sb, error)) {
		sim_real_sandbox_leave(sb);
		return FALSE;
	}
	/* In the run's directory, outside the FIFO directory (and its tmpfs): a sweep from
	 * outside the run's mount namespace must find it, and no scenario path may reach it. */
	g_autofree char *path = g_build_filename(sb->run_dir, REGISTRY, NULL);
	sb->reg_fd = above_stdio(
		open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0600));
	g_autofree char *pns = ns_link("self", "pid");
	g_autofree char *first = g_strdup_printf("ns %s\npidns %s\n", ns, pns ? pns : "?");
	if (sb->reg_fd < 0 || fchmod(sb->reg_fd, 0600) < 0) { /* whatever the umask */
		g_set_error(error, SIM_REAL_ERROR, SIM_REAL_ERROR_SANDBOX,
			    "cannot make the registry %s: %s", path, g_strerror(errno));
		sim_real_sandbox_leave(sb);
		return FALSE;
	}
	sb->shared = TRUE;
	sb->prefix = name_prefix(sb->run_dir);
	sb->key_base = key_base_of(sb->pid);
	if (!registry_add(sb, first, error) || !private_mount(sb, error)) {
		sim_real_sandbox_leave(sb);
		return FALSE;
	}
	return TRUE;
}

void sim_real_sandbox_leave(SimRealSandbox *sb)
{
	if (sb == NULL)
		return;
	/* Closing the lifeline's write end ends every worker still running. */
	int *fds[] = { &sb->reg_fd, &sb->life_r, &sb->life_w, &sb->dir_fd };
	for (guint i = 0; i < G_N_ELEMENTS(fds); i++) {
		if (sb->pid != 0 && *fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
	/* The tmpfs goes first (its FIFOs with it), then the run's directory. */
	if (sb->mounted && sb->dir != NULL && sb->pid == getpid())
		umount2(sb->dir, MNT_DETACH | UMOUNT_NOFOLLOW);
	sb->mounted = FALSE;
	g_clear_pointer(&sb->fifos, g_hash_table_unref);
	if (sb->run_dir != NULL && sb->pid == getpid()) {
		g_autofree char *parent = g_path_get_dirname(sb->run_dir);
		g_autofree char *base = g_path_get_basename(sb->run_dir);
		int fd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd >= 0) {
			if (!sb->shared || sweep_registry(fd, base))
				remove_tree_at(fd, base, 0);
			close(fd);
		}
	}
	g_clear_pointer(&sb->dir, g_free);
	g_clear_pointer(&sb->run_dir, g_free);
	g_clear_pointer(&sb->prefix, g_free);
}

/* ---- Unique names and keys (shared mode) ---- */

/* A POSIX queue name the kernel accepts: '/', then 1 to NAME_MAX bytes, no '/', not "."
 * or "..". */
static gboolean mq_name_valid(const char *name)
{
	if (name[0] != '/')
		return FALSE;
	const char *c = name + 1;
	gsize n = strlen(c);
	return n > 0 && n <= NAME_MAX_MQ && strchr(c, '/') == NULL && strcmp(c, ".") != 0 &&
	       strcmp(c, "..") != 0;
}

char *sim_real_sandbox_mq_name(const SimRealSandbox *sb, const char *name)
{
	g_return_val_if_fail(sb != NULL && name != NULL, NULL);
	if (!sb->shared || !mq_name_valid(name))
		return g_strdup(name);
	if (strlen(sb->prefix) + strlen(name + 1) <= NAME_MAX_MQ + 1)
		return g_strconcat(sb->prefix, name + 1, NULL);
	/* Too long with the prefix: a digest of it stands in, unique as the name. */
	g_autofree char *sum = g_compute_checksum_for_string(G_CHECKSUM_SHA256, name + 1, -1);
	return g_strconcat(sb->prefix, sum, NULL);
}

gboolean sim_real_sandbox_note_id(SimRealSandbox *sb, gint64 key, gint64 id, GError **error)
{
	g_return_val_if_fail(sb != NULL, FALSE);
	if (!sb->shared)
		return TRUE;
	char line[64];
	g_snprintf(line, sizeof(line), "id %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n", key, id);
	return registry_add(sb, line, error);
}

gboolean sim_real_sandbox_note_xsi(SimRealSandbox *sb, gboolean sem, gint64 key, gint64 id,
				   GError **error)
{
	g_return_val_if_fail(sb != NULL, FALSE);
	if (!sb->shared)
		return TRUE;
	char line[64];
	g_snprintf(line, sizeof(line), "%s %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n",
		   sem ? "sem" : "shm", key, id);
	return registry_add(sb, line, error);
}

gboolean sim_real_sandbox_note_mq(SimRealSandbox *sb, const char *real_name, GError **error)
{
	g_return_val_if_fail(sb != NULL && real_name != NULL, FALSE);
	if (!sb->shared || !g_str_has_prefix(real_name, sb->prefix))
		return TRUE; /* a private namespace, or a name the kernel refuses */
	g_autoptr(GString) line = g_string_new("mq ");
	for (const char *p = real_name; *p; p++)
		g_string_append_printf(line, "%02x", (guint)(guchar)*p);
	g_string_append_c(line, '\n');
	return registry_add(sb, line->str, error);
}

/* Is key free: no queue, set or segment has it (as far as this process can tell; EACCES
 * means taken)? The three tables are apart, but a key is handed out for any of them. */
static gboolean key_free(gint64 key)
{
	return msgget((key_t)key, 0) < 0 && errno == ENOENT && semget((key_t)key, 0, 0) < 0 &&
	       errno == ENOENT && shmget((key_t)key, 0, 0) < 0 && errno == ENOENT;
}

gboolean sim_real_sandbox_new_key(SimRealSandbox *sb, gint64 *key, GError **error)
{
	g_return_val_if_fail(sb != NULL && sb->shared && key != NULL, FALSE);
	gint64 k = 0;
	gboolean found = FALSE;
	while (sb->next_key < KEYS_PER_PID && !found) {
		k = sb->key_base + sb->next_key++;
		found = key_free(k);
	}
	if (!found) {
		g_set_error(error, SIM_REAL_ERROR, SIM_REAL_ERROR_NO_KEY,
			    "the run's %d SysV keys are used up", KEYS_PER_PID);
		return FALSE;
	}
	char line[48];
	g_snprintf(line, sizeof(line), "key %" G_GINT64_FORMAT "\n", k);
	if (!registry_add(sb, line, error))
		return FALSE;
	*key = k;
	return TRUE;
}

/* The namespace's limits live in /proc/sys, one file per row of sim_limits_table, and are
 * written in the table's order: the maxima before the defaults, so that a default is never
 * written above them. */
gboolean sim_real_sandbox_read_limits(SimLimits *out, GError **error)
{
	g_return_val_if_fail(out != NULL, FALSE);
	sim_limits_init(out);
	for (guint i = 0; i < SIM_LIMIT_COUNT; i++) {
		const char *file = sim_limits_table[i].proc;
		g_autofree char *text = NULL;
		g_autoptr(GError) err = NULL;
		char *end = NULL;
		gint64 v = -1;
		if (g_file_get_contents(file, &text, NULL, &err)) {
			/* A file of several numbers (kernel.sem): the row's column. */
			const char *at = text;
			for (guint c = 0; c <= sim_limits_table[i].column; c++, at = end)
				v = g_ascii_strtoll(at, &end, 10);
		}
		if (text == NULL || end == text || v < 0) {
			g_set_error(error, SIM_REAL_ERROR, SIM_REAL_ERROR_SANDBOX,
				    "cannot read %s: %s", file,
				    err ? err->message : "not a number");
			return FALSE;
		}
		sim_limits_set(out, (SimLimitId)i, v);
	}
	return TRUE;
}

/* A limit of the network namespace (net.unix.*), which the IPC namespace does not hold. */
static gboolean net_limit(guint i)
{
	return g_str_has_prefix(sim_limits_table[i].proc, "/proc/sys/net/");
}

/* The network namespace's limits in want->set. The calling process's own are left alone
 * when they already hold want's values: the machine's namespace is never written. Otherwise
 * the process moves to a network namespace of its own (CLONE_NEWNET; the workers it forks
 * share it, and it goes with the last of them) and writes them there. A new namespace knows
 * none of the machine's abstract socket names; socket files are in the sandbox's directory,
 * which any namespace reaches. */
static gboolean net_limits(const SimLimits *want, GError **error)
{
	guint differ = 0;
	for (guint i = 0; i < SIM_LIMIT_COUNT; i++) {
		g_autofree char *text = NULL;
		if (!net_limit(i) || !(want->set & SIM_LIMIT_BIT(i)))
			continue;
		gint64 have = g_file_get_contents(sim_limits_table[i].proc, &text, NULL, NULL)
				      ? g_ascii_strtoll(text, NULL, 10)
				      : -1;
		if (have != sim_limits_get(want, (SimLimitId)i))
			differ |= SIM_LIMIT_BIT(i);
	}
	if (!differ)
		return TRUE;
	if (unshare(CLONE_NEWNET) < 0) {
		g_set_error(error, SIM_REAL_ERROR, SIM_REAL_ERROR_SANDBOX,
			    "cannot make a private network namespace for the scenario's "
			    "net.unix limits: unshare(CLONE_NEWNET): %s",
			    g_strerror(errno));
		return FALSE;
	}
	for (guint i = 0; i < SIM_LIMIT_COUNT; i++) {
		char text[32];
		int err = 0;
		gint64 v = sim_limits_get(want, (SimLimitId)i);
		g_snprintf(text, sizeof(text), "%" G_GINT64_FORMAT "\n", v);
		if ((differ & SIM_LIMIT_BIT(i)) &&
		    !write_text_file(sim_limits_table[i].proc, text, &err)) {
			g_set_error(error, SIM_REAL_ERROR, SIM_REAL_ERROR_SANDBOX,
				    "cannot set %s to %" G_GINT64_FORMAT
				    " in the run's network namespace: %s",
				    sim_limits_table[i].proc, v, g_strerror(err));
			return FALSE;
		}
	}
	return TRUE;
}

gboolean sim_real_sandbox_limits(const SimLimits *want, GError **error)
{
	g_return_val_if_fail(want != NULL, FALSE);
	/* Check everything first: nothing is written unless everything can be. */
	for (guint i = 0; i < SIM_LIMIT_COUNT; i++) {
		gint64 v = sim_limits_get(want, (SimLimitId)i);
		/* shmmax and shmall are unsigned longs: any gint64 fits. */
		gint64 limit = i == SIM_LIMIT_MSGMAX				     ? SIM_REAL_IO_MAX
			       : i == SIM_LIMIT_SHMMAX || i == SIM_LIMIT_SHMALL ? G_MAXINT64
										 : G_MAXINT;
		if ((want->set & SIM_LIMIT_BIT(i)) && v > limit) {
			g_set_error(error, SIM_REAL_ERROR, SIM_REAL_ERROR_SANDBOX,
				    "cannot set %s to %" G_GINT64_FORMAT
				    ": at most %" G_GINT64_FORMAT " is supported",
				    sim_limits_table[i].proc, v, limit);
			return FALSE;
		}
	}
	for (guint i = 0; i < SIM_LIMIT_COUNT; i++) {
		gint64 v = sim_limits_get(want, (SimLimitId)i);
		char text[128];
		g_snprintf(text, sizeof(text), "%" G_GINT64_FORMAT "\n", v);
		if (sim_limits_table[i].column > 0 || net_limit(i))
			continue; /* written with its file's first column, or by net_limits */
		if (i + 1 < SIM_LIMIT_COUNT && sim_limits_table[i + 1].column > 0) {
			/* kernel.sem: the file takes all its numbers at once, those not set as
			 * want has them (a fresh namespace's defaults). */
			guint set = 0;
			text[0] = '\0';
			for (guint j = i; j < SIM_LIMIT_COUNT &&
					  !strcmp(sim_limits_table[j].proc, sim_limits_table[i].proc);
			     j++) {
				set |= want->set & SIM_LIMIT_BIT(j);
				g_snprintf(text + strlen(text), sizeof(text) - strlen(text),
					   "%" G_GINT64_FORMAT "%s", sim_limits_get(want, (SimLimitId)j),
					   j + 1 < SIM_LIMIT_COUNT && sim_limits_table[j + 1].column
						   ? " "
						   : "\n");
			}
			if (!set)
				continue;
		} else if (!(want->set & SIM_LIMIT_BIT(i))) {
			continue;
		}
		int err = 0;
		if (!write_text_file(sim_limits_table[i].proc, text, &err)) {
			g_set_error(error, SIM_REAL_ERROR, SIM_REAL_ERROR_SANDBOX,
				    "cannot set %s to %" G_GINT64_FORMAT ": %s",
				    sim_limits_table[i].proc, v, g_strerror(err));
			return FALSE;
		}
	}
	return net_limits(want, error);
}

/* ---- The FIFO directory: who may enter, what is in it ---- */

gboolean sim_real_sandbox_allow_uids(SimRealSandbox *sb, const guint32 *uids, guint n,
				     GError **error)
{
	g_return_val_if_fail(sb != NULL && sb->dir_fd >= 0 && (n == 0 || uids != NULL), FALSE);
	/* Named-user entries: sorted, once each, not the owner (its own entry covers it). */
	g_autoptr(GArray) users = g_array_new(FALSE, FALSE, sizeof(guint32));
	for (guint i = 0; i < n; i++) {
		gboolean seen = uids[i] == (guint32)geteuid();
		for (guint j = 0; j < users->len && !seen; j++)
			seen = g_array_index(users, guint32, j) == uids[i];
		if (!seen)
			g_array_append_val(users, uids[i]);
	}
	if (users->len == 0)
		return TRUE;
	for (guint i = 1; i < users->len; i++) /* insertion sort: a handful of uids */
		for (guint j = i; j > 0 && g_array_index(users, guint32, j - 1) >
						   g_array_index(users, guint32, j);
		     j--) {
			guint32 t = g_array_index(users, guint32, j);
			g_array_index(users, guint32, j) = g_array_index(users, guint32, j - 1);
			g_array_index(users, guint32, j - 1) = t;
		}
	/* The kernel's binary ACL (include/uapi/linux/posix_acl_xattr.h): a version header,
	 * then entries in tag order; group and others get nothing, the mask everything. */
	const guint16 rwx = ACL_READ | ACL_WRITE | ACL_EXECUTE;
	guint n_ent = users->len + 4;
	gsize size = sizeof(struct posix_acl_xattr_header) +
		     n_ent * sizeof(struct posix_acl_xattr_entry);
	g_autofree char *buf = g_malloc0(size);
	struct posix_acl_xattr_header hdr = { GUINT32_TO_LE(POSIX_ACL_XATTR_VERSION) };
	memcpy(buf, &hdr, sizeof(hdr));
	struct posix_acl_xattr_entry *e = (struct posix_acl_xattr_entry *)(buf + sizeof(hdr));
	guint k = 0;
	e[k++] = (struct posix_acl_xattr_entry){ GUINT16_TO_LE(ACL_USER_OBJ), GUINT16_TO_LE(rwx),
						 GUINT32_TO_LE((guint32)ACL_UNDEFINED_ID) };
	for (guint i = 0; i < users->len; i++)
		e[k++] = (struct posix_acl_xattr_entry){
			GUINT16_TO_LE(ACL_USER), GUINT16_TO_LE(rwx),
			GUINT32_TO_LE(g_array_index(users, guint32, i))
		};
	e[k++] = (struct posix_acl_xattr_entry){ GUINT16_TO_LE(ACL_GROUP_OBJ), 0,
						 GUINT32_TO_LE((guint32)ACL_UNDEFINED_ID) };
	e[k++] = (struct posix_acl_xattr_entry){ GUINT16_TO_LE(ACL_MASK), GUINT16_TO_LE(rwx),
						 GUINT32_TO_LE((guint32)ACL_UNDEFINED_ID) };
	e[k++] = (struct posix_acl_xattr_entry){ GUINT16_TO_LE(ACL_OTHER), 0,
						 GUINT32_TO_LE((guint32)ACL_UNDEFINED_ID) };
	if (fsetxattr(sb->dir_fd, "system.posix_acl_access", buf, size, 0) < 0) {
		g_set_error(error, SIM_REAL_ERROR, SIM_REAL_ERROR_SANDBOX,
			    "cannot let uid %u into the FIFO directory %s: "
			    "setxattr(system.posix_acl_access): %s",
			    (unsigned)g_array_index(users, guint32, 0), sb->dir, g_strerror(errno));
		return FALSE;
	}
	return TRUE;
}

void sim_real_sandbox_encode_path(GString *path)
{
	g_return_if_fail(path != NULL);
	g_autoptr(GString) name = g_string_sized_new(path->len);
	for (gsize i = 0; i < path->len; i++) {
		char c = path->str[i];
		if (c == '%' || c == '/' || (c == '.' && i == 0))
			g_string_append_printf(name, "%%%02X", (guint)(guchar)c);
		else
			g_string_append_c(name, c);
	}
	if (name->len > NAME_MAX) {
		g_autofree char *sum =
			g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)path->str,
						    path->len);
		g_string_printf(name, "%%H%s", sum);
	}
	g_string_assign(path, name->str);
}

/* A FIFO's identity as recorded: "dev:ino" (allocated). */
static char *fifo_identity(const SimRealResult *r)
{
	return g_strdup_printf("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, r->stat[0], r->stat[1]);
}

void sim_real_sandbox_note_path(SimRealSandbox *sb, SimRealOp op, const char *path,
				const SimRealResult *r)
{
	g_return_if_fail(sb != NULL && path != NULL && r != NULL);
	if (r->ret < 0)
		return;
	if (sb->fifos == NULL)
		sb->fifos = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	if (op == SIM_REAL_MKFIFO && S_ISFIFO((mode_t)r->stat[2]))
		g_hash_table_replace(sb->fifos, g_strdup(path), fifo_identity(r));
	else if (op == SIM_REAL_MKFIFO || op == SIM_REAL_UNLINK)
		g_hash_table_remove(sb->fifos, path);
}

gboolean sim_real_sandbox_fifo_is_own(const SimRealSandbox *sb, const char *path,
				      const SimRealResult *r)
{
	g_return_val_if_fail(sb != NULL && path != NULL && r != NULL, FALSE);
	const char *made = sb->fifos ? g_hash_table_lookup(sb->fifos, path) : NULL;
	g_autofree char *got = fifo_identity(r);
	return r->ret >= 0 && S_ISFIFO((mode_t)r->stat[2]) && made != NULL &&
	       strcmp(made, got) == 0;
}

/* A subdirectory path of the sandbox's, opened O_PATH without following any symlink. */
static int open_beneath(int dir_fd, const char *parent, int *err)
{
	struct open_how how = { .flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
				.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
					   RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV };
	long fd = syscall(SYS_openat2, dir_fd, parent, &how, sizeof(how));
	if (fd >= 0)
		return (int)fd;
	if (errno != ENOSYS) {
		*err = errno;
		return -1;
	}
	/* A kernel before openat2 (5.6): one component at a time, none of them a symlink
	 * (O_PATH | O_NOFOLLOW | O_DIRECTORY gives ENOTDIR for one). */
	g_auto(GStrv) parts = g_strsplit(parent, "/", -1);
	int cur = fcntl(dir_fd, F_DUPFD_CLOEXEC, 0);
	for (guint i = 0; cur >= 0 && parts[i] != NULL; i++) {
		if (parts[i][0] == '\0')
			continue;
		int next = openat(cur, parts[i], O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		int e = errno;
		close(cur);
		cur = next;
		errno = e;
	}
	if (cur < 0)
		*err = errno;
	return cur;
}

int sim_real_sandbox_at(const SimRealSandbox *sb, const char *data, guint32 len, char **leaf,
			int *err)
{
	g_autofree char *rel = g_strndup(data != NULL ? data : "", len);
	*leaf = NULL;
	if (sb == NULL || sb->dir_fd < 0 || rel[0] == '/') {
		*err = EACCES;
		return -1;
	}
	g_auto(GStrv) parts = g_strsplit(rel, "/", -1);
	for (guint i = 0; parts[i] != NULL; i++) {
		if (strcmp(parts[i], "..") == 0) {
			*err = EACCES;
			return -1;
		}
	}
	/* The leaf is the last component with the slashes after it, if any: the call on it
	 * keeps what the kernel makes of them. */
	gsize end = strlen(rel);
	while (end > 0 && rel[end - 1] == '/')
		end--;
	char *slash = g_strrstr_len(rel, (gssize)end, "/");
	if (slash == NULL) {
		*leaf = g_steal_pointer(&rel);
		return sb->dir_fd;
	}
	*slash = '\0';
	int fd = open_beneath(sb->dir_fd, rel, err);
	if (fd >= 0)
		*leaf = g_strdup(slash + 1);
	return fd;
}
