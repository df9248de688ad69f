from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.throttle import client_address
from common import storage

from . import markdown, selectors, services
from .forms import ArticleForm, FileForm, SearchForm, VoteForm
from .models import Article, File, Visibility
from .permissions import can_write, can_write_any

# Links from the new-ticket form's suggestions carry this, so that opening one can
# count as a deflection (services.record_view).
FROM_SUGGESTION = "suggest"


@login_not_required
@require_GET
def kb_index(request):
    form = SearchForm(request.GET or None)
    query, category = "", None
    if form.is_valid():
        query, category = form.cleaned_data["q"], form.cleaned_data["category"]
    from_form = request.GET.get("from") == FROM_SUGGESTION
    return render(
        request,
        "kb/index.html",
        {
            "form": form,
            "query": query,
            "category": category,
            "categories": selectors.categories(request.user),
            "articles": selectors.index(request.user, query=query, category=category),
            "from_suggestion": from_form,
            "can_write": can_write_any(request.user),
        },
    )


def _readable_article(request, slug) -> Article:
    """The article if this reader may see it; an anonymous reader of a members' article
    is sent to sign in; anything else they may not see is 404."""
    article = selectors.readable(request.user).filter(slug=slug).first()
    if article is None:
        raise Http404
    return article


@login_not_required
@require_GET
def article_detail(request, slug):
    article = selectors.readable(request.user).filter(slug=slug).first()
    if article is None:
        members_only = Article.objects.filter(slug=slug, visibility=Visibility.MEMBERS)
        if not request.user.is_authenticated and members_only.exists():
            return redirect_to_login(request.get_full_path())
        raise Http404
    services.record_view(
        article,
        user=request.user,
        from_suggestion=request.GET.get("from") == FROM_SUGGESTION,
    )
    shown = selectors.shown_translation(article)
    writer = can_write(request.user, article.category)
    return render(
        request,
        "kb/article.html",
        {
            "article": article,
            "shown": shown,
            "html": markdown.render(shown.body) if shown else "",
            "related": selectors.related(article, request.user),
            "vote_form": VoteForm(),
            "share_url": request.build_absolute_uri(article.get_absolute_url()),
            "can_write": writer,
            "votes": selectors.votes(article) if writer else None,
        },
    )


@login_not_required
@require_POST
def article_vote(request, slug):
    article = _readable_article(request, slug)
    form = VoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose yes or no (a comment may hold 1000 characters)."))
    elif services.vote(
        article,
        user=request.user,
        address=client_address(request),
        useful=form.cleaned_data["useful"],
        comment=form.cleaned_data["comment"],
    ):
        messages.success(request, _("Thank you for your answer."))
    else:
        messages.info(request, _("Your answer was already recorded."))
    return redirect(article)


@require_GET
def kb_suggest(request):
    """Articles for the new-ticket form as the member types: a few, in one fixed set of
    queries."""
    query = request.GET.get("q", "")[:200]
    try:
        category_id = int(request.GET.get("category", ""))
    except ValueError:
        category_id = None
    rows = selectors.suggestions(request.user, query=query, category_id=category_id)
    return JsonResponse(
        {
            "results": [
                {
                    "title": article.shown.title if article.shown else article.slug,
                    "category": str(article.category),
                    "url": f"{article.get_absolute_url()}?from={FROM_SUGGESTION}",
                }
                for article in rows
            ]
        }
    )


def _writing_page(request, form, article=None, *, preview=None, from_ticket=None):
    return render(
        request,
        "kb/form.html",
        {
            "form": form,
            "article": article,
            "preview": preview,
            "from_ticket": from_ticket,
            "files": article.files.all() if article else (),
            "file_form": FileForm(),
        },
    )


def _save(request, form, article=None, *, from_ticket=None):
    """Show the preview, or save and go to the article."""
    data = form.cleaned_data
    if "preview" in request.POST:
        preview = markdown.render(data["body"])
        return _writing_page(request, form, article, preview=preview, from_ticket=from_ticket)
    article = services.write(
        by=request.user,
        article=article,
        category=data["category"],
        visibility=data["visibility"],
        language=data["language"],
        title=data["title"],
        body=data["body"],
        slug=data.get("slug", ""),
        from_ticket=from_ticket,
    )
    messages.success(request, _("The article was saved."))
    return redirect(article)


@require_http_methods(["GET", "POST"])
def article_create(request):
    if not can_write_any(request.user):
        raise Http404
    initial = {"language": request.LANGUAGE_CODE, "category": request.GET.get("category")}
    # From ticket to article: the resolved ticket's subject and explanation, as a draft
    # that the writer edits (personal data is theirs to leave out).
    ticket = selectors.source_ticket(request.user, request.GET.get("ticket", ""))
    if ticket is not None:
        initial.update(
            category=ticket.category_id,
            visibility=Visibility.DRAFT,
            title=ticket.subject,
            body=ticket.explanation,
        )
    form = ArticleForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        return _save(request, form, from_ticket=ticket)
    return _writing_page(request, form, from_ticket=ticket)


@require_http_methods(["GET", "POST"])
def article_edit(request, slug):
    article = _readable_article(request, slug)
    if not can_write(request.user, article.category):
        raise Http404
    language = request.GET.get("language") or selectors.shown_translation(article).language
    current = next((t for t in article.translations.all() if t.language == language), None)
    initial = {"category": article.category_id, "visibility": article.visibility}
    initial["language"] = language
    if current is not None:
        initial.update(title=current.title, body=current.body)
    form = ArticleForm(request.POST or None, user=request.user, article=article, initial=initial)
    if request.method == "POST" and form.is_valid():
        return _save(request, form, article)
    return _writing_page(request, form, article)


@require_GET
def article_history(request, slug):
    article = _readable_article(request, slug)
    if not can_write(request.user, article.category):
        raise Http404
    return render(
        request,
        "kb/history.html",
        {"article": article, "revisions": selectors.history(article)},
    )


@require_POST
def article_upload(request, slug):
    article = _readable_article(request, slug)
    if not can_write(request.user, article.category):
        raise Http404
    form = FileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to upload."))
    else:
        try:
            services.attach(article, by=request.user, upload=form.cleaned_data["file"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The file was uploaded: copy its line into the text."))
    return redirect("kb:edit", slug=article.slug)


@login_not_required
@require_GET
def file_download(request, pk):
    stored = (
        File.objects.filter(pk=pk, article__in=Article.objects.visible_to(request.user))
        .select_related("article")
        .first()
    )
    if stored is None:
        raise Http404
    try:
        handle = stored.file.open("rb")
        handle.read(0)  # an object store answers on the first read: fail here, not midway
    except FileNotFoundError:
        raise Http404 from None
    except storage.STORE_ERRORS:
        stored.file.close()
        return render(
            request,
            "503.html",
            {"message": _("The document cannot be fetched just now. Try again in a few minutes.")},
            status=503,
        )
    response = FileResponse(
        handle,
        as_attachment=not stored.is_image,
        filename=stored.download_name,
        content_type=stored.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    if stored.is_image:
        # Shown inline in the article, but never allowed to run anything.
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
