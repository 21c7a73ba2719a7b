// Every way a generated document may differ from the vendor's own document, and why. The
// contract test fails on a difference not listed here, and on an entry that no longer
// matches one, so this list is always exactly the current set of differences.
// Lines read `<operation> <where>: <what> <spec value> in spec, <our value> in keyforge`.
import type { VendorName } from '../../src/vendors/dialect.js';

export interface AllowedDifference {
  difference: string | RegExp;
  reason: string;
}

/** Operations keyforge serves beyond the vendor document's create call. */
const lifecycle = (operations: string[], reason: string): AllowedDifference[] =>
  operations.map((op) => ({ difference: `document: operation ${op} only in keyforge`, reason }));

const LIFECYCLE =
  'lifecycle call docs/contract.md asks for (list, get, revoke/delete); the vendor document covers create only';

/**
 * Statuses keyforge answers that the vendor's document does not list (auth, permission,
 * not-found, limits, faults): documented with the vendor-shaped body and an example, and
 * marked as keyforge's in their description (openapi.test.ts checks the mark).
 */
const KEYFORGE_STATUSES: AllowedDifference = {
  difference: /^POST \S+: response (\d{3}|default) only in keyforge$/,
  reason:
    "keyforge documents every status it can answer; those the vendor's document does not list are marked as keyforge's",
};

const requiredOnlyHere = (differences: string[], vendor: string): AllowedDifference[] =>
  differences.map((difference) => ({
    difference,
    reason: `${vendor}'s document marks no response field required; keyforge always sends them, so its schema says so`,
  }));

export const ALLOWED: Partial<Record<VendorName, AllowedDifference[]>> = {
  basic: [
    ...lifecycle(
      [
        'GET /project/{id}/key',
        'GET /project/{id}/key/{key_id}',
        'DELETE /project/{id}/key/{key_id}',
        'POST /project/{id}/key/verify',
      ],
      LIFECYCLE,
    ),
    ...requiredOnlyHere(
      [
        'POST /project/{id}/key response 200 application/json (root): required (none) in spec, key in keyforge',
        'POST /project/{id}/key response 200 application/json .key: required (none) in spec, created_at, id, label, roles, value in keyforge',
        'POST /project/{id}/key response 400 application/json (root): required (none) in spec, error, message in keyforge',
        'POST /project/{id}/key response 401 application/json (root): required (none) in spec, error, message in keyforge',
      ],
      'Basic',
    ),
    KEYFORGE_STATUSES,
  ],

  baseten: [...lifecycle(['GET /v1/api_keys', 'DELETE /v1/api_keys/{api_key_prefix}'], LIFECYCLE), KEYFORGE_STATUSES],

  bytebeam: [...lifecycle(['GET /api/v1/apikeys', 'DELETE /api/v1/apikeys/{name}'], LIFECYCLE), KEYFORGE_STATUSES],

  peaka: [
    ...lifecycle(['GET /projects/{projectId}/apiKeys', 'DELETE /projects/{projectId}/apiKeys/{apiKeyId}'], LIFECYCLE),
    {
      difference:
        /^POST \/projects\/\{projectId\}\/apiKeys request body application\/json \.(name|expiresAt): type string in spec, null, string in keyforge$/,
      reason:
        'Peaka (Spring + Jackson) binds a JSON null to an absent field, so keyforge accepts null for name and expiresAt',
    },
    ...requiredOnlyHere(
      [
        'POST /projects/{projectId}/apiKeys response 200 application/json (root): required (none) in spec, apiKey, apiKeyId in keyforge',
      ],
      'Peaka',
    ),
    KEYFORGE_STATUSES,
  ],

  imtegrate: [
    ...lifecycle(['GET /v1/api-keys', 'POST /v1/api-keys/{id}/revoke'], LIFECYCLE),
    {
      difference: 'document: security scheme HTTPBearer only in keyforge',
      reason:
        "Imtegrate's document has no security scheme, only an optional Authorization header parameter, which OpenAPI tools " +
        "ignore (the name is reserved): without a scheme Swagger UI's Try it out could never send the key",
    },
    {
      difference: 'POST /v1/api-keys: security (none) in spec, HTTPBearer in keyforge',
      reason: 'the HTTPBearer scheme above',
    },
    {
      difference: 'POST /v1/api-keys: parameter header authorization only in spec',
      reason: 'replaced by the HTTPBearer scheme above, which sends the same header',
    },
    KEYFORGE_STATUSES,
  ],
};
