"""Django's form renderer, with the commonest widget templates built in Python.

A page like /works/ renders ~25 widgets and their labels; through the template engine
each costs an include per option and per attribute list (the language select alone
~100 includes), ~4 ms of a request. These builders produce the same HTML as Django's
own templates (`django/forms/widgets/input.html`, `select.html`, `select_option.html`,
`input_option.html`, `label.html` and their attribute lists), character for character;
`test_form_renderer.py` compares both on every form of the site. Any other template,
and any template a project overrides, goes through the template engine as before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.template import TemplateDoesNotExist
from django.utils.html import conditional_escape


def _e(value: Any) -> str:
    """What `{{ value }}` and `{{ value|stringformat:'s' }}` print under autoescaping."""
    return str(conditional_escape(value))


def _attrs(attrs: Mapping[str, Any] | None) -> str:
    """`django/forms/widgets/attrs.html`: False leaves an attribute out, True names it bare."""
    if not attrs:
        return ""
    return "".join(
        f" {_e(name)}" if value is True else f' {_e(name)}="{_e(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: Mapping[str, Any]) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{_e(value)}"'
    return (
        f'<input type="{_e(widget["type"])}" name="{_e(widget["name"])}"{shown}'
        f"{_attrs(widget['attrs'])}>"
    )


def _input_option(widget: Mapping[str, Any]) -> str:
    # The included input.html brings its final newline with it.
    if not widget.get("wrap_label"):
        return _input(widget)
    label_id = widget["attrs"].get("id")
    target = f' for="{_e(label_id)}"' if label_id else ""
    return f"<label{target}>{_input(widget)}\n {_e(widget['label'])}</label>"


def _option(widget: Mapping[str, Any]) -> str:
    return (
        f'<option value="{_e(widget["value"])}"{_attrs(widget["attrs"])}>'
        f"{_e(widget['label'])}</option>"
    )


def _select(widget: Mapping[str, Any]) -> str:
    parts = [f'<select name="{_e(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_e(group_name)}">')
        for option in options:
            if option["template_name"] != "django/forms/widgets/select_option.html":
                raise _NotBuilt
            parts.append("\n  " + _option(option) + "\n")  # the included file's newline
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _label(context: Mapping[str, Any]) -> str:
    if not context["use_tag"]:
        return _e(context["label"])
    tag = _e(context["tag"])
    return f"<{tag}{_attrs(context['attrs'])}>{_e(context['label'])}</{tag}>"


class _NotBuilt(Exception):
    """This widget needs the template engine (an option with a template of its own)."""


_INPUT_TEMPLATES = {
    f"django/forms/widgets/{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "search",
        "tel",
        "color",
        "checkbox",
    )
}
_OPTION_TEMPLATES = {
    f"django/forms/widgets/{name}.html"
    for name in ("input_option", "radio_option", "checkbox_option")
}


def _builder(template_name: str) -> Callable[[Mapping[str, Any]], str] | None:
    if template_name in _INPUT_TEMPLATES:
        return lambda context: _input(context["widget"])
    if template_name in _OPTION_TEMPLATES:
        return lambda context: _input_option(context["widget"])
    if template_name == "django/forms/widgets/select.html":
        return lambda context: _select(context["widget"])
    if template_name == "django/forms/widgets/select_option.html":
        return lambda context: _option(context["widget"])
    if template_name == "django/forms/label.html":
        return _label
    return None


class FastTemplates(DjangoTemplates):
    """`FORM_RENDERER`: Django's templates renderer, with the builders above."""

    def __init__(self) -> None:
        super().__init__()
        self._builders: dict[str, Callable[[Mapping[str, Any]], str] | None] = {}

    def render(self, template_name: str, context: Any, request: Any = None) -> str:
        if template_name not in self._builders:
            self._builders[template_name] = (
                None if self._overridden(template_name) else _builder(template_name)
            )
        build = self._builders[template_name]
        if build is not None:
            try:
                return build(context)
            except _NotBuilt:
                pass
        return super().render(template_name, context, request=request)

    def _overridden(self, template_name: str) -> bool:
        """Whether an app's templates replace Django's own for this name."""
        try:
            origin = self.get_template(template_name).origin
        except TemplateDoesNotExist:
            return False
        return (
            not str(origin.name)
            .replace("\\", "/")
            .endswith("django/forms/templates/" + template_name)
        )
