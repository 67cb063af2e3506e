"""The group robots' wire formats: message JSON, signatures, length limits, and one POST.

- 企业微信: POST {"msgtype": "markdown", "markdown": {"content"}}, content at most 4096 bytes
  (UTF-8); no signature (the `key` in the URL is the credential). Answer {"errcode": 0}.
- 钉钉: POST {"msgtype": "markdown", "markdown": {"title", "text"}}; with 加签 the URL gets
  `timestamp` (ms) and `sign` = urlencode(base64(HMAC-SHA256(secret, f"{ts}\\n{secret}"))).
  Answer {"errcode": 0}.
- 飞书: POST {"msg_type": "text", "content": {"text"}}, body at most 20 KB; with 签名校验 the
  body gets `timestamp` (s) and `sign` = base64(HMAC-SHA256(key=f"{ts}\\n{secret}", msg=b"")).
  Answer {"code": 0} (older robots {"StatusCode": 0}).

All three answer HTTP 200 with an error code in the JSON when they refuse a message (a bad
signature, a rate limit), so success is the 2xx status *and* a zero code.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from xiaoan.channels.choices import ChannelKind

# Bytes of the message text each platform takes (UTF-8), with room for the JSON around it.
LIMITS = {
    ChannelKind.WECOM: 4096,
    ChannelKind.DINGTALK: 18000,
    ChannelKind.FEISHU: 18000,
}
# Characters of an SMS (long messages are split by the carrier; keep it to a few parts).
SMS_LIMIT = 300
RESPONSE_BYTES = 64 * 1024
# Hosts that answer cloud instance metadata (credentials) whatever their address says.
METADATA_HOSTS = {"metadata.google.internal", "metadata", "instance-data"}


def refused_address() -> str:
    return _("不允许向该地址发送（链路本地、元数据服务或未获允许的内网地址）。")


class Refused(ValueError):
    """A webhook address we will not call."""


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    url: str = ""
    severity_label: str = ""


@dataclass(frozen=True)
class Outcome:
    ok: bool
    code: int | None = None
    error: str = ""


def absolute(url: str) -> str:
    base = getattr(settings, "XIAOAN_SITE_URL", "")
    if url.startswith("/") and base:
        return base.rstrip("/") + url
    return url


def fit(text: str, limit: int, url: str, *, count=lambda s: len(s.encode())) -> str:
    """`text` within `limit` (bytes by default); cut text ends with a pointer to the full
    message at `url` (or an ellipsis when there is none)."""
    if count(text) <= limit:
        return text
    tail = "…" + (_("（全文见：%(url)s）") % {"url": url} if url else "")
    room = max(limit - count(tail), 0)
    lo, hi = 0, len(text)
    while lo < hi:  # the longest prefix that fits
        mid = (lo + hi + 1) // 2
        if count(text[:mid]) <= room:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo] + tail


def plain_text(message: Message) -> str:
    head = (
        f"【{message.severity_label}】{message.subject}"
        if message.severity_label
        else message.subject
    )
    parts = [head, message.body.strip()]
    if message.url:
        parts.append(_("详情：%(url)s") % {"url": message.url})
    return "\n".join(p for p in parts if p)


def markdown_text(message: Message) -> str:
    head = (
        f"【{message.severity_label}】{message.subject}"
        if message.severity_label
        else message.subject
    )
    parts = [f"**{head}**", message.body.strip()]
    if message.url:
        parts.append(f"[{_('查看详情')}]({message.url})")
    return "\n\n".join(p for p in parts if p)


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), to_sign, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def feishu_sign(secret: str, timestamp_s: int) -> str:
    key = f"{timestamp_s}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()


def request_for(
    kind: str, target: str, secret: str, message: Message, now: float | None = None
) -> tuple[str, dict]:
    """(URL, JSON body) of one message to a robot."""
    now = time.time() if now is None else now
    url = absolute(message.url)
    message = Message(message.subject, message.body, url, message.severity_label)
    limit = LIMITS[kind]
    if kind == ChannelKind.WECOM:
        text = fit(markdown_text(message), limit, url)
        return target, {"msgtype": "markdown", "markdown": {"content": text}}
    if kind == ChannelKind.DINGTALK:
        text = fit(markdown_text(message), limit, url)
        title = message.subject[:60]
        body = {"msgtype": "markdown", "markdown": {"title": title, "text": text}}
        if secret:
            ts = int(now * 1000)
            sep = "&" if urllib.parse.urlsplit(target).query else "?"
            query = urllib.parse.urlencode({"timestamp": ts, "sign": dingtalk_sign(secret, ts)})
            target = f"{target}{sep}{query}"
        return target, body
    if kind == ChannelKind.FEISHU:
        text = fit(plain_text(message), limit, url)
        body: dict = {"msg_type": "text", "content": {"text": text}}
        if secret:
            ts = int(now)
            body = {"timestamp": str(ts), "sign": feishu_sign(secret, ts), **body}
        return target, body
    raise ValueError(kind)


def sms_text(message: Message) -> str:
    url = absolute(message.url)
    text = plain_text(Message(message.subject, message.body, url, message.severity_label))
    return fit(text, SMS_LIMIT, url, count=len)


# ---------------------------------------------------------------- addresses


def _bad_address(address: str) -> bool:
    """Link-local (169.254.0.0/16 holds the cloud metadata service, fe80::/10), multicast,
    unspecified and reserved addresses. Loopback and private networks are allowed unless
    XIAOAN_CHANNEL_ALLOW_PRIVATE is off: a school's intranet gateway or proxy may live
    there, but so do services a webhook should never reach."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_link_local or ip.is_multicast or ip.is_unspecified or ip.is_reserved:
        return True
    allow_private = getattr(settings, "XIAOAN_CHANNEL_ALLOW_PRIVATE", True)
    return not allow_private and (ip.is_loopback or ip.is_private)


def check_url(url: str) -> str:
    """The webhook address, or Refused saying why (as written, before any DNS lookup)."""
    url = (url or "").strip()
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        raise Refused(_("Webhook 地址格式不正确。")) from None
    if parts.scheme not in ("http", "https") or not host:
        raise Refused(_("Webhook 地址须以 http:// 或 https:// 开头。"))
    if parts.username or parts.password:
        raise Refused(_("Webhook 地址不能包含用户名或密码。"))
    name = host.lower().rstrip(".")
    if name in METADATA_HOSTS or _bad_address(host):
        raise Refused(refused_address())
    if name == "localhost" and not getattr(settings, "XIAOAN_CHANNEL_ALLOW_PRIVATE", True):
        raise Refused(refused_address())
    return url


def check_resolved(url: str) -> None:
    """At send time: refuse a host name that resolves to a refused address (a DNS name
    pointed at 169.254.169.254)."""
    parts = urllib.parse.urlsplit(url)
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return  # the request itself reports the failure
    if any(_bad_address(info[4][0]) for info in infos):
        raise Refused(refused_address())


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect could lead to an address check_url refuses: robots never redirect.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def post(url: str, body: dict, timeout: float) -> Outcome:
    """One POST of `body` as JSON; the outcome by HTTP status and the platform's code."""
    try:
        check_url(url)
        check_resolved(url)
    except Refused as refused:
        return Outcome(False, None, str(refused))
    data = json.dumps(body, ensure_ascii=False).encode()
    request = urllib.request.Request(
        url,
        data=data,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "xiaoan"},
    )
    try:
        with _opener.open(request, timeout=timeout) as response:
            status = response.status
            raw = response.read(RESPONSE_BYTES)
    except urllib.error.HTTPError as error:
        return Outcome(False, error.code, _("HTTP %(code)s") % {"code": error.code})
    except TimeoutError:
        return Outcome(False, None, _("连接超时"))
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, TimeoutError | socket.timeout):
            return Outcome(False, None, _("连接超时"))
        return Outcome(False, None, _("连接失败：%(e)s") % {"e": str(reason)[:200]})
    if not 200 <= status < 300:
        return Outcome(False, status, _("HTTP %(code)s") % {"code": status})
    try:
        answer = json.loads(raw.decode() or "{}")
    except (UnicodeDecodeError, ValueError):
        return Outcome(False, status, _("平台返回的内容无法解析"))
    if not isinstance(answer, dict):
        return Outcome(False, status, _("平台返回的内容无法解析"))
    code = answer.get("errcode", answer.get("code", answer.get("StatusCode", 0)))
    if code not in (0, "0"):
        text = answer.get("errmsg") or answer.get("msg") or answer.get("StatusMessage") or ""
        return Outcome(
            False,
            status,
            _("平台拒收（%(code)s）：%(msg)s") % {"code": code, "msg": str(text)[:200]},
        )
    return Outcome(True, status, "")
