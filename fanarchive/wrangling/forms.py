"""Forms of the wrangling pages: they parse input and find tags by name; services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fanarchive.tags.models import FREE_TYPES, Tag, TagType
from fanarchive.tags.selectors import tag_named
from fanarchive.wrangling.wrangler_services import MASS_ACTIONS


class TagNameField(forms.CharField):
    """A tag typed by name, with autocomplete for its type; cleaned into the Tag."""

    def __init__(self, *, tag_type: str, **kwargs: Any) -> None:
        self.tag_type = tag_type
        kwargs.setdefault("max_length", 100)
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {
                "data-autocomplete-type": tag_type,
                "data-autocomplete-single": "",
                "autocomplete": "off",
            }
        )

    def clean(self, value: Any) -> Tag | None:
        name = super().clean(value)
        if not name:
            return None
        tag = tag_named(self.tag_type, name)
        if tag is None:
            label = TagType(self.tag_type).label
            raise forms.ValidationError(
                _('There is no %(label)s tag named "%(name)s".') % {"label": label, "name": name}
            )
        return tag


class SynonymForm(forms.Form):
    def __init__(self, *args: Any, tag_type: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["synonym_of"] = TagNameField(
            tag_type=tag_type,
            label=_("Synonym of"),
            help_text=_("The canonical tag this one means; its works will be found under it."),
        )


class MergeForm(forms.Form):
    def __init__(self, *args: Any, tag_type: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"] = TagNameField(
            tag_type=tag_type,
            label=_("Merge into"),
            help_text=_(
                "This tag becomes a synonym of that canonical tag, and hands it its "
                "synonyms, metatags, subtags and fandoms."
            ),
        )


class MetatagForm(forms.Form):
    def __init__(self, *args: Any, tag_type: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["metatag"] = TagNameField(
            tag_type=tag_type,
            label=_("Add a metatag"),
            help_text=_("A broader canonical tag: this tag's works also appear under it."),
        )


class SubtagForm(forms.Form):
    def __init__(self, *args: Any, tag_type: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subtag"] = TagNameField(
            tag_type=tag_type,
            label=_("Add a subtag"),
            help_text=_("A narrower canonical tag whose works also appear under this one."),
        )


class FandomForm(forms.Form):
    fandom = TagNameField(tag_type=TagType.FANDOM, label=gettext_lazy("Add to fandom"))


class RenameForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("New name"), max_length=200, required=False)


class CanonicalForm(forms.Form):
    canonical = forms.BooleanField(label=gettext_lazy("Canonical"), required=False)


class UnwrangleableForm(forms.Form):
    unwrangleable = forms.BooleanField(label=gettext_lazy("Unwrangleable"), required=False)


class TagIdForm(forms.Form):
    """Which related tag a "remove" button is about."""

    other = forms.IntegerField(widget=forms.HiddenInput)


class QueueForm(forms.Form):
    """The queue's choice of fandom and type (GET)."""

    type = forms.ChoiceField(
        choices=[(t.value, t.label) for t in FREE_TYPES], required=False, initial="character"
    )
    fandom = forms.IntegerField(required=False, widget=forms.HiddenInput)


class AnyTagIdsField(forms.TypedMultipleChoiceField):
    """Checkboxes of tag ids; the tags may have left the page since, the service checks them."""

    def valid_value(self, value: Any) -> bool:
        return str(value).isdigit()


class MassWrangleForm(forms.Form):
    tags = AnyTagIdsField(
        label=gettext_lazy("Tags"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    action = forms.ChoiceField(
        label=gettext_lazy("With the selected tags"),
        choices=[("", gettext_lazy("Choose")), *MASS_ACTIONS.items()],
        required=False,
    )
    target = forms.CharField(
        label=gettext_lazy("Canonical tag or fandom"),
        required=False,
        max_length=100,
        help_text=gettext_lazy(
            "For synonyms: a canonical tag of the same type. For fandoms: a canonical fandom."
        ),
    )

    def __init__(self, *args: Any, tag_type: str, choices: list[Tag], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tag_type = tag_type
        self.fields["tags"].choices = [(tag.pk, tag.name) for tag in choices]  # type: ignore[attr-defined]
        self.fields["target"].widget.attrs.update(
            {
                "data-autocomplete-type": tag_type,
                "data-autocomplete-single": "",
                "autocomplete": "off",
            }
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        name = (data.get("target") or "").strip()
        action = data.get("action")
        data["target_tag"] = None
        if name and action in ("synonym", "fandom"):
            tag_type = TagType.FANDOM if action == "fandom" else self.tag_type
            tag = tag_named(tag_type, name)
            if tag is None:
                self.add_error(
                    "target",
                    _('There is no %(label)s tag named "%(name)s".')
                    % {"label": TagType(tag_type).label, "name": name},
                )
            data["target_tag"] = tag
        return data


class SuggestionForm(forms.Form):
    tag = forms.IntegerField(widget=forms.HiddenInput)
    target = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        choices=[("accept", gettext_lazy("Accept")), ("reject", gettext_lazy("Reject"))]
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)
