/* snap_msg.h — the SysV message queues' part of a world snapshot and of its digest
 * (snap_msg.c), and the message copies it shares with the POSIX queues' part (snap_mq.c);
 * not public.
 *
 * A snapshot part is four calls that snap.c makes in a fixed order: save (the world as it
 * is), release (before the tasks are put back: what the world holds that the restore will
 * make anew), restore (after the tasks are back), clear (the part's own memory). A digest
 * part returns one 64-bit word that state.c mixes into the state's digest.
 */
#ifndef MSGSIM_SNAP_MSG_H
#define MSGSIM_SNAP_MSG_H

#include "explore/explore_int.h"

/* ---- Message copies ---- */

/* Copies of messages taken out of the world: their headers and their own texts. */
typedef struct SnapMsgs {
	GArray *saved; /* SnapSavedMsg (snap_msg.c), NULL until the first copy */
} SnapMsgs;

void snap_msgs_reset(SnapMsgs *s); /* drops every copy, for the next save */
void snap_msgs_clear(SnapMsgs *s);
guint64 snap_msgs_keep(SnapMsgs *s, const SimMsg *m); /* 1 + its index; 0 for NULL */
/* A new message of w's pool like copy i (1 + index; 0 gives NULL). */
SimMsg *snap_msgs_make(SimWorld *w, const SnapMsgs *s, guint64 i);
/* A list's messages kept in order (snap_msgs_keep), and a list made again from the copies
 * that start at first (the list's len says how many). */
void snap_msgs_keep_list(SnapMsgs *s, const SimMsgList *l);
guint64 snap_msgs_make_list(SimWorld *w, const SnapMsgs *s, SimMsgList *l, guint64 first);

/* ---- SysV message queues ---- */

typedef struct SnapMsg {
	SimIpcNs ns;	 /* the namespace's SysV id table; slots and slot_seq are copies */
	guint n_queues;	 /* w->msgqs->len then (the list only grows) */
	GArray *queues;	 /* SimMsgq: every queue's struct */
	SnapMsgs msgs;	 /* the queues' messages, queue after queue */
	GArray *ds;	 /* gint64: per task variable, a flag (0: no msqid_ds) and SIM_DS_N */
	gboolean any_ds; /* some variable held one */
} SnapMsg;

/* Whether the snapshot covers st, a SysV call (msgget, msgsnd, msgrcv, msgctl, ipcs). */
gboolean snap_msg_fits(const SimStmt *st);
void snap_msg_save(SnapMsg *s, const SimWorld *w);
void snap_msg_release(SimWorld *w);
void snap_msg_restore(const SnapMsg *s, SimWorld *w);
void snap_msg_clear(SnapMsg *s);

/* The digest of every SysV queue (messages in order, limits, ids, wait lists in order,
 * removed or not) and of what each task waits on there. `details`: the scenario can read
 * the last sender, receiver and the times (msgctl ... -> v, ipcs, cat, an expectation on
 * lspid, lrpid or a time), which depend on the path, so they go in only then; `senders`:
 * as in sim_state_digest. */
guint64 snap_msg_digest(const SimWorld *w, gboolean details, gboolean senders);
/* Whether the scenario reads what `details` covers. */
gboolean snap_msg_details(const SimWorld *w);

/* One word into a running digest (the same round as state.c's). */
static inline guint64 snap_mix(guint64 h, guint64 v)
{
	h ^= v;
	h *= G_GUINT64_CONSTANT(0x9e3779b97f4a7c15);
	return h ^ (h >> 29);
}

/* A text, a message list in order (each message's sender when `senders`), and a wait list
 * in order (its tasks), into a running digest. */
guint64 snap_mix_bytes(guint64 h, const char *s, gsize len);
guint64 snap_mix_msgs(guint64 h, const SimMsgList *l, gboolean senders);
guint64 snap_mix_waiters(guint64 h, const SimWaitQueue *q);

#endif /* MSGSIM_SNAP_MSG_H */
