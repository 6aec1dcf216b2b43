"""`guardian policy explain`, `guardian safesearch` and `guardian profile details`."""

from __future__ import annotations

import argparse

from sqlalchemy import select

from guardian.cli.context import CliContext, print_json
from guardian.conduct import load_catalog
from guardian.errors import UsageError
from guardian.explain import ProfileFacts, explain
from guardian.storage.models import AllowedHours, Budget, Profile, ProfileDetails
from guardian.storage.policy_version import bump_policy_version
from guardian.storage.profiles import find_profile

DETAIL_FIELDS = ("full_name", "phone", "address", "school", "id_number")


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    policy = commands.add_parser("policy", help="the Code of Conduct and what Guardian does")
    actions = policy.add_subparsers(dest="policy_command", metavar="COMMAND", required=True)
    explain_cmd = actions.add_parser(
        "explain", help="each rule of the code, what Guardian does for it, and if it is on")
    explain_cmd.add_argument("--profile", metavar="NAME")
    explain_cmd.add_argument("--language", choices=("vi", "en"),
                             help="default: the child's language, else English")
    explain_cmd.add_argument("--json", action="store_true")
    explain_cmd.set_defaults(handler=explain_command)

    safesearch = commands.add_parser("safesearch", help="safe search and YouTube Restricted Mode")
    safesearch.add_argument("profile")
    safesearch.add_argument("state", choices=("on", "off"))
    safesearch.add_argument("--youtube", choices=("strict", "moderate", "off"))
    safesearch.add_argument("--signup", choices=("ask-parent", "open"),
                            help="social network sign-up pages: the child asks a parent first, "
                                 "or they are open (the preset asks under 16)")
    safesearch.set_defaults(handler=safesearch_command)


def register_details(profile_actions: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    details = profile_actions.add_parser(
        "details", help="a child's own details, so Guardian can warn before they are sent")
    details.add_argument("name")
    for field in DETAIL_FIELDS:
        details.add_argument(f"--{field.replace('_', '-')}", dest=field, metavar="TEXT")
    details.add_argument("--send-anyway", choices=("allowed", "not-allowed"),
                         help="may the child send them anyway after the warning?")
    details.add_argument("--clear", action="store_true", help="forget all recorded details")
    details.set_defaults(handler=details_command)


def profile_facts(session, profile: Profile) -> ProfileFacts:  # type: ignore[no-untyped-def]
    budgets = session.scalars(select(Budget).where(Budget.profile_id == profile.id)).all()
    details = session.get(ProfileDetails, profile.id)
    return ProfileFacts(
        name=profile.name,
        blocked=frozenset(s.category_code for s in profile.category_settings if s.blocked),
        safe_search=profile.safe_search,
        youtube=profile.youtube,
        has_details=details is not None and any(getattr(details, f) for f in DETAIL_FIELDS),
        budgets=frozenset((b.scope, b.key) for b in budgets),
        has_hours=session.scalars(select(AllowedHours.id).where(
            AllowedHours.profile_id == profile.id)).first() is not None,
        social_signup=profile.social_signup,
    )


def explain_command(args: argparse.Namespace, context: CliContext) -> int:
    facts = None
    language = args.language or "en"
    if args.profile:
        with context.db().begin() as session:
            profile = find_profile(session, args.profile)
            facts = profile_facts(session, profile)
            language = args.language or profile.language
    rows = explain(load_catalog(), language, facts)
    if args.json:
        print_json([{
            "id": r.id, "article": r.article, "enforcement": r.enforcement, "text": r.text,
            "state": r.state, "features": {f: s for f, s in r.features},
        } for r in rows])
        return 0
    marks = {"on": "[on]", "partly": "[partly]", "off": "[off]", "not_yet": "[not yet]"}
    for r in rows:
        print(f"{r.id:12} {marks[r.state]:10} {r.text}")
        built = [f"{f} ({s.replace('_', ' ')})" for f, s in r.features]
        print(f"{'':12} {'':10} Guardian: {', '.join(built)}")
    return 0


def safesearch_command(args: argparse.Namespace, context: CliContext) -> int:
    with context.db().begin() as session:
        profile = find_profile(session, args.profile)
        profile.safe_search = args.state == "on"
        if args.youtube:
            profile.youtube = args.youtube
        if args.signup:
            profile.social_signup = args.signup == "ask-parent"
        bump_policy_version(session)
        youtube = profile.youtube
        signup = "ask a parent" if profile.social_signup else "open"
    print(f"{args.profile}: safe search {args.state}, YouTube Restricted Mode {youtube}, "
          f"social network sign-ups {signup}")
    return 0


def details_command(args: argparse.Namespace, context: CliContext) -> int:
    given = {f: getattr(args, f) for f in DETAIL_FIELDS if getattr(args, f) is not None}
    if not given and not args.clear and args.send_anyway is None:
        raise UsageError("give at least one detail, e.g. --phone 0912345678, or --clear")
    for field, value in given.items():
        if len(value) > 200:
            raise UsageError(f"--{field.replace('_', '-')} is too long")
        if field in ("phone", "id_number") and sum(c.isdigit() for c in value) < 8:
            raise UsageError(f"--{field.replace('_', '-')} needs at least 8 digits")
    with context.db().begin() as session:
        profile = find_profile(session, args.name)
        details = session.get(ProfileDetails, profile.id)
        if details is None:
            details = ProfileDetails(profile_id=profile.id, full_name="", phone="", address="",
                                     school="", id_number="")
            session.add(details)
        for field in DETAIL_FIELDS if args.clear else ():
            setattr(details, field, "")
        for field, value in given.items():
            setattr(details, field, value.strip())
        if args.send_anyway is not None:
            profile.details_send_anyway = args.send_anyway == "allowed"
        recorded = [f for f in DETAIL_FIELDS if getattr(details, f)]
        bump_policy_version(session)
    # Never echo the details themselves: terminals are logged and shared.
    print(f"{args.name}: Guardian warns before these are sent: "
          f"{', '.join(recorded) or 'nothing recorded'}")
    return 0
