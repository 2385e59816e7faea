/* scn_expect_fd.c — expectations on descriptors and pipe holders, read and resolved.
 *
 *   expect PROC fd D mq_flags=nonblock|0      a POSIX queue descriptor's flags
 *   expect pipe [PROC] NAME readers=... writers=...   who holds each end of a pipe
 *   expect pipe "fifo" readers=... writers=...        or of a FIFO
 *
 * The design choice to know: a descriptor or a pipe is named by the body variable the
 * scenario already uses for it (`mq_open ... -> q`, `pipe -> p`), not by a number the run
 * happens to give; the variable is looked up in PROC's body only after the whole file is
 * read (scn_resolve_fd_expects), like every other name, so an expectation may come first.
 */
#include "lang/scn_int.h"

#include <string.h>

#define MQ_NONBLOCK 0x800 /* O_NONBLOCK as mq_getattr's mq_flags shows it */

/* `mq_flags=` value: nonblock (or O_NONBLOCK), 0, or the number 0x800 (2048). */
static gboolean take_mq_flags(Parser *p, gint64 *out)
{
	const Tok *v = tok(p);
	if (is_word(v, "nonblock") || is_word(v, "O_NONBLOCK")) {
		*out = MQ_NONBLOCK;
		advance(p);
		return TRUE;
	}
	if (!is_number_word(v) && !scn_at_value(p))
		return scn_expected(p, "nonblock or 0 after 'mq_flags='");
	if (!scn_take_int(p, "mq_flags", "after 'mq_flags='", 0, G_MAXINT32, out))
		return FALSE;
	if (*out != 0 && *out != MQ_NONBLOCK)
		return scn_fail_tok(p, v, E_MISUSE,
				    "bad mq_flags '%s': mq_getattr shows only O_NONBLOCK (expected "
				    "nonblock, 0x800 or 0)",
				    v->text);
	return TRUE;
}

gboolean scn_parse_mq_flags_expect(Parser *p, SimScnExpect *e, guint index, const Tok *proc)
{
	e->kind = SIM_EXPECT_MQ_FLAGS;
	e->fd = -1;
	e->var_slot = -1;
	scn_add_ref(p, REF_EXPECT_PROC, proc->text, proc->loc, index, 0, "before 'fd'");
	advance(p);
	const Tok *d = tok(p);
	if (is_number_word(d) || scn_at_value(p)) {
		if (!scn_take_int(p, "descriptor", "after 'fd'", 0, G_MAXINT32, &e->fd))
			return FALSE;
	} else if (is_name_word(d)) {
		e->var = g_strdup(d->text);
		e->var_loc = d->loc;
		advance(p);
	} else {
		return scn_expected(p, "a descriptor (a variable or a number) after 'expect %s fd'",
				    proc->text);
	}
	if (!is_word(tok(p), "mq_flags") || !is_char(peek(p, 1), '='))
		return scn_expected(p, "mq_flags=nonblock or mq_flags=0 after the descriptor");
	advance(p);
	advance(p);
	return take_mq_flags(p, &e->mq_flags);
}

gboolean scn_at_pipe_expect(Parser *p)
{
	const Tok *n1 = peek(p, 1);
	if (n1->kind == TOK_STRING)
		return TRUE;
	/* A process named pipe keeps its expectations: received, signal, fd, KEY=. */
	return n1->kind == TOK_WORD && !is_char(peek(p, 2), '=') && !is_word(n1, "received") &&
	       !is_word(n1, "signal") && !is_word(n1, "fd");
}

/* `[P, Q]` or `N` after `readers=` / `writers=`. */
static gboolean take_holders(Parser *p, SimExpectHolders *h, const char *key)
{
	g_autofree char *ctx = g_strdup_printf("after '%s='", key);
	h->given = TRUE;
	if (!is_char(tok(p), '['))
		return scn_take_int(p, "count of processes", ctx, 0, G_MAXINT32, &h->count);
	advance(p);
	h->list = TRUE;
	GPtrArray *names = g_ptr_array_new();
	GArray *locs = g_array_new(FALSE, FALSE, sizeof(SimLoc));
	gboolean ok = TRUE;
	while (ok && !is_char(tok(p), ']')) {
		if (names->len && !is_char(tok(p), ',')) {
			ok = scn_expected(p, "',' or ']' in the list %s", ctx);
			break;
		}
		if (names->len)
			advance(p);
		const Tok *t = tok(p);
		if (!is_name_word(t)) {
			ok = scn_expected(p, "a process name in the list %s", ctx);
			break;
		}
		g_ptr_array_add(names, g_strdup(t->text));
		g_array_append_val(locs, t->loc);
		advance(p);
	}
	if (ok)
		advance(p); /* ']' */
	h->count = names->len;
	g_ptr_array_add(names, NULL);
	h->names = (char **)g_ptr_array_free(names, FALSE);
	h->locs = (SimLoc *)(void *)g_array_free(locs, FALSE);
	return ok;
}

gboolean scn_parse_pipe_expect(Parser *p, SimScnExpect *e, guint index)
{
	e->var_slot = -1;
	e->fd = -1;
	advance(p); /* pipe */
	const Tok *t = tok(p);
	if (t->kind == TOK_STRING) {
		if (!t->text[0])
			return scn_fail_tok(p, t, E_MISUSE, "empty FIFO path after 'expect pipe'");
		e->fifo = g_strdup(t->text);
	} else {
		if (is_name_word(peek(p, 1)) && !is_char(peek(p, 2), '=')) {
			scn_add_ref(p, REF_EXPECT_PROC, t->text, t->loc, index, 0,
				    "before the pipe's variable");
			e->named_proc = TRUE;
			advance(p);
			t = tok(p);
		}
		if (!is_name_word(t))
			return scn_expected(p, "the variable of a 'pipe -> NAME' or a FIFO's "
					       "\"path\" after 'expect pipe'");
		e->var = g_strdup(t->text);
		e->var_loc = t->loc;
	}
	advance(p);
	for (;;) {
		const Tok *k = tok(p);
		gboolean rd = is_word(k, "readers"), wr = is_word(k, "writers");
		if ((!rd && !wr) || !is_char(peek(p, 1), '='))
			break;
		SimExpectHolders *h = rd ? &e->readers : &e->writers;
		if (h->given)
			return scn_fail_tok(p, k, E_SYNTAX, "repeated '%s='", k->text);
		advance(p);
		advance(p);
		if (!take_holders(p, h, rd ? "readers" : "writers"))
			return FALSE;
	}
	if (!e->readers.given && !e->writers.given)
		return scn_expected(p, "readers=[PROC, ...] or writers=N after 'expect pipe %s'",
				    e->fifo ? e->fifo : e->var);
	return TRUE;
}

/* The slot of variable `name` in proc's body, or -1. */
static int body_slot(const SimScnProc *pr, const char *name)
{
	for (guint i = 0; pr->body && i < pr->body->n_vars; i++)
		if (strcmp(pr->body->vars[i].name, name) == 0)
			return (int)i;
	return -1;
}

static gboolean resolve_mq_flags(Parser *p, SimScnExpect *e)
{
	const SimScnProc *pr = &p->scn->procs[e->proc];
	int slot = body_slot(pr, e->var);
	if (slot < 0)
		return scn_fail_at(p, e->var_loc, E_NAME,
				   "process '%s' has no variable '%s' (expected a variable set by "
				   "'mq_open ... -> %s', or a descriptor number)",
				   pr->name, e->var, e->var);
	const SimScnVar *v = &pr->body->vars[slot];
	if (!v->is_int || v->is_pipe)
		return scn_fail_at(p, e->var_loc, E_MISUSE,
				   "variable '%s' of process '%s' holds %s, not a descriptor "
				   "(expected a variable set by 'mq_open ... -> %s')",
				   e->var, pr->name, v->is_pipe ? "a pipe" : "a message", e->var);
	e->var_slot = slot;
	return TRUE;
}

static gboolean resolve_pipe_var(Parser *p, SimScnExpect *e)
{
	const SimScenario *scn = p->scn;
	/* Without PROC: the first process, in declaration order, whose body has it (a forked
	 * child comes after the parent that made the pipe). */
	for (guint i = 0; e->proc < 0 && i < scn->n_procs; i++) {
		int s = body_slot(&scn->procs[i], e->var);
		if (s >= 0 && scn->procs[i].body->vars[s].is_pipe)
			e->proc = (int)i;
	}
	if (e->proc < 0)
		return scn_fail_at(p, e->var_loc, E_NAME,
				   "no process makes a pipe into '%s' (expected the variable of a "
				   "'pipe -> %s', or a FIFO's \"path\")",
				   e->var, e->var);
	const SimScnProc *pr = &scn->procs[e->proc];
	int slot = body_slot(pr, e->var);
	if (slot < 0 || !pr->body->vars[slot].is_pipe)
		return scn_fail_at(p, e->var_loc, E_NAME,
				   "process '%s' makes no pipe into '%s' (expected the variable of "
				   "a 'pipe -> %s' in its body)",
				   pr->name, e->var, e->var);
	e->var_slot = slot;
	return TRUE;
}

static gboolean resolve_holders(Parser *p, SimExpectHolders *h, const char *key)
{
	if (!h->list)
		return TRUE;
	h->procs = g_new0(int, MAX(h->count, 1));
	for (guint i = 0; i < h->count; i++) {
		const NameDef *d = g_hash_table_lookup(p->names, h->names[i]);
		if (!d || d->kind != NAME_PROC)
			return scn_fail_at(p, h->locs[i], E_NAME,
					   "%s '%s' in %s=[...] (expected a process name)",
					   d ? "no process is named" : "unknown process", h->names[i],
					   key);
		for (guint j = 0; j < i; j++)
			if (h->procs[j] == (int)d->index)
				return scn_fail_at(p, h->locs[i], E_MISUSE,
						   "process '%s' is listed twice in %s=[...]",
						   h->names[i], key);
		h->procs[i] = (int)d->index;
	}
	return TRUE;
}

gboolean scn_resolve_fd_expects(Parser *p)
{
	for (guint i = 0; i < p->scn->n_expects; i++) {
		SimScnExpect *e = &p->scn->expects[i];
		if (e->kind == SIM_EXPECT_MQ_FLAGS && e->var && !resolve_mq_flags(p, e))
			return FALSE;
		if (e->kind != SIM_EXPECT_PIPE)
			continue;
		if (e->var && !resolve_pipe_var(p, e))
			return FALSE;
		if (!resolve_holders(p, &e->readers, "readers") ||
		    !resolve_holders(p, &e->writers, "writers"))
			return FALSE;
	}
	return TRUE;
}

static void holders_clear(SimExpectHolders *h)
{
	g_clear_pointer(&h->procs, g_free);
	g_clear_pointer(&h->names, g_strfreev);
	g_clear_pointer(&h->locs, g_free);
}

void scn_expect_fd_clear(SimScnExpect *e)
{
	g_clear_pointer(&e->var, g_free);
	g_clear_pointer(&e->fifo, g_free);
	holders_clear(&e->readers);
	holders_clear(&e->writers);
}
