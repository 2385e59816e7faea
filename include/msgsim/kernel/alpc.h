/* alpc.h — ports after Windows' advanced local procedure call, as the lecture tells them.
 *
 * A server creates a named connection port. A client connects with a connection message and
 * waits; the server takes the request and accepts it or refuses it. On accept the pair gets
 * two communication ports, one handle each: the server's end ([0]) and the client's ([1]).
 * Over the pair either end sends a request and waits for its reply; the other end receives
 * the request (knowing who sent it) and replies.
 *
 *   messages  up to SIM_ALPC_MSG_MAX bytes are copied through the port; larger ones, up to
 *             SIM_ALPC_SECTION_MAX, go through a section object the pair shares, made by
 *             the first large message and kept for the pair's life; larger still: EMSGSIZE.
 *   lifetimes a connection port dies with its handle (its server): pending connects fail
 *             with ECONNABORTED. A communication port dies with its handle: the other end's
 *             waiters, and its later calls, fail with ECONNRESET. A refused connect fails
 *             with ECONNREFUSED; a name nobody created, ENOENT; a name taken, EEXIST.
 *   handles   numbered from 1 over the run and never reused, each held by one task; a handle
 *             another task holds, or one closed, is EBADF for the caller.
 *
 * The design choice to know: every object lives in the space (SimAlpcSpace) until the run
 * ends, closed ones too, so a handle, a woken client's pair or a trace line never points at
 * freed memory; a run that connects a million times keeps a million small pairs, which the
 * memory guard rail counts.
 *
 * No system call of Linux does any of this: the cross-check leaves these calls out.
 */
#ifndef MSGSIM_ALPC_H
#define MSGSIM_ALPC_H

#include "msgsim/base.h"
#include "msgsim/engine/waitq.h"

#define SIM_ALPC_MSG_MAX 256		/* bytes copied through the port itself */
#define SIM_ALPC_SECTION_MAX (1 << 20)	/* bytes a section carries at most */

/* One request or reply: its bytes (text, up to len; size may be more: the rest is zeros) */
typedef struct SimAlpcMsg {
	int from;	      /* the sending task */
	gsize size;	      /* its size in bytes */
	char *text;	      /* what it says (owned), len bytes */
	gsize len;
	gboolean via_section; /* it went through the pair's section */
} SimAlpcMsg;

typedef struct SimAlpcPair SimAlpcPair;

/* One communication port: an end of a pair. */
typedef struct SimAlpcEnd {
	SimAlpcPair *pair;
	int side;	    /* 0: the server's, 1: the client's */
	gboolean closed;    /* its handle was closed (or its task died) */
	GQueue requests;    /* SimAlpcMsg: sent by the other end, not received yet */
	SimAlpcMsg *reply;  /* the answer to this end's request, not taken yet, or NULL */
	gboolean awaiting;  /* a request of this end waits for its reply */
	guint owed;	    /* requests this end received and has not answered yet */
	SimWaitQueue wait;  /* its task, waiting for a request or a reply */
} SimAlpcEnd;

typedef enum SimAlpcState {
	SIM_ALPC_PENDING, /* the connect waits for the server */
	SIM_ALPC_OPEN,	  /* accepted */
	SIM_ALPC_REFUSED, /* the server said no */
	SIM_ALPC_ABORTED, /* the connection port died first */
} SimAlpcState;

struct SimAlpcPair {
	char name[24];	     /* "alpc#1" */
	SimAlpcState state;
	SimAlpcEnd end[2];   /* [0] the server's, [1] the client's */
	SimAlpcMsg *conn;    /* the connection message (owned) */
	guint section;	     /* its section's number ("section#1") once made, else 0 */
	gsize section_bytes; /* the section's size: the largest message it carried */
};

/* A named connection port. */
typedef struct SimAlpcPort {
	char *name;	   /* owned */
	int server;	   /* the task that created it */
	gboolean closed;
	GQueue pending;	   /* SimAlpcPair: connects not answered yet, in arrival order */
	SimWaitQueue wait; /* the server, waiting for a connect */
} SimAlpcPort;

/* What a handle names: a connection port or a communication port. */
typedef struct SimAlpcHandle {
	int owner;	    /* the task that holds it */
	gboolean closed;
	SimAlpcPort *port;  /* a connection port, or NULL */
	SimAlpcEnd *end;    /* a communication port, or NULL */
} SimAlpcHandle;

/* Every port of a run. */
typedef struct SimAlpcSpace {
	GHashTable *names; /* live connection ports by name (not owned) */
	GPtrArray *ports;  /* SimAlpcPort, every one made (owned) */
	GPtrArray *pairs;  /* SimAlpcPair, every one made (owned) */
	GArray *handles;   /* SimAlpcHandle; handle h is [h - 1] */
	guint n_sections;  /* sections made so far */
	GHashTable *connecting; /* task -> the SimAlpcPair its connect waits on */
} SimAlpcSpace;

/* Lifecycle */
SimAlpcSpace *sim_alpc_space_new(void);
void sim_alpc_space_free(SimAlpcSpace *sp);

/* Handles */
/* The handle h if task holds it and it is open, or NULL (EBADF). */
SimAlpcHandle *sim_alpc_handle(SimAlpcSpace *sp, gint64 h, int task);
/* A new handle of task's for a port or an end (one of them NULL); returns its number. */
gint64 sim_alpc_handle_new(SimAlpcSpace *sp, int task, SimAlpcPort *port, SimAlpcEnd *end);
/* What a closed handle destroyed, for the trace's "port ... destroyed" line. */
typedef struct SimAlpcDeath {
	const SimAlpcPort *port; /* the connection port that died, or NULL */
	const SimAlpcEnd *end;	 /* the communication port that died, or NULL */
	guint failed;  /* the waiters it failed: pending connects, or the other end's */
	int err;       /* what they get: ECONNABORTED for a connect, ECONNRESET for a pair */
} SimAlpcDeath;

/* Closes handle h (held, open), killing its port, onto wl; says what died in *d. */
void sim_alpc_handle_close(SimAlpcSpace *sp, gint64 h, SimWakeList *wl, SimAlpcDeath *d);
/* Closes every handle task holds (it exits), calling died for each port it kills; TRUE
 * when it held any. */
gboolean sim_alpc_exit(SimAlpcSpace *sp, int task, SimWakeList *wl,
		       void (*died)(void *data, const SimAlpcDeath *d), void *data);

/* Operations: return 0, an errno, or SIM_BLOCKED (then `self` is queued). */
/* A connection port named name, created by task: EEXIST when the name is live. */
int sim_alpc_create(SimAlpcSpace *sp, const char *name, int task, SimAlpcPort **out);
/* A connect to name by task with message m (taken): ENOENT when no port has it; else a new
 * pending pair, queued on the port, its server woken. */
int sim_alpc_connect(SimAlpcSpace *sp, const char *name, SimAlpcMsg *m, SimWakeList *wl,
		     SimAlpcPair **out);
/* What became of the connect of pair: SIM_BLOCKED while pending, 0 when accepted. */
int sim_alpc_connect_wait(SimAlpcPair *pair, SimWaiter *self);
/* The server takes the oldest pending connect of port and accepts or refuses it. */
int sim_alpc_accept(SimAlpcPort *port, gboolean refuse, SimWaiter *self, SimWakeList *wl,
		    SimAlpcPair **out);
/* A request from end e to its peer (m taken): ECONNRESET when the peer is gone. */
int sim_alpc_send(SimAlpcSpace *sp, SimAlpcEnd *e, SimAlpcMsg *m, SimWakeList *wl);
/* The reply to e's request: SIM_BLOCKED until it comes, ECONNRESET if the peer died. */
int sim_alpc_wait_reply(SimAlpcEnd *e, SimWaiter *self, SimAlpcMsg **out);
/* The oldest request sent to e: SIM_BLOCKED until one comes, ECONNRESET if the peer died. */
int sim_alpc_receive(SimAlpcEnd *e, SimWaiter *self, SimAlpcMsg **out);
/* e answers the oldest request it received (m taken): ENOMSG when it owes none. */
int sim_alpc_reply(SimAlpcSpace *sp, SimAlpcEnd *e, SimAlpcMsg *m, SimWakeList *wl);

/* Messages */
SimAlpcMsg *sim_alpc_msg_new(int from, const char *text, gsize len, gsize size);
void sim_alpc_msg_free(SimAlpcMsg *m);

/* Queries */
/* "[alpc#1 open: 0|1 requests, section#1 5000 bytes]" into buf. */
const char *sim_alpc_pair_state(const SimAlpcPair *pair, char *buf, gsize size);
/* "[port \"srv\": 1 pending]" into buf. */
const char *sim_alpc_port_state(const SimAlpcPort *port, char *buf, gsize size);

#endif /* MSGSIM_ALPC_H */
