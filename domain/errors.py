"""Domain errors: a rule of the ledger was broken, so nothing was written."""

from __future__ import annotations

from diplo.events.errors import LedgerError


class UnknownReference(LedgerError):
    """A field names an id that is not registered."""


class RetractedReference(LedgerError):
    """A field names an id whose registration (or signing, planning…) was retracted."""


class KeyConflict(LedgerError):
    """The same key was recorded before with different content."""


class AlreadyExists(LedgerError):
    """A thing that can happen once (a registration, a signing, a plan) happened already."""


class GrantAlreadySigned(AlreadyExists):
    pass


class GrantNotSigned(LedgerError):
    """Equipment can be funded only on a signed (and not retracted) grant."""


class MilestoneOutOfOrder(LedgerError):
    """A milestone that does not follow from the project's current status."""


class UnknownEvent(LedgerError):
    """A correction or retraction names a key the ledger does not hold."""


class AlreadyRetracted(LedgerError):
    """Once retracted stays retracted: it can be neither corrected nor retracted again."""


class InvalidCorrection(LedgerError):
    """A correction that names a field the event lacks, or would make the event invalid."""


class StoreError(LedgerError):
    """The store cannot be opened or written (missing, read-only, full, not a ledger)."""


class IntegrityFailure(LedgerError):
    """The stored log no longer matches its hash chain or a sealed checkpoint (exit 3)."""


class OverDisbursed(LedgerError):
    """More would be disbursed than the grant or loan states (exactly, or as a ceiling)."""


class LoanNotSigned(LedgerError):
    """Money disbursed under a loan whose signing was retracted."""
