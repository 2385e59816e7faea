/* tty.c — a guest's standard output and error are a terminal, so stdio buffers by line:
 * "one" reaches the screen before "two" (on stderr, unbuffered) as at a shell. On a pipe or
 * a file stdout would be fully buffered and "one" would come out last, with "three". */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	printf("stdout %s a terminal, stderr %s\n", isatty(1) ? "is" : "is not",
	       isatty(2) ? "too" : "not");
	printf("one\n");
	fprintf(stderr, "two\n");
	printf("three\n");
	return 0;
}
