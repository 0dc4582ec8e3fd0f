"""English phrases of the admin's own pages (Django's admin, django-simple-history,
django-tables2, django-nested-admin, django-axes) that must not appear on a Japanese page.

Matched case-sensitively as whole words, so that codes (K001), formats (CSV, UTF-8) and user
names (demo-shonin) do not count. Shared by the browser test and tools/screenshots.py."""

import re

ENGLISH_PHRASES = (
    # django.contrib.admin
    "Django administration",
    "Django site admin",
    "Site administration",
    "Welcome",
    "View site",
    "Change password",
    "Log out",
    "Log in",
    "Recent actions",
    "My actions",
    "None available",
    "Home",
    "Add",
    "Change",
    "Delete",
    "History",
    "Save",
    "Save and add another",
    "Save and continue editing",
    "Filter",
    "Clear all filters",
    "Search",
    "Action",
    "Go",
    "Select all",
    "Clear selection",
    "Show all",
    "Yes",
    "Unknown",
    "Any date",
    "Today",
    "Past 7 days",
    "This month",
    "This year",
    "results",
    "total",
    "Remove",
    "Add another",
    "This field is required",
    "Please correct",
    "Password",
    "Username",
    "Are you sure",
    "Permissions",
    "Groups",
    "Users",
    "Authentication and Authorization",
    "Page not found",
    "Not Found",
    "Server Error",
    "Forbidden",
    "Bad Request",
    "Service Unavailable",
    # django-simple-history
    "Object",
    "Date/time",
    "Comment",
    "Changed by",
    "Change reason",
    "Changes",
    "Created",
    "Changed",
    "Deleted",
    "entry",
    "entries",
    "View history",
    "Change history",
    "Revert",
    "This object doesn't have a change history",
    "pk=",
    "None",
    # django-tables2's pager
    "Previous",
    "Next",
    "previous",
    "next",
    "of",
    # django-axes
    "Account locked",
    "too many login attempts",
)
_PATTERN = re.compile(
    "|".join(rf"(?<![A-Za-z]){re.escape(p)}(?![A-Za-z])" for p in ENGLISH_PHRASES)
)


def english_phrases(text: str) -> list[str]:
    """The known English phrases found in a page's visible text, each once, in order."""
    return list(dict.fromkeys(match.group(0) for match in _PATTERN.finditer(text)))
