"""Vietnamese sentences (the language people see). Voice: domain/voice.md — Anh/Chị, short, no English."""

CATALOGUE: dict[str, str] = {
    # --- enrolment ---
    "welcome": (
        "Xin chào Anh/Chị. Đây là trợ lý thi đua của Ủy ban Mặt trận Tổ quốc Việt Nam.\n"
        "Để bắt đầu, Anh/Chị vui lòng gõ mã mời do văn phòng Ủy ban MTTQ phường, xã gửi, "
        "ví dụ: K7MPQ3RX."
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
    "enrol_ok": "Chào mừng Anh/Chị{name}. Anh/Chị đã tham gia với vai trò {role} của {unit}.",
    "enrol_moved": "Đã chuyển Anh/Chị sang vai trò {role} của {unit}.",
    "role_rep": "đại diện",
    "role_secretary": "thư ký",
    "role_admin": "quản trị",
    # --- help by role ---
    "help_unenrolled": (
        "Anh/Chị chưa tham gia trợ lý thi đua.\n"
        "Anh/Chị vui lòng gõ mã mời do văn phòng Ủy ban MTTQ phường, xã gửi, ví dụ: K7MPQ3RX."
    ),
    "help_head": "Anh/Chị có thể gõ:",
    "help_line_dangky": "dangky (đăng ký) – đăng ký công trình, phần việc thi đua",
    "help_line_baocao": "baocao (báo cáo) – gửi báo cáo sơ kết, tổng kết, cập nhật tiến độ",
    "help_line_thongbao": "thongbao (thông báo) – gửi thông báo đến các đơn vị",
    "help_line_tonghop": "tonghop (tổng hợp) – xem đơn vị nào đã nộp, còn thiếu, nộp trễ",
    "help_line_xuat": "xuat (xuất) – nhận file Word, Excel để lưu, gửi cấp trên",
    "help_line_moi": "moi (mời) – tạo mã mời cho đơn vị cấp dưới",
    "help_line_trangthai": "trangthai (trạng thái) – xem các đợt thi đua đang mở",
    "help_line_trangthai_rep": "trangthai (trạng thái) – xem đã gửi gì, còn hạn nào",
    "help_line_huy": "huy (hủy) – dừng việc đang làm (những gì đã gõ vẫn được giữ)",
    "help_line_trogiup": "trogiup (trợ giúp) – xem lại hướng dẫn này",
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
        "phường, xã gửi, ví dụ: K7MPQ3RX."
    ),
    "not_ready": (
        "Việc này chưa có, sẽ có trong bản cập nhật tới. Những việc làm được ngay: {commands}."
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
        "Không thấy đơn vị nào như vậy trong phạm vi của Anh/Chị (chỉ mời được cho đơn vị "
        "trực thuộc). Anh/Chị gõ mã hoặc tên đơn vị, ví dụ: {example}; hoặc gõ huy để dừng."
    ),
    "moi_unit_too_many": (
        "Có {count} đơn vị khớp, nhiều quá. Anh/Chị gõ cụ thể hơn, ví dụ: {example}; hoặc gõ "
        "huy để dừng."
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
    # --- forms ---
    "form_question": "Câu {number}/{total}. {prompt}",
    "form_optional": "(Không bắt buộc: gõ boqua để bỏ qua.)",
    "form_current": "Đang ghi: {value}. Gõ câu trả lời mới để thay.",
    "hint_integer": "Gõ một số, ví dụ: 120.",
    "hint_number": "Gõ một số, ví dụ: 3,5.",
    "hint_money": "Ví dụ: 45 triệu; 1,2 tỷ; 0 nếu không tốn kinh phí.",
    "hint_date": "Gõ ngày/tháng/năm, ví dụ: 30/11/2023.",
    "hint_month": "Gõ tháng/năm, ví dụ: 11/2023 (hoặc ngày cụ thể).",
    "hint_choice": "Gõ số thứ tự, ví dụ: 1.",
    "hint_multichoice": "Gõ các số, cách nhau bởi dấu phẩy, ví dụ: 1,3.",
    "hint_yesno": "Gõ có hoặc không.",
    "hint_photo": "Gửi ảnh (được nhiều ảnh); gửi xong thì gõ xong.",
    "hint_file": "Gửi tệp hoặc ảnh chụp tài liệu; cũng có thể dán đường dẫn (link).",
    "form_empty": "Chưa có câu trả lời. Anh/Chị gõ câu trả lời bằng chữ, ví dụ như gợi ý của câu hỏi.",
    "form_too_long": "Câu trả lời dài {length} ký tự, quá mức {limit} ký tự. Anh/Chị viết gọn lại, ví dụ chỉ ghi ý chính.",
    "form_too_short": "Câu trả lời ngắn quá, cần ít nhất {limit} ký tự. Anh/Chị ghi rõ hơn, ví dụ thêm địa điểm, số lượng.",
    "form_custom": "{message}",
    "form_pattern": "Câu trả lời chưa đúng dạng yêu cầu. Anh/Chị xem lại câu hỏi và gõ lại theo ví dụ ở đó.",
    "form_bad_integer": "Chưa đọc được số này. Anh/Chị gõ một số, ví dụ: 120.",
    "form_bad_number": "Chưa đọc được số này. Anh/Chị gõ một số, ví dụ: 3,5.",
    "form_out_of_range": "Số này phải từ {low} đến {high}. Anh/Chị gõ lại, ví dụ: {low}.",
    "form_bad_money": "Số tiền chưa đúng dạng. Ví dụ: 45 triệu, 1,2 tỷ, hoặc 0 nếu không tốn kinh phí.",
    "form_bad_date": "Chưa đọc được ngày này. Anh/Chị gõ ngày/tháng/năm, ví dụ 30/11/2023.",
    "form_bad_month": "Chưa đọc được tháng này. Anh/Chị gõ tháng/năm, ví dụ 11/2023.",
    "form_date_out_of_range": "Ngày này nằm ngoài khoảng {low} đến {high}. Anh/Chị gõ lại, ví dụ: {high}.",
    "form_bad_choice": "Chưa rõ Anh/Chị chọn mục nào. Anh/Chị gõ số thứ tự từ 1 đến {count}, ví dụ: 1.",
    "form_bad_multichoice": "Chưa rõ Anh/Chị chọn những mục nào. Anh/Chị gõ các số từ 1 đến {count}, cách nhau bởi dấu phẩy, ví dụ: 1,3.",
    "form_bad_yesno": "Anh/Chị gõ có hoặc không, ví dụ: co.",
    "form_photo_expected": "Câu này cần ảnh. Anh/Chị gửi ảnh, hoặc gõ xong nếu đã gửi đủ, ví dụ: xong.",
    "form_photo_required": "Câu này cần ít nhất một ảnh. Anh/Chị gửi ảnh rồi gõ xong, ví dụ: ảnh chụp công trình.",
    "form_file_expected": "Câu này cần một tệp. Anh/Chị gửi tệp, ảnh chụp, hoặc dán đường dẫn, ví dụ: https://drive.google.com/...",
    "form_file_unsupported": "Tệp này chưa nhận được qua đây. Anh/Chị chụp ảnh tài liệu rồi gửi ảnh, hoặc dán đường dẫn, ví dụ: https://drive.google.com/...",
    "form_text_expected": "Câu này cần gõ chữ, chưa nhận ảnh hay tệp. Anh/Chị gõ câu trả lời, ví dụ như gợi ý bên dưới.",
    "form_cannot_skip": "Câu này cần trả lời nên không bỏ qua được. Anh/Chị gõ huy nếu muốn dừng lại.",
    "form_first_question": "Đây là câu đầu tiên.",
    "form_at_summary": "Anh/Chị đã trả lời hết các câu.",
    "form_answer_first": "Anh/Chị trả lời câu này trước; đến phần tóm tắt thì gõ gui để gửi.",
    "form_bad_edit_number": "Không có câu số đó. Anh/Chị gõ sua và số câu từ 1 đến {total}, ví dụ: sua 2.",
    "form_question_changed": "Câu hỏi này đã thay đổi, xin trả lời lại.",
    "form_photo_added": "Đã nhận {count} ảnh. Gửi thêm ảnh, hoặc gõ xong để sang câu sau.",
    "form_photo_failed": "Chưa tải được ảnh này. Anh/Chị vui lòng gửi lại ảnh ạ.",
    "form_summary_head": "Kiểm tra lại: {title}",
    "form_summary_line": "{number}. {label}: {value}",
    "form_skipped": "(bỏ qua)",
    "form_summary_actions": "Gõ gui để gửi, hoặc sua N để sửa câu N, ví dụ: sua 2. Gõ huy để tạm dừng (bản nháp được giữ lại).",
    "form_none_dangky": "Hiện không có đợt đăng ký nào đang mở cho {unit}. Gõ trangthai để xem các hạn sắp tới.",
    "form_none_baocao": "Hiện không có báo cáo nào đang mở cho {unit}. Gõ trangthai để xem các hạn sắp tới.",
    "form_pick": "Anh/Chị muốn gửi phần nào?\n{lines}\nGõ số thứ tự, ví dụ: 1.",
    "form_pick_line": "{title} (hạn {due})",
    "form_not_open": "{title} bắt đầu nhận từ {date}. Anh/Chị quay lại từ ngày đó nhé.",
    "form_closed": "{title} đã hết hạn từ {date}, không nhận thêm. Anh/Chị liên hệ văn phòng Ủy ban MTTQ phường, xã nếu cần.",
    "form_already_sent": "{unit} đã gửi {title} ngày {date}. Gõ trangthai rồi chọn số để xem, sửa.",
    "form_draft_offer": 'Anh/Chị có bản nháp "{title}" đang làm dở (đã trả lời {answered} câu). Tiếp tục bản nháp hay làm lại?\n1. Tiếp tục\n2. Làm lại\nGõ 1 hoặc 2 ạ.',
    "form_draft_choice": "Anh/Chị gõ 1 để tiếp tục bản nháp, 2 để làm lại, ví dụ: 1.",
    "form_intro": "{title} ({unit}). Hạn: {due}. Gõ huy để tạm dừng bất cứ lúc nào; các câu đã trả lời được giữ lại.",
    "form_intro_work": "{title}: {work} ({unit}). Hạn: {due}. Gõ huy để tạm dừng bất cứ lúc nào.",
    "form_pick_work": "Cập nhật cho công trình nào?\n{lines}\nGõ số thứ tự ạ.",
    "form_no_works": "{unit} chưa có công trình nào đã đăng ký để cập nhật. Gõ dangky để đăng ký trước.",
    "form_saved": "Đã nhận {what} của {unit} ({status}).",
    "form_saved_work": "Đã nhận đăng ký {what} của {unit} ({status}).",
    "form_saved_update": "Đã nhận tiến độ mới của {what}, {unit} ({status}).",
    "form_amended": "Đã sửa {what} của {unit} (lần sửa thứ {edits}, {status}); bản trước vẫn được lưu lại.",
    "form_next": "Văn phòng Ủy ban MTTQ xem được ngay; đến hết {due}, Anh/Chị gõ trangthai để xem lại hoặc sửa.",
    "form_next_late": "Văn phòng Ủy ban MTTQ xem được ngay; Anh/Chị gõ trangthai để xem lại.",
    "quoted": '"{text}"',
    "form_unchanged": "Không có thay đổi nào; bài đã gửi giữ nguyên.",
    "form_status_on_time": "đúng hạn {due}",
    "form_status_late": "nộp trễ {days} ngày, hạn là {due}",
    "form_more": "Anh/Chị có đăng ký thêm không? Gõ 1 để đăng ký thêm, 2 để kết thúc.",
    "form_intro_late": "Đã quá hạn {due} {days} ngày: bài gửi bây giờ được ghi là nộp trễ.",
    "form_more_choice": "Anh/Chị gõ 1 để đăng ký thêm, 2 để kết thúc, ví dụ: 2.",
    "form_finished": "Đã xong. Gõ trangthai để xem những gì đơn vị đã gửi.",
    "form_amend_closed": "Đã quá hạn {date} nên không sửa được nữa. Anh/Chị liên hệ văn phòng Ủy ban MTTQ phường, xã nếu cần.",
    "form_cancelled": "Đã tạm dừng. Bản nháp được giữ lại; lần sau gõ {command} để làm tiếp.",
    "form_pick_number": "Anh/Chị gõ số thứ tự từ 1 đến {count}, ví dụ: 1.",
    "form_gone": "Mẫu này không còn nữa. Gõ trogiup (trợ giúp) để xem các việc có thể làm.",
    "status_head": "Tình hình của {unit}:",
    "status_campaign": "{title}",
    "status_sent": "{number}. {label}: gửi {date}{late}",
    "status_sent_late": ", trễ {days} ngày",
    "status_draft": "- {form}: đang làm dở, đã trả lời {answered} câu (gõ {command} để làm tiếp)",
    "status_due": "- {form}: chưa gửi, hạn {due} ({left})",
    "status_left": "còn {days} ngày",
    "status_today": "hôm nay là hạn chót",
    "status_overdue": "quá hạn {days} ngày",
    "status_closed": "đã khóa, không nhận nữa",
    "status_not_open": "- {form}: nhận từ {date}, hạn {due}",
    "status_pick": "Gõ số thứ tự để xem, sửa bài đã gửi.",
    "status_nothing": "Hiện chưa có đợt thi đua nào cho {unit}.",
    "status_overview_head": "Các đợt thi đua của {unit}:",
    "status_overview_form": "- {form}: hạn {due} ({left})",
    # --- channels ---
    "group_only": (
        "Trợ lý thi đua chỉ làm việc trong tin nhắn riêng. Anh/Chị vui lòng nhắn riêng cho "
        "trợ lý (bấm vào tên trợ lý, chọn Nhắn tin) để tham gia, đăng ký, báo cáo."
    ),
    "flood": (
        "Anh/Chị gửi nhiều tin quá nhanh, trợ lý đang trả lời lần lượt. Các tin gửi thêm lúc "
        "này chưa được nhận; Anh/Chị vui lòng chờ trả lời rồi gửi tiếp."
    ),
    # --- buttons and short values ---
    "button_yes": "Có",
    "button_no": "Không",
    "button_back": "Quay lại",
    "button_skip": "Bỏ qua",
    "button_cancel": "Hủy",
    "button_done": "Xong",
    "button_send": "Gửi",
    "button_continue": "1. Tiếp tục",
    "button_restart": "2. Làm lại",
    "button_more": "1. Đăng ký thêm",
    "button_finish": "2. Kết thúc",
    "value_photos": "{count} ảnh",
    "value_no_photo": "không có ảnh",
    "value_file": "1 tệp",
    # --- words that are commands and answers ---
    "form_word_or_answer": 'Anh/Chị muốn {action}, hay ghi "{word}" làm câu trả lời?\nGõ 1 hoặc 2.',
    "word_as_answer": '2. Ghi "{word}"',
    "word_action_huy": "tạm dừng (bản nháp được giữ lại)",
    "word_action_gui": "gửi (sau khi trả lời hết các câu)",
    "word_action_moi": "tạo mã mời",
    "word_action_sua": "sửa một câu đã trả lời",
    "form_kept": "Giữ nguyên câu trả lời cũ.",
    "hint_integer_range": "Gõ một số từ {low} đến {high}, ví dụ: {example}.",
    "hint_number_range": "Gõ một số từ {low} đến {high}, ví dụ: {example}.",
    "hint_money_range": "Gõ số tiền từ {low} đến {high} đồng, ví dụ: {example}.",
    "hint_integer_min": "Gõ một số từ {low} trở lên, ví dụ: {example}.",
    "hint_integer_max": "Gõ một số không quá {high}, ví dụ: {example}.",
    "hint_number_min": "Gõ một số từ {low} trở lên, ví dụ: {example}.",
    "hint_number_max": "Gõ một số không quá {high}, ví dụ: {example}.",
    "hint_money_min": "Gõ số tiền từ {low} đồng trở lên, ví dụ: {example}.",
    "hint_money_max": "Gõ số tiền không quá {high} đồng, ví dụ: {example}.",
    "form_sent_head": "{title} (gửi lần cuối ngày {date}):",
    "form_sent_line": "- {label}: {value}",
    "form_summary_skipped": "Bỏ qua: câu {numbers}",
    "form_fewer_questions": "Theo câu trả lời vừa rồi, phần này còn {total} câu (bớt {fewer} câu không cần hỏi).",
    "form_more_questions": "Theo câu trả lời vừa rồi, phần này có thêm {more} câu, nay là {total} câu.",
    "form_more_questions_kept": "Theo câu trả lời vừa rồi, phần này có thêm {more} câu, nay là {total} câu; những câu đã trả lời trước đây vẫn được giữ.",
    "form_at_summary_hint": "Anh/Chị đã trả lời hết các câu. Gõ gui để gửi, hoặc sua N để sửa câu N, ví dụ: sua 2.",
    "menu_continue": "Tiếp tục",
    "menu_restart": "Làm lại",
    "menu_more": "Đăng ký thêm",
    "menu_finish": "Kết thúc",
    "status_sent_changed": "{number}. {label}: gửi {date}, sửa lần cuối {changed}{late}",
    # --- reminders ---
    "remind": "Kính gửi {body} {unit}.\n{when}\n{action} Trân trọng.",
    "remind_days_left": "Còn {days} ngày nữa ({day}) là hạn {what}.",
    "remind_today": "Hôm nay ({day}) là hạn chót {what}.",
    "remind_late": "Đã quá hạn {what} {days} ngày (hạn là {day}) mà đơn vị chưa gửi; bài gửi bây giờ được ghi là nộp trễ.",
    "remind_action_dangky": "Anh/Chị gõ dangky để đăng ký.",
    "remind_action_baocao": "Anh/Chị gõ baocao để gửi báo cáo.",
    "weekday_0": "Thứ Hai",
    "weekday_1": "Thứ Ba",
    "weekday_2": "Thứ Tư",
    "weekday_3": "Thứ Năm",
    "weekday_4": "Thứ Sáu",
    "weekday_5": "Thứ Bảy",
    "weekday_6": "Chủ Nhật",
    # --- digests ---
    "digest_head": "Tổng hợp {part} {day} — {unit}",
    "digest_part_morning": "sáng",
    "digest_part_noon": "trưa",
    "digest_part_afternoon": "chiều",
    "digest_part_evening": "tối",
    "digest_none": "Hiện không có đợt thi đua nào đang mở trong {unit}.",
    "digest_failed": "Chưa lấy được số liệu tổng hợp lúc này. Anh/Chị vui lòng gõ lại tonghop sau ít phút.",
    "digest_campaign": "{title}",
    "digest_campaign_part": "{title} (phạm vi {root})",
    "digest_form": "{form} ({due}): {submitted}/{expected} {noun} ({percent}){late}.",
    "digest_form_late": ", {count} nộp trễ",
    "digest_due_left": "hạn {date}, còn {days} ngày",
    "digest_due_today": "hạn chót hôm nay {date}",
    "digest_due_overdue": "hạn {date}, đã quá {days} ngày",
    "digest_due_closed": "hạn {date}, đã khóa",
    "digest_missing_registration": "Chưa đăng ký ({count}): {names}.",
    "digest_missing_other": "Chưa gửi ({count}): {names}.",
    "digest_missing_groups_registration": "Chưa đăng ký ({count}), theo {group_noun}, nơi chậm nhất trước:",
    "digest_missing_groups_other": "Chưa gửi ({count}), theo {group_noun}, nơi chậm nhất trước:",
    "digest_group_line": "- {name}: {submitted}/{expected} {noun}",
    "digest_late": "Nộp trễ ({count}): {names}.",
    "digest_late_groups": "Nộp trễ ({count}), theo {group_noun}:",
    "digest_late_group_line": "- {name}: {count} {noun}",
    "digest_late_name": "{name} (trễ {days} ngày)",
    "digest_late_name_in_group": "{name} ({group}, trễ {days} ngày)",
    "digest_in_group": "{name} ({group})",
    "digest_more_names": "… và {count} {noun} khác",
    "digest_more_groups": "… và {count} {noun} khác.",
    "digest_areas": "{noun} có ít nhất một công trình: {count}/{total} ({percent}).",
    "digest_new": "Mới từ {since}: {items}.",
    "digest_new_registration": "{count} {noun} đăng ký",
    "digest_new_report": "{count} {noun} gửi báo cáo",
    "digest_new_update": "{count} {noun} cập nhật tiến độ",
    "digest_new_works": "{count} công trình mới",
    "digest_new_amended": "{count} {noun} sửa bài",
    "digest_nothing_new": "Chưa có gì mới từ {since}.",
    "digest_since_time": "{time} hôm nay",
    "digest_since_yesterday": "hôm qua",
    "digest_since_weekday_0": "hôm thứ Hai",
    "digest_since_weekday_1": "hôm thứ Ba",
    "digest_since_weekday_2": "hôm thứ Tư",
    "digest_since_weekday_3": "hôm thứ Năm",
    "digest_since_weekday_4": "hôm thứ Sáu",
    "digest_since_weekday_5": "hôm thứ Bảy",
    "digest_since_weekday_6": "hôm Chủ nhật",
    "digest_since_date": "ngày {date}",
    "digest_upcoming": "Sắp mở: {form}, nhận từ {opens}, hạn {due}.",
    # --- exports in chat (xuat) ---
    "xuat_none": "Chưa có đợt thi đua nào thuộc đơn vị của Anh/Chị để xuất file.",
    "xuat_no_forms": "Đợt “{campaign}” chưa có mẫu nào của các đơn vị thuộc Anh/Chị để xuất file.",
    "xuat_ask_campaign": "Xuất file của đợt thi đua nào? Anh/Chị gõ số thứ tự:\n{lines}",
    "xuat_ask_form": "Xuất file mẫu nào? Anh/Chị gõ số thứ tự:\n{lines}",
    "xuat_ask_format": "“{form}”: Anh/Chị muốn nhận file nào? Gõ số thứ tự:\n{lines}",
    "xuat_format_xlsx": "Excel – danh sách để lọc, cộng số liệu",
    "xuat_format_docx": "Word – báo cáo để in, ký gửi cấp trên",
    "xuat_kind_xlsx": "Excel",
    "xuat_kind_docx": "Word",
    "xuat_bad_pick": "Chưa rõ Anh/Chị chọn mục nào. Anh/Chị gõ một số từ 1 đến {count}.",
    "xuat_working": "Đang chuẩn bị file {kind} “{form}” của {unit}. Anh/Chị chờ trong giây lát.",
    "xuat_summary": "File {kind} “{form}” của {unit}: {submitted}/{expected} {level} đã gửi{works}.",
    "xuat_summary_works": ", {count} công trình, phần việc",
    "xuat_ready_document": "{summary}",
    "xuat_ready_link": (
        "{summary}\nAnh/Chị bấm vào đường dẫn dưới đây để tải về (dùng được đến {expires}; "
        "đường dẫn chỉ dành cho Anh/Chị, không chuyển cho người khác):"
    ),
    "xuat_no_links": (
        "Zalo chưa gửi file trực tiếp được và máy chủ chưa cài đặt đường dẫn tải file. Anh/Chị "
        "báo quản trị viên, hoặc nhận file qua Telegram."
    ),
    "xuat_gone": "Đợt thi đua hoặc mẫu này không còn nữa. Anh/Chị gõ xuat để chọn lại.",
    "xuat_failed": (
        "Chưa tạo được file lúc này; số liệu vẫn còn nguyên. Anh/Chị vui lòng gõ lại xuat sau "
        "ít phút."
    ),
    # --- broadcasts in chat (thongbao) ---
    "thongbao_ask_text": (
        "Anh/Chị gõ nội dung thông báo trong một tin nhắn (có thể gửi kèm một ảnh). Gõ huy "
        "nếu muốn dừng."
    ),
    "thongbao_empty": "Thông báo chưa có nội dung. Anh/Chị gõ nội dung thông báo.",
    "thongbao_too_long": (
        "Thông báo dài {length} ký tự, quá {limit} ký tự. Anh/Chị rút gọn lại, hoặc gửi phần "
        "chi tiết bằng văn bản."
    ),
    "thongbao_ask_audience": "Gửi thông báo cho ai? Anh/Chị gõ số thứ tự:\n{lines}",
    "thongbao_everyone": "Mọi người thuộc {unit}",
    "thongbao_reps": "Chỉ đại diện các đơn vị",
    "thongbao_secretaries": "Chỉ thư ký",
    "thongbao_level": "Mọi người ở các {level}",
    "thongbao_missing": "Các đơn vị chưa nộp một mẫu",
    "thongbao_one_unit": "Một đơn vị cấp dưới, hoặc vài đơn vị",
    "thongbao_bad_pick": "Chưa rõ Anh/Chị chọn mục nào. Anh/Chị gõ một số từ 1 đến {count}.",
    "thongbao_no_forms": "Chưa có mẫu nào của các đơn vị thuộc Anh/Chị.",
    "thongbao_ask_form": "Nhắc các đơn vị chưa nộp mẫu nào? Anh/Chị gõ số thứ tự:\n{lines}",
    "thongbao_ask_unit": (
        "Anh/Chị gõ mã hoặc tên đơn vị, ví dụ: KP-01 hoặc Khu phố 1. Nhiều đơn vị thì cách "
        "nhau bằng dấu phẩy, ví dụ: KP-01, KP-03."
    ),
    "thongbao_unit_none": (
        "Không thấy đơn vị nào như vậy thuộc Anh/Chị. Anh/Chị gõ lại mã hoặc tên, hoặc gõ huy "
        "để dừng."
    ),
    "thongbao_unit_too_many": ("Có {count} đơn vị khớp. Anh/Chị gõ cụ thể hơn, ví dụ mã đơn vị."),
    "thongbao_unit_choices": (
        "Đơn vị nào? Anh/Chị gõ số thứ tự (nhiều đơn vị thì gõ ví dụ 1,3):\n{lines}"
    ),
    "thongbao_refused": "Chưa gửi được: {reason}.",
    "channel_telegram": "Telegram",
    "channel_zalo": "Zalo",
    "channel_console": "màn hình",
    "thongbao_send_now": "Gửi ngay",
    "thongbao_send_later": "Hẹn giờ gửi",
    "thongbao_starts_quiet": (" Bây giờ là giờ nghỉ nên thông báo sẽ bắt đầu gửi lúc {time}."),
    "thongbao_preview": (
        "“{excerpt}”{photo}\nThông báo sẽ đến {count} người{where} ({channels}), gửi hết trong"
        " {duration}."
        "{starts}\nAnh/Chị gõ số thứ tự:\n{lines}"
    ),
    "thongbao_within_minute": "chưa đến 1 phút",
    "thongbao_minutes": "khoảng {minutes} phút",
    "thongbao_hours": "khoảng {hours} giờ {minutes} phút",
    "thongbao_cancelled": "Đã hủy, thông báo không được gửi.",
    "thongbao_ask_when": "Gửi lúc nào? Anh/Chị gõ giờ và ngày, ví dụ: 8:00 28/8.",
    "thongbao_bad_when": "Chưa đọc được giờ và ngày. Anh/Chị gõ ví dụ: 8:00 28/8.",
    "thongbao_when_past": "Thời điểm này đã qua. Anh/Chị gõ một giờ sắp tới, ví dụ: 8:00 28/8.",
    "thongbao_when_quiet": (
        "Giờ này là giờ nghỉ, bot không gửi tin. Sớm nhất là {time}; Anh/Chị gõ lại giờ gửi."
    ),
    "thongbao_queued": "Đã nhận thông báo số {id} tới {count} người, bắt đầu gửi lúc {time}.",
    "thongbao_progress": "Đang gửi thông báo số {id}: {done}/{total} người ({percent}%).",
    "thongbao_report": (
        "Thông báo số {id} đã gửi xong: {sent}/{total} người đã nhận; {failed} lỗi; "
        "{unreachable} không liên lạc được (đã chặn bot hoặc không còn dùng)."
    ),
    "thongbao_report_all": "Thông báo số {id} đã gửi xong: cả {sent}/{total} người đã nhận.",
    "thongbao_report_stopped": (
        "Thông báo số {id} đã dừng: {sent}/{total} người đã nhận; {cancelled} chưa gửi; "
        "{failed} lỗi; {unreachable} không liên lạc được."
    ),
    "thongbao_report_missed": "Gõ thongbao để xem ai chưa nhận, theo từng đơn vị.",
    "thongbao_menu": "Anh/Chị muốn làm gì? Gõ số thứ tự:\n{lines}",
    "thongbao_new": "Soạn thông báo mới",
    "thongbao_stop": "Dừng thông báo số {id} (đã gửi {done}/{total})",
    "thongbao_missed_of": "Xem ai chưa nhận thông báo số {id} ({count} người)",
    "thongbao_stopped": (
        "Đã dừng thông báo số {id}: {sent}/{total} người đã nhận, {cancelled} người sẽ không "
        "nhận nữa."
    ),
    "thongbao_not_stopped": "Thông báo số {id} đã gửi xong trước khi dừng: {sent}/{total} người đã nhận.",
    "thongbao_missed_head": "Chưa nhận thông báo số {id} ({count} người):",
    "thongbao_missed_unit": "- {unit}: {names}",
    "thongbao_missed_more": "… và {count} đơn vị khác.",
    "thongbao_state_failed": "lỗi",
    "thongbao_state_unreachable": "đã chặn bot",
    "thongbao_state_cancelled": "đã dừng",
    "thongbao_state_pending": "chưa gửi",
    "thongbao_units_unclear": (
        "Chưa rõ đơn vị {names}. Anh/Chị gõ lại mã hoặc tên, các đơn vị cách nhau bằng dấu "
        "phẩy, hoặc gõ huy để dừng."
    ),
    "thongbao_in_units": " ở {names}",
    "thongbao_with_photo": " (kèm 1 ảnh)",
    "thongbao_photo_ask_text": "Đã nhận ảnh. Anh/Chị gõ nội dung thông báo đi kèm ảnh.",
    "thongbao_photo_added": "Đã thêm ảnh vào thông báo.",
    "thongbao_photo_not_here": (
        "Thông báo chỉ kèm được một ảnh, gửi lúc soạn nội dung. Tin vừa rồi chưa được dùng."
    ),
    "thongbao_photo_no_links": (
        "Máy chủ chưa có địa chỉ công khai nên chưa gửi kèm ảnh được. Anh/Chị gửi thông báo "
        "bằng chữ, hoặc nhờ người quản trị điền [web].public_url và [web].secret."
    ),
    "thongbao_photo_failed": "Chưa nhận được ảnh. Anh/Chị gửi lại ảnh, hoặc gõ nội dung.",
    "thongbao_photo_too_big": (
        "Ảnh lớn quá {limit} MB nên không gửi đi được. Anh/Chị gửi ảnh nhỏ hơn, hoặc gõ nội dung."
    ),
    "thongbao_photo_lost": (
        "Chưa gửi được: không lưu được ảnh kèm thông báo. Anh/Chị gõ thongbao để soạn lại."
    ),
    "thongbao_nobody": (
        "Chưa có ai{where} tham gia bot nên chưa ai nhận được thông báo này. Anh/Chị gõ quaylai "
        "để chọn người nhận khác, hoặc gõ huy để dừng."
    ),
    "thongbao_and_more": "{names} và {count} đơn vị khác",
}
