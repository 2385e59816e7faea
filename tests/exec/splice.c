/* splice.c — moves its terminal's input into a pipe with splice(2), a read msgsim could not
 * show: `msgsim exec` refuses it (tests/exec.sh).
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	int p[2];
	if (pipe(p) == -1) {
		perror("pipe");
		return 1;
	}
	printf("spliced %zd\n", splice(0, NULL, p[1], NULL, 16, 0));
	return 0;
}
