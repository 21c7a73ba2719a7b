ALTER TABLE "api_keys" ADD COLUMN "root" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "faults" ADD COLUMN "tenant" text;--> statement-breakpoint
ALTER TABLE "journal" ADD COLUMN "emulated_at" bigint;--> statement-breakpoint
-- Keys stored before this column: root credentials are the ones keyforge itself made (a Bytebeam key
-- named "keyforge" also writes that creator on the keys it makes, but those always have a name).
UPDATE "api_keys" SET "root" = true WHERE "created_by" = 'keyforge' AND ("vendor" <> 'bytebeam' OR "name" IS NULL);
