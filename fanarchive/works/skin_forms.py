from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from fanarchive.core.translation import lazy_format
from fanarchive.works.skin_css import SKIN_MAX_CHARS


class WorkSkinForm(forms.Form):
    # The length is checked by the service (with a message saying by how much).
    skin_css = forms.CharField(
        label=_("Work skin (CSS)"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "false", "class": "code"}),
        help_text=lazy_format(
            _(
                "Up to %(max)s characters. Every rule applies only inside your work's text "
                "(it is put under #workskin for you). Leave empty to remove the skin."
            ),
            max=f"{SKIN_MAX_CHARS:,}",
        ),
    )
