#!/usr/bin/env bash
# Runs every benchmark and prints its figures; a missed target in one does not hide the others.
# The browser benchmarks serve build/: run `npm run build` first.
status=0
for bench in validation sandbox terminal editor; do
  npm run --silent "bench:$bench" || status=1
done
exit $status
