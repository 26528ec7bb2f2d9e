"""The diplo command line: parses, calls the application, prints. No business rules here."""
