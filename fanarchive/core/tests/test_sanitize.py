import pytest

from fanarchive.core.sanitize import sanitize_html


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert('x')</script>",
        "<style>body{display:none}</style>",
        "<iframe src='https://evil.example/'>frame text</iframe>",
        "<svg><script>alert(1)</script><text>svg text</text></svg>",
        "<math><mi>math text</mi></math>",
        "<noscript>noscript text</noscript>",
        "<object data='x.swf'>object text</object>",
    ],
)
def test_dangerous_elements_are_dropped_with_their_content(hostile):
    cleaned = sanitize_html(f"<p>before</p>{hostile}<p>after</p>")
    assert cleaned == "<p>before</p><p>after</p>"


@pytest.mark.parametrize(
    "attribute", ["onclick='x()'", 'onmouseover="x()"', "onerror=x()", "style='color:red'"]
)
def test_event_handlers_and_style_attributes_are_dropped(attribute):
    cleaned = sanitize_html(f"<p {attribute}>text</p><img src='https://e.org/a.png' {attribute}>")
    assert cleaned == '<p>text</p><img src="https://e.org/a.png">'


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "data:text/html,hi",
        "vbscript:x",
    ],
)
def test_script_and_data_links_lose_their_target(href):
    cleaned = sanitize_html(f'<a href="{href}">link</a>')
    # The emptied anchor goes: `a` without href, with rel, is invalid (EPUB's RSC-005).
    assert cleaned == "link"


@pytest.mark.parametrize(
    ("html", "cleaned"),
    [
        (
            '<p>A <a href="javascript:x()"><em>long</em> way</a> home.</p>',
            "<p>A <em>long</em> way home.</p>",
        ),
        ("<a>bare</a> and <a title='t'>titled</a>", "bare and titled"),
        ('<a href="javascript:x"></a>empty', "empty"),
        # A named anchor (a footnote's target) stays, without the rel of links.
        ('<a href="javascript:x" name="fn1">1</a>', '<a name="fn1">1</a>'),
        ('<a name="fn2" title="t">2</a>', '<a name="fn2" title="t">2</a>'),
        # Anchors nested through a table cell: each end tag goes with its own anchor.
        (
            '<a href="data:,x"><table><tr><td><a href="https://e.org/">in</a></td></tr>'
            "</table>after</a>",
            '<table><tbody><tr><td><a href="https://e.org/" rel="nofollow">in</a></td></tr>'
            "</tbody></table>after",
        ),
        # "</a>" inside a value is no end tag.
        ('<a title="</a>">t</a><span title="</a>">u</span>', 't<span title="&lt;/a&gt;">u</span>'),
        (
            '<abbr title="x">HTML</abbr> <a href="https://e.org/">kept</a>',
            '<abbr title="x">HTML</abbr> <a href="https://e.org/" rel="nofollow">kept</a>',
        ),
    ],
)
def test_anchors_left_without_a_target_are_unwrapped(html, cleaned):
    assert sanitize_html(html) == cleaned


def test_data_and_javascript_images_are_dropped():
    cleaned = sanitize_html('<img src="data:image/png;base64,AAAA"><img src="javascript:x">')
    assert "src" not in cleaned


@pytest.mark.parametrize(
    "href",
    [
        "https://example.org/a",
        "http://example.org/",
        "mailto:a@example.org",
        "ftp://example.org/f",
        "/works/1",
        "#note",
    ],
)
def test_allowed_links_are_kept_with_nofollow(href):
    cleaned = sanitize_html(f'<a href="{href}">link</a>')
    assert cleaned == f'<a href="{href}" rel="nofollow">link</a>'


def test_allowlisted_markup_is_kept():
    html = (
        '<p align="center" dir="rtl" lang="ar" title="t">x</p>'
        '<blockquote cite="https://e.org/"><em>a</em> <strong>b</strong> <s>c</s></blockquote>'
        '<ol start="3" type="i"><li>one</li></ol>'
        '<table border="1" summary="s"><tbody><tr><th scope="col">h</th>'
        '<td colspan="2">d</td></tr></tbody></table>'
        '<details open=""><summary>more</summary>hidden</details>'
        '<ruby>字<rp>(</rp><rt>ji</rt><rp>)</rp></ruby><hr align="center" width="50%">'
        '<img alt="a" height="10" src="https://e.org/a.png" width="10">'
    )
    assert sanitize_html(html) == html


def test_class_names_must_look_like_identifiers():
    cleaned = sanitize_html('<span class="ok-name 1bad also_ok x">t</span>')
    assert cleaned == '<span class="ok-name also_ok">t</span>'


def test_unknown_elements_are_unwrapped_and_comments_dropped():
    assert sanitize_html("<blink>hi</blink><!-- secret -->") == "hi"
