"""The widget stays small and uses no way to turn text into markup (no browser needed)."""
import gzip
import re

from bot.config import PROJECT_ROOT

STATIC = PROJECT_ROOT / "bot" / "web" / "static"
BUDGET_BYTES = 30 * 1024


def test_javascript_and_css_together_stay_under_30_kb_gzipped():
    size = sum(len(gzip.compress((STATIC / name).read_bytes(), 9))
               for name in ("widget.js", "widget.css"))
    assert size < BUDGET_BYTES, f"{size} bytes gzipped"


def test_no_html_parsing_or_code_from_strings():
    js = (STATIC / "widget.js").read_text()
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", js, flags=re.S)  # comments may name them
    for risky in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                  "new Function", "setTimeout(\"", "import("):
        assert risky not in code, risky


def test_no_third_party_address_in_the_widget():
    for name in ("widget.js", "widget.css"):
        text = (STATIC / name).read_text()
        code = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
        # Only the SVG namespace, which is a name and never fetched.
        assert re.findall(r"https?://[^\s\"')]+", code) in ([], ["http://www.w3.org/2000/svg"])
