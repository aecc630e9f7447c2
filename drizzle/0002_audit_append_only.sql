-- The audit log is append-only: the database itself refuses UPDATE, DELETE and TRUNCATE of audit_events,
-- except in a transaction that ran SET LOCAL partnerdesk.audit_maintenance = 'on' (only the maintenance
-- commands do, and they record themselves). Statement-level, so a large prune costs one check.
CREATE OR REPLACE FUNCTION audit_events_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('partnerdesk.audit_maintenance', true), '') = 'on' THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION 'audit_events is append-only: % is refused', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Only the audit maintenance commands (prune, pseudonymise, demo reset) may change it.';
END
$$;
--> statement-breakpoint
CREATE TRIGGER audit_events_append_only
  BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();
