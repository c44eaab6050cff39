"""What beat queues, and how often (seconds). Periodic jobs start in the public schema
and fan out one task per System (the task names are checked by
tests/ops/test_beat_schedule.py)."""

from __future__ import annotations


def schedule(*, heartbeat_seconds: int) -> dict[str, dict]:
    entries = [
        ("worker-heartbeat", "servicedesk.tasks.heartbeat", heartbeat_seconds),
        ("system-pool-refill", "tenants.tasks.pool_refill", 300),
        ("operator-access-expiry", "legal.tasks.accesses_expire", 60),
        ("terms-announce", "legal.tasks.terms_announce_due", 300),
        # Invoices, trial and payment reminders, suspensions, retention: one task a System.
        ("systems-daily", "tenants.tasks.systems_daily", 3600),
        ("metrics-snapshot", "tenants.tasks.metrics_snapshot", 6 * 3600),
        ("signups-purge", "tenants.tasks.signups_purge", 3600),
        # Exports whose worker died (its lease lapsed) are queued again.
        ("exports-resume-stalled", "tenants.tasks.exports_resume_stalled", 60),
        ("exports-expire", "tenants.tasks.exports_expire", 600),
        # A backup for every System its plan says is due (daily without a plan).
        ("backups-schedule", "tenants.tasks.backups_schedule", 600),
        ("backups-resume-stalled", "tenants.tasks.backups_resume_stalled", 120),
        ("backups-expire", "tenants.tasks.backups_expire", 3600),
        ("backups-verify", "tenants.tasks.backups_verify", 6 * 3600),
        # A restore whose worker died is undone and marked failed; the operator starts again.
        ("restores-fail-stalled", "tenants.tasks.restores_fail_stalled", 120),
        ("restore-requests-overdue", "tenants.tasks.restore_requests_overdue", 300),
        # Mailboxes admins connected (IMAP): one poll a System, read-only.
        ("mailboxes-poll", "tickets.mail.tasks.mailboxes_poll_all", 60),
        # SLA warnings before a breach and breach mail, each once per ticket and target.
        ("sla-check", "tickets.sla.tasks.sla_check_all", 60),
        # The reports' daily rollup: today and yesterday, and days late changes touched.
        ("reports-rollup", "tickets.reports.tasks.report_rollup_all", 300),
        ("trash-purge", "tickets.tasks.trash_purge_all", 3600),
        # Webhooks: deliveries whose (re)try is due, and the log past WEBHOOKS_LOG_DAYS.
        ("webhooks-scan", "tickets.webhooks.tasks.deliveries_scan_all", 30),
        ("webhooks-purge", "tickets.webhooks.tasks.deliveries_purge_all", 6 * 3600),
        ("system-deletions-due", "tenants.tasks.system_deletions_due", 300),
        # Restores and imports write files the storage counter didn't see.
        ("storage-recount", "tenants.tasks.storage_recount_all", 24 * 3600),
    ]
    return {name: {"task": task, "schedule": every} for name, task, every in entries}
