/* stdin.c — a program that reads its terminal every way a program can: fgets, getchar,
 * read and readv, on descriptor 0, on a dup of it, on /dev/stdin and /dev/tty opened, on a
 * descriptor number that was a file before (read once, closed, then reused by dup(0) or
 * after close_range), so that what msgsim knows of a descriptor must follow it. Under
 * `msgsim exec --input FILE` each read takes the next line, then end of file (tests/exec.sh).
 *
 * usage: stdin FILE   (any readable file: the descriptor that is a file before)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

static void show(const char *how, ssize_t n, const char *buf)
{
	if (n < 0)
		printf("%s: %s\n", how, strerror(errno));
	else /* what was read, its newline left out */
		printf("%s: %zd [%.*s]\n", how, n, (int)(n && buf[n - 1] == '\n' ? n - 1 : n), buf);
}

/* A file read at descriptor fd, then closed: fd is free again. */
static void file_at(const char *path, int fd)
{
	int f = open(path, O_RDONLY);
	if (f != fd) {
		dup2(f, fd);
		close(f);
	}
	char c;
	printf("file at %d: %zd\n", fd, read(fd, &c, 1));
}

int main(int argc, char **argv)
{
	char buf[64] = "";
	if (argc != 2) {
		fprintf(stderr, "usage: %s FILE\n", argv[0]);
		return 2;
	}
	printf("name? ");
	fflush(stdout);
	if (fgets(buf, sizeof buf, stdin))
		printf("fgets: [%.*s]\n", (int)strcspn(buf, "\n"), buf);
	printf("(y/n)");
	int c = getchar();
	printf("getchar: %d\n", c);
	show("read 3 bytes", read(0, buf, 3), buf);
	show("the rest of that line", read(0, buf, sizeof buf), buf);
	int d = dup(0);
	show("dup(0)", read(d, buf, sizeof buf), buf);
	close(d);
	int s = open("/dev/stdin", O_RDONLY);
	show("/dev/stdin", read(s, buf, sizeof buf), buf);
	close(s);
	file_at(argv[1], 5);
	close(5);
	d = dup(0);
	while (d < 5)
		d = dup(0);
	show("dup(0) where a file was", read(5, buf, sizeof buf), buf);
	file_at(argv[1], 6);
	syscall(SYS_close_range, 6, 6, 0);
	dup2(0, 7);
	d = fcntl(0, F_DUPFD, 6);
	printf("F_DUPFD gave %d\n", d);
	char a[2], b[32];
	struct iovec iov[2] = { { a, sizeof a }, { b, sizeof b } };
	ssize_t n = readv(d, iov, 2);
	printf("readv after close_range: %zd [%.2s|%.*s]\n", n, a, n > 2 ? (int)(n - 3) : 0, b);
	show("pread", pread(0, buf, sizeof buf, 0), buf);
	int t = open("/dev/tty", O_RDONLY);
	show("/dev/tty", read(t, buf, sizeof buf), buf);
	show("at the end", read(0, buf, sizeof buf), buf);
	return 0;
}
