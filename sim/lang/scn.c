/* scn.c — the scenario front end's entry points: parse, load, free and the name queries.
 *
 * The front end is split the way Lua splits llex/lparser: scn_lex.c turns the text into
 * tokens and owns the error messages and value readers, scn_parse.c reads declarations and
 * expectations, scn_stmt.c the blocks of process bodies (each statement's own reader is its
 * call's parse hook, in its family's file under sim/calls/), and scn_resolve.c resolves
 * names and variables and makes the checks that need the whole file. scn_int.h is their
 * shared, private state (Parser). This file keeps what the rest of msgsim calls, the words of
 * the language that both the parser and the queries use, and how a SimScenario is freed.
 */
#include "lang/scn_int.h"
#include "msgsim/lang/printf.h"

#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* In the order of parse_decl's switch. */
const char *const scn_decl_words[] = { "scheduler", "cost",   "direct", "sysctl", "mailbox",
				       "port",	    "sysv",   "posix",	"file",	  "user",
				       "process",   "expect", "param",	"include", NULL };
const char *const scn_reserved_words[] = { "any", "system", "time", "deadlock", "no", NULL };
const char *const scn_deliver_names[] = { "first-waiter", "round-robin", "random", "pair",
					  "exclusive",	  "addressed",	 NULL };
const char *const scn_order_names[] = { "fifo", "priority", NULL };
const char *const scn_state_names[] = { "new",	    "ready",  "running", "blocked",
					"sleeping", "exited", "stopped", NULL };
G_STATIC_ASSERT(SIM_SCN_STATE_STOPPED == 6);
/* In SimCtlCmd order. */
const char *const scn_ctl_names[] = { "stat",	  "set",	  "rmid", "info",
				      "msg_info", "msg_stat", "msg_stat_any", NULL };
/* In SimSigAction order. */
const char *const scn_action_names[] = { "default", "ignore", "handler", NULL };
/* SIM_CAP_* bit i is cap_names[i]; `none` and `all` stand alone. */
const char *const scn_cap_names[] = {
	"ipc_owner", "sys_admin", "sys_resource", "none", "all", NULL
};
/* In SimStatKey order: every statistic an expectation may name, then each kind's own. */
const char *const scn_stat_names[] = { "qnum",	 "sent",       "received", "max_qnum", "destroyed",
				       "cbytes", "qbytes",     "lspid",	   "lrpid",    "removed",
				       "id",	 "mode",       "curmsgs",  "maxmsg",   "msgsize",
				       "qsize",	 "notify_pid", "unlinked", "key",      "uid",
				       "gid",	 "cuid",       "cgid",	   "stime",    "rtime",
				       "ctime",	 "val",	       "ncnt",	   "zcnt",     "pid",
				       NULL };
G_STATIC_ASSERT(G_N_ELEMENTS(scn_stat_names) == SIM_STAT_COUNT + 1);
/* What a name (not a string) may have: the mailbox and SysV statistics. */
const char *const scn_named_stat_names[] = { "qnum",	  "sent",    "received", "max_qnum",
					     "destroyed", "cbytes",  "qbytes",	 "lspid",
					     "lrpid",	  "removed", "id",	 "mode",
					     "key",	  "uid",     "gid",	 "cuid",
					     "cgid",	  "stime",   "rtime",	 "ctime",
					     NULL };
const char *const scn_mbox_stat_names[] = { "qnum",	"sent",	     "received",
					    "max_qnum", "destroyed", NULL };
const char *const scn_sysvq_stat_names[] = { "qnum",	"cbytes", "qbytes", "lspid", "lrpid",
					     "removed", "id",	  "mode",   "key",   "uid",
					     "gid",	"cuid",	  "cgid",   "stime", "rtime",
					     "ctime",	NULL };
const char *const scn_sem_stat_names[] = { "val", "ncnt", "zcnt", "pid", NULL };
const char *const scn_posixq_stat_names[] = { "curmsgs",    "maxmsg",	"msgsize", "qsize",
					      "notify_pid", "unlinked", NULL };
/* The standard signals the language knows, by number (1 to 31, as Linux numbers them). */
const char *const scn_signal_names[] = {
	"SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL",
	"SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD",
	"SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ",
	"SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS", NULL,
};
static const int signal_numbers[] = {
	SIGHUP, SIGINT, SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGKILL, SIGUSR1, SIGSEGV,
	SIGUSR2, SIGPIPE, SIGALRM, SIGTERM, SIGSTKFLT, SIGCHLD, SIGCONT, SIGSTOP, SIGTSTP, SIGTTIN,
	SIGTTOU, SIGURG, SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF, SIGWINCH, SIGIO, SIGPWR, SIGSYS,
};
G_STATIC_ASSERT(G_N_ELEMENTS(scn_signal_names) == G_N_ELEMENTS(signal_numbers) + 1);

/* ---- Freeing ---- */

static void text_clear(SimText *text)
{
	for (guint i = 0; i < text->n_parts; i++) {
		g_free(text->parts[i].lit);
		sim_expr_free(text->parts[i].expr);
	}
	g_clear_pointer(&text->parts, g_free);
	g_clear_pointer(&text->literal, g_free);
	text->n_parts = 0;
}

static void block_clear(SimBlock *block);

void scn_stmt_clear(SimStmt *st)
{
	g_clear_pointer(&st->label, g_free);
	text_clear(&st->text);
	for (guint i = 0; st->dyn && i < st->dyn->n; i++)
		if (st->dyn->ops[i].kind != SIM_DYN_TEXT)
			sim_expr_free(st->dyn->ops[i].expr);
	g_clear_pointer(&st->dyn, g_free);
	if (sim_stmt_body(st)) /* the owned pointers among the families' arguments */
		block_clear(&st->ctl.body);
	if (st->kind == SIM_STMT_IF || st->kind == SIM_STMT_ASSERT || st->kind == SIM_STMT_LET)
		g_clear_pointer(&st->ctl.cond, sim_expr_free);
	if (st->kind == SIM_STMT_PRINT)
		g_clear_pointer(&st->ctl.pf, sim_printf_free);
	g_free(sim_stmt_sem_ops(st));
	g_free(sim_stmt_poll_fds(st));
}

static void block_clear(SimBlock *block)
{
	for (guint i = 0; i < block->n_stmts; i++)
		scn_stmt_clear(&block->stmts[i]);
	g_clear_pointer(&block->stmts, g_free);
	block->n_stmts = 0;
}

static void body_free(gpointer data)
{
	SimScnBody *body = data;
	block_clear(&body->block);
	for (guint i = 0; i < body->n_vars; i++)
		g_free(body->vars[i].name);
	g_free(body->vars);
	g_free(body);
}

static void expect_clear(SimScnExpect *e)
{
	for (guint i = 0; i < e->n_msgs; i++)
	{
		g_free(e->msgs[i].text);
		g_free(e->msgs[i].shown);
	}
	g_clear_pointer(&e->msgs, g_free);
	g_clear_pointer(&e->fields, g_free);
	g_clear_pointer(&e->stats, g_free);
	g_clear_pointer(&e->mq_name, g_free);
	g_clear_pointer(&e->text, g_free);
	g_clear_pointer(&e->question, g_free);
	for (guint i = 0; i < e->n_calls; i++)
		g_free(e->calls[i].name);
	g_clear_pointer(&e->calls, g_free);
	scn_expect_fd_clear(e);
}

void scn_clear_stmt(gpointer data)
{
	scn_stmt_clear(data);
}

static void clear_expect(gpointer data)
{
	expect_clear(data);
}

static void clear_mbox(gpointer data)
{
	g_free(((SimScnMbox *)data)->name);
}

static void clear_proc(gpointer data)
{
	g_free(((SimScnProc *)data)->name);
}

static void clear_ftok_use(gpointer data)
{
	g_free(((FtokUse *)data)->path);
}

static void clear_ref(gpointer data)
{
	g_free(((Ref *)data)->name);
}

static void clear_label_ref(gpointer data)
{
	g_free(((LabelRef *)data)->name);
}

void scn_clear_var(gpointer data)
{
	g_free(((VarInfo *)data)->name);
}

static void clear_sysvq(gpointer data)
{
	g_free(((SimScnSysvQueue *)data)->name);
}

static void clear_posixq(gpointer data)
{
	g_free(((SimScnPosixQueue *)data)->name);
}

static void clear_file(gpointer data)
{
	g_free(((SimScnFile *)data)->path);
}

static void clear_user(gpointer data)
{
	g_free(((SimScnUser *)data)->name);
}

void scn_clear_queue_use(gpointer data)
{
	g_free(((QueueUse *)data)->name);
}

static void clear_param(gpointer data)
{
	g_free(((SimScnParam *)data)->name);
	g_free(((SimScnParam *)data)->text);
}

static void clear_var_def(gpointer data)
{
	g_free(((VarDef *)data)->name);
}

void scn_clear_wait_use(gpointer data)
{
	g_free(((WaitUse *)data)->name);
}

void scn_builder_clear(BodyBuilder *b)
{
	g_clear_pointer(&b->slots, g_hash_table_unref);
	g_clear_pointer(&b->vars, g_array_unref);
	g_clear_pointer(&b->counters, g_array_unref);
	g_clear_pointer(&b->queues, g_array_unref);
	g_clear_pointer(&b->forks, g_array_unref);
	g_clear_pointer(&b->waits, g_array_unref);
}

void scn_parser_clear(Parser *p)
{
	g_clear_pointer(&p->names, g_hash_table_unref);
	g_clear_pointer(&p->labels, g_hash_table_unref);
	g_clear_pointer(&p->refs, g_array_unref);
	g_clear_pointer(&p->ftok_exprs, g_array_unref);
	g_clear_pointer(&p->label_refs, g_array_unref);
	g_clear_pointer(&p->stmt_info, g_array_unref);
	g_clear_pointer(&p->expect_info, g_array_unref);
	g_clear_pointer(&p->queue_uses, g_array_unref);
	g_clear_pointer(&p->var_defs, g_array_unref);
	g_clear_pointer(&p->mboxes, g_array_unref);
	g_clear_pointer(&p->procs, g_array_unref);
	g_clear_pointer(&p->bodies, g_ptr_array_unref);
	g_clear_pointer(&p->body_procs, g_array_unref);
	g_clear_pointer(&p->expects, g_array_unref);
	g_clear_pointer(&p->sysvqs, g_array_unref);
	g_clear_pointer(&p->files, g_array_unref);
	g_clear_pointer(&p->users, g_array_unref);
	g_clear_pointer(&p->posixqs, g_array_unref);
	g_clear_pointer(&p->pq_info, g_array_unref);
	g_clear_pointer(&p->file_index, g_hash_table_unref);
	g_clear_pointer(&p->user_index, g_hash_table_unref);
	g_clear_pointer(&p->uid_index, g_hash_table_unref);
	g_clear_pointer(&p->posixq_index, g_hash_table_unref);
	g_clear_pointer(&p->toks, g_array_unref);
	g_clear_pointer(&p->params, g_array_unref);
	g_clear_pointer(&p->param_index, g_hash_table_unref);
	g_clear_pointer(&p->defines, g_hash_table_unref);
	g_clear_pointer(&p->sources, g_array_unref);
	g_clear_pointer(&p->asserts, g_array_unref);
	scn_programs_clear(p);
	if (p->all)
		g_string_free(g_steal_pointer(&p->all), TRUE);
	g_clear_pointer(&p->scn, sim_scn_free);
	g_clear_error(&p->err);
}

GArray *scn_array_new(gsize size, GDestroyNotify clear)
{
	GArray *a = g_array_new(FALSE, TRUE, (guint)size);
	g_array_set_clear_func(a, clear);
	return a;
}

/* Hands an array's elements over to a SimScenario field; the array is gone afterwards. */
gpointer scn_steal_array(GArray **a, guint *n)
{
	*n = (*a)->len;
	return g_array_free(g_steal_pointer(a), FALSE);
}

/* ---- Public API ---- */

GQuark sim_scn_error_quark(void)
{
	return g_quark_from_static_string("sim-scn-error-quark");
}

SimScenario *sim_scn_parse(const char *file, const char *text, gsize len, GError **error)
{
	return sim_scn_parse_with(file, text, len, NULL, error);
}

SimScenario *sim_scn_parse_with(const char *file, const char *text, gsize len,
				const SimScnOptions *opts, GError **error)
{
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);
	g_auto(Parser) p = { 0 };
	p.opts = opts;
	p.params = scn_array_new(sizeof(SimScnParam), clear_param);
	p.param_index = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	p.file = file ? file : "<scenario>";
	p.src = text ? text : "";
	p.len = text ? len : 0;
	p.toks = scn_array_new(sizeof(Tok), scn_tok_clear);
	p.scn = g_new0(SimScenario, 1);
	p.scn->file = g_strdup(p.file);
	p.scn->source = g_strndup(p.src, p.len);
	p.scn->source_len = p.len;
	p.scn->policy = SIM_SCHED_FIFO;
	p.scn->quantum = 10 * SIM_US;
	p.scn->seed = 1;
	p.scn->cost_syscall = 1 * SIM_US;
	p.scn->direct_capacity = SIM_CAPACITY_UNBOUNDED;
	sim_limits_init(&p.scn->limits);
	p.mboxes = scn_array_new(sizeof(SimScnMbox), clear_mbox);
	p.procs = scn_array_new(sizeof(SimScnProc), clear_proc);
	p.bodies = g_ptr_array_new_with_free_func(body_free);
	p.body_procs = scn_array_new(sizeof(BodyProcs), NULL);
	p.expects = scn_array_new(sizeof(SimScnExpect), clear_expect);
	p.sysvqs = scn_array_new(sizeof(SimScnSysvQueue), clear_sysvq);
	p.files = scn_array_new(sizeof(SimScnFile), clear_file);
	p.users = scn_array_new(sizeof(SimScnUser), clear_user);
	p.posixqs = scn_array_new(sizeof(SimScnPosixQueue), clear_posixq);
	p.pq_info = scn_array_new(sizeof(PosixInfo), NULL);
	p.file_index = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	p.user_index = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	p.uid_index = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
	p.posixq_index = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	p.names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	p.labels = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	p.refs = scn_array_new(sizeof(Ref), clear_ref);
	p.ftok_exprs = scn_array_new(sizeof(FtokUse), clear_ftok_use);
	p.label_refs = scn_array_new(sizeof(LabelRef), clear_label_ref);
	p.stmt_info = scn_array_new(sizeof(StmtInfo), NULL);
	p.expect_info = scn_array_new(sizeof(ExpectInfo), NULL);
	p.queue_uses = scn_array_new(sizeof(QueueUse), scn_clear_queue_use);
	p.var_defs = scn_array_new(sizeof(VarDef), clear_var_def);
	p.asserts = scn_array_new(sizeof(AssertUse), NULL);
	scn_sources_init(&p);
	SimScenario *scn = scn_parse_all(&p);
	if (!scn)
		g_propagate_error(error, g_steal_pointer(&p.err));
	return scn;
}

/* Reads at most SIM_SCN_MAX_BYTES + 1 bytes of fd into *text: one byte more than allowed
 * is enough to know a file is too large, whatever fstat said (a file may grow meanwhile,
 * and standard input has no size at all). */
static gboolean read_bounded(int fd, const char *name, char **text, gsize *len, GError **error)
{
	gsize cap = SIM_SCN_MAX_BYTES + 1, n = 0;
	g_autofree char *buf = g_malloc(cap + 1);
	while (n < cap) {
		gssize got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int e = errno;
			g_set_error(error, SIM_SCN_ERROR, SIM_SCN_ERROR_IO,
				    "%s: error: cannot read: %s", name, g_strerror(e));
			return FALSE;
		}
		if (got == 0)
			break;
		n += (gsize)got;
	}
	if (n > SIM_SCN_MAX_BYTES) {
		g_set_error(
			error, SIM_SCN_ERROR, SIM_SCN_ERROR_LIMIT,
			"%s: error: too large: more than %d bytes (a scenario may have at most %d "
			"bytes, 1 MiB)",
			name, SIM_SCN_MAX_BYTES, SIM_SCN_MAX_BYTES);
		return FALSE;
	}
	buf[n] = '\0';
	*text = g_steal_pointer(&buf);
	*len = n;
	return TRUE;
}

/* Opens without waiting (a FIFO would block until a writer came) and checks the descriptor
 * it got, not the path, so what is read is what was checked. */
static int open_regular(const char *path, GError **error)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		g_set_error(error, SIM_SCN_ERROR, SIM_SCN_ERROR_IO, "%s: error: cannot read: %s",
			    path, g_strerror(e));
		return -1;
	}
	struct stat st;
	const char *why = NULL;
	if (fstat(fd, &st) < 0)
		why = g_strerror(errno);
	else if (S_ISDIR(st.st_mode))
		why = "it is a directory";
	else if (!S_ISREG(st.st_mode))
		why = "not a regular file (a scenario is read from a file, or from standard "
		      "input given as '-')";
	if (why) {
		g_set_error(error, SIM_SCN_ERROR, SIM_SCN_ERROR_IO, "%s: error: cannot read: %s",
			    path, why);
		close(fd);
		return -1;
	}
	if (st.st_size > SIM_SCN_MAX_BYTES) {
		g_set_error(error, SIM_SCN_ERROR, SIM_SCN_ERROR_LIMIT,
			    "%s: error: too large: %jd bytes (a scenario may have at most %d "
			    "bytes, 1 MiB)",
			    path, (intmax_t)st.st_size, SIM_SCN_MAX_BYTES);
		close(fd);
		return -1;
	}
	return fd;
}

gboolean scn_read_file(const char *path, char **text, gsize *len, guint64 *dev, guint64 *ino,
		       GError **error)
{
	int fd = open_regular(path, error);
	if (fd < 0)
		return FALSE;
	struct stat st;
	gboolean ok = fstat(fd, &st) == 0 && read_bounded(fd, path, text, len, error);
	if (ok) {
		*dev = (guint64)st.st_dev;
		*ino = (guint64)st.st_ino;
	} else if (error && !*error) {
		g_set_error(error, SIM_SCN_ERROR, SIM_SCN_ERROR_IO, "%s: error: cannot read: %s",
			    path, g_strerror(errno));
	}
	close(fd);
	return ok;
}

SimScenario *sim_scn_load(const char *path, GError **error)
{
	return sim_scn_load_with(path, NULL, error);
}

SimScenario *sim_scn_load_with(const char *path, const SimScnOptions *opts, GError **error)
{
	g_return_val_if_fail(path != NULL, NULL);
	gboolean std_in = strcmp(path, "-") == 0;
	const char *name = std_in ? "<stdin>" : path;
	int fd = std_in ? STDIN_FILENO : open_regular(path, error);
	if (fd < 0)
		return NULL;
	g_autofree char *text = NULL;
	gsize len = 0;
	gboolean ok = read_bounded(fd, name, &text, &len, error);
	if (!std_in)
		close(fd);
	if (!ok)
		return NULL;
	return sim_scn_parse_with(name, text, len, opts, error);
}

void sim_scn_free(SimScenario *scn)
{
	if (!scn)
		return;
	for (guint i = 0; i < scn->n_mboxes; i++)
		g_free(scn->mboxes[i].name);
	g_free(scn->mboxes);
	for (guint i = 0; i < scn->n_procs; i++)
		g_free(scn->procs[i].name);
	g_free(scn->procs);
	for (guint i = 0; i < scn->n_bodies; i++)
		body_free(scn->bodies[i]);
	g_free(scn->bodies);
	for (guint i = 0; i < scn->n_expects; i++)
		expect_clear(&scn->expects[i]);
	g_free(scn->expects);
	for (guint i = 0; i < scn->n_sysvqs; i++)
		g_free(scn->sysvqs[i].name);
	g_free(scn->sysvqs);
	for (guint i = 0; i < scn->n_files; i++)
		g_free(scn->files[i].path);
	g_free(scn->files);
	for (guint i = 0; i < scn->n_users; i++)
		g_free(scn->users[i].name);
	g_free(scn->users);
	for (guint i = 0; i < scn->n_posixqs; i++)
		g_free(scn->posixqs[i].name);
	g_free(scn->posixqs);
	for (guint i = 0; i < scn->n_params; i++)
		clear_param(&scn->params[i]);
	g_free(scn->params);
	for (guint i = 0; i < scn->n_src_names; i++)
		g_free(scn->src_names[i]);
	g_free(scn->src_names);
	g_strfreev(scn->programs);
	g_free(scn->source);
	g_free(scn->file);
	g_free(scn);
}

/* The index of the entry called `name` in an array of n structs of `stride` bytes whose
 * `char *name` field sits at `offset`, or -1. */
static int find_named(const void *array, guint n, gsize stride, gsize offset, const char *name)
{
	const char *base = array;
	for (guint i = 0; i < n; i++) {
		const char *const *entry =
			(const char *const *)(const void *)(base + i * stride + offset);
		if (strcmp(*entry, name) == 0)
			return (int)i;
	}
	return -1;
}

int sim_scn_find_proc(const SimScenario *scn, const char *name)
{
	return find_named(scn->procs, scn->n_procs, sizeof(SimScnProc),
			  G_STRUCT_OFFSET(SimScnProc, name), name);
}

int sim_scn_find_mbox(const SimScenario *scn, const char *name)
{
	return find_named(scn->mboxes, scn->n_mboxes, sizeof(SimScnMbox),
			  G_STRUCT_OFFSET(SimScnMbox, name), name);
}

int sim_scn_find_sysvq(const SimScenario *scn, const char *name)
{
	return find_named(scn->sysvqs, scn->n_sysvqs, sizeof(SimScnSysvQueue),
			  G_STRUCT_OFFSET(SimScnSysvQueue, name), name);
}

int sim_scn_find_posixq(const SimScenario *scn, const char *name)
{
	return find_named(scn->posixqs, scn->n_posixqs, sizeof(SimScnPosixQueue),
			  G_STRUCT_OFFSET(SimScnPosixQueue, name), name);
}

const char *sim_scn_signal_name(int sig)
{
	for (guint i = 0; i < G_N_ELEMENTS(signal_numbers); i++)
		if (signal_numbers[i] == sig)
			return scn_signal_names[i];
	return NULL;
}

int sim_scn_signal_from_name(const char *name)
{
	int i = scn_pick(name, scn_signal_names);
	return i < 0 ? -1 : signal_numbers[i];
}

const char *sim_scn_state_name(SimTaskState s)
{
	return (guint)s < G_N_ELEMENTS(scn_state_names) - 1 ? scn_state_names[s] : "?";
}

const char *sim_scn_deliver_name(SimDeliver d)
{
	return (guint)d < G_N_ELEMENTS(scn_deliver_names) - 1 ? scn_deliver_names[d] : "?";
}

const char *sim_scn_loc_file(const SimScenario *scn, SimLoc loc)
{
	guint f = loc.col >> LOC_FILE_SHIFT;
	return f > 0 && f < scn->n_src_names ? scn->src_names[f] : scn->file;
}
