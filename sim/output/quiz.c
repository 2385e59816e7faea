/* quiz.c — a scenario as a question for students, and its answer key (quiz.h).
 *
 * The design choice to know: the quiz is the scenario's own text, not a rendering of the
 * parsed scenario. Students read the program as its author wrote it, comments included;
 * only what would give the answers away is changed: each `param` shows the value this run
 * uses (drawn from the seed, or set with -D), and each expectation written in the file
 * becomes a numbered question in a comment with its answer blanked. Since the questions
 * are comments, a quiz is itself a scenario that runs. The answers are what a run of the
 * scenario saw, as the report tells them (sim_report_expectation), so an answer key is
 * right by construction, whether or not the author's expectations held.
 *
 * `msgsim record` is the other answer key: the same text with the author's expectations
 * replaced by ones that state what the run did (what each process received, how each
 * labelled call ended, the objects' final counts, how each process ended, deadlock or
 * not), so that the recorded scenario passes on its own.
 */
#include "msgsim/output/quiz.h"

#include <string.h>

#include "msgsim/output/report.h"
#include "engine/world_int.h" /* record reads the final state, as the report does */

static const char *proc_name(const SimScenario *scn, int proc)
{
	return proc >= 0 ? scn->procs[proc].name : "";
}

/* What a STATS expectation names: a mailbox, a SysV queue, key=K or a POSIX "/name". */
static void stats_object(GString *s, const SimScenario *scn, const SimScnExpect *e)
{
	if (e->mq_name)
		g_string_append_printf(s, "\"%s\"", e->mq_name);
	else if (e->sem)
		g_string_append_printf(s, "sem key=0x%" G_GINT64_MODIFIER "x %" G_GINT64_FORMAT,
				       e->key, e->sem_num);
	else if (e->by_key)
		g_string_append_printf(s, "key=0x%" G_GINT64_MODIFIER "x", e->key);
	else if (e->by_id)
		g_string_append_printf(s, "msqid=%" G_GINT64_FORMAT, e->msqid);
	else if (e->sysvq >= 0)
		g_string_append(s, scn->sysvqs[e->sysvq].name);
	else
		g_string_append(s, scn->mboxes[e->mbox].name);
}

void sim_quiz_question(GString *s, const SimScenario *scn, const SimScnExpect *e)
{
	switch (e->kind) {
	case SIM_EXPECT_RECEIVED:
		g_string_append_printf(s, "%s received %s", proc_name(scn, e->proc),
				       e->count >= 0 ? "count=?" : e->unordered ? "{?}" : "[?]");
		break;
	case SIM_EXPECT_LABEL:
		g_string_append_printf(s, "%s@%s ?%s", proc_name(scn, e->proc), e->stmt->label,
				       e->check_ret ? " ret=?" : "");
		break;
	case SIM_EXPECT_STATS:
		stats_object(s, scn, e);
		for (guint i = 0; i < e->n_stats; i++)
			g_string_append_printf(s, " %s=?", sim_quiz_stat_name(e->stats[i].key));
		break;
	case SIM_EXPECT_STATE:
		g_string_append_printf(s, "%s state=?", proc_name(scn, e->proc));
		break;
	case SIM_EXPECT_DEADLOCK:
	case SIM_EXPECT_NO_DEADLOCK:
		g_string_append(s, "deadlock or no deadlock?");
		break;
	case SIM_EXPECT_TIME:
		g_string_append(s, "time == ?");
		break;
	case SIM_EXPECT_EXIT:
		g_string_append_printf(s, "%s exit=? or killed=?", proc_name(scn, e->proc));
		break;
	case SIM_EXPECT_ORDER:
		g_string_append_printf(s, "%s@%s before %s@%s: yes or no?", proc_name(scn, e->proc),
				       e->stmt->label, proc_name(scn, e->proc2), e->stmt2->label);
		break;
	case SIM_EXPECT_ASSERT:
		g_string_append_printf(s, "does 'assert %s' always hold?", e->text);
		break;
	case SIM_EXPECT_SIGNAL:
		g_string_append_printf(s, "%s signal %s delivered=? handled=?",
				       proc_name(scn, e->proc), sim_scn_signal_name(e->sig));
		break;
	case SIM_EXPECT_MQ_FLAGS:
		if (e->var)
			g_string_append_printf(s, "%s fd %s mq_flags=?", proc_name(scn, e->proc),
					       e->var);
		else
			g_string_append_printf(s, "%s fd %" G_GINT64_FORMAT " mq_flags=?",
					       proc_name(scn, e->proc), e->fd);
		break;
	case SIM_EXPECT_PIPE:
		if (e->fifo)
			g_string_append_printf(s, "pipe \"%s\" readers=[?] writers=[?]", e->fifo);
		else
			g_string_append_printf(s, "pipe %s %s readers=[?] writers=[?]",
					       proc_name(scn, e->proc), e->var);
		break;
	case SIM_EXPECT_CALLS: /* a program's (msgsim exec): no scenario has it */
		g_string_append_printf(s, "%s calls [?]", proc_name(scn, e->proc));
		break;
	case SIM_EXPECT_OUTCOMES: /* over all schedules: msgsim explore answers it */
		g_string_append(s, "how many outcomes can it have, over every schedule?");
		break;
	}
}

const char *sim_quiz_stat_name(SimStatKey key)
{
	static const char *const names[SIM_STAT_COUNT] = {
		[SIM_STAT_QNUM] = "qnum",	    [SIM_STAT_SENT] = "sent",
		[SIM_STAT_RECEIVED] = "received",   [SIM_STAT_MAX_QNUM] = "max_qnum",
		[SIM_STAT_DESTROYED] = "destroyed", [SIM_STAT_CBYTES] = "cbytes",
		[SIM_STAT_QBYTES] = "qbytes",	    [SIM_STAT_LSPID] = "lspid",
		[SIM_STAT_LRPID] = "lrpid",	    [SIM_STAT_REMOVED] = "removed",
		[SIM_STAT_ID] = "id",		    [SIM_STAT_MODE] = "mode",
		[SIM_STAT_CURMSGS] = "curmsgs",	    [SIM_STAT_MAXMSG] = "maxmsg",
		[SIM_STAT_MSGSIZE] = "msgsize",	    [SIM_STAT_QSIZE] = "qsize",
		[SIM_STAT_NOTIFY_PID] = "notify_pid", [SIM_STAT_UNLINKED] = "unlinked",
		[SIM_STAT_KEY] = "key",		    [SIM_STAT_UID] = "uid",
		[SIM_STAT_GID] = "gid",		    [SIM_STAT_CUID] = "cuid",
		[SIM_STAT_CGID] = "cgid",	    [SIM_STAT_STIME] = "stime",
		[SIM_STAT_RTIME] = "rtime",	    [SIM_STAT_CTIME] = "ctime",
	};
	return (guint)key < SIM_STAT_COUNT && names[key] ? names[key] : "?";
}

/* A cut of the scenario file's text: [start, end) is replaced by `with` (NULL: removed). */
typedef struct {
	gsize start, end;
	char *with;
} Cut;

static gint cut_order(gconstpointer a, gconstpointer b)
{
	gsize x = ((const Cut *)a)->start, y = ((const Cut *)b)->start;
	return x < y ? -1 : x > y;
}

static void clear_cut(gpointer data)
{
	g_free(((Cut *)data)->with);
}

/* The cuts: each param's value becomes the one this run uses, each expectation written in
 * the scenario file goes (its question follows the text). */
static GArray *cuts_of(const SimScenario *scn)
{
	GArray *cuts = g_array_new(FALSE, TRUE, sizeof(Cut));
	g_array_set_clear_func(cuts, clear_cut);
	for (guint i = 0; i < scn->n_params; i++) {
		const SimScnParam *prm = &scn->params[i];
		if (prm->src_end <= prm->src_start)
			continue;
		Cut c = { prm->src_start, prm->src_end,
			  prm->text ? g_strdup_printf("\"%s\"", prm->text)
				    : g_strdup_printf("%" G_GINT64_FORMAT, prm->value) };
		g_array_append_val(cuts, c);
	}
	for (guint i = 0; i < scn->n_expects; i++) {
		const SimScnExpect *e = &scn->expects[i];
		if (e->kind == SIM_EXPECT_ASSERT || e->src_end <= e->src_start)
			continue;
		Cut c = { e->src_start, e->src_end, NULL };
		g_array_append_val(cuts, c);
	}
	g_array_sort(cuts, cut_order);
	return cuts;
}

/* The scenario's text with the cuts made; a line left empty by a removed expectation goes,
 * so the questions do not leave a hole in the file. */
static void cut_text(GString *s, const SimScenario *scn, const GArray *cuts)
{
	gsize at = 0;
	for (guint i = 0; i < cuts->len; i++) {
		const Cut *c = &g_array_index(cuts, Cut, i);
		if (c->start < at || c->end > scn->source_len)
			continue; /* overlapping or outside: leave the text as it is */
		g_string_append_len(s, scn->source + at, (gssize)(c->start - at));
		if (c->with) {
			g_string_append(s, c->with);
		} else {
			/* Drop the line's blanks before the expectation, and its end when the
			 * expectation was all the line held. */
			while (s->len && (s->str[s->len - 1] == ' ' || s->str[s->len - 1] == '\t'))
				g_string_truncate(s, s->len - 1);
			gsize e = c->end;
			while (e < scn->source_len && (scn->source[e] == ' ' || scn->source[e] == '\t'))
				e++;
			gboolean alone = (s->len == 0 || s->str[s->len - 1] == '\n') &&
					 (e == scn->source_len || scn->source[e] == '\n');
			at = alone && e < scn->source_len ? e + 1 : e;
			continue;
		}
		at = c->end;
	}
	g_string_append_len(s, scn->source + at, (gssize)(scn->source_len - at));
	/* One line end, whatever blank lines the expectations at the end left. */
	while (s->len && (s->str[s->len - 1] == '\n' || s->str[s->len - 1] == ' '))
		g_string_truncate(s, s->len - 1);
	g_string_append_c(s, '\n');
}

void sim_quiz_format(GString *s, const SimScenario *scn, guint64 seed, const SimWorld *answers)
{
	g_string_append_printf(s, "# msgsim quiz %s (seed %" G_GUINT64_FORMAT ")%s\n", scn->file,
			       seed, answers ? ", with the answers" : "");
	g_autoptr(GArray) cuts = cuts_of(scn);
	cut_text(s, scn, cuts);
	if (scn->n_expects == 0)
		return;
	g_string_append(s, "\n# Questions: what happens when this scenario runs?\n");
	for (guint i = 0; i < scn->n_expects; i++) {
		const SimScnExpect *e = &scn->expects[i];
		g_string_append_printf(s, "# %u. ", i + 1);
		if (e->question)
			g_string_append_printf(s, "%s\n#    (", e->question);
		sim_quiz_question(s, scn, e);
		g_string_append(s, e->question ? ")\n" : "\n");
		if (!answers)
			continue;
		g_autoptr(GString) seen = g_string_new(NULL);
		sim_report_expectation(answers, e, seen);
		g_string_append_printf(s, "#    answer: %s\n", seen->str);
	}
}

/* ---- record ---- */

/* A text as a scenario string: the escapes GScanner reads back (\n, \t, \", \\, octal). */
static void append_string(GString *s, const char *text)
{
	g_string_append_c(s, '"');
	for (const guchar *c = (const guchar *)text; *c; c++) {
		if (*c == '"' || *c == '\\')
			g_string_append_printf(s, "\\%c", *c);
		else if (*c == '\n')
			g_string_append(s, "\\n");
		else if (*c == '\t')
			g_string_append(s, "\\t");
		else if (*c < 0x20 || *c == 0x7f)
			g_string_append_printf(s, "\\%03o", *c);
		else
			g_string_append_c(s, (char)*c);
	}
	g_string_append_c(s, '"');
}

static void record_received(GString *s, const SimWorld *w, const SimTask *t)
{
	g_string_append_printf(s, "expect %s received [", t->name);
	for (guint i = 0; t->received && i < t->received->len; i++) {
		const SimRecv *r = &g_array_index(t->received, SimRecv, i);
		if (i)
			g_string_append(s, ", ");
		if (r->from >= 0) /* bytes read from a pipe have no type and no sender */
			g_string_append_printf(s, "%" G_GINT64_FORMAT " ", r->type);
		append_string(s, r->text);
		if (r->from >= 0)
			g_string_append_printf(s, " from %s", w->tasks[r->from].name);
	}
	g_string_append(s, "]\n");
}

static void record_label(GString *s, const SimStmt *st, const SimStmtResult *r)
{
	if (r->runs == 0)
		return;
	g_string_append_printf(s, "expect @%s ", st->label);
	if (!r->returned) {
		g_string_append(s, "blocked\n");
		return;
	}
	if (r->blocked)
		g_string_append(s, "blocked then ");
	if (r->err)
		g_string_append_printf(s, "errno=%s", sim_errno_name(r->err));
	else
		g_string_append_printf(s, "ok ret=%" G_GINT64_FORMAT, r->ret);
	g_string_append_c(s, '\n');
}

static void record_labels(GString *s, const SimWorld *w, const SimBlock *b)
{
	for (guint i = 0; i < b->n_stmts; i++) {
		const SimStmt *st = &b->stmts[i];
		if (st->label)
			record_label(s, st, &w->results[st->id]);
		if (sim_stmt_body(st))
			record_labels(s, w, sim_stmt_body(st));
	}
}

static void record_objects(GString *s, const SimWorld *w)
{
	const SimScenario *scn = w->scn;
	for (guint i = 0; i < scn->n_mboxes; i++) {
		const SimMbox *mb = &w->mboxes[i];
		g_string_append_printf(s,
				       "expect %s qnum=%" G_GUINT64_FORMAT " sent=%" G_GUINT64_FORMAT
				       " received=%" G_GUINT64_FORMAT " destroyed=%s\n",
				       scn->mboxes[i].name, sim_mbox_qnum(mb), mb->sent,
				       mb->received, mb->destroyed ? "yes" : "no");
	}
	for (guint i = 0; i < scn->n_sysvqs; i++) {
		for (guint j = 0; j < w->msgqs->len; j++) {
			const SimMsgq *q = g_ptr_array_index(w->msgqs, j);
			if (q->perm.id != w->sysvq_ids[i])
				continue;
			g_string_append_printf(s,
					       "expect %s qnum=%" G_GUINT64_FORMAT
					       " cbytes=%" G_GUINT64_FORMAT " removed=%s\n",
					       scn->sysvqs[i].name, (guint64)q->qnum,
					       (guint64)q->cbytes, q->removed ? "yes" : "no");
			break;
		}
	}
	for (guint i = 0; i < scn->n_posixqs; i++) {
		for (guint j = w->mqueues->len; j-- > 0;) {
			const SimMqueue *q = g_ptr_array_index(w->mqueues, j);
			if (strcmp(q->name, scn->posixqs[i].name) != 0)
				continue;
			g_string_append_printf(s, "expect \"%s\" curmsgs=%" G_GUINT64_FORMAT
						  " unlinked=%s\n",
					       q->name, (guint64)q->curmsgs,
					       q->unlinked ? "yes" : "no");
			break;
		}
	}
}

void sim_quiz_record(GString *s, const SimWorld *w)
{
	sim_quiz_record_head(s, w->scn, "", sim_world_seed(w));
	g_string_append(s, "\n# What this run did, as expectations:\n");
	sim_quiz_record_facts(s, w);
}

void sim_quiz_record_head(GString *s, const SimScenario *scn, const char *how, guint64 seed)
{
	g_autoptr(GArray) cuts = cuts_of(scn);
	/* Parameters stay as written: the record holds for the values this run used, which
	 * the header names. */
	for (guint i = cuts->len; i-- > 0;)
		if (g_array_index(cuts, Cut, i).with)
			g_array_remove_index(cuts, i);
	g_string_append_printf(s, "# msgsim record%s %s (seed %" G_GUINT64_FORMAT, how,
			       scn->file, seed);
	for (guint i = 0; i < scn->n_params; i++) {
		const SimScnParam *prm = &scn->params[i];
		if (prm->text)
			g_string_append_printf(s, ", %s=%s", prm->name, prm->text);
		else
			g_string_append_printf(s, ", %s=%" G_GINT64_FORMAT, prm->name, prm->value);
	}
	g_string_append(s, ")\n");
	cut_text(s, scn, cuts);
}

void sim_quiz_record_facts(GString *s, const SimWorld *w)
{
	for (guint i = 0; i < w->n_tasks; i++) {
		const SimTask *t = &w->tasks[i];
		if (sim_world_unforked(t))
			continue;
		record_received(s, w, t);
		if (t->state != SIM_STATE_EXITED)
			g_string_append_printf(s, "expect %s state=%s\n", t->name,
					       sim_scn_state_name(t->state));
		else if (t->killed_by)
			g_string_append_printf(s, "expect %s killed=%s\n", t->name,
					       sim_scn_signal_name(t->killed_by));
		else
			g_string_append_printf(s, "expect %s exit=%" G_GINT64_FORMAT "\n", t->name,
					       t->exit_code);
	}
	for (guint i = 0; i < w->scn->n_bodies; i++)
		record_labels(s, w, &w->scn->bodies[i]->block);
	record_objects(s, w);
	g_string_append(s, sim_world_status(w) == SIM_RUN_DEADLOCK ? "expect deadlock\n"
								    : "expect no deadlock\n");
}
