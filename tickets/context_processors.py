"""What every page's templates may say in the viewer's words."""

from django.utils.functional import SimpleLazyObject

from . import filing


def wording(request):
    """`category_label`: "Unit" for the agency's people, "Category" for the others;
    worked out only on the pages that show it."""

    def label():
        return filing.category_label(filing.viewer_organisation(getattr(request, "user", None)))

    return {"category_label": SimpleLazyObject(label)}
