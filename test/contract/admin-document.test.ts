// openapi/keyforge.yaml is generated, never edited: it must be exactly what the script renders.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { ADMIN_DOCUMENT, renderAdminDocument } from '../../scripts/generate-admin-openapi.js';

it('openapi/keyforge.yaml is what `npm run openapi:admin` generates from the admin routes', async () => {
  const checkedIn = readFileSync(ADMIN_DOCUMENT, 'utf8');
  expect(checkedIn, 'openapi/keyforge.yaml is stale: run `npm run openapi:admin` and commit the result').toBe(await renderAdminDocument());
});
