"""The event catalog: pydantic models of every fact diplo records, and their canonical form."""
