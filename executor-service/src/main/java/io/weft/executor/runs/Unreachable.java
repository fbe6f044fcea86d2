package io.weft.executor.runs;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

/** Whether a failure means "a dependency cannot be reached right now" (worth waiting for) rather than a bug. */
final class Unreachable {

    private Unreachable() {
    }

    static boolean is(Throwable failure) {
        for (Throwable at = failure; at != null; at = at.getCause()) {
            if (at instanceof ConnectException || at instanceof TimeoutException || at instanceof io.smallrye.mutiny.TimeoutException
                    || at instanceof io.netty.channel.ConnectTimeoutException
                    || at instanceof io.vertx.core.VertxException && String.valueOf(at.getMessage()).toLowerCase().contains("connection")
                    || at.getClass().getSimpleName().equals("ClosedConnectionException")) {
                return true;
            }
            if (at.getCause() == at) {
                break;
            }
        }
        return false;
    }
}
