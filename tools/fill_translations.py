"""Merge translations from JSON files into a .po catalogue, and say what is still missing.

    .venv/bin/python tools/fill_translations.py es-*.json
    .venv/bin/python tools/fill_translations.py --po locale/es/LC_MESSAGES/djangojs.po es-*.json
    .venv/bin/python tools/fill_translations.py --check        # only report, exit 1 if incomplete

Without --po, both Spanish catalogues are filled and checked: django.po (templates and
Python) and djangojs.po (the scripts of static/js); --po, given once or more, names others.
A translation is put in every catalogue that has its msgid.

Each JSON file is one object {msgid: translation}: a string for an ordinary entry, a list
[singular, plural] for a plural one (keyed by the singular msgid). A key "context\\u0004msgid"
is for the entry of that msgctxt (pgettext) only; a plain key fills every context.
A translation must keep the msgid's placeholders (%(name)s, %s, %d...) exactly; one that
does not is refused and reported. Filled entries lose their "fuzzy" flag; entries the files
do not name keep what they have. `make messages` first (docs/translating.md), then this,
then `make messages` again to compile.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import polib  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_POS = [
    ROOT / "locale" / "es" / "LC_MESSAGES" / f"{domain}.po" for domain in ("django", "djangojs")
]
CONTEXT_SEPARATOR = "\x04"
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc%]")


def placeholders(text: str) -> Counter[str]:
    return Counter(PLACEHOLDER.findall(text))


def load(paths: list[Path]) -> tuple[dict[str, Any], list[str]]:
    """Every file's translations, later files winning; and the keys two files disagree on."""
    merged: dict[str, Any] = {}
    conflicts: list[str] = []
    for path in paths:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise SystemExit(f"{path}: not a JSON object")
        for key, value in data.items():
            if not isinstance(value, (str, list)):
                raise SystemExit(f"{path}: {key!r}: a string or a list, please")
            if key in merged and merged[key] != value:
                conflicts.append(f"{path.name}: {key!r}")
            merged[key] = value
    return merged, conflicts


def problem(entry: polib.POEntry, value: Any) -> str:
    """Why `value` cannot translate `entry`, or ""."""
    if entry.msgid_plural:
        if not (isinstance(value, list) and len(value) == 2 and all(value)):
            return "a plural entry needs a list [singular, plural]"
        if any(not isinstance(form, str) for form in value):
            return "plural forms must be strings"
        # A language's singular may leave the number out ("una obra"), as gettext allows;
        # the plural keeps every placeholder of the English plural.
        if placeholders(value[1]) != placeholders(entry.msgid_plural):
            return "placeholders differ from the msgid_plural's"
        if not set(placeholders(value[0])) <= set(placeholders(entry.msgid_plural)):
            return "the singular has a placeholder the msgid has not"
        return ""
    if not isinstance(value, str) or not value:
        return "an ordinary entry needs a non-empty string"
    if placeholders(value) != placeholders(entry.msgid):
        return "placeholders differ from the msgid's"
    return ""


def fill(entry: polib.POEntry, value: Any, forms: int) -> bool:
    """Put `value` in `entry`; whether anything changed."""
    before = (entry.msgstr, dict(entry.msgstr_plural), "fuzzy" in entry.flags)
    if entry.msgid_plural:
        entry.msgstr_plural = {0: value[0], **dict.fromkeys(range(1, forms), value[1])}
    else:
        entry.msgstr = value
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
        entry.previous_msgid = None
        entry.previous_msgid_plural = None
        entry.previous_msgctxt = None
    return before != (entry.msgstr, dict(entry.msgstr_plural), "fuzzy" in entry.flags)


def plural_count(po: polib.POFile) -> int:
    found = re.search(r"nplurals\s*=\s*(\d+)", po.metadata.get("Plural-Forms", ""))
    return int(found.group(1)) if found else 2


def untranslated(po: polib.POFile) -> list[polib.POEntry]:
    return [
        entry
        for entry in po
        if not entry.obsolete
        and (
            "fuzzy" in entry.flags
            or (
                not all(entry.msgstr_plural.values()) or not entry.msgstr_plural
                if entry.msgid_plural
                else not entry.msgstr
            )
        )
    ]


def tidy_header(po: polib.POFile, language: str) -> None:
    """The header makemessages writes is a template: a fuzzy header is ignored by msgfmt."""
    po.metadata["Project-Id-Version"] = "Fanarchive"
    po.metadata["Language"] = language
    po.metadata["Language-Team"] = f"Fanarchive translators ({language})"
    po.metadata.setdefault("Content-Type", "text/plain; charset=UTF-8")
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.metadata_is_fuzzy = False
    if po.header.startswith("SOME DESCRIPTIVE TITLE"):
        po.header = (
            f"The Fanarchive interface in {language}: docs/translating.md says how to work on it."
        )


def fill_catalogue(
    path: Path, translations: dict[str, Any], *, check: bool
) -> tuple[polib.POFile, int, set[str], list[str], list[polib.POEntry]]:
    """Fill one catalogue (saved unless `check`): the catalogue, how many entries changed,
    the keys used, the refused translations and what is still missing."""
    po = polib.pofile(str(path), wrapwidth=79)
    in_locale = path.parent.name == "LC_MESSAGES"
    language = path.parent.parent.name if in_locale else po.metadata.get("Language", "")
    forms = plural_count(po)
    changed = 0
    used: set[str] = set()
    refused: list[str] = []
    for entry in po:
        if entry.obsolete:
            continue
        keys = [f"{entry.msgctxt}{CONTEXT_SEPARATOR}{entry.msgid}"] if entry.msgctxt else []
        key = next((k for k in [*keys, entry.msgid] if k in translations), None)
        if key is None:
            continue
        used.add(key)
        why = problem(entry, translations[key])
        if why:
            refused.append(f"{entry.msgid!r}: {why}")
            continue
        changed += fill(entry, translations[key], forms)
    missing = untranslated(po)
    if not check:
        tidy_header(po, language)
        po.save(str(path))
    return po, changed, used, refused, missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("json", nargs="*", type=Path, help="files of {msgid: translation}")
    parser.add_argument(
        "--po",
        type=Path,
        action="append",
        help="a catalogue to fill (again for more); default: the Spanish django.po and djangojs.po",
    )
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if incomplete")
    parser.add_argument("--quiet", action="store_true", help="counts only, no list of msgids")
    args = parser.parse_args(argv)

    translations, conflicts = load(args.json)
    used: set[str] = set()
    incomplete = False
    reports: list[tuple[str, list[str]]] = []
    for path in args.po or [p for p in DEFAULT_POS if p.exists()]:
        po, changed, used_here, refused, missing = fill_catalogue(
            path, translations, check=args.check
        )
        used |= used_here
        incomplete = incomplete or bool(missing or refused)
        print(
            f"{path}: {len(po)} entries, {changed} filled or changed, "
            f"{len(missing)} untranslated or fuzzy, {len(refused)} refused."
        )
        reports += [
            (f"{path.name}: refused (fix the translation)", refused),
            (
                f"{path.name}: still untranslated or fuzzy",
                [repr(entry.msgid) for entry in missing],
            ),
        ]
    unused = sorted(set(translations) - used)
    print(f"{len(unused)} translations match no msgid, {len(conflicts)} conflicts between files.")
    if not args.quiet:
        reports += [
            ("Conflicting translations (the later file won)", conflicts),
            ("Translations that match no msgid (changed or removed strings?)", unused),
        ]
        for title, items in reports:
            if items:
                print(f"\n{title}:")
                for item in items:
                    print(f"  {item}")
    return 1 if args.check and incomplete else 0


if __name__ == "__main__":
    sys.exit(main())
