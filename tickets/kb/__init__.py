"""The knowledge base: sections and articles written by agents, a help center on each
System's host, article search, suggestions on a new ticket and article links in replies."""
