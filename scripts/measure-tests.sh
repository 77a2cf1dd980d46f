#!/usr/bin/env bash
# Times a test run: wall and CPU seconds (vitest, its workers, PostgreSQL, Chromium) and the
# slowest files. Usage: scripts/measure-tests.sh [vitest file filters…] (none: the whole suite).
# The machine is shared: compare runs started at the same time, or on a quiet machine.
# MEASURE_REPORT=path: where the JSON report goes (two runs measured side by side).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-results
report=${MEASURE_REPORT:-test-results/measure.json}
status=0
/usr/bin/time -f 'wall %e s, cpu %U s user + %S s system' \
  npx vitest run --reporter=dot --reporter=json --outputFile.json="$report" "$@" || status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const files = r.testResults.map((f) => ({ file: f.name.replace(process.cwd() + "/", ""), s: (f.endTime - f.startTime) / 1000 }));
  files.sort((a, b) => b.s - a.s);
  console.log(`${r.numPassedTests}/${r.numTotalTests} tests passed in ${files.length} files; slowest:`);
  for (const f of files.slice(0, 15)) console.log(`${f.s.toFixed(1).padStart(7)} s  ${f.file}`);
' "$report"
exit "$status"
