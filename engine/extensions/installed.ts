/**
 * Whether the features have registered with the extension points (engine/features.ts). The
 * core reads the registries through `assertFeaturesInstalled`, so an entry point that forgot
 * `installFeatures()` fails loudly instead of running without approvals, flow forms or
 * automations.
 */
let installed = false;

export function markFeaturesInstalled(): void {
  installed = true;
}

export function assertFeaturesInstalled(reader: string): void {
  if (installed) return;
  throw new Error(
    `${reader}: the engine's features are not installed; call installFeatures() from engine/features.ts at start (createEngine does)`,
  );
}
