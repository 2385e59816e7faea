/* clock.c — clock_gettime, gettimeofday and time of real programs, on the virtual clock.
 *
 * glibc reads the clocks through the vDSO, code the kernel maps into every process that
 * never enters the kernel, so no seccomp filter sees those reads. The one design choice to
 * know: the vDSO's clock entry points are overwritten in each new program image with a
 * three-instruction stub that makes the real system call (mov eax, NR; syscall; ret),
 * which the filter traps and this file answers from the virtual clock. The patch is made
 * through /proc/PID/mem (which writes a private copy of a read-only page, as a debugger's
 * breakpoint does) when the image makes its first arch_prctl: both the dynamic loader
 * and a static binary's start-up set their thread pointer with it before any code of the
 * program runs, so static binaries and raw syscall(2) are covered too. CLOCK_REALTIME is
 * the simulated epoch (SIM_IPCS_EPOCH, the one `ipcs` shows) plus the virtual time;
 * CLOCK_MONOTONIC and CLOCK_BOOTTIME are the virtual time; the per-process and per-thread
 * CPU clocks stay the kernel's, and the trace says so once per guest.
 */
#undef _POSIX_C_SOURCE
#define _GNU_SOURCE

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "exec/exec_int.h"
#include "msgsim/output/ipcs.h"

/* The vDSO's base in the guest (AT_SYSINFO_EHDR), or 0. */
static guint64 vdso_base(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/auxv", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	guint64 pair[2], base = 0;
	while (read(fd, pair, sizeof pair) == (ssize_t)sizeof pair && pair[0] != AT_NULL)
		if (pair[0] == AT_SYSINFO_EHDR)
			base = pair[1];
	close(fd);
	return base;
}

static int stub_nr(const char *name)
{
	if (g_str_has_prefix(name, "__vdso_"))
		name += 7;
	if (strcmp(name, "clock_gettime") == 0)
		return __NR_clock_gettime;
	if (strcmp(name, "gettimeofday") == 0)
		return __NR_gettimeofday;
	if (strcmp(name, "time") == 0)
		return __NR_time;
	return -1;
}

/* Overwrites every clock entry point of the vDSO mapped at base (its section headers and
 * .dynsym lie inside the mapping, offsets from base). Returns how many were patched, or
 * -1 with errno. */
static int patch_vdso(int mem, guint64 base)
{
	Elf64_Ehdr eh;
	Elf64_Shdr sh[64];
	if (pread(mem, &eh, sizeof eh, (off_t)base) != (ssize_t)sizeof eh ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_shnum > G_N_ELEMENTS(sh))
		return errno = ENOEXEC, -1;
	gsize shsz = eh.e_shnum * sizeof *sh;
	if (pread(mem, sh, shsz, (off_t)(base + eh.e_shoff)) != (ssize_t)shsz)
		return -1;
	int patched = 0;
	for (guint i = 0; i < eh.e_shnum; i++) {
		if (sh[i].sh_type != SHT_DYNSYM || sh[i].sh_link >= eh.e_shnum)
			continue;
		const Elf64_Shdr *st = &sh[sh[i].sh_link];
		char str[4096] = { 0 };
		Elf64_Sym sym[128];
		gsize nsym = MIN(sh[i].sh_size / sizeof *sym, G_N_ELEMENTS(sym));
		gsize nstr = MIN(st->sh_size, sizeof str - 1);
		if (pread(mem, str, nstr, (off_t)(base + st->sh_offset)) != (ssize_t)nstr ||
		    pread(mem, sym, nsym * sizeof *sym, (off_t)(base + sh[i].sh_offset)) !=
			    (ssize_t)(nsym * sizeof *sym))
			return -1;
		for (gsize j = 0; j < nsym; j++) {
			int nr = sym[j].st_name < nstr ? stub_nr(str + sym[j].st_name) : -1;
			if (nr < 0 || sym[j].st_shndx == SHN_UNDEF)
				continue;
			guint64 at = sym[j].st_value >= base ? sym[j].st_value : base + sym[j].st_value;
			unsigned char stub[8] = { 0xb8, (unsigned char)nr, 0, 0, 0, 0x0f, 0x05, 0xc3 };
			if (pwrite(mem, stub, sizeof stub, (off_t)at) != (ssize_t)sizeof stub)
				return -1;
			patched++;
		}
	}
	return patched;
}

/* The guest's image has just set its thread pointer: its vDSO is patched (again after
 * every execve, which maps a fresh one). If that fails its clock reads are the machine's,
 * and the trace says why. */
static void patch_guest(SimExec *x, SimGuest *g)
{
	guint64 base = vdso_base(g->pid);
	if (!base)
		return; /* no vDSO (vdso=0): every clock read is a system call already */
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/mem", (int)g->pid);
	int mem = open(path, O_RDWR | O_CLOEXEC);
	int n = mem < 0 ? -1 : patch_vdso(mem, base);
	int err = errno;
	if (mem >= 0)
		close(mem);
	if (n <= 0)
		sim_exec_trace(x, g, "its clocks read real time: the vDSO could not be patched (%s)",
			       n < 0 ? g_strerror(err) : "no clock entry points");
}

gboolean sim_exec_is_clock(int nr)
{
	return nr == __NR_clock_gettime || nr == __NR_gettimeofday || nr == __NR_time ||
	       nr == __NR_arch_prctl;
}

/* A clock's virtual reading, or FALSE for a clock the model does not keep. */
static gboolean virtual_clock(const SimExec *x, clockid_t id, struct timespec *ts)
{
	SimTime t = sim_world_now(x->w);
	switch (id) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_TAI:
		t += SIM_IPCS_EPOCH * SIM_S;
		break;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_BOOTTIME:
		break;
	default:
		return FALSE;
	}
	ts->tv_sec = (time_t)(t / SIM_S);
	ts->tv_nsec = (long)(t % SIM_S);
	return TRUE;
}

gboolean sim_exec_clock_virtual(int id, const struct timespec *ts, SimTime *t)
{
	gint64 off = 0;
	switch (id) {
	case CLOCK_REALTIME:
	case CLOCK_TAI:
		off = SIM_IPCS_EPOCH;
		break;
	case CLOCK_MONOTONIC:
	case CLOCK_BOOTTIME:
		break;
	default:
		return FALSE;
	}
	gint64 s = (gint64)ts->tv_sec - off;
	if (s >= G_MAXINT64 / SIM_S - 1)
		*t = G_MAXINT64 - 1;
	else
		*t = s < 0 ? 0 : s * SIM_S + ts->tv_nsec;
	return TRUE;
}

static void answer(const SimGuest *g, __u64 id, gint64 val, int err, gboolean cont)
{
	struct seccomp_notif_resp r = { .id = id };
	if (cont)
		r.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	else if (err)
		r.error = -err;
	else
		r.val = val;
	(void)ioctl(g->listener, SECCOMP_IOCTL_NOTIF_SEND, &r);
}

/* Answered the moment it arrives, not at a scheduling point: a clock read changes nothing
 * the others could see, and the virtual clock stands still while guests run, so the answer
 * is the same whichever guest runs first. The guest stays RUNNING, and its g->notif (a
 * call a signal handler interrupted may still be waiting in the model) is left alone. */
void sim_exec_serve_clock(SimExec *x, SimGuest *g, const struct seccomp_notif *nf)
{
	const __u64 *a = nf->data.args;
	struct timespec ts;
	if (x->opt->chooser && nf->data.nr != __NR_arch_prctl)
		sim_exec_choice_clock(x); /* the search: this step saw the time (search.c) */
	switch (nf->data.nr) {
	case __NR_arch_prctl:
		patch_guest(x, g);
		answer(g, nf->id, 0, 0, TRUE);
		return;
	case __NR_clock_gettime:
		if (!virtual_clock(x, (clockid_t)a[0], &ts)) {
			if (!g->clock_said)
				sim_exec_trace(x, g, "clock_gettime(%d) reads the kernel's clock: "
						     "the model keeps no CPU time", (int)a[0]);
			g->clock_said = TRUE;
			answer(g, nf->id, 0, 0, TRUE);
			return;
		}
		answer(g, nf->id, 0, sim_exec_write(g, a[1], &ts, sizeof ts) ? 0 : EFAULT, FALSE);
		return;
	case __NR_gettimeofday: {
		virtual_clock(x, CLOCK_REALTIME, &ts);
		struct timeval tv = { ts.tv_sec, ts.tv_nsec / 1000 };
		struct timezone tz = { 0, 0 };
		gboolean ok = (!a[0] || sim_exec_write(g, a[0], &tv, sizeof tv)) &&
			      (!a[1] || sim_exec_write(g, a[1], &tz, sizeof tz));
		answer(g, nf->id, 0, ok ? 0 : EFAULT, FALSE);
		return;
	}
	default: /* time */
		virtual_clock(x, CLOCK_REALTIME, &ts);
		time_t t = ts.tv_sec;
		if (a[0] && !sim_exec_write(g, a[0], &t, sizeof t))
			answer(g, nf->id, 0, EFAULT, FALSE);
		else
			answer(g, nf->id, (gint64)t, 0, FALSE);
		return;
	}
}
