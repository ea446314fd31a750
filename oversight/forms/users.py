"""The staff administrator's forms for accounts: the list's filter, a new account, an account's roles and sites.

The sites offered are the administrator's own (``rules.account_sites``); another site's id is an
invalid choice, answered in the user's language, and nothing is saved.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from classroom import rules
from classroom.forms.edit_guards import EditGuardMixin
from lib.plausible import PlausibleForm

ACTIVE_CHOICES = [("", _("Active and deactivated")), ("yes", _("Active only")), ("no", _("Deactivated only"))]
NAME_MAX_LENGTH = 50
SEARCH_MAX_LENGTH = 100


def role_choices():
    return [(role, rules.ROLE_LABELS[role]) for role in rules.ROLES]


class AccountFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, username or email"), required=False, max_length=SEARCH_MAX_LENGTH,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
    role = forms.ChoiceField(label=_("Role held"), required=False, choices=[])
    active = forms.ChoiceField(label=_("Account status"), required=False, choices=ACTIVE_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("Every role")), *role_choices()]


class _AccountFields(PlausibleForm):
    last_name = forms.CharField(label=_("Family name"), max_length=NAME_MAX_LENGTH)
    first_name = forms.CharField(label=_("Given name"), max_length=NAME_MAX_LENGTH, required=False)
    email = forms.EmailField(label=_("Email"), max_length=254, required=False)
    roles = forms.MultipleChoiceField(label=_("Roles"), choices=[], required=False, widget=forms.CheckboxSelectMultiple)
    sites = forms.ModelMultipleChoiceField(label=_("Sites"), queryset=None, required=False,
                                           widget=forms.CheckboxSelectMultiple,
                                           help_text=_("Only your own sites are listed; the account's other sites stay as they are."))

    def __init__(self, *args, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = role_choices()
        self.fields["sites"].queryset = rules.account_sites(by).order_by("name")


class AccountCreateForm(EditGuardMixin, _AccountFields):
    """A new account: the person gets a mail with a link to set their own password."""

    username = forms.CharField(label=_("Username"), max_length=30, validators=[UnicodeUsernameValidator()],
                               help_text=_("Letters, digits and @ . + - _ only: what the person types to sign in."))
    field_order = ["username", "last_name", "first_name", "email", "roles", "sites"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].help_text = _("The link to set a password is sent here.")

    def clean_roles(self):
        roles = self.cleaned_data["roles"]
        if not roles:
            raise forms.ValidationError(_("Choose at least one role."))
        return roles

    def clean_sites(self):
        sites = self.cleaned_data["sites"]
        if not sites:
            raise forms.ValidationError(_("Choose at least one site."))
        return sites


class AccountEditForm(_AccountFields):
    """An account's names, email, roles and sites; ``state``: the account as it was when the form opened."""

    state = forms.CharField(widget=forms.HiddenInput, required=False, max_length=16)
