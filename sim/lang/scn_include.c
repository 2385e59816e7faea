/* scn_include.c — `include "file.scn"`: another file's declarations read in at that point.
 *
 * The design choice to know: an included file is lexed when its include is met and its
 * tokens are put into the token array right after the include, so the parser reads one
 * stream of tokens and knows nothing of files. Every token keeps its own file in its
 * location (SimLoc.file), which is how an error inside an included file names that file,
 * its line and column, and the chain of includes that led to it. The file's bytes are
 * appended to the text being parsed (p->src), so that a token's offsets mean the same
 * thing whichever file it came from.
 *
 * A path is relative to the directory of the file that includes it. Including a file that
 * is being read already (a cycle), nesting includes more than SCN_MAX_INCLUDE_DEPTH deep or
 * reading more than SCN_MAX_SOURCES files is an error at the include. Files are read as
 * the scenario file is (scn_read_file: a regular file, bounded in size); the user names
 * them, so no link is refused, but what is read is the file that was opened.
 */
#include "lang/scn_int.h"

#include <string.h>
#include <sys/stat.h>

static void clear_source(gpointer data)
{
	Source *s = data;
	g_free(s->name);
	g_free(s->dir);
}

void scn_sources_init(Parser *p)
{
	p->sources = scn_array_new(sizeof(Source), clear_source);
	Source main = { .name = g_strdup(p->file),
			.dir = g_path_get_dirname(p->file),
			.base = 0,
			.len = p->len };
	struct stat st;
	/* The scenario file is known by name only when it was read from one: a text parsed
	 * from memory may name no file, and then cannot be included by mistake anyway. */
	if (strcmp(p->file, "<stdin>") != 0 && stat(p->file, &st) == 0) {
		main.dev = (guint64)st.st_dev;
		main.ino = (guint64)st.st_ino;
	}
	g_array_append_val(p->sources, main);
}

const Source *scn_source(const Parser *p, guint file)
{
	g_assert(p->sources && file < p->sources->len);
	return &g_array_index(p->sources, Source, file);
}

/* Whether the file (dev, ino) is `from` or one of the files that include it. */
static const Source *being_read(const Parser *p, guint from, guint64 dev, guint64 ino)
{
	for (guint f = from;; f = loc_file(scn_source(p, f)->from)) {
		const Source *s = scn_source(p, f);
		if ((s->dev || s->ino) && s->dev == dev && s->ino == ino)
			return s;
		if (f == 0)
			return NULL;
	}
}

/* "a.scn includes b.scn includes a.scn", for the error about a cycle. */
static char *chain(const Parser *p, guint from, const char *again)
{
	GString *s = g_string_new(again);
	for (guint f = from;; f = loc_file(scn_source(p, f)->from)) {
		g_string_prepend(s, " includes ");
		g_string_prepend(s, scn_source(p, f)->name);
		if (f == 0 || !strcmp(scn_source(p, f)->name, again))
			break;
	}
	return g_string_free(s, FALSE);
}

/* Appends a file's text to p->src (kept in p->all from the first include on). */
static gsize append_text(Parser *p, const char *text, gsize len)
{
	if (!p->all)
		p->all = g_string_new_len(p->src, (gssize)p->len);
	gsize base = p->all->len;
	g_string_append_len(p->all, text, (gssize)len);
	p->src = p->all->str;
	p->len = p->all->len;
	return base;
}

/* Lexes source `file` and puts its tokens (but its end) at p->pos. */
static void splice(Parser *p, guint file)
{
	const Source *s = scn_source(p, file);
	g_autoptr(GArray) toks = g_array_new(FALSE, TRUE, sizeof(Tok));
	scn_lex_part(p, s->base, s->len, file, toks);
	Tok *last = &g_array_index(toks, Tok, toks->len - 1);
	guint n = toks->len;
	if (last->kind == TOK_EOF)
		n--; /* the file ends; the including file goes on */
	g_array_insert_vals(p->toks, p->pos, toks->data, n);
	if (n < toks->len)
		scn_tok_clear(last);
	/* The tokens belong to p->toks now; toks has no clear function. */
}

gboolean scn_parse_include(Parser *p)
{
	advance(p);
	const Tok *t = tok(p);
	if (t->kind != TOK_STRING)
		return scn_expected(p, "a file name in double quotes after 'include'");
	if (!*t->text)
		return scn_fail_tok(p, t, E_SYNTAX, "an include needs a file name, not \"\"");
	SimLoc at = t->loc;
	const Source *from = scn_source(p, loc_file(at));
	if (from->depth + 1 > SCN_MAX_INCLUDE_DEPTH)
		return scn_fail_at(p, at, SIM_SCN_ERROR_LIMIT,
				   "includes nested too deeply: at most %d files may include one "
				   "another in a chain",
				   SCN_MAX_INCLUDE_DEPTH);
	if (p->sources->len >= SCN_MAX_SOURCES)
		return scn_fail_at(p, at, SIM_SCN_ERROR_LIMIT,
				   "too many included files: a scenario may read at most %d files",
				   SCN_MAX_SOURCES);
	/* Beside a scenario file named without a directory, the path is shown as written. */
	g_autofree char *path = g_path_is_absolute(t->text) || !strcmp(from->dir, ".")
					? g_strdup(t->text)
					: g_build_filename(from->dir, t->text, NULL);
	g_autofree char *text = NULL;
	gsize len = 0;
	guint64 dev = 0, ino = 0;
	g_autoptr(GError) error = NULL;
	if (!scn_read_file(path, &text, &len, &dev, &ino, &error)) {
		/* "PATH: error: cannot read: WHY" becomes the include's own error. */
		const char *why = strstr(error->message, ": error: ");
		return scn_fail_at(p, at, (SimScnErrorCode)error->code, "cannot include \"%s\"%s",
				   t->text, why ? why + 7 : error->message);
	}
	const Source *again = being_read(p, loc_file(at), dev, ino);
	if (again) {
		g_autofree char *cycle = chain(p, loc_file(at), again->name);
		return scn_fail_at(p, at, E_MISUSE,
				   "include cycle: %s (a file cannot include itself, directly or "
				   "not)",
				   cycle);
	}
	if (p->len + len > (gsize)SIM_SCN_MAX_BYTES * 4)
		return scn_fail_at(p, at, SIM_SCN_ERROR_LIMIT,
				   "cannot include \"%s\": the scenario and its included files would "
				   "pass %d bytes",
				   t->text, SIM_SCN_MAX_BYTES * 4);
	guint file = p->sources->len;
	Source s = { .name = g_strdup(path),
		     .dir = g_path_get_dirname(path),
		     .from = at,
		     .depth = from->depth + 1,
		     .len = len,
		     .dev = dev,
		     .ino = ino };
	g_array_append_val(p->sources, s);
	if (!scn_check_source(p, text, len, file))
		return FALSE;
	g_array_index(p->sources, Source, file).base = append_text(p, text, len);
	advance(p); /* t is not read again: the token array grows below */
	splice(p, file);
	return TRUE;
}
