/**
 * The order test files start in. With two workers the run ends when the last long file ends,
 * so long files go first and the many short API files fill the gaps after them. vitest's own
 * order does that from the durations of an earlier run on this machine; a fresh CI machine has
 * none and vitest falls back to file size, which puts some browser files (30–60 s each) after
 * API files of a few seconds. Without durations, browser files therefore start first.
 */
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const isBrowserFile = (spec: TestSpecification) => spec.moduleId.split(path.sep).join('/').includes('/test/e2e/');

export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const root = this.ctx.config.root;
    const known = files.every((spec) =>
      this.ctx.cache.getFileTestResults(`${spec.project.name}:${path.relative(root, spec.moduleId)}`),
    );
    if (known) return sorted;
    return [...sorted.filter(isBrowserFile), ...sorted.filter((spec) => !isBrowserFile(spec))];
  }
}
