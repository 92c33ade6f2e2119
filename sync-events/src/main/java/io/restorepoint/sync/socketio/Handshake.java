package io.restorepoint.sync.socketio;

import io.restorepoint.web.envelope.ApiException;

import java.util.Map;

/**
 * The handshake {@code auth} payload of a Socket.IO connection to {@code /sync/io}:
 * {@code {JWT: <token>, cc_cursor?: n, project?: gid, cursor?: m}} ({@code "cc.cursor"} is read as well, as in
 * {@code /sync/get}). A missing cursor means "from now on" (see {@code docs/design/0009-socket-io-endpoint.md}).
 *
 * @param jwt           the caller's token, or null when none was sent
 * @param ccCursor      the last cc cursor the client has, or null
 * @param project       the project whose stream is wanted, or null
 * @param projectCursor the last cursor of that project's stream the client has, or null
 */
record Handshake(String jwt, Long ccCursor, String project, Long projectCursor) {

    /** @throws ApiException 422 when a field has the wrong type */
    static Handshake of(Object auth) {
        if (!(auth instanceof Map<?, ?> map)) {
            return new Handshake(null, null, null, null);
        }
        Object jwt = map.get("JWT");
        Object project = map.get("project");
        if (project != null && !(project instanceof String)) {
            throw ApiException.unprocessable("project must be a project gid", Map.of("parameter", "project"));
        }
        String gid = project == null || ((String) project).isBlank() ? null : (String) project;
        return new Handshake(jwt instanceof String s && !s.isBlank() ? s : null,
                cursor(map, map.containsKey("cc.cursor") ? "cc.cursor" : "cc_cursor"), gid, cursor(map, "cursor"));
    }

    /** The token of an {@code authorization} event: {@code {JWT: <token>}} or the token itself. */
    static String token(Object data) {
        if (data instanceof Map<?, ?> map && map.get("JWT") instanceof String s && !s.isBlank()) {
            return s;
        }
        return data instanceof String s && !s.isBlank() ? s : null;
    }

    private static Long cursor(Map<?, ?> map, String name) {
        Object value = map.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof Number n && (n instanceof Integer || n instanceof Long || n instanceof java.math.BigInteger)
                && n.longValue() >= 0) {
            return n.longValue();
        }
        throw ApiException.unprocessable(name + " must be a non-negative integer", Map.of("parameter", name));
    }
}
