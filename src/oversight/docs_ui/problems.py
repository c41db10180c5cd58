"""What each problem `type` means: the page its URI resolves to (`/problems/<name>`)."""

from html import escape

# slug -> (title, what it means, what to do)
PROBLEMS: dict[str, tuple[str, str, str]] = {
    "bad-request": (
        "Bad Request",
        "The request is malformed: an unknown query parameter, a cursor that is not valid "
        "for this list, text holding NUL, or a parameter of the wrong form.",
        "Read `detail`, correct the request and send it again.",
    ),
    "unauthorized": (
        "Unauthorized",
        "No valid access token came with the request, or it has expired or been revoked.",
        "Obtain a token at `POST /api/v1/auth/token` and send it as `Authorization: Bearer`.",
    ),
    "forbidden": (
        "Forbidden",
        "The caller is known but may not do this: its token lacks the scope, or its role "
        "or agency does not allow the change.",
        "Ask an administrator of your agency for the role or scope it needs.",
    ),
    "not-found": (
        "Not Found",
        "No such resource, or one the caller may not read: both answer the same.",
        "Check the id; if someone shared it with you, ask them to check its classification.",
    ),
    "method-not-allowed": (
        "Method Not Allowed",
        "The path exists but does not take this method; `Allow` lists those it takes.",
        "Use one of the methods in the `Allow` header.",
    ),
    "not-acceptable": (
        "Not Acceptable",
        "The response cannot be given in a media type the request's `Accept` allows: the "
        "TAXII feed answers only `application/taxii+json;version=2.1`.",
        "Send `Accept: application/taxii+json;version=2.1` (or `application/taxii+json`).",
    ),
    "request-timeout": (
        "Request Timeout",
        "The request body did not arrive in time.",
        "Send the whole body promptly; retry on a better connection.",
    ),
    "conflict": (
        "Conflict",
        "The change conflicts with the resource's current state (a duplicate, a step out of "
        "order, a record that already exists).",
        "Read the resource again, then decide.",
    ),
    "precondition-failed": (
        "Precondition Failed",
        "The resource changed since you read it: `If-Match` names an older version.",
        "Read it again (its `ETag`), reapply your change and send it with the new `If-Match`.",
    ),
    "payload-too-large": (
        "Payload Too Large",
        "The body is larger than the service takes (1 MiB).",
        "Send less: split the change, or shorten long texts.",
    ),
    "unsupported-media-type": (
        "Unsupported Media Type",
        "The body is not in a media type this endpoint takes (JSON in UTF-8, or a form for "
        "the token endpoint).",
        "Send `Content-Type: application/json` (UTF-8).",
    ),
    "validation-error": (
        "Unprocessable Content",
        "The body is well formed but a field is invalid; `errors` lists each with its place.",
        "Correct the fields listed in `errors[].loc`.",
    ),
    "precondition-required": (
        "Precondition Required",
        "This change needs `If-Match`, so nothing is overwritten unseen.",
        "Read the resource, then send its `ETag` as `If-Match`.",
    ),
    "too-many-requests": (
        "Too Many Requests",
        "Too many attempts (logins for an account, token requests from an address).",
        "Wait the `Retry-After` seconds, then try again.",
    ),
    "service-unavailable": (
        "Service Unavailable",
        "The service is busy or its database is not ready.",
        "Retry after the `Retry-After` seconds.",
    ),
    "oauth-error": (
        "OAuth error",
        "The token endpoint refused the request; `error` holds the RFC 6749 code "
        "(`invalid_grant`, `invalid_client`, `invalid_scope`, ...).",
        "Check the credentials and the grant; a wrong password and an unknown email answer "
        "the same.",
    ),
    "error": (
        "Error",
        "An HTTP error with no more specific type; its `status` and `detail` say what failed.",
        "Read `status` and `detail`; quote `request_id` if you report it.",
    ),
    "internal-error": (
        "Internal Server Error",
        "Something failed on our side; nothing was changed.",
        "Retry later; quote `request_id` when you report it.",
    ),
}


def page(slug: str) -> str | None:
    found = PROBLEMS.get(slug)
    if found is None:
        return None
    title, meaning, action = (escape(x) for x in found)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} · Oversight API</title></head>
<body><main>
<h1>{title}</h1>
<p><code>/problems/{escape(slug)}</code></p>
<p>{meaning}</p>
<h2>What to do</h2>
<p>{action}</p>
<p>Every problem answer also carries <code>request_id</code>: quote it to the service desk.
See <a href="/docs">the API documentation</a>.</p>
</main></body></html>
"""
