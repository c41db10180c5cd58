"""The board update as Markdown and as a printable HTML page, its charts inline SVG drawn
here (nothing on the page comes from another host)."""

from html import escape
from typing import Any

RAG_COLOURS = {"red": "#c62828", "amber": "#ef8f00", "green": "#2e7d32"}


def _label(item: dict[str, Any]) -> str:
    return f"[{item['tlp']} · {item['protective_marking']}]"


def _pct(share: float | None) -> str:
    return "suppressed" if share is None else f"{share * 100:.0f} %"


def _money(value: int | None) -> str:
    return "suppressed" if value is None else f"£{value:,}"


def _headlines(s: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        ("Reports", "suppressed" if s["reports"] is None else str(s["reports"])),
        ("Against individuals", _pct(s["against_individuals_share"])),
        ("Against organisations", _pct(s["against_organisations_share"])),
        ("Reported loss", _money(s["financial_loss_gbp"])),
        ("Near misses", _pct(s["near_miss_share"])),
        ("Reported to Action Fraud", _pct(s["reported_to_action_fraud_share"])),
    ]


def markdown(doc: dict[str, Any]) -> str:
    top = f"**{doc['tlp']} · {doc['protective_marking']}**"
    out = [top, "", f"# Cybercrime update, {doc['from']} to {doc['to']}", "", "## Threat picture"]
    out += [f"- {name}: {value}" for name, value in _headlines(doc["threat_picture"]["summary"])]
    out += ["", "| Month | Reports |", "|---|---|"]
    for c in doc["threat_picture"]["by_month"]["cells"]:
        out.append(f"| {c['key']} | {'suppressed' if c['suppressed'] else c['count']} |")
    out += ["", "## Bulletins published"]
    out += [f"- {_label(b)} {b['title']} ({b['severity']})" for b in doc["bulletins"]] or [
        "None in this period."
    ]
    rag = doc["actions"]["rag"]
    out += [
        "",
        "## Action tracker",
        f"Red {rag['red']}, amber {rag['amber']}, green {rag['green']}.",
    ]
    out += [
        f"- {_label(a)} Overdue: {a['title']} — {a['owner']}, due {a['due_date']}"
        for a in doc["actions"]["overdue"]
    ]
    m = doc["minutes"]
    out += ["", "## Decisions of the latest minutes"]
    if m:
        out.append(f"{_label(m)} {m['title']}, {m['held_at'][:10]}")
        out += [f"- {d}" for d in m["decisions"]]
    else:
        out.append("None published.")
    return "\n".join([*out, "", top, ""])


def _bars(rows: list[tuple[str, int | None, str]], title: str) -> str:
    """A horizontal bar chart; a suppressed value is drawn as a hatched label, no bar."""
    height = 24 * len(rows) + 30
    top = max([v for _, v, _ in rows if v is not None] or [1]) or 1
    parts = [
        f'<svg role="img" aria-label="{escape(title)}" width="560" height="{height}" '
        f'viewBox="0 0 560 {height}" xmlns="http://www.w3.org/2000/svg">',
        f'<text x="0" y="16" font-size="14" font-weight="bold">{escape(title)}</text>',
    ]
    for n, (label, value, colour) in enumerate(rows):
        y = 28 + 24 * n
        parts.append(f'<text x="0" y="{y + 14}" font-size="12">{escape(label)}</text>')
        if value is None:
            parts.append(f'<text x="140" y="{y + 14}" font-size="12">suppressed</text>')
            continue
        width = max(1, round(360 * value / top))
        parts.append(
            f'<rect class="bar" x="140" y="{y}" width="{width}" height="18" fill="{colour}"/>'
            f'<text x="{146 + width}" y="{y + 14}" font-size="12">{value}</text>'
        )
    return "".join([*parts, "</svg>"])


STYLE = (
    "body{font-family:sans-serif;max-width:60rem;margin:2rem auto;color:#111}"
    ".marking{font-weight:bold;text-align:center;border:2px solid #111;padding:.3rem}"
    ".label{font-size:.8rem;font-weight:bold;margin-right:.4rem}"
    "@media print{.marking{position:running(top)}}"
)


def html(doc: dict[str, Any]) -> str:
    e = escape
    top = f'<p class="marking">{e(doc["tlp"])} · {e(doc["protective_marking"])}</p>'
    summary = doc["threat_picture"]["summary"]
    months = [(c["key"], c["count"], "#1565c0") for c in doc["threat_picture"]["by_month"]["cells"]]
    rag = doc["actions"]["rag"]
    body = [
        '<!doctype html><html lang="en"><head><meta charset="utf-8">',
        f"<title>Cybercrime update {e(doc['from'])} to {e(doc['to'])}</title>",
        f"<style>{STYLE}</style></head><body>",
        top,
        f"<h1>Cybercrime update, {e(doc['from'])} to {e(doc['to'])}</h1>",
        "<h2>Threat picture</h2><dl>",
        *(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in _headlines(summary)),
        "</dl>",
        _bars(months, "Reports by month"),
        "<h2>Bulletins published</h2><ul>",
        *(
            f'<li><span class="label">{e(_label(b))}</span>{e(b["title"])} '
            f"({e(b['severity'])})</li>"
            for b in doc["bulletins"]
        ),
        "" if doc["bulletins"] else "<li>None in this period.</li>",
        "</ul><h2>Action tracker</h2>",
        _bars(
            [(k.title(), rag[k], RAG_COLOURS[k]) for k in ("red", "amber", "green")],
            "Open actions by RAG status",
        ),
        "<ul>",
        *(
            f'<li><span class="label">{e(_label(a))}</span>Overdue: {e(a["title"])} — '
            f"{e(a['owner'] or '')}, due {e(a['due_date'] or '')}</li>"
            for a in doc["actions"]["overdue"]
        ),
        "</ul><h2>Decisions of the latest minutes</h2>",
    ]
    m = doc["minutes"]
    if m:
        body.append(
            f'<p><span class="label">{e(_label(m))}</span>{e(m["title"])}, '
            f"{e(m['held_at'][:10])}</p><ul>"
        )
        body += [f"<li>{e(d)}</li>" for d in m["decisions"]]
        body.append("</ul>")
    else:
        body.append("<p>None published.</p>")
    return "".join([*body, top, "</body></html>"])
