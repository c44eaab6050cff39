from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from accounts import signals  # noqa: F401 - connects the audit receivers
        from accounts.selectors import person_locale
        from servicedesk import mail

        mail.reader_lookup(person_locale)
