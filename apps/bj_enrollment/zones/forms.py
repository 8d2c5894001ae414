from django import forms
from django.utils.translation import gettext_lazy as _

from apps.bj_enrollment.rules.identity import check_resident_id


class ZoneLookupForm(forms.Form):
    """What a parent enters on the public page; the JSON API validates its body with the same form."""

    id_number = forms.CharField(
        label=_("Child's resident ID number"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "maxlength": 18}),
    )
    address = forms.CharField(
        label=_("Address"),
        max_length=200,
        help_text=_("As written on the property certificate, e.g. 东城区东四十条甲22号院3号楼2单元401"),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    property_certificate_date = forms.DateField(
        label=_("Property certificate registration date"),
        required=False,
        input_formats=["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Needed only where the district sets a cutoff date; the page asks for it."),
    )

    def clean_id_number(self):
        """The compact number; its ValidationError keeps the rule's code (id_length, id_checksum, …) for the API."""
        return check_resident_id(self.cleaned_data["id_number"])
