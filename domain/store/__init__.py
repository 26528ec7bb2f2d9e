"""Storage: eventsourcing recorders for SQLite and PostgreSQL behind one interface, locking, migration."""
