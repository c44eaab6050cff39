from django.db import migrations

# Tickets in the trash are not counted: a status count is what the lists can show.
COUNT_LIVE = """
CREATE OR REPLACE FUNCTION tickets_count_status() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        IF OLD.deleted_at IS NULL THEN
            UPDATE tickets_statuscount SET n = n - 1 WHERE status = OLD.status;
        END IF;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        IF NEW.deleted_at IS NULL THEN
            INSERT INTO tickets_statuscount (status, n) VALUES (NEW.status, 1)
            ON CONFLICT (status) DO UPDATE SET n = tickets_statuscount.n + 1;
        END IF;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS tickets_count_status_update ON tickets_ticket;
CREATE TRIGGER tickets_count_status_update
    AFTER UPDATE OF status, deleted_at ON tickets_ticket
    FOR EACH ROW WHEN (
        OLD.status IS DISTINCT FROM NEW.status
        OR (OLD.deleted_at IS NULL) IS DISTINCT FROM (NEW.deleted_at IS NULL)
    )
    EXECUTE FUNCTION tickets_count_status();

UPDATE tickets_statuscount SET n = 0;
INSERT INTO tickets_statuscount (status, n)
SELECT status, count(*) FROM tickets_ticket WHERE deleted_at IS NULL GROUP BY status
ON CONFLICT (status) DO UPDATE SET n = EXCLUDED.n;
"""

COUNT_ALL = """
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

DROP TRIGGER IF EXISTS tickets_count_status_update ON tickets_ticket;
CREATE TRIGGER tickets_count_status_update
    AFTER UPDATE OF status ON tickets_ticket
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION tickets_count_status();

UPDATE tickets_statuscount SET n = 0;
INSERT INTO tickets_statuscount (status, n)
SELECT status, count(*) FROM tickets_ticket GROUP BY status
ON CONFLICT (status) DO UPDATE SET n = EXCLUDED.n;
"""


class Migration(migrations.Migration):
    """The status counters (0005) leave out tickets in the trash: moving one there counts
    as leaving its status, restoring it as coming back, purging it changes nothing."""

    dependencies = [("tickets", "0006_trash")]

    operations = [migrations.RunSQL(COUNT_LIVE, COUNT_ALL, hints={"model_name": "statuscount"})]
