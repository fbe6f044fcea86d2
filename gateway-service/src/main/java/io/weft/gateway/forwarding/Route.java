package io.weft.gateway.forwarding;

/**
 * A path prefix the gateway forwards to a service.
 *
 * @param authenticated false only for public entry points such as webhooks
 */
public record Route(String prefix, String upstream, boolean authenticated) {

    public boolean matches(String path) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }
}
