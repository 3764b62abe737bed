"""Review governance: a topic past its next review is an error, one due within
``carepress_review_warning_days`` a warning, and a review dated in the future an error.

The front matter itself (reviewed, next_review or the interval, reviewer, version,
sources) is required and validated when the topic is read (topic.py).
"""

from __future__ import annotations

import datetime as dt

from .model import Finding
from ..sources import topic as front_matter


def key_lines(doc) -> dict[str, int]:
    m = front_matter.FRONT_MATTER.match(doc.text)
    return front_matter.key_lines(m.group(1) or "") if m else {}


def status(topic, today: dt.date, warn_days: int) -> str:
    """"overdue", "due soon" or "" for the summary table."""
    if today > topic.next_review:
        return "overdue"
    if (topic.next_review - today).days <= warn_days:
        return "due soon"
    return ""


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def check(ctx, doc):
    topic = doc.topic
    if topic is None:
        return
    lines = key_lines(doc)
    today, warn = ctx.today, ctx.config.carepress_review_warning_days
    next_line = lines.get("next_review", lines.get("reviewed"))
    where = "next_review" if "next_review" in lines else \
        "reviewed + carepress_review_interval_months"
    if topic.reviewed > today:
        yield Finding("review", "error", doc.path, lines.get("reviewed"),
                      f"review: 'reviewed: {topic.reviewed}' is in the future (today is "
                      f"{today}). Write the date the clinician actually reviewed the topic.",
                      doc.docname)
    state = status(topic, today, warn)
    if state == "overdue":
        days = (today - topic.next_review).days
        yield Finding("review", "error", doc.path, next_line,
                      f"review: overdue since {topic.next_review} ({_days(days)}; {where}). Ask "
                      f"a clinician to review the topic, then update 'reviewed' and "
                      f"'next_review'.", doc.docname)
    elif state == "due soon":
        days = (topic.next_review - today).days
        yield Finding("review", "warning", doc.path, next_line,
                      f"review: due on {topic.next_review}, in {_days(days)}. Plan the review "
                      f"with {topic.reviewer}.", doc.docname)
