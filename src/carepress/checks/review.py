"""Review governance: a topic past its next review is an error, one due within
``carepress_review_warning_days`` a warning, and a review dated in the future an error.
On a pull request (``carepress_changed_files``) an overdue review is an error only in
the topics the pull request touches, and a warning in the others, so an old topic does
not block an unrelated change.

The front matter itself (reviewed, next_review or the interval, reviewer, version,
sources) is required and validated when the topic is read (topic.py).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

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


def changed(ctx, doc) -> bool:
    """Whether the change being checked touches the topic: its file or one it uses."""
    files = ctx.config.carepress_changed_files
    if "*" in files:
        return True
    wanted = {str(Path(f).resolve()) for f in files}
    env = ctx.app.env
    used = [doc.path] + [Path(env.srcdir, d) for d in env.dependencies.get(doc.docname, ())]
    return any(str(Path(p).resolve()) in wanted for p in used)


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
        touched = changed(ctx, doc)
        yield Finding("review", "error" if touched else "warning", doc.path, next_line,
                      f"review: overdue since {topic.next_review} ({_days(days)}; {where}). Ask "
                      f"a clinician to review the topic, then update 'reviewed' and "
                      f"'next_review'." + ("" if touched else " (Not an error here: this "
                                           "change does not touch the topic.)"), doc.docname)
    elif state == "due soon":
        days = (topic.next_review - today).days
        yield Finding("review", "warning", doc.path, next_line,
                      f"review: due on {topic.next_review}, in {_days(days)}. Plan the review "
                      f"with {topic.reviewer}.", doc.docname)
