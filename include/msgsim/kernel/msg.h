/* msg.h — messages, their pool, and the message list every queue is built on.
 *
 * A SimMsg is the header the lecture draws (sender, type, priority, sequence number)
 * plus the text. Messages come from a SimMsgPool: a free list refilled a chunk at a
 * time, so sending and receiving reuse records instead of calling malloc.
 *
 * Text ownership: `text` either points into the scenario (a literal, owned by the
 * SimScenario, which outlives every run) or is a heap copy made when the text was
 * interpolated (`buf`, owned by the message, made by sim_msg_own_text);
 * sim_msg_pool_put frees it. The pool counts the bytes its live messages hold, for the
 * memory guard rail (world.h).
 *
 * A SimMsgList is an intrusive doubly-linked list in queue order. In FIFO order an
 * insert is O(1). In priority order an insert walks back from the tail past messages
 * of lower priority: O(1) when priorities arrive equal or falling, O(k) when a message
 * overtakes k others — the kernel uses a tree of priority levels here; a list is fine
 * for the queue lengths of teaching scenarios and keeps FIFO-within-priority obvious.
 */
#ifndef MSGSIM_MSG_H
#define MSGSIM_MSG_H

#include "msgsim/base.h"
#include "msgsim/kernel/vocab.h"

typedef struct SimMsg SimMsg;

struct SimMsg {
	SimMsg *next, *prev; /* links in a SimMsgList or the pool's free list */
	int from;	     /* sender: task index */
	int to;		     /* addressed receiver (deliver=addressed): task index, or -1 */
	gint64 type;	     /* message type (>= 1) */
	gint64 prio;	     /* message priority (>= 0) */
	guint64 seq;	     /* global send order, stamped when the message is created */
	const char *text;    /* the text: a scenario literal, or buf */
	gsize len;	     /* bytes of text */
	gsize size;	     /* SysV msgsz: bytes the message counts for (text padded or cut);
			      * textbook messages: equal to len */
	char *buf; /* heap copy of an interpolated text, freed with the message, or NULL */
};

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
/* m gets its own copy of text (len bytes; a NUL follows), counted in the pool's bytes
 * (len + 1 while it is m's). m has no own text yet. */
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

/* Debug: links are consistent, len is right, and the order holds. */
gboolean sim_msg_list_check(const SimMsgList *l);

#endif /* MSGSIM_MSG_H */
