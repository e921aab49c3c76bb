#!/usr/bin/env bash
# The static checks of `npm test`, side by side (each is single-threaded; together they take the time of the
# slowest instead of the sum). Each one's output is printed whole, in order; the exit code is non-zero if any failed.
set -u
cd "$(dirname "$0")/.."
out=$(mktemp -d)
checks=(typecheck lint format:check cycles)
for name in "${checks[@]}"; do
  npm run --silent "$name" >"$out/$name.log" 2>&1 &
  pids+=($!)
done
status=0
for i in "${!checks[@]}"; do
  if wait "${pids[$i]}"; then result=ok; else result=FAILED; status=1; fi
  echo "── npm run ${checks[$i]}: $result"
  [ "$result" = ok ] || cat "$out/${checks[$i]}.log"
done
rm -rf "$out"
exit $status
