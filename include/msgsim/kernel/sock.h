/* sock.h — UNIX-domain socket pairs as Linux 6.x runs them (net/unix/af_unix.c, socketpair).
 *
 * A SimSock is one end of a connected pair made by socketpair(2). What one end sends is
 * queued, as socket buffers (SimSkb), on the other end's receive queue; the sender pays
 * for each buffer's truesize in its own send-buffer count (sk_wmem_alloc) until the reader
 * frees it, and may not allocate while that count is at or above sk_sndbuf (212992).
 *
 *   truesize  kmalloc'd head (SKB_DATA_ALIGN(linear) + 320, rounded up to its slab: 512,
 *             1024, 2048, 4096, 8192, then whole pages) + 256 for the sk_buff + the page
 *             fragments. Measured with a probe in a private namespace (unshare -i -n):
 *             278 one-byte sends fit (768 each), 93 of 1000 bytes, 26 datagrams of 4096.
 *   stream    send cuts its bytes into buffers of at most 36544 (one page of head, 32 KiB of
 *             fragments; SKB_MAX_HEAD(0) + UNIX_SKB_FRAGS_SZ); each buffer is allocated on
 *             its own, so a send may stop part-way (EAGAIN, or blocked, with a count).
 *             The reader is woken after each buffer; asked to (SimSockCtx.split), a send
 *             also stops after a buffer that woke a sleeping reader, for it to run first.
 *             recv reads across buffers, no record boundaries; MSG_PEEK too; MSG_TRUNC is
 *             ignored. A buffer is freed when it is read to its end.
 *   dgram,    one buffer per send (EMSGSIZE above sk_sndbuf - 32), with page fragments past
 *   seqpacket 16064 bytes of head; recv takes one record, drops what does not fit, and
 *             returns its length with MSG_TRUNC.
 *   errors    stream: own SEND_SHUTDOWN is EPIPE, then sk_err, then the send buffer, then
 *             a dead or read-shut peer is EPIPE; EPIPE raises SIGPIPE unless MSG_NOSIGNAL and
 *             only when nothing was sent. Dgram and seqpacket never raise SIGPIPE. A peer
 *             closing with data unread sets ECONNRESET on a stream or seqpacket end: a stream
 *             recv reports it once the queue is empty, a seqpacket recv before the data.
 *             A dgram end whose peer closed gets ECONNREFUSED on its next send, ENOTCONN after.
 *   shutdown  SHUT_RD/SHUT_WR/SHUT_RDWR set the end's own bits; on stream and seqpacket the
 *             peer gets the mirror bits (our SHUT_WR is its RCV_SHUTDOWN: EOF after the data).
 *             A close does both ends' bits on a stream or seqpacket pair.
 *   wake-ups  not exclusive: every sender that sleeps for room is woken when a freed buffer
 *             leaves the count at a quarter of sk_sndbuf or less (unix_writable), every
 *             reader when a buffer arrives; shutdown and close wake both ends' sleepers.
 *
 *   names     socket(2) makes a pair with one live end (end[1] is the server's end a connect
 *             hands to a listener). A datagram socket of its own sends to any bound socket
 *             (SimSockDest): one buffer on the receiver's queue, charged to the sender and
 *             carrying the sender's name for recvfrom. The receiver's queue is full above
 *             its backlog (net.unix.max_dgram_qlen) unless the receiver is connected to the
 *             sender; a sender then sleeps on the receiver's peer_wait, which every recv
 *             and the receiver's close wake. A datagram socket connected to a peer takes
 *             datagrams from that peer only (unix_may_send: EPERM).
 *
 * Ownership: a pair is one allocation holding both ends; it is freed (sim_sock_pair_free)
 * once both ends are closed, or later, doomed, while buffers its ends sent still sit on
 * other pairs' queues or another pair's datagram socket has one of its ends as peer
 * (inflight counts both). A buffer is owned by the receive queue it sits on.
 *
 * Invariants (sim_sock_check): rcv_bytes is the sum of the unread bytes queued; each end's
 * wmem is the sum of the truesizes of its buffers still queued at its peer.
 */
#ifndef MSGSIM_SOCK_H
#define MSGSIM_SOCK_H

#include "msgsim/base.h"
#include "msgsim/engine/waitq.h"

/* The socket types, as the kernel numbers them. */
#define SIM_SOCK_STREAM 1
#define SIM_SOCK_DGRAM 2
#define SIM_SOCK_SEQPACKET 5

/* shutdown(2)'s how, and the bits an end keeps (RCV_SHUTDOWN, SEND_SHUTDOWN). */
#define SIM_SHUT_RD 0
#define SIM_SHUT_WR 1
#define SIM_SHUT_RDWR 2
#define SIM_SOCK_RCV_SHUTDOWN 1u
#define SIM_SOCK_SEND_SHUTDOWN 2u

#define SIM_SOCK_SNDBUF 212992	    /* net.core.wmem_default */
#define SIM_SOCK_STREAM_CHUNK 36544 /* the most one stream buffer carries */

/* recv and send flags, as the kernel numbers them. */
#define SIM_MSG_PEEK 0x2u
#define SIM_MSG_TRUNC 0x20u
#define SIM_MSG_DONTWAIT 0x40u
#define SIM_MSG_NOSIGNAL 0x4000u

typedef struct SimSkb {
	char *data;	/* the bytes (owned) */
	gsize len;	/* bytes it carries */
	gsize off;	/* stream: bytes already read */
	gsize truesize; /* what it costs its sender's send buffer */
	struct SimSock *owner; /* its sender, whose send buffer it is charged to */
	char *from;	/* the sender's name when it was sent ("@name", a path; owned), or NULL */
} SimSkb;

/* An end's state (sk_state): a socket(2) starts unconnected, listen makes it a listener,
 * connect and socketpair connected ends. */
typedef enum SimSockState {
	SIM_SOCK_UNCONNECTED, /* TCP_CLOSE */
	SIM_SOCK_LISTENING,   /* TCP_LISTEN */
	SIM_SOCK_CONNECTED,   /* TCP_ESTABLISHED */
} SimSockState;

typedef struct SimSock {
	struct SimSockPair *pair;
	SimSockState state;
	char *name;		/* bound: the abstract name, without its '@', or the path (owned) */
	struct SimFifo *file;	/* bound to a path: its socket file, else NULL */
	gint64 uid;		/* its inode's owner: who made it (socket, socketpair, accept) */
	GQueue accq;		/* listener: connected ends waiting for accept, oldest first */
	gint64 backlog;		/* sk_max_ack_backlog: a listener's accq, or a datagram receiver's
				 * rcvq, may hold one more than this (unix_recvq_full); it starts
				 * as net.unix.max_dgram_qlen */
	struct SimSock *peer;	/* the other end; dgram: NULL once a send found it gone */
	int type;		/* SIM_SOCK_* */
	GQueue rcvq;		/* SimSkb *, oldest first */
	guint64 rcv_bytes;	/* unread bytes queued (FIONREAD) */
	gsize wmem;		/* truesize of what it sent and its peer has not freed */
	gsize sndbuf;		/* SO_SNDBUF */
	guint shut;		/* SIM_SOCK_RCV_SHUTDOWN | SIM_SOCK_SEND_SHUTDOWN */
	int err;		/* sk_err: ECONNRESET, reported once */
	gboolean closed;	/* its last description is gone */
	SimWaitQueue wait;	/* readers and writers that sleep on it (sk_sleep) */
	SimWaitQueue peer_wait; /* dgram senders waiting for room in its queue (peer_wait) */
	guint64 sent, received; /* bytes in total */
} SimSock;

typedef struct SimSockPair {
	char *name; /* "sock#1", the trace's name for the pair */
	SimSock end[2];
	/* A datagram may sit in any socket's queue (sendto an address): the pair lives on,
	 * doomed, until the last buffer its ends sent is freed, as the kernel's sk does. */
	guint inflight;	 /* buffers sent by its ends still queued somewhere */
	gboolean doomed; /* sim_sock_pair_free was called: freed when inflight drops to 0 */
	gboolean solo;	 /* made by socket(2): a datagram end of it reaches other pairs */
} SimSockPair;

/* Where a send goes: its peer, or the address it names (resolved by the caller, which knows
 * the names, but looked at where the kernel looks it up: after the buffer is allocated). */
typedef struct SimSockDest {
	gboolean given;	 /* sendto with an address */
	struct SimSock *to; /* the socket bound to it, or NULL */
	int err;	 /* the lookup's error when to is NULL (ECONNREFUSED, ENOENT, ...) */
} SimSockDest;

/* Where a send's bytes come from: `text` repeated to n bytes ('x' when there is none). */
typedef struct SimSockSrc {
	const char *text;
	gsize len;
} SimSockSrc;

/* What an operation needs from the world, and what it reports back. */
typedef struct SimSockCtx {
	SimWakeList *wake;	 /* waiters to wake afterwards */
	guint flags;		 /* SIM_MSG_* of the call */
	gboolean nonblock;	 /* O_NONBLOCK or MSG_DONTWAIT */
	gboolean signal_pending; /* a caught signal waits: stop rather than sleep */
	gboolean sigpipe;	 /* out: SIGPIPE goes to the caller */
	guint pairs_freed;	 /* out: close: the queued connections' pairs it freed */
	const SimSockDest *dest; /* send: sendto's address, or NULL (send to the peer) */
	char *from;		 /* out: recv: the sender's name (owned by the caller), or NULL */
	/* A stream send stops between two buffers when the one it queued woke a reader and
	 * more is left (yielded set, *done what went in, the call not over): the kernel's
	 * woken reader may run on its own CPU and read that buffer before the rest comes.
	 * Only a stepped run (exploration, a witness) asks for it; a plain run sends whole. */
	gboolean split;		 /* in: stop at such a boundary */
	gboolean yielded;	 /* out: it stopped there; call again to go on */
} SimSockCtx;

#define SIM_SOCK_MAX_DGRAM_QLEN 10 /* net.unix.max_dgram_qlen of a new namespace */

/* Lifecycle */
SimSockPair *sim_sock_pair_new(const char *name, int type);
/* socket(2): end[0] of the new pair is the socket, unconnected; end[1], closed until then,
 * is the server's end that a connect hands to a listener (the kernel's embryo socket). */
SimSockPair *sim_sock_new(const char *name, int type);
void sim_sock_pair_free(SimSockPair *sp); /* NULL is fine; frees queued buffers */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimSockPair, sim_sock_pair_free)

/* Operations: 0, an errno, or SIM_BLOCKED (self on s->wait). */
/* Sends bytes [*done, n) of src; *done counts what went in. A stream send that moved bytes
 * and then failed returns 0 with its partial count. */
int sim_sock_send(SimSock *s, SimSockCtx *c, SimWaiter *self, const SimSockSrc *src, gsize n,
		  gsize *done);
/* Receives up to n bytes into out (appended; may be NULL); *ret is recv's result (the
 * record's length with MSG_TRUNC). */
int sim_sock_recv(SimSock *s, SimSockCtx *c, SimWaiter *self, gsize n, GString *out, gsize *ret);
/* listen(2) on a bound stream or seqpacket socket: 0, EOPNOTSUPP or EINVAL. */
int sim_sock_listen(SimSock *s, SimSockCtx *c, gint64 backlog);
/* connect(2) to `to`, the listener bound to the name (NULL: none). 0 once s's server end is
 * on the listener's queue, an errno, or SIM_BLOCKED while that queue is full. */
int sim_sock_connect(SimSock *s, SimSock *to, SimSockCtx *c, SimWaiter *self);
/* connect(2) of a datagram socket: `to` is its default peer from now on, and only `to` may
 * send to it (unix_dgram_connect); datagrams already queued from others stay. */
int sim_sock_dgram_connect(SimSock *s, SimSock *to);
/* accept(2): 0 with *out the oldest connected end, an errno, or SIM_BLOCKED. A listener shut
 * for reading gives what it queued, then EAGAIN (non-blocking) or EINVAL. */
int sim_sock_accept(SimSock *s, SimSockCtx *c, SimWaiter *self, SimSock **out);
/* shutdown(2): 0 or EINVAL for a bad how. */
int sim_sock_shutdown(SimSock *s, SimSockCtx *c, int how);
/* The end's last description went: its queue is freed, the peer told. TRUE when both ends
 * are closed and the pair may be freed. A listener's queued ends are closed too, their
 * clients reset (ECONNRESET); a pair of theirs whose ends are now both closed is freed
 * here, counted in c->pairs_freed. */
gboolean sim_sock_close(SimSock *s, SimSockCtx *c);

/* Queries */
static inline gboolean sim_sock_pair_closed(const SimSockPair *sp)
{
	return sp->end[0].closed && sp->end[1].closed;
}
/* What a buffer carrying `linear` bytes in its head and data_len in pages costs. */
gsize sim_sock_truesize(gsize linear, gsize data_len);
const char *sim_sock_type_name(int type);    /* "stream", "dgram", "seqpacket", or NULL */
int sim_sock_type_by_name(const char *name); /* -1 when it is none */

/* Debug */
gboolean sim_sock_check(const SimSock *s);

#endif /* MSGSIM_SOCK_H */
