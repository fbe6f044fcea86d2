package io.weft.platform.problems;

import java.util.List;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSourceProvider;

/**
 * Turns off Quarkus' check of the request URI, which answers a URI that {@link java.net.URI} cannot
 * parse (a broken escape such as {@code %zz}) with an empty 400 before any route runs, so that
 * {@link ProblemRoutes}' first route refuses it with a problem instead. Quarkus reads the switch, a
 * system property, when it builds its HTTP root handler; configuration sources are loaded before
 * that in every launch mode (tests included), which is why the property is set from here. It adds
 * no configuration.
 */
public class UriCheckedHere implements ConfigSourceProvider {
    static {
        System.setProperty("vertx.disableURIValidation", "true");
    }

    @Override
    public Iterable<ConfigSource> getConfigSources(ClassLoader forClassLoader) {
        return List.of();
    }
}
