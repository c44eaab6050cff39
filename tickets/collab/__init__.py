"""Working together on tickets: who else is on a ticket (presence), replies that crossed
(collision warnings), "Take it", the previous and next ticket of the list one came from,
and @mentions in internal notes."""
