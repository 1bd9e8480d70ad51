"""Who is asking: the one way an API view (or an admin page) names the signed-in person, and
hands them to serializers that shape an answer for them.

Kept apart from `accounts.authentication`: DRF reads its authentication classes while
`rest_framework.views` is being imported, so that module must not import DRF's views."""

from django.http import HttpRequest
from rest_framework.exceptions import NotAuthenticated
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request

from accounts.models import User


def person_of(request: Request | HttpRequest) -> User:
    """The signed-in person a request acts for. API views sit behind IsAuthenticated and
    admin pages behind the admin login, so an anonymous caller never gets here; if one ever
    did, the answer is the usual 401, not a half-typed AnonymousUser."""
    user = request.user
    if not isinstance(user, User):
        raise NotAuthenticated()
    return user


# Answers shaped for the person asking (what is theirs, what is the partner's) read
# `context["viewer"]` in their serializers; a view puts the viewer there in this one place and
# builds every serializer with `self.get_serializer_context()`. (A comment, not a docstring:
# the OpenAPI schema would show a docstring as the description of views that have none.)
class ViewerContextMixin(GenericAPIView):
    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "viewer": person_of(self.request)}
