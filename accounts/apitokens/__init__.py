"""API tokens: personal ones (anyone, for himself) and System ones (admins, for scripts)."""
