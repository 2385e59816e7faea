/* ample.h — persistent sets of one step for the stateful walk (ample.c); not public. */
#ifndef MSGSIM_AMPLE_H
#define MSGSIM_AMPLE_H

#include "explore/explore_int.h"

typedef struct SimAmple SimAmple;

/* Lifecycle */
/* The remaining programs' summaries for w's scenario (w only lends its programs). */
SimAmple *sim_ample_new(const SimWorld *w);
void sim_ample_free(SimAmple *a);

/* Queries */
/* A task of mask (the tasks that can step in w now) whose next step alone is a persistent
 * set, or -1 when there is none (then every task is tried). */
int sim_ample_pick(SimAmple *a, SimWorld *w, guint64 mask);
/* The instructions control can go to from instruction k of p (at most two, in out). */
guint sim_ample_successors(const SimProgram *p, guint k, guint out[2]);

#endif /* MSGSIM_AMPLE_H */
