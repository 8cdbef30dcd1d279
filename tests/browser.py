"""A real headless browser, found as users have it: CHROME or CHROMIUM in the environment, else
chromium, chromium-browser, google-chrome or google-chrome-stable on PATH (tests/setup installs
Debian's chromium where it is missing and apt can). The report tests and bench/screenshots.py use it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find() -> str | None:
    """The browser to run, or None when there is none."""
    for variable in ("CHROME", "CHROMIUM"):
        named = os.environ.get(variable, "").strip()
        if named:
            return shutil.which(named) or (named if Path(named).is_file() else None)
    return next((found for name in NAMES if (found := shutil.which(name))), None)


def headless(browser: str, profile: Path, page: Path, *action: str, size: str = "1280,2000",
             timeout: int = 120) -> subprocess.CompletedProcess:
    """Run the browser headless on a local page, with a fresh profile and no network of its own."""
    command = [
        browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--hide-scrollbars", f"--user-data-dir={profile}", *action, f"--window-size={size}", page.resolve().as_uri(),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout)


def scroll_width(browser: str, profile: Path, page: Path, width: int) -> int:
    """How wide the page lays itself out in a window ``width`` pixels wide: its scrollWidth, read by
    a probe page that frames it (the page itself, which allows no script, is not changed)."""
    probe = profile.parent / f"probe-{page.stem}.html"
    probe.write_text(
        f'<!DOCTYPE html><html><body style="margin:0"><iframe id="f" src="{page.resolve().as_uri()}" '
        f'style="width:{width}px;height:800px;border:0"></iframe><script>'
        'document.getElementById("f").addEventListener("load", function () {'
        ' document.body.setAttribute("data-width", this.contentDocument.documentElement.scrollWidth); });'
        "</script></body></html>", encoding="utf-8")
    done = headless(browser, profile, probe, "--allow-file-access-from-files", "--virtual-time-budget=5000",
                    "--dump-dom")
    found = re.search(r'data-width="(\d+)"', done.stdout)
    if found is None:
        raise RuntimeError(f"the probe page read no width: {done.stderr[-500:]}")
    return int(found.group(1))
