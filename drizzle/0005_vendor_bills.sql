CREATE TABLE "vendor_bill_settings" (
	"partner_id" uuid PRIMARY KEY NOT NULL,
	"credit_limit_usd" numeric,
	"warn_days_before" integer DEFAULT 7 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vendor_cost_lines" (
	"partner_id" uuid NOT NULL,
	"delivery_id" uuid NOT NULL,
	"line_number" integer NOT NULL,
	"import_id" uuid NOT NULL,
	"source_name" text,
	"source_line" integer NOT NULL,
	"invoice_number" text,
	"customer_tenant_id" text,
	"customer_id" uuid,
	"customer_name" text,
	"customer_country" text,
	"reseller_mpn_id" text,
	"subscription_id" text,
	"entitlement_id" text,
	"order_id" text,
	"product_id" text,
	"sku_id" text,
	"availability_id" text,
	"product_name" text,
	"sku_name" text,
	"meter_id" text,
	"meter_name" text,
	"meter_category" text,
	"service_family" text NOT NULL,
	"charge_type" text NOT NULL,
	"reference_id" text,
	"period_start" date,
	"period_end" date,
	"charge_start" date,
	"charge_end" date,
	"usage_date" date,
	"quantity" numeric,
	"unit_price" numeric,
	"effective_unit_price" numeric,
	"subtotal" numeric,
	"tax" numeric,
	"cost" numeric NOT NULL,
	"currency" text NOT NULL,
	"pricing_currency" text,
	"pricing_total" numeric,
	"exchange_rate" numeric,
	"credit_type" text,
	"is_reservation" boolean DEFAULT false NOT NULL,
	"billed_delivery_id" uuid,
	"billed_line_number" integer,
	"extra" jsonb,
	CONSTRAINT "vendor_cost_lines_partner_id_delivery_id_line_number_pk" PRIMARY KEY("partner_id","delivery_id","line_number"),
	CONSTRAINT "vendor_cost_lines_line" CHECK ("vendor_cost_lines"."line_number" > 0 and "vendor_cost_lines"."source_line" > 0)
);
--> statement-breakpoint
CREATE TABLE "vendor_deliveries" (
	"partner_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"import_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"form" text NOT NULL,
	"delivery_key" text NOT NULL,
	"invoice_number" text,
	"period" date,
	"currency" text NOT NULL,
	"version" integer NOT NULL,
	"fingerprint" text NOT NULL,
	"line_count" integer NOT NULL,
	"total" numeric NOT NULL,
	"status" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"superseded_at" timestamp with time zone,
	CONSTRAINT "vendor_deliveries_partner_id_id_pk" PRIMARY KEY("partner_id","id")
);
--> statement-breakpoint
CREATE TABLE "vendor_imports" (
	"partner_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"source" text NOT NULL,
	"form" text,
	"cloud" text NOT NULL,
	"file_name" text,
	"storage_key" text,
	"file_bytes" bigint,
	"sha256" text,
	"status" text NOT NULL,
	"rows_read" integer DEFAULT 0 NOT NULL,
	"bytes_read" bigint DEFAULT 0 NOT NULL,
	"error_file" text,
	"error_line" integer,
	"error_column" text,
	"error_message" text,
	"summary" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"started_by" text NOT NULL,
	"job_id" text,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "vendor_imports_partner_id_id_pk" PRIMARY KEY("partner_id","id")
);
--> statement-breakpoint
CREATE TABLE "vendor_invoice_notices" (
	"partner_id" uuid NOT NULL,
	"invoice_id" uuid NOT NULL,
	"notice" text NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	CONSTRAINT "vendor_invoice_notices_partner_id_invoice_id_notice_pk" PRIMARY KEY("partner_id","invoice_id","notice")
);
--> statement-breakpoint
CREATE TABLE "vendor_invoices" (
	"partner_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"invoice_number" text NOT NULL,
	"cloud" text NOT NULL,
	"document_type" text DEFAULT 'invoice' NOT NULL,
	"invoice_date" date NOT NULL,
	"billing_period_start" date,
	"billing_period_end" date,
	"currency" text NOT NULL,
	"total" numeric,
	"terms_days" integer,
	"paid_at" date,
	"paid_amount" numeric,
	"paid_source" text,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "vendor_invoices_partner_id_id_pk" PRIMARY KEY("partner_id","id"),
	CONSTRAINT "vendor_invoices_terms" CHECK ("vendor_invoices"."terms_days" is null or "vendor_invoices"."terms_days" between 0 and 365)
);
--> statement-breakpoint
ALTER TABLE "vendor_bill_settings" ADD CONSTRAINT "vendor_bill_settings_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vendor_deliveries" ADD CONSTRAINT "vendor_deliveries_partner_id_import_id_vendor_imports_partner_id_id_fk" FOREIGN KEY ("partner_id","import_id") REFERENCES "public"."vendor_imports"("partner_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vendor_imports" ADD CONSTRAINT "vendor_imports_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vendor_invoice_notices" ADD CONSTRAINT "vendor_invoice_notices_partner_id_invoice_id_vendor_invoices_partner_id_id_fk" FOREIGN KEY ("partner_id","invoice_id") REFERENCES "public"."vendor_invoices"("partner_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vendor_invoices" ADD CONSTRAINT "vendor_invoices_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "vendor_deliveries_version" ON "vendor_deliveries" USING btree ("partner_id","delivery_key","version");--> statement-breakpoint
CREATE UNIQUE INDEX "vendor_deliveries_one_current" ON "vendor_deliveries" USING btree ("partner_id","delivery_key") WHERE "vendor_deliveries"."status" = 'current';--> statement-breakpoint
CREATE INDEX "vendor_deliveries_invoice" ON "vendor_deliveries" USING btree ("partner_id","invoice_number");--> statement-breakpoint
CREATE INDEX "vendor_imports_latest" ON "vendor_imports" USING btree ("partner_id","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "vendor_invoices_number" ON "vendor_invoices" USING btree ("partner_id","invoice_number");