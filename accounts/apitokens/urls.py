from django.urls import path

from accounts.apitokens import views

urlpatterns = [
    path("account/api-tokens/", views.personal_tokens, name="api_tokens"),
    path(
        "account/api-tokens/<int:token_id>/revoke/",
        views.personal_token_revoke,
        name="api_token_revoke",
    ),
    path("settings/api-tokens/", views.system_tokens, name="system_api_tokens"),
    path(
        "settings/api-tokens/<int:token_id>/revoke/",
        views.system_token_revoke,
        name="system_api_token_revoke",
    ),
]
