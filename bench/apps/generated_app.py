"""The generated app (team_api.create_app, default options) with handlers over the in-memory fake.

getUser and createPost are implemented here; the other operations keep the example service's
implementations (never called by the benchmark). No database: __init__ takes no dependency."""

from __future__ import annotations

from team_api import models, runtime
from team_api.app import create_app
from team_api.handlers import CreatePostResult

from bench.apps import fake
from service.auth import AuthService
from service.chat import ChatService
from service.posts import PostsService
from service.system import SystemService
from service.users import UsersService


def _unauthorized() -> runtime.ApiError:
    return runtime.ApiError(401, models.Error(code="unauthorized", message="invalid token"))


def _not_found(what: str) -> runtime.ApiError:
    return runtime.ApiError(404, models.Error(code="not_found", message=f"no such {what}"))


class FakeUsers(UsersService):
    def __init__(self) -> None:
        pass

    async def get_user(self, *, user_id: int, credentials: runtime.Credentials) -> models.User:
        if not fake.token_ok(credentials.value):
            raise _unauthorized()
        found = fake.user(user_id)
        if found is None:
            raise _not_found("user")
        return models.User.model_validate(found)


class FakePosts(PostsService):
    def __init__(self) -> None:
        pass

    async def create_post(self, *, body: models.PostCreate, credentials: runtime.Credentials) -> CreatePostResult:
        if not fake.token_ok(credentials.value):
            raise _unauthorized()
        post = fake.add_post(body.author_id, body.content)
        if post is None:
            raise _not_found("author")
        return CreatePostResult(body=models.Post.model_validate(post), location=f"/posts/{post['id']}")


app = create_app(
    auth=AuthService,
    users=FakeUsers,
    posts=FakePosts,
    system=SystemService,
    chat=ChatService,  # not exercised by the bench; create_app needs every tag
    error_body=lambda status, code, message: models.Error(code=code, message=message),
)
