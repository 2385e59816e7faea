/* thread.c — starts a thread: `msgsim exec` must refuse it with a clear message. */
#include <pthread.h>
#include <stdio.h>

static void *run(void *arg)
{
	return arg;
}

int main(void)
{
	pthread_t t;
	if (pthread_create(&t, NULL, run, NULL) != 0)
		return 1;
	pthread_join(t, NULL);
	puts("joined");
	return 0;
}
