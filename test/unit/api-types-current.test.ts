/**
 * The designer's API types (designer/src/api/schema.generated.ts) are generated from the
 * OpenAPI document; a route or schema change without `npm run gen:api` would leave the designer
 * typed against an old contract. Regenerates to memory and compares with the committed file.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_TYPES_FILE, generateApiTypes } from '../../scripts/gen-api-types.ts';

describe('designer API types', () => {
  it('are what npm run gen:api makes from the current OpenAPI document', async () => {
    const generated = await generateApiTypes();
    const committed = readFileSync(API_TYPES_FILE, 'utf8');
    // A plain boolean first: a diff of two 4,000-line files is no help, the instruction is.
    expect(committed === generated, 'designer/src/api/schema.generated.ts is out of date: run npm run gen:api').toBe(true);
  });

  it('describe every socket.io event of the document', async () => {
    const generated = await generateApiTypes();
    for (const name of ['task.assigned', 'task.updated', 'ticket.routed', 'ticket.updated', 'instance.updated', 'notification', 'cc.created']) {
      expect(generated).toContain(`"${name}": components["schemas"]`);
    }
  });
});
