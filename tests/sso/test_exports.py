"""An export holds people's links to the provider and the verified domains, never the
connection (its client secret) nor allauth's tokens."""

from tenants.portability.services.contents import tenant_models


def test_the_export_keeps_links_and_domains_but_no_connection_or_secret():
    labels = {model._meta.label_lower for model in tenant_models()}

    assert {"socialaccount.socialaccount", "accounts.verifieddomain"} <= labels
    assert not labels & {
        "socialaccount.socialapp",
        "socialaccount.socialtoken",
        "accounts.singlesignon",
    }
