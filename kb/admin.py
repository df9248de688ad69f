from django.contrib import admin

from .models import Article, Revision, Translation, Vote


class TranslationInline(admin.StackedInline):
    model = Translation
    extra = 0
    # Written in the site, where each save is a revision (services.write).
    readonly_fields = ["language", "title", "body", "edited_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["slug", "category", "visibility", "language", "published_at", "edited_at"]
    list_filter = ["visibility", "category", "language"]
    search_fields = ["slug", "translations__title"]
    inlines = [TranslationInline]
    readonly_fields = ["created_by", "from_ticket", "created_at", "published_at", "edited_at"]
    fields = ["slug", "category", "visibility", "language", *readonly_fields]


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    """The history is read here, never changed."""

    list_display = ["article", "language", "title", "visibility", "author", "created_at"]
    list_select_related = ["article", "author"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ["article", "useful", "comment", "created_at"]
    list_filter = ["useful"]
    list_select_related = ["article"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
