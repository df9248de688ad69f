from django.urls import path

from . import views

app_name = "satisfaction"

urlpatterns = [path("<str:token>/", views.survey_answer, name="survey")]
