"""Forms of the set-up pages: tag sets, nominations, a challenge's settings, sign-ups.
Loose on purpose: the services check and give the messages."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fanarchive.challenges.models import PROMPTS_MAX, Challenge, ChallengeKind, TagSet
from fanarchive.challenges.prompt_rules import (
    TAG_TYPE_ORDER,
    ChallengeRules,
    prompt_label,
    type_label,
)
from fanarchive.challenges.setup_services import SETTING_NAMES, ChallengeSettings, TagRuleInput
from fanarchive.challenges.signup_services import PromptInput
from fanarchive.challenges.tag_set_selectors import NOMINATION_LIMIT_FIELDS
from fanarchive.challenges.tag_set_services import TagSetInput
from fanarchive.tags.models import FREE_TYPES, TagType

# How the sign-up form names each type's tags, and its "any" box.
TAGS_LABELS = {
    TagType.FANDOM: (gettext_lazy("Fandoms"), gettext_lazy("any fandom")),
    TagType.CHARACTER: (gettext_lazy("Characters"), gettext_lazy("any character")),
    TagType.RELATIONSHIP: (gettext_lazy("Relationships"), gettext_lazy("any relationship")),
    TagType.FREEFORM: (gettext_lazy("Additional tags"), gettext_lazy("any additional tag")),
    TagType.RATING: (gettext_lazy("Ratings"), gettext_lazy("any rating")),
    TagType.WARNING: (gettext_lazy("Archive warnings"), gettext_lazy("any archive warning")),
    TagType.CATEGORY: (gettext_lazy("Categories"), gettext_lazy("any category")),
}
_DATE_FORMAT = "%Y-%m-%dT%H:%M"


def _date_field(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        required=False,
        label=label,
        input_formats=[_DATE_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=_DATE_FORMAT),
        help_text=_("UTC."),
    )


def _count_field(label: Any, **kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(required=False, min_value=0, label=label, **kwargs)


class _Form(forms.Form):
    """No colon after labels: a label reads the same on the page and in a browser test."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def split_names(text: str) -> list[str]:
    """Comma-separated tag names as typed."""
    return [name for name in (text or "").split(",") if name.strip()]


# -- tag sets -------------------------------------------------------------------------


class TagSetForm(_Form):
    title = forms.CharField(required=False, label=gettext_lazy("Title"))
    description = forms.CharField(
        required=False,
        label=gettext_lazy("Description"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("HTML (paragraphs, links, lists). Scripts and styles are removed."),
    )
    nominations_open = forms.BooleanField(required=False, label=gettext_lazy("Nominations open"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for tag_type, field in NOMINATION_LIMIT_FIELDS.items():
            self.fields[field] = _count_field(
                f"{TAGS_LABELS[TagType(tag_type)][0]} each person may nominate"
            )

    def to_input(self) -> TagSetInput:
        data = self.cleaned_data
        limits = {field: data.get(field) or 0 for field in NOMINATION_LIMIT_FIELDS.values()}
        return TagSetInput(
            title=data["title"],
            description=data["description"],
            nominations_open=data["nominations_open"],
            **limits,
        )


def tag_set_initial(tag_set: TagSet) -> dict[str, Any]:
    fields = ("title", "description", "nominations_open", *NOMINATION_LIMIT_FIELDS.values())
    return {field: getattr(tag_set, field) for field in fields}


_TYPE_CHOICES = [(t, type_label(t)) for t in TAG_TYPE_ORDER]


class TagAddForm(_Form):
    tag_type = forms.ChoiceField(choices=_TYPE_CHOICES, label=gettext_lazy("Tag type"))
    names = forms.CharField(
        required=False,
        label=gettext_lazy("Tag names (comma-separated)"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NominationForm(_Form):
    tag_type = forms.ChoiceField(
        choices=[(t, type_label(t)) for t in FREE_TYPES], label=gettext_lazy("Tag type to nominate")
    )
    names = forms.CharField(
        required=False, label=gettext_lazy("Tag names to nominate (comma-separated)")
    )


# -- a challenge ----------------------------------------------------------------------


class ChallengeNewForm(_Form):
    kind = forms.ChoiceField(
        choices=ChallengeKind.choices,
        widget=forms.RadioSelect,
        label=gettext_lazy("Kind of challenge"),
        initial=ChallengeKind.GIFT_EXCHANGE,
    )
    unrevealed_and_anonymous = forms.BooleanField(
        required=False,
        initial=True,
        label=gettext_lazy("Make the collection unrevealed and anonymous (usual for exchanges)"),
    )


_RULE_FIELDS = (
    "request_required",
    "request_allowed",
    "offer_required",
    "offer_allowed",
    "must_match",
    "allow_any",
    "restrict_to_tag_set",
)


class ChallengeSettingsForm(_Form):
    """A challenge's settings, with one group of rule fields per tag type
    (`<type>_<rule field>`, listed by `rule_groups`)."""

    tag_set = forms.ModelChoiceField(
        queryset=TagSet.objects.none(),
        required=False,
        label=gettext_lazy("Tag set"),
        empty_label=gettext_lazy("No tag set"),
    )
    signup_instructions = forms.CharField(
        required=False,
        label=gettext_lazy("Sign-up instructions"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("HTML, shown above the sign-up form."),
    )
    signup_open = forms.BooleanField(required=False, label=gettext_lazy("Sign-ups are open"))
    signups_open_at = _date_field(gettext_lazy("Sign-ups open on"))
    signups_close_at = _date_field(gettext_lazy("Sign-ups close on"))

    def __init__(self, *args: Any, kind: str, tag_sets: Iterable[TagSet], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        meme = kind == ChallengeKind.PROMPT_MEME
        tag_set_field = self.fields["tag_set"]
        if isinstance(tag_set_field, forms.ModelChoiceField):
            tag_set_field.queryset = TagSet.objects.filter(pk__in=[t.pk for t in tag_sets])
        prompts = _("Prompts") if meme else _("Requests")
        self.fields["requests_required"] = _count_field(
            _("%(prompts)s required") % {"prompts": prompts}
        )
        self.fields["requests_allowed"] = _count_field(
            _("%(prompts)s allowed") % {"prompts": prompts}
        )
        if meme:
            self.fields["anonymous_prompts_allowed"] = forms.BooleanField(
                required=False, label=_("Anonymous prompts allowed")
            )
            self.fields["claims_open"] = forms.BooleanField(required=False, label=_("Claims open"))
            self.fields["claims_per_prompt"] = _count_field(
                _("Claims per prompt"), help_text=_("0: any number.")
            )
        else:
            self.fields["offers_required"] = _count_field(_("Offers required"))
            self.fields["offers_allowed"] = _count_field(_("Offers allowed"))
            self.fields["assignments_due_at"] = _date_field(_("Assignments due on"))
        self.fields["works_reveal_at"] = _date_field(_("Works revealed on"))
        self.fields["authors_reveal_at"] = _date_field(_("Creators revealed on"))
        request = _("a prompt") if meme else _("a request")
        for tag_type in TAG_TYPE_ORDER:
            what = TAGS_LABELS[TagType(tag_type)][0]
            self.fields[f"{tag_type}_request_required"] = _count_field(
                _("%(what)s required in %(request)s") % {"what": what, "request": request}
            )
            self.fields[f"{tag_type}_request_allowed"] = _count_field(
                _("%(what)s allowed in %(request)s") % {"what": what, "request": request}
            )
            if not meme:
                self.fields[f"{tag_type}_offer_required"] = _count_field(
                    _("%(what)s required in an offer") % {"what": what}
                )
                self.fields[f"{tag_type}_offer_allowed"] = _count_field(
                    _("%(what)s allowed in an offer") % {"what": what}
                )
                self.fields[f"{tag_type}_must_match"] = _count_field(
                    _("%(what)s that must match") % {"what": what}
                )
            self.fields[f"{tag_type}_allow_any"] = forms.BooleanField(
                required=False, label=_('%(what)s: allow "any"') % {"what": what}
            )
            self.fields[f"{tag_type}_restrict_to_tag_set"] = forms.BooleanField(
                required=False, label=_("%(what)s: only from the tag set") % {"what": what}
            )

    def general_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not name.startswith(TAG_TYPE_ORDER)]

    def rule_groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [
            (
                str(TAGS_LABELS[TagType(tag_type)][0]),
                [self[f"{tag_type}_{f}"] for f in _RULE_FIELDS if f"{tag_type}_{f}" in self.fields],
            )
            for tag_type in TAG_TYPE_ORDER
        ]

    def to_settings(self) -> ChallengeSettings:
        data = self.cleaned_data
        rules: dict[str, TagRuleInput] = {}
        for tag_type in TAG_TYPE_ORDER:
            values = {f: data.get(f"{tag_type}_{f}") for f in _RULE_FIELDS}
            rule = TagRuleInput(
                request_required=values["request_required"] or 0,
                request_allowed=values["request_allowed"] or 0,
                offer_required=values["offer_required"] or 0,
                offer_allowed=values["offer_allowed"] or 0,
                must_match=values["must_match"] or 0,
                allow_any=bool(values["allow_any"]),
                restrict_to_tag_set=bool(values["restrict_to_tag_set"]),
            )
            if (
                rule.request_allowed
                or rule.offer_allowed
                or rule.request_required
                or rule.allow_any
            ):
                rules[tag_type] = rule
        return ChallengeSettings(
            tag_set=data.get("tag_set"),
            signup_instructions=data.get("signup_instructions") or "",
            signup_open=bool(data.get("signup_open")),
            signups_open_at=data.get("signups_open_at"),
            signups_close_at=data.get("signups_close_at"),
            requests_required=data.get("requests_required") or 0,
            requests_allowed=data.get("requests_allowed") or 0,
            offers_required=data.get("offers_required") or 0,
            offers_allowed=data.get("offers_allowed") or 0,
            assignments_due_at=data.get("assignments_due_at"),
            anonymous_prompts_allowed=bool(data.get("anonymous_prompts_allowed")),
            claims_open=bool(data.get("claims_open")),
            claims_per_prompt=data.get("claims_per_prompt") or 0,
            works_reveal_at=data.get("works_reveal_at"),
            authors_reveal_at=data.get("authors_reveal_at"),
            rules=rules,
        )


def settings_initial(settings: ChallengeSettings) -> dict[str, Any]:
    initial: dict[str, Any] = {name: getattr(settings, name) for name in SETTING_NAMES}
    for tag_type in TAG_TYPE_ORDER:
        rule = settings.rules.get(tag_type)
        for f in _RULE_FIELDS:
            if rule is not None:
                initial[f"{tag_type}_{f}"] = getattr(rule, f)
            elif f == "restrict_to_tag_set":
                initial[f"{tag_type}_{f}"] = True
            elif f != "allow_any":
                initial[f"{tag_type}_{f}"] = 0
    return initial


# -- sign-ups -------------------------------------------------------------------------


class SignupBlock:
    """The fields of one request, offer or prompt on the sign-up form."""

    def __init__(self, form: SignupForm, role: str, position: int, label: str) -> None:
        self.form = form
        self.role = role
        self.position = position
        self.label = label
        self.required = False

    @property
    def prefix(self) -> str:
        return f"{self.role}-{self.position}"

    def bound_fields(self) -> list[forms.BoundField]:
        start = f"{self.prefix}-"
        return [self.form[name] for name in self.form.fields if name.startswith(start)]


class SignupForm(_Form):
    """As many request and offer blocks as the challenge allows; blocks past the
    required number may be left empty. Tags are comma-separated names per type; the
    tag set's tags are offered through a <datalist> per type (`datalist_id`)."""

    def __init__(
        self,
        *args: Any,
        challenge: Challenge,
        rules: ChallengeRules,
        pseud_choices: Sequence[tuple[int, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.challenge = challenge
        self.rules = rules
        if len(pseud_choices) > 1:
            self.fields["pseud"] = forms.TypedChoiceField(
                choices=list(pseud_choices), coerce=int, label=_("Sign up as")
            )
        self.blocks: list[SignupBlock] = []
        meme = challenge.kind == ChallengeKind.PROMPT_MEME
        for role, allowed, required in (
            ("request", challenge.requests_allowed, challenge.requests_required),
            ("offer", challenge.offers_allowed, challenge.offers_required),
        ):
            for position in range(min(allowed, PROMPTS_MAX)):
                label = prompt_label(challenge.kind, role, position)
                block = SignupBlock(self, role, position, label)
                block.required = position < required
                self._block_fields(block, meme=meme)
                self.blocks.append(block)

    def pseud_fields(self) -> list[forms.BoundField]:
        return [self["pseud"]] if "pseud" in self.fields else []

    def _block_fields(self, block: SignupBlock, *, meme: bool) -> None:
        p, label = block.prefix, block.label
        self.fields[f"{p}-title"] = forms.CharField(
            required=False, label=_("%(label)s: title") % {"label": label}
        )
        for tag_type in self.rules.asked_types(block.role):
            tags_label, any_label = TAGS_LABELS[TagType(tag_type)]
            required, allowed = self.rules.limits(tag_type, block.role)
            counts = {"allowed": allowed, "required": required}
            if allowed and required:
                hint = _("Up to %(allowed)s, at least %(required)s; separate names with commas.")
            elif allowed:
                hint = _("Up to %(allowed)s; separate names with commas.")
            elif required:
                hint = _("None, at least %(required)s; separate names with commas.")
            else:
                hint = _("None; separate names with commas.")
            self.fields[f"{p}-tags-{tag_type}"] = forms.CharField(
                required=False,
                label=_("%(label)s: %(tags_label)s") % {"label": label, "tags_label": tags_label},
                help_text=hint % counts,
                widget=forms.TextInput(attrs={"list": datalist_id(tag_type)}),
            )
            if self.rules.allows_any(tag_type):
                self.fields[f"{p}-any-{tag_type}"] = forms.BooleanField(
                    required=False,
                    label=_("%(label)s: %(any_label)s") % {"label": label, "any_label": any_label},
                )
        self.fields[f"{p}-description"] = forms.CharField(
            required=False,
            label=_("%(label)s: description") % {"label": label},
            widget=forms.Textarea(attrs={"rows": 4}),
        )
        self.fields[f"{p}-url"] = forms.CharField(
            required=False, label=_("%(label)s: URL") % {"label": label}
        )
        if meme and self.challenge.anonymous_prompts_allowed:
            self.fields[f"{p}-anonymous"] = forms.BooleanField(
                required=False, label=_("%(label)s: post anonymously") % {"label": label}
            )

    def prompts(self, role: str) -> list[PromptInput]:
        data = self.cleaned_data
        found = []
        for block in self.blocks:
            if block.role != role:
                continue
            p = block.prefix
            tags = {
                t: split_names(data.get(f"{p}-tags-{t}") or "")
                for t in TAG_TYPE_ORDER
                if f"{p}-tags-{t}" in self.fields
            }
            found.append(
                PromptInput(
                    title=data.get(f"{p}-title") or "",
                    description=data.get(f"{p}-description") or "",
                    url=data.get(f"{p}-url") or "",
                    tags=tags,
                    any_types=[t for t in TAG_TYPE_ORDER if data.get(f"{p}-any-{t}")],
                    anonymous=bool(data.get(f"{p}-anonymous")),
                )
            )
        return found


def datalist_id(tag_type: str) -> str:
    return f"tag-set-{tag_type}"


def signup_initial(prompts: Mapping[str, Sequence[Any]]) -> dict[str, Any]:
    """The form's values from a sign-up's (prefetched) prompts by role."""
    initial: dict[str, Any] = {}
    for role, role_prompts in prompts.items():
        for prompt in role_prompts:
            p = f"{role}-{prompt.position}"
            initial[f"{p}-title"] = prompt.title
            initial[f"{p}-description"] = prompt.description
            initial[f"{p}-url"] = prompt.url
            initial[f"{p}-anonymous"] = prompt.anonymous
            grouped: dict[str, list[str]] = {}
            for tag in prompt.tags.all():
                grouped.setdefault(tag.type, []).append(tag.name)
            for tag_type, names in grouped.items():
                initial[f"{p}-tags-{tag_type}"] = ", ".join(names)
            for tag_type in prompt.any_types:
                initial[f"{p}-any-{tag_type}"] = True
    return initial
