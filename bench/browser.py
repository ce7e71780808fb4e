"""Headless Chromium through Selenium, for the browser test, ``bench_serve.py`` and screenshots.

Uses the system's Chromium and chromedriver (Debian: ``apt-get install chromium
chromium-driver``) and never Selenium Manager, so nothing is downloaded: ``missing()`` says
why a browser cannot be started, ``chromium(width, height)`` starts one.
"""

from __future__ import annotations

import os
import shutil

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
"""Browser executables looked for on PATH, in order."""

DRIVER_NAMES = ("chromedriver",)
"""Driver executables looked for on PATH."""

CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-extensions",
    "--no-first-run",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
)
"""Flags for a headless run in a container or CI: no sandbox (we run as root there), no GPU."""


def _which(names) -> str | None:
    return next((p for p in map(shutil.which, names) if p), None)


def missing() -> str | None:
    """Why no headless browser can be started here, or None when one can."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    if _which(CHROMIUM_NAMES) is None:
        return "chromium is not installed (apt-get install chromium)"
    if _which(DRIVER_NAMES) is None:
        return "chromedriver is not installed (apt-get install chromium-driver)"
    return None


def chromium(width: int = 1600, height: int = 1000):
    """Start headless Chromium with a ``width`` × ``height`` CSS px window; the caller quits it."""
    os.environ.setdefault("SE_OFFLINE", "true")  # never let Selenium Manager fetch anything
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = _which(CHROMIUM_NAMES)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--window-size={width},{height}")
    return webdriver.Chrome(service=Service(_which(DRIVER_NAMES)), options=options)
