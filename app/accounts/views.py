"""Account pages: thin views that validate, call a service and render or redirect."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.accounts import bp, services
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
    DeleteAccountForm,
    ForgotPasswordForm,
    LoginForm,
    ProfileForm,
    RegistrationForm,
    ResetPasswordForm,
)
from app.core.i18n import LANGUAGE_LABELS
from app.core.ratelimit import client_key, hit
from app.core.security import safe_next

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


@bp.get("/confirm/<token>")
def confirm_email(token: str):
    """Follow the link from the confirmation mail."""
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
        form.form_errors.append(_("Too many failed attempts. Please wait 15 minutes."))
        return render_template("accounts/login.html", form=form), 429
    user = services.authenticate(form.email.data, form.password.data, client_key())
    if user is None:
        form.form_errors.append(_("The e-mail address or the password is not right."))
        return render_template("accounts/login.html", form=form)
    if not login_user(user):
        form.form_errors.append(_("This account was not approved and cannot log in."))
        return render_template("accounts/login.html", form=form)
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
    if form.validate_on_submit():
        if services.change_password(current_user, form.current_password.data, form.password.data):
            login_user(current_user._get_current_object())  # the new session version
            flash(_("Your password is changed. Other sessions were logged out."), "success")
            return redirect(url_for("accounts.profile"))
        form.current_password.errors.append(_("This is not your current password."))
    return _profile_page(password_form=form)


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
