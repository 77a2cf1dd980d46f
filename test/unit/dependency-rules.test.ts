/**
 * The import rules of .dependency-cruiser.cjs hold for engine/, server/ and the designer, and
 * they bite: the same rule set finds the deliberate cycle in test/fixtures/dependency-cycle.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseOptions, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// Cruising ~400 modules with the TypeScript compiler takes a while on a busy machine.
const CRUISE_MS = 180_000;

let options: ICruiseOptions;
let tsConfig: unknown;

beforeAll(async () => {
  // Paths in the rules are relative to the repository root.
  process.chdir(root);
  options = await extractDepcruiseOptions(path.join(root, '.dependency-cruiser.cjs'));
  tsConfig = extractTSConfig(path.join(root, 'tsconfig.json'));
});

async function violationsOf(targets: string[], overrides: Partial<ICruiseOptions> = {}): Promise<IViolation[]> {
  const result = await cruise(targets, { ...options, ...overrides }, undefined, { tsConfig });
  return (result.output as ICruiseResult).summary.violations;
}

/** One line per violation: the rule, the import, and for a cycle every module on it. */
function describeViolations(violations: IViolation[]): string {
  return violations
    .map((violation) => {
      const via = violation.cycle?.length ? `\n      cycle: ${[violation.from, ...violation.cycle.map((step) => step.name)].join(' → ')}` : '';
      return `  ${violation.rule.name}: ${violation.from} → ${violation.to}${via}`;
    })
    .join('\n');
}

describe('dependency rules (.dependency-cruiser.cjs)', () => {
  it(
    'engine/, server/ and designer/src break none of them',
    async () => {
      const violations = await violationsOf(['engine', 'server', 'designer/src']);
      expect(violations.length, `${violations.length} import rule violation(s):\n${describeViolations(violations)}`).toBe(0);
    },
    CRUISE_MS,
  );

  it(
    'find a deliberate import cycle (test/fixtures/dependency-cycle: a.ts ↔ b.ts)',
    async () => {
      // The fixture is excluded from the main cruise; here it is the only target.
      const violations = await violationsOf(['test/fixtures/dependency-cycle'], { exclude: { path: 'node_modules' } });
      const cycles = violations.filter((violation) => violation.rule.name === 'no-circular');
      expect(cycles, describeViolations(violations)).toHaveLength(1);
      const onCycle = [cycles[0]!.from, ...(cycles[0]!.cycle ?? []).map((step) => step.name)];
      expect([...new Set(onCycle)].sort()).toEqual(['test/fixtures/dependency-cycle/a.ts', 'test/fixtures/dependency-cycle/b.ts']);
    },
    CRUISE_MS,
  );
});
