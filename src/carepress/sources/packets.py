"""Print packets: several topics a clinic hands out together, defined as data.

One YAML file per packet in ``docs/packets/`` (``carepress_packets_dir``): YAML rather
than conf.py, so a clinic's staff can add one without touching Python, and so an error
names the packet's own file and line::

    title: After your visit
    topics: [microneedling, skin-after-procedure]   # in the order they are printed
    formats: [handout]                              # optional: handout, large-print
    double_sided: true                              # optional: each topic on a right-hand page

brochure/packets.py prints each packet per brand and format as one PDF.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

KEYS = ("title", "topics", "formats", "double_sided")
PACKET_FORMATS = ("handout", "large-print")
NAME = re.compile(r"[a-z0-9][a-z0-9-]*")


@dataclass
class Packet:
    id: str          # the file name without .yml: the PDF's name
    path: Path
    title: str
    topics: list[tuple[str, int]]  # (topic, line of the file naming it)
    formats: list[str] = field(default_factory=lambda: ["handout"])
    double_sided: bool | None = None  # None: carepress_packet_double_sided
    text: str = ""   # the file as read: a change of it prints the packet again


class PacketError(Exception):
    def __init__(self, message: str, path: Path, line: int | None = None):
        super().__init__(message)
        self.path, self.line = path, line

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line or 1}"


def folder(srcdir, config) -> Path:
    return Path(srcdir, config.carepress_packets_dir).resolve()


def load_all(srcdir, config) -> tuple[list[Packet], list[PacketError]]:
    """Every packet of the project, and the problems of those that could not be read."""
    packets, problems = [], []
    for path in sorted(folder(srcdir, config).glob("*.y*ml")):
        try:
            packets.append(load(path))
        except PacketError as error:
            problems.append(error)
    return packets, problems


def load(path: Path) -> Packet:
    text = path.read_text(encoding="utf-8")
    if not NAME.fullmatch(path.stem):
        raise PacketError(f"the packet's file name '{path.name}' becomes its PDF's name: use "
                          "lower-case letters, digits and hyphens, such as after-your-visit.yml.",
                          path, 1)
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise PacketError(f"not valid YAML ({getattr(exc, 'problem', None) or exc}).", path,
                          mark.line + 1 if mark else 1) from None
    if not isinstance(data, dict) or not isinstance(root, yaml.MappingNode):
        raise PacketError("a packet is a list of 'key: value' lines: title, topics and "
                          "optionally formats and double_sided.", path, 1)
    nodes = {k.value: v for k, v in root.value}
    lines = {k.value: k.start_mark.line + 1 for k, _ in root.value}
    for key in data:
        if key not in KEYS:
            raise PacketError(f"unknown key '{key}'; a packet has {', '.join(KEYS)}.", path,
                              lines.get(key))
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise PacketError("the packet has no 'title': add the title printed on its cover.",
                          path, lines.get("title", 1))
    items = data.get("topics")
    if not isinstance(items, list) or not items or not all(isinstance(t, str) for t in items):
        raise PacketError("'topics' should list the topics in the order they are printed, "
                          "such as topics: [microneedling, skin-after-procedure].", path,
                          lines.get("topics", 1))
    item_lines = [n.start_mark.line + 1 for n in nodes["topics"].value]
    formats = data.get("formats", ["handout"])
    formats = [formats] if isinstance(formats, str) else formats
    if not isinstance(formats, list) or not formats or any(f not in PACKET_FORMATS for f in formats):
        raise PacketError(f"'formats' may name {' and '.join(PACKET_FORMATS)}; a packet is "
                          "printed as pages, not folded.", path, lines.get("formats"))
    double = data.get("double_sided")
    if double is not None and not isinstance(double, bool):
        raise PacketError("'double_sided' is true or false.", path, lines.get("double_sided"))
    return Packet(path.stem, path, title.strip(), list(zip(items, item_lines)),
                  list(dict.fromkeys(formats)), double, text)
