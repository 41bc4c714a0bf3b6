#!/usr/bin/env bash
# Runs every benchmark and prints its figures; a missed target in one does not hide the others.
# The browser benchmarks serve build/ (built first when it is missing; rebuild after changes).
status=0
for bench in validation sandbox http workshop pages terminal editor; do
  npm run --silent "bench:$bench" || status=1
done
exit $status
