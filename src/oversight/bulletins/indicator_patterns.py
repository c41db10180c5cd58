"""The values each indicator type takes, as regular expressions that mean the same in JSON
Schema (ECMA 262) and in Python: explicit character classes only (no `\\d`, `\\w` or `\\s`,
whose sets differ between the two), anchored, surrounding white space allowed (it is
trimmed). A value is an indicator of its type exactly when its pattern matches: the schema
declares it, and `indicators.check` applies it before the checks that normalise the value.

Each pattern takes a subset of what the older checks took, and nothing they refused (a
property test draws values from each pattern and checks them): internationalised domain
names in their `xn--` form, IPv4 octets without leading zeros, no IPv6 zone ids, ports
without leading zeros.
"""

from oversight.access.bodies import WS
from oversight.bulletins.models import IndicatorType

_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
IPV4 = rf"{_OCTET}(?:\.{_OCTET}){{3}}"
_H = r"[0-9A-Fa-f]{1,4}"
IPV6 = (
    "(?:"
    + "|".join(
        (
            rf"(?:{_H}:){{7}}{_H}",
            rf"(?:{_H}:){{1,7}}:",
            rf"(?:{_H}:){{1,6}}:{_H}",
            rf"(?:{_H}:){{1,5}}(?::{_H}){{1,2}}",
            rf"(?:{_H}:){{1,4}}(?::{_H}){{1,3}}",
            rf"(?:{_H}:){{1,3}}(?::{_H}){{1,4}}",
            rf"(?:{_H}:){{1,2}}(?::{_H}){{1,5}}",
            rf"{_H}:(?::{_H}){{1,6}}",
            rf":(?::{_H}){{1,7}}",
            "::",
            rf"(?:{_H}:){{6}}{IPV4}",
            rf"::(?:{_H}:){{0,5}}{IPV4}",
            rf"(?:{_H}:){{1,5}}:{IPV4}",
            rf"{_H}::(?:{_H}:){{1,4}}{IPV4}",
        )
    )
    + ")"
)
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_TOP = rf"(?![0-9]+(?![A-Za-z0-9-])){_LABEL}"  # a top-level label is not all digits


_DNS = "[A-Za-z0-9.-]"
# At most 253 characters besides a final dot: not 255 or more, nor 254 without a final dot.
# (Negative lookaheads only: a generator of values can skip them and filter, where it would
# write a positive one's text out.)
_DOMAIN = rf"(?!{_DNS}{{255}}|{_DNS}{{253}}[A-Za-z0-9-](?!{_DNS}))(?:{_LABEL}\.)+{_TOP}\.?"
_AT_END = rf"{WS}*$"
_PORT = (
    r"(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3}|0)"
)
_HOST = rf"(?:{IPV4}|\[{IPV6}\]|{_DOMAIN})"
_USERINFO = r"[A-Za-z0-9._~!$&'()*+,;=:%-]*@"
URL = rf"[Hh][Tt][Tt][Pp][Ss]?://(?:{_USERINFO})?{_HOST}(?::{_PORT})?(?:[/?#][!-~]*)?"
_LOCAL_CHAR = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]"
EMAIL = (
    rf"(?![A-Za-z0-9!#$%&'*+/=?^_`{{|}}~.-]{{65}}){_LOCAL_CHAR}+(?:\.{_LOCAL_CHAR}+)*\.?"
    rf"@{_DOMAIN}"
)
# A file name: no path separators, no control characters (C0, DEL or C1), not "." or "..",
# at most 255 characters once trimmed (first and last not white space).
_FILE_CHAR = r"[^\x00-\x1f\x7f-\x9f/\\]"
_FILE_EDGE = rf"(?!{WS}){_FILE_CHAR}"
FILENAME = rf"(?!\.\.?{_AT_END}){_FILE_EDGE}(?:{_FILE_CHAR}{{0,253}}{_FILE_EDGE})?"


def _whole(pattern: str) -> str:
    return rf"^{WS}*(?:{pattern}){WS}*$"


PATTERNS: dict[IndicatorType, str] = {
    IndicatorType.ipv4: _whole(rf"{IPV4}(?:/(?:3[0-2]|[12]?[0-9]))?"),
    IndicatorType.ipv6: _whole(rf"{IPV6}(?:/(?:12[0-8]|1[01][0-9]|[1-9]?[0-9]))?"),
    IndicatorType.domain: _whole(_DOMAIN),
    IndicatorType.url: _whole(URL),
    IndicatorType.email: _whole(EMAIL),
    IndicatorType.md5: _whole(r"[0-9a-fA-F]{32}"),
    IndicatorType.sha1: _whole(r"[0-9a-fA-F]{40}"),
    IndicatorType.sha256: _whole(r"[0-9a-fA-F]{64}"),
    IndicatorType.cve: _whole(r"[Cc][Vv][Ee]-(?:1999|20[0-9]{2}|2100)-[0-9]{4,}"),
    IndicatorType.filename: _whole(FILENAME),
}
# A reference is an http(s) URL, as an indicator of type url is.
URL_PATTERN = PATTERNS[IndicatorType.url]
