package io.weft.platform.health;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/** Turns one round trip to a dependency into a readiness answer named after the dependency. */
final class Probes {
    private Probes() {
    }

    static Uni<HealthCheckResponse> probe(String dependency, String target, Duration timeout, Supplier<Uni<?>> call) {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named(dependency).withData("target", target);
        return Uni.createFrom().deferred(call)
                .ifNoItem().after(timeout).failWith(() -> new TimeoutException("no answer within " + timeout.toMillis() + " ms"))
                .map(ignored -> builder.up().build())
                .onFailure().recoverWithItem(failure -> builder.down().withData("error", describe(failure)).build());
    }

    /** {@code postgresql://user:secret@host:5432/db?x=y} → {@code host:5432/db}: never credentials in answers. */
    static String withoutCredentials(String url) {
        String rest = url.replaceFirst("^[a-z:]*//", "");
        rest = rest.substring(rest.lastIndexOf('@') + 1);
        int query = rest.indexOf('?');
        return query < 0 ? rest : rest.substring(0, query);
    }

    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.length() > 300 ? message.substring(0, 300) + "…" : message;
    }
}
