package io.dhcpshield.cli.api;

import picocli.CommandLine.Command;

/** {@code dpictl logout}: revokes the session's tokens at the API and forgets them. */
@Command(name = "logout", description = "Log out: revoke the session's tokens and delete the session file.")
public final class LogoutCommand extends ApiCommand {

    @Override
    int run(ApiClient api) throws Exception {
        try {
            api.post("/api/v1/auth/logout", null);
        } finally {
            Session.delete();
        }
        out.println("logged out");
        return 0;
    }
}
