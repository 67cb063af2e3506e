"""What the browser tests share: the browser's settings, page sizes, a photo, logging in, and
the collector of what the browser complains about."""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = Path(os.environ.get("XIAOAN_CHROMIUM") or "/usr/bin/chromium")
REQUIRED = os.environ.get("XIAOAN_BROWSER_TESTS", "") == "required"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
TIMEOUT_MS = 15_000
# Screenshots of the pages a test looks at go here when it is set (to look at them as users do).
SHOTS = os.environ.get("XIAOAN_SHOTS", "")


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def fits_phone(page) -> None:
    """Nothing wider than a phone's screen: no sideways scrolling of the whole page."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide at phone size"


def jpeg(colour: str = "#c0392b", size: tuple[int, int] = (320, 240)) -> dict:
    """A small generated photo, in the form Playwright's set_input_files takes."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return {"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


@dataclass(repr=False)
class Browse:
    """Opens pages for personas and records everything the browser complains about."""

    browser: object
    base_url: str
    problems: list[str] = field(default_factory=list)
    contexts: list = field(default_factory=list)

    def page(self, username: str | None, viewport: dict, **context_options):
        context = self.browser.new_context(
            base_url=self.base_url,
            viewport=viewport,
            locale="zh-CN",
            accept_downloads=True,
            **context_options,
        )
        context.set_default_timeout(TIMEOUT_MS)
        self.contexts.append(context)
        page = context.new_page()
        page.on("console", lambda msg: self._console(page, msg))
        page.on("pageerror", lambda error: self.problems.append(f"{page.url}: {error}"))
        if username:
            login(page, username)
        return page

    def __repr__(self) -> str:
        return f"<Browse {self.base_url}>"

    def _console(self, page, msg) -> None:
        # CSP violations and failed loads are console errors too.
        if msg.type in ("error", "assert"):
            self.problems.append(f"{page.url}: console {msg.type}: {msg.text}")

    def close(self) -> None:
        for context in self.contexts:
            context.close()


def login(page, username: str) -> None:
    from xiaoan.orgs.demo import DEMO_PASSWORD

    page.goto("/accounts/login/")
    page.get_by_label("用户名或手机号").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
