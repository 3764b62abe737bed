"""The list of topics due or overdue for review, for the clinic's one GitHub issue
"Topics due for review" (the scheduled job in .github/workflows/carepress.yml).

``carepress check --only review --due-report FILE`` writes it; the workflow only copies
it into the issue, so what the issue says is tested here, not in YAML.
"""

from __future__ import annotations

from pathlib import Path

from .. import atomic
from ..sources.topic import topics
from . import review
from .model import relpath, today

TITLE = "Topics due for review"


def due_list(app) -> str:
    """Markdown: overdue topics first, then those due within the warning window."""
    day = today(app.config)
    warn = app.config.carepress_review_warning_days
    rows = []
    for docname, topic in topics(app.env).items():
        state = review.status(topic, day, warn)
        if state:
            days = (topic.next_review - day).days
            when = f"{-days} day(s) ago" if days < 0 else f"in {days} day(s)"
            rows.append((state != "overdue", topic.next_review, docname, topic, state, when))
    out = [f"# {TITLE}", "",
           f"As of {day}: topics whose next review has passed, or comes within {warn} days. "
           "This list is kept up to date by `carepress check --only review --due-report` "
           "in the scheduled workflow; a review is done when a clinician has reviewed the "
           "topic and a pull request updates `reviewed` and `next_review`.", ""]
    if not rows:
        return "\n".join(out + ["No topic is due for review.", ""])
    out += [f"{sum(not r[0] for r in rows)} overdue, {sum(r[0] for r in rows)} due soon.", "",
            "| topic | file | next review | | reviewer | last reviewed |", "|---|---|---|---|---|---|"]
    for _, _, docname, topic, state, when in sorted(rows, key=lambda r: r[:3]):
        path = relpath(app.env.doc2path(docname))
        out.append(f"| {topic.title} | `{path}` | {topic.next_review} ({when}) | **{state}** | "
                   f"{topic.reviewer} | {topic.reviewed} |")
    return "\n".join(out + [""])


def on_check_report(app, report) -> None:
    target = app.config.carepress_due_report
    if target:
        atomic.write_text(Path(target), due_list(app))
