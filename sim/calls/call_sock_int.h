/* call_sock_int.h — what the sockets family's files share (call_sock.c, call_sock_addr.c);
 * not public.
 */
#ifndef MSGSIM_CALL_SOCK_INT_H
#define MSGSIM_CALL_SOCK_INT_H

#include "calls/call_int.h"
#include "msgsim/kernel/sock.h"

/* recv's `from` (recvfrom with an address): a bit of sock.flags no MSG_* flag uses. */
#define SIM_RECV_FROM 0x40000000u

/* sizeof(sun_path): a longer name does not fit in a sockaddr_un (EINVAL). */
#define SIM_SOCK_NAME_MAX 108

/* A socket name as a scenario writes it: "@name" is abstract, anything else a path. */
static inline gboolean sim_sock_name_is_abstract(const char *name)
{
	return name[0] == '@';
}

/* bind(2) of s to name: 0 or an errno, in unix_bind's order. */
int sim_sock_addr_bind(SimWorld *w, const SimTask *t, SimSock *s, const char *name);
/* The socket of `type` bound to name, as unix_find_other finds it for t; NULL with *err
 * (abstract: ECONNREFUSED; path: ENOENT, EACCES, ECONNREFUSED, EPROTOTYPE). */
SimSock *sim_sock_addr_find(const SimWorld *w, const SimTask *t, int type, const char *name,
			    int *err);
/* s's name, as a scenario writes it ("@name" or the path) into buf, or NULL: unbound. */
const char *sim_sock_addr_name(const SimSock *s, char *buf, gsize size);
/* s is closed: an abstract name is free again; a socket file stays, with nobody behind it. */
void sim_sock_addr_unbind(SimWorld *w, SimSock *s);

#endif /* MSGSIM_CALL_SOCK_INT_H */
