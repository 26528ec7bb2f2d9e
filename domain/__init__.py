"""The ledger application and its aggregates: invariants, idempotency, one transaction per batch."""
