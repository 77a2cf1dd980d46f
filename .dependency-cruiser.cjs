/**
 * Import rules of Liuzhuan, checked in `npm test` (test/unit/dependency-rules.test.ts) and by
 * `npm run lint:deps`. See docs/architecture.md, "Layers and extension points".
 *
 * Core vs features (engine/):
 *  - core: runtime/ (the token interpreter and unit of work), bpmn/ (the compiler), and what
 *    they stand on: expressions/, timers/, store/, db/, extensions/ (the registries features
 *    plug into), and the top-level errors.ts, events.ts, limits.ts, storableText.ts.
 *  - features: approval/, automations/, effects/, forms/, identity/, inbox/, notifications/,
 *    printing/, routing/ — they register with extensions/ at start (engine/features.ts).
 *  - above both: commands/ (the command executor and one file per command), jobs/ (the job
 *    executor), engine.ts (the public face), api.ts (its public types), features.ts.
 */
const FEATURE_FOLDERS = ['approval', 'automations', 'effects', 'forms', 'identity', 'inbox', 'notifications', 'printing', 'routing'];
const CORE = '^engine/(runtime|bpmn)/';

/** Modules the designer (a browser bundle) may share with the engine: pure, no Node, no database. */
const BROWSER_SHARED = ['^engine/expressions/feel\\.ts$', '^engine/forms/messages\\.ts$', '^engine/bpmn/liuzhuan\\.json$'];

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment:
        'No import cycles (type-only ones included): a module must be able to be imported first. ' +
        'Behaviours reach the interpreter through step.ops; features reach the core through engine/extensions/. ' +
        "The designer's React components are not held to it yet (three cycles between pages and their parts).",
      severity: 'error',
      from: { pathNot: '^designer/' },
      to: { circular: true },
    },
    {
      name: 'core-imports-no-feature',
      comment: `engine/runtime and engine/bpmn know no feature (${FEATURE_FOLDERS.join(', ')}): features register with engine/extensions/.`,
      severity: 'error',
      from: { path: CORE },
      to: { path: `^engine/(${FEATURE_FOLDERS.join('|')})/` },
    },
    {
      name: 'core-imports-no-upper-layer',
      comment: 'engine/runtime and engine/bpmn are below the commands, the job executor and the public face.',
      severity: 'error',
      from: { path: CORE },
      to: { path: '^engine/(commands|jobs)/|^engine/(engine|api|features)\\.ts$' },
    },
    {
      name: 'routes-use-the-public-face',
      comment: 'server/routes call the engine only through engine/engine.ts (the engine object) and engine/api.ts (its public types).',
      severity: 'error',
      from: { path: '^server/routes/' },
      to: { path: '^engine/', pathNot: '^engine/(engine|api)\\.ts$' },
    },
    {
      name: 'designer-imports-no-engine-or-server',
      comment:
        'The designer is a browser bundle: nothing from engine/ or server/ at run time (type-only imports are erased), ' +
        'except the browser-safe modules it shares with the engine (the FEEL checker, form messages, the moddle descriptor).',
      severity: 'error',
      from: { path: '^designer/' },
      to: { path: '^(engine|server)/', pathNot: BROWSER_SHARED, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'browser-shared-modules-stay-pure',
      comment: 'What the designer shares with the engine imports nothing else of engine/ or server/, so the bundle cannot grow into them.',
      severity: 'error',
      from: { path: BROWSER_SHARED },
      to: { path: '^(engine|server)/' },
    },
  ],
  options: {
    // Follow the project's .ts imports (with their extensions) as tsc resolves them, type-only ones included.
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^test/fixtures/', 'node_modules', '^designer/dist/'] },
  },
};
