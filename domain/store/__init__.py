"""Storage: the SQLite and PostgreSQL recorders behind one interface, locking, migration."""
