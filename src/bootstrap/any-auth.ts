// `--auth any`: a made-up but well-formed credential names its own tenant, created on first
// use, so an existing test suite with invented keys works unchanged. The tenant is the one
// the request names (Bytebeam's tenant header) or one named after the key's lookup id.
import type { CredentialHints, Enroller } from '../keys/service.js';
import type { KeyforgeServices, VendorDialect } from '../vendors/dialect.js';

export function enrolAnyCredential(services: KeyforgeServices, dialects: readonly VendorDialect[]): Enroller {
  return async (vendor: string, secret: string, hints: CredentialHints) => {
    const dialect = dialects.find((d) => d.name === vendor);
    const lookupId = dialect?.keyFormat.lookupId(secret);
    if (!dialect || !lookupId) return;
    const tenant = await services.tenants.ensure(vendor, hints.tenant ?? `any-${lookupId}`);
    // A project named in the path is created for this tenant, unless another tenant owns it.
    const project =
      hints.project !== undefined && (await isFree(services, vendor, hints.project, tenant.id))
        ? hints.project
        : undefined;
    await dialect.ensureRootCredential(services, tenant, secret, project);
  };
}

async function isFree(services: KeyforgeServices, vendor: string, project: string, tenantId: string): Promise<boolean> {
  const existing = await services.tenants.findProject(vendor, project);
  return existing === undefined || existing.tenantId === tenantId;
}
