"""The site's PDFs for an EHR: written at the end of each site build, one set per site
(each brand's site lists its own PDFs at its own address), static JSON any web server
serves (README, "For EHR teams"):

- ``fhir/Bundle.json``: a FHIR R4 Bundle (type ``collection``) of DocumentReference
  resources, one per topic × format × language the site serves. Each is ``current``,
  typed LOINC 34895-3 "Education note" and categorised SNOMED CT 311401005 "Patient
  education (procedure)"; its attachment is the PDF (url, ``application/pdf``, language,
  title, creation date, size, SHA-1 hash), its ``format`` the print format; the topic's codes (sources/codes.py) are
  ``context.event`` codings, which an EHR matches against a patient's problems and
  procedures.
- ``fhir/knowledge.json``: every code with its documents, each shaped as an HL7 Infobutton
  knowledge response (the Atom-like JSON MedlinePlus Connect answers with), and
  ``fhir/knowledge/<system>/<code>.json``, one per code, for an EHR's URL template.

Each language's build writes its own documents into the one Bundle (keeping the other
languages' entries), so the files list what the whole site serves. Nothing here reads the
clock: the same sources give the same files.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import pickle
import re
import uuid
from pathlib import Path

from .. import atomic, languages, outputs
from ..digests import Digests
from ..brochure.layouts import FORMAT_NAMES, format_label, site_formats
from ..sources import brand as brands
from ..sources.codes import SYSTEMS
from ..sources.topic import topics
from . import HTML_BUILDERS

# Why these codes: README, "For EHR teams".
DOCUMENT_TYPE = {"system": "http://loinc.org", "code": "34895-3", "display": "Education note"}
CATEGORY = {"system": "http://snomed.info/sct", "code": "311401005",
            "display": "Patient education (procedure)"}
FORMAT_SYSTEM = "urn:carepress:format"  # handout, large-print, trifold, bilingual
NAMESPACE = uuid.UUID("5b0c8f4e-6d0e-4f3a-9a51-6f2b5c1e0a7d")  # carepress's, for urn:uuid ids


def write_fhir(app, exception) -> None:
    if exception or app.builder.name not in HTML_BUILDERS:
        return
    config = app.config
    lang = languages.subfolder(config)
    site = Path(app.outdir).parent if lang else Path(app.outdir)
    tag = languages.tag(config, languages.current(config))
    bundle_path = outputs.fhir_bundle(site)
    kept = []
    # the other languages' documents, written by their builds (none to read in a site of
    # one language: reading it back was a fifth of its cost at 1,000 topics), and none
    # of a language the site no longer serves
    served = {languages.tag(config, other) for other in languages.all_of(config)} - {tag}
    if served and bundle_path.is_file():
        try:
            old = json.loads(bundle_path.read_text(encoding="utf-8"))
            kept = [_Entry(e) for e in old.get("entry", [])
                    if e["resource"]["content"][0]["attachment"].get("language") in served]
        except (ValueError, KeyError, IndexError, TypeError):
            kept = []
    # a PDF's hash is taken again only when it changed: hashing every PDF of a large
    # library on every build would cost what the library holds
    sha1 = Digests.at(outputs.pdf_sha1_path(outputs.build_dir_of(Path(app.outdir), lang)),
                      "sha1")
    brand = brands.of(config).primary
    made = _Made.load(Path(app.doctreedir), brand.id, _settings(config, brand, tag))
    entries = kept + list(_entries(app, lang, tag, sha1, made))
    sha1.save()
    made.save()
    entries.sort(key=lambda e: e.id)
    latest = max((e.date for e in entries), default="1970-01-01T00:00:00Z")
    head = json.dumps({"resourceType": "Bundle", "id": _id(f"{brand.id}-patient-education"),
                       "meta": {"lastUpdated": latest}, "type": "collection",
                       "timestamp": latest, "entry": []}, ensure_ascii=False)
    # one line, each entry as json's C encoder wrote it (an indent means its Python one,
    # far slower for a Bundle of thousands of documents, written on every build)
    atomic.write_text(bundle_path,
                      head[:-2] + ", ".join(e.text for e in entries) + "]}\n")
    _write_knowledge(site, brand, [e.entry() for e in entries if e.coded])


class _Entry:
    """One DocumentReference of the Bundle: its id, date and JSON text (what a later build
    reuses), and whether it carries codes (the knowledge responses need its resource)."""

    __slots__ = ("id", "date", "text", "coded", "_entry")

    def __init__(self, entry: dict | None, text: str = "", id: str = "", date: str = "",
                 coded: bool = False) -> None:
        self._entry = entry
        if entry is not None:
            resource = entry["resource"]
            text, id, date = json.dumps(entry, ensure_ascii=False), resource["id"], resource["date"]
            coded = "context" in resource
        self.text, self.id, self.date, self.coded = text, id, date, coded

    def entry(self) -> dict:
        if self._entry is None:
            self._entry = json.loads(self.text)
        return self._entry


SAVED = "carepress-fhir.pickle"  # in the doctree folder: {brand: (settings, {key: made})}
_CODE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()  # this module, by content


def _settings(config, brand, tag: str) -> tuple:
    """Everything an entry is made of besides its topic and its PDF."""
    return (_CODE, brand.id, brand.name, config.html_baseurl, tag,
            tuple((fmt, format_label(fmt, config)) for fmt in FORMAT_NAMES))


class _Made:
    """The entries the last build wrote, by topic and format, with what each was made
    from (when Sphinx read the topic; the PDF's size and hash): an entry whose topic was
    not read again and whose PDF is the same is the same entry, and is not made again
    (an edit's Bundle at 1,000 topics: 17-40 ms, against 82-133 ms making every entry)."""

    def __init__(self, path: Path, brand: str, settings: tuple, saved: dict) -> None:
        self.path, self.brand, self.settings, self.saved = path, brand, settings, saved
        was = saved.get(brand)
        self.before = was[1] if was and was[0] == settings else {}
        self.now: dict[tuple[str, str], tuple] = {}
        self.made = 0  # entries made afresh by this build

    @classmethod
    def load(cls, folder: Path, brand: str, settings: tuple) -> "_Made":
        path = folder / SAVED
        try:
            saved = pickle.loads(path.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
                TypeError, ValueError):
            saved = {}
        return cls(path, brand, settings, saved if isinstance(saved, dict) else {})

    def get(self, key: tuple[str, str], made_from: tuple, make) -> _Entry:
        was = self.before.get(key)
        if was is not None and was[0] == made_from:
            entry = _Entry(None, *was[1])
        else:
            entry, self.made = make(), self.made + 1
        # kept as plain values: pickled without a call per entry
        self.now[key] = (made_from, (entry.text, entry.id, entry.date, entry.coded))
        return entry

    def save(self) -> None:
        if self.made or self.now.keys() != self.before.keys():
            self.saved[self.brand] = (self.settings, self.now)
            atomic.write_bytes(self.path, pickle.dumps(self.saved, pickle.HIGHEST_PROTOCOL))


def _entries(app, lang: str, tag: str, sha1: Digests, made: _Made):
    config = app.config
    brand = brands.of(config).primary
    base, outdir = config.html_baseurl, str(app.outdir)
    read_at = app.env.all_docs
    for docname, topic in sorted(topics(app.env).items()):
        if topic.translation is not None and not topic.translation.up_to_date:
            continue  # not printed in this language (the site says so)
        for fmt in site_formats(topic, config):
            href = outputs.site_pdf_href(brand.id, docname, fmt)
            served = f"{outdir}/{href}"  # (a str: a Path per PDF was a fifth of this loop)
            try:
                st = os.stat(served)
            except OSError:
                continue  # not printed (yet): never a link to nothing
            # (the staged site's folder changes with every build: a name that does not)
            digest = sha1.of(served, st, name=f"{brand.id}/{lang}/{href}")
            if digest is None:
                continue
            yield made.get((docname, fmt), (read_at.get(docname), st.st_size, digest),
                           lambda: _Entry(_entry(topic, docname, fmt, href, brand, base, lang,
                                                 tag, st.st_size, digest, config)))


def _entry(topic, docname: str, fmt: str, href: str, brand, base: str, lang: str, tag: str,
           size: int, digest: str, config) -> dict:
    path = (f"{lang}/" if lang else "") + href
    url = base + path if base else "../" + path  # relative to fhir/, without an address
    created = f"{topic.reviewed.isoformat()}T00:00:00Z"
    resource = {
        "resourceType": "DocumentReference",
        "id": _id(f"{brand.id}-{docname}-{fmt}-{tag}"),
        "status": "current",
        "docStatus": "final",
        "type": {"coding": [DOCUMENT_TYPE], "text": "Patient education handout"},
        "category": [{"coding": [CATEGORY], "text": "Patient education"}],
        "date": created,
        "author": [{"display": brand.name}],
        "custodian": {"display": brand.name},
        "description": topic.summary,
        "content": [{"attachment": {
            "contentType": "application/pdf", "language": tag, "url": url,
            "size": size,
            "hash": base64.b64encode(bytes.fromhex(digest)).decode("ascii"),
            "title": topic.title, "creation": created},
            "format": {"system": FORMAT_SYSTEM, "code": fmt,
                       "display": format_label(fmt, config)}}],
    }
    if topic.codes:
        resource["context"] = {"event": [
            {"coding": [{"system": c.info.uri, "code": c.code,
                         **({"display": c.display} if c.display else {})}],
             "text": c.display or f"{c.info.name} {c.code}"} for c in topic.codes]}
    return {"fullUrl": f"urn:uuid:{uuid.uuid5(NAMESPACE, brand.id + '/' + path)}",
            "resource": resource}


def _id(text: str) -> str:
    """A FHIR id: letters, digits, '-' and '.', at most 64 characters."""
    clean = re.sub(r"[^A-Za-z0-9.-]+", "-", text).strip("-")
    if len(clean) > 64:
        clean = clean[:55] + "-" + hashlib.md5(clean.encode()).hexdigest()[:8]
    return clean


def _write_knowledge(site: Path, brand, entries) -> None:
    """Each code's documents as an Infobutton knowledge response (Atom as JSON)."""
    by_code: dict[tuple[str, str], list] = {}
    names = {s.uri: key for key, s in SYSTEMS.items()}
    for entry in entries:
        resource = entry["resource"]
        for event in resource.get("context", {}).get("event", []):
            coding = event["coding"][0]
            by_code.setdefault((names[coding["system"]], coding["code"]), []).append(resource)
    responses = {}
    # A library's every code has a file, so each is written only when it changed (the
    # staged site then copies none of the others), in json's C encoder; a code no topic
    # has any longer loses its file.
    folder = outputs.fhir_knowledge_of(site, "x", "x").parent.parent
    stale = {e.path for sub in outputs.folders_in(folder) for e in outputs.entries_of(sub)}
    for (system, code), resources in sorted(by_code.items()):
        response = _feed(brand, system, code, resources)
        responses[f"{system}|{code}"] = response
        path = outputs.fhir_knowledge_of(site, system, code)
        stale.discard(str(path))
        _write_changed(path, json.dumps(response, ensure_ascii=False) + "\n")
    for path in stale:
        os.unlink(path)
    index = {"description": f"{brand.name}: patient education by code, one HL7 Infobutton "
                            "knowledge response per code (key: <system>|<code>); "
                            "fhir/knowledge/<system>/<code>.json holds the same one by one.",
             "systems": {key: {"name": s.name, "uri": s.uri, "oid": s.oid}
                         for key, s in SYSTEMS.items()},
             "responses": responses}
    atomic.write_text(outputs.fhir_knowledge(site),
                      json.dumps(index, ensure_ascii=False) + "\n")


def _write_changed(path: Path, text: str) -> None:
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except OSError:
        pass
    atomic.write_text(path, text)


def _feed(brand, system: str, code: str, resources) -> dict:
    """One code's knowledge response: a feed whose categories say what was asked
    (mainSearchCriteria.v.c/.v.cs), with an entry per topic and language, linking each
    format's PDF."""
    topics_: dict[tuple[str, str], dict] = {}
    for r in resources:
        attachment, form = r["content"][0]["attachment"], r["content"][0]["format"]
        key = (attachment["title"], attachment["language"])
        entry = topics_.setdefault(key, {
            "title": {"_value": key[0], "type": "text"},
            "id": {"_value": f"urn:uuid:{uuid.uuid5(NAMESPACE, '|'.join(key) + brand.id)}"},
            "updated": {"_value": r["date"]},
            "summary": {"_value": r["description"], "type": "text"},
            "lang": key[1], "link": []})
        entry["link"].append({"href": attachment["url"], "rel": "alternate",
                              "type": "application/pdf", "hreflang": key[1],
                              "title": f"{attachment['title']} ({form['display']})"})
    info = SYSTEMS[system]
    return {"feed": {
        "title": {"_value": f"{brand.name}: patient education for {info.name} {code}",
                  "type": "text"},
        "id": {"_value": f"urn:uuid:{uuid.uuid5(NAMESPACE, f'{brand.id}|{system}|{code}')}"},
        "updated": {"_value": max(r["date"] for r in resources)},
        "author": {"name": {"_value": brand.name},
                   **({"uri": {"_value": brand.site}} if brand.site else {})},
        "category": [{"scheme": "mainSearchCriteria.v.c", "term": code},
                     {"scheme": "mainSearchCriteria.v.cs", "term": info.oid},
                     {"scheme": "informationRecipient", "term": "PAT"}],
        "entry": [topics_[k] for k in sorted(topics_)]}}
