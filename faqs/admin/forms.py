"""The question's change form: the rules an editor is told about before a save."""

from __future__ import annotations

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.urls import reverse
from django.utils import timezone

from drafts.forms import DraftChangesForm
from editing.conflicts import EditConflictGuard
from faqs import content, tags
from faqs.admin.editor import answer_widget
from faqs.models import Question
from faqs.slugs import slug_from_title, unique_slug


class LabelledSplitDateTime(AdminSplitDateTime):
    """Django's date and time boxes, each with a name of its own: the admin prints
    "Date:" and "Time:" beside them without tying them to the inputs."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.widgets[0].attrs["aria-label"] = "Publication date (YYYY-MM-DD)"
        self.widgets[1].attrs["aria-label"] = "Publication time (HH:MM:SS)"


class QuestionAdminForm(DraftChangesForm, EditConflictGuard, forms.ModelForm):
    minor_edit = forms.BooleanField(
        required=False,
        label="Minor edit",
        help_text="A typo or formatting fix: the page keeps its “Updated” date, and search engines "
        "its last-modified date. Leave it unticked when the answer says something new.",
    )

    # The review step's message (review.admin shows it to whoever may take a step).
    review_message = forms.CharField(
        required=False,
        max_length=2000,
        label="Message for the editors",
        help_text="Sent with “Submit for review” to every editor who may publish.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Question
        fields = ["title", "slug"]  # the admin's fieldsets add the rest
        # A question is a sentence: give it the form's width, as WordPress's title box.
        widgets = {
            "title": forms.TextInput(attrs={"style": "width: min(100%, 48em)"}),
            # Ticks, not Django's two-box filter: its search icons carry labels no
            # screen reader may use (axe: aria-prohibited-attr), and a site has dozens of
            # categories, not thousands.
            "categories": forms.CheckboxSelectMultiple(attrs={"class": "category-choices"}),
            "published_at": LabelledSplitDateTime(),
        }
        # The limit is the form's rule (content.MAX_ANSWER_BYTES), so it is said here.
        help_texts = {
            "meta_description": "The snippet search engines show under the title: about 120–158 "
            "characters (the meter under the preview says). Left empty, it is derived from the "
            "excerpt or the first paragraph of the answer.",
            "content": f"{Question._meta.get_field('content').help_text} At most "
            f"{content.MAX_ANSWER_BYTES // 1000} KB of HTML.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "content" in self.fields:
            # Chosen from the stored answer, so a refused save reopens the same way.
            self.fields["content"].widget = answer_widget(self.instance.content)
        if "tags" in self.fields:
            suggestions = reverse("admin:faqs_question_tag_suggestions")
            self.fields["tags"].widget.attrs["data-tag-suggestions"] = suggestions

    def clean_slug(self) -> str:
        """A new question's taken slug gets -2, -3 … as in WordPress. Moving an existing
        question to a taken slug is refused: a move leaves a redirect and rewrites links,
        so it must go where the editor meant."""
        typed = self.cleaned_data.get("slug") or ""
        if not typed:
            return unique_slug(
                Question, slug_from_title(self.cleaned_data.get("title") or ""), exclude_pk=self.instance.pk
            )
        if self.instance.pk is None:
            return unique_slug(Question, typed)
        if self.instance.holds_slug(typed):
            return typed  # kept: its own address
        holder = Question.objects.filter(slug=typed).exclude(pk=self.instance.pk).first()
        if holder is not None:
            raise forms.ValidationError(
                f"“{holder.title}” already lives at this address. Choose another slug, "
                "or leave it empty to make one from the title."
            )
        return typed

    def clean_content(self) -> str:
        answer = self.cleaned_data.get("content") or ""
        problem = content.answer_size_error(answer)
        if problem:
            raise forms.ValidationError(f"{problem} Split it into several questions.")
        return answer

    def clean_tags(self) -> list[str]:
        names = self.cleaned_data.get("tags") or []
        long_names = tags.too_long(names)
        if long_names:
            raise forms.ValidationError(
                f"A tag can have at most {tags.MAX_NAME_CHARS} characters; shorten “{long_names[0][:40]}…”."
            )
        return names

    def clean(self) -> dict:
        """A schedule needs a time to come: no date, or one already past, would publish
        the question at once, which is not what "Scheduled" promises."""
        data = super().clean()
        untouched = not {"status", "published_at"} & set(self.changed_data)
        if data.get("status") != Question.Status.SCHEDULED or untouched:
            return data  # re-saving a schedule that came due just publishes it
        when = data.get("published_at")
        if when is None:
            self.add_error("published_at", "Choose when this question goes public.")
        elif when <= timezone.now():
            self.add_error(
                "published_at",
                "This time has passed: choose a later one, or set the status to Published to publish now.",
            )
        return data
