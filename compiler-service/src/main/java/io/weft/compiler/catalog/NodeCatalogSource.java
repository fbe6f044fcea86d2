package io.weft.compiler.catalog;

import io.smallrye.mutiny.Uni;

/** Where the compiler's node types come from. */
public interface NodeCatalogSource {

    /** The current catalog; fails with a 503 problem when there is none yet and it cannot be fetched. */
    Uni<NodeTypes> current();
}
