"""Who may close and reopen fiscal years: grants of the finance and admin roles.

The first grant on a database without any administrator may be made by anyone
(that is how a district sets itself up); after that only an administrator
grants or revokes. Every grant and revoke is in the history.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.database import Database
from models.errors import UserError, ValidationError
from models.schema import Role, UserRole

ENTITY = "user_role"

ROLE_PURPOSE = {
    Role.FINANCE: "close fiscal years",
    Role.ADMIN: "reopen closed fiscal years and grant roles",
}


class PermissionDeniedError(UserError):
    """The signed-in person lacks the role an action needs."""


def _role(value: Role | str) -> Role:
    try:
        return Role(value)
    except ValueError:
        choices = ", ".join(role.value for role in Role)
        raise ValidationError("role", f"'{value}' is not a role; the roles are {choices}") from None


def _user(value: str) -> str:
    name = (value or "").strip()
    if not name:
        raise ValidationError("user", "give the user name (as the person signs in)")
    if len(name) > 120:
        raise ValidationError("user", "a user name has at most 120 characters")
    return name


def roles_of(session: Session, user: str) -> set[Role]:
    rows = session.scalars(select(UserRole.role).where(UserRole.user_name == user))
    return set(rows)


def has_role(db: Database, user: str, role: Role | str) -> bool:
    with db.reading() as session:
        return _role(role) in roles_of(session, user)


def require_role(session: Session, user: str, role: Role | str, action: str) -> None:
    """Raise PermissionDeniedError naming the grant command when ``user`` lacks ``role``."""
    role = _role(role)
    if role not in roles_of(session, user):
        raise PermissionDeniedError(
            f"{user} may not {action}: that needs the {role.value} role. An administrator grants it "
            f"with: commonground users grant {user} {role.value}"
        )


def _check_granter(session: Session, actor: str) -> None:
    admins = session.scalar(select(func.count()).select_from(UserRole).where(UserRole.role == Role.ADMIN))
    if admins:
        require_role(session, actor, Role.ADMIN, "grant or revoke roles")


def grant(db: Database, actor: str, user: str, role: Role | str) -> bool:
    """Give ``user`` the ``role``; returns False when they already had it."""
    user, role = _user(user), _role(role)
    with db.unit_of_work(actor) as work:
        session = work.session
        _check_granter(session, actor)
        if role in roles_of(session, user):
            return False
        row = UserRole(user_name=user, role=role, granted_by=actor, granted_at=work.occurred_at)
        session.add(row)
        session.flush()
        work.record(ENTITY, row.id, "role_granted", {"user": (None, user), "role": (None, role)})
        return True


def revoke(db: Database, actor: str, user: str, role: Role | str) -> bool:
    """Take ``role`` from ``user``; returns False when they did not have it.

    The last administrator cannot be revoked: nobody could grant again.
    """
    user, role = _user(user), _role(role)
    with db.unit_of_work(actor) as work:
        session = work.session
        _check_granter(session, actor)
        row = session.scalars(select(UserRole).where(UserRole.user_name == user, UserRole.role == role)).first()
        if row is None:
            return False
        if role is Role.ADMIN:
            admins = session.scalar(
                select(func.count()).select_from(UserRole).where(UserRole.role == Role.ADMIN)
            )
            if admins == 1:
                raise ValidationError("role", f"{user} is the last administrator; grant admin to someone else first")
        work.record(ENTITY, row.id, "role_revoked", {"user": (user, None), "role": (role, None)})
        session.delete(row)
        return True


def list_roles(db: Database) -> list[tuple[str, Role, str, object]]:
    """(user, role, granted by, granted at), by user then role."""
    with db.reading() as session:
        rows = session.execute(
            select(UserRole.user_name, UserRole.role, UserRole.granted_by, UserRole.granted_at).order_by(
                UserRole.user_name, UserRole.role
            )
        ).all()
    return [tuple(row) for row in rows]
