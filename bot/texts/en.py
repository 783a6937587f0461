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
    # --- reminders ---
    "remind": "To the {body} of {unit}.\n{when}\n{action} With respect.",
    "remind_days_left": "{days} days left ({day}) until the deadline of the {what}.",
    "remind_today": "Today ({day}) is the deadline of the {what}.",
    "remind_late": "The {what} is {days} days past its deadline ({day}) and your unit has not sent it; what is sent now is marked late.",
    "remind_action_dangky": "Type dangky to register.",
    "remind_action_baocao": "Type baocao to send the report.",
    "weekday_0": "Monday",
    "weekday_1": "Tuesday",
    "weekday_2": "Wednesday",
    "weekday_3": "Thursday",
    "weekday_4": "Friday",
    "weekday_5": "Saturday",
    "weekday_6": "Sunday",
    # --- digests ---
    "digest_head": "Digest, {part} of {day} — {unit}",
    "digest_part_morning": "morning",
    "digest_part_noon": "midday",
    "digest_part_afternoon": "afternoon",
    "digest_part_evening": "evening",
    "digest_none": "No campaign is open in {unit} at the moment.",
    "digest_failed": "The digest could not be prepared just now. Please type tonghop again in a few minutes.",
    "digest_campaign": "{title}",
    "digest_campaign_part": "{title} (within {root})",
    "digest_form": "{form} ({due}): {submitted}/{expected} {noun} ({percent}){late}.",
    "digest_form_late": ", {count} late",
    "digest_due_left": "due {date}, {days} days left",
    "digest_due_today": "due today {date}",
    "digest_due_overdue": "due {date}, {days} days ago",
    "digest_due_closed": "due {date}, closed",
    "digest_missing_registration": "Not registered ({count}): {names}.",
    "digest_missing_other": "Not sent ({count}): {names}.",
    "digest_missing_groups_registration": "Not registered ({count}), by {group_noun}, furthest behind first:",
    "digest_missing_groups_other": "Not sent ({count}), by {group_noun}, furthest behind first:",
    "digest_group_line": "- {name}: {submitted}/{expected} {noun}",
    "digest_late": "Late ({count}): {names}.",
    "digest_late_groups": "Late ({count}), by {group_noun}:",
    "digest_late_group_line": "- {name}: {count} {noun}",
    "digest_late_name": "{name} ({days} days late)",
    "digest_late_name_in_group": "{name} ({group}, {days} days late)",
    "digest_in_group": "{name} ({group})",
    "digest_more_names": "… and {count} other {noun}",
    "digest_more_groups": "… and {count} other {noun}.",
    "digest_areas": "{noun} with at least one work: {count}/{total} ({percent}).",
    "digest_new": "New since {since}: {items}.",
    "digest_new_registration": "{count} {noun} registered",
    "digest_new_report": "{count} {noun} sent the report",
    "digest_new_update": "{count} {noun} updated progress",
    "digest_new_works": "{count} new works",
    "digest_new_amended": "{count} {noun} changed what they sent",
    "digest_nothing_new": "Nothing new since {since}.",
    "digest_since_time": "{time} today",
    "digest_since_yesterday": "yesterday",
    "digest_since_weekday_0": "Monday",
    "digest_since_weekday_1": "Tuesday",
    "digest_since_weekday_2": "Wednesday",
    "digest_since_weekday_3": "Thursday",
    "digest_since_weekday_4": "Friday",
    "digest_since_weekday_5": "Saturday",
    "digest_since_weekday_6": "Sunday",
    "digest_since_date": "{date}",
    "digest_upcoming": "Coming: {form}, open from {opens}, due {due}.",
    # --- exports in chat (xuat) ---
    "xuat_none": "There is no campaign of your unit to export yet.",
    "xuat_no_forms": "Campaign “{campaign}” has no form of your units to export.",
    "xuat_ask_campaign": "Export which campaign? Type its number:\n{lines}",
    "xuat_ask_form": "Export which form? Type its number:\n{lines}",
    "xuat_ask_format": "“{form}”: which file would you like? Type its number:\n{lines}",
    "xuat_format_xlsx": "Excel – a list to filter and add up",
    "xuat_format_docx": "Word – a report to print, sign and send up",
    "xuat_kind_xlsx": "Excel",
    "xuat_kind_docx": "Word",
    "xuat_bad_pick": "Which one did you mean? Please type a number from 1 to {count}.",
    "xuat_working": "Preparing the {kind} file “{form}” of {unit}. One moment please.",
    "xuat_summary": "{kind} file “{form}” of {unit}: {submitted}/{expected} {level} sent{works}.",
    "xuat_summary_works": ", {count} works",
    "xuat_ready_document": "{summary}",
    "xuat_ready_link": (
        "{summary}\nTap the link below to download it (valid until {expires}; it is for you "
        "only, please do not forward it):"
    ),
    "xuat_no_links": (
        "Zalo cannot send files and the server has no download links set up yet. Please tell "
        "your admin, or get the file on Telegram."
    ),
    "xuat_gone": "That campaign or form no longer exists. Type xuat to choose again.",
    "xuat_failed": "The file could not be made just now; your data is safe. Please type xuat again in a few minutes.",
    # --- broadcasts in chat (thongbao) ---
    "thongbao_ask_text": (
        "Type the announcement in one message (you may add one photo). Type huy to stop."
    ),
    "thongbao_empty": "The announcement is empty. Please type its text.",
    "thongbao_too_long": (
        "The announcement has {length} characters, over {limit}. Please shorten it, or send the "
        "details as a document."
    ),
    "thongbao_ask_audience": "Who should get it? Type a number:\n{lines}",
    "thongbao_everyone": "Everyone in {unit}",
    "thongbao_reps": "Unit representatives only",
    "thongbao_secretaries": "Secretaries only",
    "thongbao_level": "Everyone in the {level}",
    "thongbao_missing": "Units that have not sent a form",
    "thongbao_one_unit": "One unit below, or several",
    "thongbao_bad_pick": "Which one did you mean? Please type a number from 1 to {count}.",
    "thongbao_no_forms": "Your units have no form yet.",
    "thongbao_ask_form": "Remind the units that have not sent which form? Type a number:\n{lines}",
    "thongbao_ask_unit": (
        "Type the unit's code or name, e.g. KP-01 or Khu phố 1. For several, separate them "
        "with commas, e.g. KP-01, KP-03."
    ),
    "thongbao_unit_none": "No such unit under yours. Type its code or name again, or huy to stop.",
    "thongbao_unit_too_many": "{count} units match. Please be more specific, e.g. the code.",
    "thongbao_unit_choices": "Which unit? Type a number (several: e.g. 1,3):\n{lines}",
    "thongbao_refused": "Not sent: {reason}.",
    "channel_telegram": "Telegram",
    "channel_zalo": "Zalo",
    "channel_console": "console",
    "thongbao_send_now": "Send now",
    "thongbao_send_later": "Send at a time",
    "thongbao_starts_quiet": " It is quiet hours now, so it will start at {time}.",
    "thongbao_preview": (
        "“{excerpt}”{photo}\nThe announcement will reach {count} people{where} ({channels}),"
        " all within"
        " {duration}.{starts}\nType a number:\n{lines}"
    ),
    "thongbao_within_minute": "a minute",
    "thongbao_minutes": "about {minutes} minutes",
    "thongbao_hours": "about {hours} h {minutes} min",
    "thongbao_cancelled": "Cancelled; nothing was sent.",
    "thongbao_ask_when": "When should it go? Type a time and a day, e.g. 8:00 28/8.",
    "thongbao_bad_when": "That time and day are unclear. Please type e.g. 8:00 28/8.",
    "thongbao_when_past": "That moment has passed. Please type a time to come, e.g. 8:00 28/8.",
    "thongbao_when_quiet": "That is within quiet hours. The earliest is {time}; please type a time again.",
    "thongbao_queued": "Announcement no. {id} to {count} people accepted; it starts at {time}.",
    "thongbao_progress": "Sending announcement no. {id}: {done}/{total} people ({percent}%).",
    "thongbao_report": (
        "Announcement no. {id} is sent: {sent}/{total} people got it; {failed} failed; "
        "{unreachable} unreachable (blocked the bot or gone)."
    ),
    "thongbao_report_all": "Announcement no. {id} is sent: all {sent}/{total} people got it.",
    "thongbao_report_stopped": (
        "Announcement no. {id} was stopped: {sent}/{total} people got it; {cancelled} not sent; "
        "{failed} failed; {unreachable} unreachable."
    ),
    "thongbao_report_missed": "Type thongbao to see who did not get it, unit by unit.",
    "thongbao_menu": "What would you like to do? Type a number:\n{lines}",
    "thongbao_new": "Write a new announcement",
    "thongbao_stop": "Stop announcement no. {id} ({done}/{total} sent)",
    "thongbao_missed_of": "See who did not get announcement no. {id} ({count} people)",
    "thongbao_stopped": "Stopped announcement no. {id}: {sent}/{total} got it, {cancelled} will not.",
    "thongbao_not_stopped": "Announcement no. {id} had finished before the stop: {sent}/{total} got it.",
    "thongbao_missed_head": "Did not get announcement no. {id} ({count} people):",
    "thongbao_missed_unit": "- {unit}: {names}",
    "thongbao_missed_more": "… and {count} more units.",
    "thongbao_state_failed": "failed",
    "thongbao_state_unreachable": "blocked the bot",
    "thongbao_state_cancelled": "stopped",
    "thongbao_state_pending": "not sent yet",
    "thongbao_units_unclear": (
        "Not sure which unit {names} is. Type the codes or names again, separated by commas, "
        "or huy to stop."
    ),
    "thongbao_in_units": " in {names}",
    "thongbao_with_photo": " (with 1 photo)",
    "thongbao_photo_ask_text": "Photo received. Type the text that goes with it.",
    "thongbao_photo_added": "The photo was added to the announcement.",
    "thongbao_photo_not_here": (
        "An announcement takes one photo, sent while writing it. That message was not used."
    ),
    "thongbao_photo_no_links": (
        "The server has no public address, so a photo cannot go with it. Send the announcement "
        "as text, or ask the administrator to set [web].public_url and [web].secret."
    ),
    "thongbao_photo_failed": "The photo did not arrive. Send it again, or type the text.",
    "thongbao_photo_too_big": (
        "The photo is over {limit} MB and cannot be sent on. Send a smaller one, or type the text."
    ),
    "thongbao_photo_lost": (
        "Not sent: the photo could not be stored. Type thongbao to write it again."
    ),
    "thongbao_nobody": (
        "Nobody{where} has joined the bot yet, so nobody would get this. Type quaylai to choose "
        "others, or huy to stop."
    ),
    "thongbao_and_more": "{names} and {count} more units",
}
