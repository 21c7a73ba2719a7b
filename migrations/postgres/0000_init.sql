CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"vendor" text NOT NULL,
	"tenant_id" text NOT NULL,
	"project_id" text,
	"name" text,
	"kind" text NOT NULL,
	"scopes" jsonb,
	"lookup_id" text NOT NULL,
	"hash" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"expires_at" timestamp (3) with time zone,
	"last_used_at" timestamp (3) with time zone,
	"revoked_at" timestamp (3) with time zone,
	"unique_name" text
);
--> statement-breakpoint
CREATE TABLE "faults" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "faults_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"vendor" text NOT NULL,
	"path" text,
	"status" integer,
	"latency_ms" integer,
	"probability" double precision NOT NULL,
	"count" integer,
	"hits" integer DEFAULT 0 NOT NULL,
	"remaining" integer
);
--> statement-breakpoint
CREATE TABLE "journal" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "journal_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" bigint NOT NULL,
	"instance" text NOT NULL,
	"vendor" text NOT NULL,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"status" integer NOT NULL,
	"latency_ms" double precision NOT NULL,
	"tenant" text,
	"key_id" text,
	"request_headers" text NOT NULL,
	"request_body" text,
	"response_headers" text NOT NULL,
	"response_type" text,
	"response_body" text,
	"refusal" text
);
--> statement-breakpoint
CREATE TABLE "projects" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"vendor" text NOT NULL,
	"external_id" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rate_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"window_ends_at" bigint NOT NULL,
	"hits" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tenants" (
	"id" text PRIMARY KEY NOT NULL,
	"vendor" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_vendor_lookup" ON "api_keys" USING btree ("vendor","lookup_id");--> statement-breakpoint
CREATE INDEX "api_keys_tenant_created" ON "api_keys" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "api_keys_tenant_name" ON "api_keys" USING btree ("tenant_id","name");--> statement-breakpoint
CREATE INDEX "api_keys_project" ON "api_keys" USING btree ("project_id");--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_tenant_unique_name" ON "api_keys" USING btree ("tenant_id","unique_name");--> statement-breakpoint
CREATE INDEX "journal_at" ON "journal" USING btree ("at","id");--> statement-breakpoint
CREATE INDEX "journal_vendor_at" ON "journal" USING btree ("vendor","at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "projects_vendor_external" ON "projects" USING btree ("vendor","external_id");--> statement-breakpoint
CREATE INDEX "projects_tenant" ON "projects" USING btree ("tenant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "tenants_vendor_name" ON "tenants" USING btree ("vendor","name");