"""The domain model: aggregates, their rules and the errors they raise. No storage here."""
