"""The people forms: adding a colleague (name, email, role: an invitation follows) and
changing one (name, email, role, active), in place of Django's user forms with their
Staff box, group picker and permission list."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserChangeForm
from django.db.models import Q

from accounts import roles

User = get_user_model()
USERNAME_LENGTH = User._meta.get_field("username").max_length


class RoleFormMixin(forms.Form):
    """A `role` choice limited to what the operator (set by the admin) may give."""

    operator = None
    role = forms.ChoiceField(choices=(), widget=forms.RadioSelect)

    def offer_roles(self, current: str | None = None) -> None:
        """The roles the operator may give; `current` (a person's role, "" for none) is
        offered too, so saving without touching the role keeps it."""
        choices = roles.choices_for(self.operator)
        if current == roles.NO_ROLE:
            choices.append((roles.NO_ROLE, "No role: access as given elsewhere (groups, permissions)"))
        elif current and current not in dict(choices):  # an Administrator seen by a non-administrator
            choices.append((current, roles.DESCRIPTIONS[current]))
        self.fields["role"].choices = choices
        self.fields["role"].initial = roles.AUTHOR if current is None else current
        self.fields["role"].required = current != roles.NO_ROLE  # "" is that choice's value


class InviteForm(RoleFormMixin, forms.ModelForm):
    """Name, email and role. The email is the user name (as WordPress lets one sign in
    with either); the password is the colleague's to choose, from the invitation."""

    class Meta:
        model = User
        fields = ("first_name", "last_name", "email")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["email"].required = True
        self.fields["email"].help_text = "The invitation goes here; it is also their user name."
        self.offer_roles()

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"].strip())
        if len(email) > USERNAME_LENGTH:
            raise forms.ValidationError(f"An address of at most {USERNAME_LENGTH} characters, please.")
        if User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists():
            raise forms.ValidationError("Someone already has an account with this address.")
        return email

    def save(self, commit: bool = True):
        user = super().save(commit=False)
        user.username = self.cleaned_data["email"]
        user.set_unusable_password()  # until they choose one from the invitation
        user.is_staff = True
        if commit:
            user.save()
        return user


class PersonForm(RoleFormMixin, UserChangeForm):
    """A colleague's name, address, role and whether they may sign in; the password
    field links to Django's set-password form, as before."""

    class Meta:
        model = User
        fields = ("username", "first_name", "last_name", "email", "is_active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.offer_roles(roles.role_of(self.instance))
        self.fields["is_active"].label = "May sign in"
        self.fields[
            "is_active"
        ].help_text = "Untick to stop this person signing in, without deleting their work."

    def clean(self):
        cleaned = super().clean()
        stays_administrator = cleaned.get("role") == roles.ADMINISTRATOR and cleaned.get("is_active")
        if (
            self.instance.is_superuser
            and not stays_administrator
            and not roles.other_administrators(self.instance.pk).exists()
        ):
            raise forms.ValidationError(
                "This is the only administrator who may sign in: make someone else an administrator first."
            )
        return cleaned
