package io.weft.logs.api;

import io.weft.platform.api.Paging;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Where a newest-first page ended: the last entry's time and id, given out as {@link Paging}'s opaque cursor. */
public record Keyset(OffsetDateTime at, String id) {

    public static Keyset of(Instant at, String id) {
        return new Keyset(at.atOffset(ZoneOffset.UTC), id);
    }

    /** The position a cursor names, or null without one (400 for a cursor this API did not give out). */
    public static Keyset decode(String cursor) {
        Paging.Position position = Paging.decode(cursor);
        return position == null ? null : of(position.at(), position.id());
    }

    public String encode() {
        return Paging.encode(at.toInstant(), id);
    }
}
