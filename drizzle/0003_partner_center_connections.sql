CREATE TABLE "partner_center_connections" (
	"partner_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"cloud" text NOT NULL,
	"tenant_id" text NOT NULL,
	"client_id" text NOT NULL,
	"client_secret" text NOT NULL,
	"refresh_token" text,
	"refresh_token_issued_at" timestamp with time zone,
	"base_url" text,
	"authority" text,
	"status" text DEFAULT 'untested' NOT NULL,
	"last_checked_at" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "partner_center_connections_partner_id_id_pk" PRIMARY KEY("partner_id","id"),
	CONSTRAINT "partner_center_connections_cloud_known" CHECK ("partner_center_connections"."cloud" in ('public', 'usgov', 'china')),
	CONSTRAINT "partner_center_connections_status_known" CHECK ("partner_center_connections"."status" in ('untested', 'ok', 'failed')),
	CONSTRAINT "partner_center_connections_refresh_token_dated" CHECK (("partner_center_connections"."refresh_token" is null) = ("partner_center_connections"."refresh_token_issued_at" is null))
);
--> statement-breakpoint
ALTER TABLE "partner_center_connections" ADD CONSTRAINT "partner_center_connections_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "partner_center_connections_cloud" ON "partner_center_connections" USING btree ("partner_id","cloud");