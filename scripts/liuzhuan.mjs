#!/usr/bin/env node
// The `liuzhuan` bin (package.json "bin"; `npx liuzhuan …` from the project): registers tsx so
// Node runs the TypeScript CLI in scripts/cli/ as it is, without a build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./cli/main.ts');
const { processIo } = await import('./cli/io.ts');
process.exitCode = await main(processIo());
