/* quiz.h — `msgsim quiz`: a scenario handed out as a question, and its answer key.
 *
 * A quiz is the scenario file's own text with every `param` at the value this run uses
 * (drawn from the seed, or set with -D) and every expectation written in the file taken
 * out and asked as a numbered question in a comment, its answer blanked: `P3 received
 * [?]`. With a finished run of the same scenario (the same seed and -D values), each
 * question is followed by its answer, as the report would say what the run saw. The same
 * seed gives the same quiz. Expectations of included files are asked too; their text stays
 * in their own files.
 *
 * `msgsim record` (sim_quiz_record) is the answer key as a scenario: the text with its
 * expectations replaced by what a run did.
 *
 * Nothing here runs a scenario or allocates beyond the output string.
 */
#ifndef MSGSIM_QUIZ_H
#define MSGSIM_QUIZ_H

#include "msgsim/engine/world.h"
#include "msgsim/lang/scn.h"

/* Appends the quiz of scn (parsed with `seed`) to s; with `answers`, a world that ran scn
 * to its end, the answer of each question after it. */
void sim_quiz_format(GString *s, const SimScenario *scn, guint64 seed, const SimWorld *answers);
/* Appends the question expectation e asks, its answer blanked ("P3 received [?]"). */
void sim_quiz_question(GString *s, const SimScenario *scn, const SimScnExpect *e);
/* Appends scn's text with its expectations replaced by ones stating what the finished run
 * w did (w made with keep_received): a scenario that passes on its own. */
void sim_quiz_record(GString *s, const SimWorld *w);
/* Its parts: the first line ("# msgsim record" how, the file, seed and parameters) and
 * the text without its expectations; then the expectations stating what w did, one a
 * line. `msgsim record --explore` (sim/cli_record.c) writes these of every outcome. */
void sim_quiz_record_head(GString *s, const SimScenario *scn, const char *how, guint64 seed);
void sim_quiz_record_facts(GString *s, const SimWorld *w);
/* A statistic's key as a scenario writes it ("qnum"). */
const char *sim_quiz_stat_name(SimStatKey key);

#endif /* MSGSIM_QUIZ_H */
