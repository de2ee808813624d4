from quizzes.urls_check import urlpatterns as check_patterns
from quizzes.urls_classes import urlpatterns as class_patterns
from quizzes.urls_play import urlpatterns as play_patterns

app_name = "quizzes"

urlpatterns = [*play_patterns, *class_patterns, *check_patterns]
