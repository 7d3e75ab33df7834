"""`flask accounts create-admin` and `flask dev demo-accounts`."""

from app.accounts.demo import DEMO_ACCOUNTS
from app.accounts.models import User
from app.roundtables.demo import DEMO_ROUNDTABLES, DEMO_SEATS


def _user(db, email):
    return db.session.scalar(db.select(User).where(User.email == email))


def test_create_admin_with_options(runner, db):
    result = runner.invoke(
        args=[
            "accounts",
            "create-admin",
            "--email",
            "Boss@Example.org",
            "--name",
            "Boss",
            "--password",
            "a long admin passphrase",
        ]
    )
    assert result.exit_code == 0, result.output
    admin = _user(db, "boss@example.org")
    assert admin.is_admin and admin.check_password("a long admin passphrase")


def test_create_admin_prompts(runner, db):
    answers = "boss@example.org\nBoss\na long admin passphrase\na long admin passphrase\n"
    result = runner.invoke(args=["accounts", "create-admin"], input=answers)
    assert result.exit_code == 0, result.output
    assert _user(db, "boss@example.org").is_admin


def test_create_admin_refuses_short_password(runner, db):
    result = runner.invoke(
        args=[
            "accounts",
            "create-admin",
            "--email",
            "boss@example.org",
            "--name",
            "Boss",
            "--password",
            "short",
        ]
    )
    assert result.exit_code != 0
    assert _user(db, "boss@example.org") is None


def test_demo_accounts_are_created_once_and_can_log_in(runner, db, login_form):
    first = runner.invoke(args=["dev", "demo-accounts"])
    second = runner.invoke(args=["dev", "demo-accounts"])
    assert first.exit_code == 0 and second.exit_code == 0, first.output
    roundtable_members = len(DEMO_ROUNDTABLES) * len(DEMO_SEATS)  # agencies at the tables
    users = db.session.scalar(db.select(db.func.count()).select_from(User))
    assert users == len(DEMO_ACCOUNTS) + roundtable_members
    for demo in DEMO_ACCOUNTS:
        assert demo.email in first.output and demo.password in first.output
    coordinators = db.session.scalars(db.select(User).where(User.role == "coordinator")).all()
    assert sorted(user.country for user in coordinators) == ["DE", "HU", "PL", "RO"]
    experts = db.session.scalars(db.select(User).where(User.kind == "expert")).all()
    assert len(experts) == 2 and all(e.public_profile and e.expertise for e in experts)
    admin = DEMO_ACCOUNTS[0]
    assert login_form(admin.email, admin.password).status_code == 302


def test_production_refuses_demo_accounts(app, runner, db, make_user, login_form):
    app.config["ENV_MODE"] = "production"
    result = runner.invoke(args=["dev", "demo-accounts"])
    assert result.exit_code != 0 and "development" in result.output
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0
    demo = DEMO_ACCOUNTS[0]
    make_user(email=demo.email, role="admin")  # e.g. a development database copied to production
    assert login_form(demo.email, "correct horse battery staple").status_code == 200
