CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`vendor` text NOT NULL,
	`tenant_id` text NOT NULL,
	`project_id` text,
	`name` text,
	`kind` text NOT NULL,
	`scopes` text,
	`lookup_id` text NOT NULL,
	`hash` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer,
	`last_used_at` integer,
	`revoked_at` integer,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`project_id`) REFERENCES `projects`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_vendor_lookup` ON `api_keys` (`vendor`,`lookup_id`);--> statement-breakpoint
CREATE INDEX `api_keys_tenant_created` ON `api_keys` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `api_keys_project` ON `api_keys` (`project_id`);--> statement-breakpoint
CREATE TABLE `projects` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`vendor` text NOT NULL,
	`external_id` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `projects_vendor_external` ON `projects` (`vendor`,`external_id`);--> statement-breakpoint
CREATE INDEX `projects_tenant` ON `projects` (`tenant_id`);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `tenants` (
	`id` text PRIMARY KEY NOT NULL,
	`vendor` text NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tenants_vendor_name` ON `tenants` (`vendor`,`name`);