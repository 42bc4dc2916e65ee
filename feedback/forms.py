"""What the two steps of "Was this helpful?" accept: anything else is a 400."""

from __future__ import annotations

from django import forms

from feedback.models import COMMENT_MAX_CHARS, Vote


class VoteForm(forms.Form):
    helpful = forms.ChoiceField(choices=[("yes", "Yes"), ("no", "No")])


class CommentField(forms.CharField):
    """The reason's text, each line break (sent as CRLF) made one LF before its length is
    checked: browsers count a textarea's line break as one character for `maxlength`
    and send two, so a comment the form let the reader finish would be refused."""

    def to_python(self, value) -> str:
        return super().to_python(value).replace("\r\n", "\n")


class ReasonForm(forms.Form):
    token = forms.CharField(max_length=64, error_messages={"required": "This form has expired."})
    reason = forms.ChoiceField(
        choices=[("", "No reason"), *Vote.Reason.choices],
        required=False,
        error_messages={"invalid_choice": "Choose one of the reasons listed."},
    )
    comment = CommentField(
        max_length=COMMENT_MAX_CHARS,
        required=False,
        error_messages={"max_length": f"Write at most {COMMENT_MAX_CHARS} characters."},
    )
