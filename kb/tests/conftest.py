import pytest

from kb import services
from kb.models import Visibility


@pytest.fixture
def write(supervisor, capacity):
    """Write an article through the service, as the site does (a supervisor by default)."""

    def write_article(
        title="Kapasite raporunda prod kodu nasıl girilir",
        body="Prod kodunu **ürün** listesinden seçin.",
        *,
        by=supervisor,
        category=capacity,
        visibility=Visibility.PUBLIC,
        language="tr",
        article=None,
        slug="",
    ):
        return services.write(
            by=by,
            article=article,
            category=category,
            visibility=visibility,
            language=language,
            title=title,
            body=body,
            slug=slug,
        )

    return write_article
