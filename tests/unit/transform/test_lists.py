"""The list repairs (ingest/lists.py): wikiGDrive's lists, read by CommonMark as the doc has them."""

from __future__ import annotations

import pytest

from ingest.markup import parser
from ingest.transform.lists import repair_lists

CASES = [
    # label, as exported, as repaired
    ("a list numbered on from 3 under a paragraph line", "Later:\n3. Sign\n4. Send", "Later:\n\n3. Sign\n4. Send"),
    ("a sub-list numbered on under its step", "5. Locate the boxes:\n   10. Send\n   11. Receive",
     "5. Locate the boxes:\n\n   10. Send\n   11. Receive"),
    ("a sub-item 3 spaces in under a wide marker", "   11. Trigger date:\n      1. Date of birth",
     "   11. Trigger date:\n       1. Date of birth"),
    ("a sub-item 9 spaces in under a bullet", "* Referrals\n         * Case notes", "* Referrals\n  * Case notes"),
    ("content under a wide marker after a blank line", "10. Ten\n\n   ![](a.png)", "10. Ten\n\n    ![](a.png)"),
    ("a list right after a table", "<table>\n<tr><td>x</td></tr>\n</table>\n* After",
     "<table>\n<tr><td>x</td></tr>\n</table>\n\n* After"),
    ("an item after a raw pre on its line", "<pre>x</pre>2. File", "<pre>x</pre>\n2. File"),
    ("a shortcode put before the number", "{{% sys-name %}}1.  creates a copy", "1. {{% sys-name %}} creates a copy"),
]


@pytest.mark.parametrize("label, exported, repaired", CASES, ids=[c[0] for c in CASES])
def test_repair(label, exported, repaired):
    assert repair_lists(exported) == repaired
    assert repair_lists(repaired) == repaired  # once is enough


@pytest.mark.parametrize("text", [
    "1. One\n2. Two\n   * sub\n3. Three",                  # CommonMark already reads it as meant
    "Intro\n1. One\n2. Two",                              # a list from 1 may follow a paragraph line
    "Text\n* bullet",                                     # so may a bulleted one
    "```\nStep:\n3. inside code\n```",                    # code is code
    "<div>\nStep:\n3. inside raw HTML\n</div>",           # raw HTML is raw HTML
    "1. One\n\n   ```\n   code\n   ```\n2. Two",          # a fence in a step
    "## Heading\n3. a list after a heading",              # a heading is no paragraph
    "Costs 3. 5 dollars",                                 # no list marker at the start of a line
], ids=["good list", "from 1", "bullets", "code", "raw HTML", "fence in a step", "after a heading", "no marker"])
def test_leaves_alone(text):
    assert repair_lists(text) == text


def test_repaired_lists_are_lists():
    html = parser().render(repair_lists("Later:\n3. Sign\n4. Send\n\n   11. Trigger:\n      1. Date"))
    assert html.count("<li>") == 4 and "3. Sign" not in html

