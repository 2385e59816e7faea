/* call_exec.c — the processes family's exec: execve(2) replacing a process's body.
 *
 * `exec { BODY }` is a successful execve: the process (its pid, credentials, parent and
 * children, pending alarm, SEM_UNDO records and mq_notify registrations) goes on running
 * BODY from its first statement, and never comes back to the statements after the exec.
 * What the kernel does on the way (fs/exec.c begin_new_exec, do_close_on_exec and
 * flush_signal_handlers; exit_mm, which drops the old image's SysV shm attachments):
 *   - every descriptor whose FD_CLOEXEC is set is closed, in ascending order, as close(2)
 *     would close it (the last close of a pipe end wakes the other side; the last close of
 *     a queue's description ends this process's mq_notify registration); the others stay,
 *     with their open file descriptions (offsets, O_NONBLOCK) untouched;
 *   - every signal with a handler goes back to SIG_DFL; an ignored one stays ignored;
 *   - every shm attachment is detached.
 * Pending handled signals cannot be left at the exec: a task runs its handlers before each
 * statement, and an exec is one step.
 *
 * The one design choice to know: the new program is a body of the scenario compiled like
 * any other, and the task simply changes which program it runs (pc 0, fresh loop counters,
 * fresh variable slots). It starts with a copy of the variables the old body had set, as a
 * real program is handed descriptor numbers in its argv; nothing else of the old image
 * survives. The model's result, which `ret=` reads, is the number of descriptors the exec
 * closed, since a real execve does not return.
 */
#include "calls/call_int.h"

#include <signal.h>

#include "engine/interp_int.h"
#include "lang/scn_int.h"
#include "real/xcheck_int.h"

/* ---- Trace ---- */

static void exec_text(GString *s, const SimTraceEvent *ev)
{
	(void)ev;
	g_string_append(s, "exec");
}

/* "-> 2 closed (4 5)": the descriptors close-on-exec closed. */
static void exec_result(GString *s, const SimTraceEvent *ev, const char *arrow)
{
	if (!sim_call_result_head(s, ev, arrow))
		return;
	g_string_append_printf(s, ", %" G_GINT64_FORMAT " closed", ev->ret);
	if (ev->ret > 0)
		g_string_append_printf(s, " (%s)", ev->text);
}

static void exec_json(GString *s, const SimTraceEvent *ev)
{
	sim_call_json_ret(s, ev);
	sim_trace_json_str(s, "closed", ev->text ? ev->text : "", -1);
}

/* ---- Parsing ---- */

/* exec { BODY }: the body is parsed as the process's next program, for the same processes
 * (every replica execs its own copy), starting with the variables set so far. */
static gboolean exec_parse(Parser *p, SimStmt *st)
{
	st->proc = (SimProcArgs){ 0 };
	BodyBuilder *b = p->body;
	for (guint i = 0; i < b->vars->len; i++) {
		const VarInfo *v = &g_array_index(b->vars, VarInfo, i);
		if (!v->assigned)
			return scn_fail_at(p, v->use_loc, E_NAME,
					   "variable '%s' is used before 'exec' (at %u:%u) but not "
					   "set before it: the new program starts with a copy of "
					   "the variables set before the exec",
					   v->name, st->loc.line, st->loc.col);
	}
	if (b->vars->len > SIM_SCN_MAX_SLOTS - p->n_slots)
		return scn_fail_at(p, st->loc, SIM_SCN_ERROR_LIMIT,
				   "too many copied variables: 'exec' copies the %u variables of "
				   "'%s', and new programs may hold at most %d copies in all",
				   b->vars->len, b->name, SIM_SCN_MAX_SLOTS);
	p->n_slots += b->vars->len;
	st->proc.n_inherit = b->vars->len;
	st->proc.body = p->bodies->len; /* scn_parse_body adds it there */
	return scn_parse_body(p, "to start the body of 'exec'", b->proc, b->n_procs, b->name,
			      b) != NULL;
}

/* ---- Execution ---- */

/* Closes t's close-on-exec descriptors in ascending order; their numbers go to closed. */
static gint64 close_on_exec(SimWorld *w, SimTask *t, GString *closed)
{
	gint64 n = 0;
	w->exit_visits += t->fdt.n;
	for (guint fd = 0; fd < t->fdt.n; fd++) {
		if (!(sim_fdt_fdfl(&t->fdt, fd) & SIM_FD_CLOEXEC))
			continue;
		sim_world_fd_close(w, t, fd);
		g_string_append_printf(closed, "%s%u", n++ ? " " : "", fd);
	}
	return n;
}

/* The task runs prog from its start, with a copy of the first n_inherit slots. */
static void switch_program(SimWorld *w, SimTask *t, const SimProgram *prog, guint n_inherit)
{
	SimVar *vars = g_new0(SimVar, prog->n_vars + 1);
	for (guint i = 0; i < t->prog->n_vars; i++) {
		if (i < n_inherit) {
			vars[i].num = t->vars[i].num;
			vars[i].num2 = t->vars[i].num2;
			vars[i].msg = t->vars[i].msg; /* moved, not copied */
		} else {
			sim_msg_pool_put(&w->pool, t->vars[i].msg);
		}
	}
	g_free(t->vars);
	t->vars = vars;
	g_free(t->counters);
	t->counters = g_new0(gint64, prog->max_depth + 1);
	t->prog = prog;
	t->pc = 0;
}

static void exec_exec(SimWorld *w, SimTask *t, const SimStmt *st)
{
	sim_interp_started(w, st);
	sim_world_charge(w, w->scn->cost_syscall);
	g_autoptr(GString) closed = g_string_new(NULL);
	gint64 n = close_on_exec(w, t, closed);
	for (int sig = 1; sig < (int)G_N_ELEMENTS(t->sigact); sig++) {
		if (t->sigact[sig] == SIM_SIG_HANDLER)
			t->sigact[sig] = SIM_SIG_DEFAULT;
	}
	t->norestart = 0;
	sim_sigbody_exec(t);
	sim_shm_exit(&w->shmns, &w->shm_maps[t->id], t->id, sim_world_now(w));
	if (w->trace) {
		SimTraceEvent ev;
		sim_interp_call_event_init(&ev, w, SIM_TR_CALL, t, st, NULL, NULL, 0, NULL, -1);
		ev.ret = n;
		ev.text = closed->str;
		sim_world_emit(w, &ev);
	}
	sim_interp_finish(w, t, st, 0, n);
	switch_program(w, t, &w->progs[st->proc.body], st->proc.n_inherit);
	sim_world_wake_all(w, t, NULL); /* a last close: readers see EOF, writers EPIPE */
}

/* ---- Cross-check ---- */

/* The worker does to itself what execve does to what the scenario sees (real_exec.c). */
static gboolean exec_replay(SimReplay *r)
{
	r->c->op = SIM_REAL_EXEC;
	return TRUE;
}

/* ---- Footprint ---- */

/* Closing descriptors reaches what an exit's closing reaches, and the signal actions it
 * resets are the task's own: the end's footprint covers both. */
static void exec_footprint(const SimWorld *w, const SimTask *t, const SimStmt *st,
			   SimFootprint *fp)
{
	(void)st;
	sim_call_fp_self(fp, t, TRUE);
	sim_call_footprint_end(w, t, fp);
}

/* ---- The row ---- */

const SimCallDesc sim_call_exec_rows[] = {
	{ .kind = SIM_STMT_EXEC, .name = "exec", .family = SIM_CALL_PROC, .text_call = exec_text,
	  .text_result = exec_result, .json_result = exec_json, .exec = exec_exec,
	  .parse = exec_parse, .real_name = "execve", .replay = exec_replay,
	  .footprint = exec_footprint },
};
const guint sim_call_exec_n_rows = G_N_ELEMENTS(sim_call_exec_rows);
