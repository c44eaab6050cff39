"""Settings for people's accounts: allauth (sign-in, MFA, sessions), passwords and their
rate limits; single sign-on. Star-imported by ``servicedesk.settings``."""

from servicedesk.env import env_bool

# --- Accounts ---------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
USERSESSIONS_ADAPTER = "accounts.adapter.UserSessionsAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
# Every account's address is proven by the link that created it (signup or invitation);
# a new address must be confirmed before it replaces the old one.
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CHANGE_EMAIL = True
# Confirmation keys are random and stored in the System's own schema. allauth's default
# (HMAC-signed address ids) made a key from one System verify the address with the same id
# in another.
ACCOUNT_EMAIL_CONFIRMATION_HMAC = False
ACCOUNT_PASSWORD_RESET_TOKEN_GENERATOR = "accounts.tokens.SystemPasswordResetTokenGenerator"  # noqa: S105 - a class path
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_REAUTHENTICATION_REQUIRED = True
# "Remember me" is offered, unticked.
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    # 5 wrong passwords for one address lock it for 5 minutes (per System: keys carry it).
    "login_failed": "10/m/ip,5/300s/key",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_ADAPTER = "accounts.adapter.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Service Desk"
# A code of the previous or next 30 seconds counts too (phones' clocks drift, and a code read
# at the end of its window arrives in the next); each code still works only once.
MFA_TOTP_TOLERANCE = 1
# Activity is kept in the session by AccountGuardMiddleware (once a minute), not in a
# database write on every request.
USERSESSIONS_TRACK_ACTIVITY = False

# --- Single sign-on (accounts/sso/): an OpenID Connect provider per System ----------------
# Providers are configured by each System's admins and stored in its schema (allauth's
# SocialApp, with the client secret sealed in accounts.sso's own row): never here.
SOCIALACCOUNT_ADAPTER = "accounts.sso.adapter.SocialAccountAdapter"
SOCIALACCOUNT_PROVIDERS: dict = {}
SOCIALACCOUNT_FORMS = {"signup": "accounts.sso.forms.JoinForm"}
# A first sign-in always shows our join form (name, the terms), never an automatic signup:
# who may join at all is accounts.sso.adapter's seat rule.
SOCIALACCOUNT_AUTO_SIGNUP = False
# Only addresses the provider says are verified are ever used (to join, or to match
# someone); allauth then sends no confirmation mail of its own.
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_EMAIL_REQUIRED = True
SOCIALACCOUNT_QUERY_EMAIL = True
# Matching by email is each System's choice, made in the adapter (never allauth's global one,
# which would also wipe the person's password).
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
# The provider's access and refresh tokens are used once, at sign-in, and not kept.
SOCIALACCOUNT_STORE_TOKENS = False
# Signing in with the provider is a POST (our form, with CSRF), never a GET from a link.
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = 5
# An issuer must be https:// on a public address, so an admin can't make our servers fetch
# from inside our network; development and the tests run their issuers on 127.0.0.1.
SSO_ALLOW_LOCAL_ISSUERS = env_bool("SSO_ALLOW_LOCAL_ISSUERS", env_bool("DEBUG", False))
