from django.apps import AppConfig


class LegalConfig(AppConfig):
    name = "legal"
    verbose_name = "Terms and privacy"

    def ready(self) -> None:
        from accounts.hooks import person_joined
        from legal.services.terms import terms_accept_on_join

        person_joined.connect(terms_accept_on_join, dispatch_uid="legal_terms_on_join")
