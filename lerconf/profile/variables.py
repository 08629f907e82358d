"""``${VAR}`` in a vendor profile: secrets and ports come from the environment, never the file."""
from __future__ import annotations

import os
import re
from collections.abc import Mapping

from lerconf.errors import ProfileError

__all__ = ["expand_variables"]


_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_COMMENT = re.compile(r"(?:^|\s)#(?=(?:[^\"']|\"[^\"]*\"|'[^']*')*$)")


def expand_variables(text: str, source: str, env: Mapping[str, str] | None = None) -> str:
    """Replace ${NAME} with the environment variable's value (e.g. a staging base URL).

    Secrets are not meant for this: name them with *_env fields, which are never expanded into
    the profile and so never appear in its public view.
    """
    values = os.environ if env is None else env

    def sub(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            hint = ("; this is the embedded reference's own profile: start it with `lerconf serve --tls "
                    "--allow-loopback --profile-out served.yaml` and pass served.yaml to --vendor (README: "
                    "\"Run a vendor next to the reference\"), or export LERCONF_REFERENCE_PORT=<port of lerconf serve>"
                    ) if name == "LERCONF_REFERENCE_PORT" else ""
            raise ProfileError(f"{source}: environment variable {name} is not set (used as ${{{name}}}){hint}")
        return values[name]

    out = []
    for line in text.splitlines(keepends=True):
        comment = _COMMENT.search(line)
        code, rest = (line[: comment.start()], line[comment.start():]) if comment else (line, "")
        out.append(_VARIABLE.sub(sub, code) + rest)  # comments are left alone
    return "".join(out)
