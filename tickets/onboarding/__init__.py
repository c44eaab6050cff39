"""The set-up checklist owners and admins see on the dashboard until it is done or hidden."""
