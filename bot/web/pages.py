"""The few pages a person may see in the browser: short, Vietnamese, nothing that helps forgery."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from starlette.responses import HTMLResponse

# Never cached: a page said about one link must not be shown again for another.
NO_STORE = {
    "Cache-Control": "private, no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}
AGAIN = "Hãy gõ xuat trong cuộc trò chuyện với bot để nhận đường dẫn mới."


@dataclass(frozen=True)
class Page:
    """A title and one or two sentences."""

    title: str
    body: str


EXPIRED = Page("Đường dẫn đã hết hạn", f"Đường dẫn tải tệp này đã hết hạn. {AGAIN}")
ALTERED = Page(
    "Đường dẫn không hợp lệ",
    f"Đường dẫn này không đúng: có thể đã bị sao chép thiếu hoặc bị sửa. {AGAIN}",
)
GONE = Page("Không còn tệp này", f"Tệp của đường dẫn này không còn trên máy chủ. {AGAIN}")
NOT_FOUND = Page("Không tìm thấy trang", "Địa chỉ này không có trang nào.")
NOT_ALLOWED = Page("Yêu cầu không hợp lệ", "Trang này không nhận yêu cầu như vậy.")
BROKEN = Page("Có lỗi", "Máy chủ gặp lỗi khi xử lý yêu cầu. Hãy thử lại sau ít phút.")

_TEMPLATE = """<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{title}</title>
<style>body{{font-family:system-ui,sans-serif;margin:2rem auto;max-width:32rem;padding:0 1rem;
line-height:1.5;color:#222}}h1{{font-size:1.3rem}}</style>
</head>
<body>
<h1>{title}</h1>
<p>{body}</p>
</body>
</html>
"""


def render(page: Page) -> str:
    """Return the page as a whole HTML document."""
    return _TEMPLATE.format(title=escape(page.title), body=escape(page.body))


def respond(page: Page, status: int, headers: dict[str, str] | None = None) -> HTMLResponse:
    """Return the page as an HTML response (UTF-8, never cached)."""
    return HTMLResponse(render(page), status_code=status, headers={**NO_STORE, **(headers or {})})
