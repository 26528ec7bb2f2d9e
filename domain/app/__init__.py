"""The application service: the Ledger records batches of facts and reads them back."""
