#!/bin/sh
# Every C file is clang-formatted.
top=${1:?source dir}
cf=${2:-clang-format}
cd "$top" || exit 2
bad=""
for f in $(find src include tests stress fuzz bench -name '*.c' -o -name '*.h' | sort); do
  "$cf" --dry-run -Werror "$f" >/dev/null 2>&1 || bad="$bad $f"
done
if [ -n "$bad" ]; then echo "not clang-formatted (run clang-format -i):$bad"; exit 1; fi
echo "format: ok"
