package io.weft.gateway.forwarding;

import java.util.List;
import java.util.Optional;

/** The public API of the fleet behind the gateway (docs/architecture.md, "The fleet"). */
public final class RouteTable {
    public static final List<Route> ROUTES = List.of(
            new Route("/api/orchestrator", "workflow", true),
            new Route("/api/streaming", "workflow", true),
            new Route("/webhook", "workflow", false),
            new Route("/api/compile", "compiler", true),
            new Route("/api/nodes", "executor", true),
            new Route("/api/executor", "executor", true),
            new Route("/api/inference", "inference", true),
            new Route("/api/credentials", "credentials", true),
            // Where OAuth2 providers send users back; the one-time state authenticates it.
            new Route("/oauth2/callback", "credentials", false),
            // An approval's signed approve and reject links (send and wait); the signature authenticates them.
            new Route("/approvals/respond", "workflow", false),
            new Route("/api/logs", "logs", true));

    private RouteTable() {
    }

    public static Optional<Route> find(String path) {
        return ROUTES.stream().filter(route -> route.matches(path)).findFirst();
    }
}
