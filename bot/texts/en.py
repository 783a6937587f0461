"""English twins of the Vietnamese sentences (operators, the command line, tests)."""

CATALOGUE: dict[str, str] = {
    "welcome": (
        "Hello. This is the Fatherland Front's emulation assistant.\n"
        "To begin, please type the invite code your ward or commune office sent you, "
        "for example: K7MPQ3RX."
    ),
    "enrol_wrong_code": (
        "That invite code is not right. Please check each letter and type it again, for example: "
        "K7MPQ3RX. {left} tries left."
    ),
    "enrol_wrong_code_last": (
        "That invite code is not right. Please check each letter and type it again, for example: "
        "K7MPQ3RX. This is the last try before a 15-minute wait."
    ),
    "enrol_expired": (
        "That invite code expired on {date}. Please ask your ward or commune office for a new one "
        "and type it, for example: K7MPQ3RX."
    ),
    "enrol_used": (
        "That invite code has already been used; each code works once. Please ask your ward or "
        "commune office for a new one."
    ),
    "enrol_throttled": (
        "Too many wrong invite codes. To stay safe, please try again after {until} "
        "(about {minutes} minutes)."
    ),
    "enrol_ok": "Welcome{name}. You have joined as {role}, {unit}.",
    "enrol_moved": "You are now {role}, {unit}.",
    "role_rep": "representative",
    "role_secretary": "secretary",
    "role_admin": "admin",
    "help_unenrolled": (
        "You have not joined yet.\n"
        "Please type the invite code your ward or commune office sent you, for example: K7MPQ3RX."
    ),
    "help_rep": (
        "You can type:\n"
        "dangky – register a work\n"
        "baocao – send a period report\n"
        "trangthai – what is submitted and what is due\n"
        "huy – stop what is in progress\n"
        "trogiup – this help again"
    ),
    "help_secretary": (
        "You can type:\n"
        "tonghop – who has submitted, who is missing or late\n"
        "xuat – Word and Excel files\n"
        "moi – create an invite code for a unit below yours\n"
        "trangthai – open campaigns\n"
        "huy – stop what is in progress\n"
        "trogiup – this help again"
    ),
    "help_admin": (
        "You can type:\n"
        "thongbao – send an announcement\n"
        "tonghop – who has submitted, who is missing or late\n"
        "xuat – Word and Excel files\n"
        "moi – create an invite code for a unit below yours\n"
        "trangthai – open campaigns\n"
        "huy – stop what is in progress"
    ),
    "unknown": "Sorry, that was not understood. Type trogiup to see what you can do.",
    "cancel_idle": "Nothing is in progress. Type trogiup to see what you can do.",
    "cancel_done": "Stopped. Everything saved is still there. Type trogiup to see what you can do.",
    "nothing_waiting": "No question is waiting for an answer. Type trogiup to see what you can do.",
    "refused_role": "This is for {roles}. Type trogiup to see what you can do.",
    "refused_unenrolled": (
        "Please join first: type the invite code your ward or commune office sent you, "
        "for example: K7MPQ3RX."
    ),
    "not_ready": "This is being prepared and will come soon. Type trogiup to see what works now.",
    "text_only": "Only text messages can be read for now. Please type, for example: trogiup.",
    "internal_problem": (
        "Sorry, something went wrong with this message; everything saved is still there. "
        "Please try again in a few minutes."
    ),
    "or_roles": " or ",
    "moi_no_units": "There is no unit below yours to invite. Ask an admin if a unit is missing.",
    "moi_ask_unit_list": "Invite for which unit? Type its number:\n{lines}",
    "moi_ask_unit_search": "Invite for which unit? Type its code or part of its name, e.g. {example}.",
    "moi_unit_choices": "{count} units match. Type a number:\n{lines}",
    "moi_unit_none": "No such unit under yours. Type a unit code or name, for example: {example}.",
    "moi_unit_too_many": "{count} units match; too many. Be more specific, for example: {example}.",
    "moi_ask_role": "Invite {unit} as which role?\n{lines}\nType the number.",
    "moi_role_rep": "Representative (sends registrations and reports)",
    "moi_role_secretary": "Secretary (digests and files)",
    "moi_role_admin": "Admin (announcements, invites)",
    "moi_bad_role": "Which role? Type its number, for example: 1.",
    "moi_done": (
        "Invite code for {role}, {unit}:\n{code}\n"
        "Works once, until {expires}.\n"
        "The invited person opens the assistant on Zalo and types this code."
    ),
    "moi_done_telegram": "On Telegram, tap: {link}",
    "option_line": "{number}. {label}",
}
