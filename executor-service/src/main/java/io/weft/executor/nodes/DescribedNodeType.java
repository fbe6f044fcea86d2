package io.weft.executor.nodes;

import io.weft.contracts.json.WeftJson;
import io.weft.contracts.nodes.NodeTypeDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** A node type whose descriptor is the JSON resource {@code /nodes/<type>.v<version>.json}. */
public abstract class DescribedNodeType implements NodeType {
    private final NodeTypeDescriptor descriptor;

    protected DescribedNodeType(String type, int version) {
        this.descriptor = load("/nodes/" + type + ".v" + version + ".json");
        if (!descriptor.type().equals(type) || descriptor.version() != version) {
            throw new IllegalStateException("descriptor resource of " + type + " v" + version + " describes "
                    + descriptor.type() + " v" + descriptor.version());
        }
    }

    @Override
    public NodeTypeDescriptor descriptor() {
        return descriptor;
    }

    private static NodeTypeDescriptor load(String resource) {
        try (InputStream in = DescribedNodeType.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing node descriptor " + resource);
            }
            return WeftJson.mapper().readValue(in, NodeTypeDescriptor.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read node descriptor " + resource, e);
        }
    }
}
