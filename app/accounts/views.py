"""Account pages: thin views that validate, call a service and render or redirect."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm

from app.accounts import bp, services, two_factor
from app.accounts.access import approved_required
from app.accounts.choices import (
    COUNTRIES,
    EXPERTISE,
    MEMBER_KINDS,
    PROFESSIONS,
    ROLES,
    STATUSES,
)
from app.accounts.forms import (
    ChangePasswordForm,
    ConfirmPasswordForm,
    DeleteAccountForm,
    DisableTwoFactorForm,
    ForgotPasswordForm,
    LoginForm,
    ProfileForm,
    RecoveryCodeForm,
    RegistrationForm,
    ResetPasswordForm,
    TwoFactorCodeForm,
)
from app.accounts.session import (
    clear_session_state,
    end_pending_login,
    pending_login_user,
    start_pending_login,
    start_session_clock,
)
from app.core.i18n import LANGUAGE_LABELS
from app.core.ratelimit import client_key, hit
from app.core.security import safe_next
from app.core.templating import format_duration

REGISTRATIONS_PER_ADDRESS_HOUR = 10


@bp.app_context_processor
def account_choices() -> dict:
    """Translated labels for stored keys (profession, country, ...) in every template."""
    return {
        "PROFESSIONS": PROFESSIONS,
        "COUNTRIES": COUNTRIES,
        "EXPERTISE": EXPERTISE,
        "MEMBER_KINDS": MEMBER_KINDS,
        "STATUSES": STATUSES,
        "ROLES": ROLES,
        "LANGUAGE_LABELS": LANGUAGE_LABELS,
    }


def _details(form, cls: type, **extra):
    """A services dataclass filled from the form fields of the same name."""
    names = [name for name in cls.__dataclass_fields__ if name in form]
    return cls(**{name: form[name].data for name in names}, **extra)


# Registration and confirmation ------------------------------------------------------------
@bp.route("/register", methods=["GET", "POST"])
def register():
    """Register as a practitioner or expert; the same answer whether the address exists or not."""
    if not current_app.config["REGISTRATION_OPEN"]:
        status = 403 if request.method == "POST" else 200
        return render_template("accounts/registration_closed.html"), status
    form = RegistrationForm()
    if not form.validate_on_submit():
        return render_template("accounts/register.html", form=form)
    if hit("register-address", client_key(), REGISTRATIONS_PER_ADDRESS_HOUR, 3600):
        abort(429)
    registration = _details(form, services.Registration, language=str(get_locale()))
    services.register_member(registration, form.password.data)
    return redirect(url_for("accounts.check_email"))


@bp.get("/register/check-email")
def check_email():
    """After registering: look for the confirmation link in your mail."""
    return render_template("accounts/check_email.html")


@bp.route("/confirm/<token>", methods=["GET", "POST"])
def confirm_email(token: str):
    """The link from the confirmation mail shows a button; only its POST confirms (mail
    scanners and link previews open links too)."""
    form = FlaskForm()
    if not form.validate_on_submit():
        if services.user_for_confirmation(token) is None:
            return render_template("accounts/link_invalid.html"), 400
        return render_template("accounts/confirm_email.html", form=form, token=token)
    user = services.confirm_email(token)
    if user is None:
        return render_template("accounts/link_invalid.html"), 400
    flash(_("Thank you, your e-mail address is confirmed."), "success")
    if current_user.is_authenticated:
        return redirect(url_for("accounts.status"))
    return redirect(url_for("accounts.login"))


@bp.post("/account/resend-confirmation")
@login_required
def resend_confirmation():
    """Send the confirmation link again."""
    if services.send_confirmation_link(current_user):
        flash(_("We sent you a new confirmation link."), "success")
    else:
        flash(_("Please wait a while before asking for another link."), "warning")
    return redirect(url_for("accounts.status"))


# Login, logout, status ----------------------------------------------------------------------
@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in with e-mail and password; the error never says which of the two was wrong."""
    if current_user.is_authenticated:
        return redirect(_after_login())
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("accounts/login.html", form=form)
    if services.login_throttled(form.email.data, client_key()):
        form.form_errors.append(_wait_message(form.email.data))
        return render_template("accounts/login.html", form=form), 429
    user = services.authenticate(form.email.data, form.password.data, client_key())
    if user is None:
        form.form_errors.append(_("The e-mail address or the password is not right."))
        return render_template("accounts/login.html", form=form)
    if not user.is_active:
        form.form_errors.append(_("This account was not approved and cannot log in."))
        return render_template("accounts/login.html", form=form)
    if user.two_factor_enabled:
        start_pending_login(user)
        return redirect(url_for("accounts.verify_login", next=request.args.get("next")))
    return _complete_login(user)


def _wait_message(email: str) -> str:
    """How long this account must wait before the next try from this address."""
    seconds = services.login_retry_after(email, client_key())
    minutes = -(-seconds // 60) if seconds >= 60 else 0  # 0 reads "less than a minute"
    return _("Too many attempts. Please try again in %(duration)s.",
             duration=format_duration(minutes))


def _complete_login(user):
    """Open the session (both factors checked) and go where the member wanted."""
    login_user(user)
    start_session_clock()
    return redirect(_after_login())


def _after_login() -> str:
    """Where a fresh login goes: status page unless approved, else `next` (local only) or ARENA."""
    if not current_user.is_approved:
        return url_for("accounts.status")
    return safe_next(request.args.get("next"), url_for("arena.index"))


@bp.post("/logout")
def logout():
    """Log out here and end every other session of this account."""
    if current_user.is_authenticated:
        services.log_out_everywhere(current_user)
        logout_user()
    clear_session_state()
    flash(_("You are logged out."), "success")
    return redirect(url_for("main.home"))


@bp.get("/account/status")
@login_required
def status():
    """What a member not (yet) approved may see: the state of their account."""
    return render_template("accounts/status.html")


# Passwords ----------------------------------------------------------------------------------
@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    """Ask for a reset link; the answer is the same whether the address exists or not."""
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        return render_template("accounts/forgot_password.html", form=form)
    services.request_password_reset(form.email.data)
    return render_template("accounts/check_email.html", reset=True)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password from the mailed link."""
    user = services.user_for_reset(token)
    if user is None:
        return render_template("accounts/link_invalid.html"), 400
    form = ResetPasswordForm()
    form.account = user
    if not form.validate_on_submit():
        return render_template("accounts/reset_password.html", form=form)
    services.reset_password(user, form.password.data)
    logout_user()
    flash(_("Your new password is set. Please log in."), "success")
    return redirect(url_for("accounts.login"))


@bp.post("/account/password")
@approved_required
def change_password():
    """Change the password; other sessions end, this one stays logged in."""
    form = ChangePasswordForm()
    form.account = current_user
    if form.validate_on_submit():
        if services.change_password(current_user, form.current_password.data, form.password.data):
            login_user(current_user._get_current_object())  # the new session version
            flash(_("Your password is changed. Other sessions were logged out."), "success")
            return redirect(url_for("accounts.profile"))
        form.current_password.errors.append(_("This is not your current password."))
    return _profile_page(password_form=form)


# Two-factor authentication ------------------------------------------------------------------
SETUP_NONCE = "_two_factor_setup"
NO_STORE = {"Cache-Control": "no-store"}  # pages with a secret or recovery codes


@bp.route("/login/verify", methods=["GET", "POST"])
def verify_login():
    """Second login step: a code from the app or a recovery code, after the right password."""
    if current_user.is_authenticated:
        return redirect(_after_login())
    user = pending_login_user()
    if user is None:
        flash(_("Please log in again."), "warning")
        return redirect(url_for("accounts.login", next=request.args.get("next")))
    use_recovery = "recovery_code" in request.form
    form = RecoveryCodeForm() if use_recovery else TwoFactorCodeForm()
    if not form.validate_on_submit():
        return _verify_page(form)
    throttled = services.login_throttled(user.email, client_key())
    if throttled or not two_factor.claim_code_attempt(user):
        form.form_errors.append(_wait_message(user.email))
        return _verify_page(form, 429)
    if not _second_factor_accepted(user, form, use_recovery):
        two_factor.record_wrong_code(user, client_key())
        form.form_errors.append(_("This code is not right, or it was already used."))
        return _verify_page(form)
    two_factor.forget_code_attempt(user)
    end_pending_login()
    return _complete_login(user)


def _second_factor_accepted(user, form, use_recovery: bool) -> bool:
    """Check the TOTP code, or spend a recovery code (and say how many are left)."""
    if not use_recovery:
        return two_factor.verify_totp(user, form.code.data)
    if not two_factor.use_recovery_code(user, form.recovery_code.data):
        return False
    left = two_factor.remaining_recovery_codes(user)
    flash(_("You used a recovery code. %(left)d are left; you can make new ones on your "
            "profile page.", left=left), "warning")
    return True


def _verify_page(form, code: int = 200):
    """The second-step page; the form that was not sent starts empty."""
    code_form = form if isinstance(form, TwoFactorCodeForm) else TwoFactorCodeForm(formdata=None)
    recovery_form = form if isinstance(form, RecoveryCodeForm) else RecoveryCodeForm(
        formdata=None)
    return render_template("accounts/two_factor_verify.html", form=code_form,
                           recovery_form=recovery_form), code


@bp.route("/account/two-factor/setup", methods=["GET", "POST"])
@approved_required
def setup_two_factor():
    """Scan the QR code (or type the secret), confirm with a code, get the recovery codes."""
    if current_user.two_factor_enabled:
        return redirect(url_for("accounts.two_factor_settings"))
    nonce = session.setdefault(SETUP_NONCE, two_factor.new_setup_nonce())
    secret = two_factor.setup_secret(current_user, nonce)
    form = TwoFactorCodeForm()
    if form.validate_on_submit():
        codes = two_factor.enable(current_user, secret, form.code.data)
        if codes is not None:
            session.pop(SETUP_NONCE, None)
            login_user(current_user._get_current_object())  # the new session version
            flash(_("Two-factor authentication is on."), "success")
            return _recovery_codes_page(codes)
        form.code.errors.append(_("This code is not right. Check that the time on your "
                                  "phone is correct and try the newest code."))
    uri = two_factor.provisioning_uri(secret, current_user.email)
    return render_template("accounts/two_factor_setup.html", form=form, secret=secret,
                           qr_code=two_factor.qr_code_data_uri(uri)), 200, NO_STORE


def _recovery_codes_page(codes: list[str]):
    """Show new recovery codes, once (never cached)."""
    return render_template("accounts/recovery_codes.html", codes=codes), 200, NO_STORE


@bp.get("/account/two-factor")
@approved_required
def two_factor_settings():
    """Two-factor status: new recovery codes, or turn it off (where the role allows)."""
    if not current_user.two_factor_enabled:
        return redirect(url_for("accounts.setup_two_factor"))
    return _two_factor_page()


def _two_factor_page(disable_form=None, codes_form=None, code: int = 200):
    """The settings page with both forms (one may carry errors)."""
    return render_template(
        "accounts/two_factor.html",
        disable_form=disable_form or DisableTwoFactorForm(formdata=None, prefix="disable"),
        codes_form=codes_form or ConfirmPasswordForm(formdata=None),
        required=two_factor.is_required(current_user),
        recovery_left=two_factor.remaining_recovery_codes(current_user),
    ), code


@bp.post("/account/two-factor/recovery-codes")
@approved_required
def regenerate_recovery_codes():
    """Replace the recovery codes after confirming the password."""
    if not current_user.two_factor_enabled:
        return redirect(url_for("accounts.setup_two_factor"))
    form = ConfirmPasswordForm()
    if not form.validate_on_submit():
        return _two_factor_page(codes_form=form, code=400)
    if not current_user.check_password(form.current_password.data):
        form.current_password.errors.append(_("This is not your password."))
        return _two_factor_page(codes_form=form, code=400)
    return _recovery_codes_page(two_factor.regenerate_recovery_codes(current_user))


@bp.post("/account/two-factor/disable")
@approved_required
def disable_two_factor():
    """Turn two-factor authentication off with the password and a current code."""
    if two_factor.is_required(current_user):
        flash(_("Your role requires two-factor authentication; it cannot be turned off."),
              "warning")
        return redirect(url_for("accounts.two_factor_settings"))
    form = DisableTwoFactorForm(prefix="disable")
    if not form.validate_on_submit():
        return _two_factor_page(disable_form=form, code=400)
    if not two_factor.disable(current_user, form.current_password.data, form.code.data):
        form.form_errors.append(_("The password or the code is not right."))
        return _two_factor_page(disable_form=form, code=400)
    flash(_("Two-factor authentication is off."), "success")
    return redirect(url_for("accounts.profile"))


# Profile and deletion -----------------------------------------------------------------------
@bp.route("/account", methods=["GET", "POST"])
@approved_required
def profile():
    """View and edit one's own profile."""
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        services.update_profile(current_user, _details(form, services.ProfileDetails))
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("accounts.profile"))
    return _profile_page(profile_form=form)


def _profile_page(profile_form=None, password_form=None):
    """The profile page with both of its forms (one may carry errors)."""
    return render_template(
        "accounts/profile.html",
        form=profile_form or ProfileForm(obj=current_user, formdata=None),
        password_form=password_form or ChangePasswordForm(formdata=None),
        two_factor_required=two_factor.is_required(current_user),
    )


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
def delete_account():
    """Delete one's own account after confirming with the password; the page says what goes."""
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if services.delete_account(current_user._get_current_object(), form.current_password.data):
            logout_user()
            flash(_("Your account and profile are deleted."), "success")
            return redirect(url_for("main.home"))
        form.current_password.errors.append(_("This is not your password."))
    return render_template("accounts/delete_account.html", form=form)


# The member's own data (issue 11) -----------------------------------------------------------
@bp.post("/account/data")
@approved_required
def download_data():
    """Download one's own data as JSON (a POST: the download is recorded in the access log)."""
    from app.accounts.data_export import export_member_data  # reads every feature's models
    from app.extensions import db

    if not FlaskForm().validate_on_submit():
        abort(400)
    payload = export_member_data(current_user._get_current_object())
    db.session.commit()
    response = current_app.response_class(payload, mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="my-champions-data.json"'
    response.headers["Cache-Control"] = "no-store"
    return response
