"""Vietnamese sentences (the language people see). Voice: domain/voice.md — Anh/Chị, short, no English."""

CATALOGUE: dict[str, str] = {
    # --- enrolment ---
    "welcome": (
        "Xin chào Anh/Chị. Đây là trợ lý thi đua của Ủy ban Mặt trận Tổ quốc Việt Nam.\n"
        "Để bắt đầu, Anh/Chị vui lòng gõ mã mời do văn phòng Ủy ban MTTQ phường, xã gửi, "
        "ví dụ: K7MPQ3RX ạ."
    ),
    "enrol_wrong_code": (
        "Mã mời này không đúng. Anh/Chị kiểm tra lại từng chữ và gõ lại, ví dụ: K7MPQ3RX. "
        "Còn {left} lần thử."
    ),
    "enrol_wrong_code_last": (
        "Mã mời này không đúng. Anh/Chị kiểm tra lại từng chữ và gõ lại, ví dụ: K7MPQ3RX. "
        "Đây là lần thử cuối trước khi phải chờ 15 phút."
    ),
    "enrol_expired": (
        "Mã mời này đã hết hạn từ {date}. Anh/Chị liên hệ văn phòng Ủy ban MTTQ phường, xã "
        "để xin mã mới rồi gõ lại, ví dụ: K7MPQ3RX."
    ),
    "enrol_used": (
        "Mã mời này đã được dùng rồi; mỗi mã chỉ dùng được một lần. Anh/Chị liên hệ văn phòng "
        "Ủy ban MTTQ phường, xã để xin mã mới."
    ),
    "enrol_throttled": (
        "Anh/Chị đã gõ sai mã mời nhiều lần. Để giữ an toàn, Anh/Chị vui lòng thử lại sau "
        "{until} (khoảng {minutes} phút nữa)."
    ),
    "enrol_ok": "Chào mừng Anh/Chị{name}. Anh/Chị đã tham gia với vai trò {role}, {unit}.",
    "enrol_moved": "Đã chuyển Anh/Chị sang vai trò {role}, {unit}.",
    "role_rep": "đại diện",
    "role_secretary": "thư ký",
    "role_admin": "quản trị",
    # --- help by role ---
    "help_unenrolled": (
        "Anh/Chị chưa tham gia trợ lý thi đua.\n"
        "Anh/Chị vui lòng gõ mã mời do văn phòng Ủy ban MTTQ phường, xã gửi, ví dụ: K7MPQ3RX ạ."
    ),
    "help_rep": (
        "Anh/Chị có thể gõ:\n"
        "dangky (đăng ký) – đăng ký công trình, phần việc thi đua\n"
        "baocao (báo cáo) – gửi báo cáo sơ kết, tổng kết\n"
        "trangthai (trạng thái) – xem đã nộp gì, còn hạn nào\n"
        "huy (hủy) – dừng việc đang làm\n"
        "trogiup (trợ giúp) – xem lại hướng dẫn này"
    ),
    "help_secretary": (
        "Anh/Chị có thể gõ:\n"
        "tonghop (tổng hợp) – xem đơn vị nào đã nộp, còn thiếu, nộp trễ\n"
        "xuat (xuất) – nhận file Word, Excel để lưu, gửi cấp trên\n"
        "moi (mời) – tạo mã mời cho đơn vị cấp dưới\n"
        "trangthai (trạng thái) – xem các đợt thi đua đang mở\n"
        "huy (hủy) – dừng việc đang làm\n"
        "trogiup (trợ giúp) – xem lại hướng dẫn này"
    ),
    "help_admin": (
        "Anh/Chị có thể gõ:\n"
        "thongbao (thông báo) – gửi thông báo đến các đơn vị\n"
        "tonghop (tổng hợp) – xem đơn vị nào đã nộp, còn thiếu, nộp trễ\n"
        "xuat (xuất) – nhận file Word, Excel để lưu, gửi cấp trên\n"
        "moi (mời) – tạo mã mời cho đơn vị cấp dưới\n"
        "trangthai (trạng thái) – xem các đợt thi đua đang mở\n"
        "huy (hủy) – dừng việc đang làm"
    ),
    # --- general replies ---
    "unknown": "Chưa hiểu ý Anh/Chị. Anh/Chị gõ trogiup (trợ giúp) để xem các việc có thể làm.",
    "cancel_idle": "Hiện không có việc gì đang làm dở. Gõ trogiup (trợ giúp) để xem các việc có thể làm.",
    "cancel_done": "Đã dừng. Những gì đã lưu vẫn còn nguyên. Gõ trogiup (trợ giúp) để xem các việc có thể làm.",
    "nothing_waiting": (
        "Hiện không có câu hỏi nào đang chờ trả lời. Gõ trogiup (trợ giúp) để xem các việc "
        "có thể làm."
    ),
    "refused_role": (
        "Việc này dành cho {roles}. Anh/Chị gõ trogiup (trợ giúp) để xem các việc mình làm được."
    ),
    "refused_unenrolled": (
        "Anh/Chị cần tham gia trước. Anh/Chị vui lòng gõ mã mời do văn phòng Ủy ban MTTQ "
        "phường, xã gửi, ví dụ: K7MPQ3RX ạ."
    ),
    "not_ready": (
        "Việc này đang được chuẩn bị và sẽ sớm có. Gõ trogiup (trợ giúp) để xem các việc "
        "làm được ngay."
    ),
    "text_only": "Hiện chỉ đọc được tin nhắn chữ. Anh/Chị vui lòng gõ chữ, ví dụ: trogiup.",
    "internal_problem": (
        "Xin lỗi, có trục trặc khi xử lý tin nhắn này; những gì đã lưu vẫn còn nguyên. "
        "Anh/Chị vui lòng gõ lại sau ít phút."
    ),
    "or_roles": " hoặc ",
    # --- invites in chat (moi) ---
    "moi_no_units": (
        "Không có đơn vị nào trực thuộc để mời. Anh/Chị liên hệ quản trị nếu cần thêm đơn vị."
    ),
    "moi_ask_unit_list": "Mời cho đơn vị nào? Anh/Chị gõ số thứ tự:\n{lines}",
    "moi_ask_unit_search": (
        "Mời cho đơn vị nào? Anh/Chị gõ mã hoặc một phần tên đơn vị, ví dụ: {example}."
    ),
    "moi_unit_choices": "Có {count} đơn vị khớp. Anh/Chị gõ số thứ tự:\n{lines}",
    "moi_unit_none": (
        "Không thấy đơn vị nào như vậy trong phạm vi của Anh/Chị. Anh/Chị gõ mã hoặc tên đơn vị, "
        "ví dụ: {example}."
    ),
    "moi_unit_too_many": (
        "Có {count} đơn vị khớp, nhiều quá. Anh/Chị gõ cụ thể hơn, ví dụ: {example}."
    ),
    "moi_ask_role": "Mời với vai trò nào cho {unit}?\n{lines}\nAnh/Chị gõ số thứ tự ạ.",
    "moi_role_rep": "Đại diện Ban công tác Mặt trận (gửi đăng ký, báo cáo)",
    "moi_role_secretary": "Thư ký, văn phòng (xem tổng hợp, nhận file)",
    "moi_role_admin": "Quản trị (gửi thông báo, mời người)",
    "moi_bad_role": "Chưa rõ vai trò. Anh/Chị gõ số thứ tự, ví dụ: 1.",
    "moi_done": (
        "Đã tạo mã mời {role}, {unit}:\n{code}\n"
        "Dùng được một lần, hạn đến {expires}.\n"
        "Người được mời mở trợ lý trên Zalo và gõ mã này."
    ),
    "moi_done_telegram": "Trên Telegram, bấm: {link}",
    "option_line": "{number}. {label}",
}
