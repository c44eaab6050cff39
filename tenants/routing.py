"""Which System a request is for, from its host.

TenantRoutingMiddleware replaces django-tenants' TenantMainMiddleware: the public site
answers only on BASE_DOMAIN (and www.), a System only on its own domain, and any other
host gets our 404 page while the connection stays in the public schema.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.urls import set_urlconf

from servicedesk.views import unknown_system
from tenants import selectors


def public_hosts() -> set[str]:
    return {settings.BASE_DOMAIN, f"www.{settings.BASE_DOMAIN}"}


class TenantRoutingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        previous = connection.tenant
        try:
            return self._route(request)
        finally:
            # The connection leaves the request in the schema it came in with (public for
            # a server; the test's own System in tests), never in this request's System.
            connection.set_tenant(previous)

    def _route(self, request: HttpRequest) -> HttpResponse:
        connection.set_schema_to_public()
        host = request.get_host().rsplit(":", 1)[0].lower().rstrip(".")
        request.system = None
        if host in public_hosts():
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
            set_urlconf(request.urlconf)
            request.tenant = connection.tenant
            return self.get_response(request)

        system = selectors.system_for_host(host=host)
        if system is None:
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
            set_urlconf(request.urlconf)
            return unknown_system(request, host=host)

        system.domain_url = host
        request.tenant = system
        request.system = system
        connection.set_tenant(system)
        request.urlconf = settings.ROOT_URLCONF
        set_urlconf(request.urlconf)
        return self.get_response(request)
