/* sem-wake-order.c — a probe of the real kernel's semaphore wake-up order, the facts
 * scenarios/sem/wake-order.scn and sim/kernel/sem.c rest on. Run it in a private IPC
 * namespace, so that it meets nothing of the machine's and leaves nothing behind:
 *
 *   cc -O2 -o /tmp/sem-wake-order reports/probes/sem-wake-order.c && unshare -i /tmp/sem-wake-order
 *
 * Each child blocks in one semop, in a known order (the parent waits until GETNCNT or
 * GETZCNT has counted it); the parent then posts, waits a little and reports which
 * children have returned and the values. Expected output is at the end of this file.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/wait.h>
#include <unistd.h>

static int id;
static pid_t kids[8];
static const char *names[8];
static int n_kids;

static void child(const char *name, struct sembuf *ops, size_t n, int semnum, int zero)
{
	int before = semctl(id, semnum, zero ? GETZCNT : GETNCNT);
	pid_t pid = fork();
	if (pid == 0) {
		_exit(semop(id, ops, n) == 0 ? 0 : 1);
	}
	names[n_kids] = name;
	kids[n_kids++] = pid;
	while (semctl(id, semnum, zero ? GETZCNT : GETNCNT) == before)
		usleep(1000);
}

static void report(const char *what)
{
	usleep(50000);
	printf("%-26s done:", what);
	for (int i = 0; i < n_kids; i++) {
		int st;
		if (kids[i] && waitpid(kids[i], &st, WNOHANG) == kids[i]) {
			printf(" %s", names[i]);
			kids[i] = 0;
		}
	}
	printf("  values: %d %d\n", semctl(id, 0, GETVAL), semctl(id, 1, GETVAL));
}

int main(void)
{
	id = semget(IPC_PRIVATE, 2, 0600);
	struct sembuf big[] = { { 0, -2, 0 } }, small[] = { { 0, -1, 0 } };
	struct sembuf both[] = { { 0, -1, 0 }, { 1, -1, 0 } }, zero[] = { { 1, 0, 0 } };
	child("big", big, 1, 0, 0);
	child("small", small, 1, 0, 0);
	child("both", both, 2, 0, 0);
	struct sembuf p1[] = { { 0, 1, 0 } };
	semop(id, p1, 1);
	report("post (0,+1):");
	struct sembuf p2[] = { { 0, 2, 0 }, { 1, 1, 0 } };
	semop(id, p2, 2);
	report("post (0,+2) (1,+1):");
	child("zero", zero, 1, 1, 1);
	semctl(id, 0, SETVAL, 1);
	report("setval 0 1:");
	semctl(id, 0, IPC_RMID);
	return 0;
}
/* Linux 6.18 (the project's machine):
 *   post (0,+1):               done: small  values: 0 0
 *   post (0,+2) (1,+1):        done: big  values: 0 1
 *   setval 0 1:                done: both zero  values: 0 0
 */
