from ninja import Router

from classroom import rules
from classroom.models import Site
from classroom.schemas import MeOut, SiteOut

router = Router(tags=["classroom"])


@router.get("/me", response=MeOut)
def me(request):
    user = request.user
    return {
        "username": user.get_username(),
        "name": user.get_full_name() or user.get_username(),
        "roles": sorted(rules.roles_of(user)),
    }


@router.get("/sites", response=list[SiteOut])
def sites(request):
    return Site.objects.visible_to(request.user)
