"""Reading an IATI activity file as hostile input: defusedxml, a size limit, line numbers.

No DTD, no entity declarations, no external references (defusedxml refuses them, so a billion
laughs or a file:// entity never expands), and nothing larger than ``MAX_BYTES``. Each element
keeps the line it starts on, so every refusal reads ``FILE:LINE: element: message``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException  # type: ignore[import-untyped]
from defusedxml.ElementTree import DefusedXMLParser  # type: ignore[import-untyped]

from diplo.events.errors import InvalidEvent, Problem

MAX_BYTES = 64 * 1024 * 1024  # IATI's registry asks publishers to keep files under 40 MB
CHUNK = 1 << 16


class _LinedParser(DefusedXMLParser):  # type: ignore[misc]
    """defusedxml's parser, noting the line each element starts on."""

    def __init__(self) -> None:
        super().__init__(
            target=TreeBuilder(), forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
        self.lines: dict[int, int] = {}

    def _start(self, tag: str, attributes: list[str]) -> Element:
        element: Element = super()._start(tag, attributes)
        self.lines[id(element)] = self.parser.CurrentLineNumber
        return element


@dataclass
class XmlFile:
    """A parsed file: its root, where it came from, and the line of each element."""

    source: str
    root: Element
    lines: dict[int, int] = field(repr=False)

    def line(self, element: Element) -> int | None:
        return self.lines.get(id(element))

    def problem(self, element: Element, message: str) -> Problem:
        return Problem(message, element.tag, self.line(element), self.source)

    def refuse(self, element: Element, message: str) -> InvalidEvent:
        return InvalidEvent([self.problem(element, message)])

    def where(self, element: Element) -> str:
        return f"{self.source}:{self.line(element)}"


def read_xml(path: str, max_bytes: int = MAX_BYTES) -> XmlFile:
    """Parse ``path`` safely, or refuse it with the line where it went wrong."""
    parser = _LinedParser()
    read = 0
    try:
        with Path(path).open("rb") as stream:
            while chunk := stream.read(CHUNK):
                read += len(chunk)
                if read > max_bytes:
                    raise _refusal(path, None, f"larger than {max_bytes // 2**20} MB; split it")
                parser.feed(chunk)
            root = parser.close()
    except OSError as error:
        raise _refusal(path, None, f"cannot read file: {error.strerror}") from None
    except ParseError as error:
        line = error.position[0] if error.position else None
        raise _refusal(path, line, f"not well-formed XML: {error}") from None
    except DefusedXmlException as error:
        line = parser.parser.CurrentLineNumber
        raise _refusal(path, line, f"refused: {_said(error)}") from None
    return XmlFile(path, root, parser.lines)


def _said(error: DefusedXmlException) -> str:
    kind = type(error).__name__
    return {
        "DTDForbidden": "a DTD (document type declaration) is not allowed in an IATI file",
        "EntitiesForbidden": "entity declarations are not allowed (they can expand without end)",
        "ExternalReferenceForbidden": "references to external resources are not allowed",
    }.get(kind, str(error))


def _refusal(path: str, line: int | None, message: str) -> InvalidEvent:
    return InvalidEvent([Problem(message, "XML", line, path)])
