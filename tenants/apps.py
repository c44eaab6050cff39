from django.apps import AppConfig


class TenantsConfig(AppConfig):
    """The tenancy core and, in sub-packages, what spans every app (onboarding, billing,
    lifecycle, portability, backups, operations). Here they are wired to the hooks the
    lower layers offer, so those never import them."""

    name = "tenants"
    verbose_name = "Customers and Systems"

    def ready(self) -> None:
        from servicedesk import celery_task, mail
        from tenants import selectors, storage
        from tenants.backups.selectors import system_restored_from
        from tenants.billing import checks  # noqa: F401 - registers the deploy check
        from tenants.billing.services import invoice_paid
        from tenants.lifecycle.services import on_invoice_paid, system_deleted
        from tenants.management.demo_tickets import mail_held
        from tenants.portability.selectors import export_archive_bytes
        from tenants.portability.services.exports import on_system_deleted

        mail.silencer(selectors.current_system_silenced)
        mail.silencer(mail_held)  # while `manage.py demo` writes its backdated tickets
        mail.system_lookup(selectors.current_system_locale)
        celery_task.schema_successor(lambda schema: system_restored_from(schema_name=schema))
        storage.storage_source("export archives")(export_archive_bytes)
        invoice_paid.connect(on_invoice_paid, dispatch_uid="lifecycle_on_invoice_paid")
        system_deleted.connect(on_system_deleted, dispatch_uid="portability_on_system_deleted")
