/* outfield.h — the fields of the structs a call fills, as label expectations name them.
 *
 * `expect @L msgmax=8192 msgpool=2` checks what msgctl IPC_INFO or MSG_INFO put in struct
 * msginfo on the labelled statement's last successful run, and `expect @L type=fifo size=0`
 * what fstat or stat put in struct stat. Each field has a slot in the statement's result
 * (SimStmtResult.out); the call fills the slots, the cross-check fills them from what the
 * kernel gave, and one evaluator (the report) compares them.
 *
 * The one design choice to know: a field belongs to a group (msginfo, stat) and the
 * resolver accepts it only on a statement of that group, so a misplaced field is an error
 * at load, never an expectation that can only fail.
 */
#ifndef MSGSIM_LANG_OUTFIELD_H
#define MSGSIM_LANG_OUTFIELD_H

#include <glib.h>

#define SIM_OUT_SLOTS 8 /* struct msginfo has eight fields, stat's view five */

typedef enum SimOutGroup {
	SIM_OUT_NONE,	 /* the statement fills no struct an expectation can read */
	SIM_OUT_MSGINFO, /* msgctl Q info|msg_info: msgpool msgmap msgmax msgmnb msgmni msgssz
			  * msgtql msgseg, slots 0..7 in struct msginfo's order */
	SIM_OUT_STAT,	 /* fstat D, stat PATH: type (S_IFMT bits), mode (07777 bits), size,
			  * nlink, uid in slots 0..4 */
} SimOutGroup;

typedef enum SimOutFormat {
	SIM_OUT_DEC,	  /* a number */
	SIM_OUT_OCTAL,	  /* permission bits, written 0600 */
	SIM_OUT_FILETYPE, /* S_IFMT bits, written fifo, regular, socket, dir, chr, blk, symlink */
} SimOutFormat;

typedef struct SimOutField {
	const char *name;
	SimOutGroup group;
	guint slot;
	SimOutFormat format;
} SimOutField;

/* The field called `name`, or NULL. */
const SimOutField *sim_out_field_lookup(const char *name);
/* The field of table index i (SimExpectField.field), i < sim_out_field_count(). */
const SimOutField *sim_out_field(guint i);
guint sim_out_field_count(void);
guint sim_out_field_index(const SimOutField *f);
/* The calls a group's fields belong to, for an error: "msgctl info or msg_info". */
const char *sim_out_group_calls(SimOutGroup g);
/* The group the statement fills; SIM_OUT_NONE for any other. */
struct SimStmt;
SimOutGroup sim_out_group_of(const struct SimStmt *st);
/* A file type's word (fifo, regular, ...) as its S_IFMT bits; FALSE for no such word. */
gboolean sim_out_filetype(const char *word, gint64 *bits);
/* " NAME=VALUE" as an expectation writes it (0600, fifo). */
void sim_out_append(GString *s, const SimOutField *f, gint64 value);
/* The slots from the kernel worker's stat[] for the statement's call (real.h's order:
 * msginfo's eight; st_mode, st_size, st_nlink, st_uid). */
void sim_out_from_real(const struct SimStmt *st, const gint64 *stat, gint64 *out);
/* The slots of struct msginfo, from the model's numbers. */
void sim_out_msginfo(gint64 *out, gboolean msg_info, gint64 in_use, gint64 msgs, gint64 bytes,
		     gint64 msgmax, gint64 msgmnb, gint64 msgmni);
/* The slots of stat's view, from st_mode, st_size, st_nlink and st_uid. */
void sim_out_stat(gint64 *out, gint64 mode, gint64 size, gint64 nlink, gint64 uid);

#endif
