ALTER TABLE `api_keys` ADD `unique_name` text;--> statement-breakpoint
-- Bytebeam's live keys had unique names already (checked in the process); the index keeps them so.
UPDATE `api_keys` SET `unique_name` = `name` WHERE `vendor` = 'bytebeam' AND `revoked_at` IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_tenant_unique_name` ON `api_keys` (`tenant_id`,`unique_name`);