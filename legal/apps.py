from django.apps import AppConfig


class LegalConfig(AppConfig):
    name = "legal"
    verbose_name = "Terms and privacy"

    def ready(self) -> None:
        from accounts.api.gates import api_gate
        from accounts.hooks import person_joined
        from legal.middleware import api_terms_gate
        from legal.services.terms import terms_accept_on_join

        person_joined.connect(terms_accept_on_join, dispatch_uid="legal_terms_on_join")
        # API calls accept no session: the terms are checked for the token's person.
        api_gate(api_terms_gate)
