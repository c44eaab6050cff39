"""Single sign-on: each System may connect one OpenID Connect provider (allauth's
socialaccount), with the seat rule of invitations. See README, "Single sign-on"."""
