"""``{{ ticket|custom_value:field }}``: one ticket's value of a custom field, as text (a list
column of saved views; fields from ``tickets.fields.selectors.list_fields``)."""

from django import template

from tickets.fields import values
from tickets.fields.models import TicketField
from tickets.models import Ticket

register = template.Library()


@register.filter
def custom_value(ticket: Ticket, field: TicketField) -> str:
    return values.text(ticket.custom.get(field.key))
