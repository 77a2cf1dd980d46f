/**
 * Deploying a template app's processes (`app.json` → `workflows`, files in the top-level
 * `workflows/<id>.bpmn`) through the engine's own deploy, so a template model is checked and
 * compiled exactly like an admin's. Runs inside the bootstrap transaction (its advisory lock
 * serializes nodes starting together), so two nodes never deploy the same file twice.
 *
 * - Not deployed yet → deploy the file.
 * - Deployed, and the latest version's XML is an EARLIER template version of the file (its
 *   fingerprint is listed in `workflows/replaces.json` under the process id) → deploy the file
 *   as the next version: an untouched template process follows the template.
 * - Anything else (the same file, or an admin's own redeploy) is left alone.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { deployDefinition } from '../engine/commands/deployDefinition.ts';
import type { CommandDeps } from '../engine/commands/runCommand.ts';
import { definitionXml, latestDefinition } from '../engine/store/definitions.ts';
import { readTemplateApp, readWorkflowXml, workflowsDir } from './app.ts';

/** SHA-256 of a model's text with line endings normalised (a checkout on Windows must not count as a change). */
export function workflowFingerprint(xml: string): string {
  return createHash('sha256').update(xml.replace(/\r\n/g, '\n').trim()).digest('hex');
}

/** `workflows/replaces.json`: process id → fingerprints of the files shipped before. */
export function workflowReplaces(): Record<string, string[]> {
  const file = path.join(workflowsDir, 'replaces.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string[]>) : {};
}

export interface WorkflowInstall {
  deployed: string[];
  upgraded: string[];
}

/** `deps.db` is the bootstrap transaction; the deploy runs as a savepoint in it. `replaces`: for tests. */
export async function installTemplateWorkflows(
  deps: CommandDeps,
  appKey: string,
  deployedBy: string | null,
  replaces: Record<string, string[]> = workflowReplaces(),
): Promise<WorkflowInstall> {
  const result: WorkflowInstall = { deployed: [], upgraded: [] };
  for (const processId of readTemplateApp(appKey).workflows) {
    const xml = readWorkflowXml(processId);
    const latest = await latestDefinition(deps.db, processId);
    if (latest) {
      const installed = workflowFingerprint((await definitionXml(deps.db, latest.id)) ?? '');
      if (installed === workflowFingerprint(xml) || !(replaces[processId] ?? []).includes(installed)) continue;
    }
    const { definitions } = await deployDefinition(deps, xml, deployedBy);
    if (!definitions.some((definition) => definition.key === processId)) {
      throw new Error(`workflows/${processId}.bpmn does not define the process "${processId}"`);
    }
    (latest ? result.upgraded : result.deployed).push(processId);
  }
  return result;
}
