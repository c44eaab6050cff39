"""The public URLconf as `make run` builds it (DEBUG on at start-up): with /dev/mail/.

Tests run with DEBUG off, so the real URLconf leaves the development pages out; tests of
those pages point PUBLIC_SCHEMA_URLCONF here.
"""

from django.urls import include, path

from servicedesk.urls_public import handler400, handler403, handler404, handler500
from servicedesk.urls_public import urlpatterns as public_urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]

urlpatterns = [*public_urlpatterns, path("dev/mail/", include("servicedesk.devmail.urls"))]
