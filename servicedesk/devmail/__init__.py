"""Development mail outbox: every mail sent is kept as a .eml file, announced on the console
with its links unwrapped, and readable at /dev/mail/ on the public host while DEBUG is on."""
