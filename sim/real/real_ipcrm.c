/* real_ipcrm.c — the real-kernel runner's ipcrm: one removal as util-linux's ipcrm makes
 * it, one row of the ops table (see real_int.h).
 *
 * The design choice to know: a key is looked up the way ipcrm does it, with msgget,
 * semget or shmget of flags 0 (and size or nsems 0), and the id found is removed with the
 * family's IPC_RMID; the first call that fails gives the errno, so the model's messages
 * ("invalid key", "permission denied for id") come from the same failure.
 */
#undef _POSIX_C_SOURCE
#define _GNU_SOURCE

#include <errno.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

#include "real/real_int.h"

static gint64 exec_ipcrm(const SimRealSandbox *sb, const SimRealCall *c, const char *data,
			 SimRealResult *r, GString *out, int *err)
{
	(void)sb, (void)data, (void)r, (void)out;
	char what = (char)c->a[0];
	int id = (int)c->a[1];
	if (c->a[2]) {
		key_t key = (key_t)c->a[1];
		id = what == 'q' ? msgget(key, 0) : what == 's' ? semget(key, 0, 0) : shmget(key, 0, 0);
		if (id < 0) {
			*err = errno;
			return -1;
		}
	}
	int ret = what == 'q'	? msgctl(id, IPC_RMID, NULL)
		  : what == 's' ? semctl(id, 0, IPC_RMID)
				: shmctl(id, IPC_RMID, NULL);
	*err = errno;
	return ret;
}

static const SimRealOpRow ipcrm_rows[] = {
	{ SIM_REAL_IPCRM, "ipcrm", exec_ipcrm },
};

const SimRealBackend sim_real_ipcrm_backend = { "ipcrm", ipcrm_rows, G_N_ELEMENTS(ipcrm_rows) };
