"""What accounts tells the apps that stand on it. They connect their receivers in their
AppConfig.ready(); accounts never imports them (layers: README, "Architecture")."""

from django.dispatch import Signal

# A person joined through an invitation, inside the accepting transaction (a receiver that
# raises undoes the join): user, ip, user_agent. Legal records the terms he accepted.
person_joined = Signal()

# A person's account is about to be deleted, inside the deleting transaction: user (still
# there), name_kept (another person has the same name, so text naming him stays).
person_deleted = Signal()

# The System's time zone changed, inside the changing transaction: system (saved). Business
# hours count in it (tickets.sla recomputes the open tickets' targets once it commits).
system_time_zone_changed = Signal()

# A person left the System, inside the transaction that ends his seat: user (still there),
# reason ("deactivated" or "deleted"). Webhooks tell integrations (person.left).
person_left = Signal()
