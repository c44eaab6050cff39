from django.db import migrations

FORBID = """
CREATE OR REPLACE FUNCTION accounts_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER accounts_audit_no_change
    BEFORE UPDATE OR DELETE ON accounts_auditevent
    FOR EACH ROW EXECUTE FUNCTION accounts_audit_append_only();
CREATE TRIGGER accounts_audit_no_truncate
    BEFORE TRUNCATE ON accounts_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION accounts_audit_append_only();
"""

ALLOW = """
DROP TRIGGER IF EXISTS accounts_audit_no_truncate ON accounts_auditevent;
DROP TRIGGER IF EXISTS accounts_audit_no_change ON accounts_auditevent;
DROP FUNCTION IF EXISTS accounts_audit_append_only();
"""


class Migration(migrations.Migration):
    """The audit log refuses UPDATE, DELETE and TRUNCATE, whoever asks."""

    dependencies = [("accounts", "0002_invitations_seats_audit")]

    operations = [
        migrations.RunSQL(FORBID, ALLOW, hints={"model_name": "auditevent"}),
    ]
