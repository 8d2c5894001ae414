"""Portal forms: input shape only (required, formats); the rules live in services/ and rules/."""

from __future__ import annotations

from captcha.fields import CaptchaField
from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from apps.bj_enrollment.choices import Gender, IdType
from apps.bj_enrollment.models import District
from apps.bj_enrollment.rules.identity import normalise_id_number

# [0-9], not \d: \d also matches Arabic-Indic and other scripts' digits
MOBILE = RegexValidator(r"^1[3-9][0-9]{9}$", _("Enter an 11-digit mainland mobile number."))
SMS_CODE = RegexValidator(r"^[0-9]{6}$", _("The SMS code has 6 digits."))

PROVINCES = (
    "北京市 天津市 河北省 山西省 内蒙古自治区 辽宁省 吉林省 黑龙江省 上海市 江苏省 浙江省 安徽省 福建省 江西省 "
    "山东省 河南省 湖北省 湖南省 广东省 广西壮族自治区 海南省 重庆市 四川省 贵州省 云南省 西藏自治区 陕西省 甘肃省 "
    "青海省 宁夏回族自治区 新疆维吾尔自治区"
).split()


def captcha_field() -> CaptchaField:
    return CaptchaField(
        label=_("Image code"),
        error_messages={"invalid": _("The image code is wrong; enter the characters of the new picture.")},
    )


class NumberField(forms.CharField):
    """A number typed by a parent (mobile, code, account or ID number), in its one normal form before any
    check, limit or look-up sees it: full-width digits folded to ASCII, spaces and dashes dropped."""

    def to_python(self, value):
        return normalise_id_number(super().to_python(value))


class CaptchaForm(forms.Form):
    captcha = captcha_field()


class SmsRequestForm(CaptchaForm):
    mobile = NumberField(label=_("Guardian 1 mobile"), max_length=11, validators=[MOBILE])


class RegistrationForm(forms.Form):
    district = forms.ModelChoiceField(
        label=_("Registration district"), queryset=District.objects.all(), empty_label=_("Choose…")
    )
    nationality = forms.ChoiceField(
        label=_("Nationality"),
        choices=[("中国", "中国"), ("other", _("Other nationality"))],
        initial="中国",
    )
    hukou_province = forms.ChoiceField(
        label=_("Hukou province"), choices=[("", _("Choose…"))] + [(p, p) for p in PROVINCES]
    )
    hukou_district = forms.ModelChoiceField(
        label=_("Hukou district (Beijing hukou)"),
        queryset=District.objects.all(),
        required=False,
        empty_label=_("Choose…"),
    )
    residence_district = forms.ModelChoiceField(
        label=_("District of residence"), queryset=District.objects.all(), empty_label=_("Choose…")
    )
    child_name = forms.CharField(label=_("Child's name"), max_length=64)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, widget=forms.RadioSelect)
    birth_date = forms.DateField(label=_("Birth date"), widget=forms.DateInput(attrs={"type": "date"}))
    id_type = forms.ChoiceField(label=_("ID type"), choices=IdType.choices, initial=IdType.RESIDENT_ID)
    id_number = NumberField(label=_("ID number"), max_length=32)
    guardian_name = forms.CharField(label=_("Guardian 1 name"), max_length=64)
    mobile = NumberField(
        label=_("Guardian 1 mobile"),
        max_length=11,
        validators=[MOBILE],
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    sms_code = NumberField(
        label=_("SMS code"), max_length=6, validators=[SMS_CODE], widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput(render_value=True))
    password2 = forms.CharField(label=_("Password again"), strip=False, widget=forms.PasswordInput(render_value=True))
    notice_read = forms.BooleanField(
        label=_("I have read the registration notice"),
        error_messages={"required": _("Tick the box to confirm that you have read the registration notice.")},
    )
    privacy_accepted = forms.BooleanField(
        label=_("I accept the privacy policy"),
        error_messages={"required": _("Tick the box to accept the privacy policy.")},
    )

    def clean_child_name(self):
        return "".join(self.cleaned_data["child_name"].split())

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password2") and data["password"] != data["password2"]:
            self.add_error("password2", _("The two passwords differ."))
        if data.get("nationality") == "other":
            self.add_error(
                "nationality",
                _("Children of foreign nationality are registered by the district: please contact it."),
            )
        return data


class LoginForm(forms.Form):
    username = NumberField(
        label=_("Account number"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autofocus": True}),
    )
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)


class ResetRequestForm(CaptchaForm):
    identifier = NumberField(
        label=_("Account number or child's ID number"),
        max_length=32,
        help_text=_("The 8-digit account number, or the 18-character ID number."),
    )
    mobile = NumberField(label=_("Registered mobile"), max_length=11, validators=[MOBILE])


class CodeForm(forms.Form):
    sms_code = NumberField(
        label=_("SMS code"), max_length=6, validators=[SMS_CODE], widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )


class NewPasswordForm(CodeForm):
    password = forms.CharField(label=_("New password"), strip=False, widget=forms.PasswordInput(render_value=True))
    password2 = forms.CharField(
        label=_("New password again"), strip=False, widget=forms.PasswordInput(render_value=True)
    )


class CancelForm(CodeForm):
    confirm = forms.BooleanField(
        label=_("I understand that the account can no longer be used and its form becomes void.")
    )


class ResetPasswordForm(ResetRequestForm, NewPasswordForm):
    """R31, step 2: number, mobile, SMS code and the new password, behind a new image code like step 1:
    every step that takes a number and a mobile costs a captcha."""
