"""Custom ticket fields: the System's own fields (text, number, date, dropdown, multi-select,
checkbox) that admins define, with their values in one JSONB column of the ticket."""
