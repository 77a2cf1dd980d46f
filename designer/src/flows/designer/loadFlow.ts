/**
 * Where the designer's XML comes from, in order: the draft kept in this browser (/flows/new
 * writes the new flow's first draft), the latest deployed version on the server.
 */
import { api, ApiError } from '../../api/client.ts';
import type { ApiResponse } from '../../api/types.ts';
import { loadDraft, type Draft } from './drafts.ts';

/** A deployed version as GET /api/definitions lists it. */
export type DefinitionSummary = ApiResponse<'listDefinitions'>[number];

export interface LoadedFlow {
  xml: string;
  source: 'draft' | 'server';
  draft?: Draft;
  /** The latest deployed version, if any. */
  deployed?: DefinitionSummary;
}

type LatestResponse = ApiResponse<'getLatestDefinition'>;

/**
 * `GET /api/definitions/:key/latest` gives the XML in one call; servers without it (the
 * route came later) are asked for the list and `GET /api/definitions/:id/xml`.
 */
export async function fetchDeployed(key: string): Promise<{ deployed: DefinitionSummary; xml: string } | null> {
  try {
    const latest = await api.get<LatestResponse>(`/definitions/${encodeURIComponent(key)}/latest`);
    const { xml, ...deployed } = latest;
    return { deployed, xml };
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 404) throw err;
  }
  const all = await api.get<DefinitionSummary[]>('/definitions');
  const deployed = all.filter((definition) => definition.key === key).sort((a, b) => b.version - a.version)[0];
  if (!deployed) return null;
  const xml = await api.get<string>(`/definitions/${encodeURIComponent(deployed.id)}/xml`);
  return { deployed, xml };
}

export async function loadFlow(key: string): Promise<LoadedFlow | null> {
  const draft = loadDraft(key);
  // Without a draft the server must answer; with one, a failed look-up only hides the version.
  const server = await fetchDeployed(key).catch((err: unknown) => {
    if (draft) return null;
    throw err;
  });
  if (draft) return { xml: draft.xml, source: 'draft', draft, deployed: server?.deployed };
  return server ? { xml: server.xml, source: 'server', deployed: server.deployed } : null;
}
