/** The admin's calls for a form's public links (server/routes/publicLinks.ts), typed from the OpenAPI document. */
import { call } from '../api/client.ts';
import type { ApiRequestBody, ApiResponse } from '../api/types.ts';

export type PublicLink = ApiResponse<'createFormPublicLink'>;
export type NewPublicLink = ApiRequestBody<'createFormPublicLink'>;

export const publicLinksApi = {
  list: (key: string) => call('listFormPublicLinks', { path: { key } }),
  create: (key: string, body: NewPublicLink) => call('createFormPublicLink', { path: { key }, body }),
  revoke: (key: string, id: string) => call('revokeFormPublicLink', { path: { key, id } }),
};

/** The full address to hand out: this server's origin and the link's path. */
export function linkUrl(link: Pick<PublicLink, 'path'>): string {
  return `${window.location.origin}${link.path}`;
}
