/* scn_programs.c — a scenario file that judges real programs (`msgsim exec --expect FILE`).
 *
 * Such a file is read by the scenario parser with SimScnOptions.programs set, so its
 * `expect` lines have the scenario language's grammar, errors and meaning:
 *
 *   expect msgrcv received [2 "Zoro" from msgsnd]     a program named by its name,
 *   expect 3 exit=0                                   or by its pid
 *   expect msgrcv calls [msgget ret=0, msgrcv blocked ret=512, msgrcv errno=ENOMSG]
 *   expect msqid=0 qnum=0 removed=yes                 (the msqid= form is any scenario's)
 *
 * The design choice to know: the programs are not declared (a forked child is only known
 * once the run has made it), so a process name the file uses is not looked up but listed:
 * each distinct name becomes one entry of scn->programs, in the order first met, and the
 * expectation's process index is that entry's. msgsim exec finds each entry's program after
 * the run (sim/exec/expect.c). What exec cannot judge on a program (labels, mailboxes,
 * descriptors, semaphores, signals, the forms over all schedules) is refused where it is
 * written, as are declarations other than `param` and `include`.
 */
#include "lang/scn_int.h"

#include <string.h>

/* The calls of the model a program makes, as C names them: what `calls [...]` items name. */
const char *const sim_scn_program_calls[] = {
	"msgget",    "msgsnd",	   "msgrcv",	   "msgctl",	 "mq_open",
	"mq_unlink", "mq_send",	   "mq_timedsend", "mq_receive", "mq_timedreceive",
	"mq_notify", "mq_getattr", "mq_setattr",   NULL,
};

gboolean scn_programs_mode(const Parser *p)
{
	return p->opts && p->opts->programs;
}

/* A pid: a word of digits only (a number word like 0x2a is no pid). */
static gboolean is_pid_word(const Tok *t)
{
	if (t->kind != TOK_WORD || !g_ascii_isdigit(t->text[0]))
		return FALSE;
	for (const char *c = t->text; *c; c++)
		if (!g_ascii_isdigit(*c))
			return FALSE;
	return TRUE;
}

gboolean scn_at_proc_name(const Parser *p, const Tok *t)
{
	return is_name_word(t) || (scn_programs_mode(p) && is_pid_word(t));
}

gboolean scn_take_proc_name(Parser *p, const char *what, char **name, SimLoc *loc)
{
	const Tok *t = tok(p);
	if (!scn_at_proc_name(p, t))
		return scn_expected(p, "%s", what);
	*name = g_strdup(t->text);
	*loc = t->loc;
	advance(p);
	return TRUE;
}

/* The index in scn->programs of the program written `name`, made on first use. */
int scn_program_index(Parser *p, const char *name)
{
	if (!p->programs) {
		p->programs = g_ptr_array_new_with_free_func(g_free);
		p->program_index = g_hash_table_new(g_str_hash, g_str_equal);
	}
	gpointer at = g_hash_table_lookup(p->program_index, name);
	if (at)
		return GPOINTER_TO_INT(at) - 1;
	char *copy = g_strdup(name);
	g_ptr_array_add(p->programs, copy);
	g_hash_table_insert(p->program_index, copy, GINT_TO_POINTER((int)p->programs->len));
	return (int)p->programs->len - 1;
}

void scn_programs_finish(Parser *p, SimScenario *scn)
{
	if (!scn_programs_mode(p))
		return;
	if (!p->programs)
		p->programs = g_ptr_array_new_with_free_func(g_free);
	scn->n_programs = p->programs->len;
	g_ptr_array_add(p->programs, NULL);
	g_ptr_array_set_free_func(p->programs, NULL);
	scn->programs = (char **)g_ptr_array_free(g_steal_pointer(&p->programs), FALSE);
	g_clear_pointer(&p->program_index, g_hash_table_unref);
}

void scn_programs_clear(Parser *p)
{
	g_clear_pointer(&p->program_index, g_hash_table_unref);
	g_clear_pointer(&p->programs, g_ptr_array_unref);
}

gboolean scn_programs_decl(Parser *p, const Tok *t)
{
	if (!scn_programs_mode(p) || is_word(t, "expect") || is_word(t, "param") ||
	    is_word(t, "include"))
		return TRUE;
	return scn_fail_tok(p, t, E_SYNTAX,
			    "expected 'expect' (an expectations file of msgsim exec holds expect "
			    "lines, param and include only: the programs are its processes), "
			    "found '%s'",
			    t->text);
}

/* What exec judges on programs, checked once the expectation at `at` is read. */
gboolean scn_programs_check(Parser *p, const SimScnExpect *e, const Tok *at)
{
	if (!scn_programs_mode(p))
		return TRUE;
	if (e->mode == SIM_EXPECT_POSSIBLE || e->kind == SIM_EXPECT_OUTCOMES)
		return scn_fail_tok(
			p, at, E_MISUSE,
			"expected a plain expectation: msgsim exec judges each run, and "
			"explore --exec reads every line as always (no possible, no "
			"outcomes)");
	const char *what = NULL;
	switch (e->kind) {
	case SIM_EXPECT_LABEL:
	case SIM_EXPECT_ORDER:
		what = "a program's calls have no labels: expect PROG calls [...] checks them";
		break;
	case SIM_EXPECT_STATS:
		if (e->sem)
			what = "semaphores are not served to programs";
		else if (!e->by_key && !e->by_id && !e->mq_name)
			what = "a program's queue is named key=K, msqid=N or \"/name\"";
		break;
	case SIM_EXPECT_SIGNAL:
	case SIM_EXPECT_MQ_FLAGS:
	case SIM_EXPECT_PIPE:
		what = "exec does not count signals nor follow descriptors and pipes";
		break;
	default:
		break;
	}
	if (!what)
		return TRUE;
	return scn_fail_tok(p, at, E_MISUSE,
			    "expected received, exit=, killed=, state=, calls, a queue, deadlock "
			    "or time after 'expect' in an expectations file of msgsim exec: %s",
			    what);
}

/* One item: CALL [blocked] ret=N | CALL [blocked] errno=ENAME [ret=-1]. */
static gboolean take_call(Parser *p, GArray *calls)
{
	const Tok *t = tok(p);
	if (!is_name_word(t))
		return scn_expected(p, "a call (msgget, msgsnd, msgrcv, ...) in the list after "
				       "'calls'");
	if (scn_pick(t->text, sim_scn_program_calls) < 0) {
		g_autofree char *list = scn_either(sim_scn_program_calls);
		g_autofree char *near = scn_did_you_mean(t->text, sim_scn_program_calls);
		return scn_fail_tok(p, t, E_NAME, "unknown call '%s' (expected %s)%s", t->text,
				    list, near);
	}
	SimExpectCall c = { .name = g_strdup(t->text) };
	g_array_append_val(calls, c);
	SimExpectCall *last = &g_array_index(calls, SimExpectCall, calls->len - 1);
	advance(p);
	if (is_word(tok(p), "blocked")) {
		last->blocked = TRUE;
		advance(p);
	}
	if (is_word(tok(p), "errno") && is_char(peek(p, 1), '=')) {
		advance(p);
		advance(p);
		if (!scn_take_errno(p, "after 'errno='", FALSE, &last->err))
			return FALSE;
		last->ret = -1;
		if (!last->err)
			return scn_expected(p, "an error name after 'errno=' (a call's success "
					       "is written ret=N)");
		if (!is_word(tok(p), "ret"))
			return TRUE;
	}
	if (!is_word(tok(p), "ret") || !is_char(peek(p, 1), '='))
		return scn_expected(p, "ret=N or errno=ENAME after '%s'", last->name);
	const Tok *r = tok(p);
	advance(p);
	advance(p);
	gint64 ret = 0;
	if (!scn_take_int(p, "ret", "after 'ret='", G_MININT64, G_MAXINT64, &ret))
		return FALSE;
	if (last->err && ret != -1)
		return scn_fail_tok(p, r, E_MISUSE,
				    "ret=%" G_GINT64_FORMAT " cannot hold with errno=%s: a call "
				    "that fails returns -1",
				    ret, sim_errno_name(last->err));
	last->ret = ret;
	return TRUE;
}

gboolean scn_parse_calls_expect(Parser *p, SimScnExpect *e, guint index, const Tok *proc)
{
	const Tok *word = tok(p);
	if (!scn_programs_mode(p))
		return scn_fail_tok(
			p, word, E_MISUSE,
			"'calls [...]' judges the programs of msgsim exec; a scenario's "
			"call is labelled and checked with expect @LABEL");
	e->kind = SIM_EXPECT_CALLS;
	scn_add_ref(p, REF_EXPECT_PROC, proc->text, proc->loc, index, 0, "before 'calls'");
	advance(p);
	if (!is_char(tok(p), '['))
		return scn_expected(p, "'[' after 'calls'");
	advance(p);
	g_autoptr(GArray) calls = g_array_new(FALSE, TRUE, sizeof(SimExpectCall));
	gboolean ok = TRUE;
	if (is_char(tok(p), ']')) {
		advance(p);
	} else {
		for (;;) {
			if (!(ok = take_call(p, calls)))
				break;
			if (is_char(tok(p), ']')) {
				advance(p);
				break;
			}
			if (!is_char(tok(p), ',')) {
				ok = scn_expected(p, "',' or ']' in the list after 'calls'");
				break;
			}
			advance(p);
		}
	}
	/* The expectation owns the names even on error, so they are freed with it. */
	e->calls = scn_steal_array(&calls, &e->n_calls);
	return ok;
}
