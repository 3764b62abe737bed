"""The check report: one row per topic, then every finding, then the details a writer
needs (the longest sentences). Printed at the end of `make check` and written to
``_build/check/report.md`` so CI can post it on a pull request.

Other parts of carepress add to it by connecting to the ``carepress-check-report``
event: ``handler(app, report)`` may call ``report.add_section(title, markdown)`` and
``report.add_finding(finding)`` before the report is printed and written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import atomic
from .model import Finding, relpath


@dataclass
class Row:
    docname: str
    path: Path
    words: int | None = None
    grade: float | None = None
    smog: float | None = None
    pages: dict[str, int | None] = field(default_factory=dict)  # format -> pages, None: no PDF
    review: str = ""
    longest: list = field(default_factory=list)
    translation: object = None  # sources.translations.Translation, outside the default language


@dataclass
class Report:
    rows: list[Row]
    findings: list[Finding]
    today: str
    checks: list[str]
    sections: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # one line each, under the table
    language: str = "en"
    translated: bool = False  # an edition in another language than the default
    title: str = "Check report"

    def add_section(self, title: str, markdown: str) -> None:
        self.sections.append((title, markdown))

    def add_finding(self, finding: Finding) -> None:
        self.findings.append(finding)

    def count(self, docname, severity) -> int:
        return sum(f.severity == severity and f.docname == docname for f in self.findings)

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == "warning" for f in self.findings)

    def table(self) -> str:
        scores = {"en": ["grade", "SMOG"], "es": ["INFLESZ", "F-H"]}.get(
            self.language.split("_")[0], ["reading level", "(no formula)"])
        head = ["topic", "words", *scores, "pages", "review due", "errors", "warnings"]
        if self.translated:
            head[1:1] = ["translated", "stale"]
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]

        def num(value, fmt="{:.1f}"):
            return "–" if value is None else fmt.format(value)
        for row in self.rows:
            pages = ", ".join(f"{fmt} {'–' if n is None else n}" for fmt, n in row.pages.items())
            cells = [row.docname, num(row.words, "{}"), num(row.grade), num(row.smog),
                     pages or "–", row.review or "–", str(self.count(row.docname, "error")),
                     str(self.count(row.docname, "warning"))]
            if self.translated:
                t = row.translation
                cells[1:1] = ["–", "–"] if t is None else [f"{t.percent:.0f}%", str(len(t.stale))]
            lines.append("| " + " | ".join(cells) + " |")
        known = {row.docname for row in self.rows}
        other = [f for f in self.findings if f.docname not in known]
        if other:
            lines.append("| (other pages) | | | | | | " + ("| | " if self.translated else "")
                         + f"{sum(f.severity == 'error' for f in other)} | "
                         f"{sum(f.severity == 'warning' for f in other)} |")
        return "\n".join(lines)

    def summary_line(self) -> str:
        verdict = "FAILED" if self.errors else "passed"
        return (f"carepress check {verdict}: {self.errors} error(s), {self.warnings} warning(s) "
                f"in {len(self.rows)} topic(s).")

    def markdown(self) -> str:
        out = [f"# {self.title}\n", f"{self.summary_line()} Checked on {self.today}: "
               f"{', '.join(self.checks)}.\n", self.table(), ""]
        out += [f"- {note}" for note in self.notes] + ([""] if self.notes else [])
        out.append("## Findings\n")
        if not self.findings:
            out.append("None.\n")
        for f in sorted(self.findings, key=_order):
            out.append(f"- **{f.severity}** `{f.where() or 'project'}` {f.message}")
        out.append("")
        longest = [r for r in self.rows if r.longest]
        if longest:
            out.append("## Longest sentences\n")
            out.append("Shorter sentences lower the reading grade fastest. Start here:\n")
            for row in longest:
                out.append(f"### {row.docname}\n")
                for s in row.longest:
                    text = s.text if len(s.text) <= 160 else s.text[:157] + "..."
                    out.append(f"- `{relpath(row.path)}:{s.line}` ({s.words} words) {text}")
                out.append("")
        for title, body in self.sections:
            out += [f"## {title}\n", body.rstrip() + "\n"]
        return "\n".join(out).rstrip() + "\n"

    def write(self, path: Path) -> None:
        atomic.write_text(path, self.markdown())


def _order(f: Finding):
    return (str(f.path or ""), f.line or 0, f.check)
