/* real_cred.c — the real-kernel runner's credential calls: setuid, seteuid, setgid, one row of the
 * ops table each (see real_int.h).
 *
 * The design choice to know: each is the bare system call in the worker, which is the
 * scenario's process, so the kernel's own rules decide (CAP_SETUID, the ids the caller
 * already has, the capabilities a root process loses when it leaves uid 0). The worker
 * keeps its command pipes, which are already open, whatever it becomes.
 */
#undef _POSIX_C_SOURCE
#define _GNU_SOURCE

#include <errno.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "real/real_int.h"

/* A new euid or egid clears the parent-death signal and makes the process undumpable, which
 * would hide its /proc files from the runner's probes: both are set again, as the worker's
 * setup does after its own change of ids. */
static void after_change(void)
{
	prctl(PR_SET_DUMPABLE, 1);
	pid_t parent = sim_real_worker_parent();
	if (parent > 0 && (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent))
		_exit(127);
}

static gint64 exec_setuid(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			  SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)data, (void)r, (void)out;
	gint64 ret = setuid((uid_t)c->a[0]);
	*err = errno;
	if (ret == 0)
		after_change();
	return ret;
}

static gint64 exec_setgid(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			  SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)data, (void)r, (void)out;
	gint64 ret = setgid((gid_t)c->a[0]);
	*err = errno;
	if (ret == 0)
		after_change();
	return ret;
}

/* glibc's seteuid: EINVAL for (uid_t)-1 itself, then setresuid(-1, euid, -1). */
static gint64 exec_seteuid(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			   SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)data, (void)r, (void)out;
	gint64 ret = seteuid((uid_t)c->a[0]);
	*err = errno;
	if (ret == 0)
		after_change();
	return ret;
}

static const SimRealOpRow cred_rows[] = {
	{ SIM_REAL_SETUID, "setuid", exec_setuid },
	{ SIM_REAL_SETGID, "setgid", exec_setgid },
	{ SIM_REAL_SETEUID, "seteuid", exec_seteuid },
};

const SimRealBackend sim_real_cred_backend = { "credentials", cred_rows,
					       G_N_ELEMENTS(cred_rows) };
