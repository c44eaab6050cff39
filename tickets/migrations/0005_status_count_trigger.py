from django.db import migrations

KEEP_COUNTS = """
CREATE OR REPLACE FUNCTION tickets_count_status() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE tickets_statuscount SET n = n - 1 WHERE status = OLD.status;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO tickets_statuscount (status, n) VALUES (NEW.status, 1)
        ON CONFLICT (status) DO UPDATE SET n = tickets_statuscount.n + 1;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER tickets_count_status_insert_delete
    AFTER INSERT OR DELETE ON tickets_ticket
    FOR EACH ROW EXECUTE FUNCTION tickets_count_status();
CREATE TRIGGER tickets_count_status_update
    AFTER UPDATE OF status ON tickets_ticket
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION tickets_count_status();

INSERT INTO tickets_statuscount (status, n)
SELECT status, count(*) FROM tickets_ticket GROUP BY status
ON CONFLICT (status) DO UPDATE SET n = EXCLUDED.n;
"""

DROP = """
DROP TRIGGER IF EXISTS tickets_count_status_update ON tickets_ticket;
DROP TRIGGER IF EXISTS tickets_count_status_insert_delete ON tickets_ticket;
DROP FUNCTION IF EXISTS tickets_count_status();
"""


class Migration(migrations.Migration):
    """Counts per status, kept by the database whoever writes tickets (services, seeding,
    imports), in the same transaction."""

    dependencies = [("tickets", "0004_fast_lists")]

    operations = [migrations.RunSQL(KEEP_COUNTS, DROP, hints={"model_name": "statuscount"})]
