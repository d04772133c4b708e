#!/bin/sh
# The architecture, enforced: curses only in tui/, SQL only in repo/ and db/.
top=${1:?source dir}
cd "$top" || exit 2
fail=0
bad=$(grep -rlE '#include[[:space:]]*[<"](n?curses|ncursesw/|term\.h)' src/core src/repo src/db src/cli include 2>/dev/null)
if [ -n "$bad" ]; then echo "curses included outside src/tui: $bad"; fail=1; fi
bad=$(grep -rlE 'sqlite3_|<sqlite3\.h>' src/core src/cli src/tui 2>/dev/null)
if [ -n "$bad" ]; then echo "SQLite used outside src/repo and src/db: $bad"; fail=1; fi
bad=$(grep -rnE 'sqlite3_(mprintf|vmprintf|snprintf)' src 2>/dev/null)
if [ -n "$bad" ]; then echo "SQL built from text (use bound parameters): $bad"; fail=1; fi
bad=$(grep -rnE '\b(float|double)\b' src/core/money.c src/repo/fees.c 2>/dev/null)
if [ -n "$bad" ]; then echo "floating point in money code: $bad"; fail=1; fi
if [ $fail -eq 0 ]; then echo "layers: ok"; fi
exit $fail
