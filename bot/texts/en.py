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
    "enrol_ok": "Welcome{name}. You have joined as {role} of {unit}.",
    "enrol_moved": "You are now {role} of {unit}.",
    "role_rep": "representative",
    "role_secretary": "secretary",
    "role_admin": "admin",
    "help_unenrolled": (
        "You have not joined yet.\n"
        "Please type the invite code your ward or commune office sent you, for example: K7MPQ3RX."
    ),
    "help_head": "You can type:",
    "help_line_dangky": "dangky (register) – register an emulation work",
    "help_line_baocao": "baocao (report) – send an interim or final report, or a progress update",
    "help_line_thongbao": "thongbao (announce) – send an announcement to the units",
    "help_line_tonghop": "tonghop (digest) – see which units sent, are missing, are late",
    "help_line_xuat": "xuat (export) – get Word and Excel files to keep and send up",
    "help_line_moi": "moi (invite) – create an invite code for a unit below",
    "help_line_trangthai": "trangthai (status) – see the open campaigns",
    "help_line_trangthai_rep": "trangthai (status) – see what was sent and what is due",
    "help_line_huy": "huy (cancel) – stop what is in progress (what was typed is kept)",
    "help_line_trogiup": "trogiup (help) – see this guide again",
    "unknown": "Sorry, that was not understood. Type trogiup to see what you can do.",
    "cancel_idle": "Nothing is in progress. Type trogiup to see what you can do.",
    "cancel_done": "Stopped. Everything saved is still there. Type trogiup to see what you can do.",
    "nothing_waiting": "No question is waiting for an answer. Type trogiup to see what you can do.",
    "refused_role": "This is for {roles}. Type trogiup to see what you can do.",
    "refused_unenrolled": (
        "Please join first: type the invite code your ward or commune office sent you, "
        "for example: K7MPQ3RX."
    ),
    "not_ready": "This is not available yet; it comes with the next update. What works now: {commands}.",
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
    "moi_unit_none": (
        "No such unit under yours (invites are only for units below). Type a unit code or name, "
        "for example: {example}; or type huy to stop."
    ),
    "moi_unit_too_many": (
        "{count} units match; too many. Be more specific, for example: {example}; or type huy "
        "to stop."
    ),
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
    # --- forms ---
    "form_question": "Question {number}/{total}. {prompt}",
    "form_optional": "(Optional: type boqua to skip.)",
    "form_current": "Currently: {value}. Type a new answer to replace it.",
    "hint_integer": "Type a number, for example: 120.",
    "hint_number": "Type a number, for example: 3,5.",
    "hint_money": "For example: 45 triệu; 1,2 tỷ; 0 if there is no cost.",
    "hint_date": "Type day/month/year, for example: 30/11/2023.",
    "hint_month": "Type month/year, for example: 11/2023 (or a full date).",
    "hint_choice": "Type the option's number, for example: 1.",
    "hint_multichoice": "Type the numbers separated by commas, for example: 1,3.",
    "hint_yesno": "Type có (yes) or không (no).",
    "hint_photo": "Send photos (several are fine); then type xong.",
    "hint_file": "Send a file or a photo of the document; a link also works.",
    "form_empty": "No answer yet. Please type your answer, for example as the question suggests.",
    "form_too_long": "The answer is {length} characters, over the limit of {limit}. Please shorten it, for example to the main points.",
    "form_too_short": "The answer is too short; at least {limit} characters. Please add detail, for example place and quantity.",
    "form_custom": "{message}",
    "form_pattern": "The answer is not in the required form. Please type it again, for example as the question suggests.",
    "form_bad_integer": "That is not a number. Please type a number, for example: 120.",
    "form_bad_number": "That is not a number. Please type a number, for example: 3,5.",
    "form_out_of_range": "The number must be between {low} and {high}. Please type it again, for example: {low}.",
    "form_bad_money": "That amount is not understood. For example: 45 triệu, 1,2 tỷ, or 0 if there is no cost.",
    "form_bad_date": "That date is not understood. Please type day/month/year, for example 30/11/2023.",
    "form_bad_month": "That month is not understood. Please type month/year, for example 11/2023.",
    "form_date_out_of_range": "That date is outside {low} to {high}. Please type it again, for example: {high}.",
    "form_bad_choice": "Which option? Please type a number from 1 to {count}, for example: 1.",
    "form_bad_multichoice": "Which options? Please type numbers from 1 to {count} separated by commas, for example: 1,3.",
    "form_bad_yesno": "Please type có or không, for example: co.",
    "form_photo_expected": "This question needs photos. Send a photo, or type xong when done, for example: xong.",
    "form_photo_required": "This question needs at least one photo. Send one, then type xong, for example: a photo of the work.",
    "form_file_expected": "This question needs a file. Send a file, a photo, or paste a link, for example: https://drive.google.com/...",
    "form_file_unsupported": "That file cannot be received here. Please send a photo of the document, or paste a link, for example: https://drive.google.com/...",
    "form_text_expected": "This question needs typed text, not a photo or file. Please type an answer, for example as suggested below.",
    "form_cannot_skip": "This question must be answered, so it cannot be skipped. Type huy to stop.",
    "form_first_question": "This is the first question.",
    "form_at_summary": "Every question is answered.",
    "form_answer_first": "Please answer this question first; type gui at the summary to send.",
    "form_bad_edit_number": "There is no question with that number. Type sua and a number from 1 to {total}, for example: sua 2.",
    "form_question_changed": "This question has changed; please answer it again.",
    "form_photo_added": "{count} photo(s) received. Send more, or type xong to go on.",
    "form_photo_failed": "That photo could not be downloaded. Please send it again.",
    "form_summary_head": "Please check: {title}",
    "form_summary_line": "{number}. {label}: {value}",
    "form_skipped": "(skipped)",
    "form_summary_actions": "Type gui to send, or sua N to change answer N, for example: sua 2. Type huy to pause (the draft is kept).",
    "form_none_dangky": "No registration is open for {unit}. Type trangthai to see the coming deadlines.",
    "form_none_baocao": "No report is open for {unit}. Type trangthai to see the coming deadlines.",
    "form_pick": "Which form?\n{lines}\nType its number.",
    "form_pick_line": "{title} (due {due})",
    "form_not_open": "{title} opens on {date}. Please come back then.",
    "form_closed": "{title} closed on {date} and takes no more submissions. Please contact the ward or commune office if needed.",
    "form_already_sent": "{unit} sent {title} on {date}. Type trangthai and pick its number to view or change it.",
    "form_draft_offer": 'You have an unfinished draft of "{title}" ({answered} answers). Continue it or start again?\n1. Continue\n2. Start again\nType 1 or 2.',
    "form_draft_choice": "Type 1 to continue the draft, 2 to start again, for example: 1.",
    "form_intro": "{title} ({unit}). Due: {due}. Type huy to pause at any time; answers given are kept.",
    "form_intro_work": "{title}: {work} ({unit}). Due: {due}. Type huy to pause at any time.",
    "form_pick_work": "Update which work?\n{lines}\nType its number.",
    "form_no_works": "{unit} has no registered work to update. Type dangky to register one first.",
    "form_saved": "Received the {what} of {unit} ({status}).",
    "form_saved_work": "Received the registration of {what} by {unit} ({status}).",
    "form_saved_update": "Received new progress of {what}, {unit} ({status}).",
    "form_amended": "Changed {what} of {unit} (change number {edits}, {status}); the earlier version is kept.",
    "form_next": "The Front office can see it now; until the end of {due}, type trangthai to look at it again or change it.",
    "form_next_late": "The Front office can see it now; type trangthai to look at it again.",
    "quoted": '"{text}"',
    "form_unchanged": "Nothing changed; the submission stays as it was.",
    "form_status_on_time": "on time, due {due}",
    "form_status_late": "{days} days late, due {due}",
    "form_more": "Register another one? Type 1 to register another, 2 to finish.",
    "form_intro_late": "The deadline {due} passed {days} days ago: what is sent now is marked late.",
    "form_more_choice": "Type 1 to register another, 2 to finish, for example: 2.",
    "form_finished": "Done. Type trangthai to see what your unit has sent.",
    "form_amend_closed": "The deadline {date} has passed, so it can no longer be changed. Please contact the ward or commune office if needed.",
    "form_cancelled": "Paused. The draft is kept; type {command} next time to continue.",
    "form_pick_number": "Please type a number from 1 to {count}, for example: 1.",
    "form_gone": "This form no longer exists. Type trogiup to see what you can do.",
    "status_head": "Status of {unit}:",
    "status_campaign": "{title}",
    "status_sent": "{number}. {label}: sent {date}{late}",
    "status_sent_late": ", {days} days late",
    "status_draft": "- {form}: in progress, {answered} answers so far (type {command} to continue)",
    "status_due": "- {form}: not sent, due {due} ({left})",
    "status_left": "{days} days left",
    "status_today": "due today",
    "status_overdue": "{days} days overdue",
    "status_closed": "closed",
    "status_not_open": "- {form}: opens {date}, due {due}",
    "status_pick": "Type a number to view or change what was sent.",
    "status_nothing": "No campaign for {unit} yet.",
    "status_overview_head": "Campaigns of {unit}:",
    "status_overview_form": "- {form}: due {due} ({left})",
    # --- channels ---
    "group_only": (
        "The emulation assistant works only in private messages. Please message the assistant "
        "privately (tap its name, choose Message) to join, register or report."
    ),
    "flood": (
        "You are sending many messages very fast; the assistant answers them in turn. The "
        "messages sent just now were not taken; please wait for the answers, then go on."
    ),
    # --- buttons and short values ---
    "button_yes": "Yes",
    "button_no": "No",
    "button_back": "Back",
    "button_skip": "Skip",
    "button_cancel": "Cancel",
    "button_done": "Done",
    "button_send": "Send",
    "button_continue": "1. Continue",
    "button_restart": "2. Start again",
    "button_more": "1. Register another",
    "button_finish": "2. Finish",
    "value_photos": "{count} photos",
    "value_no_photo": "no photo",
    "value_file": "1 file",
    # --- words that are commands and answers ---
    "form_word_or_answer": 'Do you want to {action}, or write "{word}" as the answer?\nType 1 or 2.',
    "word_as_answer": '2. Write "{word}"',
    "word_action_huy": "pause (the draft is kept)",
    "word_action_gui": "send (once every question is answered)",
    "word_action_moi": "create an invite code",
    "word_action_sua": "change an answer",
    "form_kept": "The answer stays as it was.",
    "hint_integer_range": "Type a number from {low} to {high}, for example: {example}.",
    "hint_number_range": "Type a number from {low} to {high}, for example: {example}.",
    "hint_money_range": "Type an amount from {low} to {high} đồng, for example: {example}.",
    "hint_integer_min": "Type a number of {low} or more, for example: {example}.",
    "hint_integer_max": "Type a number of at most {high}, for example: {example}.",
    "hint_number_min": "Type a number of {low} or more, for example: {example}.",
    "hint_number_max": "Type a number of at most {high}, for example: {example}.",
    "hint_money_min": "Type an amount of {low} đồng or more, for example: {example}.",
    "hint_money_max": "Type an amount of at most {high} đồng, for example: {example}.",
    "form_sent_head": "{title} (last sent on {date}):",
    "form_sent_line": "- {label}: {value}",
    "form_summary_skipped": "Skipped: question {numbers}",
    "form_fewer_questions": "After that answer, this part has {total} questions ({fewer} fewer that need not be asked).",
    "form_more_questions": "After that answer, this part has {more} more questions, {total} in all.",
    "form_more_questions_kept": "After that answer, this part has {more} more questions, {total} in all; the answers given to them earlier are kept.",
    "form_at_summary_hint": "Every question is answered. Type gui to send, or sua N to change answer N, for example: sua 2.",
    "menu_continue": "Continue",
    "menu_restart": "Start again",
    "menu_more": "Register another",
    "menu_finish": "Finish",
    "status_sent_changed": "{number}. {label}: sent {date}, last changed {changed}{late}",
}
