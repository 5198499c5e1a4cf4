"""The one check of a prompt's tags against a challenge's rules and tag set.

A request or an offer (a prompt meme's prompt is a request) names tags by type. For each
type the challenge's `TagRule` says how many are required and allowed for the role,
whether "any" may stand in for them, and whether they must come from the tag set. A type
without a rule takes no tags. The fixed types (rating, warning, category) take only the
archive's fixed tags.

`ChallengeRules.load(challenge)` reads the rules and the tag set once; `check_tags` gives
every problem of one prompt in words naming the prompt and the tag type, and the tags
that would be used (created, for free types not restricted to the tag set, only by
`resolve_tags`, after every check has passed).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fanarchive.challenges.models import (
    Challenge,
    ChallengeKind,
    PromptRole,
    TagRule,
)
from fanarchive.tags.models import FIXED_TYPES, Tag, TagType, fold_name
from fanarchive.tags.services import tag_name_error, tags_find_or_create_many, unique_tag_names

# The order tag types are asked for and listed in.
TAG_TYPE_ORDER: tuple[str, ...] = (
    TagType.FANDOM,
    TagType.CHARACTER,
    TagType.RELATIONSHIP,
    TagType.FREEFORM,
    TagType.RATING,
    TagType.WARNING,
    TagType.CATEGORY,
)
# How many names of a refused list a message spells out.
_NAMES_SHOWN = 5


def type_label(tag_type: str) -> str:
    return str(TagType(tag_type).label)


def prompt_label(kind: str, role: str, position: int) -> str:
    """How messages and forms name a prompt: "Request 2", "Offer 1", "Prompt 3"."""
    number = {"number": position + 1}
    if kind == ChallengeKind.PROMPT_MEME:
        return _("Prompt %(number)s") % number
    if role == PromptRole.OFFER:
        return _("Offer %(number)s") % number
    return _("Request %(number)s") % number


def _names_listed(names: Sequence[str]) -> str:
    shown = ", ".join(names[:_NAMES_SHOWN])
    more = len(names) - _NAMES_SHOWN
    if more <= 0:
        return shown
    return ngettext("%(names)s and %(count)s more", "%(names)s and %(count)s more", more) % {
        "names": shown,
        "count": f"{more:,}",
    }


def _fold_key(tag_type: str, name: str) -> tuple[str, str]:
    return (tag_type, fold_name(name))


@dataclass(frozen=True)
class TagCheck:
    """One prompt's tags: the problems, and the names kept by type (normalised, unique)."""

    errors: list[str]
    names: dict[str, list[str]]


@dataclass
class ChallengeRules:
    """A challenge's tag rules by type and its tag set's tags, read once."""

    kind: str
    rules: dict[str, TagRule]
    has_tag_set: bool
    # (type, folded name) -> tag, for the tag set and for the fixed tags.
    tag_set_tags: dict[tuple[str, str], Tag] = field(default_factory=dict)
    fixed_tags: dict[tuple[str, str], Tag] = field(default_factory=dict)

    @classmethod
    def load(cls, challenge: Challenge) -> ChallengeRules:
        rules = {rule.tag_type: rule for rule in challenge.tag_rules.all()}
        tag_set_tags: dict[tuple[str, str], Tag] = {}
        if challenge.tag_set_id is not None:
            for tag in Tag.objects.filter(tag_sets=challenge.tag_set_id):
                tag_set_tags[_fold_key(tag.type, tag.name)] = tag
        fixed: dict[tuple[str, str], Tag] = {}
        if any(tag_type in FIXED_TYPES for tag_type in rules):
            for tag in Tag.objects.filter(type__in=FIXED_TYPES):
                fixed[_fold_key(tag.type, tag.name)] = tag
        return cls(
            kind=challenge.kind,
            rules=rules,
            has_tag_set=challenge.tag_set_id is not None,
            tag_set_tags=tag_set_tags,
            fixed_tags=fixed,
        )

    def limits(self, tag_type: str, role: str) -> tuple[int, int]:
        """(required, allowed) tags of `tag_type` for a prompt of `role`."""
        rule = self.rules.get(tag_type)
        if rule is None:
            return (0, 0)
        if role == PromptRole.OFFER:
            return (rule.offer_required, rule.offer_allowed)
        return (rule.request_required, rule.request_allowed)

    def allows_any(self, tag_type: str) -> bool:
        rule = self.rules.get(tag_type)
        return rule is not None and rule.allow_any

    def restricted(self, tag_type: str) -> bool:
        rule = self.rules.get(tag_type)
        return rule is not None and rule.restrict_to_tag_set

    def asked_types(self, role: str) -> list[str]:
        """The types a form asks for in a prompt of `role`: those that take tags or "any"."""
        return [
            tag_type
            for tag_type in TAG_TYPE_ORDER
            if self.limits(tag_type, role)[1] > 0
            or (self.allows_any(tag_type) and self.limits(tag_type, role)[0] > 0)
        ]

    def check_tags(
        self,
        *,
        role: str,
        label: str,
        tags: Mapping[str, Sequence[str]],
        any_types: Sequence[str] = (),
    ) -> TagCheck:
        """Every problem with one prompt's tags (type -> names) and "any" choices."""
        errors: list[str] = []
        kept: dict[str, list[str]] = {}
        marked_any = {str(t) for t in any_types}
        for tag_type in marked_any - set(TagType.values):
            errors.append(
                _("%(label)s: there is no tag type called %(tag_type)s.")
                % {"label": label, "tag_type": tag_type}
            )
        for tag_type in set(tags) - set(TagType.values):
            errors.append(
                _("%(label)s: there is no tag type called %(tag_type)s.")
                % {"label": label, "tag_type": tag_type}
            )
        for tag_type in TAG_TYPE_ORDER:
            what = type_label(tag_type)
            raw = list(tags.get(tag_type, ()))
            names = unique_tag_names(raw)
            required, allowed = self.limits(tag_type, role)
            is_any = tag_type in marked_any
            if is_any and not self.allows_any(tag_type):
                errors.append(
                    _('%(label)s: "any" is not allowed for %(what)s tags in this challenge.')
                    % {"label": label, "what": what}
                )
                continue
            if is_any and names:
                errors.append(
                    _('%(label)s: choose either "any" or some %(what)s tags, not both.')
                    % {"label": label, "what": what}
                )
                continue
            if len(names) > allowed:
                if allowed == 0:
                    errors.append(
                        _("%(label)s: %(what)s tags are not used in this challenge.")
                        % {"label": label, "what": what}
                    )
                else:
                    errors.append(
                        ngettext(
                            "%(label)s: at most %(allowed)s %(what)s tag allowed; "
                            "this has %(length)s.",
                            "%(label)s: at most %(allowed)s %(what)s tags allowed; "
                            "this has %(length)s.",
                            allowed,
                        )
                        % {
                            "label": label,
                            "allowed": allowed,
                            "what": what,
                            "length": f"{len(names):,}",
                        }
                    )
                continue
            if not is_any and len(names) < required:
                errors.append(
                    ngettext(
                        "%(label)s: please give at least %(required)s %(what)s tag; "
                        "this has %(length)s.",
                        "%(label)s: please give at least %(required)s %(what)s tags; "
                        "this has %(length)s.",
                        required,
                    )
                    % {"label": label, "required": required, "what": what, "length": len(names)}
                )
                continue
            bad = [problem for name in names if (problem := tag_name_error(name))]
            if bad:
                errors.extend(f"{label}: {problem}" for problem in bad)
                continue
            errors.extend(self._membership_errors(label, tag_type, names))
            if names:
                kept[tag_type] = names
        return TagCheck(errors=errors, names=kept)

    def _membership_errors(self, label: str, tag_type: str, names: list[str]) -> list[str]:
        what = type_label(tag_type)
        if tag_type in FIXED_TYPES:
            unknown = [n for n in names if _fold_key(tag_type, n) not in self.fixed_tags]
            if unknown:
                return [
                    ngettext(
                        "%(label)s: %(names)s is not a %(what)s of this archive.",
                        "%(label)s: %(names)s are not %(what)s tags of this archive.",
                        len(unknown),
                    )
                    % {"label": label, "names": _names_listed(unknown), "what": what}
                ]
            return []
        if not self.restricted(tag_type):
            return []
        if self.has_tag_set:
            outside = [n for n in names if _fold_key(tag_type, n) not in self.tag_set_tags]
            if outside:
                return [
                    _("%(label)s: %(what)s tags not in the challenge's tag set: %(names)s.")
                    % {"label": label, "what": what, "names": _names_listed(outside)}
                ]
            return []
        # Restricted without a tag set: only tags the archive already has.
        folded = {fold_name(n) for n in names}
        known = {
            fold_name(name)
            for name in Tag.objects.filter(type=tag_type, name_folded__in=folded).values_list(
                "name", flat=True
            )
        }
        unknown = [n for n in names if fold_name(n) not in known]
        if unknown:
            return [
                _("%(label)s: there are no %(what)s tags named %(names)s.")
                % {"label": label, "what": what, "names": _names_listed(unknown)}
            ]
        return []

    def resolve_tags(self, names: Mapping[str, Sequence[str]]) -> list[Tag]:
        """The tags for checked names: from the tag set or the fixed tags where they must
        be, otherwise found or created (`tags_find_or_create_many`)."""
        found: list[Tag] = []
        free: dict[str, list[str]] = {}
        for tag_type, type_names in names.items():
            for name in type_names:
                key = _fold_key(tag_type, name)
                known = self.fixed_tags.get(key) or self.tag_set_tags.get(key)
                if known is not None:
                    found.append(known)
                elif tag_type not in FIXED_TYPES:
                    free.setdefault(tag_type, []).append(name)
        if free:
            for tags in tags_find_or_create_many(names_by_type=free).values():
                found.extend(tags)
        unique: dict[int, Tag] = {tag.pk: tag for tag in found}
        return list(unique.values())
