/* scn_field.c — the fields of the structs a call fills (outfield.h): their names, their
 * slots, and how the model's numbers and the kernel's become slots.
 *
 * struct msginfo is filled as ipc/msg.c's msgctl_info fills it: IPC_INFO gives the limits
 * and three compile-time constants (MSGPOOL, MSGMAP, MSGTQL); MSG_INFO puts in their place
 * the queues in use, the messages queued and their bytes in the whole namespace. Both give
 * MSGSSZ (16) and MSGSEG (65535, the kernel's cap on its 16-bit field).
 *
 * The design choice: a stat's st_mode is split into its type and its permission bits, so
 * `type=fifo` and `mode=0600` are checked apart, as an instructor asks them.
 */
#define _GNU_SOURCE

#include "msgsim/lang/outfield.h"

#include <string.h>
#include <sys/stat.h>

#include "msgsim/lang/scn.h"

#define MSGMNB_DEFAULT 16384 /* MSGMNB of include/uapi/linux/msg.h */
#define MSGPOOL (32000 * 16384 / 1024)
#define MSGSSZ 16
#define MSGSEG 0xffff

static const SimOutField fields[] = {
	{ "msgpool", SIM_OUT_MSGINFO, 0, SIM_OUT_DEC },
	{ "msgmap", SIM_OUT_MSGINFO, 1, SIM_OUT_DEC },
	{ "msgmax", SIM_OUT_MSGINFO, 2, SIM_OUT_DEC },
	{ "msgmnb", SIM_OUT_MSGINFO, 3, SIM_OUT_DEC },
	{ "msgmni", SIM_OUT_MSGINFO, 4, SIM_OUT_DEC },
	{ "msgssz", SIM_OUT_MSGINFO, 5, SIM_OUT_DEC },
	{ "msgtql", SIM_OUT_MSGINFO, 6, SIM_OUT_DEC },
	{ "msgseg", SIM_OUT_MSGINFO, 7, SIM_OUT_DEC },
	{ "type", SIM_OUT_STAT, 0, SIM_OUT_FILETYPE },
	{ "mode", SIM_OUT_STAT, 1, SIM_OUT_OCTAL },
	{ "size", SIM_OUT_STAT, 2, SIM_OUT_DEC },
	{ "nlink", SIM_OUT_STAT, 3, SIM_OUT_DEC },
	{ "uid", SIM_OUT_STAT, 4, SIM_OUT_DEC },
};

static const struct {
	const char *word;
	gint64 bits;
} types[] = { { "fifo", S_IFIFO },   { "regular", S_IFREG }, { "socket", S_IFSOCK },
	      { "dir", S_IFDIR },    { "chr", S_IFCHR },     { "blk", S_IFBLK },
	      { "symlink", S_IFLNK } };

const SimOutField *sim_out_field_lookup(const char *name)
{
	for (guint i = 0; i < G_N_ELEMENTS(fields); i++)
		if (strcmp(fields[i].name, name) == 0)
			return &fields[i];
	return NULL;
}

const SimOutField *sim_out_field(guint i)
{
	return &fields[i];
}

guint sim_out_field_count(void)
{
	return G_N_ELEMENTS(fields);
}

guint sim_out_field_index(const SimOutField *f)
{
	return (guint)(f - fields);
}

const char *sim_out_group_calls(SimOutGroup g)
{
	return g == SIM_OUT_MSGINFO ? "msgctl info or msg_info" : "fstat or stat";
}

SimOutGroup sim_out_group_of(const SimStmt *st)
{
	if (st->kind == SIM_STMT_MSGCTL &&
	    (st->sysv.cmd == SIM_CTL_INFO || st->sysv.cmd == SIM_CTL_MSG_INFO))
		return SIM_OUT_MSGINFO;
	if (st->kind == SIM_STMT_FSTAT || st->kind == SIM_STMT_STAT)
		return SIM_OUT_STAT;
	return SIM_OUT_NONE;
}

gboolean sim_out_filetype(const char *word, gint64 *bits)
{
	for (guint i = 0; i < G_N_ELEMENTS(types); i++)
		if (strcmp(types[i].word, word) == 0) {
			*bits = types[i].bits;
			return TRUE;
		}
	return FALSE;
}

void sim_out_append(GString *s, const SimOutField *f, gint64 value)
{
	g_string_append_printf(s, " %s=", f->name);
	if (f->format == SIM_OUT_OCTAL) {
		g_string_append_printf(s, "0%" G_GINT64_MODIFIER "o", value);
		return;
	}
	if (f->format == SIM_OUT_FILETYPE)
		for (guint i = 0; i < G_N_ELEMENTS(types); i++)
			if (types[i].bits == value) {
				g_string_append(s, types[i].word);
				return;
			}
	g_string_append_printf(s, "%" G_GINT64_FORMAT, value);
}

void sim_out_msginfo(gint64 *out, gboolean msg_info, gint64 in_use, gint64 msgs, gint64 bytes,
		     gint64 msgmax, gint64 msgmnb, gint64 msgmni)
{
	memset(out, 0, SIM_OUT_SLOTS * sizeof *out);
	out[0] = msg_info ? in_use : MSGPOOL;
	out[1] = msg_info ? msgs : MSGMNB_DEFAULT; /* MSGMAP */
	out[2] = msgmax;
	out[3] = msgmnb;
	out[4] = msgmni;
	out[5] = MSGSSZ;
	out[6] = msg_info ? bytes : MSGMNB_DEFAULT; /* MSGTQL */
	out[7] = MSGSEG;
}

void sim_out_stat(gint64 *out, gint64 mode, gint64 size, gint64 nlink, gint64 uid)
{
	memset(out, 0, SIM_OUT_SLOTS * sizeof *out);
	out[0] = mode & S_IFMT;
	out[1] = mode & 07777;
	out[2] = size;
	out[3] = nlink;
	out[4] = uid;
}

void sim_out_from_real(const SimStmt *st, const gint64 *stat, gint64 *out)
{
	SimOutGroup g = sim_out_group_of(st);
	if (g == SIM_OUT_MSGINFO)
		memcpy(out, stat, SIM_OUT_SLOTS * sizeof *out);
	else if (g == SIM_OUT_STAT)
		sim_out_stat(out, stat[0], stat[1], stat[2], stat[3]);
}
