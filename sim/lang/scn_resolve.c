/* scn_resolve.c — names, body variables, and the checks made once everything is read.
 *
 * The design choice a reader must know: nothing is looked up while a declaration is being
 * parsed. Names of mailboxes, ports, processes and SysV queues, labels, and the file paths of
 * ftok keys are recorded with where they were used (scn_add_ref) and resolved only after the
 * whole file has been read (scn_finish); variables named in texts and operands are checked
 * when their whole process body has been read (scn_finish_vars). That is what lets a
 * scenario use a name before it declares it. The queue of msgsnd, msgrcv and msgctl needs
 * both: it is a `sysv queue` name when one has that name, else an integer variable of the
 * body (scn_resolve_queue). The checks that need the whole scenario come last: queues
 * against the sysctl limits here, then each statement's own through its call's resolve hook
 * (call.h: to= against deliver=, who may receive on a port); the statements get indexed by
 * id on the way.
 */
#include "lang/scn_int.h"

#include "msgsim/calls/call.h"

#include <string.h>

/* "variable 'v' already holds a descriptor": what a variable of each role does, and to do. */
static const char *const role_does[] = { "counts a repeat",	 "holds a received message",
					 "holds a queue id",	 "holds a descriptor",
					 "holds a pipe",	 "holds an exit status",
					 "holds a number (let)", "holds an IPC_STAT result" };
static const char *const role_to_do[] = { "count a repeat",	 "hold a received message",
					  "hold a queue id",	 "hold a descriptor",
					  "hold a pipe",	 "hold an exit status",
					  "hold a number (let)", "hold an IPC_STAT result" };
G_STATIC_ASSERT(G_N_ELEMENTS(role_does) == ROLE_STAT + 1 &&
		G_N_ELEMENTS(role_to_do) == ROLE_STAT + 1);

/* ---- Names ---- */

gboolean scn_not_reserved(Parser *p, const char *name, SimLoc loc, const char *what)
{
	if (scn_pick(name, scn_reserved_words) < 0)
		return TRUE;
	return scn_fail_at(p, loc, E_NAME, "'%s' is a reserved word: it cannot name a %s", name,
			   what);
}

/* A parameter's name stands for its value wherever a number is read, so nothing else may
 * have it. */
static gboolean not_param(Parser *p, const char *name, SimLoc loc)
{
	const SimScnParam *prm = scn_find_param(p, name);
	if (!prm)
		return TRUE;
	return scn_fail_at(p, loc, E_NAME,
			   "'%s' is the parameter declared at %u:%u: it cannot name anything else",
			   name, prm->loc.line, prm->loc.col);
}

gboolean scn_declare(Parser *p, const char *name, SimLoc loc, NameKind kind, guint index)
{
	if (!not_param(p, name, loc))
		return FALSE;
	const NameDef *old = g_hash_table_lookup(p->names, name);
	if (old)
		return scn_fail_at(p, loc, E_NAME, "duplicate name '%s': already declared at %u:%u",
				   name, old->loc.line, old->loc.col);
	NameDef *d = g_new(NameDef, 1);
	*d = (NameDef){ kind, index, loc };
	g_hash_table_insert(p->names, g_strdup(name), d);
	return TRUE;
}

/* A task that starts from the one whose body is being read (a fork's child or an mq_notify
 * thread, start SIM_START_FORK; a thread, SIM_START_THREAD): its declaration, at procs
 * index `index`, which the caller has checked against the limits; its body is read
 * afterwards. */
gboolean scn_declare_child(Parser *p, const char *name, SimLoc loc, guint index,
			   SimStartKind start)
{
	BodyBuilder *b = p->body;
	SimScnProc child = g_array_index(p->procs, SimScnProc, b->proc);
	child.name = g_strdup(name);
	child.loc = loc;
	child.start = start;
	child.start_time = 0;
	child.start_after = -1;
	child.parent = (int)b->proc;
	child.replica = 0;
	child.body = NULL;
	g_array_append_val(p->procs, child);
	return scn_declare(p, name, loc, NAME_PROC, index);
}

void scn_add_ref(Parser *p, RefKind kind, const char *name, SimLoc loc, guint index, guint sub,
		 const char *ctx)
{
	Ref r = { kind, g_strdup(name), loc, index, sub, ctx };
	g_array_append_val(p->refs, r);
}

/* ---- Variables ---- */

gboolean scn_is_builtin(const char *name)
{
	return strcmp(name, "self") == 0 || strcmp(name, "index") == 0;
}

/* Appends a slot; the index points at its name, which moves with no GArray reallocation. */
guint scn_add_slot(BodyBuilder *b, const VarInfo *v)
{
	g_array_append_val(b->vars, *v);
	g_hash_table_insert(b->slots, v->name, GUINT_TO_POINTER(b->vars->len));
	return b->vars->len - 1;
}

/* The slot of a variable in the body, or -1 when it has none yet. */
static int find_slot(const BodyBuilder *b, const char *name)
{
	return (int)GPOINTER_TO_UINT(g_hash_table_lookup(b->slots, name)) - 1;
}

static guint var_slot(BodyBuilder *b, const char *name)
{
	int slot = find_slot(b, name);
	if (slot >= 0)
		return (guint)slot;
	return scn_add_slot(b, &(VarInfo){ .name = g_strdup(name) });
}

/* Records a use; whether the variable exists is known only at the end of the body. A text's
 * `$v` (no message needed, not a reply) is remembered apart: a pipe variable cannot be shown. */
int scn_use_var(Parser *p, const char *name, SimLoc loc, gboolean needs_msg, gboolean reply)
{
	guint slot = var_slot(p->body, name);
	VarInfo *v = &g_array_index(p->body->vars, VarInfo, slot);
	if (!v->use_loc.line) {
		v->use_loc = loc;
		v->use_reply = reply;
	}
	if (needs_msg && !v->msg_loc.line) {
		v->msg_loc = loc;
		v->msg_reply = reply;
	}
	if (!needs_msg && !reply && !v->text_loc.line)
		v->text_loc = loc;
	return (int)slot;
}

void scn_note_msg_field(Parser *p, int slot, const char *field, SimLoc loc)
{
	VarInfo *v = &g_array_index(p->body->vars, VarInfo, slot);
	if (v->msg_loc.line == loc.line && v->msg_loc.col == loc.col)
		v->msg_field = field;
}

void scn_note_field(Parser *p, int slot, const char *word, gsize len, SimLoc loc)
{
	VarInfo *v = &g_array_index(p->body->vars, VarInfo, slot);
	if (v->field_loc.line)
		return;
	v->field_loc = loc;
	g_strlcpy(v->field, word, MIN(len + 1, sizeof(v->field)));
}

/* Records the use of a variable as the descriptor of a call (`how`), the variable itself (`v`)
 * or one end of it (`v.r`, `v.w`); it must turn out to be an integer variable of the body, or
 * for an end a pipe variable, which only the end of the body tells. */
int scn_use_fd_var(Parser *p, const char *name, SimLoc loc, const char *how, SimFdEnd end)
{
	guint slot = var_slot(p->body, name);
	VarInfo *v = &g_array_index(p->body->vars, VarInfo, slot);
	if (!v->use_loc.line) {
		v->use_loc = loc;
		v->use_fd = how;
		v->use_end = end;
	}
	if (end == SIM_FD_PLAIN && !v->fd_loc.line) {
		v->fd_loc = loc;
		v->fd_how = how;
	}
	if (end != SIM_FD_PLAIN && !v->end_loc.line) {
		v->end_loc = loc;
		v->end_how = how;
		v->end = end;
	}
	return (int)slot;
}

gboolean scn_take_id_var(Parser *p, SimStmt *st, const char *how, const char *what)
{
	const Tok *t = tok(p);
	if (!is_name_word(t))
		return scn_expected(p, "%s after '%s'", what, how);
	int slot = scn_use_fd_var(p, t->text, t->loc, how, SIM_FD_PLAIN);
	st->ep = (SimEndpoint){ SIM_EP_IDVAR, slot, t->loc, SIM_FD_PLAIN };
	advance(p);
	return TRUE;
}

/* `-> name` (a message, a queue id for msgget, a descriptor for mq_open and open, a pipe, an
 * exit status, an IPC_STAT result) or `as name` (a repeat counter); returns the slot or -1.
 * Counters, queue ids, descriptors and exit statuses are all integers and may share a
 * variable; a pipe or an IPC_STAT result shares with nothing, since `v` and `v.r`, or
 * `v.qnum`, mean different things. */
int scn_assign_var(Parser *p, const char *name, SimLoc loc, VarRole role)
{
	BodyBuilder *b = p->body;
	gboolean is_int = role != ROLE_MESSAGE;
	gboolean pipe = role == ROLE_PIPE || role == ROLE_STAT; /* shares with nothing */
	if (scn_is_builtin(name)) {
		scn_fail_at(p, loc, E_NAME, "'%s' is built in: it cannot name a variable", name);
		return -1;
	}
	if (!not_param(p, name, loc))
		return -1;
	guint slot = var_slot(b, name);
	VarInfo *v = &g_array_index(b->vars, VarInfo, slot);
	gboolean v_alone = v->role == ROLE_PIPE || v->role == ROLE_STAT;
	if (v->assigned && (v->is_int != is_int || v_alone != pipe || (pipe && v->role != role))) {
		scn_fail_at(p, loc, E_NAME,
			    "variable '%s' already %s (set at %u:%u): it cannot also %s", name,
			    role_does[v->role], v->set_loc.line, v->set_loc.col, role_to_do[role]);
		return -1;
	}
	/* Two nested loops sharing a counter would overwrite each other's count. */
	for (guint i = 0; is_int && i < b->counters->len; i++) {
		const Counter *c = &g_array_index(b->counters, Counter, i);
		if (c->slot == (int)slot) {
			scn_fail_at(p, loc, E_NAME,
				    "variable '%s' already counts the enclosing repeat (at %u:%u)",
				    name, c->loc.line, c->loc.col);
			return -1;
		}
	}
	if (!v->assigned) {
		v->assigned = TRUE;
		v->is_int = is_int;
		v->role = role;
		v->set_loc = loc;
	}
	return (int)slot;
}

int scn_int_var(Parser *p, const char *name, SimLoc loc)
{
	BodyBuilder *b = p->body;
	int slot = b ? find_slot(b, name) : -1;
	const VarInfo *v = slot >= 0 ? &g_array_index(b->vars, VarInfo, slot) : NULL;
	if (!b) {
		GString *known = g_string_new(NULL);
		for (guint i = 0; i < p->params->len; i++)
			g_string_append_printf(known, "%s%s", i ? ", " : "",
					       g_array_index(p->params, SimScnParam, i).name);
		scn_fail_at(p, loc, E_NAME,
			    "unknown parameter '%s' (parameters so far: %s): declare it with "
			    "'param %s = VALUE' before its use",
			    name, known->len ? known->str : "none", name);
		g_string_free(known, TRUE);
		return -1;
	}
	if (!v || !v->assigned) {
		scn_fail_at(p, loc, E_NAME,
			    "unknown name '%s' in an expression: no parameter, and no variable of "
			    "this process set before this point ('repeat N as %s', 'msgget ... -> "
			    "%s' ...)",
			    name, name, name);
		return -1;
	}
	if (v->role == ROLE_STAT) {
		scn_fail_at(p, loc, E_NAME,
			    "variable '%s' holds an IPC_STAT result (set at %u:%u), not a number: "
			    "name one of its fields, like %s.qnum or %s.perm.mode",
			    name, v->set_loc.line, v->set_loc.col, name, name);
		return -1;
	}
	if (!v->is_int || v->role == ROLE_PIPE) {
		scn_fail_at(p, loc, E_NAME,
			    "variable '%s' %s (set at %u:%u): an expression needs a number (write "
			    "$%s.len or $%s.type in a text for a message's numbers)",
			    name, role_does[v->role], v->set_loc.line, v->set_loc.col, name, name);
		return -1;
	}
	return slot;
}

int scn_stat_var(const Parser *p, const char *name)
{
	const BodyBuilder *b = p->body;
	int slot = b ? find_slot(b, name) : -1;
	if (slot < 0)
		return -1;
	const VarInfo *v = &g_array_index(b->vars, VarInfo, slot);
	return v->assigned && v->role == ROLE_STAT ? slot : -1;
}

/* What is wrong with the uses of a variable, once its whole body has been read. */
typedef enum {
	BAD_UNKNOWN,   /* used but never set */
	BAD_NOT_FD,    /* a message variable as a descriptor */
	BAD_NOT_MSG,   /* an integer or pipe variable as a message ($v.from, send $v) */
	BAD_NOT_PIPE,  /* v.r or v.w of a variable that is not a pipe */
	BAD_PIPE_FD,   /* a pipe variable as one descriptor */
	BAD_PIPE_TEXT, /* a pipe variable in a text */
	BAD_FIELD,     /* $v.WORD of a message variable, WORD no field */
	BAD_STAT_USE,  /* an IPC_STAT result as a descriptor or in a text, not one field */
} VarProblem;

/* The earliest wrong use of `v`, if it has one: where, and what is wrong with it. */
static gboolean var_problem(const VarInfo *v, SimLoc *at, VarProblem *what)
{
	struct {
		SimLoc loc;
		VarProblem what;
	} c[3];
	guint n = 0;
	if (!v->assigned) {
		c[n].loc = v->use_loc;
		c[n++].what = BAD_UNKNOWN;
	} else if (!v->is_int) {
		c[n].loc = v->fd_loc;
		c[n++].what = BAD_NOT_FD;
		c[n].loc = v->end_loc;
		c[n++].what = BAD_NOT_PIPE;
		c[n].loc = v->field_loc;
		c[n++].what = BAD_FIELD;
	} else if (v->role == ROLE_STAT) {
		c[n].loc = v->msg_loc;
		c[n++].what = BAD_NOT_MSG;
		c[n].loc = v->fd_loc;
		c[n++].what = BAD_STAT_USE;
		c[n].loc = v->text_loc;
		c[n++].what = BAD_STAT_USE;
	} else if (v->role != ROLE_PIPE) {
		c[n].loc = v->msg_loc;
		c[n++].what = BAD_NOT_MSG;
		c[n].loc = v->end_loc;
		c[n++].what = BAD_NOT_PIPE;
	} else {
		c[n].loc = v->msg_loc;
		c[n++].what = BAD_NOT_MSG;
		c[n].loc = v->fd_loc;
		c[n++].what = BAD_PIPE_FD;
		c[n].loc = v->text_loc;
		c[n++].what = BAD_PIPE_TEXT;
	}
	gboolean found = FALSE;
	for (guint i = 0; i < n; i++) {
		if (c[i].loc.line && (!found || scn_loc_before(c[i].loc, *at))) {
			*at = c[i].loc;
			*what = c[i].what;
			found = TRUE;
		}
	}
	return found;
}

static char end_char(SimFdEnd end)
{
	return end == SIM_FD_READ ? 'r' : 'w';
}

/* The XSI calls (semop, shmat, shmread ...) take their operand as an integer variable
 * too: the call that sets one for `how`, or NULL when how is not one of them. */
static const char *xsi_setter(const char *how)
{
	if (g_str_has_prefix(how, "ipcrm -")) /* ipcrm -q, -s, -m: an id of its family */
		return how[7] == 'q' ? "msgget" : how[7] == 's' ? "semget" : "shmget";
	if (g_str_has_prefix(how, "sem"))
		return "semget";
	if (!strcmp(how, "shmat") || !strcmp(how, "shmctl"))
		return "shmget";
	return g_str_has_prefix(how, "shm") ? "shmat" : NULL;
}

/* A variable used but never set in body `b`. */
static gboolean unknown_var(Parser *p, const BodyBuilder *b, const VarInfo *v, SimLoc at)
{
	g_autoptr(GString) known = g_string_new(NULL);
	for (guint i = 0; i < b->vars->len; i++) {
		const VarInfo *k = &g_array_index(b->vars, VarInfo, i);
		if (k->assigned)
			g_string_append_printf(known, "%s%s", known->len ? ", " : "", k->name);
	}
	const char *here = known->len ? known->str : "none";
	if (v->use_fd && v->use_end != SIM_FD_PLAIN)
		return scn_fail_at(
			p, at, E_NAME,
			"unknown variable '%s' in '%s %s.%c' (variables here: %s): set it "
			"with 'pipe -> %s'",
			v->name, v->use_fd, v->name, end_char(v->use_end), here, v->name);
	if (v->use_fd && g_str_has_prefix(v->use_fd, "mq_"))
		return scn_fail_at(
			p, at, E_NAME,
			"unknown variable '%s' in '%s %s' (variables here: %s): set it with "
			"'mq_open \"/name\" ... -> %s', or name a `posix queue` by its "
			"\"/name\"",
			v->name, v->use_fd, v->name, here, v->name);
	if (v->use_fd && xsi_setter(v->use_fd))
		return scn_fail_at(p, at, E_NAME,
				   "unknown variable '%s' in '%s %s' (variables here: %s): set it "
				   "with '%s ... -> %s'",
				   v->name, v->use_fd, v->name, here, xsi_setter(v->use_fd),
				   v->name);
	if (v->use_fd)
		return scn_fail_at(
			p, at, E_NAME,
			"unknown variable '%s' in '%s %s' (variables here: %s): set it with "
			"'open \"PATH\" ... -> %s', or write a pipe end like p.r or a "
			"descriptor number",
			v->name, v->use_fd, v->name, here, v->name);
	g_autofree char *in =
		v->use_reply ? g_strdup_printf("in 'send $%s'", v->name) : g_strdup("in text");
	return scn_fail_at(p, at, E_NAME, "unknown variable '%s' %s (variables here: %s)", v->name,
			   in, here);
}

/* An integer or pipe variable where a message is needed. */
static gboolean not_msg(Parser *p, const VarInfo *v, SimLoc at)
{
	g_autofree char *use = v->msg_reply ? g_strdup_printf("'send $%s'", v->name)
					    : g_strdup_printf("'$%s.%s'", v->name,
							      v->msg_field ? v->msg_field
									   : "from");
	if (v->role == ROLE_QUEUE)
		return scn_fail_at(p, at, E_NAME,
				   "variable '%s' holds a queue id, not a message: %s needs a "
				   "variable set by 'receive ... -> %s' or 'msgrcv ... -> %s'",
				   v->name, use, v->name, v->name);
	if (v->role == ROLE_FD)
		return scn_fail_at(p, at, E_NAME,
				   "variable '%s' holds a descriptor, not a message: %s needs a "
				   "variable set by 'receive ... -> %s' or 'mq_receive ... -> %s'",
				   v->name, use, v->name, v->name);
	if (v->role == ROLE_PIPE || v->role == ROLE_STATUS || v->role == ROLE_VALUE ||
	    v->role == ROLE_STAT)
		return scn_fail_at(p, at, E_NAME,
				   "variable '%s' %s, not a message: %s needs a variable set by "
				   "'receive ... -> %s' or 'read ... -> %s'",
				   v->name, role_does[v->role], use, v->name, v->name);
	return scn_fail_at(p, at, E_NAME,
			   "variable '%s' counts a repeat and holds no message: %s needs a "
			   "variable set by 'receive ... -> %s'",
			   v->name, use, v->name);
}

static gboolean report_var(Parser *p, const BodyBuilder *b, const VarInfo *v, SimLoc at,
			   VarProblem what)
{
	SimLoc set = v->set_loc;
	switch (what) {
	case BAD_UNKNOWN:
		return unknown_var(p, b, v, at);
	case BAD_NOT_FD:
		if (xsi_setter(v->fd_how))
			return scn_fail_at(
				p, at, E_NAME,
				"variable '%s' holds a received message (set at %u:%u), "
				"not a number: %s needs a variable set by '%s ... -> %s'",
				v->name, set.line, set.col, v->fd_how, xsi_setter(v->fd_how),
				v->name);
		if (g_str_has_prefix(v->fd_how, "mq_"))
			return scn_fail_at(
				p, at, E_NAME,
				"variable '%s' holds a received message (set at %u:%u), not "
				"a descriptor: %s needs a `posix queue` \"/name\" or a "
				"variable set by 'mq_open ... -> %s'",
				v->name, set.line, set.col, v->fd_how, v->name);
		return scn_fail_at(
			p, at, E_NAME,
			"variable '%s' holds a received message (set at %u:%u), not a "
			"descriptor: %s needs a variable set by 'open ... -> %s', a pipe end "
			"like p.r or a descriptor number",
			v->name, set.line, set.col, v->fd_how, v->name);
	case BAD_NOT_MSG:
		return not_msg(p, v, at);
	case BAD_NOT_PIPE:
		return scn_fail_at(
			p, at, E_NAME,
			"variable '%s' %s (set at %u:%u), not a pipe: '%s %s.%c' needs a "
			"variable set by 'pipe -> %s'",
			v->name, role_does[v->role], set.line, set.col, v->end_how, v->name,
			end_char(v->end), v->name);
	case BAD_PIPE_FD:
		return scn_fail_at(
			p, at, E_NAME,
			"variable '%s' holds a pipe (set at %u:%u), not one descriptor: write "
			"%s.r (the read end) or %s.w (the write end) in '%s %s'",
			v->name, set.line, set.col, v->name, v->name, v->fd_how, v->name);
	case BAD_FIELD:
		return scn_fail_at(p, at, E_NAME,
				   "unknown field '%s' of message variable '%s' (set at %u:%u): "
				   "expected type, prio, sender, from or len (write ${%s}.%s for the "
				   "text followed by '.%s')",
				   v->field, v->name, set.line, set.col, v->name, v->field, v->field);
	case BAD_STAT_USE:
		if (v->field_loc.line && scn_loc_before(v->field_loc, set))
			return scn_fail_at(p, v->field_loc, E_NAME,
					   "'$%s.%s' comes before 'msgctl ... -> %s' (at %u:%u): "
					   "a field of an IPC_STAT result is read after the call "
					   "that fills it",
					   v->name, v->field, v->name, set.line, set.col);
		return scn_fail_at(p, at, E_NAME,
				   "variable '%s' holds an IPC_STAT result (set at %u:%u), not one "
				   "number: name one of its fields, like %s.qnum or %s.perm.mode",
				   v->name, set.line, set.col, v->name, v->name);
	case BAD_PIPE_TEXT:
		return scn_fail_at(p, at, E_NAME,
				   "variable '%s' holds a pipe (set at %u:%u), which a text cannot "
				   "show: '$%s' needs an integer or message variable (the pipe's "
				   "descriptors are written %s.r and %s.w, as in 'close %s.w')",
				   v->name, set.line, set.col, v->name, v->name, v->name, v->name);
	}
	g_assert_not_reached();
}

/* Every `wait NAME` of a finished body must name a child that this body forks. */
static gboolean check_waits(Parser *p, const BodyBuilder *b)
{
	for (guint i = 0; i < b->waits->len; i++) {
		const WaitUse *w = &g_array_index(b->waits, WaitUse, i);
		/* Every child is declared by now: a process forked by this body, by name. */
		const NameDef *d = g_hash_table_lookup(p->names, w->name);
		const SimScnProc *pr = d && d->kind == NAME_PROC
					       ? &g_array_index(p->procs, SimScnProc, d->index)
					       : NULL;
		if (pr && pr->start == SIM_START_FORK && pr->parent == (int)b->proc) {
			scn_add_ref(p, REF_WAIT, w->name, w->loc, w->stmt, 0, "after 'wait'");
			continue;
		}
		g_autoptr(GString) kids = g_string_new(NULL);
		for (guint j = 0; j < b->forks->len; j++) {
			guint child = g_array_index(b->forks, guint, j);
			const char *name = g_array_index(p->procs, SimScnProc, child).name;
			g_string_append_printf(kids, "%s%s", kids->len ? ", " : "", name);
		}
		return scn_fail_at(
			p, w->loc, E_NAME,
			"'%s' is not a child of process '%s': 'wait' needs a process that "
			"this body forks with 'fork %s { ... }' (children here: %s)",
			w->name, b->name, w->name, kids->len ? kids->str : "none");
	}
	return TRUE;
}

/* Checks the variable uses of a finished body (reporting the earliest problem) and its waits,
 * and hands the slots over to the body. */
gboolean scn_finish_vars(Parser *p, BodyBuilder *b, SimScnBody *body)
{
	const VarInfo *worst = NULL;
	VarProblem problem = BAD_UNKNOWN;
	SimLoc at = { G_MAXUINT, G_MAXUINT };
	for (guint i = 0; i < b->vars->len; i++) {
		const VarInfo *v = &g_array_index(b->vars, VarInfo, i);
		SimLoc where = { 0, 0 };
		VarProblem what = BAD_UNKNOWN;
		if (var_problem(v, &where, &what) && scn_loc_before(where, at)) {
			worst = v;
			at = where;
			problem = what;
		}
	}
	if (worst)
		return report_var(p, b, worst, at, problem);
	if (!check_waits(p, b))
		return FALSE;
	/* The queues of msgsnd/msgrcv/msgctl learn which variable they would be; the whole
	 * file decides whether they are one (see resolve_queue). */
	for (guint i = 0; i < b->queues->len; i++) {
		QueueUse *q = &g_array_index(b->queues, QueueUse, i);
		int j = find_slot(b, q->name);
		const VarInfo *v = j >= 0 ? &g_array_index(b->vars, VarInfo, j) : NULL;
		if (v && v->assigned) {
			q->slot = j;
			q->role = v->role;
			q->set_loc = v->set_loc;
		}
		g_array_append_val(p->queue_uses, *q);
		q->name = NULL; /* p->queue_uses owns it now */
	}
	/* A fork body's inherited slots were checked with the parent's. */
	for (guint i = b->n_inherit; i < b->vars->len; i++) {
		const VarInfo *v = &g_array_index(b->vars, VarInfo, i);
		if (!v->assigned)
			continue;
		VarDef def = { g_strdup(v->name), v->set_loc };
		g_array_append_val(p->var_defs, def);
	}
	g_clear_pointer(&b->slots, g_hash_table_unref); /* its keys go to the body now */
	body->n_vars = b->vars->len;
	body->vars = g_new0(SimScnVar, MAX(body->n_vars, 1));
	for (guint i = 0; i < b->vars->len; i++) {
		VarInfo *v = &g_array_index(b->vars, VarInfo, i);
		body->vars[i].name = g_steal_pointer(&v->name);
		body->vars[i].is_int = v->is_int;
		body->vars[i].is_pipe = v->role == ROLE_PIPE;
	}
	body->max_depth = b->max_depth;
	return TRUE;
}

/* ---- Resolution, once the whole file has been read ---- */

static const char *kind_name(const SimScenario *scn, const NameDef *d)
{
	if (d->kind == NAME_PROC)
		return "process";
	if (d->kind == NAME_SYSVQ)
		return "SysV queue";
	return scn->mboxes[d->index].is_port ? "port" : "mailbox";
}

static void index_block(SimBlock *block, SimStmt **by_id)
{
	for (guint i = 0; i < block->n_stmts; i++) {
		SimStmt *st = &block->stmts[i];
		by_id[st->id] = st;
		if (sim_stmt_body(st))
			index_block(&st->ctl.body, by_id);
	}
}

/* The path of an ftok key: a declared `file`. */
static gboolean resolve_ftok(Parser *p, const Ref *r, SimStmt **by_id)
{
	SimScenario *scn = p->scn;
	guint seen = GPOINTER_TO_UINT(g_hash_table_lookup(p->file_index, r->name));
	if (seen) {
		if (r->kind == REF_FTOK_STMT)
			by_id[r->index]->sysv.key.file = (int)(seen - 1); /* msgget */
		else
			scn->sysvqs[r->index].key.file = (int)(seen - 1);
		return TRUE;
	}
	return scn_fail_at(p, r->loc, E_NAME,
			   "unknown file \"%s\": declare it with 'file \"%s\" dev=... ino=...'",
			   r->name, r->name);
}

static gint64 key_of(const SimScenario *scn, const SimKey *key);

/* ftok("PATH", ID) in expressions: each node gets the key, as ftok(3) makes it from the
 * declared file's st_dev and st_ino (key_of). */
static gboolean resolve_ftok_exprs(Parser *p)
{
	for (guint i = 0; i < p->ftok_exprs->len; i++) {
		const FtokUse *u = &g_array_index(p->ftok_exprs, FtokUse, i);
		guint seen = GPOINTER_TO_UINT(g_hash_table_lookup(p->file_index, u->path));
		if (!seen)
			return scn_fail_at(p, u->loc, E_NAME,
					   "unknown file \"%s\": declare it with 'file \"%s\" "
					   "dev=... ino=...'",
					   u->path, u->path);
		SimKey key = { SIM_KEY_FTOK, u->node->var, (int)(seen - 1) };
		u->node->num = key_of(p->scn, &key);
	}
	return TRUE;
}

/* expect NAME KEY=V ...: a mailbox or port, or a SysV queue, each with its own keys. */
static gboolean resolve_stats(Parser *p, const Ref *r, const NameDef *d)
{
	SimScenario *scn = p->scn;
	SimScnExpect *e = &scn->expects[r->index];
	g_autofree char *what = g_strdup_printf("%s '%s'", kind_name(scn, d), r->name);
	if (!scn_check_stats(p, e, r->index,
			     d->kind == NAME_SYSVQ ? scn_sysvq_stat_names : scn_mbox_stat_names,
			     what))
		return FALSE;
	if (d->kind == NAME_SYSVQ)
		e->sysvq = (int)d->index;
	else
		e->mbox = (int)d->index;
	return TRUE;
}

/* The "/name" of an mq_* call: a declared `posix queue`. */
static gboolean resolve_posixq(Parser *p, const Ref *r, SimStmt **by_id)
{
	guint seen = GPOINTER_TO_UINT(g_hash_table_lookup(p->posixq_index, r->name));
	if (seen) {
		by_id[r->index]->ep.index = (int)(seen - 1);
		return TRUE;
	}
	return scn_fail_at(
		p, r->loc, E_NAME,
		"unknown POSIX queue \"%s\": declare it with 'posix queue \"%s\"' or open "
		"it with 'mq_open \"%s\" ... -> d' and use d",
		r->name, r->name, r->name);
}

/* An expectation's reference to a process (r's kind is one of REF_EXPECT_PROC, PROC2, FROM
 * and PID): the process index goes where the kind says. FALSE for any other kind. */
static gboolean set_expect_proc(SimScenario *scn, const Ref *r, int index)
{
	switch (r->kind) {
	case REF_EXPECT_PROC:
		scn->expects[r->index].proc = index;
		return TRUE;
	case REF_EXPECT_PROC2:
		scn->expects[r->index].proc2 = index;
		return TRUE;
	case REF_EXPECT_FROM:
		scn->expects[r->index].msgs[r->sub].from = index;
		return TRUE;
	case REF_EXPECT_PID:
		scn->expects[r->index].stats[r->sub].value = index;
		return TRUE;
	default:
		return FALSE;
	}
}

/* A process an exec expectations file names: one of its programs (scn_programs.c). */
static gboolean resolve_program(Parser *p, const Ref *r)
{
	if (!set_expect_proc(p->scn, r, scn_program_index(p, r->name)))
		g_assert_not_reached(); /* programs mode has expectations only */
	return TRUE;
}

static gboolean resolve_ref(Parser *p, const Ref *r, SimStmt **by_id)
{
	SimScenario *scn = p->scn;
	if (r->kind == REF_FTOK_STMT || r->kind == REF_FTOK_QUEUE)
		return resolve_ftok(p, r, by_id);
	if (r->kind == REF_POSIXQ)
		return resolve_posixq(p, r, by_id);
	const NameDef *d = g_hash_table_lookup(p->names, r->name);
	if (!d && scn_programs_mode(p) && r->kind != REF_EXPECT_MBOX)
		return resolve_program(p, r);
	if (!d && r->kind == REF_EXPECT_MBOX)
		return scn_fail_at(
			p, r->loc, E_NAME,
			"unknown name '%s': no mailbox, port or SysV queue has that name", r->name);
	if (!d) {
		g_autofree char *near = scn_did_you_mean_key(r->name, p->names);
		return scn_fail_at(p, r->loc, E_NAME,
				   "unknown name '%s': no mailbox, port or process has that name%s",
				   r->name, near);
	}
	gboolean need_proc =
		r->kind != REF_TARGET && r->kind != REF_SOURCE && r->kind != REF_EXPECT_MBOX;
	if (need_proc && d->kind != NAME_PROC)
		return scn_fail_at(p, r->loc, E_NAME, "expected a process name %s, found %s '%s'",
				   r->ctx, kind_name(scn, d), r->name);
	if (r->kind == REF_EXPECT_MBOX && d->kind == NAME_PROC)
		return scn_fail_at(
			p, r->loc, E_NAME,
			"expected a mailbox, port or SysV queue name %s, found process '%s'",
			r->ctx, r->name);
	if (r->kind == REF_TARGET && d->kind == NAME_SYSVQ)
		return scn_fail_at(p, r->loc, E_NAME,
				   "'%s' is a SysV queue: send to it with 'msgsnd %s TEXT'",
				   r->name, r->name);
	if (r->kind == REF_SOURCE && d->kind == NAME_SYSVQ)
		return scn_fail_at(p, r->loc, E_NAME,
				   "'%s' is a SysV queue: receive from it with 'msgrcv %s'",
				   r->name, r->name);
	int index = (int)d->index;
	switch (r->kind) {
	case REF_OWNER:
		scn->mboxes[r->index].owner = index;
		break;
	case REF_AFTER:
		for (guint i = 0; i < r->sub; i++) {
			SimScnProc *pr = &scn->procs[r->index + i];
			if (r->index + i == d->index)
				return scn_fail_at(p, r->loc, E_MISUSE,
						   "process '%s' cannot start after itself",
						   pr->name);
			pr->start_after = index;
		}
		break;
	case REF_TARGET:
	case REF_SOURCE:
		by_id[r->index]->ep.kind = d->kind == NAME_PROC ? SIM_EP_PROC : SIM_EP_MBOX;
		by_id[r->index]->ep.index = index;
		break;
	case REF_TO:
		by_id[r->index]->mbox.to = index; /* send */
		break;
	case REF_KILL:
	case REF_WAIT:
		by_id[r->index]->ep.index = index;
		break;
	case REF_EXPECT_PROC:
	case REF_EXPECT_PROC2:
	case REF_EXPECT_FROM:
	case REF_EXPECT_PID:
		set_expect_proc(scn, r, index);
		break;
	case REF_EXPECT_MBOX:
		return resolve_stats(p, r, d);
	case REF_FTOK_STMT:
	case REF_FTOK_QUEUE:
	case REF_POSIXQ:
		break;
	}
	return TRUE;
}

/* A body variable cannot share its name with a `sysv queue`: `msgsnd q` could be either. */
static gboolean check_var_names(Parser *p)
{
	for (guint i = 0; i < p->var_defs->len; i++) {
		const VarDef *v = &g_array_index(p->var_defs, VarDef, i);
		const NameDef *d = g_hash_table_lookup(p->names, v->name);
		if (d && d->kind == NAME_SYSVQ)
			return scn_fail_at(
				p, v->loc, E_NAME,
				"variable '%s' has the name of the `sysv queue` declared at "
				"%u:%u: rename one of them",
				v->name, d->loc.line, d->loc.col);
	}
	return TRUE;
}

/* The queue of msgsnd/msgrcv/msgctl: a `sysv queue` by that name, else an integer variable
 * of the body (set by msgget ... -> q, or a repeat counter). */
static gboolean resolve_queue(Parser *p, const QueueUse *q, SimStmt **by_id)
{
	const NameDef *d = g_hash_table_lookup(p->names, q->name);
	SimEndpoint *ep = &by_id[q->stmt]->ep;
	if (d && d->kind == NAME_SYSVQ) {
		ep->kind = SIM_EP_SYSVQ;
		ep->index = (int)d->index;
		return TRUE;
	}
	if (d)
		return scn_fail_at(
			p, q->loc, E_NAME,
			"'%s' is a %s, not a SysV queue: %s needs a `sysv queue` name or a "
			"variable set by 'msgget ... -> v'",
			q->name, kind_name(p->scn, d), q->how);
	if (q->slot >= 0 && q->role != ROLE_MESSAGE && q->role != ROLE_PIPE &&
	    q->role != ROLE_STAT) {
		ep->kind = SIM_EP_IDVAR;
		ep->index = q->slot;
		return TRUE;
	}
	if (q->slot >= 0)
		return scn_fail_at(
			p, q->loc, E_NAME,
			"variable '%s' %s (set at %u:%u), not a queue id: %s needs a `sysv "
			"queue` name or a variable set by 'msgget ... -> %s'",
			q->name, role_does[q->role], q->set_loc.line, q->set_loc.col, q->how,
			q->name);
	return scn_fail_at(
		p, q->loc, E_NAME,
		"unknown SysV queue '%s': no `sysv queue` has that name and no variable of "
		"this process is set by 'msgget ... -> %s'",
		q->name, q->name);
}

/* The key a `sysv queue` is created with; ftok(3) as glibc computes it. */
static gint64 key_of(const SimScenario *scn, const SimKey *key)
{
	if (key->kind != SIM_KEY_FTOK)
		return key->value;
	const SimScnFile *f = &scn->files[key->file];
	return (gint64)((((guint64)key->value & 0xff) << 24) | (((guint64)f->dev & 0xff) << 16) |
			((guint64)f->ino & 0xffff));
}

/* The declared queues are created before the run: each one with a new key (or a private one)
 * needs an id, and there are msgmni of them. Declarations with one key name one queue. */
static gboolean check_sysvq_room(Parser *p)
{
	const SimScenario *scn = p->scn;
	gint64 queues = 0;
	for (guint j = 0; j < scn->n_sysvqs; j++) {
		const SimScnSysvQueue *q = &scn->sysvqs[j];
		gint64 key = key_of(scn, &q->key);
		gboolean known = FALSE;
		for (guint i = 0; i < j && key != 0 && !known; i++)
			known = key_of(scn, &scn->sysvqs[i].key) == key;
		if (!known && ++queues > scn->limits.msgmni)
			return scn_fail_at(
				p, q->loc, E_MISUSE,
				"sysv queue '%s' is one queue too many: sysctl "
				"msgmni=%" G_GINT64_FORMAT " (at %u:%u) allows %" G_GINT64_FORMAT
				" queues",
				q->name, scn->limits.msgmni, p->sysctl_seen[SIM_LIMIT_MSGMNI].line,
				p->sysctl_seen[SIM_LIMIT_MSGMNI].col, scn->limits.msgmni);
	}
	return TRUE;
}

/* "sysctl mq_msg_max=10 (at 1:8)" or "the default mq_msg_max=10", for errors. */
static char *limit_of(const Parser *p, SimLimitId key)
{
	SimLoc at = p->sysctl_seen[key];
	const char *name = sim_limits_table[key].name;
	gint64 value = sim_limits_get(&p->scn->limits, key);
	if (!at.line)
		return g_strdup_printf("the default %s=%" G_GINT64_FORMAT, name, value);
	return g_strdup_printf("sysctl %s=%" G_GINT64_FORMAT " (at %u:%u)", name, value, at.line,
			       at.col);
}

/* An attribute of a `posix queue` (written at `at`) against its sysctl maximum `key`. */
static gboolean check_attr(Parser *p, const SimScnPosixQueue *q, const char *attr, gint64 value,
			   SimLimitId key, SimLoc at)
{
	if (value <= sim_limits_get(&p->scn->limits, key))
		return TRUE;
	g_autofree char *limit = limit_of(p, key);
	return scn_fail_at(p, at, E_MISUSE,
			   "%s=%" G_GINT64_FORMAT " is above %s: posix queue \"%s\" could not be "
			   "created (mq_open fails with EINVAL without sys_resource)",
			   attr, value, limit, q->name);
}

/* The declared POSIX queues are created before the run by their owners, who lack
 * sys_resource as root does on the project's machines, so each must be one mq_open would
 * create under the sysctl limits; and every process holds a descriptor for each, which its
 * rlimit_nofile must leave room for. An attribute given alone makes an mq_attr whose other
 * field is the one the kernel uses without mq_attr: the default, capped by the maximum. */
static gboolean check_posixqs(Parser *p)
{
	SimScenario *scn = p->scn;
	const SimLimits *lim = &scn->limits;
	for (guint i = 0; i < scn->n_posixqs; i++) {
		SimScnPosixQueue *q = &scn->posixqs[i];
		const PosixInfo *info = &g_array_index(p->pq_info, PosixInfo, i);
		if (q->maxmsg >= 0 || q->msgsize >= 0) {
			if (q->maxmsg < 0)
				q->maxmsg = MIN(lim->mq_msg_default, lim->mq_msg_max);
			if (q->msgsize < 0)
				q->msgsize = MIN(lim->mq_msgsize_default, lim->mq_msgsize_max);
		}
		if (!check_attr(p, q, "maxmsg", q->maxmsg, SIM_LIMIT_MQ_MSG_MAX,
				info->maxmsg_loc) ||
		    !check_attr(p, q, "msgsize", q->msgsize, SIM_LIMIT_MQ_MSGSIZE_MAX,
				info->msgsize_loc))
			return FALSE;
		if ((gint64)i >= lim->mq_queues_max) {
			g_autofree char *limit = limit_of(p, SIM_LIMIT_MQ_QUEUES_MAX);
			return scn_fail_at(p, q->loc, E_MISUSE,
					   "posix queue \"%s\" is one queue too many: %s allows "
					   "%" G_GINT64_FORMAT " queues",
					   q->name, limit, lim->mq_queues_max);
		}
	}
	gint64 need = FIRST_FD + (gint64)scn->n_posixqs;
	for (guint i = 0; i < scn->n_procs && scn->n_posixqs; i++) {
		const SimScnProc *pr = &scn->procs[i];
		if (pr->rlimit_nofile < need)
			return scn_fail_at(
				p, pr->loc, E_MISUSE,
				"process '%s' has rlimit_nofile=%" G_GINT64_FORMAT
				": too few descriptors for the %u declared posix queue%s, "
				"which every process holds open after 0, 1 and 2 (give "
				"rlimit_nofile=%" G_GINT64_FORMAT " or more)",
				pr->name, pr->rlimit_nofile, scn->n_posixqs,
				scn->n_posixqs == 1 ? "" : "s", need);
	}
	return TRUE;
}

/* The checks each call makes once the whole file is read: its row's resolve hook (a send's
 * to= against its mailbox, a receive on a port by its owner ...), statement by statement. */
static gboolean check_stmts(Parser *p, SimStmt **by_id)
{
	for (guint id = 0; id < p->scn->n_stmts; id++) {
		const SimCallDesc *call = sim_call_desc(by_id[id]->kind);
		if (call->resolve && !call->resolve(p, by_id[id]))
			return FALSE;
	}
	return TRUE;
}

/* `expect PROC@LABEL`: the labelled statement must be in the body PROC runs. */
static gboolean check_replica_label(Parser *p, const LabelRef *r, const LabelDef *d)
{
	const SimScnExpect *e = &p->scn->expects[r->expect];
	int proc = r->second ? e->proc2 : e->proc;
	if (proc < 0)
		return TRUE;
	guint body = scn_info_of(p, d->id)->body;
	const BodyProcs *runs = &g_array_index(p->body_procs, BodyProcs, body);
	if ((guint)proc >= runs->first && (guint)proc < runs->first + runs->n)
		return TRUE;
	const SimScnProc *first = &p->scn->procs[runs->first];
	return scn_fail_at(p, r->loc, E_NAME,
			   "label '%s' (at %u:%u) is in the body of process '%s'%s, not of '%s'",
			   r->name, d->loc.line, d->loc.col, first->name,
			   runs->n > 1 ? " and its replicas" : "", p->scn->procs[proc].name);
}

/* `expect @L msgmax=N`, `type=fifo`: each field must be one the labelled call fills. */
static gboolean check_label_fields(Parser *p)
{
	const SimScenario *scn = p->scn;
	for (guint i = 0; i < scn->n_expects; i++) {
		const SimScnExpect *e = &scn->expects[i];
		for (guint j = 0; j < e->n_fields; j++) {
			const SimOutField *f = sim_out_field(e->fields[j].field);
			if (sim_out_group_of(e->stmt) == f->group)
				continue;
			return scn_fail_at(p, e->fields[j].loc, E_MISUSE,
					   "'%s=' reads what %s fills, and @%s labels %s", f->name,
					   sim_out_group_calls(f->group), e->stmt->label,
					   sim_call_desc(e->stmt->kind)->name);
		}
	}
	return TRUE;
}

/* Moves what was read into the scenario, then resolves every name and label in it. */
SimScenario *scn_finish(Parser *p)
{
	SimScenario *scn = p->scn;
	scn->mboxes = scn_steal_array(&p->mboxes, &scn->n_mboxes);
	scn->procs = scn_steal_array(&p->procs, &scn->n_procs);
	scn->expects = scn_steal_array(&p->expects, &scn->n_expects);
	scn->sysvqs = scn_steal_array(&p->sysvqs, &scn->n_sysvqs);
	scn->files = scn_steal_array(&p->files, &scn->n_files);
	scn->users = scn_steal_array(&p->users, &scn->n_users);
	scn->posixqs = scn_steal_array(&p->posixqs, &scn->n_posixqs);
	scn->n_bodies = p->bodies->len;
	scn->bodies = (SimScnBody **)g_ptr_array_free(g_steal_pointer(&p->bodies), FALSE);
	scn->n_stmts = p->n_stmts;
	scn->params = scn_steal_array(&p->params, &scn->n_params);
	scn->n_src_names = p->sources->len;
	scn->src_names = g_new0(char *, MAX(scn->n_src_names, 1));
	for (guint i = 0; i < scn->n_src_names; i++)
		scn->src_names[i] = g_strdup(g_array_index(p->sources, Source, i).name);

	if (!resolve_ftok_exprs(p))
		return NULL;
	g_autofree SimStmt **by_id = g_new0(SimStmt *, MAX(scn->n_stmts, 1));
	for (guint i = 0; i < scn->n_bodies; i++)
		index_block(&scn->bodies[i]->block, by_id);
	for (guint i = 0; i < p->refs->len; i++)
		if (!resolve_ref(p, &g_array_index(p->refs, Ref, i), by_id))
			return NULL;
	if (!check_var_names(p))
		return NULL;
	for (guint i = 0; i < p->queue_uses->len; i++)
		if (!resolve_queue(p, &g_array_index(p->queue_uses, QueueUse, i), by_id))
			return NULL;
	for (guint i = 0; i < p->label_refs->len; i++) {
		const LabelRef *r = &g_array_index(p->label_refs, LabelRef, i);
		const LabelDef *d = g_hash_table_lookup(p->labels, r->name);
		if (!d) {
			g_autofree char *near = scn_did_you_mean_key(r->name, p->labels);
			scn_fail_at(p, r->loc, E_NAME,
				    "unknown label '%s': no statement has that label%s", r->name,
				    near);
			return NULL;
		}
		if (r->second)
			scn->expects[r->expect].stmt2 = by_id[d->id];
		else
			scn->expects[r->expect].stmt = by_id[d->id];
		if (!check_replica_label(p, r, d))
			return NULL;
	}
	for (guint i = 0; i < p->asserts->len; i++) {
		const AssertUse *a = &g_array_index(p->asserts, AssertUse, i);
		scn->expects[a->expect].stmt = by_id[a->stmt];
	}
	if (!check_label_fields(p))
		return NULL;
	if (!check_sysvq_room(p) || !check_posixqs(p) || !check_stmts(p, by_id))
		return NULL;
	if (!scn_resolve_fd_expects(p))
		return NULL;
	/* Last, so that what is written wrong is reported first: with no process nothing
	 * would run, and an empty run must not pass for a success. */
	scn_programs_finish(p, scn);
	if (scn->n_procs == 0 && !scn_programs_mode(p)) {
		scn_fail_at(p, tok(p)->loc, E_SYNTAX,
			    "no process: a scenario needs at least one 'process NAME { ... }'%s",
			    p->len == 0 ? " (the file is empty)" : "");
		return NULL;
	}
	return g_steal_pointer(&p->scn);
}
