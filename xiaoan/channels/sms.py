"""SMS backends, chosen by `XIAOAN_SMS_BACKEND` (like Django's email backends).

- "console" (the default outside tests): writes each message to the log and stdout;
- "locmem" (the default in tests): keeps messages in `outbox`;
- a dotted path to a class of your own with `send(numbers, text)`, for the gateway of your
  carrier or cloud (阿里云、腾讯云 短信 each sign requests their own way and need an approved
  template and signature name; no gateway is built in). `send` raises `SmsError` on failure,
  which the delivery records and retries.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("xiaoan.channels.sms")


class SmsError(Exception):
    """The gateway refused or could not be reached; the message says why."""


@dataclass(frozen=True)
class SmsMessage:
    numbers: tuple[str, ...]
    text: str


class BaseBackend:
    def send(self, numbers: list[str], text: str) -> None:
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    def send(self, numbers: list[str], text: str) -> None:
        line = f"[SMS] {','.join(numbers)}: {text}"
        logger.info(line)
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


# The locmem backend's sent messages (tests read and clear it).
outbox: list[SmsMessage] = []


class LocmemBackend(BaseBackend):
    def send(self, numbers: list[str], text: str) -> None:
        outbox.append(SmsMessage(tuple(numbers), text))


BACKENDS = {"console": ConsoleBackend, "locmem": LocmemBackend}


def get_backend() -> BaseBackend:
    name = settings.XIAOAN_SMS_BACKEND
    cls = BACKENDS.get(name) or import_string(name)
    return cls()
