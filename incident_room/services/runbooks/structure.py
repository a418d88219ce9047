"""A runbook's structure: its six sections found by heading, refused when one is missing or
empty, and the numbered steps of investigation and mitigation (what the room ticks off)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...errors import DomainError, invalid
from .policy import SECTIONS, STEP_SECTIONS

# "## 3 Investigation steps", "## 3. Investigation steps" or "## Investigation steps".
HEADING = re.compile(r"^##[ \t]+(?:\d+[.)]?[ \t]+)?(?P<name>[^\n#]+?)[ \t#]*$", re.MULTILINE)
STEP = re.compile(r"^(?P<number>\d{1,3})[.)][ \t]+(?P<text>.*)$")
NORMAL = re.compile(r"\bnormal\b", re.IGNORECASE)
ABNORMAL = re.compile(r"\babnormal\b", re.IGNORECASE)
LABELS = dict(SECTIONS)


@dataclass(frozen=True)
class Step:
    section: str  # "investigation" or "mitigation"
    number: int
    text: str  # the whole step, its continuation lines joined


def sections_of(body: str) -> dict[str, str]:
    """Section key -> its text, for the headings that name one of the six sections."""
    by_label = {label.lower(): key for key, label in SECTIONS}
    found: dict[str, str] = {}
    headings = list(HEADING.finditer(body))
    for index, heading in enumerate(headings):
        key = by_label.get(heading.group("name").strip().lower())
        end = headings[index + 1].start() if index + 1 < len(headings) else len(body)
        if key is not None and key not in found:
            found[key] = body[heading.end() : end].strip()
    return found


# A pager handle in the Escalation section: "@dana" names the account to page.
HANDLE = re.compile(r"(?<![\w@])@([a-z0-9._-]{1,64})")


def escalation_handles(body: str) -> list[str]:
    """The @handles the Escalation section names, in order, each once."""
    found = HANDLE.findall(sections_of(body).get("escalation", "").lower())
    return list(dict.fromkeys(handle.rstrip(".") for handle in found))


def steps_of(section: str, text: str) -> list[Step]:
    """The numbered steps of a section; indented or following lines belong to their step."""
    steps: list[list[str]] = []
    numbers: list[int] = []
    for line in text.splitlines():
        match = STEP.match(line)
        if match:
            numbers.append(int(match.group("number")))
            steps.append([match.group("text").strip()])
        elif steps and line.strip():
            steps[-1].append(line.strip())
    return [Step(section, n, " ".join(lines)) for n, lines in zip(numbers, steps, strict=True)]


def check_structure(body: str) -> list[str]:
    """Refuse a runbook missing a section or with one empty (naming it); return warnings."""
    sections = sections_of(body)
    for key, label in SECTIONS:
        if key not in sections:
            raise DomainError(
                "invalid", f"The runbook has no {label} section.", field="body", section=key
            )
        if not sections[key]:
            raise DomainError(
                "invalid", f"The {label} section is empty.", field="body", section=key
            )
    for key in STEP_SECTIONS:
        if not steps_of(key, sections[key]):
            raise DomainError(
                "invalid",
                f"The {LABELS[key]} section needs numbered steps (1. ..., 2. ...).",
                field="body",
                section=key,
            )
    return [
        f"Investigation step {step.number} does not say what {word} looks like."
        for step in steps_of("investigation", sections["investigation"])
        for word, pattern in (("normal", NORMAL), ("abnormal", ABNORMAL))
        if not pattern.search(step.text)
    ]


def all_steps(body: str) -> list[Step]:
    sections = sections_of(body)
    return [step for key in STEP_SECTIONS for step in steps_of(key, sections.get(key, ""))]


def require_text(value: object, field: str, max_chars: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise invalid(field, f"Give the {field.replace('_', ' ')}.")
    if len(value.strip()) > max_chars:
        raise DomainError(
            "too_large",
            f"The {field.replace('_', ' ')} is at most {max_chars} characters.",
            field=field,
        )
    return value.strip()
