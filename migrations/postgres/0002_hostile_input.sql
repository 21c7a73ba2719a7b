-- Client-chosen names are indexed by their SHA-256 (a btree entry holds at most ~2.7 KB). IMMUTABLE
-- although convert_to is STABLE: converting text to the database's own UTF-8 always gives the same bytes.
CREATE FUNCTION keyforge_sha256(value text) RETURNS bytea LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT sha256(convert_to(value, 'UTF8')) $$;--> statement-breakpoint
DROP INDEX "api_keys_tenant_name";--> statement-breakpoint
DROP INDEX "api_keys_tenant_unique_name";--> statement-breakpoint
DROP INDEX "tenants_vendor_name";--> statement-breakpoint
ALTER TABLE "faults" ALTER COLUMN "id" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "faults" ALTER COLUMN "id" SET MAXVALUE 9223372036854775807;--> statement-breakpoint
ALTER TABLE "faults" ALTER COLUMN "count" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "faults" ALTER COLUMN "hits" SET DATA TYPE bigint;--> statement-breakpoint
ALTER TABLE "faults" ALTER COLUMN "remaining" SET DATA TYPE bigint;--> statement-breakpoint
CREATE INDEX "api_keys_tenant_name" ON "api_keys" USING btree ("tenant_id",keyforge_sha256("name"));--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_tenant_unique_name" ON "api_keys" USING btree ("tenant_id",keyforge_sha256("unique_name"));--> statement-breakpoint
CREATE UNIQUE INDEX "tenants_vendor_name" ON "tenants" USING btree ("vendor",keyforge_sha256("name"));