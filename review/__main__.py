"""`make review-report`: the counsellor's review as text, for a terminal, a cron job or an e-mail.

    python -m review report [--days 7] [--endpoints endpoints.yml]
    python -m review add INTENT "le message manqué"      # teach it (make train afterwards)
    python -m review ignore "le message manqué"          # hide it from the review
"""

import argparse
import sys
from typing import List, Optional

import settings
from review.render_text import review_of_store
from review.teaching import Refused, add_example, ignore


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m review", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    report = commands.add_parser("report", help="the review of the last DAYS days, as text")
    report.add_argument("--days", type=int, default=7, help="the period, in days up to now (default 7)")
    report.add_argument("--endpoints", default=settings.value_of("ENDPOINTS"),
                        help="the endpoints file naming the conversation store")
    add = commands.add_parser("add", help="add a missed message as a training example of INTENT")
    add.add_argument("intent")
    add.add_argument("text")
    hide = commands.add_parser("ignore", help="hide a missed message from the review")
    hide.add_argument("text")
    args = parser.parse_args(argv)
    if args.command == "add":
        try:
            written = add_example(args.intent, args.text)
        except Refused as refusal:
            print(f"Refusé : {refusal}", file=sys.stderr)
            return 1
        print(f"Ajouté à {args.intent} : « {written} ». Lancez `make train` pour que l'assistant l'apprenne.")
        return 0
    if args.command == "ignore":
        ignore(args.text)
        print("Ce message n'apparaîtra plus dans la revue.")
        return 0
    if args.days < 1:
        parser.error("--days must be 1 or more")
    import sqlalchemy as sa

    from maintenance.retention import ConfigurationError

    try:
        print(review_of_store(args.endpoints, args.days))
    except ConfigurationError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except sa.exc.OperationalError as error:
        print(f"error: database unreachable: {error.orig}", file=sys.stderr)  # not the SQL statement
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
