ALTER TABLE `api_keys` ADD `root` integer DEFAULT false NOT NULL;--> statement-breakpoint
-- Keys stored before this column: root credentials are the ones keyforge itself made (a Bytebeam key
-- named "keyforge" also writes that creator on the keys it makes, but those always have a name).
UPDATE `api_keys` SET `root` = 1 WHERE `created_by` = 'keyforge' AND (`vendor` <> 'bytebeam' OR `name` IS NULL);
