"""Reports for staff: tickets created and solved, backlog, response and resolution times,
service levels, per agent, category or tag, over a range of days in the System's zone."""
