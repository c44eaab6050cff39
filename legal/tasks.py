from celery import shared_task

from legal.models import Announcement, ServiceNotice, ServiceNoticeUpdate, TermsVersion
from legal.services import service_notices, terms
from legal.services.access import accesses_expire as expire
from legal.services.consents import announcement_deliver as deliver


@shared_task(name="legal.tasks.terms_announce_due", ignore_result=True)
def terms_announce_due() -> int:
    """Beat, in public: fan out one notice task per System for terms that took effect."""
    return terms.terms_announce_due()


@shared_task(
    name="legal.tasks.terms_notify_system",
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=5,
)
def terms_notify_system(version_id: int) -> int:
    """In one System (the task carries its schema); sends each person one email, ever."""
    version = TermsVersion.objects.get(pk=version_id)
    return terms.terms_notify_system(version=version)


@shared_task(
    name="legal.tasks.terms_publication_announce",
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=5,
)
def terms_publication_announce(version_id: int) -> int:
    """In public, queued when a version is published: one task per System, once."""
    return terms.terms_publication_announce(version_id=version_id)


@shared_task(
    name="legal.tasks.terms_publication_notify_system",
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=5,
)
def terms_publication_notify_system(version_id: int) -> int:
    """In one System: each active person gets the announcement once, however often it runs."""
    version = TermsVersion.objects.filter(pk=version_id).first()
    if version is None:  # the operator withdrew it before it took effect
        return 0
    return terms.terms_publication_notify_system(version=version)


@shared_task(name="legal.tasks.accesses_expire", ignore_result=True)
def accesses_expire() -> int:

    return expire()


@shared_task(
    name="legal.tasks.announcement_deliver",
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=5,
)
def announcement_deliver(announcement_id: int) -> int:

    return deliver(announcement=Announcement.objects.get(pk=announcement_id))


@shared_task(
    name="legal.tasks.service_notice_fan_out",
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=5,
)
def service_notice_fan_out(notice_id: int, update_id: int = 0) -> int:
    """In public, queued when a notice is published or updated: one task per System."""
    return service_notices.service_notice_fan_out(notice_id=notice_id, update_id=update_id)


@shared_task(
    name="legal.tasks.service_notice_deliver",
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=5,
)
def service_notice_deliver(notice_id: int, update_id: int = 0) -> int:
    """In one System: its owners and admins get the notice (or the update) once each."""
    notice = ServiceNotice.objects.filter(pk=notice_id).first()
    if notice is None:  # deleted meanwhile
        return 0
    update = ServiceNoticeUpdate.objects.filter(pk=update_id, notice=notice).first()
    if update_id and update is None:
        return 0
    return service_notices.service_notice_deliver(notice=notice, update=update)
