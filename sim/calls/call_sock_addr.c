/* call_sock_addr.c — the names UNIX-domain sockets are bound to and reached by: abstract
 * names ("@name", the kernel's leading NUL) and paths, as net/unix/af_unix.c keeps them.
 *
 * The design choice to know: a path name is a socket file in the model's file system, the
 * same list of special files mkfifo makes (SimFifo, is_sock set), so the rules of names come
 * for free and as the kernel has them: a bind to a name that exists (a FIFO, a socket file,
 * a declared file) is EADDRINUSE, mkfifo on a socket file is EEXIST, unlink removes it, an
 * open of it is ENXIO, and the file outlives its socket (a connect then is ECONNREFUSED).
 * An abstract name lives in a table of its own, per socket type, and goes with its socket.
 *
 * The order of checks is unix_bind's and unix_find_other's: a path's file is made before the
 * socket is found already bound (so an existing file is EADDRINUSE first, then a bound
 * socket EINVAL), where an abstract bind looks at the socket first.
 */
#include "calls/call_sock_int.h"

#include <string.h>

#include "msgsim/kernel/pipe.h"

/* The registry's key for an abstract name bound by a socket of a type: a name is taken
 * per type, as the kernel hashes abstract names with the socket type. */
static char *name_key(int type, const char *name)
{
	return g_strdup_printf("%d:%s", type, name);
}

/* The live special file at path (a FIFO or a socket file), or NULL. */
static SimFifo *file_at(const SimWorld *w, const char *path)
{
	for (guint i = 0; i < w->fifos->len; i++) {
		SimFifo *f = g_ptr_array_index(w->fifos, i);
		if (!f->unlinked && strcmp(f->path, path) == 0)
			return f;
	}
	return NULL;
}

static gboolean declared_at(const SimWorld *w, const char *path)
{
	for (guint i = 0; i < w->scn->n_files; i++)
		if (strcmp(w->scn->files[i].path, path) == 0)
			return TRUE;
	return FALSE;
}

/* unix_bind_bsd: mknod of the socket file (EEXIST, which bind reports as EADDRINUSE), then
 * the socket's own state (bound already: EINVAL, and the new file goes again). */
static int bind_path(SimWorld *w, const SimTask *t, SimSock *s, const char *path)
{
	if (file_at(w, path) || declared_at(w, path))
		return EADDRINUSE;
	if (s->name)
		return EINVAL;
	SimFifo *f = g_new0(SimFifo, 1);
	f->path = g_strdup(path);
	w->mem += sizeof(SimFifo) + strlen(path) + 1;
	f->mode = 0777 & ~0022u; /* the socket inode's mode less the umask */
	f->uid = t->cred.uid;
	f->gid = t->cred.gid;
	f->is_sock = TRUE;
	f->sock = s;
	g_ptr_array_add(w->fifos, f);
	s->name = g_strdup(path);
	s->file = f;
	return 0;
}

/* unix_bind_abstract: the socket first (EINVAL when bound), then the name (EADDRINUSE). */
static int bind_abstract(SimWorld *w, SimSock *s, const char *name)
{
	if (s->name)
		return EINVAL;
	if (!w->sock_names)
		w->sock_names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	char *key = name_key(s->type, name);
	if (g_hash_table_contains(w->sock_names, key)) {
		g_free(key);
		return EADDRINUSE;
	}
	s->name = g_strdup(name);
	g_hash_table_insert(w->sock_names, key, s);
	return 0;
}

int sim_sock_addr_bind(SimWorld *w, const SimTask *t, SimSock *s, const char *name)
{
	if (strlen(name) > SIM_SOCK_NAME_MAX)
		return EINVAL; /* unix_validate_addr: longer than a sockaddr_un */
	if (sim_sock_name_is_abstract(name))
		return bind_abstract(w, s, name + 1);
	return bind_path(w, t, s, name);
}

/* May cred write the socket file (unix_find_bsd's path_permission, MAY_WRITE)? */
static gboolean may_write(const SimFifo *f, const SimCred *cred)
{
	if (cred->uid == 0)
		return TRUE;
	guint shift = cred->uid == f->uid ? 6 : cred->gid == f->gid ? 3 : 0;
	return ((f->mode >> shift) & 2) != 0;
}

SimSock *sim_sock_addr_find(const SimWorld *w, const SimTask *t, int type, const char *name,
			    int *err)
{
	*err = 0;
	if (strlen(name) > SIM_SOCK_NAME_MAX) {
		*err = EINVAL;
		return NULL;
	}
	if (sim_sock_name_is_abstract(name)) {
		g_autofree char *key = name_key(type, name + 1);
		SimSock *s = w->sock_names ? g_hash_table_lookup(w->sock_names, key) : NULL;
		*err = s ? 0 : ECONNREFUSED;
		return s;
	}
	SimFifo *f = file_at(w, name);
	if (!f && !declared_at(w, name))
		*err = ENOENT;
	else if (f && !may_write(f, &t->cred))
		*err = EACCES;
	else if (!f || !f->is_sock || !f->sock)
		*err = ECONNREFUSED; /* not a socket, or one nobody has open any more */
	else if (f->sock->type != type)
		*err = EPROTOTYPE;
	return *err ? NULL : f->sock;
}

const char *sim_sock_addr_name(const SimSock *s, char *buf, gsize size)
{
	if (!s || !s->name)
		return NULL;
	g_snprintf(buf, size, "%s%s", s->file ? "" : "@", s->name);
	return buf;
}

void sim_sock_addr_unbind(SimWorld *w, SimSock *s)
{
	if (s->file) {
		/* The file stays, and so does s->file (the world keeps every file to its
		 * end): the name is still s's to show. */
		if (s->file->sock == s)
			s->file->sock = NULL;
		return;
	}
	if (!s->name || !w->sock_names)
		return;
	g_autofree char *key = name_key(s->type, s->name);
	if (g_hash_table_lookup(w->sock_names, key) == s)
		g_hash_table_remove(w->sock_names, key);
}
