"""Jobs of signing up."""

from celery import shared_task

from tenants.onboarding import services


@shared_task(name="tenants.tasks.signups_purge", ignore_result=True)
def signups_purge() -> int:
    return services.signups_purge_expired()
