"""Write a synthetic wikiGDrive export of any size, for benchmarks and scale tests.

Usage: python scripts/synthetic_export.py OUT_DIR --docs N [--seed S] [--home index.md|_index.md]

The export has the shape of the real quality-of-care exports (``../shared/corpus``):

- a home page (``index.md``; ``home="_index.md"`` names it as wikiGDrive's own exports do, which Hugo
  needs: a root ``index.md`` makes Hugo's home page a leaf bundle holding every other doc) and a root
  ``navigation.md`` listing the top-level sections, with front matter as wikiGDrive writes it (Hugo
  refuses a content file starting with a list);
- sections several levels deep, 10-30 docs each: a section is a doc ``x.md`` beside a folder ``x/``
  holding its children, each child naming it as ``menu.main.parent``, with ``weight``s in Drive order;
- a ``.wgd-directory.yaml`` in every folder (Drive ids and titles of its files and sub-folders);
- front matter as wikiGDrive writes it: ``id``, ``title``, ``date``, ``version``, ``lastAuthor``,
  ``mimeType``, ``links``, ``source`` (the Drive URL), ``wikigdrive`` and ``menu``;
- Hugo shortcodes (``note``, ``tip``, ``info``, ``warning``, ``children``, ``system-name``, ``syslink``),
  raw HTML tables, numbered steps with ``<strong>`` and ``<img>``, tiny PNGs in ``x.assets/``
  (and a few unreferenced ``x.images/`` copies), links between docs as relative ``.md`` paths and
  as Drive and Docs URLs;
- Improvement Activity docs ("AHE 6 - ...") under "20xx Improvement Activities" sections, in the
  forms the real export uses (one field a line or a paragraph each, a mojibake NBSP now and then);
- a few wikiGDrive redirect stubs (``redirectTo``) and one FAQ doc.

Every link points at a doc or image in the export, so a sync reports no problems. The same
``docs`` and ``seed`` always give byte-identical files.
"""

from __future__ import annotations

import argparse
import math
import posixpath
import random
import struct
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

WIKIGDRIVE = "eb4f9f8e82d104274f4630740771c9319ef63af0"
ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
AUTHORS = ("Nicole Richardson", "aquandt", "Dana Whitfield", "Marcus Ortega", "Priya Natarajan", "")
SUBCATEGORIES = {"AHE": "Achieving Health Equity", "BMH": "Behavioral and Mental Health",
                 "BE": "Beneficiary Engagement", "CC": "Care Coordination",
                 "ERP": "Emergency Response and Preparedness", "EPA": "Expanded Practice Access",
                 "PSPA": "Patient Safety and Practice Assessment", "PM": "Population Management"}
VERBS = ("Configure", "Review", "Enroll", "Track", "Submit", "Export", "Import", "Schedule", "Document", "Verify",
         "Reconcile", "Print", "Assign", "Audit", "Update", "Create", "Manage", "Archive", "Approve", "Monitor",
         "Record", "Register", "Link", "Sign", "Route", "Measure", "Screen", "Refer", "Notify", "Close")
ADJECTIVES = ("Patient", "Provider", "Quality", "Clinical", "Annual", "Quarterly", "Preventive", "Behavioral",
              "Chronic", "Pediatric", "Outpatient", "Inpatient", "Electronic", "Manual", "Shared", "Pending",
              "Certified", "Regional", "Practice", "Billing", "Referral", "Medication", "Laboratory", "Imaging",
              "Portal", "Registry", "Telehealth", "Dental", "Vision", "Hospice")
NOUNS = ("Measures", "Reports", "Encounters", "Orders", "Results", "Documents", "Templates", "Reminders",
         "Worklists", "Charts", "Forms", "Appointments", "Claims", "Enrollments", "Attestations", "Dashboards",
         "Panels", "Queues", "Alerts", "Summaries", "Referrals", "Immunizations", "Screenings", "Assessments",
         "Care Plans", "Problem Lists", "Allergies", "Vitals", "Messages", "Signatures", "Consents", "Schedules",
         "Users", "Roles", "Portlets", "Filters", "Exports", "Submissions", "Audits", "Rosters")
WORDS = ("the", "a", "to", "of", "and", "in", "for", "each", "with", "on", "is", "are", "be", "by", "or", "this",
         "that", "from", "as", "when", "patient", "provider", "measure", "report", "quality", "data", "care",
         "reporting", "period", "system", "document", "documentation", "enrolled", "performance", "submission",
         "clinician", "practice", "encounter", "visit", "eligible", "denominator", "numerator", "exclusion",
         "exception", "screening", "follow-up", "plan", "year", "program", "portal", "portlet", "select", "click",
         "open", "review", "record", "chart", "order", "result", "value", "field", "list", "table", "page",
         "status", "date", "type", "code", "criteria", "population", "initial", "specification", "electronic",
         "certified", "health", "medical", "clinical", "information", "submitted", "administrator", "role",
         "user", "settings", "option", "button", "menu", "tab", "search", "filter", "column", "row", "export",
         "import", "file", "upload", "download", "JSON", "QRDA", "CMS", "MIPS", "QPP", "eCQM", "NPI", "TIN",
         "hypertension", "diabetes", "depression", "immunization", "tobacco", "medication", "reconciliation",
         "referral", "specialist", "outcome", "assessment", "risk", "intervention", "counseling", "adherence",
         "telehealth", "access", "equity", "engagement", "coordination", "safety", "management", "registry",
         "audit", "attestation", "incentive", "payment", "adjustment", "benchmark", "threshold", "score",
         "weighting", "category", "subcategory", "activity", "improvement", "interoperability", "promoting",
         "must", "should", "can", "may", "will", "only", "also", "then", "before", "after", "during", "within",
         "at", "least", "one", "two", "90", "days", "months", "twelve", "most", "recent", "every", "any", "all",
         "new", "existing", "current", "prior", "appropriate", "required", "optional", "supporting", "evidence")
WEIGHTED_WORDS = tuple(word for rank, word in enumerate(WORDS) for _ in range(1 + 24 // (rank + 1)))
NOTE_KINDS = ("note", "note", "note", "tip", "info", "warning")


@dataclass
class Doc:
    """One doc of the synthetic export, before its text is written."""

    path: str
    """'/'-separated path of the .md file relative to the export root."""
    id: str
    title: str
    kind: str
    """'home', 'section', 'page', 'measure', 'year', 'activity', 'faq' or 'stub'."""
    parent: Doc | None = None
    weight: int = 0
    children: list[Doc] = field(default_factory=list)
    redirect_to: Doc | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def folder(self) -> str:
        """Folder of the .md file ('' at the root)."""
        return posixpath.dirname(self.path)

    @property
    def child_folder(self) -> str:
        """Folder holding this section's children: ``x/`` beside ``x.md``; the root for the home page."""
        return "" if self.kind == "home" else self.path[:-3]


class _Builder:
    def __init__(self, docs: int, seed: int, home: str = "index.md"):
        self.rng = random.Random(seed)
        self.total = docs
        self.home = home
        self.docs: list[Doc] = []
        self.ids: set[str] = set()
        self.paths: set[str] = set()
        self.weight = 2400
        self.files: dict[str, bytes] = {}

    # --- the tree ------------------------------------------------------------------------------

    def new_id(self) -> str:
        while True:
            drive_id = "1" + "".join(self.rng.choices(ID_CHARS, k=43))
            if drive_id not in self.ids:
                self.ids.add(drive_id)
                return drive_id

    def add(self, parent: Doc | None, title: str, kind: str, name: str | None = None) -> Doc:
        folder = parent.child_folder if parent is not None else ""
        slug = name or _slug(title)
        path, n = posixpath.join(folder, slug + ".md"), 1
        while path in self.paths or path[:-3] in self.paths:  # a doc and a folder of one name in one folder
            n += 1
            path = posixpath.join(folder, f"{slug}-{n}.md")
        self.paths.update((path, path[:-3]))
        self.weight += 10
        doc = Doc(path=path, id=self.new_id(), title=title, kind=kind, parent=parent, weight=self.weight)
        if parent is not None:
            parent.children.append(doc)
        self.docs.append(doc)
        return doc

    def title(self) -> str:
        rng = self.rng
        return f"{rng.choice(VERBS)} {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"

    def build(self) -> None:
        home = self.add(None, "Quality of Care Help", "home", name=self.home[:-3])
        left = self.total - 1
        if left <= 0:
            return
        faq = left >= 8
        left -= faq
        stubs = max(1, self.total // 100) if self.total >= 20 else 0
        activities = max(4, self.total // 20) if self.total >= 40 else 0
        years = min(8, math.ceil(activities / 25)) if activities else 0
        left -= stubs + activities + (1 + years if activities else 0)
        self.section_tree(home, left)
        if activities:
            self.activity_tree(home, activities, years)
        if faq:
            self.add(home, "Frequently Asked Questions", "faq", name="faq")
        pages = [doc for doc in self.docs if doc.kind in ("page", "measure", "activity")]
        for target in self.rng.sample(pages, min(stubs, len(pages))):
            stub = self.add(target.parent, f"Redirect to: {target.title}", "stub",
                            name="old-" + posixpath.basename(target.path)[:-3])
            stub.parent.children.remove(stub)  # a stub is not in the menu
            stub.redirect_to = target

    def section_tree(self, parent: Doc, budget: int, depth: int = 0) -> None:
        """``budget`` docs below ``parent``: 10-30 children, some of them sections with the rest."""
        rng = self.rng
        k = min(budget, rng.randint(4, 7) if depth == 0 else rng.randint(10, 30))
        rest = budget - k
        children = []
        for _ in range(k):
            kind = "page" if rng.random() < 0.8 else "measure"
            children.append(self.add(parent, self.title(), kind))
        if rest <= 0:
            return
        subs = children if depth == 0 else rng.sample(children, min(k, rng.randint(2, 5)))
        cuts = sorted(rng.randint(0, rest) for _ in range(len(subs) - 1))
        for sub, start, end in zip(subs, [0, *cuts], [*cuts, rest]):
            if end > start:
                sub.kind = "section"
                self.section_tree(sub, end - start, depth + 1)

    def activity_tree(self, home: Doc, activities: int, years: int) -> None:
        top = self.add(home, "Improvement Activities Measures", "section")
        numbers: dict[tuple[int, str], int] = {}
        sections = [self.add(top, f"{2017 + i} Improvement Activities", "year") for i in range(years)]
        for n in range(activities):
            section = sections[n % years]
            year = 2017 + sections.index(section)
            prefix = self.rng.choice(list(SUBCATEGORIES))
            number = numbers[year, prefix] = numbers.get((year, prefix), 0) + 1
            doc = self.add(section, f"{prefix} {number} - {self.title()}", "activity")
            doc.extra = {"prefix": prefix, "year": year}

    # --- the text -----------------------------------------------------------------------------

    def sentence(self, words: int | None = None) -> str:
        rng = self.rng
        text = " ".join(rng.choices(WEIGHTED_WORDS, k=words or rng.randint(8, 22)))
        return text[0].upper() + text[1:] + "."

    def paragraph(self, sentences: int | None = None) -> str:
        return " ".join(self.sentence() for _ in range(sentences or self.rng.randint(2, 5)))

    def link_to(self, doc: Doc, target: Doc) -> tuple[str, str]:
        """(Markdown link, URL) from ``doc`` to ``target``: mostly relative paths, some Drive or Docs URLs."""
        roll = self.rng.random()
        if roll < 0.15:
            url = f"https://drive.google.com/open?id={target.id}"
        elif roll < 0.3:
            url = f"https://docs.google.com/document/d/{target.id}/edit"
        else:
            url = posixpath.relpath(target.path, doc.folder or ".")
        return f"[{target.title}]({url})", url

    def png(self, rel: str) -> str:
        """A tiny PNG at ``rel`` (a colour of its own), returning ``rel``."""
        self.files[rel] = _png(self.rng.randrange(256), self.rng.randrange(256), self.rng.randrange(256))
        return rel

    def body(self, doc: Doc, pages: list[Doc]) -> tuple[str, list[str]]:
        builder = {"home": self.home_body, "section": self.section_body, "year": self.section_body,
                   "page": self.page_body, "measure": self.measure_body, "activity": self.activity_body,
                   "faq": self.faq_body}[doc.kind]
        return builder(doc, pages)

    def home_body(self, doc: Doc, pages: list[Doc]) -> tuple[str, list[str]]:
        links = [self.link_to(doc, child) for child in doc.children]
        lines = [f"Welcome to the {{{{% system-name %}}}} help pages. {self.paragraph(2)}", ""]
        lines += [f"[**{child.title}**]({url})\n\n" for child, (_, url) in zip(doc.children, links)]
        return "\n".join(lines), [url for _, url in links]

    def section_body(self, doc: Doc, pages: list[Doc]) -> tuple[str, list[str]]:
        intro = f"{{{{% system-name %}}}} {self.paragraph()}"
        if self.rng.random() < 0.5:
            return f"{intro}\n\n{{{{% children %}}}}\n", []
        links = [posixpath.relpath(child.path, doc.folder or ".") for child in doc.children]
        items = "\n\n\n\n".join(f"[**{child.title}**]({url})" for child, url in zip(doc.children, links))
        return f"\n\n\n\n\n{intro}\n\n\n\n\n\n\n{items}\n", links

    def page_body(self, doc: Doc, pages: list[Doc]) -> tuple[str, list[str]]:
        rng = self.rng
        out: list[str] = [self.paragraph()]
        urls: list[str] = []
        stem = posixpath.basename(doc.path)[:-3]
        images = [self.png(f"{posixpath.join(doc.folder, stem)}.assets/{rng.getrandbits(160):040X}.png")
                  for _ in range(rng.randint(1, 3) if rng.random() < 0.12 else 0)]
        if images and rng.random() < 0.3:
            for n in range(1, len(images) + 1):
                self.png(f"{posixpath.join(doc.folder, stem)}.images/image{n}.png")
        for _ in range(rng.randint(1, 4)):
            out.append(f"## {rng.choice(VERBS)} the {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}")
            out.append(self.paragraph())
            roll = rng.random()
            if roll < 0.45:
                steps = []
                for n in range(1, rng.randint(3, 8)):
                    step = f"{n}. {self.sentence()} Click <strong>{rng.choice(NOUNS)}</strong>."
                    if images and rng.random() < 0.4:
                        step += f"\n\n   <img src=\"{posixpath.relpath(images.pop(), doc.folder or '.')}\" />"
                    steps.append(step)
                out.append("\n".join(steps))
            elif roll < 0.7:
                kind = rng.choice(NOTE_KINDS)
                out.append(f"{{{{% {kind} %}}}}\n{self.paragraph(2)}\n{{{{% /{kind} %}}}}")
            elif roll < 0.8:
                out.append(f"Open the {{{{% syslink \"Quick View\" \"func=omniscope\" %}}}} and {self.sentence()}")
            if pages and rng.random() < 0.6:
                markdown, url = self.link_to(doc, rng.choice(pages))
                urls.append(url)
                out.append(f"See {markdown} for {self.sentence(6).lower()}")
        out += [f"![]({posixpath.relpath(image, doc.folder or '.')})" for image in images]
        return "\n\n".join(out) + "\n", urls

    def measure_body(self, doc: Doc, pages: list[Doc]) -> tuple[str, list[str]]:
        rng = self.rng
        number, version = rng.randint(2, 999), rng.randint(6, 12)
        url = f"https://ecqi.healthit.gov/ecqm/ep/2022/cms{number}v{version}"
        ids = "".join(f"<tr>\n<td>{cell}</td>\n</tr>\n" for cell in (f"CMS{number}v{version}", "–", rng.randint(1, 500)))
        rows = "".join(f"<tr>\n<td><strong>{label}</strong></td>\n<td>{self.paragraph(rng.randint(1, 3))}</td>\n</tr>\n"
                       for label in ("Description", "Initial Patient Population", "Denominator",
                                     "Denominator Exclusions", "Numerator", "Numerator Exclusions"))
        text = (f"## Overview\n\n[CMS{number}v{version}]({url}) (2022)\n\n### Identifiers\n\n\n<table>\n{ids}\n</table>\n"
                f"*MIE only supports data collection and reporting using eCQM specifications\n\n### Definitions\n\n\n"
                f"<table>\n{rows}\n</table>\n\n{self.paragraph()}\n")
        return text, [url]

    def activity_body(self, doc: Doc, pages: list[Doc]) -> tuple[str, list[str]]:
        rng = self.rng
        year = doc.extra["year"]
        subcategory = SUBCATEGORIES[doc.extra["prefix"]]
        weighting = "High" if rng.random() < 0.3 else "Medium"
        nbsp = "\u00c2\u00a0" if rng.random() < 0.1 else " "
        label = "**Subcategory** **Name**" if rng.random() < 0.5 else "**Subcategory Name**"
        sep = "\n\n" if rng.random() < 0.4 else "\n"
        resources = [f"https://qpp.cms.gov/mips/improvement-activities?py={year}",
                     f"https://qpp.cms.gov/resource/{year}%20MIPS%20Improvement%20Activities%20Fact%20Sheet"]
        docs = "\n".join(f"{n}. {self.sentence()}" for n in range(1, rng.randint(2, 4)))
        text = (f"\n\n\n\n**Activity Weighting**: {weighting}{sep}{label}: {subcategory}{sep}"
                f"**Description**:{nbsp}{self.paragraph(rng.randint(1, 3))}\n\n\n\n\n"
                f"Supporting Documentation\n{docs}\n\n\n\n\n"
                f"Resources\n[{year} Improvement Activities Requirements]({resources[0]})\n"
                f"[{year} MIPS Improvement Activities Fact Sheet]({resources[1]})\n")
        return text, resources

    def faq_body(self, doc: Doc, pages: list[Doc]) -> tuple[str, list[str]]:
        rng = self.rng
        out = [self.paragraph(2)]
        for _ in range(rng.randint(6, 12)):
            out.append(f"**How do I {rng.choice(VERBS).lower()} {rng.choice(ADJECTIVES).lower()} "
                       f"{rng.choice(NOUNS).lower()}?**")
            out.append(self.paragraph())
        return "\n\n".join(out) + "\n", []

    # --- the files ----------------------------------------------------------------------------

    def write_docs(self) -> None:
        pages = [doc for doc in self.docs if doc.kind in ("page", "measure", "section")]
        for doc in self.docs:
            if doc.kind == "stub":
                target = doc.redirect_to
                assert target is not None
                url = posixpath.relpath(target.path, doc.folder or ".")
                meta = [("id", doc.id), ("title", doc.title), ("date", self.date()), ("source", _source(doc.id)),
                        ("mimeType", "text/x-markdown"), ("url", url), ("redirectTo", target.id),
                        ("wikigdrive", WIKIGDRIVE)]
                text = f"Renamed to: [{target.title}]({url})\n"
            else:
                text, links = self.body(doc, pages)
                meta = [("id", doc.id), ("title", doc.title), ("date", self.date()),
                        ("version", self.rng.randint(3, 300)), ("lastAuthor", self.rng.choice(AUTHORS)),
                        ("mimeType", "text/x-markdown"), ("links", links), ("source", _source(doc.id)),
                        ("wikigdrive", WIKIGDRIVE)]
            menu = _menu(doc) if doc.kind != "stub" else ""
            self.files[doc.path] = ("---\n" + "".join(_yaml_line(k, v) for k, v in meta) + menu + "---\n"
                                    + text).encode("utf-8")

    def date(self) -> str:
        rng = self.rng
        return (f"20{rng.randint(19, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T"
                f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}.{rng.randint(0, 999):03d}Z")

    def write_directories(self) -> None:
        folders: dict[str, list[Doc]] = {}
        for doc in self.docs:
            folders.setdefault(doc.folder, []).append(doc)
        sections = {doc.child_folder: doc for doc in self.docs if doc.kind in ("home", "section", "year")}
        for folder, docs in sorted(folders.items()):
            owner = sections.get(folder)
            title = owner.title if owner is not None else folder
            lines = ["type: 'directory'", f"id: '{self.new_id()}'", f"title: {_quote(title)}",
                     f"fileName: '{posixpath.basename(folder) or 'export'}'",
                     "mimeType: 'application/vnd.google-apps.folder'", f"date: '{self.date()}'",
                     f"version: '{self.rng.randint(10, 400)}'", "fileMap:"]
            for doc in docs:
                name = posixpath.basename(doc.path)
                lines += [f"  {name}:", "    type: 'md'", f"    id: '{doc.id}'", f"    title: {_quote(doc.title)}",
                          f"    modifiedTime: '{self.date()}'", "    mimeType: 'text/x-markdown'",
                          f"    fileName: '{name}'"]
                if doc.kind in ("section", "year"):
                    sub = posixpath.basename(doc.child_folder)
                    lines += [f"  {sub}:", "    type: 'directory'", f"    id: '{self.new_id()}'",
                              f"    title: {_quote(doc.title)}", "    mimeType: 'application/vnd.google-apps.folder'",
                              f"    fileName: '{sub}'"]
            lines.append(f"wikigdrive: '{WIKIGDRIVE}'")
            self.files[posixpath.join(folder, ".wgd-directory.yaml")] = ("\n".join(lines) + "\n").encode("utf-8")

    def write_navigation(self) -> None:
        home = self.docs[0]
        lines = []
        for doc in home.children:
            lines.append(f"- [{doc.title}]({doc.path})")
            if doc is home.children[0]:
                lines += [f"    - [{child.title}](https://drive.google.com/open?id={child.id})" for child in doc.children]
        links = [doc.path for doc in home.children]
        nav_id = self.new_id()
        meta = [("id", nav_id), ("title", "navigation"), ("date", self.date()), ("version", self.rng.randint(3, 300)),
                ("lastAuthor", self.rng.choice(AUTHORS)), ("mimeType", "text/x-markdown"), ("links", links),
                ("source", _source(nav_id)), ("wikigdrive", WIKIGDRIVE)]
        front = "---\n" + "".join(_yaml_line(key, value) for key, value in meta) + "---\n"
        self.files["navigation.md"] = (front + "\n".join(lines) + "\n").encode("utf-8")


def _slug(title: str) -> str:
    out = "".join(ch if ch.isalnum() else "-" for ch in title.lower())
    return "-".join(part for part in out.split("-") if part) or "doc"


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _source(drive_id: str) -> str:
    return f"https://drive.google.com/open?id={drive_id}"


def _yaml_line(key: str, value: Any) -> str:
    if isinstance(value, list):
        return f"{key}: []\n" if not value else f"{key}:\n" + "".join(f"  - {_quote(v)}\n" for v in value)
    if isinstance(value, int):
        return f"{key}: {value}\n"
    return f"{key}: {_quote(str(value))}\n"


def _menu(doc: Doc) -> str:
    lines = ["menu:", "  main:", f"    name: {_quote(doc.title)}", f"    identifier: '{doc.id}'"]
    if doc.parent is not None:
        lines.append(f"    parent: '{doc.parent.id}'")
    lines.append(f"    weight: {doc.weight}")
    return "\n".join(lines) + "\n"


def _png(red: int, green: int, blue: int, size: int = 4) -> bytes:
    """A ``size``×``size`` PNG of one colour (about 70 bytes)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes((red, green, blue)) * size for _ in range(size))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def write_export(root: Path, docs: int, seed: int = 0, home: str = "index.md") -> dict[str, int]:
    """Write a synthetic export of ``docs`` documents (.md files) into ``root`` and return its counts.

    ``home`` names the home page: ``index.md`` or ``_index.md`` (as wikiGDrive and Hugo name it).
    ``root`` is created if needed; files already in it are overwritten, others are left alone.
    The counts: docs, pages (what a sync should write: every doc but the redirect stubs, plus the
    "All activities" and "Tags" pages when there are activities), activities, redirects, sections,
    assets (image files), files (everything written) and bytes.
    """
    if docs < 1:
        raise ValueError(f"docs must be at least 1, not {docs}")
    if home not in ("index.md", "_index.md"):
        raise ValueError(f"home must be index.md or _index.md, not {home!r}")
    builder = _Builder(docs, seed, home)
    builder.build()
    builder.write_docs()
    builder.write_directories()
    builder.write_navigation()
    root = Path(root)
    made: set[Path] = set()
    for rel, data in sorted(builder.files.items()):
        path = root / rel
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_bytes(data)
    kinds = [doc.kind for doc in builder.docs]
    activities = kinds.count("activity")
    return {
        "docs": len(kinds),
        "pages": len(kinds) - kinds.count("stub") + (2 if activities else 0),
        "activities": activities,
        "redirects": kinds.count("stub"),
        "sections": kinds.count("section") + kinds.count("year"),
        "assets": sum(rel.endswith(".png") for rel in builder.files),
        "files": len(builder.files),
        "bytes": sum(len(data) for data in builder.files.values()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    parser.add_argument("--docs", type=int, required=True, metavar="N", help="number of documents (.md files)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0): same seed, same files")
    parser.add_argument("--home", choices=("index.md", "_index.md"), default="index.md",
                        help="the home page's name (default %(default)s; _index.md as wikiGDrive names it, for Hugo)")
    args = parser.parse_args(argv)
    if args.docs < 1:
        parser.error("--docs must be at least 1")
    summary = write_export(args.out_dir, args.docs, args.seed, args.home)
    print(", ".join(f"{key} {value}" for key, value in summary.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
