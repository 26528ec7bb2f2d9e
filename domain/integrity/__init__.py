"""Tamper evidence: the hash chain, RFC 9162 Merkle trees, signed checkpoints, verification."""
