"""What `thidua broadcast` prints: one bilingual line per fact (Vietnamese / English)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.broadcasts.model import Preview, State, Status
from bot.parsers import render_int as _vi  # dot thousands, as the chat writes numbers

_CHANNELS = {"telegram": "Telegram", "zalo": "Zalo"}
_STATES = {
    State.SCHEDULED: ("đã hẹn giờ", "scheduled"),
    State.SENDING: ("đang gửi", "sending"),
    State.DONE: ("đã gửi xong", "done"),
    State.CANCELLED: ("đã dừng", "cancelled"),
}


def preview_lines(
    preview: Preview,
    zone: ZoneInfo,
    *,
    broadcast_id: int | None,
    asked_at: datetime | None,
) -> list[str]:
    """Who, how many per channel, how long, when it starts; and whether it was queued."""
    vi_n, en_n = _vi(preview.recipients), _en(preview.recipients)
    vi_ch = ", ".join(f"{_CHANNELS.get(c, c)} {_vi(n)}" for c, n in preview.channels.items())
    en_ch = ", ".join(f"{_CHANNELS.get(c, c)} {_en(n)}" for c, n in preview.channels.items())
    where_vi = f" ({vi_ch})" if vi_ch else ""
    where_en = f" ({en_ch})" if en_ch else ""
    if broadcast_id is None:
        head_vi, head_en = "Thông báo sẽ tới", "the broadcast would reach"
    else:
        head_vi = f"Đã xếp hàng thông báo số {broadcast_id}, tới"
        head_en = f"queued broadcast {broadcast_id}, to"
    lines = [
        f"{head_vi} {vi_n} người{where_vi} / {head_en} {en_n} people{where_en}",
        f"Đơn vị / unit: {_units(preview)}{_narrowed(preview)}",
        f"Thời gian gửi khoảng {_duration(preview.seconds, _VI_UNITS)} theo nhịp [outbox] /"
        f" about {_duration(preview.seconds, _EN_UNITS)} at the [outbox] pace",
        _start_line(preview.starts_at, asked_at, zone),
    ]
    if preview.unreachable:
        lines.append(
            f"{_vi(preview.unreachable)} người đã chặn bot hoặc không còn liên lạc được, sẽ không"
            f" nhận / {_en(preview.unreachable)} have blocked the bot or cannot be reached and"
            " will not get it"
        )
    if broadcast_id is None:
        lines.append("Chưa xếp hàng gửi gì: thêm --yes để gửi / nothing was queued; add --yes")
    else:
        lines.append(
            f"Xem tiến độ: thidua broadcast status {broadcast_id} / progress: thidua broadcast"
            f" status {broadcast_id}"
        )
    return lines


def status_lines(status: Status, zone: ZoneInfo) -> list[str]:
    """Where a broadcast stands and its counts."""
    vi, en = _STATES[status.state]
    if status.state is State.SCHEDULED and status.scheduled_at is not None:
        local = status.scheduled_at.astimezone(zone)
        vi += f" {local:%H:%M %d/%m/%Y}"
        en += f" for {local:%H:%M on %d/%m/%Y}"
    counts_vi = (
        f"đã gửi {_vi(status.sent)}, lỗi {_vi(status.failed)}, không liên lạc được"
        f" {_vi(status.unreachable)}, đang chờ {_vi(status.pending)}"
    )
    counts_en = (
        f"sent {_en(status.sent)}, failed {_en(status.failed)}, unreachable"
        f" {_en(status.unreachable)}, pending {_en(status.pending)}"
    )
    if status.cancelled:
        counts_vi += f", đã dừng {_vi(status.cancelled)}"
        counts_en += f", stopped {_en(status.cancelled)}"
    return [
        f"Thông báo số {status.id}: {vi} / broadcast {status.id}: {en}",
        f"{_vi(status.recipients)} người nhận: {counts_vi} / {_en(status.recipients)}"
        f" recipients: {counts_en}",
    ]


def cancel_lines(status: Status, stopped_now: bool, zone: ZoneInfo) -> list[str]:
    """What a cancel did, then the status."""
    if stopped_now:
        first = (
            f"Đã dừng thông báo số {status.id}: {_vi(status.cancelled)} tin chưa gửi sẽ không"
            f" gửi; {_vi(status.sent)} tin đã gửi / stopped broadcast {status.id}:"
            f" {_en(status.cancelled)} not yet sent will not be; {_en(status.sent)} were sent"
        )
    else:
        first = (
            f"Thông báo số {status.id} không còn tin nào chờ gửi để dừng / broadcast {status.id}"
            " has nothing left to stop"
        )
    return [first, *status_lines(status, zone)]


def _units(preview: Preview) -> str:
    """'Khu phố 1 (KP-01)', or every subtree named when there are several."""
    units = preview.units if len(preview.units) > 1 else (preview.unit,)
    return ", ".join(f"{unit.name} ({unit.code})" for unit in units)


def _narrowed(preview: Preview) -> str:
    audience = preview.audience
    parts_vi: list[str] = []
    parts_en: list[str] = []
    if audience.level is not None:
        parts_vi.append(f"cấp {audience.level}")
        parts_en.append(f"level {audience.level}")
    if audience.role is not None:
        parts_vi.append(f"vai trò {audience.role}")
        parts_en.append(f"role {audience.role}")
    if audience.missing is not None:
        form = "/".join(audience.missing)
        parts_vi.append(f"đơn vị chưa gửi {form}")
        parts_en.append(f"units that have not sent {form}")
    if not parts_vi:
        return ""
    return f"; {', '.join(parts_vi)} / {', '.join(parts_en)}"


def _start_line(starts: datetime | None, asked: datetime | None, zone: ZoneInfo) -> str:
    if starts is None:
        return "Bắt đầu: ngay (thidua run gửi đi) / starts: at once (thidua run sends it)"
    local = starts.astimezone(zone)
    vi, en = f"{local:%H:%M %d/%m/%Y}", f"{local:%H:%M on %d/%m/%Y}"
    if asked is not None and asked >= starts:
        return f"Bắt đầu: {vi} / starts: {en}"
    return f"Bắt đầu: {vi}, khi hết giờ yên lặng / starts: {en}, when the quiet hours end"


def _en(number: int) -> str:
    return f"{number:,}"


_VI_UNITS = ("giờ", "phút", "giây")
_EN_UNITS = ("h", "min", "s")


def _duration(seconds: float, units: tuple[str, str, str]) -> str:
    """'1 giờ 5 phút', '3 phút 20 giây', '40 giây' (or the English units)."""
    hour, minute, second = units
    # A second at least when anyone is sent to: "0 giây" would read as "nothing to send".
    minutes, secs = divmod(max(round(seconds), 1) if seconds else 0, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} {hour} {minutes} {minute}"
    if minutes:
        return f"{minutes} {minute} {secs} {second}" if secs else f"{minutes} {minute}"
    return f"{secs} {second}"
