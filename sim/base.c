/* base.c — errno names and meanings for the trace and the scenario language.
 *
 * The table lists the errno values a simulated call can return (now or in the kernel
 * object modules to come). Values come from <errno.h>, so they equal what the real
 * kernel returns; the names are the C macro names.
 */
#include "msgsim/base.h"

#include <string.h>

typedef struct {
	int err;
	const char *name;
	const char *text;
} ErrnoName;

static const ErrnoName errno_table[] = {
	{ 0, "ok", "success" },
	{ EPERM, "EPERM", "operation not permitted" },
	{ ENOENT, "ENOENT", "no such file or directory" },
	{ ESRCH, "ESRCH", "no such process" },
	{ ECHILD, "ECHILD", "no child processes" },
	{ EINTR, "EINTR", "interrupted system call" },
	{ ENXIO, "ENXIO", "no such device or address" },
	{ E2BIG, "E2BIG", "argument list too long" },
	{ EBADF, "EBADF", "bad file descriptor" },
	{ EAGAIN, "EAGAIN", "resource temporarily unavailable" },
	{ ENOMEM, "ENOMEM", "cannot allocate memory" },
	{ ENOTTY, "ENOTTY", "inappropriate ioctl for device" },
	{ EACCES, "EACCES", "permission denied" },
	{ EFAULT, "EFAULT", "bad address" },
	{ EBUSY, "EBUSY", "device or resource busy" },
	{ EEXIST, "EEXIST", "file exists" },
	{ EINVAL, "EINVAL", "invalid argument" },
	{ ENFILE, "ENFILE", "too many open files in system" },
	{ EMFILE, "EMFILE", "too many open files" },
	{ EFBIG, "EFBIG", "file too large" },
	{ ENOSPC, "ENOSPC", "no space left on device" },
	{ ESPIPE, "ESPIPE", "illegal seek" },
	{ EPIPE, "EPIPE", "broken pipe" },
	{ ERANGE, "ERANGE", "numerical result out of range" },
	{ ENAMETOOLONG, "ENAMETOOLONG", "file name too long" },
	{ ENOSYS, "ENOSYS", "function not implemented" },
	{ ENOMSG, "ENOMSG", "no message of desired type" },
	{ EIDRM, "EIDRM", "identifier removed" },
	{ EMSGSIZE, "EMSGSIZE", "message too long" },
	{ ETIMEDOUT, "ETIMEDOUT", "connection timed out" },
	{ EOPNOTSUPP, "EOPNOTSUPP", "operation not supported" },
	/* sockets */
	{ ENOTSOCK, "ENOTSOCK", "socket operation on non-socket" },
	{ ENOTCONN, "ENOTCONN", "transport endpoint is not connected" },
	{ ECONNRESET, "ECONNRESET", "connection reset by peer" },
	{ ECONNREFUSED, "ECONNREFUSED", "connection refused" },
	{ EADDRINUSE, "EADDRINUSE", "address already in use" },
	{ EISCONN, "EISCONN", "transport endpoint is already connected" },
	{ EPROTOTYPE, "EPROTOTYPE", "protocol wrong type for socket" },
	{ EDESTADDRREQ, "EDESTADDRREQ", "destination address required" },
	{ ELOOP, "ELOOP", "too many levels of symbolic links" },
	/* ALPC ports: a connect pending when the connection port died */
	{ ECONNABORTED, "ECONNABORTED", "software caused connection abort" },
};

static const ErrnoName *lookup(int err)
{
	for (gsize i = 0; i < G_N_ELEMENTS(errno_table); i++)
		if (errno_table[i].err == err)
			return &errno_table[i];
	return NULL;
}

const char *sim_errno_name(int err)
{
	const ErrnoName *e = lookup(err);
	return e ? e->name : "E?";
}

const char *sim_errno_text(int err)
{
	const ErrnoName *e = lookup(err);
	return e ? e->text : "unknown error";
}

int sim_errno_from_name(const char *name)
{
	for (gsize i = 0; i < G_N_ELEMENTS(errno_table); i++)
		if (strcmp(errno_table[i].name, name) == 0)
			return errno_table[i].err;
	return -1;
}

void sim_rng_seed(SimRng *rng, guint64 seed)
{
	rng->state = seed;
}

guint64 sim_rng_next(SimRng *rng)
{
	guint64 z = (rng->state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

guint32 sim_rng_below(SimRng *rng, guint32 n)
{
	g_assert(n > 0);
	/* Rejection sampling keeps the choice unbiased for every n. */
	guint64 limit = G_MAXUINT64 - (G_MAXUINT64 % n);
	guint64 x;
	do
		x = sim_rng_next(rng);
	while (x >= limit);
	return (guint32)(x % n);
}

gboolean sim_time_parse(const char *word, SimTime *out)
{
	static const struct {
		const char *name;
		SimTime unit;
	} units[] = { { "ns", SIM_NS }, { "us", SIM_US }, { "ms", SIM_MS }, { "s", SIM_S } };
	const char *p = word;
	guint64 n = 0;
	if (!g_ascii_isdigit(*p))
		return FALSE;
	for (; g_ascii_isdigit(*p); p++) {
		if (n > (guint64)G_MAXINT64 / 10)
			return FALSE;
		n = n * 10 + (guint64)(*p - '0');
	}
	for (gsize i = 0; i < G_N_ELEMENTS(units); i++) {
		if (strcmp(p, units[i].name) != 0)
			continue;
		if (n > (guint64)(G_MAXINT64 / units[i].unit))
			return FALSE;
		*out = (SimTime)n * units[i].unit;
		return TRUE;
	}
	return FALSE;
}
