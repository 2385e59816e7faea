/* msg.h — messages, their pool, and the message list every queue is built on.
 *
 * A SimMsg is the header the lecture draws (sender, type, priority, sequence number)
 * plus the text. Messages come from a SimMsgPool: a free list refilled a chunk at a
 * time, so sending and receiving reuse records instead of calling malloc.
 *
 * Text ownership: `text` either points into the scenario (a literal, owned by the
 * SimScenario, which outlives every run) or is a heap copy made when the text was
 * interpolated (`owned`, made by sim_msg_own_text); sim_msg_pool_put frees it. The pool
 * counts the bytes its live messages hold, for the memory guard rail (world.h).
 *
 * Size: a queued message costs its record, 64 bytes, plus an own text. A queue of a
 * million messages is a workload the course runs, so the record keeps one link, not two,
 * and a 32-bit length: a text is at most SIM_MSG_MAX_LEN bytes, which every path that
 * makes one respects (a scenario file is far smaller; a pipe holds at most
 * SIM_PIPE_MAX_SIZE; an interpolated text that would pass it stops the run, as the
 * memory rail does). Type, priority, size and the sequence number keep 64 bits: the
 * scenario may give any of them up to 2^63 - 1, and the trace shows them as given.
 *
 * A SimMsgList is an intrusive singly-linked list in queue order, with its tail. In FIFO
 * order an insert is O(1). In priority order an insert is O(1) when the message goes
 * last (priorities arriving equal or falling) and otherwise walks from the head past
 * the messages of its priority or higher, which it does not overtake — the kernel uses
 * a tree of priority levels here; a list is fine for the queue lengths of teaching
 * scenarios and keeps FIFO-within-priority obvious. Removing a message walks from the
 * head to it: O(1) for the head, the message every FIFO receive takes, and otherwise no
 * more than the search that found it.
 */
#ifndef MSGSIM_MSG_H
#define MSGSIM_MSG_H

#include "msgsim/base.h"
#include "msgsim/kernel/vocab.h"

typedef struct SimMsg SimMsg;

/* The most bytes a message's text may have (see the header comment). */
#define SIM_MSG_MAX_LEN G_MAXUINT32

struct SimMsg {
	SimMsg *next;	  /* link in a SimMsgList or the pool's free list */
	const char *text; /* the text: a scenario literal, or the message's own copy */
	gint64 type;	  /* message type (>= 1) */
	gint64 prio;	  /* message priority (>= 0) */
	guint64 seq;	  /* global send order, stamped when the message is created */
	gsize size;	  /* SysV msgsz: bytes the message counts for (text padded or cut);
			   * textbook messages: equal to len */
	int from;	  /* sender: task index */
	int to;		  /* addressed receiver (deliver=addressed): task index, or -1 */
	guint32 len;	  /* bytes of text, at most SIM_MSG_MAX_LEN */
	gboolean owned;	  /* text is a heap copy of an interpolated text, freed with it */
};
/* A million queued messages are 64 MB plus their texts: keep the record within a cache
 * line (bytes per queued message is one of the engine's goals, see the header comment). */
G_STATIC_ASSERT(sizeof(SimMsg) <= 64);

typedef struct SimMsgPool {
	SimMsg *free;	   /* free list through ->next */
	GPtrArray *chunks; /* the allocated chunks, freed by clear */
	guint64 live;	   /* messages handed out and not yet returned */
	guint64 text_bytes; /* own texts of the live messages: len + 1 each (sim_msg_own_text) */
} SimMsgPool;

typedef struct SimMsgList {
	SimMsg *head, *tail; /* head is the next message out */
	guint64 len;	     /* messages in the list */
	SimOrder order;	     /* FIFO or by priority (highest first, FIFO among equals) */
} SimMsgList;

/* Lifecycle */
void sim_msg_pool_init(SimMsgPool *pool);
void sim_msg_pool_clear(
	SimMsgPool *pool); /* frees chunks; messages still out are lost (assert none) */
SimMsg *sim_msg_pool_get(SimMsgPool *pool); /* zeroed but to = -1 (not addressed); never NULL */
void sim_msg_pool_put(SimMsgPool *pool, SimMsg *m); /* frees an owned text; NULL is ignored */
/* m gets its own copy of text (len bytes, at most SIM_MSG_MAX_LEN; a NUL follows),
 * counted in the pool's bytes (len + 1 while it is m's). m has no own text yet. */
void sim_msg_own_text(SimMsgPool *pool, SimMsg *m, const char *text, gsize len);
/* A new message with m's header (sender, type, priority, sequence, size) and text: a copy
 * of m's own text, or the same scenario literal. Not in any list. (fork copies variables.) */
SimMsg *sim_msg_pool_copy(SimMsgPool *pool, const SimMsg *m);
/* Cuts m's text to at most len bytes (msgsz, MSG_NOERROR, a POSIX size=), keeping the
 * pool's count right: a message's length changes only here after it is made. */
void sim_msg_cut(SimMsgPool *pool, SimMsg *m, gsize len);

void sim_msg_list_init(SimMsgList *l, SimOrder order);
void sim_msg_list_drain(SimMsgList *l, SimMsgPool *pool); /* returns every message to the pool */

/* Operations */
void sim_msg_list_insert(SimMsgList *l, SimMsg *m); /* at its place for the list's order */
void sim_msg_list_remove(SimMsgList *l, SimMsg *m);

/* Queries */
/* What the live messages hold, records and own texts (the memory guard rail, world.h). */
static inline guint64 sim_msg_pool_bytes(const SimMsgPool *pool)
{
	return pool->live * sizeof(SimMsg) + pool->text_bytes;
}

/* Debug: the links end at the tail, len is right, and the order holds. */
gboolean sim_msg_list_check(const SimMsgList *l);

#endif /* MSGSIM_MSG_H */
