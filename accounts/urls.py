from django.urls import include, path

from accounts.views import audit, claims, entry, people, removal, security, settings

urlpatterns = [
    path("invite/<str:token>/", entry.invitation_accept, name="invitation_accept"),
    path("welcome/", entry.handoff, name="login_handoff"),
    path("settings/", settings.system_settings, name="system_settings"),
    path("settings/ownership/", settings.ownership, name="ownership"),
    path("settings/second-factor/", settings.second_factor_policy, name="second_factor_policy"),
    path("settings/people/", people.people_list, name="people"),
    path("settings/people/invite/", people.invite_many, name="invite_many"),
    path("settings/people/<int:user_id>/role/", people.person_role, name="person_role"),
    path(
        "settings/people/<int:user_id>/deactivate/",
        people.person_deactivate,
        name="person_deactivate",
    ),
    path(
        "settings/people/<int:user_id>/reactivate/",
        people.person_reactivate,
        name="person_reactivate",
    ),
    path(
        "settings/invitations/<int:invitation_id>/resend/",
        people.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "settings/invitations/<int:invitation_id>/revoke/",
        people.invitation_revoke,
        name="invitation_revoke",
    ),
    path("settings/audit/", audit.audit_log, name="audit_log"),
    path("account/security/", security.security_overview, name="account_security"),
    path("account/profile/", security.profile, name="account_profile"),
    path("account/security/report/", security.report_compromise, name="report_compromise"),
    # Claiming an account one cannot use (public, on the System's host).
    path("account-claim/", claims.account_claim, name="account_claim"),
    path(
        "account-claim/confirm/<str:token>/",
        claims.account_claim_confirm_view,
        name="account_claim_confirm",
    ),
    # Deleting accounts.
    path("settings/people/<int:user_id>/delete/", removal.person_delete, name="person_delete"),
    path("account/delete/", removal.account_delete, name="account_delete"),
    path("", include("accounts.sso.urls")),
]
