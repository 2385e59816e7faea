/* msgdata.h — what the lecture's sender and receiver (msgsnd.c, msgrcv.c) share: the
 * message they exchange and how they give up.
 *
 * The text is 512 bytes because the default queue holds 16384 (msgmnb): 32 messages fit.
 * At the largest size a message may have (msgmax, 8192), only two would.
 */
#ifndef MSGDATA_H
#define MSGDATA_H

#include <stdio.h>
#include <stdlib.h>

#define TEXT_SIZE 512
#define QUEUE_BYTES 16384 /* the default msgmnb */
#define PROJ_ID 0x27	  /* ftok's project id: any nonzero byte */

struct msg_struct {
	long msg_type;
	char mtext[TEXT_SIZE]; /* any bytes; here a word */
};

/* perror(what), then the program ends with EXIT_FAILURE. */
static inline void die(const char *what)
{
	perror(what);
	exit(EXIT_FAILURE);
}

#endif /* MSGDATA_H */
