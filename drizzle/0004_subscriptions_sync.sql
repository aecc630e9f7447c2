CREATE TABLE "partner_center_syncs" (
	"partner_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"cloud" text NOT NULL,
	"kind" text NOT NULL,
	"trigger" text NOT NULL,
	"status" text NOT NULL,
	"job_id" text,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"done" integer DEFAULT 0 NOT NULL,
	"total" integer,
	"checkpoint" jsonb,
	"counts" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"error" text,
	CONSTRAINT "partner_center_syncs_partner_id_id_pk" PRIMARY KEY("partner_id","id")
);
--> statement-breakpoint
CREATE TABLE "subscription_access_changes" (
	"partner_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"subscription_id" uuid NOT NULL,
	"customer_id" uuid NOT NULL,
	"batch_id" uuid NOT NULL,
	"action" text NOT NULL,
	"reason" text NOT NULL,
	"requested_by" text NOT NULL,
	"provider_id" uuid,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"error_code" text,
	"error_message" text,
	"correlation_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "subscription_access_changes_partner_id_id_pk" PRIMARY KEY("partner_id","id")
);
--> statement-breakpoint
CREATE TABLE "subscriptions" (
	"partner_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"customer_id" uuid NOT NULL,
	"cloud" text NOT NULL,
	"microsoft_id" text NOT NULL,
	"kind" text NOT NULL,
	"offer_id" text NOT NULL,
	"offer_name" text NOT NULL,
	"friendly_name" text NOT NULL,
	"service_family" text NOT NULL,
	"quantity" integer NOT NULL,
	"unit_type" text,
	"billing_cycle" text,
	"term_duration" text,
	"status" text NOT NULL,
	"auto_renew" boolean,
	"commitment_end_date" timestamp with time zone,
	"cancellation_allowed_until" timestamp with time zone,
	"scheduled_changes" jsonb,
	"suspension_reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"etag" text,
	"upstream" jsonb NOT NULL,
	"synced_at" timestamp with time zone NOT NULL,
	"upstream_removed_at" timestamp with time zone,
	"notes" text,
	"suspended_by" text,
	"suspended_at" timestamp with time zone,
	"saved_auto_renew" boolean,
	"saved_scheduled_changes" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "subscriptions_partner_id_id_pk" PRIMARY KEY("partner_id","id"),
	CONSTRAINT "subscriptions_quantity" CHECK ("subscriptions"."quantity" >= 0)
);
--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "source" text DEFAULT 'local' NOT NULL;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "upstream" jsonb;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "synced_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "upstream_removed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "subscription_access_changes" ADD CONSTRAINT "subscription_access_changes_partner_id_subscription_id_subscriptions_partner_id_id_fk" FOREIGN KEY ("partner_id","subscription_id") REFERENCES "public"."subscriptions"("partner_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_partner_id_customer_id_customers_partner_id_id_fk" FOREIGN KEY ("partner_id","customer_id") REFERENCES "public"."customers"("partner_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "partner_center_syncs_latest" ON "partner_center_syncs" USING btree ("partner_id","cloud","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "partner_center_syncs_one_running" ON "partner_center_syncs" USING btree ("partner_id","cloud") WHERE "partner_center_syncs"."status" = 'running';--> statement-breakpoint
CREATE INDEX "subscription_access_changes_subscription" ON "subscription_access_changes" USING btree ("partner_id","subscription_id");--> statement-breakpoint
CREATE INDEX "subscription_access_changes_due" ON "subscription_access_changes" USING btree ("status","next_attempt_at") WHERE "subscription_access_changes"."status" in ('pending', 'waiting');--> statement-breakpoint
CREATE INDEX "subscription_access_changes_provider" ON "subscription_access_changes" USING btree ("provider_id","status") WHERE "subscription_access_changes"."provider_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "subscriptions_microsoft_id" ON "subscriptions" USING btree ("partner_id",lower("microsoft_id"));--> statement-breakpoint
CREATE INDEX "subscriptions_customer" ON "subscriptions" USING btree ("partner_id","customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "customers_partner_tenant" ON "customers" USING btree ("partner_id","tenant_id") WHERE "customers"."tenant_id" is not null;