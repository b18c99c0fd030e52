#!/bin/sh
# Compiles the recorded programs into $1 (default /tmp/perfleak_record/bin).
set -e
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-/tmp/perfleak_record/bin}
mkdir -p "$bin"
for c in c_malloc_leak c_frag_service c_fd_leak; do
  gcc -O2 -Wall -Werror -o "$bin/$c" "$here/programs/$c.c" -lm
done
for c in c_thread_burst c_thread_leak; do
  gcc -O2 -Wall -Werror -pthread -o "$bin/$c" "$here/programs/$c.c"
done
for c in sqlite_session_leak sqlite_bounded; do
  gcc -O2 -Wall -Werror -o "$bin/$c" "$here/programs/$c.c" -lsqlite3
done
javac -d "$bin" "$here"/programs/*.java
