/* printf.h — print's printf form: `print "count = %d, name = %s\n", n, "$m"`.
 *
 * A print followed by a comma and arguments formats them as C's printf does: the format is
 * split when the scenario is read into literal pieces and conversions (%d %i %u %x %X %o
 * %c %s, with the flags - 0 + space #, a width, a precision and the length modifiers hh h l
 * ll z j), each bound to its argument: an expression for a number, a text for %s. At run
 * time the numbers are evaluated, the texts expanded, and each conversion formatted. The
 * design choice to know: a length modifier means what it means on 64-bit Linux. Numbers are
 * 64-bit in the language, and `%d` and `%x` take them as the C program's int would be (the
 * low 32 bits), `%ld` as a long: a program that prints a key with `0x%x` prints exactly what
 * the C program printed. Without arguments a print is puts: its text and a newline, and a
 * '%' in it is only a '%'.
 *
 * Ownership: a SimPrintf owns its pieces, conversion texts, expressions and texts;
 * sim_printf_free frees all of it (NULL is fine). Nothing here reads or changes a world.
 */
#ifndef MSGSIM_PRINTF_H
#define MSGSIM_PRINTF_H

#include "msgsim/lang/expr.h"
#include "msgsim/lang/scn.h"

#define SIM_PRINTF_MAX_WIDTH 4096 /* a width or precision above this is refused */

typedef struct SimPrintfConv {
	char *lit;    /* the literal text before this conversion, %% made % (owned) */
	char *spec;   /* the conversion for g_string_append_printf, with the length that
		       * matches the value it is given: "%-5" G_GINT64_MODIFIER "d" (owned) */
	char conv;    /* d i u x X o c s */
	int bits;     /* the C type's width the value is cut to: 8, 16, 32 or 64 */
	SimExpr *num; /* a number's argument (owned), or NULL for %s */
	SimText text; /* %s: its argument (owned) */
} SimPrintfConv;

typedef struct SimPrintf {
	SimPrintfConv *convs; /* in the order of the format (owned) */
	guint n_convs;
	char *tail; /* the literal text after the last conversion (owned) */
} SimPrintf;

/* Lifecycle */
void sim_printf_free(SimPrintf *pf);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SimPrintf, sim_printf_free)

/* Operations */
/* Splits a format into pieces and conversions, their arguments left empty. FALSE with *err
 * (a text for people, to be freed) and *at (the byte of the format where it went wrong)
 * when the format is not one this module formats. */
gboolean sim_printf_split(const char *format, SimPrintf **out, char **err, gsize *at);
/* Appends conversion i with number v (conversions but %s) or text s (%s) to out. */
void sim_printf_append(GString *out, const SimPrintfConv *c, gint64 v, const char *s);

#endif /* MSGSIM_PRINTF_H */
