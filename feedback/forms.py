"""What the two steps of "Was this helpful?" accept: anything else is a 400."""

from __future__ import annotations

from django import forms

from feedback.models import COMMENT_MAX_CHARS, Vote


class VoteForm(forms.Form):
    helpful = forms.ChoiceField(choices=[("yes", "Yes"), ("no", "No")])


class ReasonForm(forms.Form):
    token = forms.CharField(max_length=64, error_messages={"required": "This form has expired."})
    reason = forms.ChoiceField(
        choices=[("", "No reason"), *Vote.Reason.choices],
        required=False,
        error_messages={"invalid_choice": "Choose one of the reasons listed."},
    )
    comment = forms.CharField(
        max_length=COMMENT_MAX_CHARS,
        required=False,
        error_messages={"max_length": f"Write at most {COMMENT_MAX_CHARS} characters."},
    )
