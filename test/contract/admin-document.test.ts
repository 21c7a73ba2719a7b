// The checked-in generated documents (openapi/keyforge.yaml and openapi/extensions/*.yaml) are
// never edited: each must be exactly what the script renders from the routes.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { renderDocuments } from '../../scripts/generate-admin-openapi.js';

it('the checked-in generated documents are what `npm run openapi:admin` renders from the routes', async () => {
  for (const { file, text } of await renderDocuments()) {
    const name = fileURLToPath(file);
    expect(existsSync(file), `${name} is missing: run \`npm run openapi:admin\` and commit it`).toBe(true);
    expect(readFileSync(file, 'utf8'), `${name} is stale: run \`npm run openapi:admin\` and commit the result`).toBe(
      text,
    );
  }
});
