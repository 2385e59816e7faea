/* scn_stmt.c — the statements of a process body, and the texts they carry.
 *
 * One function per statement reads its operands and options into a SimStmt; parse_stmt
 * dispatches on the statement's word (stmt_words, in SimStmtKind order). Names are not
 * looked up here: uses of mailboxes, processes, queues and files are recorded (scn_add_ref)
 * and variables are noted in the body being read (scn_use_var, scn_assign_var), for
 * scn_resolve.c to settle once the body or the whole file has been read.
 *
 * The queue of msgsnd, msgrcv and msgctl is a `sysv queue` name when one has that name, else
 * an integer variable of the body, so it is settled only at the very end. The descriptor
 * operand of the mq_* and file calls is simpler (take_fd): a string is a `posix queue`
 * (looked up at the end), a number is the descriptor itself, a word is an integer variable
 * of the body and `p.r`/`p.w` an end of a pipe variable (both checked when the body ends).
 *
 * `fork NAME { BODY }` declares a process in the middle of another one's body: the child is
 * appended to the processes as soon as its name is read, which puts it right after its parent
 * (and its earlier siblings and their children) without moving any index already handed out.
 * Its body is a body of its own whose variables start as a copy of the parent's slots.
 */
#include "lang/scn_int.h"

#include <signal.h>
#include <string.h>

/* ---- SysV keys and signals ---- */

/* Reads the value of key=: a number (0 is IPC_PRIVATE), `private`, or ftok("PATH", ID). The
 * path of an ftok key names a `file`, looked up when the whole file has been read (`ref`
 * says whose key it is: a msgget statement or a `sysv queue`). */
gboolean scn_take_key(Parser *p, RefKind ref, guint index, SimKey *out)
{
	const Tok *t = tok(p);
	*out = (SimKey){ SIM_KEY_PRIVATE, 0, -1 };
	if (is_word(t, "private")) {
		advance(p);
		return TRUE;
	}
	if (is_word(t, "ftok")) {
		advance(p);
		if (!is_char(tok(p), '('))
			return scn_expected(p, "'(' after 'ftok'");
		advance(p);
		const Tok *path = tok(p);
		if (path->kind != TOK_STRING)
			return scn_expected(p, "a file path in double quotes after 'ftok('");
		advance(p);
		if (!is_char(tok(p), ','))
			return scn_expected(p, "',' after 'ftok(\"%s\"'", path->text);
		advance(p);
		if (!scn_take_int(p, "ftok id", "after 'ftok(\"PATH\",'", 0, 255, &out->value))
			return FALSE;
		if (!is_char(tok(p), ')'))
			return scn_expected(p, "')' after the id of 'ftok(\"%s\", ...'",
					    path->text);
		advance(p);
		out->kind = SIM_KEY_FTOK;
		scn_add_ref(p, ref, path->text, path->loc, index, 0, NULL);
		return TRUE;
	}
	if (is_name_word(t))
		return scn_fail_tok(
			p, t, E_NUMBER,
			"bad key '%s': expected a number, private or ftok(\"PATH\", ID)", t->text);
	if (!is_number_word(t) && !at_negative(p))
		return scn_expected(p, "a number, private or ftok(\"PATH\", ID) after 'key='");
	if (!scn_take_int_in(p, "key", "after 'key='", 0, KEY_MAX,
			     "a key from 0 to 0xffffffff (32 bits)", &out->value))
		return FALSE;
	out->kind = out->value ? SIM_KEY_VALUE : SIM_KEY_PRIVATE;
	return TRUE;
}

/* Reads a signal name such as SIGUSR1. */
gboolean scn_take_signal(Parser *p, const char *ctx, int *out)
{
	const Tok *t = tok(p);
	if (t->kind != TOK_WORD)
		return scn_expected(p, "a signal name like SIGUSR1 %s", ctx);
	*out = sim_scn_signal_from_name(t->text);
	if (*out < 0) {
		g_autofree char *list = scn_either(scn_signal_names);
		return scn_fail_tok(p, t, E_NAME, "unknown signal '%s' (expected %s)", t->text,
				    list);
	}
	advance(p);
	return TRUE;
}

/* ---- Texts ---- */

static void add_lit(GArray *parts, GString *lit)
{
	if (!lit->len)
		return;
	SimTextPart part = { SIM_TEXT_LIT, g_strdup(lit->str), -1 };
	g_array_append_val(parts, part);
	g_string_truncate(lit, 0);
}

static void clear_part(gpointer data)
{
	g_free(((SimTextPart *)data)->lit);
}

static gboolean is_ident_char(char c)
{
	return g_ascii_isalnum(c) || c == '_';
}

/* What follows a '$' in a text, for an error: the character quoted, or "end of text". */
static char *after_dollar(const char *s)
{
	if (!*s)
		return g_strdup("end of text");
	return g_strdup_printf("'%.*s'", (int)scn_char_len(s), s);
}

/* Splits a string into literal parts and $name, ${name}, $name.from, $self, $index parts;
 * $$ is a literal '$'. A text without variables keeps just `literal`. */
static gboolean parse_text(Parser *p, const Tok *t, SimText *out)
{
	const char *s = t->text;
	g_autoptr(GString) lit = g_string_new(NULL);
	g_autoptr(GArray) parts = scn_array_new(sizeof(SimTextPart), clear_part);
	gboolean vars = FALSE;
	for (const char *c = s; *c;) {
		if (*c != '$' || c[1] == '$') {
			g_string_append_c(lit, *c);
			c += *c == '$' ? 2 : 1;
			continue;
		}
		/* The column is exact unless a \ escape comes before the '$'. */
		SimLoc at = { t->loc.line, t->loc.col + 1 + (guint)g_utf8_strlen(s, c - s) };
		gboolean brace = c[1] == '{';
		const char *n = c + (brace ? 2 : 1), *e = n;
		if (g_ascii_isalpha(*e) || *e == '_')
			while (is_ident_char(*e))
				e++;
		if (e == n) {
			g_autofree char *found = after_dollar(n);
			return scn_fail_at(
				p, at, E_SYNTAX,
				brace ? "expected a variable name after '${' in text, found %s"
				      : "expected a variable name, {name} or $ after '$' in "
					"text, found %s",
				found);
		}
		g_autofree char *name = g_strndup(n, (gsize)(e - n));
		gboolean from = g_str_has_prefix(e, ".from") && !is_ident_char(e[5]);
		if (from)
			e += 5;
		if (brace && *e != '}') {
			g_autofree char *found = after_dollar(e);
			return scn_fail_at(p, at, E_SYNTAX,
					   "expected '}' after '${%s%s' in text, found %s", name,
					   from ? ".from" : "", found);
		}
		c = brace ? e + 1 : e;
		SimTextPart part = { SIM_TEXT_VAR, NULL, -1 };
		if (scn_is_builtin(name) && from)
			return scn_fail_at(
				p, at, E_NAME,
				"'$%s.from': '%s' is built in and has no sender ('.from' needs "
				"a message variable)",
				name, name);
		if (strcmp(name, "self") == 0)
			part.kind = SIM_TEXT_SELF;
		else if (strcmp(name, "index") == 0)
			part.kind = SIM_TEXT_INDEX;
		else
			part = (SimTextPart){ from ? SIM_TEXT_VAR_FROM : SIM_TEXT_VAR, NULL,
					      scn_use_var(p, name, at, from, FALSE) };
		add_lit(parts, lit);
		g_array_append_val(parts, part);
		vars = TRUE;
	}
	if (!vars) {
		out->literal = g_string_free(g_steal_pointer(&lit), FALSE);
		return TRUE;
	}
	add_lit(parts, lit);
	out->parts = scn_steal_array(&parts, &out->n_parts);
	return TRUE;
}

static gboolean take_text(Parser *p, const char *ctx, SimText *out)
{
	const Tok *t = tok(p);
	if (t->kind != TOK_STRING)
		return scn_expected(p, "a text in double quotes %s", ctx);
	if (!parse_text(p, t, out))
		return FALSE;
	advance(p);
	return TRUE;
}

/* ---- Statements ---- */

StmtInfo *scn_info_of(Parser *p, guint id)
{
	return &g_array_index(p->stmt_info, StmtInfo, id);
}

/* The offset of a SimStmt field, for the option tables. */
#define ST(field) G_STRUCT_OFFSET(SimStmt, field)
/* The access modes of mq_open and open: exactly one is set once the options are read. */
#define ACCESS_MODES (SIM_O_RDONLY | SIM_O_WRONLY | SIM_O_RDWR | SIM_O_ACCMODE3)

/* The options of one statement being read, and what may come among them. */
typedef struct {
	Opts o;
	int role;	      /* the VarRole of `-> VAR`, or -1: no arrow among the options */
	SimLoc arrow;	      /* where `->` was given; line 0 when it was not */
	const char *text_ctx; /* not NULL: the statement's TEXT may come among the options */
	gboolean text;	      /* the TEXT came */
} StmtOpts;

static gboolean take_stmt_opts(Parser *p, SimStmt *st, StmtOpts *so);

/* to=PROC: the addressed receiver, looked up at the end. */
static gboolean take_to(Parser *p, Opts *o, int k, void *obj)
{
	SimStmt *st = obj;
	g_autofree char *to = NULL;
	SimLoc loc;
	(void)o, (void)k;
	if (!scn_take_name(p, "a process name after 'to='", &to, &loc))
		return FALSE;
	scn_add_ref(p, REF_TO, to, loc, st->id, 0, "after 'to='");
	scn_info_of(p, st->id)->to_loc = loc;
	return TRUE;
}

static const OptSpec send_opts[] = {
	INT_OPT("type", ST(type), 1, G_MAXINT64),
	INT_OPT("prio", ST(prio), 0, G_MAXINT64),
	TAKE_OPT("to", take_to),
	BOOL_OPT("nowait", ST(nowait)),
	OPTS_END,
};

static gboolean parse_send(Parser *p, SimStmt *st)
{
	const Tok *t = tok(p);
	g_autofree char *target = NULL;
	st->ep.loc = t->loc;
	if (is_char(t, '$')) {
		g_autofree char *var = NULL;
		SimLoc loc;
		advance(p);
		if (!scn_take_name(p, "a variable name after 'send $'", &var, &loc))
			return FALSE;
		if (scn_is_builtin(var))
			return scn_fail_at(
				p, t->loc, E_NAME,
				"cannot reply to '$%s': 'send $v' needs a variable set by "
				"'receive ... -> v'",
				var);
		st->ep.kind = SIM_EP_VAR;
		st->ep.index = scn_use_var(p, var, t->loc, TRUE, TRUE);
		target = g_strconcat("$", var, NULL);
	} else if (is_word(t, "any")) {
		return scn_fail_tok(
			p, t, E_MISUSE,
			"cannot send to 'any': it is receive-only (expected a mailbox, port "
			"or process name)");
	} else if (is_name_word(t)) {
		scn_add_ref(p, REF_TARGET, t->text, t->loc, st->id, 0, NULL);
		target = g_strdup(t->text);
		advance(p);
	} else {
		return scn_expected(p, "a mailbox, port or process name after 'send'");
	}
	g_autofree char *ctx = g_strdup_printf("after 'send %s'", target);
	if (!take_text(p, ctx, &st->text))
		return FALSE;
	StmtOpts so = { .o = { .what = "send", .specs = send_opts }, .role = -1 };
	return take_stmt_opts(p, st, &so);
}

static const OptSpec receive_opts[] = {
	BOOL_OPT("nowait", ST(nowait)),
	OPTS_END,
};

static gboolean parse_receive(Parser *p, SimStmt *st)
{
	const Tok *t = tok(p);
	st->ep.loc = t->loc;
	if (is_word(t, "any")) {
		st->ep.kind = SIM_EP_ANY;
	} else if (is_name_word(t)) {
		scn_add_ref(p, REF_SOURCE, t->text, t->loc, st->id, 0, NULL);
	} else {
		return scn_expected(p, "a mailbox, port or process name or 'any' after 'receive'");
	}
	advance(p);
	if (at_arrow(p)) {
		g_autofree char *var = NULL;
		SimLoc loc;
		advance(p);
		advance(p);
		if (!scn_take_name(p, "a variable name after '->'", &var, &loc))
			return FALSE;
		st->var = scn_assign_var(p, var, loc, ROLE_MESSAGE);
		if (st->var < 0)
			return FALSE;
	}
	/* `-> VAR` comes right after the source, not among the options. */
	StmtOpts so = { .o = { .what = "receive", .specs = receive_opts }, .role = -1 };
	return take_stmt_opts(p, st, &so);
}

/* The body of a repeat or loop, one level deeper; `counter` is the repeat's `as` variable. */
static gboolean parse_loop_body(Parser *p, SimStmt *st, const Counter *counter, const char *ctx)
{
	BodyBuilder *b = p->body;
	if (counter->slot >= 0)
		g_array_append_val(b->counters, *counter);
	b->depth++;
	b->max_depth = MAX(b->max_depth, b->depth);
	gboolean ok = scn_parse_block(p, ctx, &st->body);
	b->depth--;
	if (counter->slot >= 0)
		g_array_set_size(b->counters, b->counters->len - 1);
	return ok;
}

static gboolean parse_repeat(Parser *p, SimStmt *st)
{
	Counter counter = { -1, { 0, 0 } };
	if (!scn_take_int(p, "repeat count", "after 'repeat'", 0, G_MAXINT64, &st->count))
		return FALSE;
	if (is_word(tok(p), "as")) {
		g_autofree char *var = NULL;
		advance(p);
		if (!scn_take_name(p, "a variable name after 'as'", &var, &counter.loc))
			return FALSE;
		st->var = scn_assign_var(p, var, counter.loc, ROLE_COUNTER);
		if (st->var < 0)
			return FALSE;
		counter.slot = st->var;
	}
	return parse_loop_body(p, st, &counter, "to start the body of 'repeat'");
}

static gboolean parse_break(Parser *p, SimStmt *st)
{
	if (p->body->depth == 0)
		return scn_fail_at(
			p, st->loc, E_MISUSE,
			"'break' outside a repeat or loop: there is nothing to break out of");
	st->uncond = TRUE;
	if (!is_word(tok(p), "if"))
		return TRUE;
	advance(p);
	st->uncond = FALSE;
	return scn_take_errno(p, "after 'break if'", TRUE, &st->break_err);
}

/* ---- SysV statements ---- */

/* The queue Q of msgsnd, msgrcv and msgctl: a `sysv queue` or an integer variable, which
 * only the whole file can tell (see resolve_queue in scn_resolve.c). */
static gboolean take_queue(Parser *p, SimStmt *st, const char *how)
{
	const Tok *t = tok(p);
	if (!is_name_word(t))
		return scn_expected(
			p, "a SysV queue name or a variable set by 'msgget ... -> v' after '%s'",
			how);
	QueueUse q = { st->id, g_strdup(t->text), t->loc, -1, ROLE_COUNTER, { 0, 0 }, how };
	g_array_append_val(p->body->queues, q);
	st->ep = (SimEndpoint){ SIM_EP_SYSVQ, -1, t->loc, SIM_FD_PLAIN };
	advance(p);
	return TRUE;
}

/* `-> VAR` among the options of msgget and msgrcv, at most once; `seen` is where. */
static gboolean take_arrow(Parser *p, SimStmt *st, VarRole role, SimLoc *seen)
{
	const Tok *arrow = tok(p);
	g_autofree char *var = NULL;
	SimLoc loc;
	if (seen->line)
		return scn_fail_tok(p, arrow, E_SYNTAX, "repeated '->': already given at %u:%u",
				    seen->line, seen->col);
	*seen = arrow->loc;
	advance(p);
	advance(p);
	if (!scn_take_name(p, "a variable name after '->'", &var, &loc))
		return FALSE;
	st->var = scn_assign_var(p, var, loc, role);
	return st->var >= 0;
}

/* The options of a statement as its table says, with what may come among them: `-> VAR`
 * when the statement has one (`role`), and its TEXT when it may come among the options
 * (`text_ctx`), as in `msgsnd q type=2 "x"`, which reads like the C call's struct msgbuf. */
static gboolean take_stmt_opts(Parser *p, SimStmt *st, StmtOpts *so)
{
	for (;;) {
		if (so->role >= 0 && at_arrow(p)) {
			if (!take_arrow(p, st, (VarRole)so->role, &so->arrow))
				return FALSE;
			continue;
		}
		if (so->text_ctx && !so->text && tok(p)->kind == TOK_STRING) {
			if (!take_text(p, so->text_ctx, &st->text))
				return FALSE;
			so->text = TRUE;
			continue;
		}
		int k = scn_take_opt(p, &so->o);
		if (k < 0)
			return k == OPT_END;
		if (!scn_opt_value(p, &so->o, k, st))
			return FALSE;
	}
}

static gboolean take_stmt_key(Parser *p, Opts *o, int k, void *obj)
{
	SimStmt *st = obj;
	(void)o, (void)k;
	return scn_take_key(p, REF_FTOK_STMT, st->id, &st->key);
}

static const OptSpec msgget_opts[] = {
	TAKE_OPT("key", take_stmt_key),
	FLAG_OPT("create", ST(flags), SIM_IPC_CREAT),
	FLAG_OPT("excl", ST(flags), SIM_IPC_EXCL),
	MODE_OPT("perm", ST(perm)),
	OPTS_END,
};

/* msgget key=K|private|ftok("PATH", ID) [create] [excl] [perm=MODE] [-> VAR] */
static gboolean parse_msgget(Parser *p, SimStmt *st)
{
	StmtOpts so = { .o = { .what = "msgget", .specs = msgget_opts }, .role = ROLE_QUEUE };
	if (!take_stmt_opts(p, st, &so))
		return FALSE;
	if (!so.o.seen[0].line)
		return scn_fail_at(p, st->loc, E_SYNTAX,
				   "msgget needs key=K, key=private or key=ftok(\"PATH\", ID)");
	return TRUE;
}

/* Any mtype parses: the kernel's EINVAL for one below 1 is part of the lesson. */
static const OptSpec msgsnd_opts[] = {
	INT_OPT("type", ST(type), G_MININT64, G_MAXINT64),
	INT_OPT("size", ST(size), 0, G_MAXINT64),
	FLAG_OPT("nowait", ST(flags), SIM_IPC_NOWAIT),
	OPTS_END,
};

/* msgsnd Q TEXT [type=N] [size=N] [nowait]; the options may come before the text too. */
static gboolean parse_msgsnd(Parser *p, SimStmt *st)
{
	const Tok *q = tok(p);
	if (!take_queue(p, st, "msgsnd"))
		return FALSE;
	g_autofree char *ctx = g_strdup_printf("after 'msgsnd %s'", q->text);
	StmtOpts so = { .o = { .what = "msgsnd", .specs = msgsnd_opts },
			.role = -1,
			.text_ctx = ctx };
	if (!take_stmt_opts(p, st, &so))
		return FALSE;
	st->nowait = (st->flags & SIM_IPC_NOWAIT) != 0;
	return so.text || take_text(p, ctx, &st->text);
}

static const OptSpec msgrcv_opts[] = {
	INT_OPT("type", ST(type), G_MININT64, G_MAXINT64),
	INT_OPT("size", ST(size), 0, G_MAXINT64),
	FLAG_OPT("nowait", ST(flags), SIM_IPC_NOWAIT),
	FLAG_OPT("except", ST(flags), SIM_MSG_EXCEPT),
	FLAG_OPT("noerror", ST(flags), SIM_MSG_NOERROR),
	OPTS_END,
};

/* msgrcv Q [type=N] [size=N] [nowait] [except] [noerror] [-> VAR] */
static gboolean parse_msgrcv(Parser *p, SimStmt *st)
{
	if (!take_queue(p, st, "msgrcv"))
		return FALSE;
	StmtOpts so = { .o = { .what = "msgrcv", .specs = msgrcv_opts }, .role = ROLE_MESSAGE };
	if (!take_stmt_opts(p, st, &so))
		return FALSE;
	st->nowait = (st->flags & SIM_IPC_NOWAIT) != 0;
	return TRUE;
}

static const OptSpec msgctl_set_opts[] = {
	INT_OPT("qbytes", ST(qbytes), 0, G_MAXINT64),
	MODE_OPT("mode", ST(perm)),
	INT_OPT("uid", ST(set_uid), 0, G_MAXINT64),
	INT_OPT("gid", ST(set_gid), 0, G_MAXINT64),
	OPTS_END,
};

/* msgctl Q stat|rmid|info|msg_info  and  msgctl Q set [qbytes=N] [mode=M] [uid=N] [gid=N] */
static gboolean parse_msgctl(Parser *p, SimStmt *st)
{
	const Tok *q = tok(p);
	if (!take_queue(p, st, "msgctl"))
		return FALSE;
	g_autofree char *ctx = g_strdup_printf("after 'msgctl %s'", q->text);
	const Tok *cmd = tok(p);
	int c = scn_take_choice(p, "msgctl command", ctx, scn_ctl_names);
	if (c < 0)
		return FALSE;
	st->ctl = (SimCtlCmd)c;
	if (st->ctl != SIM_CTL_SET) {
		const Tok *t = tok(p);
		if (t->kind == TOK_WORD && is_char(peek(p, 1), '='))
			return scn_fail_tok(
				p, t, E_SYNTAX,
				"unexpected option '%s' for msgctl %s: only 'msgctl %s set' "
				"takes qbytes=, mode=, uid= and gid=",
				t->text, scn_ctl_names[c], q->text);
		return TRUE;
	}
	Opts o = { .what = "msgctl set", .specs = msgctl_set_opts };
	if (!scn_take_opts(p, &o, st))
		return FALSE;
	if (!o.seen[0].line && !o.seen[1].line && !o.seen[2].line && !o.seen[3].line)
		return scn_fail_tok(
			p, cmd, E_SYNTAX,
			"'msgctl %s set' needs at least one of qbytes=, mode=, uid= or gid=",
			q->text);
	return TRUE;
}

/* ---- Signal statements ---- */

/* kill PROC SIGNAME: the process is the statement's endpoint (SIM_EP_PROC). */
static gboolean parse_kill(Parser *p, SimStmt *st)
{
	g_autofree char *proc = NULL;
	SimLoc loc;
	if (!scn_take_name(p, "a process name after 'kill'", &proc, &loc))
		return FALSE;
	st->ep = (SimEndpoint){ SIM_EP_PROC, -1, loc, SIM_FD_PLAIN };
	scn_add_ref(p, REF_KILL, proc, loc, st->id, 0, "after 'kill'");
	g_autofree char *ctx = g_strdup_printf("after 'kill %s'", proc);
	const Tok *t = tok(p);
	if (!scn_take_signal(p, ctx, &st->sig))
		return FALSE;
	if (st->sig == SIGSTOP || st->sig == SIGCONT)
		return scn_fail_tok(p, t, E_MISUSE, "not supported yet: stopping processes (%s)",
				    t->text);
	return TRUE;
}

/* on SIGNAME handler [norestart] | ignore | default */
static gboolean parse_on(Parser *p, SimStmt *st)
{
	const Tok *t = tok(p);
	if (!scn_take_signal(p, "after 'on'", &st->sig))
		return FALSE;
	if (st->sig == SIGKILL || st->sig == SIGSTOP)
		return scn_fail_tok(p, t, E_MISUSE,
				    "%s cannot be caught or ignored: 'on %s' is not allowed",
				    t->text, t->text);
	g_autofree char *ctx = g_strdup_printf("after 'on %s'", t->text);
	int a = scn_take_choice(p, "signal action", ctx, scn_action_names);
	st->action = (SimSigAction)MAX(a, 0);
	if (a < 0)
		return FALSE;
	const Tok *n = tok(p);
	if (!is_word(n, "norestart"))
		return TRUE;
	if (st->action != SIM_SIG_HANDLER)
		return scn_fail_tok(
			p, n, E_SYNTAX,
			"unexpected 'norestart' after 'on %s %s': only 'handler' takes it (a "
			"handler without SA_RESTART)",
			t->text, scn_action_names[a]);
	st->norestart = TRUE;
	advance(p);
	return TRUE;
}

/* ---- POSIX queue statements ---- */

/* The name of mq_open and mq_unlink: any string, for the kernel to judge (scenarios ask for
 * its answers to "", "noslash" and "/a/b" this way). It may use $ variables like a message
 * ("/reply$index", "$request"): st->text is the template, mq_name the text as written. */
static gboolean take_mq_name(Parser *p, SimStmt *st, const char *how)
{
	const Tok *t = tok(p);
	if (t->kind != TOK_STRING)
		return scn_expected(p, "a queue name in double quotes, like \"/q\", after '%s'",
				    how);
	st->mq_name = g_strdup(t->text);
	if (!parse_text(p, t, &st->text))
		return FALSE;
	advance(p);
	return TRUE;
}

/* The descriptor operand D of the mq_* calls (but mq_open and mq_unlink) and of close, read,
 * write, fcntl and ioctl, `how`:
 *   "/name"  a `posix queue` (mq_* only), looked up when the whole file has been read;
 *   7        the descriptor itself, SIM_EP_FDNUM (0 to FD_MAX);
 *   v        an integer variable of the body, checked when the body ends;
 *   p.r p.w  an end of a pipe variable (GScanner reads word '.' word: all three glued).
 * `ctx`, when not NULL, gets "after 'how D'" for the errors of what follows. */
static gboolean take_fd(Parser *p, SimStmt *st, const char *how, char **ctx)
{
	gboolean mq = g_str_has_prefix(how, "mq_");
	const Tok *t = tok(p), *dot = peek(p, 1), *end = peek(p, 2);
	guint first = p->pos;
	if (t->kind == TOK_STRING && mq) {
		st->ep = (SimEndpoint){ SIM_EP_PQ, -1, t->loc, SIM_FD_PLAIN };
		scn_add_ref(p, REF_POSIXQ, t->text, t->loc, st->id, 0, NULL);
		advance(p);
	} else if (is_number_word(t) && is_char(dot, '.') && dot->glued && end->glued &&
		   end->kind == TOK_WORD) {
		return scn_fail_tok(
			p, t, E_NUMBER,
			"bad descriptor '%s.%s': a descriptor number is a whole number; "
			"only a pipe variable has ends (p.r, p.w)",
			t->text, end->text);
	} else if (is_number_word(t) || at_negative(p)) {
		gint64 fd = 0;
		g_autofree char *after = g_strdup_printf("after '%s'", how);
		if (!scn_take_int_in(p, "descriptor", after, 0, FD_MAX,
				     "a descriptor from 0 to 1048576 (fs.nr_open)", &fd))
			return FALSE;
		st->ep = (SimEndpoint){ SIM_EP_FDNUM, (int)fd, t->loc, SIM_FD_PLAIN };
	} else if (is_name_word(t)) {
		SimFdEnd which = SIM_FD_PLAIN;
		if (is_char(dot, '.') && !dot->glued)
			return scn_expected_at(
				p, dot,
				"a pipe end written %s.r or %s.w, without blanks, after "
				"'%s %s'",
				t->text, t->text, how, t->text);
		if (is_char(dot, '.')) {
			if (!end->glued || !(is_word(end, "r") || is_word(end, "w")))
				return scn_expected_at(
					p, end,
					"r or w right after '%s.' (a pipe end is written "
					"%s.r or %s.w, without blanks)",
					t->text, t->text, t->text);
			which = is_word(end, "r") ? SIM_FD_READ : SIM_FD_WRITE;
		}
		st->ep =
			(SimEndpoint){ SIM_EP_FDVAR, scn_use_fd_var(p, t->text, t->loc, how, which),
				       t->loc, which };
		advance(p);
		if (which != SIM_FD_PLAIN) {
			advance(p);
			advance(p);
		}
	} else if (mq) {
		return scn_expected(
			p,
			"a `posix queue` \"/name\", a variable set by 'mq_open ... -> d' or a "
			"descriptor number after '%s'",
			how);
	} else {
		return scn_expected(
			p,
			"a descriptor after '%s': a variable set by 'open ... -> d', a pipe "
			"end like p.r or p.w, or a number",
			how);
	}
	if (ctx) {
		const Tok *last = &g_array_index(p->toks, Tok, p->pos - 1);
		const Tok *from = &g_array_index(p->toks, Tok, first);
		*ctx = t->kind == TOK_STRING ? g_strdup_printf("after '%s \"%s\"'", how, t->text)
					     : g_strdup_printf("after '%s %.*s'", how,
							       (int)(last->end - from->start),
							       p->src + from->start);
	}
	return TRUE;
}

/* mq_send and mq_receive block or not as their descriptor says (O_NONBLOCK), and read and
 * write take `nonblock`: a `nowait` after them would be a mistake, so it gets an error of its
 * own. */
static gboolean no_nowait(Parser *p, const char *how)
{
	const Tok *t = tok(p);
	if (!is_word(t, "nowait"))
		return TRUE;
	if (!g_str_has_prefix(how, "mq_"))
		return scn_fail_tok(
			p, t, E_SYNTAX,
			"'nowait' is not an option of %s: write 'nonblock' for this call "
			"alone, or 'fcntl D nonblock' for every call on the descriptor",
			how);
	return scn_fail_tok(p, t, E_SYNTAX,
			    "'nowait' is not an option of %s: the call does not block when its "
			    "descriptor is non-blocking ('mq_open ... nonblock' or 'mq_setattr D "
			    "nonblock')",
			    how);
}

/* timeout=T, timeout=bad or deadline=T; a call has one timeout, so not both. */
static gboolean take_timeout(Parser *p, Opts *o, int k, void *obj)
{
	SimStmt *st = obj;
	gboolean deadline = strcmp(o->specs[k].name, "deadline") == 0;
	int other = scn_opt_index(o, deadline ? "timeout" : "deadline");
	const Tok *t = tok(p);
	if (o->seen[other].line)
		return scn_fail_at(
			p, o->seen[k], E_SYNTAX,
			"'%s=' cannot be given with '%s=' (at %u:%u): a call has one timeout",
			o->specs[k].name, o->specs[other].name, o->seen[other].line,
			o->seen[other].col);
	if (is_word(t, "bad") && deadline)
		return scn_fail_tok(
			p, t, E_NUMBER,
			"bad deadline 'bad': a malformed timeout is written timeout=bad");
	if (is_word(t, "bad")) {
		st->timeout = SIM_TIMEOUT_INVALID;
		advance(p);
		return TRUE;
	}
	st->timeout = deadline ? SIM_TIMEOUT_ABSOLUTE : SIM_TIMEOUT_RELATIVE;
	return scn_take_time(p, deadline ? "after 'deadline='" : "or bad after 'timeout='",
			     &st->timeout_at);
}

/* Any mq_attr parses, 0 and negative ones too: the kernel's EINVAL is a lesson. */
static const OptSpec mq_open_opts[] = {
	FLAG_OPT("create", ST(flags), SIM_O_CREAT),
	FLAG_OPT("excl", ST(flags), SIM_O_EXCL),
	ACCESS_OPT("rdonly", ST(flags), SIM_O_RDONLY),
	ACCESS_OPT("wronly", ST(flags), SIM_O_WRONLY),
	ACCESS_OPT("rdwr", ST(flags), SIM_O_RDWR),
	ACCESS_OPT("wronly_rdwr", ST(flags), SIM_O_ACCMODE3),
	FLAG_OPT("nonblock", ST(flags), SIM_O_NONBLOCK),
	MODE_OPT("perm", ST(perm)),
	INT_OPT("maxmsg", ST(maxmsg), G_MININT64, G_MAXINT64),
	INT_OPT("msgsize", ST(msgsize), G_MININT64, G_MAXINT64),
	OPTS_END,
};
enum { MQ_OPEN_MAXMSG = 8, MQ_OPEN_MSGSIZE = 9 };

/* mq_open "NAME" [create] [excl] [rdonly|wronly|rdwr|wronly_rdwr] [nonblock] [perm=MODE]
 * [maxmsg=N msgsize=N] [-> VAR], the options and `-> VAR` in any order. */
static gboolean parse_mq_open(Parser *p, SimStmt *st)
{
	if (!take_mq_name(p, st, "mq_open"))
		return FALSE;
	StmtOpts so = { .o = { .what = "mq_open", .specs = mq_open_opts }, .role = ROLE_FD };
	if (!take_stmt_opts(p, st, &so))
		return FALSE;
	if (!(st->flags & ACCESS_MODES))
		st->flags |= SIM_O_RDONLY; /* O_RDONLY is 0 in C: what no access word means */
	/* maxmsg and msgsize are the two fields of one struct mq_attr: both or neither. */
	SimLoc max = so.o.seen[MQ_OPEN_MAXMSG], size = so.o.seen[MQ_OPEN_MSGSIZE];
	if (!max.line != !size.line)
		return scn_fail_at(p, max.line ? max : size, E_SYNTAX,
				   "%s= needs %s= too: they are mq_open's struct mq_attr, given "
				   "both or not at all",
				   max.line ? "maxmsg" : "msgsize",
				   max.line ? "msgsize" : "maxmsg");
	if (max.line && st->maxmsg == -1 && st->msgsize == -1)
		return scn_fail_at(
			p, max, E_NUMBER,
			"maxmsg=-1 msgsize=-1 cannot be told from no mq_attr at all (the "
			"defaults): for the kernel's EINVAL give a value below 1 other "
			"than -1, like maxmsg=0");
	return TRUE;
}

/* Any prio parses: the kernel's EINVAL from MQ_PRIO_MAX (32768) up is a lesson. */
static const OptSpec mq_send_opts[] = {
	INT_OPT("prio", ST(prio), 0, G_MAXINT64),
	INT_OPT("size", ST(size), 0, G_MAXINT64),
	TAKE_OPT("timeout", take_timeout),
	TAKE_OPT("deadline", take_timeout),
	OPTS_END,
};

/* mq_send D TEXT [prio=N] [size=N] [timeout=T|timeout=bad|deadline=T] */
static gboolean parse_mq_send(Parser *p, SimStmt *st)
{
	g_autofree char *ctx = NULL;
	if (!take_fd(p, st, "mq_send", &ctx) || !take_text(p, ctx, &st->text))
		return FALSE;
	StmtOpts so = { .o = { .what = "mq_send", .specs = mq_send_opts }, .role = -1 };
	return take_stmt_opts(p, st, &so) && no_nowait(p, "mq_send");
}

static const OptSpec mq_receive_opts[] = {
	INT_OPT("size", ST(size), 0, G_MAXINT64),
	TAKE_OPT("timeout", take_timeout),
	TAKE_OPT("deadline", take_timeout),
	OPTS_END,
};

/* mq_receive D [size=N] [timeout=T|timeout=bad|deadline=T] [-> VAR] */
static gboolean parse_mq_receive(Parser *p, SimStmt *st)
{
	if (!take_fd(p, st, "mq_receive", NULL))
		return FALSE;
	StmtOpts so = { .o = { .what = "mq_receive", .specs = mq_receive_opts },
			.role = ROLE_MESSAGE };
	return take_stmt_opts(p, st, &so) && no_nowait(p, "mq_receive");
}

/* mq_setattr D nonblock|block: sets or clears O_NONBLOCK, the only flag it changes. */
static gboolean parse_mq_setattr(Parser *p, SimStmt *st)
{
	static const char *const modes[] = { "nonblock", "block", NULL };
	g_autofree char *ctx = NULL;
	if (!take_fd(p, st, "mq_setattr", &ctx))
		return FALSE;
	int m = scn_take_choice(p, "mq_setattr flag", ctx, modes);
	st->flags = m == 0 ? SIM_O_NONBLOCK : 0;
	return m >= 0;
}

/* mq_notify D signal=SIGNAME|none|off */
static gboolean parse_mq_notify(Parser *p, SimStmt *st)
{
	g_autofree char *ctx = NULL;
	if (!take_fd(p, st, "mq_notify", &ctx))
		return FALSE;
	const Tok *t = tok(p);
	if (is_word(t, "none") || is_word(t, "off")) {
		st->notify = is_word(t, "none") ? SIM_NOTIFY_NONE : SIM_NOTIFY_OFF;
		advance(p);
		return TRUE;
	}
	if (!is_word(t, "signal"))
		return scn_expected(p, "signal=SIGNAME, none or off %s", ctx);
	if (!is_char(peek(p, 1), '='))
		return scn_expected_at(p, peek(p, 1), "'=' after 'signal'");
	advance(p);
	advance(p);
	const Tok *sig = tok(p);
	st->notify = SIM_NOTIFY_SIGNAL;
	if (!scn_take_signal(p, "after 'signal='", &st->sig))
		return FALSE;
	if (st->sig == SIGSTOP || st->sig == SIGCONT)
		return scn_fail_tok(p, sig, E_MISUSE, "not supported yet: stopping processes (%s)",
				    sig->text);
	return TRUE;
}

/* ---- Pipes, FIFOs and processes ---- */

static const OptSpec pipe_opts[] = {
	FLAG_OPT("nonblock", ST(flags), SIM_O_NONBLOCK),
	OPTS_END,
};

/* pipe [nonblock] -> VAR: the variable is required, since it is the only way to the ends. */
static gboolean parse_pipe(Parser *p, SimStmt *st)
{
	StmtOpts so = { .o = { .what = "pipe", .specs = pipe_opts }, .role = ROLE_PIPE };
	if (!take_stmt_opts(p, st, &so))
		return FALSE;
	if (is_word(tok(p), "nowait"))
		return scn_fail_tok(
			p, tok(p), E_SYNTAX,
			"'nowait' is not an option of pipe: write 'nonblock' (O_NONBLOCK on "
			"both ends)");
	if (!so.arrow.line)
		return scn_expected(p, "'-> VAR' after 'pipe' (a pipe needs a variable for its "
				       "ends, VAR.r and VAR.w)");
	return TRUE;
}

/* `nonblock` is this call's own O_NONBLOCK; `nowait` mirrors it. */
static const OptSpec read_write_opts[] = {
	INT_OPT("size", ST(size), 0, G_MAXINT64),
	BOOL_OPT("nonblock", ST(nowait)),
	OPTS_END,
};

/* read D [size=N] [nonblock] [-> VAR] */
static gboolean parse_read(Parser *p, SimStmt *st)
{
	if (!take_fd(p, st, "read", NULL))
		return FALSE;
	StmtOpts so = { .o = { .what = "read", .specs = read_write_opts }, .role = ROLE_MESSAGE };
	return take_stmt_opts(p, st, &so) && no_nowait(p, "read");
}

/* write D TEXT [size=N] [nonblock]  or  write D size=N [nonblock]; the text may come among
 * the options, as in msgsnd. */
static gboolean parse_write(Parser *p, SimStmt *st)
{
	g_autofree char *ctx = NULL;
	if (!take_fd(p, st, "write", &ctx))
		return FALSE;
	StmtOpts so = { .o = { .what = "write", .specs = read_write_opts },
			.role = -1,
			.text_ctx = ctx };
	if (!take_stmt_opts(p, st, &so) || !no_nowait(p, "write"))
		return FALSE;
	if (!so.text && !so.o.seen[0].line)
		return scn_expected(p, "a text in double quotes or size=N %s", ctx);
	return TRUE;
}

/* fcntl D getpipe_sz | setpipe_sz=N | nonblock | block: one command, in SimFcntlCmd order. */
static gboolean parse_fcntl(Parser *p, SimStmt *st)
{
	static const char *const cmds[] = { "getpipe_sz", "setpipe_sz", "nonblock", "block", NULL };
	static const char *const list = "getpipe_sz, setpipe_sz=N, nonblock or block";
	g_autofree char *ctx = NULL;
	if (!take_fd(p, st, "fcntl", &ctx))
		return FALSE;
	const Tok *t = tok(p), *eq = peek(p, 1);
	if (t->kind != TOK_WORD)
		return scn_expected(p, "%s %s", list, ctx);
	int c = scn_pick(t->text, cmds);
	if (is_word(t, "fionread"))
		return scn_fail_tok(
			p, t, E_SYNTAX,
			"'fionread' is a request of ioctl, not a command of fcntl: write "
			"'ioctl D fionread'");
	if (c < 0)
		return scn_fail_tok(p, t, E_SYNTAX, "bad fcntl command '%s': expected %s", t->text,
				    list);
	st->fcntl = (SimFcntlCmd)c;
	if (st->fcntl == SIM_FCNTL_SETPIPE_SZ && !is_char(eq, '='))
		return scn_expected_at(p, eq, "'=' after 'setpipe_sz'");
	if (st->fcntl != SIM_FCNTL_SETPIPE_SZ && is_char(eq, '='))
		return scn_fail_tok(p, eq, E_SYNTAX, "unexpected '=' after '%s': it takes no value",
				    t->text);
	advance(p);
	if (st->fcntl == SIM_FCNTL_SETPIPE_SZ) {
		advance(p);
		/* Any size parses: the kernel's EINVAL for a bad one is part of the lesson. */
		if (!scn_take_int(p, "setpipe_sz", "after 'setpipe_sz='", G_MININT64, G_MAXINT64,
				  &st->size))
			return FALSE;
	}
	const Tok *again = tok(p);
	if (again->kind == TOK_WORD && scn_pick(again->text, cmds) >= 0)
		return scn_fail_tok(
			p, again, E_SYNTAX,
			"a second fcntl command '%s' (after '%s' at %u:%u): fcntl takes one "
			"of %s",
			again->text, cmds[c], t->loc.line, t->loc.col, list);
	return TRUE;
}

/* ioctl D fionread */
static gboolean parse_ioctl(Parser *p, SimStmt *st)
{
	g_autofree char *ctx = NULL;
	if (!take_fd(p, st, "ioctl", &ctx))
		return FALSE;
	const Tok *t = tok(p);
	if (t->kind != TOK_WORD)
		return scn_expected(p, "fionread %s", ctx);
	if (!is_word(t, "fionread"))
		return scn_fail_tok(p, t, E_SYNTAX, "bad ioctl request '%s': expected fionread",
				    t->text);
	st->fcntl = SIM_FCNTL_FIONREAD;
	advance(p);
	return TRUE;
}

/* fork NAME { BODY }. The child is appended to the processes here, so it follows its parent
 * (and the children forked before it, with theirs) without moving any index handed out so
 * far; it copies the parent's declared options, and its body starts with the parent's
 * variable slots as they are now. */
static gboolean parse_fork(Parser *p, SimStmt *st)
{
	BodyBuilder *b = p->body;
	g_autofree char *name = NULL;
	SimLoc loc;
	if (b->n_procs > 1)
		return scn_fail_at(
			p, st->loc, E_MISUSE,
			"'fork' in replicated process '%s[%u]': each fork names one child, "
			"and %u replicas cannot all make it (expected fork in a process "
			"that is not replicated)",
			b->name, b->n_procs, b->n_procs);
	if (b->depth > 0)
		return scn_fail_at(
			p, st->loc, E_MISUSE,
			"'fork' inside a repeat or loop: each fork names one child, so it "
			"runs at most once (expected it outside every repeat and loop)");
	if (!scn_take_name(p, "a process name after 'fork'", &name, &loc) ||
	    !scn_not_reserved(p, name, loc, "process"))
		return FALSE;
	/* The child gets a copy of each slot, so each must have its value by now. A fork is
	 * in no loop, so what is written before it has run before it. */
	for (guint i = 0; i < b->vars->len; i++) {
		const VarInfo *v = &g_array_index(b->vars, VarInfo, i);
		if (!v->assigned)
			return scn_fail_at(
				p, v->use_loc, E_NAME,
				"variable '%s' is used before 'fork %s' (at %u:%u) but not "
				"set before it: the child starts with a copy of the "
				"variables set before the fork",
				v->name, name, st->loc.line, st->loc.col);
	}
	guint index = p->procs->len;
	if (index + 1 > SIM_SCN_MAX_PROCS)
		return scn_fail_at(
			p, loc, SIM_SCN_ERROR_LIMIT,
			"too many processes: 'fork %s' makes one more than %d (a scenario "
			"may have at most %d, replicas and forked children included)",
			name, SIM_SCN_MAX_PROCS, SIM_SCN_MAX_PROCS);
	/* Each child copies every slot of its parent, so forks times variables could grow
	 * much faster than the file: the copies are counted and capped. */
	if (b->vars->len > SIM_SCN_MAX_SLOTS - p->n_slots)
		return scn_fail_at(
			p, loc, SIM_SCN_ERROR_LIMIT,
			"too many copied variables: 'fork %s' copies the %u variables of "
			"'%s', and forked children may hold at most %d copies in all",
			name, b->vars->len, b->name, SIM_SCN_MAX_SLOTS);
	p->n_slots += b->vars->len;
	SimScnProc child = g_array_index(p->procs, SimScnProc, b->proc);
	child.name = g_strdup(name);
	child.loc = loc;
	child.start = SIM_START_FORK;
	child.start_time = 0;
	child.start_after = -1;
	child.parent = (int)b->proc;
	child.replica = 0;
	child.body = NULL;
	g_array_append_val(p->procs, child);
	if (!scn_declare(p, name, loc, NAME_PROC, index))
		return FALSE;
	st->ep = (SimEndpoint){ SIM_EP_PROC, (int)index, loc, SIM_FD_PLAIN };
	st->n_inherit = b->vars->len;
	g_array_append_val(b->forks, index);
	g_autofree char *ctx = g_strdup_printf("to start the body of 'fork %s'", name);
	SimScnBody *body = scn_parse_body(p, ctx, index, 1, name, b);
	if (!body)
		return FALSE;
	g_array_index(p->procs, SimScnProc, index).body = body;
	return TRUE;
}

/* wait NAME [-> VAR]: NAME is checked against the body's forks when the body ends. */
static gboolean parse_wait(Parser *p, SimStmt *st)
{
	WaitUse w = { st->id, NULL, { 0, 0 } };
	SimLoc arrow = { 0, 0 };
	if (!scn_take_name(p, "a child process name after 'wait'", &w.name, &w.loc))
		return FALSE;
	st->ep = (SimEndpoint){ SIM_EP_PROC, -1, w.loc, SIM_FD_PLAIN };
	g_array_append_val(p->body->waits, w);
	return !at_arrow(p) || take_arrow(p, st, ROLE_STATUS, &arrow);
}

/* The PATH of mkfifo, open and unlink: any string, for the file system to judge; it may use
 * $ variables like a message ("/tmp/fifo$index"). st->text holds it. */
static gboolean take_path(Parser *p, SimStmt *st, const char *how)
{
	const Tok *t = tok(p);
	if (t->kind != TOK_STRING)
		return scn_expected(p, "a path in double quotes, like \"/tmp/fifo\", after '%s'",
				    how);
	if (!parse_text(p, t, &st->text))
		return FALSE;
	advance(p);
	return TRUE;
}

static const OptSpec mkfifo_opts[] = {
	MODE_OPT("perm", ST(perm)),
	OPTS_END,
};

/* mkfifo PATH [perm=MODE] */
static gboolean parse_mkfifo(Parser *p, SimStmt *st)
{
	if (!take_path(p, st, "mkfifo"))
		return FALSE;
	StmtOpts so = { .o = { .what = "mkfifo", .specs = mkfifo_opts }, .role = -1 };
	return take_stmt_opts(p, st, &so);
}

static const OptSpec open_opts[] = {
	ACCESS_OPT("rdonly", ST(flags), SIM_O_RDONLY),
	ACCESS_OPT("wronly", ST(flags), SIM_O_WRONLY),
	ACCESS_OPT("rdwr", ST(flags), SIM_O_RDWR),
	FLAG_OPT("nonblock", ST(flags), SIM_O_NONBLOCK),
	OPTS_END,
};

/* open PATH [rdonly|wronly|rdwr] [nonblock] [-> VAR], the options and `-> VAR` in any order. */
static gboolean parse_open(Parser *p, SimStmt *st)
{
	if (!take_path(p, st, "open"))
		return FALSE;
	StmtOpts so = { .o = { .what = "open", .specs = open_opts }, .role = ROLE_FD };
	if (!take_stmt_opts(p, st, &so))
		return FALSE;
	if (!(st->flags & ACCESS_MODES))
		st->flags |= SIM_O_RDONLY; /* O_RDONLY is 0 in C: what no access word means */
	const Tok *t = tok(p);
	if (is_word(t, "create") || is_word(t, "excl"))
		return scn_fail_tok(
			p, t, E_SYNTAX,
			"'%s' is not an option of open: it opens a FIFO that exists (make one "
			"with 'mkfifo PATH')",
			t->text);
	return TRUE;
}

/* ipcs [-p|-t|-l] */
static gboolean parse_ipcs(Parser *p, SimStmt *st)
{
	static const char *const views[] = { "p", "t", "l", NULL };
	const Tok *dash = tok(p), *t = peek(p, 1);
	if (!is_char(dash, '-'))
		return TRUE;
	if (t->kind != TOK_WORD || !t->glued)
		return scn_expected_at(p, t, "p, t or l right after the '-' of 'ipcs -'");
	if (scn_pick(t->text, views) < 0)
		return scn_fail_tok(p, dash, E_SYNTAX,
				    "bad ipcs option '-%s': expected -p, -t or -l", t->text);
	st->view = t->text[0];
	advance(p);
	advance(p);
	return TRUE;
}

/* A word that is not a statement: say what it is, since a missing '}' is the usual cause
 * of a declaration showing up here. */
static gboolean bad_stmt(Parser *p, const Tok *t, SimLoc open)
{
	if (scn_pick(t->text, scn_decl_words) >= 0)
		return scn_fail_tok(
			p, t, E_SYNTAX,
			"'%s' starts a declaration, not a statement: is the '}' for the '{' "
			"at %u:%u missing?",
			t->text, open.line, open.col);
	g_autofree char *list = scn_either(scn_stmt_words);
	return scn_fail_tok(p, t, E_SYNTAX, "unknown statement '%s' (expected %s)", t->text, list);
}

static gboolean add_label(Parser *p, const char *label, SimLoc loc, guint id)
{
	const LabelDef *old = g_hash_table_lookup(p->labels, label);
	if (old)
		return scn_fail_at(p, loc, E_NAME,
				   "duplicate label '%s': already declared at %u:%u", label,
				   old->loc.line, old->loc.col);
	LabelDef *d = g_new(LabelDef, 1);
	*d = (LabelDef){ id, loc };
	g_hash_table_insert(p->labels, g_strdup(label), d);
	return TRUE;
}

/* ---- The statement table ---- */

/* The statements that are a word and one operand. */
static gboolean parse_compute(Parser *p, SimStmt *st)
{
	return scn_take_time(p, "after 'compute'", &st->duration);
}

static gboolean parse_sleep(Parser *p, SimStmt *st)
{
	return scn_take_time(p, "after 'sleep'", &st->duration);
}

static gboolean parse_print(Parser *p, SimStmt *st)
{
	return take_text(p, "after 'print'", &st->text);
}

static gboolean parse_exit(Parser *p, SimStmt *st)
{
	return !(is_number_word(tok(p)) || at_negative(p)) ||
	       scn_take_int(p, "exit status", "after 'exit'", 0, 255, &st->count);
}

static gboolean parse_loop(Parser *p, SimStmt *st)
{
	return parse_loop_body(p, st, &(Counter){ -1, { 0, 0 } }, "to start the body of 'loop'");
}

static gboolean parse_mq_getattr(Parser *p, SimStmt *st)
{
	return take_fd(p, st, "mq_getattr", NULL);
}

static gboolean parse_mq_close(Parser *p, SimStmt *st)
{
	return take_fd(p, st, "mq_close", NULL);
}

static gboolean parse_mq_unlink(Parser *p, SimStmt *st)
{
	return take_mq_name(p, st, "mq_unlink");
}

static gboolean parse_close(Parser *p, SimStmt *st)
{
	return take_fd(p, st, "close", NULL);
}

static gboolean parse_unlink(Parser *p, SimStmt *st)
{
	return take_path(p, st, "unlink");
}

/* The reader of each statement, in SimStmtKind order (the order of scn_stmt_words). */
static gboolean (*const stmt_readers[])(Parser *p, SimStmt *st) = {
	parse_send,	  parse_receive,   parse_compute,  parse_sleep,	     parse_print,
	parse_exit,	  parse_repeat,	   parse_loop,	   parse_break,	     parse_msgget,
	parse_msgsnd,	  parse_msgrcv,	   parse_msgctl,   parse_kill,	     parse_on,
	parse_ipcs,	  parse_mq_open,   parse_mq_send,  parse_mq_receive, parse_mq_getattr,
	parse_mq_setattr, parse_mq_notify, parse_mq_close, parse_mq_unlink,  parse_pipe,
	parse_close,	  parse_read,	   parse_write,	   parse_fcntl,	     parse_ioctl,
	parse_fork,	  parse_wait,	   parse_mkfifo,   parse_open,	     parse_unlink,
};
G_STATIC_ASSERT(G_N_ELEMENTS(stmt_readers) == SIM_STMT_UNLINK + 1);

/* A statement of `kind` at `t`, with every field at its default. */
static void stmt_init(Parser *p, SimStmt *st, SimStmtKind kind, const Tok *t)
{
	st->kind = kind;
	st->loc = t->loc;
	st->id = p->n_stmts++;
	st->ep = (SimEndpoint){ SIM_EP_MBOX, -1, { 0, 0 }, SIM_FD_PLAIN };
	st->type = kind == SIM_STMT_MSGRCV ? 0 : 1;
	st->to = -1;
	st->var = -1;
	st->key = (SimKey){ SIM_KEY_PRIVATE, 0, -1 };
	st->perm = kind == SIM_STMT_MSGCTL    ? -1
		   : kind == SIM_STMT_MQ_OPEN ? 0600
		   : kind == SIM_STMT_MKFIFO  ? FIFO_MODE
					      : 0;
	st->size = kind == SIM_STMT_READ ? READ_SIZE : -1;
	st->maxmsg = -1;
	st->msgsize = -1;
	st->timeout = SIM_TIMEOUT_NONE;
	st->qbytes = -1;
	st->set_uid = -1;
	st->set_gid = -1;
	st->view = 'q';
}

/* One statement with its optional label, appended to `into`; `open` is the enclosing '{'. */
static gboolean parse_stmt(Parser *p, GArray *into, SimLoc open)
{
	g_auto(SimStmt) st = { 0 };
	const Tok *t = tok(p);
	if (is_char(t, '@')) {
		SimLoc name_loc;
		st.label_loc = t->loc;
		advance(p);
		if (!scn_take_name(p, "a label name after '@'", &st.label, &name_loc))
			return FALSE;
		t = tok(p);
		if (t->kind != TOK_WORD)
			return scn_expected(p, "a statement after the label '@%s'", st.label);
	}
	if (t->kind != TOK_WORD)
		return scn_expected(p, "a statement or '}'");
	int kind = scn_pick(t->text, scn_stmt_words);
	if (kind < 0)
		return bad_stmt(p, t, open);
	stmt_init(p, &st, (SimStmtKind)kind, t);
	StmtInfo info = { p->body->index, { 0, 0 } };
	g_array_append_val(p->stmt_info, info);
	if (st.label && !add_label(p, st.label, st.label_loc, st.id))
		return FALSE;
	advance(p);
	if (!stmt_readers[kind](p, &st))
		return FALSE;
	g_array_append_val(into, st);
	st = (SimStmt){ 0 }; /* the block owns it now */
	return TRUE;
}

/* The statements of a block up to its '}', which it consumes; `open` is where its '{' is. */
static gboolean parse_stmts(Parser *p, SimLoc open, SimBlock *out)
{
	g_autoptr(GArray) stmts = scn_array_new(sizeof(SimStmt), scn_clear_stmt);
	while (!is_char(tok(p), '}')) {
		if (tok(p)->kind == TOK_EOF)
			return scn_fail_at(p, open, E_SYNTAX,
					   "unterminated block: '{' at %u:%u has no matching '}'",
					   open.line, open.col);
		if (!parse_stmt(p, stmts, open))
			return FALSE;
	}
	advance(p);
	out->stmts = scn_steal_array(&stmts, &out->n_stmts);
	return TRUE;
}

/* '{' STATEMENTS '}'; `ctx` says what the '{' starts, for the error when it is missing. */
gboolean scn_parse_block(Parser *p, const char *ctx, SimBlock *out)
{
	const Tok *open = tok(p);
	if (!is_char(open, '{'))
		return scn_expected(p, "'{' %s", ctx);
	/* Blocks nest by recursion, here and in every pass over the statements; the cap keeps
	 * all of them far from the end of the stack. */
	if (p->depth >= SIM_SCN_MAX_DEPTH)
		return scn_fail_at(
			p, open->loc, SIM_SCN_ERROR_LIMIT,
			"blocks nested too deeply: at most %d may be open at once (process, "
			"fork, repeat and loop bodies each count one)",
			SIM_SCN_MAX_DEPTH);
	advance(p);
	p->depth++;
	gboolean ok = parse_stmts(p, open->loc, out);
	p->depth--;
	return ok;
}
