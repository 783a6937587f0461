"""Who may do what: the one table the router checks before any handler runs."""

from __future__ import annotations

from bot.words import Command
from storage.models import Member, Role, Unit

REP, SECRETARY, ADMIN = Role.REP, Role.SECRETARY, Role.ADMIN
EVERYONE = frozenset({REP, SECRETARY, ADMIN})

# Commands an enrolled member may use, by role. Unenrolled people may only enrol.
PERMISSIONS: dict[Command, frozenset[Role]] = {
    Command.START: EVERYONE,
    Command.TROGIUP: EVERYONE,
    Command.HUY: EVERYONE,
    Command.QUAYLAI: EVERYONE,
    Command.BOQUA: EVERYONE,
    Command.SUA: EVERYONE,
    Command.GUI: EVERYONE,
    Command.TRANGTHAI: EVERYONE,
    Command.DANGKY: frozenset({REP}),
    Command.BAOCAO: frozenset({REP}),
    Command.TONGHOP: frozenset({SECRETARY, ADMIN}),
    Command.XUAT: frozenset({SECRETARY, ADMIN}),
    Command.MOI: frozenset({SECRETARY, ADMIN}),
    Command.THONGBAO: frozenset({ADMIN}),
}

# Commands that mean something before enrolment.
UNENROLLED = frozenset({Command.START, Command.TROGIUP, Command.HUY})

# Which roles each role may hand out with `moi`.
INVITABLE: dict[Role, tuple[Role, ...]] = {
    REP: (),
    SECRETARY: (REP, SECRETARY),
    ADMIN: (REP, SECRETARY, ADMIN),
}


def allowed(command: Command, role: Role | None) -> bool:
    """True when a member with `role` (None = not enrolled) may use `command`."""
    if role is None:
        return command in UNENROLLED
    return role in PERMISSIONS[command]


def roles_for(command: Command) -> list[Role]:
    """Return the roles that may use `command`, in a stable order."""
    return [role for role in (REP, SECRETARY, ADMIN) if role in PERMISSIONS[command]]


def may_invite(inviter: Member, inviter_unit: Unit, target: Unit, role: Role) -> bool:
    """True when `inviter` may invite someone as `role` for `target` (strictly below their unit)."""
    return role in INVITABLE[inviter.role] and inviter_unit.is_above(target)
