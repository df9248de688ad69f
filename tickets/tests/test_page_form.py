"""`{% page_form %}`: the ticket page's forms as crispy-forms' Bootstrap 5 pack draws
them: labels, required marks, refused fields, help, checkboxes, files, hidden fields,
and nothing a user typed or a message carries unescaped."""

import uuid

from django import forms
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from tickets.forms import MultipleFileField, PageForm
from tickets.templatetags import ticket_forms
from tickets.templatetags.ticket_forms import _drawn


class SampleForm(PageForm):
    body = forms.CharField(label="Message <b>", widget=forms.Textarea, help_text="Say <i>what</i>.")
    internal = forms.BooleanField(label="Internal note", required=False)
    document = forms.FileField(label="Document", required=False)
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        raise forms.ValidationError("Someone <script>changed</script> it.")


def draw(form):
    with translation.override("en"):
        template = Template("{% load ticket_forms %}{% page_form form %}")
        return template.render(Context({"form": form}))


def test_an_unbound_form_draws_labels_required_marks_help_and_widgets():
    html = draw(SampleForm(initial={"seen": "7"}))
    assert (
        '<div id="div_id_body" class="mb-3"><label for="id_body" class="form-label requiredField">'
        'Message &lt;b&gt;<span class="asteriskField">*</span></label><textarea'
    ) in html
    assert 'class="textarea form-control"' in html
    # Help text is the form's own markup, drawn as it is (as crispy-forms does).
    assert '<div id="id_body_helptext" class="form-text">Say <i>what</i>.</div>' in html
    assert (
        '<div class="mb-3"><div id="div_id_internal" class="form-check"><input type="checkbox" '
        'name="internal" class="checkboxinput form-check-input" id="id_internal">'
        '<label for="id_internal" class="form-check-label">Internal note</label>'
    ) in html
    assert '<div><input type="file" name="document" class="form-control" id="id_document">' in html
    assert '<input type="hidden" name="seen" value="7" id="id_seen">' in html
    assert "div_id_seen" not in html and "alert-danger" not in html and "is-invalid" not in html


def test_a_refused_form_says_why_beside_each_field_and_above_the_form():
    form = SampleForm({"body": "", "internal": "on"}, {})
    assert not form.is_valid()
    html = draw(form)
    assert (
        '<div class="alert alert-block alert-danger"><ul class="m-0">'
        "\t<li>Someone &lt;script&gt;changed&lt;/script&gt; it.</li></ul></div>"
    ) in html
    assert 'class="textarea form-control is-invalid"' in html
    assert (
        '<div id="id_body_error" class="invalid-feedback"><p id="error_1_id_body">'
        "<strong>This field is required.</strong></p></div>"
    ) in html
    assert "<script>" not in html


def test_a_refused_file_is_marked_around_its_widget():
    class FileForm(PageForm):
        document = forms.FileField(label="Document")

    html = draw(FileForm({}, {}))
    assert (
        '<div class="is-invalid"><input type="file" name="document" class="form-control is-invalid"'
    ) in html
    assert '<p id="error_1_id_document"><strong>This field is required.</strong></p>' in html


class ChoiceSample(PageForm):
    priority = forms.ChoiceField(label=_("Priority"), choices=[("low", "Low"), ("high", "High")])
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 2}))


def draw_in(language, form):
    with translation.override(language):
        template = Template("{% load ticket_forms %}{% page_form form %}")
        return template.render(Context({"form": form}))


def test_a_kept_form_is_drawn_as_a_fresh_one_and_apart_from_any_other():
    # given: drawn once, so that its HTML is kept
    first = draw_in("en", ChoiceSample(initial={"priority": "high"}))

    # when: the same form again, another value, more choices, another language
    again = draw_in("en", ChoiceSample(initial={"priority": "high"}))
    other_value = draw_in("en", ChoiceSample(initial={"priority": "low"}))
    more = ChoiceSample(initial={"priority": "high"})
    more.fields["priority"].choices = [*more.fields["priority"].choices, ("urgent", "Urgent")]
    more_choices = draw_in("en", more)
    turkish = draw_in("tr", ChoiceSample(initial={"priority": "high"}))

    # then: each as drawn afresh
    with translation.override("en"):
        assert first == again == str(_drawn(ChoiceSample(initial={"priority": "high"})))
    assert '<option value="high" selected>High</option>' in first
    assert '<option value="low" selected>Low</option>' in other_value
    assert '<option value="urgent">Urgent</option>' in more_choices
    assert "Urgent" not in first
    assert ">Öncelik<" in turkish and ">Priority<" in first


def test_a_refused_form_is_drawn_with_what_was_typed_never_a_kept_one():
    draw_in("en", ChoiceSample())
    html = draw_in("en", ChoiceSample({"priority": "high", "reason": ""}))
    assert '<option value="high" selected>High</option>' in html
    assert "This field is required." in html


class ReplySample(PageForm):
    body = forms.CharField(label="Message", widget=forms.Textarea)
    internal = forms.BooleanField(label="Internal note", required=False)
    documents = MultipleFileField(label="Documents")
    submission = forms.UUIDField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)


def test_a_kept_form_carries_each_forms_own_token_its_checkbox_and_its_files(monkeypatch):
    drawn = []
    monkeypatch.setattr(ticket_forms, "_kept", {})
    monkeypatch.setattr(ticket_forms, "_drawn", lambda form: drawn.append(form) or _drawn(form))

    # given: drawn once, so that its HTML is kept
    first_form = ReplySample()
    first = draw_in("en", first_form)

    # when: another form of the same kind, with its own token; one with its box ticked
    second_form = ReplySample()
    second = draw_in("en", second_form)
    ticked_form = ReplySample(initial={"internal": True})
    ticked = draw_in("en", ticked_form)

    # then: the second drawn from the first's HTML, with its own token
    assert drawn == [first_form, ticked_form]
    tokens = [str(form["submission"].value()) for form in (first_form, second_form)]
    assert tokens[0] != tokens[1]
    assert f'name="submission" value="{tokens[0]}"' in first and tokens[1] not in first
    assert f'name="submission" value="{tokens[1]}"' in second and tokens[0] not in second
    with translation.override("en"):
        assert second == str(_drawn(second_form))
    assert '<input type="file" name="documents" multiple class="form-control"' in second
    assert "\x00" not in second
    assert 'id="id_internal" checked>' in ticked and 'id="id_internal">' in second


def test_a_token_field_holding_something_else_is_drawn_with_what_it_holds():
    odd = [ReplySample(initial={"submission": f"a&b{n}"}) for n in (1, 2)]
    drawn = [draw_in("en", form) for form in odd]
    assert 'name="submission" value="a&amp;b1"' in drawn[0]
    assert 'name="submission" value="a&amp;b2"' in drawn[1]


def test_a_list_of_checkboxes_is_drawn_by_crispy_forms_itself():
    class TopicsForm(PageForm):
        subject = forms.CharField(label="Subject")
        topics = forms.MultipleChoiceField(
            label="Topics", choices=[("tax", "Tax")], widget=forms.CheckboxSelectMultiple
        )

    html = " ".join(draw(TopicsForm()).split())

    assert '<fieldset> <legend class="form-label requiredField fs-6"> Topics<span' in html
    assert '<input type="checkbox" class="form-check-input" name="topics" value="tax"' in html
    assert 'class="textinput form-control"' in html
