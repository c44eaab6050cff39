"""The operator's groups: what each kind of operator may do in admin.

Each custom admin page and action checks one permission (see servicedesk/admin_base.py and
the README's "Operators" section). An operator is a staff account in one or more of these
groups; `is_superuser` stays for the first account only (`manage.py createoperator`).
Runs in the public schema only (tenants is a shared app).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW_SYSTEMS = [
    "tenants.view_customer",
    "tenants.view_system",
    "tenants.view_domain",
]

GROUPS = {
    # Customers' questions, restores (the one-working-day promise), imports, announcements.
    "Support": VIEW_SYSTEMS
    + [
        "tenants.view_signup",
        "tenants.access_system_data",
        "tenants.suspend_person",
        "tenants.view_export",
        "tenants.view_systemimport",
        "tenants.add_systemimport",
        "tenants.view_scheduleddeletion",
        "tenants.view_systemdeletion",
        "tenants.view_backup",
        "tenants.add_backup",
        "tenants.view_restore",
        "tenants.add_restore",
        "tenants.change_restore",
        "tenants.view_restorerequest",
        "tenants.change_restorerequest",
        "tenants.view_holiday",
        "tenants.add_holiday",
        "tenants.change_holiday",
        "tenants.delete_holiday",
        "legal.view_operatoraccess",
        "legal.view_announcement",
        "legal.add_announcement",
        "legal.change_announcement",
        "legal.send_announcement",
        "accounts.view_securityreport",
        "accounts.change_securityreport",
    ],
    # Plans, invoices, payments, seat caps and the lifecycle.
    "Billing": VIEW_SYSTEMS
    + [
        "tenants.change_system",
        "tenants.change_system_status",
        "tenants.view_plan",
        "tenants.add_plan",
        "tenants.change_plan",
        "tenants.view_planchange",
        "tenants.view_invoice",
        "tenants.view_payment",
        "tenants.add_payment",
        "tenants.view_lifecycleevent",
        "tenants.view_metricssnapshot",
    ],
    # Reports of prohibited content, takedowns, disputes, compromised accounts.
    "Trust & safety": VIEW_SYSTEMS
    + [
        "tenants.access_system_data",
        "tenants.suspend_person",
        "legal.view_contentreport",
        "legal.change_contentreport",
        "legal.view_takedown",
        "legal.add_takedown",
        "legal.change_takedown",
        "legal.view_operatoraccess",
        "accounts.view_accountdispute",
        "accounts.change_accountdispute",
        "accounts.decide_accountdispute",
        "accounts.view_securityreport",
        "accounts.change_securityreport",
    ],
}
# Everything in admin, operators and groups included.
SUPERUSER = "Superuser"
SUPERUSER_APPS = {"auth", "accounts", "tenants", "legal"}


def _permissions_exist(apps) -> None:
    # Permissions are made after migrate by a signal; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def groups_create(apps, schema_editor) -> None:
    _permissions_exist(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, labels in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for label in labels:
            app_label, codename = label.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
    everything = Permission.objects.filter(content_type__app_label__in=SUPERUSER_APPS)
    Group.objects.get_or_create(name=SUPERUSER)[0].permissions.add(*everything)


def groups_remove(apps, schema_editor) -> None:
    apps.get_model("auth", "Group").objects.filter(name__in=[*GROUPS, SUPERUSER]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tenants", "0009_operator_permissions"),
        ("accounts", "0009_operator_permissions"),
        ("legal", "0006_operator_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(groups_create, groups_remove)]
