#!/bin/sh
# Writes the fuzzing dictionary to stdout: every keyword-like string literal of the parser
# (its keyword tables and the words it tests for: is_word(t, "eof"), take_int(p, "size")...),
# the language's punctuation, numbers at the edges of its types, and the entries of a dictionary given as $1 (the shared one),
# sorted and without duplicates.
#
#   tests/fuzz/mkdict.sh [../shared/fuzz/dict.txt] > tests/fuzz/scenario.dict
set -eu
cd "$(dirname "$0")/../.."
{
	# String literals of the front end (sim/lang/), of the calls' parse hooks (the
	# Parsing sections of each family's file) and of the limits table that are one word
	# (error messages have spaces).
	{
		cat sim/lang/*.c sim/lang/scn_int.h sim/kernel/limits.c
		awk '/^\/\* ---- / { on = /---- Parsing/ } /^const SimCallDesc/ { on = 0 } on' \
			sim/calls/call_*.c
	} | grep -ohE '"[A-Za-z_][A-Za-z0-9_-]{0,23}"'
	# The calls' keywords, from their rows (KIND_ROW(SIM_STMT_X, "word", ...)), so that a new
	# call is in the dictionary before the shared one learns it.
	grep -ohE '\(SIM_STMT_[A-Z0-9_]+, *"[a-z_0-9]+"' sim/calls/call_*.c | grep -oE '"[a-z_0-9]+"'
	# ... and from rows written with designated fields (.kind = SIM_STMT_X, .name = "word").
	grep -ohE 'SIM_STMT_[A-Z0-9_]+, *\.name = "[a-z_0-9]+"' sim/calls/call_*.c | grep -oE '"[a-z_0-9]+"'
	# Punctuation, the forms glued to a word and the operators of ${...} expressions.
	for w in '{' '}' '[' ']' '(' ')' ',' '=' '|' '->' '<=' '>=' '==' '.r' '.w' '.from' '$' \
		'${' '!=' '&&' '||' '..' '+' '*' '/' '%' '.type' '.prio' '.len' '.sender' \
		'$self' '$index' '@' '#' '\"' '\\n'; do
		printf '"%s"\n' "$w"
	done
	# Numbers at the edges of the types the parser converts to (int, gint64, SimTime in
	# seconds), which mutations of small numbers seldom reach.
	for w in 2147483647 2147483648 4294967295 4294967296 9223372036854775807 \
		9223372036854775808 18446744073709551615 9223372036s 9223372036854ms -1; do
		printf '"%s"\n' "$w"
	done
	if [ $# -ge 1 ] && [ -r "$1" ]; then
		grep -E '^"' "$1"
	fi
} | grep -vxE '"(sim-scn-error-quark|fuzz|msgsim)"' | LC_ALL=C sort -u
