"""Headless Chromium driven over its DevTools pipe: load a page, measure its layout, take a
screenshot, print it to PDF — as a reader's browser shows it.

The page itself runs no code: measurements are DevTools commands from outside the page
(``--remote-debugging-pipe``: JSON messages on file descriptors 3 and 4, ended by NUL).
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


class Browser:
    """One headless Chromium with one tab."""

    def __init__(self, profile: Path) -> None:
        assert CHROMIUM, "chromium is required"
        to_browser, self._write = os.pipe()
        self._read, from_browser = os.pipe()

        def on_fds_3_and_4() -> None:  # in the child: Chromium reads fd 3, answers on fd 4
            ours = os.dup(to_browser), os.dup(from_browser)
            os.dup2(ours[0], 3)
            os.dup2(ours[1], 4)

        self.process = subprocess.Popen(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                f"--user-data-dir={profile}",
                "--remote-debugging-pipe",
                "about:blank",
            ],
            pass_fds=(3, 4, to_browser, from_browser),
            preexec_fn=on_fds_3_and_4,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser)
        os.close(from_browser)
        self._buffer = b""
        self._next = 0
        self.events: list[dict[str, Any]] = []
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.send("Target.attachToTarget", targetId=target, flatten=True)[
            "sessionId"
        ]
        self.send("Page.enable", session=True)

    def send(self, method: str, session: bool = False, **params: Any) -> dict[str, Any]:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._receive(timeout=60)
            if reply.get("id") == self._next:
                assert "error" not in reply, reply["error"]
                return reply.get("result", {})
            self.events.append(reply)

    def _receive(self, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            assert left > 0 and select.select([self._read], [], [], left)[0], "no answer"
            chunk = os.read(self._read, 1 << 20)
            assert chunk, "chromium closed its pipe"
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)  # type: ignore[no-any-return]

    def open(self, url: str, width: int = 1280, height: int = 900) -> None:
        """Load ``url`` in a window of that size and wait for its load event."""
        self.send(
            "Emulation.setDeviceMetricsOverride",
            session=True,
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )
        self.events.clear()
        self.send("Page.navigate", session=True, url=url)
        deadline = time.monotonic() + 60
        while not any(e.get("method") == "Page.loadEventFired" for e in self.events):
            assert time.monotonic() < deadline, "the page did not load"
            self.events.append(self._receive(timeout=60))

    def measure(self, expression: str) -> Any:
        """The value of a DevTools expression over the loaded page's layout."""
        result = self.send(
            "Runtime.evaluate", session=True, expression=expression, returnByValue=True
        )
        return result["result"].get("value")

    def media(self, kind: str) -> None:
        self.send("Emulation.setEmulatedMedia", session=True, media=kind)

    def screenshot(self) -> bytes:
        shot = self.send(
            "Page.captureScreenshot", session=True, format="png", captureBeyondViewport=True
        )
        return base64.b64decode(shot["data"])

    def pdf(self) -> bytes:
        """The page as printed on A4 (its own @media print rules apply)."""
        printed = self.send(
            "Page.printToPDF",
            session=True,
            paperWidth=8.27,
            paperHeight=11.69,
            preferCSSPageSize=True,
            printBackground=True,
        )
        return base64.b64decode(printed["data"])

    def close(self) -> None:
        self.process.kill()
        self.process.wait()
        os.close(self._write)
        os.close(self._read)


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def pdf_pages(pdf: bytes) -> int:
    """How many pages a PDF has (its page objects)."""
    return pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
