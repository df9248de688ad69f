"""The mail outbox: rows written in the caller's transaction, sent after the commit,
retried with back-off while the mail server is down. It imports no project app."""
