/* schedule.c — schedules as text (witnesses) and their replay (`msgsim run --schedule`).
 *
 * The design choice to know: a replay is the explorer's own stepping with its decisions
 * read from the text instead of searched, through the same engine calls (world.h,
 * "Stepping", and the chooser), so a witness replays exactly the execution it came from,
 * with whatever trace the world was given. Every mismatch between the text and what the
 * scenario allows stops the replay with an error that says which item and why.
 */
#include "explore/explore_int.h"

#include <string.h>

#include "msgsim/calls/call.h"

struct SimSchedule {
	const SimScenario *scn;
	gboolean strict;
	GArray *d;    /* SimDecision */
	guint *item;  /* by decision: its item's number in the text, from 1 */
	guint next;   /* the next decision to follow */
	GString *why; /* a choice that did not fit (set by the chooser), or empty */
};

void sim_schedule_format(const SimScenario *scn, gboolean strict, const SimDecision *d, guint n,
			 GString *out)
{
	if (strict)
		g_string_append(out, "strict:");
	if (n == 0)
		g_string_append_c(out, '-');
	for (guint i = 0; i < n;) {
		if (i)
			g_string_append_c(out, ',');
		if (d[i].kind == SIM_DECIDE_VALUE) {
			g_string_append_printf(out, "?%u", d[i].value);
			i++;
			continue;
		}
		guint run = 1;
		while (i + run < n && d[i + run].kind == SIM_DECIDE_STEP &&
		       d[i + run].value == d[i].value)
			run++;
		if (d[i].value >= scn->n_procs) { /* NAME!: its alarm comes (explore.c) */
			g_string_append_printf(out, "%s!", scn->procs[d[i].value - scn->n_procs].name);
			i++;
			continue;
		}
		g_string_append(out, scn->procs[d[i].value].name);
		if (run > 1)
			g_string_append_printf(out, "*%u", run);
		i += run;
	}
}

static int proc_index(const SimScenario *scn, const char *name)
{
	for (guint i = 0; i < scn->n_procs; i++)
		if (strcmp(scn->procs[i].name, name) == 0)
			return (int)i;
	return -1;
}

static void add(SimSchedule *s, SimDecideKind kind, guint value, guint item)
{
	SimDecision d = { kind, value };
	g_array_append_val(s->d, d);
	s->item = g_renew(guint, s->item, s->d->len);
	s->item[s->d->len - 1] = item;
}

/* One item: ?K, NAME or NAME*N. */
static gboolean parse_item(SimSchedule *s, const char *it, guint number, GError **error)
{
	guint64 v = 0;
	if (it[0] == '?') {
		if (!g_ascii_string_to_unsigned(it + 1, 10, 0, G_MAXUINT32, &v, NULL)) {
			g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
				    "schedule item %u '%s': expected ?K with K a choice number "
				    "from 0",
				    number, it);
			return FALSE;
		}
		add(s, SIM_DECIDE_VALUE, (guint)v, number);
		return TRUE;
	}
	g_autofree char *name = g_strdup(it);
	char *star = strchr(name, '*');
	guint64 count = 1;
	gsize len = strlen(name);
	if (len > 1 && name[len - 1] == '!' && !star) {
		/* NAME!: NAME's alarm comes here (time abstracted). */
		name[len - 1] = '\0';
		int a = proc_index(s->scn, name);
		if (a < 0 || s->strict) {
			g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
				    "schedule item %u '%s': %s", number, it,
				    s->strict ? "a strict: schedule holds choices (?K) only"
					      : "no process has that name (expected NAME! for its "
						"alarm)");
			return FALSE;
		}
		add(s, SIM_DECIDE_STEP, s->scn->n_procs + (guint)a, number);
		return TRUE;
	}
	if (star) {
		*star = '\0';
		if (!g_ascii_string_to_unsigned(star + 1, 10, 1, 100000000, &count, NULL)) {
			g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
				    "schedule item %u '%s': expected NAME*N with N a count from 1",
				    number, it);
			return FALSE;
		}
	}
	int p = proc_index(s->scn, name);
	if (p < 0) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			    "schedule item %u '%s': no process is named '%s' (expected a process "
			    "name, NAME*N or ?K)",
			    number, it, name);
		return FALSE;
	}
	if (s->strict) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			    "schedule item %u '%s': a strict: schedule holds choices (?K) only",
			    number, it);
		return FALSE;
	}
	for (guint64 k = 0; k < count; k++)
		add(s, SIM_DECIDE_STEP, (guint)p, number);
	return TRUE;
}

SimSchedule *sim_schedule_parse(const SimScenario *scn, const char *text, GError **error)
{
	g_return_val_if_fail(scn != NULL && text != NULL, NULL);
	SimSchedule *s = g_new0(SimSchedule, 1);
	s->scn = scn;
	s->d = g_array_new(FALSE, FALSE, sizeof(SimDecision));
	s->why = g_string_new(NULL);
	if (g_str_has_prefix(text, "strict:")) {
		s->strict = TRUE;
		text += strlen("strict:");
	}
	if (strcmp(text, "-") == 0)
		return s;
	if (!*text) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			    "empty schedule (expected items like P1,P2*3,?1, or - for none)");
		sim_schedule_free(s);
		return NULL;
	}
	g_auto(GStrv) items = g_strsplit(text, ",", -1);
	for (guint i = 0; items[i]; i++) {
		g_strstrip(items[i]);
		if (!parse_item(s, items[i], i + 1, error)) {
			sim_schedule_free(s);
			return NULL;
		}
	}
	return s;
}

const SimDecision *sim_schedule_decisions(const SimSchedule *s, guint *n)
{
	*n = s->d->len;
	return (const SimDecision *)(void *)s->d->data;
}

void sim_schedule_free(SimSchedule *s)
{
	if (!s)
		return;
	g_array_unref(s->d);
	g_free(s->item);
	g_string_free(s->why, TRUE);
	g_free(s);
}

/* ---- Replay ---- */

static const SimDecision *at(const SimSchedule *s, guint i)
{
	return &g_array_index(s->d, SimDecision, i);
}

static guint follow_choice(void *data, guint n)
{
	SimSchedule *s = data;
	if (n <= 1 || s->why->len)
		return 0;
	if (s->next >= s->d->len || at(s, s->next)->kind != SIM_DECIDE_VALUE) {
		g_string_printf(s->why, "a choice among %u comes %s, where the schedule has %s", n,
				s->next >= s->d->len ? "after its end" : "here",
				s->next >= s->d->len ? "nothing more" : "a step (expected ?K)");
		return 0;
	}
	guint v = at(s, s->next)->value;
	if (v >= n) {
		g_string_printf(s->why, "?%u is out of range: there are %u choices (?0 to ?%u)", v,
				n, n - 1);
		return 0;
	}
	s->next++;
	return v;
}

void sim_schedule_options(SimSchedule *s, SimWorldOptions *o)
{
	o->choose = follow_choice;
	o->choose_data = s;
}

/* The tasks that could step, for an error ("P1, P3" or "none"). */
static void list_tasks(const SimWorld *w, const guint *ids, guint n, GString *out)
{
	if (!n)
		g_string_append(out, "none");
	for (guint i = 0; i < n; i++)
		g_string_append_printf(out, "%s%s", i ? ", " : "", w->tasks[ids[i]].name);
}

static gboolean fail(const SimSchedule *s, guint i, GError **error, const char *what)
{
	if (i < s->d->len)
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "schedule item %u: %s",
			    s->item[i], what);
	else
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
			    "schedule, after its last item: %s", what);
	return FALSE;
}

/* Time abstracted: each step item names a task that may step now. */
static gboolean replay_steps(SimSchedule *s, SimWorld *w, GError **error)
{
	g_autofree guint *ids = g_new(guint, w->n_tasks + 1);
	g_autoptr(GString) msg = g_string_new(NULL);
	for (;;) {
		guint n = sim_world_steppable(w, ids);
		if (s->next >= s->d->len) {
			if (n == 0 && sim_world_alarms(w, ids) == 0)
				return TRUE;
			if (n == 0)
				n = sim_world_alarms(w, ids); /* named in the list below */
			g_string_assign(msg, "the schedule ends, but these processes can still "
					     "make a call: ");
			list_tasks(w, ids, n, msg);
			return fail(s, s->next, error, msg->str);
		}
		const SimDecision *d = at(s, s->next);
		if (d->kind == SIM_DECIDE_VALUE)
			return fail(s, s->next, error,
				    "a choice (?K) where a process must be named: no choice is "
				    "pending here");
		guint procs = s->scn->n_procs;
		if (d->value >= procs) { /* NAME!: its alarm comes now */
			const SimTask *t = &w->tasks[d->value - procs];
			if (t->alarm_at == SIM_TIME_MAX || t->state == SIM_STATE_EXITED) {
				g_string_printf(msg, "%s has no alarm pending here", t->name);
				return fail(s, s->next, error, msg->str);
			}
			s->next++;
			if (!sim_world_fire_alarm(w, d->value - procs))
				return TRUE;
			continue;
		}
		gboolean can = FALSE;
		for (guint i = 0; i < n; i++)
			can = can || ids[i] == d->value;
		if (!can) {
			g_string_printf(msg,
					"%s cannot make a call here (it is %s); those that can: ",
					w->tasks[d->value].name,
					sim_scn_state_name(w->tasks[d->value].state));
			list_tasks(w, ids, n, msg);
			return fail(s, s->next, error, msg->str);
		}
		s->next++;
		gboolean ok = sim_world_step(w, d->value);
		if (s->why->len)
			return fail(s, s->next, error, s->why->str);
		if (!ok)
			return TRUE; /* a guard rail: the report says which */
	}
}

gboolean sim_schedule_run(SimSchedule *s, SimWorld *w, GError **error)
{
	g_return_val_if_fail(s != NULL && w != NULL, FALSE);
	gboolean ok;
	if (s->strict) {
		sim_world_run(w);
		ok = s->why->len == 0;
		if (!ok)
			fail(s, s->next, error, s->why->str);
	} else {
		ok = replay_steps(s, w, error);
		sim_world_step_end(w);
	}
	if (ok && s->next < s->d->len)
		return fail(s, s->next, error,
			    "the run ended before this item (decisions left over)");
	return ok;
}
