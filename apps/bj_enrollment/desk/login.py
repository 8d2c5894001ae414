"""Staff log-in to the desk: one form, the desk site's `login_form`, that every desk log-in passes.
It refuses a locked account or address (desk/lockout.py), counts each failure, and with the second
factor on checks the authenticator code in the same step (desk/second_factor.py)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from unfold.forms import AuthenticationForm

from apps.bj_enrollment.desk import lockout, second_factor


class StaffLoginForm(AuthenticationForm):
    otp_token = second_factor.TokenField(
        required=False,
        help_text=_("The 6-digit code of your authenticator app; leave empty if you have not set one up yet."),
    )

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        if not second_factor.required():
            del self.fields["otp_token"]

    def clean(self):
        username, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if not username or not password:
            return self.cleaned_data
        name = lockout.account_key(username)
        lockout.check_not_locked(self.request, name)
        try:
            super().clean()
            if "otp_token" in self.fields:
                self._check_second_factor(self.user_cache)
        except ValidationError:
            lockout.count_failure(self.request, name)
            raise
        return self.cleaned_data

    def _check_second_factor(self, user) -> None:
        device = second_factor.confirmed_device(user)
        if device is None:
            return  # the desk site takes the user to enrolment after the password
        second_factor.check_token(user, device, self.cleaned_data.get("otp_token"))
        user.otp_device = device  # django-otp marks the session verified at log-in
