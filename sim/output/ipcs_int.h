/* ipcs_int.h — what the ipcs layouts of the three SysV families (ipcs.c, ipcs_sem.c,
 * ipcs_shm.c) share. */
#ifndef MSGSIM_OUTPUT_IPCS_INT_H
#define MSGSIM_OUTPUT_IPCS_INT_H

#include "engine/world_int.h"

/* The owner column as ipcs prints it: "root" for uid 0, a `user NAME uid=N` name of the
 * scenario, else the number (written into buf). */
const char *sim_ipcs_owner(const SimWorld *w, gint64 uid, char *buf, gsize size);

#endif
